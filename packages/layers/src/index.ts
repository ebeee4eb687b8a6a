// @gcnn/layers: p4 / p4m G-convolutions for TensorFlow.js. Importing the package registers its layer classes
// for serialisation (see registerLayers).
export {
  FUSED_BATCH_NORM_KERNELS,
  type GroupMoments,
  groupBatchNormInference,
  groupBatchNormTraining,
  hasFusedBatchNormKernels,
} from './batch-norm.js';
export {
  type ActedGroup,
  type ElementError,
  type EquivarianceOptions,
  type EquivarianceReport,
  equivarianceError,
} from './equivariance.js';
export { formatShape, GroupLayerError } from './errors.js';
export { type GConv2DOptions, gconv2d } from './gconv2d.js';
export { actOnFeatureMap, actOnZ2, type StabilizerElement, stabilizerIndexOf } from './group-action.js';
export {
  channelsOf,
  isLayerGroup,
  type LayerGroup,
  type OutputGroup,
  planes,
  stabilizerSize,
} from './groups.js';
export { type FilterIndexMap, type FilterIndexMapOptions, filterIndexMap } from './index-map.js';
export { disposeIndexTensors } from './index-tensors.js';
export type {
  Constraint,
  Identifier,
  Initializer,
  Regularizer,
  SerializedObject,
} from './layers/config-objects.js';
export { gConv2d, groupBatchNormalization, groupMaxPool } from './layers/factories.js';
export { GConv2D, type GConv2DArgs } from './layers/gconv2d-layer.js';
export {
  GroupBatchNormalization,
  type GroupBatchNormalizationArgs,
} from './layers/group-batch-normalization.js';
export { GroupMaxPool, type GroupMaxPoolArgs } from './layers/group-max-pool.js';
export type { Kwargs, LayerArgs } from './layers/layer-utils.js';
export { LAYER_CLASSES, registerLayers } from './layers/register.js';
export { convOutputSize, type GroupPadding } from './padding.js';
export { stabilizerMax } from './stabilizer-max.js';
export { type GroupPair, transformFilter } from './transform-filter.js';

// @gcnn/models: the networks of Cohen & Welling (2016) as tf.LayersModel. Importing it registers the layer
// classes of @gcnn/layers, so saved models load back with tf.loadLayersModel.
export { type AllCnnCOptions, allCnnC } from './all-cnn-c.js';
export { architectureTable, countTrainableParams, describeModel, type LayerRow } from './describe.js';
export { groupAveragePool } from './heads.js';
export { type MnistModelOptions, p4cnn, p4cnnRotationPooling, z2cnn } from './mnist.js';
export type { ModelOptions } from './options.js';
export type { PaperEntry, PaperModel } from './paper.js';
export {
  buildModel,
  findModel,
  MODEL_IDS,
  MODEL_REGISTRY,
  type ModelDataset,
  type ModelEntry,
  type ModelFamily,
  PAPER,
} from './registry.js';
export { type ResNetOptions, type ResNetPresetOptions, resnet, resnet26, resnet44 } from './resnet.js';

import { GConv2D, type GConv2DArgs } from './gconv2d-layer.js';
import { GroupBatchNormalization, type GroupBatchNormalizationArgs } from './group-batch-normalization.js';
import { GroupMaxPool, type GroupMaxPoolArgs } from './group-max-pool.js';

/** `new GConv2D(args)`, in the style of `tf.layers.conv2d`. */
export function gConv2d(args: GConv2DArgs): GConv2D {
  return new GConv2D(args);
}

/** `new GroupMaxPool(args)`, in the style of `tf.layers.maxPooling2d`. */
export function groupMaxPool(args: GroupMaxPoolArgs): GroupMaxPool {
  return new GroupMaxPool(args);
}

/** `new GroupBatchNormalization(args)`, in the style of `tf.layers.batchNormalization`. */
export function groupBatchNormalization(args: GroupBatchNormalizationArgs): GroupBatchNormalization {
  return new GroupBatchNormalization(args);
}

import * as tf from '@tensorflow/tfjs-core';
import { GConv2D } from './gconv2d-layer.js';
import { GroupBatchNormalization } from './group-batch-normalization.js';
import { GroupMaxPool } from './group-max-pool.js';

/** The layer classes of this package, as registered for `tf.loadLayersModel`. */
export const LAYER_CLASSES = [GConv2D, GroupMaxPool, GroupBatchNormalization] as const;

/**
 * Registers the layer classes with tfjs' serialisation registry so that `tf.loadLayersModel` can rebuild models
 * that use them. Importing this package already does it; calling it again is harmless (for bundlers that drop
 * side-effect imports, or after a tfjs registry reset). Returns the registered class names.
 */
export function registerLayers(): string[] {
  for (const cls of LAYER_CLASSES) tf.serialization.registerClass(cls);
  return LAYER_CLASSES.map((cls) => cls.className);
}

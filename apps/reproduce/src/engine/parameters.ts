import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Trainable parameters of a model: what the paper counts (Chainer's `model.params()`: conv weights and
 * biases, BN gamma and beta), excluding BN moving statistics, which tfjs' `countParams()` includes.
 */
export function countTrainableParameters(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}

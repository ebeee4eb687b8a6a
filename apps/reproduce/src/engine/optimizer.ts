import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSettings } from './protocol.js';

/** A fresh tfjs optimizer for the settings. */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  if (settings.kind === 'adam') {
    return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }
  return tf.train.momentum(settings.learningRate, settings.momentum);
}

/** Sets the learning rate of an SGD-family optimizer (a no-op for Adam, whose rate is fixed here). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof SGDOptimizer`: tfjs overrides instanceof so that every optimizer matches.
  const sgd = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate);
}

/**
 * Passes the optimizer's state through its own save/restore path (`getWeights` then `setWeights`).
 *
 * Restoring is not bit-exact for Adam: it recomputes beta^t with `pow`, while training accumulates it by
 * repeated multiplication. Running every checkpoint of an uninterrupted run through the same path makes a
 * resumed run follow it bit for bit. The variables the restore replaces are disposed.
 */
export async function roundTripOptimizerState(optimizer: tf.Optimizer): Promise<void> {
  const weights = await optimizer.getWeights();
  await optimizer.setWeights(weights);
  // getWeights hands out the live variables (plus a fresh iteration scalar); setWeights made new ones.
  tf.dispose(weights.map((w) => w.tensor));
}

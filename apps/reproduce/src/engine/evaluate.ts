import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchCount, disposeBatch, type ImageSet, makeBatch } from './dataset.js';
import { countErrors, crossEntropy } from './train-step.js';

/** Test-set figures: error as a fraction in [0, 1] and mean cross-entropy. */
export interface Evaluation {
  error: number;
  loss: number;
  errors: number;
  count: number;
}

/**
 * Classifies every image of `set` in inference mode (BN moving statistics, no dropout) in batches of
 * `batchSize`; `onBatch(done, total)` reports progress.
 */
export async function evaluate(
  model: tfl.LayersModel,
  set: ImageSet,
  classes: number,
  batchSize: number,
  onBatch?: (done: number, total: number) => void,
): Promise<Evaluation> {
  const total = batchCount(set.count, batchSize);
  let errors = 0;
  let lossSum = 0;
  for (let b = 0; b < total; b++) {
    const batch = makeBatch(set, null, b, batchSize, classes);
    const n = batch.xs.shape[0];
    const measured = tf.tidy(() => {
      const logits = model.apply(batch.xs, { training: false }) as tf.Tensor;
      const values = tf
        .stack([
          tf.mul(crossEntropy(logits, batch.ys), n),
          tf.cast(countErrors(logits, batch.labels), 'float32'),
        ])
        .dataSync();
      return [values[0]!, values[1]!] as const;
    });
    disposeBatch(batch);
    lossSum += measured[0];
    errors += measured[1];
    onBatch?.(b + 1, total);
    await yieldToEventLoop();
  }
  return { error: errors / set.count, loss: lossSum / set.count, errors, count: set.count };
}

/** Lets signal handlers and timers run between batches of a long synchronous computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

import { hostBatches, type ImageDataset, type NormalizationStats } from '@gcnn/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { countErrors, crossEntropy } from './step.js';
import { throwIfAborted, yieldToEventLoop } from './yield.js';

/** Test-set figures of a classifier. */
export interface Evaluation {
  /** Misclassified fraction, in [0, 1]. */
  error: number;
  /** Mean softmax cross-entropy of the logits. */
  loss: number;
  /** Misclassified images. */
  errors: number;
  /** Images classified. */
  count: number;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Images per forward pass. Default 500. */
  batchSize?: number;
  /** Scalar normalisation applied to the pixels first, as in training. */
  normalize?: NormalizationStats;
  /** Progress after each batch. */
  onBatch?: (done: number, total: number) => void;
  /** Stops at the next batch, throwing the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Classifies every image of `dataset` in inference mode (batch-norm moving statistics, no dropout) with a model
 * whose output is logits, and returns the error rate and mean cross-entropy.
 *
 * @example
 * const { error } = await evaluate(model, test, { batchSize: 500 });
 */
export async function evaluate(
  model: tfl.LayersModel,
  dataset: ImageDataset,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 500;
  const numClasses = model.outputs[0]!.shape[1] as number;
  const total = Math.ceil(dataset.count / batchSize);
  let errors = 0;
  let lossSum = 0;
  for (const batch of hostBatches(dataset, {
    batchSize,
    shuffle: false,
    ...(options.normalize ? { normalize: options.normalize } : {}),
  })) {
    throwIfAborted(options.signal);
    tf.tidy(() => {
      const xs = tf.tensor4d(batch.images, [batch.size, dataset.height, dataset.width, dataset.channels]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      const logits = model.apply(xs, { training: false }) as tf.Tensor;
      const measured = tf
        .stack([
          tf.mul(crossEntropy(logits, labels, numClasses), batch.size),
          tf.cast(countErrors(logits, labels), 'float32'),
        ])
        .dataSync();
      lossSum += measured[0]!;
      errors += measured[1]!;
    });
    options.onBatch?.(batch.index + 1, total);
    await yieldToEventLoop();
  }
  return { error: errors / dataset.count, loss: lossSum / dataset.count, errors, count: dataset.count };
}

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Batch } from './dataset.js';

/** What one optimisation step measured: the mean loss and the number of misclassified images. */
export interface StepResult {
  loss: number;
  errors: number;
}

/** Mean softmax cross-entropy between one-hot labels and the model's logits. */
export function crossEntropy(logits: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
}

/** Number of images whose arg-max logit is not their label. */
export function countErrors(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), labels), 'int32'));
}

/** The trainable variables of a model, in the model's own (stable) order. */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * One training step: forward in training mode (BN batch statistics, dropout on), softmax cross-entropy,
 * gradients, optional L2 weight decay, and the optimizer update.
 *
 * The update is skipped when the loss is not finite, so a diverging step never reaches the weights; the
 * caller sees the NaN/Inf in the result. Synchronous, and leaves no tensors behind.
 */
export function trainStep(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  batch: Batch,
  weightDecay: number,
): StepResult {
  const variables = trainableVariables(model);
  let result: StepResult = { loss: Number.NaN, errors: 0 };
  tf.tidy(() => {
    let errorCount: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(batch.xs, { training: true }) as tf.Tensor;
      errorCount = tf.keep(countErrors(logits, batch.labels));
      return crossEntropy(logits, batch.ys);
    }, variables);
    const measured = tf.stack([tf.cast(value, 'float32'), tf.cast(errorCount!, 'float32')]).dataSync();
    tf.dispose(errorCount!);
    result = { loss: measured[0]!, errors: measured[1]! };
    if (!Number.isFinite(result.loss)) return;
    const named = variables.map((v) => {
      const gradient = grads[v.name]!;
      return { name: v.name, tensor: weightDecay > 0 ? tf.add(gradient, tf.mul(v, weightDecay)) : gradient };
    });
    optimizer.applyGradients(named);
  });
  return result;
}

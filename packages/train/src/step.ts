import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** What one training step measured. */
export interface StepResult {
  /** Mean softmax cross-entropy of the batch before the update. */
  loss: number;
  /** Images whose arg-max logit is not their label (in training mode). */
  errors: number;
  /** False when the loss was not finite: the update was skipped, so the weights are those before the step. */
  applied: boolean;
}

/** Mean softmax cross-entropy between integer labels and logits. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, numClasses: number): tf.Scalar {
  return tf.tidy(
    () =>
      tf.losses.softmaxCrossEntropy(tf.cast(tf.oneHot(labels, numClasses), 'float32'), logits) as tf.Scalar,
  );
}

/** Number of images whose arg-max logit is not their label. */
export function countErrors(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), labels), 'int32')));
}

/**
 * Forward in training mode (batch statistics, dropout on) and backward: the gradient of `weight` times the mean
 * cross-entropy with respect to `variables`. `weight` is a shard's share of the whole batch in data-parallel
 * training, so that the shards' gradients add up to the batch's. The caller owns the returned gradients.
 */
export function computeGradients(
  model: tfl.LayersModel,
  variables: readonly tf.Variable[],
  xs: tf.Tensor4D,
  labels: tf.Tensor1D,
  weight = 1,
): { loss: number; errors: number; gradients: tf.Tensor[] } {
  const numClasses = model.outputs[0]!.shape[1] as number;
  let loss = Number.NaN;
  let errors = 0;
  const gradients = tf.tidy(() => {
    let errorCount: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor;
      errorCount = tf.keep(countErrors(logits, labels));
      const mean = crossEntropy(logits, labels, numClasses);
      return weight === 1 ? mean : tf.mul(mean, weight);
    }, variables as tf.Variable[]);
    // One read-back for both figures.
    const measured = tf.stack([tf.cast(value, 'float32'), tf.cast(errorCount!, 'float32')]).dataSync();
    tf.dispose(errorCount!);
    loss = measured[0]!;
    errors = measured[1]!;
    return variables.map((v) => grads[v.name]!);
  });
  return { loss, errors, gradients };
}

/**
 * Applies one update: L2 weight decay added to each gradient (g + decay · w, Chainer's WeightDecay hook, on every
 * trainable variable), then the optimizer. Disposes what it creates, not `gradients`.
 */
export function applyUpdate(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  gradients: readonly tf.Tensor[],
  weightDecay: number,
): void {
  tf.tidy(() => {
    optimizer.applyGradients(
      variables.map((v, i) => ({
        name: v.name,
        tensor: weightDecay > 0 ? tf.add(gradients[i]!, tf.mul(v, weightDecay)) : gradients[i]!,
      })),
    );
  });
}

/**
 * One training step in this process: gradients of the batch's mean cross-entropy, weight decay and the update.
 * A non-finite loss skips the update, so a diverging step never reaches the weights. Leaves no tensors behind.
 */
export function trainStep(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: { weightDecay?: number; variables?: readonly tf.Variable[] } = {},
): StepResult {
  const variables = options.variables ?? model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { loss, errors, gradients } = computeGradients(model, variables, xs, labels);
  try {
    if (!Number.isFinite(loss)) return { loss, errors, applied: false };
    applyUpdate(optimizer, variables, gradients, options.weightDecay ?? 0);
    return { loss, errors, applied: true };
  } finally {
    tf.dispose(gradients);
  }
}

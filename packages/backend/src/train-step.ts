import * as tf from '@tensorflow/tfjs-core';

/** A model as the trainers and benchmarks see it: a forward pass to logits and the variables to train. */
export interface TrainableModel {
  /** A short name for reports, e.g. 'P4CNN (stand-in)'. */
  readonly name: string;
  /** Input shape of one image [H, W, C]. */
  readonly inputShape: [number, number, number];
  /** Number of classes (length of the logits). */
  readonly numClasses: number;
  /** The trainable variables. */
  readonly variables: tf.Variable[];
  /** Multiply-adds ×2 of one image's forward pass, when known (the benchmark reports shares of peak). */
  readonly flopsPerImage?: number;
  /** Logits [N, numClasses] for a batch [N, H, W, C]; `training` switches batch statistics and dropout on. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** Frees the variables. */
  dispose(): void;
}

/** Builds a fresh model (once per benchmark, or once per worker in data-parallel training). */
export type ModelFactory = () => TrainableModel | Promise<TrainableModel>;

/** The subset of a tfjs-layers `LayersModel` that `fromLayersModel` uses. */
export interface LayersModelLike {
  name: string;
  inputs: { shape: (number | null)[] }[];
  outputs: { shape: (number | null)[] }[];
  trainableWeights: { read(): tf.Tensor }[];
  apply(x: tf.Tensor, kwargs?: { training?: boolean }): unknown;
  dispose(): unknown;
}

/**
 * Wraps a `tf.LayersModel` whose output is logits (no softmax) as a `TrainableModel`, so that the benchmarks
 * and the data-parallel trainer can run the real models of `@gcnn/models`.
 */
export function fromLayersModel(model: LayersModelLike): TrainableModel {
  const inShape = model.inputs[0]?.shape;
  const outShape = model.outputs[0]?.shape;
  if (inShape == null || inShape.length !== 4 || outShape == null || outShape.length !== 2) {
    throw new Error(
      `fromLayersModel: expected an image model [N, H, W, C] -> [N, classes], got ${JSON.stringify(inShape)} -> ${JSON.stringify(outShape)}`,
    );
  }
  const [, h, w, c] = inShape;
  const classes = outShape[1];
  if (h == null || w == null || c == null || classes == null) {
    throw new Error(
      `fromLayersModel: the input and output shapes must be fixed, got ${JSON.stringify(inShape)}`,
    );
  }
  return {
    name: model.name,
    inputShape: [h, w, c],
    numClasses: classes,
    get variables() {
      return model.trainableWeights.map((v) => v.read() as tf.Variable);
    },
    apply: (x, training) => model.apply(x, { training }) as tf.Tensor2D,
    dispose: () => {
      model.dispose();
    },
  };
}

/** Accepts a `TrainableModel` or a tfjs-layers model (recognised by its `trainableWeights`). */
export function asTrainable(model: TrainableModel | LayersModelLike): TrainableModel {
  return 'variables' in model ? model : fromLayersModel(model);
}

/** Softmax cross-entropy of the model's logits against integer labels, averaged over the batch. */
export function classificationLoss(model: TrainableModel, x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logits = model.apply(x, true);
    const onehot = tf.oneHot(labels, model.numClasses);
    return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
  });
}

/**
 * tfjs-core alone registers no gradients in Node; tfjs-layers (or the @tensorflow/tfjs bundle) does. Loads
 * tfjs-layers when no gradient is registered yet, with a clear error when it is not installed.
 */
export async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Conv2D') != null) return;
  try {
    await import('@tensorflow/tfjs-layers');
  } catch (error) {
    throw new Error(
      `training needs the gradients that @tensorflow/tfjs-layers registers; install it next to @tensorflow/tfjs-core (${(error as Error).message})`,
    );
  }
}

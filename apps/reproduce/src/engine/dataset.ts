import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';

/** A labelled image set held in memory: NHWC float pixels and integer class labels. */
export interface ImageSet {
  /** `count · height · width · channels` values, image after image, NHWC. */
  readonly images: Float32Array;
  /** One class index per image. */
  readonly labels: Int32Array | Uint8Array;
  readonly count: number;
  /** [height, width, channels] of one image. */
  readonly shape: readonly [number, number, number];
}

/** The train and test sets of one experiment, already preprocessed the way the protocol says. */
export interface TrainingData {
  readonly train: ImageSet;
  readonly test: ImageSet;
  readonly classes: number;
  /** A one-line human description, e.g. "MNIST-rot regenerated (seed 0): 12000 train / 50000 test". */
  readonly description: string;
  /** Values that a later `eval` needs to preprocess the same way (e.g. the normalisation mean and std). */
  readonly preprocessing: Record<string, unknown>;
  /**
   * Optional per-batch augmentation of training images (CIFAR10+). Gets a fresh copy of the batch's pixels
   * (NHWC), may change them in place, and returns the augmented pixels; its randomness must come from `seed`
   * only (the engine derives it from the run seed, epoch and batch).
   */
  readonly augment?: (pixels: Float32Array, count: number, seed: number) => Float32Array;
}

/** A batch as tensors: `xs` [n, h, w, c] float32, `ys` [n, classes] one-hot float32, `labels` [n] int32. */
export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/** Pixels per image of a set. */
export function imageSize(set: ImageSet): number {
  return set.shape[0] * set.shape[1] * set.shape[2];
}

/** Checks that the arrays of a set agree with its count and shape; a clear error otherwise. */
export function validateImageSet(set: ImageSet, what: string): void {
  if (set.count <= 0) throw new UserError(`${what} is empty`);
  if (set.images.length !== set.count * imageSize(set)) {
    throw new UserError(
      `${what}: ${set.images.length} pixel values for ${set.count} images of shape ${set.shape.join('x')}`,
    );
  }
  if (set.labels.length !== set.count) {
    throw new UserError(`${what}: ${set.labels.length} labels for ${set.count} images`);
  }
}

/** The first `limit` images of a set (all of them when `limit` is undefined or not smaller). */
export function takeFirst(set: ImageSet, limit: number | undefined): ImageSet {
  if (limit === undefined || limit >= set.count) return set;
  const size = imageSize(set);
  return {
    images: set.images.subarray(0, limit * size),
    labels: set.labels.subarray(0, limit),
    count: limit,
    shape: set.shape,
  };
}

/** The number of batches an epoch over `count` images has, the last one possibly partial. */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** A batch in host memory: NHWC pixels and integer labels. */
export interface HostBatch {
  /** `count · h · w · c` pixel values, image after image. */
  pixels: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * Gathers batch `index` of an epoch whose image order is `order` (batch i holds positions
 * [i·batchSize, (i+1)·batchSize) of the order, the last batch possibly smaller), augmented when asked.
 */
export function gatherBatch(
  set: ImageSet,
  order: Int32Array | null,
  index: number,
  batchSize: number,
  augment?: { fn: NonNullable<TrainingData['augment']>; seed: number },
): HostBatch {
  const start = index * batchSize;
  const end = Math.min(set.count, start + batchSize);
  const n = end - start;
  const size = imageSize(set);
  let pixels: Float32Array = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const source = order ? order[start + i]! : start + i;
    pixels.set(set.images.subarray(source * size, (source + 1) * size), i * size);
    labels[i] = set.labels[source]!;
  }
  if (augment) pixels = augment.fn(pixels, n, augment.seed);
  return { pixels, labels, count: n };
}

/** A host batch as tensors (the caller disposes them with `disposeBatch`). */
export function batchTensors(
  batch: HostBatch,
  shape: readonly [number, number, number],
  classes: number,
): Batch {
  const [h, w, c] = shape;
  return tf.tidy(() => {
    const labelTensor = tf.tensor1d(batch.labels, 'int32');
    return {
      xs: tf.tensor4d(batch.pixels, [batch.count, h, w, c]),
      ys: tf.cast(tf.oneHot(labelTensor, classes), 'float32') as tf.Tensor2D,
      labels: labelTensor,
    };
  });
}

/** Batch `index` of an epoch as tensors: `gatherBatch` then `batchTensors`. */
export function makeBatch(
  set: ImageSet,
  order: Int32Array | null,
  index: number,
  batchSize: number,
  classes: number,
  augment?: { fn: NonNullable<TrainingData['augment']>; seed: number },
): Batch {
  return batchTensors(gatherBatch(set, order, index, batchSize, augment), set.shape, classes);
}

/** Disposes the tensors of a batch. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.xs, batch.ys, batch.labels]);
}

/** Mean and standard deviation (population) of all values, in float64. */
export function scalarMoments(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / values.length) };
}

/** A copy of the set with every pixel mapped to (x − mean) / std. */
export function normalizeSet(set: ImageSet, mean: number, std: number): ImageSet {
  const images = new Float32Array(set.images.length);
  const scale = 1 / std;
  for (let i = 0; i < images.length; i++) images[i] = (set.images[i]! - mean) * scale;
  return { ...set, images };
}

import * as tf from '@tensorflow/tfjs-core';
import type { BatchTransform } from './augment.js';
import { type ImageDataset, imageSize } from './dataset.js';
import { type NormalizationStats, normalizationAffine } from './normalize.js';
import { Rng, seedWords } from './random.js';

/** Seed words that keep the order and the augmentation streams apart. */
const STREAM_ORDER = 0x4f524452; // 'ORDR'
const STREAM_AUGMENT = 0x41554731; // 'AUG1'

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Images per batch. */
  batchSize: number;
  /** Shuffle the images (a new order per epoch). Default true; false iterates in order, for evaluation. */
  shuffle?: boolean;
  /** Seed of the shuffle and the augmentation. Default 0. */
  seed?: number;
  /** Epoch number: the same (seed, epoch) gives the same order and the same augmentation. Default 0. */
  epoch?: number;
  /** 'onehot' (float32 [B, numClasses], default) or 'int' (int32 [B]). */
  labels?: 'onehot' | 'int';
  /** Classes for one-hot labels. Default 10. */
  numClasses?: number;
  /** Skip the last batch when it is smaller than batchSize. Default false. */
  dropRemainder?: boolean;
  /** Scalar normalisation applied to the pixels: (pixel - mean) / std (see `normalizationStats`). */
  normalize?: NormalizationStats;
  /** Augmentation applied to each batch after normalisation (e.g. `cifar10Augmentation()`). */
  transform?: BatchTransform;
}

/** One batch: tensors owned by the iterator, valid until the iterator advances or ends. */
export interface Batch {
  /** Images, float32 [B, height, width, channels]. */
  readonly xs: tf.Tensor4D;
  /** Labels: float32 [B, numClasses] one-hot, or int32 [B]. */
  readonly ys: tf.Tensor2D | tf.Tensor1D;
  /** B, the number of images in this batch. */
  readonly size: number;
  /** Position of the batch in the epoch, from 0. */
  readonly index: number;
  /** The data-set indices of the images in this batch. */
  readonly indices: Uint32Array;
}

/** The number of batches of an epoch. */
export function batchCount(count: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * The order in which an epoch visits the images: 0..count-1 when `shuffle` is false, else a permutation drawn from
 * (seed, epoch) by a Fisher-Yates shuffle with the package's xoshiro128** generator, the same on every machine.
 */
export function epochOrder(
  count: number,
  options: { seed?: number; epoch?: number; shuffle?: boolean } = {},
): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (options.shuffle === false) return order;
  const epoch = checkEpoch(options.epoch ?? 0);
  return new Rng([...seedWords(options.seed ?? 0), STREAM_ORDER, epoch]).shuffle(order);
}

/** Options of {@link hostBatches}: those of {@link batches} that do not concern tensors. */
export type HostBatchOptions = Omit<BatchOptions, 'labels' | 'numClasses'>;

/** One batch in host memory: NHWC float pixels and integer labels, owned by the caller. */
export interface HostBatch {
  /** `size · height · width · channels` values, normalised and augmented as asked. */
  readonly images: Float32Array;
  /** One class index per image. */
  readonly labels: Int32Array;
  /** B, the number of images in this batch. */
  readonly size: number;
  /** Position of the batch in the epoch, from 0. */
  readonly index: number;
  /** The data-set indices of the images in this batch. */
  readonly indices: Uint32Array;
}

/**
 * Iterates over one epoch of a data set in batches held in typed arrays: the order, normalisation and augmentation
 * of {@link batches}, without tensors (for trainers that send batches to workers, or build tensors their own way).
 * The same (seed, epoch) gives the same batches on every machine.
 */
export function* hostBatches(
  dataset: ImageDataset,
  options: HostBatchOptions,
): Generator<HostBatch, void, undefined> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const seed = options.seed ?? 0;
  const epoch = checkEpoch(options.epoch ?? 0);
  const order = epochOrder(dataset.count, { seed, epoch, shuffle: options.shuffle });
  const augmentRng = options.transform ? new Rng([...seedWords(seed), STREAM_AUGMENT, epoch]) : undefined;
  const total = batchCount(dataset.count, batchSize, options.dropRemainder);
  for (let b = 0; b < total; b++) {
    const indices = order.subarray(b * batchSize, Math.min(dataset.count, (b + 1) * batchSize));
    const { images, labels } = gatherBatch(dataset, indices, options.normalize);
    if (options.transform) {
      options.transform(
        {
          images,
          count: indices.length,
          height: dataset.height,
          width: dataset.width,
          channels: dataset.channels,
        },
        augmentRng!,
      );
    }
    yield { images, labels, size: indices.length, index: b, indices };
  }
}

/**
 * Iterates over one epoch of a data set in batches of `{ xs, ys }` tensors, NHWC float32 images and one-hot or
 * integer labels. Batches are built lazily, one at a time, by copying the selected images from the typed arrays.
 *
 * Ownership: the iterator owns the tensors it yields. It disposes a batch's tensors when the consumer asks for the
 * next one, and the last batch's when the loop ends (also on `break` or an exception in a `for...of`). So use a
 * batch inside the loop body only (e.g. `await model.trainOnBatch(xs, ys)`); to keep a tensor longer, `clone()` it.
 * Disposing them yourself earlier is allowed.
 *
 * @example
 * for (const { xs, ys } of batches(train, { batchSize: 128, seed: 0, epoch, normalize: stats })) {
 *   await model.trainOnBatch(xs, ys);
 * }
 */
export function* batches(dataset: ImageDataset, options: BatchOptions): Generator<Batch, void, undefined> {
  const numClasses = options.numClasses ?? 10;
  const labelMode = options.labels ?? 'onehot';
  if (labelMode !== 'onehot' && labelMode !== 'int') {
    throw new RangeError(`batches: labels must be 'onehot' or 'int', got ${String(labelMode)}`);
  }
  let current: Batch | undefined;
  try {
    for (const host of hostBatches(dataset, options)) {
      const { images, labels, size, index, indices } = host;
      const oneHotValues = labelMode === 'onehot' ? oneHot(labels, numClasses) : undefined;
      disposeBatch(current);
      current = undefined;
      const xs = tf.tensor4d(images, [size, dataset.height, dataset.width, dataset.channels], 'float32');
      const ys = oneHotValues
        ? tf.tensor2d(oneHotValues, [size, numClasses], 'float32')
        : tf.tensor1d(labels, 'int32');
      current = { xs, ys, size, index, indices };
      yield current;
    }
  } finally {
    disposeBatch(current);
  }
}

/**
 * Copies the images at `indices` into a new float batch (NHWC), applying the normalisation if given, and returns it
 * with their labels. This is the typed-array core of {@link batches}, for callers that build their own tensors.
 */
export function gatherBatch(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
  normalize?: NormalizationStats,
): { images: Float32Array; labels: Int32Array } {
  const size = imageSize(dataset);
  const source = dataset.images;
  const bytes = source instanceof Uint8Array;
  const { scale, offset } = normalize
    ? normalizationAffine(normalize, bytes)
    : { scale: bytes ? 1 / 255 : 1, offset: 0 };
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let n = 0; n < indices.length; n++) {
    const index = indices[n]!;
    if (!(index >= 0 && index < dataset.count))
      throw new RangeError(`gatherBatch: index ${index} is outside the data set`);
    labels[n] = dataset.labels[index]!;
    // Separate loops per source type keep each one monomorphic (fast) in V8.
    if (bytes) copyAffine(source as Uint8Array, index * size, images, n * size, size, scale, offset);
    else if (scale === 1 && offset === 0)
      images.set((source as Float32Array).subarray(index * size, (index + 1) * size), n * size);
    else copyAffineFloat(source as Float32Array, index * size, images, n * size, size, scale, offset);
  }
  return { images, labels };
}

function copyAffine(
  from: Uint8Array,
  fromOffset: number,
  to: Float32Array,
  toOffset: number,
  size: number,
  scale: number,
  offset: number,
): void {
  for (let i = 0; i < size; i++) to[toOffset + i] = from[fromOffset + i]! * scale + offset;
}

function copyAffineFloat(
  from: Float32Array,
  fromOffset: number,
  to: Float32Array,
  toOffset: number,
  size: number,
  scale: number,
  offset: number,
): void {
  for (let i = 0; i < size; i++) to[toOffset + i] = from[fromOffset + i]! * scale + offset;
}

function oneHot(labels: Int32Array, numClasses: number): Float32Array {
  const values = new Float32Array(labels.length * numClasses);
  for (let n = 0; n < labels.length; n++) {
    const label = labels[n]!;
    if (label >= numClasses)
      throw new RangeError(`batches: label ${label} does not fit ${numClasses} classes`);
    values[n * numClasses + label] = 1;
  }
  return values;
}

function disposeBatch(batch: Batch | undefined): void {
  if (batch === undefined) return;
  batch.xs.dispose();
  batch.ys.dispose();
}

function checkEpoch(epoch: number): number {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch >= 2 ** 32) {
    throw new RangeError(`batches: epoch must be an integer in [0, 2^32), got ${epoch}`);
  }
  return epoch;
}

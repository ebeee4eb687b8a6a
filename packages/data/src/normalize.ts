import type { ImageDataset } from './dataset.js';

/** One scalar mean and standard deviation over all pixels of a set of images. */
export interface NormalizationStats {
  readonly mean: number;
  readonly std: number;
}

/**
 * The paper's MNIST-rot normalisation statistics: one scalar mean and one scalar standard deviation (population,
 * ddof 0) over every pixel of the training images, in pixel values (bytes count as byte / 255). One scalar for all
 * pixels keeps the preprocessing rotation-equivariant. Accumulates in float64.
 */
export function normalizationStats(images: ImageDataset | Uint8Array | Float32Array): NormalizationStats {
  const values = 'images' in images ? images.images : images;
  if (values.length === 0) throw new Error('normalizationStats: no pixels');
  const scale = values instanceof Uint8Array ? 1 / 255 : 1;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = (sum / values.length) * scale;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! * scale - mean;
    squares += d * d;
  }
  const std = Math.sqrt(squares / values.length);
  return { mean, std };
}

/**
 * Checks normalisation statistics and returns the affine map `value * scale + offset` that applies them to stored
 * values (`(pixel - mean) / std`, where a stored byte b means pixel b / 255).
 */
export function normalizationAffine(
  stats: NormalizationStats,
  bytes: boolean,
): { scale: number; offset: number } {
  const { mean, std } = stats;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    throw new RangeError(`normalization: mean must be finite and std positive, got mean ${mean}, std ${std}`);
  }
  return { scale: (bytes ? 1 / 255 : 1) / std, offset: -mean / std };
}

/**
 * A float copy of a data set with `(pixel - mean) / std` applied to every pixel. (The batch iterator can also do
 * this on the fly per batch with its `normalize` option, which saves the memory of a float copy.)
 */
export function applyNormalization(dataset: ImageDataset, stats: NormalizationStats): ImageDataset {
  const { scale, offset } = normalizationAffine(stats, dataset.images instanceof Uint8Array);
  const source = dataset.images;
  const images = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) images[i] = source[i]! * scale + offset;
  return { ...dataset, images };
}

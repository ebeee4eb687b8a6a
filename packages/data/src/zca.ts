import { type ImageDataset, imageSize } from './dataset.js';
import { symmetricEigen } from './eigen.js';
import { addProductTransposed } from './matmul.js';

/** A fitted ZCA whitening: `whiten(x) = (x - mean) · matrix`. */
export interface ZcaWhitening {
  /** Values per image (3,072 for CIFAR-10). */
  readonly dimension: number;
  /** Per-feature mean of the training images. */
  readonly mean: Float64Array;
  /** The symmetric whitening matrix W = U diag(1 / (S + ε)) Uᵀ, row-major `dimension x dimension`. */
  readonly matrix: Float64Array;
  /** Singular values S of D / √(N - 1), largest first (the square roots of the covariance's eigenvalues). */
  readonly singularValues: Float64Array;
  /** The ε added to the singular values. */
  readonly epsilon: number;
}

/** A progress report of the ZCA fit or its application. */
export interface ZcaProgress {
  phase: 'covariance' | 'eigen' | 'matrix' | 'apply';
  /** Share of the phase done, 0 to 1. */
  fraction: number;
}

/** Options of {@link fitZca}. */
export interface FitZcaOptions {
  /** ε added to the singular values. Default 1e-5 (the authors' value). */
  epsilon?: number;
  /** Called as the fit advances (covariance, eigendecomposition, matrix). */
  onProgress?: (progress: ZcaProgress) => void;
}

const CHUNK = 256;

/**
 * Fits ZCA whitening to a training set as the authors do: subtract the per-feature mean, take the
 * SVD of D / √(N - 1) (here: the eigendecomposition of the covariance DᵀD / (N - 1), whose eigenvectors are U and
 * whose eigenvalues are S²) and form W = U diag(1 / (S + ε)) Uᵀ. All in float64 and plain TypeScript; for
 * CIFAR-10 (N = 50,000, 3,072 features) this takes several minutes on one core, so cache the result
 * (`preprocessCifar10` does).
 */
export function fitZca(train: ImageDataset, options: FitZcaOptions = {}): ZcaWhitening {
  const epsilon = options.epsilon ?? 1e-5;
  if (!(epsilon >= 0)) throw new RangeError(`fitZca: epsilon must be >= 0, got ${epsilon}`);
  const { count } = train;
  if (count < 2) throw new Error(`fitZca: needs at least 2 images, got ${count}`);
  const progress = options.onProgress;
  const dim = imageSize(train);
  const scale = train.images instanceof Uint8Array ? 1 / 255 : 1;
  const images = train.images;

  const mean = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    const row = n * dim;
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + images[row + i]!;
  }
  for (let i = 0; i < dim; i++) mean[i] = (mean[i]! * scale) / count;

  // Covariance from chunks of images, transposed so that each feature is a contiguous row.
  const covariance = new Float64Array(dim * dim);
  const block = new Float64Array(dim * CHUNK);
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Math.min(CHUNK, count - start);
    for (let r = 0; r < rows; r++) {
      const row = (start + r) * dim;
      for (let i = 0; i < dim; i++) block[i * rows + r] = images[row + i]! * scale - mean[i]!;
    }
    addProductTransposed(block, block, covariance, dim, dim, rows, true);
    progress?.({ phase: 'covariance', fraction: (start + rows) / count });
  }
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      const value = covariance[i * dim + j]! / (count - 1);
      covariance[i * dim + j] = value;
      covariance[j * dim + i] = value;
    }
  }

  const eigen = symmetricEigen(covariance, dim, {
    onProgress: (fraction) => progress?.({ phase: 'eigen', fraction }),
  });
  const singularValues = eigen.values.map((value) => Math.sqrt(Math.max(value, 0)));

  // W = M Mᵀ with M[i][k] = U[i][k] √(1 / (S_k + ε)), computed by the same blocked kernel.
  const m = new Float64Array(dim * dim);
  for (let k = 0; k < dim; k++) {
    const weight = Math.sqrt(1 / (singularValues[k]! + epsilon));
    if (!Number.isFinite(weight)) {
      throw new RangeError(`fitZca: singular value ${k} is 0 and epsilon is 0, the whitening is undefined`);
    }
    const row = k * dim;
    for (let i = 0; i < dim; i++) m[i * dim + k] = eigen.vectors[row + i]! * weight;
  }
  const matrix = new Float64Array(dim * dim);
  addProductTransposed(m, m, matrix, dim, dim, dim, true);
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) matrix[j * dim + i] = matrix[i * dim + j]!;
  progress?.({ phase: 'matrix', fraction: 1 });
  return { dimension: dim, mean, matrix, singularValues, epsilon };
}

/** Options of {@link applyZca}. */
export interface ApplyZcaOptions {
  /** Called as the images are whitened. */
  onProgress?: (progress: ZcaProgress) => void;
}

/**
 * Whitens a data set with a fitted {@link ZcaWhitening}: `(x - mean) · W` per image (bytes count as byte / 255).
 * Returns a float copy. Costs dimension² multiply-adds per image (9.4M for CIFAR-10).
 */
export function applyZca(
  dataset: ImageDataset,
  zca: ZcaWhitening,
  options: ApplyZcaOptions = {},
): ImageDataset {
  const dim = imageSize(dataset);
  if (dim !== zca.dimension) {
    throw new Error(`applyZca: the whitening was fitted to ${zca.dimension} values per image, got ${dim}`);
  }
  const scale = dataset.images instanceof Uint8Array ? 1 / 255 : 1;
  const source = dataset.images;
  const out = new Float32Array(source.length);
  const block = new Float64Array(CHUNK * dim);
  const result = new Float64Array(CHUNK * dim);
  for (let start = 0; start < dataset.count; start += CHUNK) {
    const rows = Math.min(CHUNK, dataset.count - start);
    for (let r = 0; r < rows; r++) {
      const row = (start + r) * dim;
      for (let i = 0; i < dim; i++) block[r * dim + i] = source[row + i]! * scale - zca.mean[i]!;
    }
    result.fill(0);
    addProductTransposed(block, zca.matrix, result, rows, dim, dim); // W is symmetric: x·W = x·Wᵀ
    out.set(result.subarray(0, rows * dim), start * dim);
    options.onProgress?.({ phase: 'apply', fraction: (start + rows) / dataset.count });
  }
  return { ...dataset, images: out };
}

import { GroupLayerError } from './errors.js';

/**
 * Padding of a G-convolution: 'valid' (none), 'same' (TensorFlow's, asymmetric when k is even or the stride
 * does not divide the size, so exact equivariance is not guaranteed) or a number p of zero rows/columns added
 * symmetrically on every side (exact; the output size is ⌊(H + 2p − k)/s⌋ + 1).
 */
export type GroupPadding = 'valid' | 'same' | number;

/** Validates a padding value. */
export function checkPadding(padding: unknown, where: string): GroupPadding {
  if (padding === 'valid' || padding === 'same') return padding;
  if (typeof padding === 'number' && Number.isInteger(padding) && padding >= 0) return padding;
  throw new GroupLayerError(
    `${where}: padding must be 'valid', 'same' or a non-negative integer, got ${JSON.stringify(padding)}`,
  );
}

/** Validates strides: a positive integer or a pair [rows, columns]. */
export function checkStrides(strides: unknown, where: string): [number, number] {
  const pair = typeof strides === 'number' ? [strides, strides] : strides;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1)
  ) {
    throw new GroupLayerError(
      `${where}: strides must be a positive integer or [rows, columns], got ${JSON.stringify(strides)}`,
    );
  }
  return [pair[0], pair[1]];
}

/** The spatial output size of a convolution with kernel k, stride s and the given padding (null stays null). */
export function convOutputSize(
  size: number | null,
  kernelSize: number,
  stride: number,
  padding: GroupPadding,
): number | null {
  if (size == null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * p - kernelSize) / stride) + 1;
}

import type * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { TEST_BACKEND } from '../../../scripts/test-support/stock-backends.js';

export { TEST_BACKEND };

/**
 * A test that trains (gradients of conv2d or gather): skipped on stock wasm, which lacks Conv2DBackpropFilter and
 * UnsortedSegmentSum; @gcnn/backend registers those and tests training on wasm.
 */
export const itTrains: typeof it = it.skipIf(TEST_BACKEND === 'wasm') as typeof it;

/** Largest |a − b| of two tensors (same shape), and the largest |b|. */
export function maxDifference(a: tf.Tensor, b: tf.Tensor): { abs: number; scale: number } {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  let abs = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    abs = Math.max(abs, Math.abs((x[i] as number) - (y[i] as number)));
    scale = Math.max(scale, Math.abs(y[i] as number));
  }
  return { abs, scale };
}

/** Deterministic pseudo-random numbers in [-1, 1) (a small LCG), for filters compared element by element. */
export function randomValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Float32 round-off tolerance for the exact-equivariance checks: the two sides sum the same products in a different
 * order, so they agree to a few ulps of the accumulated magnitude, about 1e-6 relative; 1e-5 leaves margin.
 */
export const EQUIVARIANCE_TOLERANCE = 1e-5;

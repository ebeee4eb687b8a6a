import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers registers the gradients of every op (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { selectBackend } from '../src/index.js';

/** Starts the wasm backend (once per test file: each file runs in its own process). */
export async function useWasm(threads = 1): Promise<void> {
  const report = await selectBackend('wasm', { threads });
  expect(report.name).toBe('wasm');
}

/** Runs `f` on the cpu backend and returns plain arrays; switches back to wasm afterwards. */
export async function onCpu<T>(f: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return f();
  } finally {
    await tf.setBackend('wasm');
  }
}

/** A deterministic pseudo-random array in [-1, 1). */
export function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |a - b| relative to the largest |b| (1 when b is all zeros). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return worst / Math.max(scale, 1e-6);
}

/** Expects two arrays to agree to ~1e-4 of the reference's scale. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  const error = relativeError(actual, expected);
  expect(error, `relative error ${error}`).toBeLessThanOrEqual(tolerance);
}

/** Runs `f` on cpu and on wasm with the same inputs and expects the same shape and values (to `tolerance`). */
export async function compareWithCpu(f: () => tf.Tensor, tolerance = 1e-4): Promise<void> {
  const read = () => {
    const out = f();
    const values = Array.from(out.dataSync());
    const shape = out.shape;
    out.dispose();
    return { values, shape };
  };
  const expected = await onCpu(read);
  const actual = read();
  expect(actual.shape).toEqual(expected.shape);
  expectClose(actual.values, expected.values, tolerance);
}

/** Runs one kernel by name on the active backend and reads its output. */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): Float32Array {
  const out = tf.engine().runKernel(name, inputs as never, attrs as never) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

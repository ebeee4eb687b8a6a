import { selectBackend } from '@gcnn/backend';
import { buildModel } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeGradients,
  seededUniform,
  trainableVariables,
  trainStep,
  withMathRandom,
} from '../src/index.js';
import { onCpu } from './helpers.js';

beforeAll(async () => {
  expect((await selectBackend('wasm', { threads: 1 })).name).toBe('wasm');
});

const uniform = seededUniform(31);
const images = Float32Array.from({ length: 8 * 28 * 28 }, () => uniform());
const labels = Int32Array.from({ length: 8 }, (_, i) => i % 10);

/** A paper model with logits out and seeded initial weights (the same on every backend). */
const model = (id: string) => buildModel(id, { outputActivation: 'linear', seed: 5 });

/** The batch's first `n` images and labels as tensors. */
function batch(n: number): { xs: tf.Tensor4D; ys: tf.Tensor1D } {
  return {
    xs: tf.tensor4d(images.subarray(0, n * 28 * 28), [n, 28, 28, 1]),
    ys: tf.tensor1d(labels.subarray(0, n), 'int32'),
  };
}

/** Gradients of the loss of a fresh P4CNN on two images, as plain arrays. */
function p4cnnGradients(): number[][] {
  const m = model('p4cnn');
  const { xs, ys } = batch(2);
  const { gradients } = computeGradients(m, trainableVariables(m), xs, ys);
  const out = gradients.map((g) => Array.from(g.dataSync()));
  tf.dispose([xs, ys, ...gradients]);
  m.dispose();
  return out;
}

describe('a P4CNN training step on wasm (with the kernels of @gcnn/backend)', () => {
  it('gives the gradients of the cpu backend', async () => {
    const expected = await onCpu(p4cnnGradients, 'wasm');
    const actual = p4cnnGradients();
    expect(actual.length).toBe(expected.length);
    // Each variable's gradient against its own scale; the conv biases that feed a batch norm have a zero
    // gradient up to rounding, so their scale is floored at 1e-2 of the largest gradient.
    const largest = Math.max(...expected.flat().map(Math.abs));
    actual.forEach((g, i) => {
      const e = expected[i]!;
      const scale = Math.max(...e.map(Math.abs), 1e-2 * largest);
      const error = Math.max(...g.map((v, j) => Math.abs(v - e[j]!)));
      expect(error / scale, `variable ${i}`).toBeLessThan(2e-4);
    });
  });

  it.each(['p4cnn', 'z2cnn'])('%s: the loss goes down over a few Adam steps and no tensor leaks', (id) => {
    const m = model(id);
    const optimizer = tf.train.adam(0.01);
    const { xs, ys } = batch(8);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 6; step++) {
      const result = withMathRandom(seededUniform(step), () => trainStep(m, optimizer, xs, ys));
      expect(result.applied).toBe(true);
      losses.push(result.loss);
      counts.push(tf.memory().numTensors);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5]!).toBeLessThan(0.8 * losses[0]!);
    // Adam creates its moment variables on the first step; after that every step must free what it makes.
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose([xs, ys]);
    optimizer.dispose();
    m.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { p4cnnStandIn, z2cnnStandIn } from '../bench/standin-models.js';
import type { TrainableModel } from '../src/train-step.js';
import { onCpu, randomValues, useWasm } from './helpers.js';

beforeAll(async () => {
  await useWasm(1);
});

const images = randomValues(8 * 28 * 28, 31).map((v) => Math.abs(v));
const labels = Array.from({ length: 8 }, (_, i) => i % 10);

/** Softmax cross-entropy of the model on the first `batch` of 8 fixed images. */
function lossOf(model: TrainableModel, batch = 8): tf.Scalar {
  const x = tf.tensor4d(images.subarray(0, batch * 28 * 28), [batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(labels.slice(0, batch), 'int32'), 10);
  return tf.losses.softmaxCrossEntropy(y, model.apply(x, true)) as tf.Scalar;
}

/** Gradients of the loss w.r.t. every variable, as plain arrays, for a model built with a fixed seed. */
function gradients(build: () => TrainableModel): number[][] {
  return tf.tidy(() => {
    const model = build();
    // Batch 2 keeps the cpu reference (pure JS convolutions) to ~15 s.
    const { grads } = tf.variableGrads(() => lossOf(model, 2), model.variables);
    const out = model.variables.map((v) => Array.from((grads[v.name] as tf.Tensor).dataSync()));
    model.dispose();
    return out;
  });
}

/** Same initial weights on both backends: tf.randomNormal is seeded per call through the global seed. */
function seeded(build: () => TrainableModel): () => TrainableModel {
  return () => {
    const model = build();
    model.variables.forEach((v, i) => {
      v.assign(tf.mul(tf.tensor(randomValues(v.size, 100 + i), v.shape), v.name.endsWith('/w') ? 0.3 : 0.05));
      if (v.name.endsWith('/gamma')) v.assign(tf.onesLike(v));
    });
    return model;
  };
}

describe('a P4CNN-sized training step on wasm', () => {
  it('gives the same gradients as the cpu backend (stand-in P4CNN: gathered p4 filters, BN, ReLU, max pool)', async () => {
    const build = seeded(p4cnnStandIn);
    const expected = await onCpu(() => gradients(build));
    const actual = gradients(build);
    expect(actual.length).toBe(expected.length);
    // Each variable's gradient against its own scale; the conv biases that feed a batch norm have a zero
    // gradient up to rounding, so their scale is floored at 1e-2 of the largest gradient.
    const largest = Math.max(...expected.flat().map(Math.abs));
    actual.forEach((g, i) => {
      const e = expected[i] as number[];
      const scale = Math.max(...e.map(Math.abs), 1e-2 * largest);
      const error = Math.max(...g.map((v, j) => Math.abs(v - (e[j] as number))));
      expect(error / scale, `variable ${i}`).toBeLessThan(2e-4);
    });
  });

  it('trains: the loss goes down over a few Adam steps and no tensor leaks', () => {
    const model = seeded(p4cnnStandIn)();
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 6; step++) {
      const loss = optimizer.minimize(() => lossOf(model), true, model.variables) as tf.Scalar;
      losses.push(loss.dataSync()[0] as number);
      loss.dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5] as number).toBeLessThan(0.7 * (losses[0] as number));
    // Adam creates its moment variables on the first step; after that every step must free what it makes.
    expect(new Set(counts.slice(1)).size).toBe(1);
    optimizer.dispose();
    model.dispose();
  });

  it('trains the Z2CNN stand-in too (moments + fused batch norm, dropout)', () => {
    const model = seeded(z2cnnStandIn)();
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const loss = optimizer.minimize(() => lossOf(model), true, model.variables) as tf.Scalar;
      losses.push(loss.dataSync()[0] as number);
      loss.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5] as number).toBeLessThan(losses[0] as number);
    optimizer.dispose();
    model.dispose();
  });
});

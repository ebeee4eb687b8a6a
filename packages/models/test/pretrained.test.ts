import { concatDatasets, generateRotatedMnist, sliceDataset } from '@gcnn/data';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPretrained, PRETRAINED } from '../src/pretrained.js';

/** The first test images of the regenerated MNIST-rot, raw pixels in [0, 1]. */
let pixels: tf.Tensor4D;
let labels: Uint8Array;
// A fixed subset (the first 300 test images) and fixed weights: the figure is deterministic, not a sample.
const COUNT = 300;

beforeAll(async () => {
  const mnistRot = await generateRotatedMnist();
  const test = sliceDataset(mnistRot.test, 0, COUNT);
  pixels = tf.tidy(() => tf.div(tf.tensor4d(test.images, [COUNT, 28, 28, 1], 'float32'), 255));
  labels = test.labels;
  expect(concatDatasets(mnistRot.train, mnistRot.valid).count).toBe(12_000);
});

describe("loadPretrained('p4cnn-mnist-rot')", () => {
  it('reaches its recorded test error on a subset of the regenerated MNIST-rot test set', async () => {
    const model = await loadPretrained('p4cnn-mnist-rot');
    const predicted = tf.tidy(() => tf.argMax(model.predict(pixels) as tf.Tensor, 1).dataSync());
    let errors = 0;
    for (let i = 0; i < COUNT; i++) if (predicted[i] !== labels[i]) errors += 1;
    const error = (100 * errors) / COUNT;
    // Within 3 points of the error on all 50,000 (the binomial spread of 300 images at ~3% is about 1 point).
    expect(error).toBeLessThan(PRETRAINED['p4cnn-mnist-rot'].testError + 3);
    model.dispose();
  });

  it('gives the same class under quarter turns, and probabilities that sum to 1', async () => {
    const model = await loadPretrained('p4cnn-mnist-rot');
    const batch = tf.slice(pixels, [0, 0, 0, 0], [32, 28, 28, 1]);
    const [scores, ...turned] = [0, 1, 2, 3].map((k) =>
      tf.tidy(() => {
        // k quarter turns of every image (transpose then flip the rows: a quarter turn)
        let y = batch as tf.Tensor4D;
        for (let i = 0; i < k; i++) y = tf.reverse(tf.transpose(y, [0, 2, 1, 3]), 1);
        return (model.predict(y) as tf.Tensor).arraySync() as number[][];
      }),
    );
    let largest = 0;
    for (const other of turned) {
      other.forEach((row, n) => {
        for (const [c, p] of row.entries()) largest = Math.max(largest, Math.abs(p - scores![n]![c]!));
      });
    }
    expect(largest).toBeLessThan(1e-4);
    for (const row of scores!) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    batch.dispose();
    model.dispose();
  });

  it('loads the Z2CNN as well, which does change under quarter turns', async () => {
    const model = await loadPretrained('z2cnn-mnist-rot');
    const batch = tf.slice(pixels, [0, 0, 0, 0], [32, 28, 28, 1]);
    const change = tf.tidy(() => {
      const turned = tf.reverse(tf.transpose(batch, [0, 2, 1, 3]), 1);
      return tf
        .max(tf.abs(tf.sub(model.predict(batch) as tf.Tensor, model.predict(turned) as tf.Tensor)))
        .dataSync()[0]!;
    });
    expect(change).toBeGreaterThan(0.1);
    expect(PRETRAINED['z2cnn-mnist-rot'].model).toBe('z2cnn');
    batch.dispose();
    model.dispose();
  });

  it('records how it was trained', () => {
    const info = PRETRAINED['p4cnn-mnist-rot'];
    expect(info.model).toBe('p4cnn');
    expect(info.command).toMatch(/gcnn/);
    expect(info.normalization.std).toBeGreaterThan(0);
  });
});

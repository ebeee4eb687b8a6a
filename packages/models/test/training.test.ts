import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { allCnnC, p4cnn, p4cnnRotationPooling, resnet, z2cnn } from '../src/index.js';
import { randomImages, withSeededMathRandom } from './helpers.js';

// A few Adam steps on one tiny fixed batch must lower the loss, without leaking tensors. The cpu backend's filter
// gradient is slow (a few MFLOP/s), so the MNIST models see 2 images, and the CIFAR architectures (the paper's
// layer sequence with narrow widths) see 16x16 images, which their global pooling accepts.
const cases: [string, () => tfl.LayersModel, [number, number, number, number], number][] = [
  ['Z2CNN', () => z2cnn({ seed: 1 }), [2, 28, 28, 1], 4],
  ['P4CNN', () => p4cnn({ seed: 1 }), [2, 28, 28, 1], 4],
  ['P4CNNRotationPooling', () => p4cnnRotationPooling({ seed: 1 }), [2, 28, 28, 1], 4],
  [
    'All-CNN-C Z2',
    () => allCnnC({ group: 'Z2', widths: [16, 24], inputShape: [16, 16, 3], seed: 1 }),
    [4, 16, 16, 3],
    12,
  ],
  [
    'All-CNN-C p4',
    () => allCnnC({ group: 'p4', widths: [6, 8], inputShape: [16, 16, 3], seed: 1 }),
    [4, 16, 16, 3],
    12,
  ],
  [
    'All-CNN-C p4m',
    () => allCnnC({ group: 'p4m', widths: [3, 4], inputShape: [16, 16, 3], seed: 1 }),
    [4, 16, 16, 3],
    8,
  ],
  [
    'ResNet Z2',
    () => resnet({ group: 'Z2', blocksPerStage: 1, widths: [4, 6, 8], inputShape: [16, 16, 3], seed: 1 }),
    [4, 16, 16, 3],
    8,
  ],
  [
    'ResNet p4m',
    () => resnet({ group: 'p4m', blocksPerStage: 1, widths: [2, 3, 4], inputShape: [16, 16, 3], seed: 1 }),
    [4, 16, 16, 3],
    8,
  ],
];

describe('training steps on the cpu backend', () => {
  it.each(cases)(
    '%s: the loss goes down and no tensor leaks',
    async (_, build, shape, steps) => {
      const model = build();
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const xs = randomImages(shape);
      const ys = tf.oneHot(tf.tensor1d([3, 7, 1, 5].slice(0, shape[0]), 'int32'), 10);
      const losses: number[] = [];
      let tensorsAfterFirstStep = 0;
      // Dropout draws its masks from Math.random: seed it so the test gives the same losses on every run.
      await withSeededMathRandom(1, async () => {
        for (let step = 0; step < steps; step += 1) {
          losses.push((await model.trainOnBatch(xs, ys)) as number);
          if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
        }
      });
      expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.8);
      tf.dispose([xs, ys]);
      model.dispose();
      // Generous: a few seconds alone, but the cpu backend is single-threaded and the machine may be shared.
    },
    300_000,
  );
});

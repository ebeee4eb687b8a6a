import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveSeed, recomputeBatchNormStatistics, seededUniform, withMathRandom } from '../src/index.js';
import './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;

describe('seeded randomness', () => {
  it("derives distinct, stable seeds and reproducible streams from @gcnn/data's Rng", () => {
    expect(deriveSeed(0, 'order', 1)).toBe(deriveSeed(0, 'order', 1));
    expect(
      new Set([deriveSeed(0, 'order', 1), deriveSeed(0, 'order', 2), deriveSeed(1, 'order', 1)]).size,
    ).toBe(3);
    const draws = (seed: number) => Array.from({ length: 100 }, seededUniform(seed));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7).every((x) => x >= 0 && x < 1)).toBe(true);
    // named purposes and extra words give other streams; seeds beyond 32 bits keep all their bits
    expect(deriveSeed(0, 'order')).not.toBe(deriveSeed(0, 'dropout'));
    expect(deriveSeed(2 ** 40, 'init')).not.toBe(deriveSeed(0, 'init'));
  });

  it('seeds tfjs random ops through Math.random and restores it, even on errors', () => {
    const original = Math.random;
    const draw = () =>
      withMathRandom(seededUniform(5), () => tf.tidy(() => Array.from(tf.randomNormal([4]).dataSync())));
    expect(draw()).toEqual(draw());
    expect(() =>
      withMathRandom(seededUniform(1), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });
});

describe('recomputeBatchNormStatistics', () => {
  it('sets moving mean and variance to the plain average of per-batch statistics, with dropout off', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'ones', useBias: false }),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.batchNormalization({ momentum: 0.99 }),
      ],
    });
    const batches = [0, 1, 2].map((i) => tf.randomNormal([5 + i, 4], i, 1 + i, 'float32', 10 + i));
    // expected: the dense outputs are x·1 per unit, so per-batch stats are those of the row sums
    const expectedMean = new Float64Array(3);
    const expectedVar = new Float64Array(3);
    for (const b of batches) {
      const sums = Array.from(tf.tidy(() => tf.sum(b, 1)).dataSync());
      const m = mean(sums);
      const v = sums.reduce((s, x) => s + (x - m) ** 2, 0) / sums.length;
      for (let u = 0; u < 3; u++) {
        expectedMean[u]! += m / batches.length;
        expectedVar[u]! += v / batches.length;
      }
    }
    const count = await recomputeBatchNormStatistics(model, async (forward) => {
      for (const b of batches) forward(b);
    });
    expect(count).toBe(3);
    const bn = model.layers[2] as unknown as { momentum: number };
    expect(bn.momentum).toBe(0.99);
    expect((model.layers[1] as unknown as { rate: number }).rate).toBe(0.5);
    const [, , , movingMean, movingVar] = model.getWeights().map((w) => Array.from(w.dataSync()));
    for (let u = 0; u < 3; u++) {
      expect(movingMean![u]).toBeCloseTo(expectedMean[u]!, 4);
      expect(movingVar![u]).toBeCloseTo(expectedVar[u]!, 3);
    }
    tf.dispose(batches);
    model.dispose();
  });
});

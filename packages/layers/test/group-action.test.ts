import { p4, p4m } from '@gcnn/group';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actOnFeatureMap, actOnZ2 } from '../src/index.js';

describe('actOnZ2', () => {
  const image = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]); // [[1, 2, 3], [4, 5, 6]]
  const grid = (t: tf.Tensor) => tf.tidy(() => tf.squeeze(t, [0, 3]).arraySync());

  it('index 1 is numpy rot90 (counter-clockwise), index 4 flips rows, index 5 transposes', () => {
    expect(grid(actOnZ2(image, 'p4', 1))).toEqual([
      [3, 6],
      [2, 5],
      [1, 4],
    ]);
    expect(grid(actOnZ2(image, 'p4m', 4))).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(grid(actOnZ2(image, 'p4m', p4m.element({ m: 1, r: 1 })))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('rejects translations, mirrors in p4 and out-of-range indices', () => {
    expect(() => actOnZ2(image, 'p4', p4.element({ r: 1, u: 1 }))).toThrow(/only stabiliser elements/);
    expect(() => actOnZ2(image, 'p4', p4m.element({ m: 1, r: 0 }))).toThrow(/not in p4/);
    expect(() => actOnZ2(image, 'p4', 4)).toThrow(/\[0, 4\)/);
    expect(() => actOnZ2(tf.zeros([3, 3]) as unknown as tf.Tensor4D, 'p4', 1)).toThrow(/rank 4/);
  });
});

describe('actOnFeatureMap', () => {
  it('rolls the rotation axis of a p4 map: plane s of L_r f is the rotated plane s − r of f', () => {
    // One channel, 1×1 space: only the plane permutation is visible.
    const f = tf.tensor4d([10, 11, 12, 13], [1, 1, 1, 4]);
    const moved = actOnFeatureMap(f, 'p4', 1);
    expect(Array.from(moved.dataSync())).toEqual([13, 10, 11, 12]);
    tf.dispose([f, moved]);
  });

  for (const [name, group] of [
    ['p4', p4],
    ['p4m', p4m],
  ] as const) {
    it(`${name}: L_a L_b f = L_ab f and L_e f = f (a left action, odd and even sizes)`, () => {
      const n = group.stabilizerSize;
      const cayley = group.cayleyTable();
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: n - 1 }),
          fc.integer({ min: 0, max: n - 1 }),
          fc.integer({ min: 2, max: 5 }),
          (a, b, size) => {
            tf.tidy(() => {
              const f = tf.randomNormal([1, size, size, 2 * n], 0, 1, 'float32', size) as tf.Tensor4D;
              const twoSteps = actOnFeatureMap(actOnFeatureMap(f, name, b), name, a);
              const oneStep = actOnFeatureMap(f, name, cayley[a]?.[b] as number);
              expect(Array.from(twoSteps.dataSync())).toEqual(Array.from(oneStep.dataSync()));
              expect(Array.from(actOnFeatureMap(f, name, 0).dataSync())).toEqual(Array.from(f.dataSync()));
            });
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('rejects a map whose plane count is not a multiple of n', () => {
    const f = tf.zeros([1, 3, 3, 12]) as tf.Tensor4D;
    expect(() => actOnFeatureMap(f, 'p4m', 1)).toThrow(/C·8 planes.*got 12 planes/);
    f.dispose();
  });
});

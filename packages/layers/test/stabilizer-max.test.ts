import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { stabilizerMax } from '../src/index.js';
import { maxDifference, randomValues } from './helpers.js';

describe('stabilizerMax', () => {
  it.each([4, 8])('matches tf.max over the stabiliser axis and its gradient (n = %i)', (n) => {
    const x = tf.tensor4d(randomValues(2 * 3 * 5 * 3 * n, 11), [2, 3, 5, 3 * n]);
    const dy = tf.tensor4d(randomValues(2 * 3 * 5 * 3, 12), [2, 3, 5, 3]);
    const reference = (t: tf.Tensor) => tf.max(tf.reshape(t, [2, 3, 5, 3, n]), 4);
    const ours = (t: tf.Tensor) => stabilizerMax(t as tf.Tensor4D, n);
    expect(maxDifference(ours(x), reference(x)).abs).toBe(0);
    // Random values have no ties, so the gradient of the max is unique.
    const grad = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)))(x);
    expect(maxDifference(grad(ours), grad(reference)).abs).toBe(0);
  });
});

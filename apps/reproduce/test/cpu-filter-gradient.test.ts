import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuFilterGradient } from '../src/integrations/cpu-filter-gradient.js';

type Case = {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: 'valid' | 'same' | number;
};

const cases: Case[] = [
  { x: [2, 9, 9, 3], k: 3, cout: 4, stride: 1, pad: 'valid' },
  { x: [2, 9, 8, 3], k: 3, cout: 2, stride: 2, pad: 'same' },
  { x: [3, 10, 10, 2], k: 4, cout: 3, stride: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], k: 3, cout: 5, stride: 2, pad: 1 },
  { x: [1, 7, 7, 4], k: 1, cout: 3, stride: 2, pad: 'valid' },
];

interface Measured {
  values: Float32Array;
  tensorsBefore: number;
  tensorsAfter: number;
  buffersBefore: number;
  buffersAfter: number;
  inputIntact: boolean;
}

function filterGradient(c: Case, seed: number): Measured {
  const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
  const w = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
  const xValues = x.dataSync().slice();
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.memory().numDataBuffers;
  let values: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    const g = tf.grad((filter: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, c.stride, c.pad))),
    )(w);
    values = g.dataSync().slice() as Float32Array;
  });
  const tensorsAfter = tf.memory().numTensors;
  const buffersAfter = tf.memory().numDataBuffers;
  const inputIntact = x.dataSync().every((v, i) => v === xValues[i]);
  tf.dispose([x, w]);
  return { values, tensorsBefore, tensorsAfter, buffersBefore, buffersAfter, inputIntact };
}

describe('registerFastCpuFilterGradient', () => {
  const reference: Float32Array[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    cases.forEach((c, i) => {
      reference.push(filterGradient(c, 10 + i).values);
    });
    registerFastCpuFilterGradient();
  });

  it.each(cases.map((c, i) => [i, c] as const))('matches tfjs on case %i', (i, c) => {
    const { values, tensorsBefore, tensorsAfter, buffersBefore, buffersAfter, inputIntact } = filterGradient(
      c,
      10 + i,
    );
    const expected = reference[i]!;
    expect(values.length).toBe(expected.length);
    const scale = Math.max(...expected.map(Math.abs));
    for (let k = 0; k < values.length; k++)
      expect(Math.abs(values[k]! - expected[k]!)).toBeLessThan(1e-4 * scale);
    expect(tensorsAfter).toBe(tensorsBefore);
    expect(buffersAfter).toBe(buffersBefore);
    expect(inputIntact).toBe(true);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuTrainingKernels, selectBackend } from '../src/index.js';
import { expectClose, randomValues } from './helpers.js';

interface Case {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number | [number, number];
  pad: 'valid' | 'same' | number;
}

// Every stride, padding and kernel size the paper's models use, plus odd and even sizes where a stride
// leaves rows unused and a 1-channel input (the lifting layer). Unequal strides only with 'same'/'valid':
// tfjs computes the output size of a numeric padding with the height stride for both axes.
const cases: Case[] = [
  { x: [2, 9, 9, 3], k: 3, cout: 4, stride: 1, pad: 'valid' },
  { x: [2, 9, 8, 3], k: 3, cout: 2, stride: 2, pad: 'same' },
  { x: [2, 10, 10, 3], k: 3, cout: 2, stride: 2, pad: 'same' },
  { x: [3, 10, 10, 2], k: 4, cout: 3, stride: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], k: 3, cout: 5, stride: 2, pad: 1 },
  { x: [2, 8, 7, 3], k: 3, cout: 2, stride: [1, 2], pad: 'same' },
  { x: [2, 8, 7, 3], k: 3, cout: 2, stride: 1, pad: 2 },
  { x: [1, 7, 7, 4], k: 1, cout: 3, stride: 2, pad: 'valid' },
  { x: [4, 12, 12, 1], k: 3, cout: 8, stride: 1, pad: 'same' },
  { x: [2, 6, 6, 40], k: 3, cout: 40, stride: 1, pad: 'valid' },
];

/** Runs Conv2DBackpropFilter through the engine (whatever kernel is registered) for a case. */
function filterGradient(c: Case, seed: number): Float32Array {
  const x = tf.tensor4d(
    randomValues(
      c.x.reduce((a, b) => a * b, 1),
      seed,
    ),
    c.x,
  );
  const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.cout];
  const zeros = tf.zeros(filterShape) as tf.Tensor4D;
  const forward = tf.conv2d(x, zeros, c.stride, c.pad);
  const dy = tf.tensor4d(randomValues(forward.size, seed + 1), forward.shape);
  const out = tf.engine().runKernel(
    'Conv2DBackpropFilter',
    { x, dy } as never,
    {
      strides: c.stride,
      pad: c.pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
      filterShape,
    } as never,
  ) as tf.Tensor;
  const values = out.dataSync().slice() as Float32Array;
  tf.dispose([x, zeros, forward, dy, out]);
  return values;
}

describe('registerCpuTrainingKernels (fast Conv2DBackpropFilter on the cpu backend)', () => {
  const reference: Float32Array[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    // tfjs' own kernel, before ours replaces it
    cases.forEach((c, i) => {
      reference.push(filterGradient(c, 10 + 2 * i));
    });
    const report = await selectBackend('cpu');
    expect(report.kernels.map((k) => k.name)).toEqual(['Conv2DBackpropFilter']);
  });

  it.each(cases.map((c, i) => [i, JSON.stringify(c), c] as const))(
    'matches tfjs on case %i %s',
    (i, _label, c) => {
      const before = tf.memory();
      const values = filterGradient(c, 10 + 2 * i);
      expectClose(values, reference[i] as Float32Array);
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
    },
  );

  it('gives tf.grad of a convolution the same filter gradient and leaves its input intact', () => {
    const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, 5), [2, 9, 9, 3]);
    const w = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
    const xBefore = x.dataSync().slice();
    const g = tf.grad((filter: tf.Tensor) => tf.sum(tf.conv2d(x, filter as tf.Tensor4D, 2, 'same')))(w);
    const dy = tf.onesLike(tf.conv2d(x, w, 2, 'same'));
    // the reference, independent of any kernel: with dy = 1, dW[i, j, ci, co] sums the input under each tap
    const manual = new Float32Array(w.size);
    const xv = x.dataSync();
    const [n, h, wd, cin] = x.shape;
    const [oh, ow] = dy.shape.slice(1) as [number, number];
    // 'same' with stride 2 on 9x9: output 5x5, padding 1 on each side
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let ci = 0; ci < cin; ci++) {
          let s = 0;
          for (let b = 0; b < n; b++)
            for (let r = 0; r < oh; r++)
              for (let q = 0; q < ow; q++) {
                const y = 2 * r + i - 1;
                const z = 2 * q + j - 1;
                if (y >= 0 && y < h && z >= 0 && z < wd) s += xv[((b * h + y) * wd + z) * cin + ci] as number;
              }
          for (let co = 0; co < 4; co++) manual[((i * 3 + j) * cin + ci) * 4 + co] = s;
        }
    expectClose(g.dataSync(), manual);
    expect(x.dataSync()).toEqual(xBefore);
    tf.dispose([x, w, g, dy]);
  });

  it('is idempotent', () => {
    expect(registerCpuTrainingKernels()).toBe(registerCpuTrainingKernels());
  });
});

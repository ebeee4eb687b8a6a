import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, onCpu, randomValues, runKernel, useWasm } from './helpers.js';

beforeAll(async () => {
  await useWasm(1);
});

type Pad = 'valid' | 'same' | number;

interface ConvCase {
  n: number;
  size: [number, number];
  cIn: number;
  cOut: number;
  k: number;
  stride: number;
  pad: Pad;
}

// Every kernel size, stride and padding that the paper's models use (k 1, 3, 4; stride 1, 2; valid, same,
// symmetric numbers), plus odd/even sizes so that strided convolutions leave unread rows and columns.
const cases: ConvCase[] = [];
for (const k of [1, 3, 4]) {
  for (const stride of [1, 2]) {
    for (const pad of ['valid', 'same', 0, 1, 2] as Pad[]) {
      for (const size of [
        [7, 7],
        [8, 6],
      ] as [number, number][]) {
        if (typeof pad === 'number' && pad >= k) continue;
        cases.push({ n: 3, size, cIn: 5, cOut: 6, k, stride, pad });
      }
    }
  }
}
// One input plane (a lifting layer on grey images: the small-patch path of the filter gradient).
for (const k of [3, 4]) {
  for (const stride of [1, 2]) {
    for (const pad of ['valid', 'same', 1] as Pad[])
      cases.push({ n: 3, size: [9, 8], cIn: 1, cOut: 7, k, stride, pad });
    // C_out a multiple of 4: the SIMD column-sum path of the small-patch filter gradient.
    cases.push({ n: 3, size: [9, 8], cIn: 1, cOut: 8, k, stride, pad: 1 });
  }
}
// P4CNN-like planes: 40 in, 40 out; and the lifting layer (1 plane in, 40 out).
cases.push({ n: 2, size: [28, 28], cIn: 1, cOut: 40, k: 3, stride: 1, pad: 'valid' });
cases.push({ n: 2, size: [12, 12], cIn: 40, cOut: 40, k: 3, stride: 1, pad: 'valid' });
cases.push({ n: 2, size: [16, 16], cIn: 12, cOut: 24, k: 3, stride: 2, pad: 1 });
// 3×3 stride-1 layers whose input gradient runs through Winograd (channels multiples of 4, at least 8).
for (const pad of ['valid', 'same', 1, 2] as Pad[]) {
  cases.push({ n: 2, size: [9, 8], cIn: 8, cOut: 12, k: 3, stride: 1, pad });
  cases.push({ n: 2, size: [14, 13], cIn: 12, cOut: 8, k: 3, stride: 1, pad });
}

function padAttr(pad: Pad): 'valid' | 'same' | number[][] {
  return typeof pad === 'number'
    ? [
        [0, 0],
        [pad, pad],
        [pad, pad],
        [0, 0],
      ]
    : pad;
}

function describeCase(c: ConvCase): string {
  return `n${c.n} ${c.size.join('x')}x${c.cIn} -> ${c.cOut}, k${c.k} s${c.stride} pad ${c.pad}`;
}

function outSize(c: ConvCase): [number, number] {
  const out = (size: number) => {
    if (c.pad === 'same') return Math.ceil(size / c.stride);
    const p = c.pad === 'valid' ? 0 : c.pad;
    return Math.floor((size + 2 * p - c.k) / c.stride) + 1;
  };
  return [out(c.size[0]), out(c.size[1])];
}

describe('Conv2DBackpropFilter on wasm matches the cpu backend', () => {
  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', async (_, c) => {
    const [oh, ow] = outSize(c);
    const xShape = [c.n, c.size[0], c.size[1], c.cIn];
    const dyShape = [c.n, oh, ow, c.cOut];
    const xValues = randomValues(
      xShape.reduce((a, b) => a * b),
      1,
    );
    const dyValues = randomValues(
      dyShape.reduce((a, b) => a * b),
      2,
    );
    const attrs = {
      strides: [c.stride, c.stride],
      pad: padAttr(c.pad),
      dataFormat: 'NHWC',
      filterShape: [c.k, c.k, c.cIn, c.cOut],
    };
    const run = () => {
      const x = tf.tensor(xValues, xShape);
      const dy = tf.tensor(dyValues, dyShape);
      const out = runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
      x.dispose();
      dy.dispose();
      return out;
    };
    const expected = await onCpu(run);
    const actual = run();
    expect(actual.length).toBe(c.k * c.k * c.cIn * c.cOut);
    expectClose(actual, expected);
  });
});

describe('Conv2DBackpropInput on wasm matches the cpu backend', () => {
  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', async (_, c) => {
    const [oh, ow] = outSize(c);
    const inputShape = [c.n, c.size[0], c.size[1], c.cIn];
    const dyShape = [c.n, oh, ow, c.cOut];
    const wShape = [c.k, c.k, c.cIn, c.cOut];
    const dyValues = randomValues(
      dyShape.reduce((a, b) => a * b),
      3,
    );
    const wValues = randomValues(
      wShape.reduce((a, b) => a * b),
      4,
    );
    const attrs = { strides: [c.stride, c.stride], pad: padAttr(c.pad), dataFormat: 'NHWC', inputShape };
    const run = () => {
      const dy = tf.tensor(dyValues, dyShape);
      const filter = tf.tensor(wValues, wShape);
      const out = runKernel('Conv2DBackpropInput', { dy, filter }, attrs);
      dy.dispose();
      filter.dispose();
      return out;
    };
    const expected = await onCpu(run);
    const actual = run();
    expect(actual.length).toBe(inputShape.reduce((a, b) => a * b));
    expectClose(actual, expected);
  });

  it('falls back to the original kernel for unequal strides, still matching cpu', async () => {
    const inputShape = [2, 9, 8, 3];
    const dyShape = [2, 4, 6, 4];
    const dyValues = randomValues(48 * 4, 5);
    const wValues = randomValues(3 * 3 * 3 * 4, 6);
    const attrs = { strides: [2, 1], pad: 'valid', dataFormat: 'NHWC', inputShape };
    const run = () => {
      const dy = tf.tensor(dyValues, dyShape);
      const filter = tf.tensor(wValues, [3, 3, 3, 4]);
      const out = runKernel('Conv2DBackpropInput', { dy, filter }, attrs);
      dy.dispose();
      filter.dispose();
      return out;
    };
    expectClose(run(), await onCpu(run));
  });
});

describe('conv2d gradients through tf.grad on wasm', () => {
  it('match the cpu backend for a fused conv with a reshaped bias and relu', async () => {
    const xValues = randomValues(2 * 9 * 9 * 4, 7);
    const wValues = randomValues(3 * 3 * 4 * 8, 8);
    const bValues = randomValues(8, 9);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, [2, 9, 9, 4]);
        const w = tf.tensor4d(wValues, [3, 3, 4, 8]);
        const b = tf.tensor1d(bValues);
        const loss = (xx: tf.Tensor4D, ww: tf.Tensor4D, bb: tf.Tensor1D) => {
          // A bias made by reshape (one value per G-channel repeated over its planes) must be accepted.
          const bias = tf.reshape(tf.tile(tf.reshape(bb, [4, 2]), [1, 1]), [8]);
          const y = tf.fused.conv2d({ x: xx, filter: ww, strides: 2, pad: 'same', bias, activation: 'relu' });
          return tf.sum(tf.mul(y, y));
        };
        const grads = tf.grads(loss as never)([x, w, b]);
        return grads.map((g) => Array.from(g.dataSync()));
      });
    const expected = await onCpu(run);
    const actual = run();
    for (let i = 0; i < 3; i++) expectClose(actual[i] as number[], expected[i] as number[]);
  });
});

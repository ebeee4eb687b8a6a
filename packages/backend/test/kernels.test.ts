import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { compareWithCpu, randomValues, useWasm } from './helpers.js';

beforeAll(async () => {
  await useWasm(1);
});

describe('BatchMatMul on wasm', () => {
  const shapes: [string, number[], number[], boolean, boolean][] = [
    ['plain', [6, 5], [5, 7], false, false],
    ['transposeA (gradient Aᵀ·dy)', [5, 6], [5, 7], true, false],
    ['transposeB (gradient dy·Bᵀ)', [6, 5], [7, 5], false, true],
    ['both transposed', [5, 6], [7, 5], true, true],
    ['rank 3 with one matrix', [1, 6, 5], [1, 7, 5], false, true],
    ['broadcast rank 3 x rank 2', [1, 6, 5], [5, 7], false, false],
    ['one row (ones vector times activations)', [1, 300], [300, 40], false, false],
    ['few rows, transposeA', [300, 3], [300, 8], true, false],
    ['few rows, transposeB', [2, 300], [9, 300], false, true],
    ['inner size 1 (outer product)', [300, 1], [1, 40], false, false],
    ['inner size 1, transposeA', [1, 300], [1, 40], true, false],
    ['batched (original kernel)', [3, 4, 5], [3, 5, 2], false, false],
    ['batched, transposed (original kernel)', [3, 5, 4], [3, 2, 5], true, true],
  ];
  it.each(shapes)('%s', async (_, aShape, bShape, transposeA, transposeB) => {
    const a = randomValues(
      aShape.reduce((p, q) => p * q),
      11,
    );
    const b = randomValues(
      bShape.reduce((p, q) => p * q),
      12,
    );
    await compareWithCpu(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB));
  });
});

describe('BatchMatMul column sums (a ones row, as @gcnn/layers computes batch-norm moments)', () => {
  it.each([1, 0.5])('a constant row of %s times [300, 40]', async (value) => {
    const b = randomValues(300 * 40, 23);
    await compareWithCpu(() => tf.matMul(tf.fill([1, 300], value), tf.tensor2d(b, [300, 40])));
    await compareWithCpu(() => tf.matMul(tf.fill([300, 1], value), tf.tensor2d(b, [300, 40]), true, false));
  });
});

describe('Sum and Mean on wasm', () => {
  const cases: [number[], number[], boolean][] = [
    [[4, 5, 6, 7], [0, 1, 2], false],
    [[4, 5, 6, 7], [0, 1, 2], true],
    [[4, 5, 6, 7], [0], false],
    [[4, 5, 3, 4], [0, 1, 3], false],
    [[4, 5, 3, 4], [0, 3], true],
    [[4, 5, 6, 7], [2, 3], false],
    [[4, 5, 6, 7], [1, 3], false],
    [[4, 5, 6, 7], [0, 2], false],
    [[4, 5, 6, 7], [1, 2], false],
    [[4, 5, 6, 7], [1, 2], true],
    [[4, 5, 6, 7, 3], [2, 3], false],
    [[300, 40], [0], false],
    [[4, 5, 6, 7], [-4, -3], false],
  ];
  for (const [shape, axes, keepDims] of cases) {
    it(`over axes [${axes}] of [${shape}]${keepDims ? ', keepDims' : ''}`, async () => {
      const values = randomValues(
        shape.reduce((p, q) => p * q),
        13,
      );
      await compareWithCpu(() => tf.sum(tf.tensor(values, shape), axes, keepDims));
      await compareWithCpu(() => tf.mean(tf.tensor(values, shape), axes, keepDims));
    });
  }
  it('keeps integer sums exact', async () => {
    const ints = Array.from({ length: 120 }, (_, i) => (i * 7) % 13);
    await compareWithCpu(() => tf.sum(tf.tensor(ints, [2, 3, 4, 5], 'int32'), [0, 1]), 0);
  });
});

describe('UnsortedSegmentSum (the gather gradient) on wasm', () => {
  it('matches cpu, dropping ids out of range', async () => {
    const x = randomValues(12 * 7, 14);
    const ids = [0, 3, 3, 1, 5, 0, 2, -1, 4, 9, 1, 1];
    await compareWithCpu(() => tf.unsortedSegmentSum(tf.tensor2d(x, [12, 7]), tf.tensor1d(ids, 'int32'), 6));
  });
  it('gives the gradient of gather, as in a G-convolution filter expansion', async () => {
    const w = randomValues(9 * 4 * 10, 15);
    const idx = Array.from({ length: 144 }, (_, i) => (i * 5) % 36);
    await compareWithCpu(() =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, tf.tensor1d(idx, 'int32')))))(
        tf.tensor2d(w, [36, 10]),
      ),
    );
  });
});

describe('MaxPoolGrad on wasm', () => {
  const cases: [string, number, number, 'valid' | 'same', number[]][] = [
    ['2x2 stride 2 valid (the models)', 2, 2, 'valid', [2, 8, 8, 5]],
    ['2x2 stride 2 valid, odd size', 2, 2, 'valid', [2, 9, 7, 3]],
    ['3x3 stride 2 same', 3, 2, 'same', [2, 9, 8, 4]],
    ['3x3 stride 1 same', 3, 1, 'same', [1, 6, 6, 3]],
  ];
  it.each(cases)('%s', async (_, k, s, pad, shape) => {
    const values = randomValues(
      shape.reduce((p, q) => p * q),
      16,
    );
    const x = () => tf.tensor4d(values, shape as [number, number, number, number]);
    const outShape = tf.tidy(() => tf.maxPool(x(), k, s, pad).shape);
    const upstream = randomValues(
      outShape.reduce((p, q) => p * q),
      20,
    );
    await compareWithCpu(() =>
      tf.grad((v: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, k, s, pad), tf.tensor(upstream, outShape))),
      )(x()),
    );
  });
  it('sends a tie (ReLU zeros) to the first position, like cpu', async () => {
    const values = randomValues(2 * 6 * 6 * 3, 17).map((v) => Math.max(0, v));
    const upstream = randomValues(2 * 3 * 3 * 3, 18);
    await compareWithCpu(() =>
      tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d(upstream, [2, 3, 3, 3]))),
      )(tf.tensor4d(values, [2, 6, 6, 3])),
    );
  });
});

describe('Tile on wasm', () => {
  it('matches cpu for random shapes and repetitions (float32, int32, bool)', async () => {
    const arb = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), {
        minLength: 1,
        maxLength: 5,
      })
      .chain((axes) => fc.tuple(fc.constant(axes), fc.constantFrom('float32', 'int32', 'bool')));
    for (const [axes, dtype] of fc.sample(arb, { numRuns: 100, seed: 7 })) {
      const shape = axes.map(([s]) => s);
      const reps = axes.map(([, r]) => r);
      const size = shape.reduce((p, q) => p * q, 1);
      const values = Array.from(randomValues(size, size + reps.length), (v) =>
        dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0,
      );
      await compareWithCpu(() => tf.tile(tf.tensor(values, shape, dtype as tf.DataType), reps), 0);
    }
  });
  it('tiles a per-channel vector to an activation shape, as the batch-norm gradient does', async () => {
    const values = randomValues(20, 24);
    await compareWithCpu(() => tf.tile(tf.tensor4d(values, [1, 1, 1, 20]), [4, 6, 6, 1]), 0);
  });
});

describe('Transpose on wasm', () => {
  it('matches cpu for random shapes and permutations (float32, int32, bool)', async () => {
    const arb = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 })
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }),
          fc.constantFrom('float32', 'int32', 'bool'),
        ),
      );
    const samples = fc.sample(arb, { numRuns: 120, seed: 42 });
    for (const [shape, perm, dtype] of samples) {
      const size = shape.reduce((p, q) => p * q, 1);
      const values = Array.from(randomValues(size, size + perm.length), (v) =>
        dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0,
      );
      await compareWithCpu(() => tf.transpose(tf.tensor(values, shape, dtype as tf.DataType), perm), 0);
    }
  });
  it('handles the activation transposes of the filter gradient', async () => {
    const values = randomValues(3 * 5 * 5 * 7, 19);
    await compareWithCpu(() => tf.transpose(tf.tensor4d(values, [3, 5, 5, 7]), [3, 1, 2, 0]), 0);
    await compareWithCpu(() => tf.transpose(tf.tensor4d(values, [3, 5, 5, 7]), [1, 2, 0, 3]), 0);
  });
});

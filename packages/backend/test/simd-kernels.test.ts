import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackendLike } from '../src/wasm/kernel-context.js';
import { BATCH_NORM_KERNELS } from '../src/wasm/kernels/batch-norm-kernels.js';
import { setWinogradTile } from '../src/wasm/kernels/winograd.js';
import { assembleModule } from '../src/wasm/simd/assembler.js';
import {
  programMatrix,
  SIMD_FUNCTIONS,
  transposed,
  WINOGRAD_MATRICES,
  WINOGRAD_PROGRAMS,
} from '../src/wasm/simd/simd-kernels.js';
import { type SimdExports, simdKernels } from '../src/wasm/simd/simd-module.js';
import { compareWithCpu, expectClose, onCpu, randomValues, useWasm } from './helpers.js';

// The SIMD module (hand-assembled WebAssembly on the wasm backend's heap) behind Transpose, Sum/Mean and the
// skinny BatchMatMul: every shape class it covers against the cpu backend.

beforeAll(async () => {
  await useWasm(1);
});

describe('the SIMD module', () => {
  it('is instantiated on the wasm backend heap', () => {
    expect(simdKernels(tf.backend() as unknown as WasmBackendLike)).not.toBeNull();
  });

  it('assembles for a shared memory too (the threaded backend) and transposes there', () => {
    const WA = (
      globalThis as unknown as {
        WebAssembly: {
          Memory: new (d: object) => { buffer: ArrayBuffer };
          Module: new (bytes: Uint8Array) => object;
          Instance: new (m: object, imports: object) => { exports: unknown };
        };
      }
    ).WebAssembly;
    const memory = new WA.Memory({ initial: 1, maximum: 4, shared: true });
    const module = new WA.Module(assembleModule(SIMD_FUNCTIONS, true));
    const simd = new WA.Instance(module, { env: { memory } }).exports as unknown as SimdExports;
    const heap = new Float32Array(memory.buffer);
    const [rows, cols] = [8, 12];
    for (let i = 0; i < rows * cols; i++) heap[i] = i;
    simd.transpose4(0, 4096, rows, cols, cols, rows, 1, 0, 0);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) expect(heap[1024 + c * rows + r]).toBe(r * cols + c);
    }
  });
});

describe('Transpose with the SIMD module', () => {
  it('matches cpu for random shapes up to 40 per axis and random permutations (float32, int32)', async () => {
    const arb = fc
      .array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 5 })
      .filter((shape) => shape.reduce((p, q) => p * q, 1) <= 200_000)
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }),
          fc.constantFrom('float32', 'int32'),
        ),
      );
    for (const [shape, perm, dtype] of fc.sample(arb, { numRuns: 60, seed: 7 })) {
      const size = shape.reduce((p, q) => p * q, 1);
      const values = Array.from(randomValues(size, size + 3), (v) =>
        dtype === 'int32' ? Math.round(v * 1000) : v,
      );
      await compareWithCpu(() => tf.transpose(tf.tensor(values, shape, dtype as tf.DataType), perm), 0);
    }
  });

  it('handles both activation transposes of a filter gradient, with edges and row blocks', async () => {
    for (const shape of [
      [6, 9, 9, 40],
      [13, 7, 7, 11],
      [5, 26, 26, 40],
    ] as [number, number, number, number][]) {
      const values = randomValues(
        shape.reduce((p, q) => p * q, 1),
        5,
      );
      await compareWithCpu(() => tf.transpose(tf.tensor4d(values, shape), [3, 1, 2, 0]), 0);
      await compareWithCpu(() => tf.transpose(tf.tensor4d(values, shape), [1, 2, 0, 3]), 0);
    }
  });
});

describe('column sums with the SIMD module', () => {
  it('Sum and Mean over leading axes (batch-norm statistics, bias gradients)', async () => {
    for (const shape of [
      [7, 9, 9, 40],
      [130, 12],
      [3, 5, 5, 6],
      [1, 1, 8],
    ]) {
      const values = randomValues(
        shape.reduce((p, q) => p * q, 1),
        11,
      );
      const axes = shape.slice(0, -1).map((_, i) => i);
      await compareWithCpu(() => tf.sum(tf.tensor(values, shape), axes));
      await compareWithCpu(() => tf.mean(tf.tensor(values, shape), axes, true));
    }
  });

  it('means over middle axes (global average pooling)', async () => {
    const values = randomValues(3 * 5 * 7 * 12, 12);
    await compareWithCpu(() => tf.mean(tf.tensor4d(values, [3, 5, 7, 12]), [1, 2]));
  });

  it('skinny matMuls: a ones row, weighted rows, and a width that is not a multiple of 4', async () => {
    for (const [m, k, n] of [
      [1, 1000, 40],
      [3, 333, 8],
      [2, 70, 6],
    ] as [number, number, number][]) {
      const b = randomValues(k * n, k);
      const weights = randomValues(m * k, m);
      await compareWithCpu(() => tf.matMul(tf.ones([m, k]), tf.tensor2d(b, [k, n])));
      await compareWithCpu(() => tf.matMul(tf.tensor2d(weights, [m, k]), tf.tensor2d(b, [k, n])));
    }
  });

  it('keeps float64 accuracy over many rows (large mean, small spread)', async () => {
    const rows = 100_000;
    const values = new Float32Array(rows * 4).map((_, i) => 1000 + ((i * 7919) % 13) / 13);
    await compareWithCpu(() => tf.sum(tf.tensor2d(values, [rows, 4]), 0), 1e-6);
  });
});

describe('fused batch-norm kernels (the contract @gcnn/layers uses)', () => {
  const run = (name: string, inputs: Record<string, tf.Tensor>) =>
    tf.engine().runKernel(name, inputs as never, {}) as tf.Tensor;
  const shapes: [number, number][] = [
    [1000, 40],
    [130, 20],
    [77, 6],
    [1, 8],
  ];
  for (const [rows, cols] of shapes) {
    const x = Array.from(randomValues(rows * cols, rows), (v, i) => 3 + 2 * v + (i % cols));
    const y = Array.from(randomValues(rows * cols, rows + 1));
    const [a, b, center, c] = [2, 3, 4, 5].map((seed) => Array.from(randomValues(cols, seed))) as [
      number[],
      number[],
      number[],
      number[],
    ];
    it(`GcnnColumnMoments matches tf.moments (${rows}×${cols})`, async () => {
      const actual = run(BATCH_NORM_KERNELS.columnMoments, { x: tf.tensor2d(x, [rows, cols]) }).dataSync();
      const expected = await onCpu(() => {
        const m = tf.moments(tf.tensor2d(x, [rows, cols]), 0);
        return [...m.mean.dataSync(), ...m.variance.dataSync()];
      });
      expectClose(actual, expected, 1e-5);
    });
    it(`GcnnColumnProductSums matches sums of products (${rows}×${cols})`, async () => {
      const actual = run(BATCH_NORM_KERNELS.columnProductSums, {
        x: tf.tensor2d(y, [rows, cols]),
        y: tf.tensor2d(x, [rows, cols]),
        center: tf.tensor1d(center),
      }).dataSync();
      const expected = await onCpu(() => {
        const dy = tf.tensor2d(y, [rows, cols]);
        const centred = tf.sub(tf.tensor2d(x, [rows, cols]), tf.tensor1d(center));
        return [...tf.sum(dy, 0).dataSync(), ...tf.sum(tf.mul(dy, centred), 0).dataSync()];
      });
      expectClose(actual, expected);
    });
    it(`GcnnColumnAffine matches x·a + b (+ (y − center)·c) (${rows}×${cols})`, async () => {
      const shape = rows % 2 === 0 ? [2, rows / 2, cols] : [rows, cols];
      await compareWithCpu(() =>
        tf.getBackend() === 'cpu'
          ? tf.add(tf.mul(tf.tensor(x, shape), tf.tensor1d(a)), tf.tensor1d(b))
          : run(BATCH_NORM_KERNELS.columnAffine, {
              x: tf.tensor(x, shape),
              a: tf.tensor1d(a),
              b: tf.tensor1d(b),
            }),
      );
      await compareWithCpu(() =>
        tf.getBackend() === 'cpu'
          ? tf.add(
              tf.add(tf.mul(tf.tensor(x, shape), tf.tensor1d(a)), tf.tensor1d(b)),
              tf.mul(tf.sub(tf.tensor(y, shape), tf.tensor1d(center)), tf.tensor1d(c)),
            )
          : run(BATCH_NORM_KERNELS.columnAffine, {
              x: tf.tensor(x, shape),
              a: tf.tensor1d(a),
              b: tf.tensor1d(b),
              y: tf.tensor(y, shape),
              center: tf.tensor1d(center),
              c: tf.tensor1d(c),
            }),
      );
    });
  }
});

describe('MaxPoolGrad (2×2, stride 2) with the SIMD module', () => {
  const grad = (x: tf.Tensor4D) =>
    tf.grad((input: tf.Tensor) => tf.sum(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid')))(x);
  for (const shape of [
    [2, 8, 8, 8],
    [3, 7, 9, 12],
    [1, 24, 24, 40],
  ] as [number, number, number, number][]) {
    it(`matches cpu on [${shape}] with ties (ReLU zeros) going to the first maximum`, async () => {
      const size = shape.reduce((p, q) => p * q, 1);
      // Many exact zeros (ties) and repeated values.
      const values = Array.from(randomValues(size, size), (v) => Math.max(0, Math.round(v * 4) / 4));
      await compareWithCpu(() => grad(tf.tensor4d(values, shape)), 0);
      const weighted = (x: tf.Tensor4D) =>
        tf.grad((input: tf.Tensor) => {
          const pooled = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
          return tf.sum(tf.mul(pooled, tf.tensor(randomValues(pooled.size, 3), pooled.shape)));
        })(x);
      await compareWithCpu(() => weighted(tf.tensor4d(values, shape)), 0);
    });
  }
});

describe('3×3 stride-1 convolutions by Winograd F(2×2, 3×3) and F(4×4, 3×3)', () => {
  const cases: [number[], number, 'valid' | 'same' | number][] = [
    [[2, 26, 26, 40], 40, 'valid'],
    [[3, 9, 11, 8], 12, 'valid'],
    [[2, 12, 12, 40], 40, 'same'],
    [[1, 7, 8, 16], 8, 1],
    [[2, 5, 5, 8], 8, 2],
    [[2, 3, 4, 12], 20, 'valid'],
  ];
  for (const [shape, cOut, pad] of cases) {
    const [n, h, w, cIn] = shape as [number, number, number, number];
    const x = randomValues(n * h * w * cIn, h * w);
    const f = randomValues(9 * cIn * cOut, cOut);
    const b = randomValues(cOut, 3);
    const checkConv = async () => {
      await compareWithCpu(() =>
        tf.conv2d(tf.tensor4d(x, [n, h, w, cIn]), tf.tensor4d(f, [3, 3, cIn, cOut]), 1, pad),
      );
      for (const activation of ['linear', 'relu'] as const) {
        await compareWithCpu(() =>
          tf.fused.conv2d({
            x: tf.tensor4d(x, [n, h, w, cIn]),
            filter: tf.tensor4d(f, [3, 3, cIn, cOut]),
            strides: 1,
            pad,
            bias: tf.tensor1d(b),
            activation,
          }),
        );
      }
    };
    it(`Conv2D and FusedConv2D (bias, ReLU) match cpu with 2×2 and 4×4 tiles: [${shape}] -> ${cOut}, pad ${pad}`, async () => {
      for (const tile of [2, 4] as const) {
        setWinogradTile(tile);
        try {
          await checkConv();
        } finally {
          setWinogradTile(null);
        }
      }
    });
  }
  it('gives NaN for every output whose window holds a NaN input, and finite values beyond its tile', async () => {
    // A transform mixes a whole tile, so with F(4×4) the NaN may reach the tile's other outputs too (a NaN
    // input already makes a training step useless); outputs of other tiles stay finite.
    const values = randomValues(10 * 10 * 8, 9);
    values[(2 * 10 + 2) * 8] = Number.NaN;
    for (const tile of [2, 4] as const) {
      setWinogradTile(tile);
      try {
        const out = tf.conv2d(
          tf.tensor4d(values, [1, 10, 10, 8]),
          tf.ones([3, 3, 8, 8]) as tf.Tensor4D,
          1,
          'valid',
        );
        const data = out.dataSync();
        const at = (r: number, q: number) => data[(r * 8 + q) * 8] as number;
        for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) expect(Number.isNaN(at(r, q))).toBe(true);
        for (const [r, q] of [
          [5, 5],
          [0, 6],
          [7, 0],
        ] as const) {
          expect(Number.isFinite(at(r, q))).toBe(true);
        }
        out.dispose();
      } finally {
        setWinogradTile(null);
      }
    }
  });
});

describe('factorised Winograd transforms', () => {
  it('compute exactly the matrices of F(4×4, 3×3), of its dual and of its adjoint', () => {
    expect(programMatrix(WINOGRAD_PROGRAMS.bt4)).toEqual(WINOGRAD_MATRICES[4].bt);
    expect(programMatrix(WINOGRAD_PROGRAMS.at4)).toEqual(WINOGRAD_MATRICES[4].at);
    expect(programMatrix(WINOGRAD_PROGRAMS.a4)).toEqual(transposed(WINOGRAD_MATRICES[4].at));
    expect(programMatrix(WINOGRAD_PROGRAMS.b4)).toEqual(transposed(WINOGRAD_MATRICES[4].bt));
  });
});

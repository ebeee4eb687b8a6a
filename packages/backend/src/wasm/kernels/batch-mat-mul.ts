import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import {
  f32,
  release,
  reshapeInfo,
  runKernel,
  runOriginal,
  type WasmBackendLike,
} from '../kernel-context.js';
import { columnSums, heapColumnSums } from './column-sums.js';

/** At most this many rows in op(A) and the product is a memory-bound pass in JS (vector times matrix). */
const FEW_ROWS = 4;

/** A 2-D view [rows, cols] of a matrix operand, transposed in memory when the op asked for its transpose. */
function plainMatrix(backend: WasmBackendLike, m: TensorInfo, transpose: boolean): TensorInfo {
  const rank = m.shape.length;
  const rows = m.shape[rank - 2] as number;
  const cols = m.shape[rank - 1] as number;
  const flat = reshapeInfo(backend, m, [rows, cols]);
  if (!transpose) return flat;
  const t = runKernel(backend, 'Transpose', { x: flat }, { perm: [1, 0] });
  release(backend, flat);
  return t;
}

/**
 * op(A)·op(B) for a few rows of op(A) or an inner size of 1 (batch-norm moments as a ones vector times the
 * activations, and their gradients). One pass over the large operand; float64 accumulators.
 */
function skinnyProduct(
  a: Float32Array,
  b: Float32Array,
  dims: { m: number; k: number; n: number; transposeA: boolean; transposeB: boolean },
): Float32Array {
  const { m, k, n, transposeA, transposeB } = dims;
  const out = new Float32Array(m * n);
  const aAt = (i: number, kk: number) => (transposeA ? (a[kk * m + i] as number) : (a[i * k + kk] as number));
  if (k === 1) {
    // Outer product. A run of equal rows (a ones vector: a broadcast) grows by copying itself, so it
    // costs block copies instead of multiplications.
    let previous = Number.NaN;
    let runStart = 0;
    let i = 0;
    while (i < m) {
      const ai = aAt(i, 0);
      if (ai === previous) {
        const limit = Math.min(i - runStart, m - i);
        let same = 0;
        while (same < limit && aAt(i + same, 0) === ai) same++;
        out.copyWithin(i * n, runStart * n, (runStart + same) * n);
        i += same;
      } else {
        for (let j = 0; j < n; j++) out[i * n + j] = ai * (b[j] as number);
        previous = ai;
        runStart = i;
        i++;
      }
    }
    return out;
  }
  for (let i = 0; i < m; i++) {
    if (transposeB) {
      // Rows of B are contiguous: dot products.
      for (let j = 0; j < n; j++) {
        let s = 0;
        const at = j * k;
        for (let kk = 0; kk < k; kk++) s += aAt(i, kk) * (b[at + kk] as number);
        out[i * n + j] = s;
      }
    } else {
      // Row i of op(A) weights the rows of B.
      const weights = transposeA
        ? new Float32Array(k).map((_, kk) => aAt(i, kk))
        : a.subarray(i * k, (i + 1) * k);
      out.set(columnSums(b, k, n, weights), i * n);
    }
  }
  return out;
}

/**
 * tfjs-backend-wasm sends a matmul to XNNPACK only when neither operand is transposed and there is one
 * matrix per operand; every other case (including both products of matmul's own gradient, dy·Bᵀ and Aᵀ·dy)
 * runs a scalar C++ loop at ~1 GFLOP/s. This replacement transposes the operand in memory (a cheap copy
 * next to the product) and takes the XNNPACK path. Products with very few rows or an inner size of 1
 * (where XNNPACK would spend its time repacking the big operand as weights) are one pass in JS. Batched
 * products of several matrices keep the original kernel.
 */
function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackendLike;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA !== 1 || batchB !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runOriginal(backend, BatchMatMul, inputs, attrs as never);
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const m = a.shape[transposeA ? aRank - 1 : aRank - 2] as number;
  const k = a.shape[transposeA ? aRank - 2 : aRank - 1] as number;
  const n = b.shape[transposeB ? bRank - 2 : bRank - 1] as number;
  const kB = b.shape[transposeB ? bRank - 1 : bRank - 2] as number;
  if (k !== kB) {
    throw new Error(`matMul: inner sizes ${k} and ${kB} of [${a.shape}] and [${b.shape}] do not match`);
  }
  const shape = [...new Array<number>(Math.max(aRank, bRank) - 2).fill(1), m, n];
  if (m <= FEW_ROWS && k > 1 && !transposeA && !transposeB) {
    // Rows of A weight the rows of B: one pass of (SIMD) column sums per row; a ones row (batch-norm moments)
    // is a plain column sum.
    const values = new Float32Array(m * n);
    const aValues = f32(backend, a);
    for (let i = 0; i < m; i++) {
      let ones = true;
      for (let kk = i * k; kk < (i + 1) * k && ones; kk++) ones = aValues[kk] === 1;
      const weights = ones ? null : { info: a, offset: i * k };
      values.set(heapColumnSums(backend, b, 0, k, n, weights), i * n);
    }
    const out = backend.makeOutput(shape, 'float32');
    f32(backend, out).set(values);
    return out;
  }
  if (m <= FEW_ROWS || k === 1) {
    const values = skinnyProduct(f32(backend, a), f32(backend, b), { m, k, n, transposeA, transposeB });
    const out = backend.makeOutput(shape, 'float32');
    f32(backend, out).set(values);
    return out;
  }
  if (!transposeA && !transposeB) return runOriginal(backend, BatchMatMul, inputs, attrs as never);
  const a2 = plainMatrix(backend, a, transposeA);
  const b2 = plainMatrix(backend, b, transposeB);
  const product = runOriginal(
    backend,
    BatchMatMul,
    { a: a2, b: b2 },
    { transposeA: false, transposeB: false },
  );
  release(backend, a2, b2);
  const out = reshapeInfo(backend, product, shape);
  release(backend, product);
  return out;
}

/** `BatchMatMul` for the wasm backend (transposed operands on the XNNPACK path, skinny products in JS). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};

import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  Transpose,
  type TransposeAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { addressOf, type SimdExports, simdKernels } from '../simd/simd-module.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** Merges input axes that stay adjacent and in order under `perm`, and drops axes of size 1. */
export function collapseTranspose(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => (shape[axis] as number) !== 1);
  // Groups of consecutive input axes, in output order.
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    if (last != null && last[last.length - 1] === axis - 1) last.push(axis);
    else groups.push([axis]);
  }
  const byInput = [...groups].sort((p, q) => (p[0] as number) - (q[0] as number));
  const newShape = byInput.map((g) => g.reduce((s, axis) => s * (shape[axis] as number), 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

/**
 * Transposes `src` (row-major `shape`) by `perm` into `dst`. Output rows (the last output axis) are
 * written contiguously; the rows are visited in the order that keeps the input's smallest stride fastest,
 * so that the strided reads of neighbouring rows hit the same cache lines.
 */
export function transposeInto(src: Values, shape: number[], perm: number[], dst: Values): void {
  const { shape: s, perm: p } = collapseTranspose(shape, perm);
  const rank = s.length;
  if (rank <= 1) {
    dst.set(src.subarray(0, dst.length));
    return;
  }
  const inStrides = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  for (let k = rank - 2; k >= 0; k--) inStrides[k] = (inStrides[k + 1] as number) * (s[k + 1] as number);
  const outShape = p.map((axis) => s[axis] as number);
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let k = rank - 2; k >= 0; k--)
    outStrides[k] = (outStrides[k + 1] as number) * (outShape[k + 1] as number);
  const rowLength = outShape[rank - 1] as number;
  const rowStep = inStrides[p[rank - 1] as number] as number;
  if (rowStep !== 1) {
    tiledTranspose(src, dst, s, p, inStrides, outShape, outStrides);
    return;
  }
  // The innermost axis stays innermost: copy whole rows, visiting them in the order that keeps the input's
  // smallest stride fastest.
  const outer = [...Array(rank - 1).keys()].sort(
    (a, b) => (inStrides[p[b] as number] as number) - (inStrides[p[a] as number] as number),
  );
  const sizes = outer.map((k) => outShape[k] as number);
  const inStep = outer.map((k) => inStrides[p[k] as number] as number);
  const outStep = outer.map((k) => outStrides[k] as number);
  const counter = new Array<number>(outer.length).fill(0);
  const rows = util.sizeFromShape(sizes);
  let i = 0;
  let o = 0;
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < rowLength; j++) dst[o + j] = src[i + j] as number;
    // Odometer over the outer axes, fastest last.
    for (let d = outer.length - 1; d >= 0; d--) {
      const next = (counter[d] as number) + 1;
      if (next < (sizes[d] as number)) {
        counter[d] = next;
        i += inStep[d] as number;
        o += outStep[d] as number;
        break;
      }
      counter[d] = 0;
      i -= (next - 1) * (inStep[d] as number);
      o -= (next - 1) * (outStep[d] as number);
    }
  }
}

/** Rows of the output's innermost axis per tile (16 floats: one cache line). */
const TILE_A = 16;
/** Columns of the input's innermost axis per tile. */
const TILE_Z = 32;

/**
 * The case where the input's innermost axis z moves outward and the output's innermost axis a comes from
 * further out: tiles of TILE_A × TILE_Z elements are read as short contiguous input rows and written as short
 * contiguous output rows. The a-blocks are the outermost loop, so that a block touches only TILE_A input
 * pages (a naive row-by-row transpose of a [128, 26, 26, 40] activation to [40, 26, 26, 128] reads 128 rows
 * 108 KB apart for every output row and spends most of its time in TLB misses).
 */
function tiledTranspose(
  src: Values,
  dst: Values,
  s: number[],
  p: number[],
  inStrides: number[],
  outShape: number[],
  outStrides: number[],
): void {
  const rank = s.length;
  const z = rank - 1;
  const a = p[rank - 1] as number;
  const lengthA = s[a] as number;
  const lengthZ = s[z] as number;
  const strideA = inStrides[a] as number;
  const strideZ = outStrides[p.indexOf(z)] as number;
  // The other output axes, the one with the smallest input stride fastest.
  const others = [...Array(rank - 1).keys()]
    .filter((k) => p[k] !== z)
    .sort((x, y) => (inStrides[p[y] as number] as number) - (inStrides[p[x] as number] as number));
  const sizes = others.map((k) => outShape[k] as number);
  const inStep = others.map((k) => inStrides[p[k] as number] as number);
  const outStep = others.map((k) => outStrides[k] as number);
  const count = util.sizeFromShape(sizes);
  const counter = new Array<number>(others.length).fill(0);
  for (let a0 = 0; a0 < lengthA; a0 += TILE_A) {
    const a1 = Math.min(lengthA, a0 + TILE_A);
    counter.fill(0);
    let i = a0 * strideA;
    let o = a0;
    for (let pos = 0; pos < count; pos++) {
      for (let z0 = 0; z0 < lengthZ; z0 += TILE_Z) {
        const z1 = Math.min(lengthZ, z0 + TILE_Z);
        for (let zz = z0; zz < z1; zz++) {
          let from = i + zz;
          const to = o + zz * strideZ - a0;
          for (let aa = a0; aa < a1; aa++, from += strideA) dst[to + aa] = src[from] as number;
        }
      }
      for (let d = others.length - 1; d >= 0; d--) {
        const next = (counter[d] as number) + 1;
        if (next < (sizes[d] as number)) {
          counter[d] = next;
          i += inStep[d] as number;
          o += outStep[d] as number;
          break;
        }
        counter[d] = 0;
        i -= (next - 1) * (inStep[d] as number);
        o -= (next - 1) * (outStep[d] as number);
      }
    }
  }
}

/** Row-major strides of `shape`. */
function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--)
    strides[k] = (strides[k + 1] as number) * (shape[k + 1] as number);
  return strides;
}

/** Calls `visit(inOffset, outOffset)` for every position of the given axes (an odometer, last axis fastest). */
function forEachPosition(
  sizes: number[],
  inStep: number[],
  outStep: number[],
  visit: (i: number, o: number) => void,
): void {
  const count = util.sizeFromShape(sizes);
  const counter = new Array<number>(sizes.length).fill(0);
  let i = 0;
  let o = 0;
  for (let pos = 0; pos < count; pos++) {
    visit(i, o);
    for (let d = sizes.length - 1; d >= 0; d--) {
      const next = (counter[d] as number) + 1;
      if (next < (sizes[d] as number)) {
        counter[d] = next;
        i += inStep[d] as number;
        o += outStep[d] as number;
        break;
      }
      counter[d] = 0;
      i -= (next - 1) * (inStep[d] as number);
      o -= (next - 1) * (outStep[d] as number);
    }
  }
}

/** Columns of the input's innermost axis per SIMD call (bounds the output rows written at once). */
const SIMD_COLUMNS = 64;
/** Rows of the output's innermost axis per SIMD call (bounds the input rows read at once). */
const SIMD_ROWS = 16;

/**
 * Transposes 4-byte elements at heap address `src` into `dst` with the SIMD kernels: 4×4 blocks transposed in
 * registers where the innermost axis moves, whole-row memory copies where it stays innermost. The outer axes
 * are walked here, one kernel call per position. Returns false (nothing done) for shapes it leaves to JS.
 */
export function transposeWithSimd(
  simd: SimdExports,
  src: number,
  dst: number,
  shape: number[],
  perm: number[],
): boolean {
  const { shape: s, perm: p } = collapseTranspose(shape, perm);
  const rank = s.length;
  if (rank <= 1) {
    simd.copyRows(src, dst, util.sizeFromShape(s), 1, 0, 0);
    return true;
  }
  const inStrides = stridesOf(s);
  const outShape = p.map((axis) => s[axis] as number);
  const outStrides = stridesOf(outShape);
  const inner = p[rank - 1] as number;
  if (inner === rank - 1) {
    // Rows stay rows: the kernel's row loop writes consecutive output rows (the last outer axis).
    const outer = [...Array(rank - 1).keys()];
    const fastest = outer.pop() as number;
    const rowLength = outShape[rank - 1] as number;
    const rows = outShape[fastest] as number;
    const rowIn = inStrides[p[fastest] as number] as number;
    const rowOut = outStrides[fastest] as number;
    forEachPosition(
      outer.map((k) => outShape[k] as number),
      outer.map((k) => inStrides[p[k] as number] as number),
      outer.map((k) => outStrides[k] as number),
      (i, o) => simd.copyRows(src + 4 * i, dst + 4 * o, rowLength, rows, rowIn, rowOut),
    );
    return true;
  }
  const lengthA = s[inner] as number;
  const lengthZ = s[rank - 1] as number;
  if (lengthA < 4 || lengthZ < 4) return false;
  const strideA = inStrides[inner] as number;
  const strideZ = outStrides[p.indexOf(rank - 1)] as number;
  const others = [...Array(rank - 1).keys()]
    .filter((k) => p[k] !== rank - 1)
    .sort((x, y) => (inStrides[p[y] as number] as number) - (inStrides[p[x] as number] as number));
  // One kernel call covers the fastest of the other axes; rows of the output's inner axis go in blocks of
  // SIMD_ROWS so that a call touches few memory pages (TLB misses dominated a row-by-row order).
  const fastest = others.pop();
  const reps = fastest == null ? 1 : (outShape[fastest] as number);
  const repIn = fastest == null ? 0 : (inStrides[p[fastest] as number] as number);
  const repOut = fastest == null ? 0 : (outStrides[fastest] as number);
  // Input rows on separate memory pages: a block of SIMD_ROWS at a time; else all rows in one call.
  const rowBlock = strideA >= 1024 ? SIMD_ROWS : lengthA;
  for (let a0 = 0; a0 < lengthA; a0 += rowBlock) {
    const rows = Math.min(rowBlock, lengthA - a0);
    const rows4 = rows & ~3;
    forEachPosition(
      others.map((k) => outShape[k] as number),
      others.map((k) => inStrides[p[k] as number] as number),
      others.map((k) => outStrides[k] as number),
      (i, o) => {
        for (let z0 = 0; z0 < lengthZ; z0 += SIMD_COLUMNS) {
          const cols = Math.min(SIMD_COLUMNS, lengthZ - z0);
          const cols4 = cols & ~3;
          const from = src + 4 * (i + a0 * strideA + z0);
          const to = dst + 4 * (o + z0 * strideZ + a0);
          const steps = [reps, repIn, repOut] as const;
          simd.transpose4(from, to, rows4, cols4, strideA, strideZ, ...steps);
          if (cols4 < cols) {
            const f = from + 4 * cols4;
            simd.transposeScalar(f, to + 4 * cols4 * strideZ, rows, cols - cols4, strideA, strideZ, ...steps);
          }
          if (rows4 < rows) {
            const f = from + 4 * rows4 * strideA;
            simd.transposeScalar(f, to + 4 * rows4, rows - rows4, cols4, strideA, strideZ, ...steps);
          }
        }
      },
    );
  }
  return true;
}

/**
 * Transpose for the wasm backend: tfjs-backend-wasm's generic C++ loop moves ~7 ns per element on 4-D
 * activations; this JS version with merged axes and a cache-aware row order is about three times faster.
 * The filter gradient transposes both activations of every convolution, so this matters for training.
 */
function transpose(args: {
  inputs: { x: TensorInfo };
  backend: WasmBackendLike;
  attrs: TransposeAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64')
    return runOriginal(backend, Transpose, inputs, attrs as never);
  const outShape = attrs.perm.map((axis) => x.shape[axis] as number);
  const out = backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const simd = x.dtype === 'float32' || x.dtype === 'int32' ? simdKernels(backend) : null;
  if (
    simd != null &&
    transposeWithSimd(simd, addressOf(backend, x), addressOf(backend, out), x.shape, attrs.perm)
  ) {
    return out;
  }
  transposeInto(backend.typedArrayFromHeap(x), x.shape, attrs.perm, backend.typedArrayFromHeap(out));
  return out;
}

/** `Transpose` for the wasm backend. */
export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as KernelFunc,
};

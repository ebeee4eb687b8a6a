import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  Transpose,
  type TransposeAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { runOriginal, type WasmBackendLike } from '../kernel-context.js';

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
  // Outer output axes, the one with the smallest input stride last (fastest).
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
    if (rowStep === 1) {
      for (let j = 0; j < rowLength; j++) dst[o + j] = src[i + j] as number;
    } else {
      let j = 0;
      let at = i;
      for (; j + 3 < rowLength; j += 4, at += 4 * rowStep) {
        dst[o + j] = src[at] as number;
        dst[o + j + 1] = src[at + rowStep] as number;
        dst[o + j + 2] = src[at + 2 * rowStep] as number;
        dst[o + j + 3] = src[at + 3 * rowStep] as number;
      }
      for (; j < rowLength; j++, at += rowStep) dst[o + j] = src[at] as number;
    }
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
  if (util.sizeFromShape(outShape) > 0) {
    transposeInto(backend.typedArrayFromHeap(x), x.shape, attrs.perm, backend.typedArrayFromHeap(out));
  }
  return out;
}

/** `Transpose` for the wasm backend. */
export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as KernelFunc,
};

import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  Tile,
  type TileAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { runOriginal, type WasmBackendLike } from '../kernel-context.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** Fills dst[at + size .. at + count·size) with copies of dst[at .. at + size), doubling the copied run. */
function replicate(dst: Values, at: number, size: number, count: number): void {
  let filled = size;
  const total = size * count;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(at + filled, at, at + n);
    filled += n;
  }
}

/** Calls `visit(offset)` for every index of axes [0, axes) within `extent`, offset = Σ index·stride. */
function forEachPrefix(
  extent: number[],
  strides: number[],
  axes: number,
  visit: (offset: number) => void,
): void {
  const count = util.sizeFromShape(extent.slice(0, axes));
  const index = new Array<number>(axes).fill(0);
  let offset = 0;
  for (let k = 0; k < count; k++) {
    visit(offset);
    for (let a = axes - 1; a >= 0; a--) {
      if ((index[a] as number) + 1 < (extent[a] as number)) {
        index[a] = (index[a] as number) + 1;
        offset += strides[a] as number;
        break;
      }
      offset -= (index[a] as number) * (strides[a] as number);
      index[a] = 0;
    }
  }
}

/**
 * Tiles `src` (row-major `shape`) `reps` times along each axis into `dst`. The input is placed once, then,
 * from the innermost axis outwards, each completed block is doubled with `copyWithin` (memcpy speed).
 */
export function tileInto(src: Values, shape: number[], reps: number[], dst: Values): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return;
  }
  const outShape = shape.map((s, i) => s * (reps[i] as number));
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let k = rank - 2; k >= 0; k--)
    outStrides[k] = (outStrides[k + 1] as number) * (outShape[k + 1] as number);
  const last = shape[rank - 1] as number;
  let read = 0;
  forEachPrefix(shape, outStrides, rank - 1, (offset) => {
    dst.set(src.subarray(read, read + last), offset);
    read += last;
    replicate(dst, offset, last, reps[rank - 1] as number);
  });
  for (let axis = rank - 2; axis >= 0; axis--) {
    const block = (shape[axis] as number) * (outStrides[axis] as number);
    const count = reps[axis] as number;
    if (count === 1) continue;
    forEachPrefix(shape, outStrides, axis, (offset) => replicate(dst, offset, block, count));
  }
}

/**
 * Tile for the wasm backend. tfjs-core's batch-norm gradient (the one tfjs-layers' BatchNormalization uses)
 * tiles the per-channel inverse standard deviation to the full activation shape; tfjs-backend-wasm's C++
 * Tile moved ~20 ns per element there (240 ms of a Z2CNN step). This one places the input once and doubles
 * completed blocks with `copyWithin`.
 */
function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) {
    return runOriginal(backend, Tile, inputs, attrs as never);
  }
  const outShape = x.shape.map((s, i) => s * (reps[i] as number));
  const out = backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) > 0) {
    tileInto(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
  }
  return out;
}

/** `Tile` for the wasm backend. */
export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};

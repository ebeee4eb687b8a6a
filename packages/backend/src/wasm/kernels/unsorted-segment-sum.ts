import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../kernel-context.js';

/**
 * `out[segmentIds[i], ...] += x[i, ...]`, the gradient of `gather` (missing from tfjs-backend-wasm). The
 * models gather small filters, so a plain loop over rows of the heap is enough. Ids outside
 * [0, numSegments) are dropped, as on the cpu backend.
 */
function unsortedSegmentSum(args: {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: WasmBackendLike;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const idsRank = segmentIds.shape.length;
  const rows = util.sizeFromShape(segmentIds.shape);
  const rowSize = util.sizeFromShape(x.shape.slice(idsRank));
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views after the allocation above.
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const acc = backend.typedArrayFromHeap(out);
  acc.fill(0);
  for (let r = 0; r < rows; r++) {
    const id = ids[r] as number;
    if (id < 0 || id >= numSegments) continue;
    const src = r * rowSize;
    const dst = id * rowSize;
    for (let e = 0; e < rowSize; e++) acc[dst + e] = (acc[dst + e] as number) + (xs[src + e] as number);
  }
  return out;
}

/** `UnsortedSegmentSum` for the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};

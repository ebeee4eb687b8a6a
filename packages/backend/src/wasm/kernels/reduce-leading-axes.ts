import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  Mean,
  type MeanAttrs,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { f32, release, reshapeInfo, runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { heapColumnSums } from './column-sums.js';

/** Splits the sorted reduction axes into the pattern [reduced prefix][kept middle][reduced suffix]. */
export function leadingPattern(
  shape: number[],
  axes: number[],
): { prefix: number; middle: number; suffix: number } | null {
  const reduced = new Set(axes);
  let i = 0;
  while (i < shape.length && reduced.has(i)) i++;
  const prefixEnd = i;
  while (i < shape.length && !reduced.has(i)) i++;
  const middleEnd = i;
  while (i < shape.length && reduced.has(i)) i++;
  if (i !== shape.length || prefixEnd === 0 || middleEnd === prefixEnd) return null;
  return {
    prefix: util.sizeFromShape(shape.slice(0, prefixEnd)),
    middle: util.sizeFromShape(shape.slice(prefixEnd, middleEnd)),
    suffix: util.sizeFromShape(shape.slice(middleEnd)),
  };
}

/**
 * Sum or mean over leading axes (batch, rows, columns: batch-norm statistics, bias and batch-norm
 * gradients). tfjs-backend-wasm reduces only innermost axes, so for these it first transposes the whole
 * tensor. Here innermost reduced axes (if any) go through the wasm kernel without a transpose, and the
 * leading ones are one contiguous pass of column sums (`columnSums`), which is memory-bound and
 * faster than a matmul with a ones vector (XNNPACK would first repack the whole tensor as weights).
 */
function reduceLeading(
  backend: WasmBackendLike,
  x: TensorInfo,
  axisAttr: number | number[],
  keepDims: boolean,
  mean: boolean,
): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const axes = util.parseAxisParam(axisAttr, x.shape).sort((p, q) => p - q);
  const pattern = leadingPattern(x.shape, axes);
  if (pattern == null) return reduceMiddle(backend, x, axes, keepDims, mean);
  const { prefix, middle, suffix } = pattern;
  let rows: TensorInfo;
  if (suffix > 1) {
    const inner = reshapeInfo(backend, x, [prefix * middle, suffix]);
    rows = runOriginal(backend, Sum, { x: inner }, { axis: [1], keepDims: false });
    release(backend, inner);
  } else {
    rows = x;
  }
  const sums = heapColumnSums(backend, rows, 0, prefix, middle, null, mean ? 1 / (prefix * suffix) : 1);
  if (rows !== x) release(backend, rows);
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  const out = backend.makeOutput(shape, 'float32');
  f32(backend, out).set(sums);
  return out;
}

/**
 * Sum or mean over a block of middle axes with kept axes on both sides, e.g. the spatial mean of a global
 * average pool ([N, H, W, C] over H and W): column sums of each outer index's [reduced, inner] slab.
 */
function reduceMiddle(
  backend: WasmBackendLike,
  x: TensorInfo,
  axes: number[],
  keepDims: boolean,
  mean: boolean,
): TensorInfo | null {
  const first = axes[0] as number;
  const last = axes[axes.length - 1] as number;
  const rank = x.shape.length;
  if (first === 0 || last === rank - 1 || last - first + 1 !== axes.length) return null;
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  const reduced = util.sizeFromShape(x.shape.slice(first, last + 1));
  const inner = util.sizeFromShape(x.shape.slice(last + 1));
  const sums = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const slab = heapColumnSums(
      backend,
      x,
      o * reduced * inner,
      reduced,
      inner,
      null,
      mean ? 1 / reduced : 1,
    );
    sums.set(slab, o * inner);
  }
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const out = backend.makeOutput(
    keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape,
    'float32',
  );
  f32(backend, out).set(sums);
  return out;
}

function sum(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return (
    reduceLeading(backend, inputs.x, attrs.axis, attrs.keepDims, false) ??
    runOriginal(backend, Sum, inputs, attrs as never)
  );
}

function mean(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return (
    reduceLeading(backend, inputs.x, attrs.axis, attrs.keepDims, true) ??
    runOriginal(backend, Mean, inputs, attrs as never)
  );
}

/** `Sum` for the wasm backend (leading or middle axes without a transpose). */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};

/** `Mean` for the wasm backend (leading axes without a transpose). */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
};

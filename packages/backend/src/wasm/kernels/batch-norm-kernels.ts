import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { f32, release, type WasmBackendLike } from '../kernel-context.js';
import { addressOf, simdKernels } from '../simd/simd-module.js';

// Fused batch-norm kernels, each one pass over the activations where tfjs ops take two to five. They work on
// the [rows, P] view of a tensor (P = its last axis) with per-column vectors of length P. @gcnn/layers uses them
// by name when the active backend has them (and plain ops otherwise); the names and semantics are a contract:
//
//   GcnnColumnMoments     {x}                        -> [2, P]: column means, biased column variances
//   GcnnColumnProductSums {x, y, center}             -> [2, P]: Σ_r x, Σ_r x·(y − center)
//   GcnnColumnAffine      {x, a, b[, y, center, c]}  -> x·a + b [+ (y − center)·c], the shape of x

/**
 * The kernel names, the contract with @gcnn/layers (its `FUSED_BATCH_NORM_KERNELS`; a test in this package checks
 * that both name the same kernels).
 */
export const BATCH_NORM_KERNELS = Object.freeze({
  columnMoments: 'GcnnColumnMoments',
  columnProductSums: 'GcnnColumnProductSums',
  columnAffine: 'GcnnColumnAffine',
} as const);

/** Rows per float32 block of the SIMD reductions. */
const BLOCK = 64;

function columnsOf(x: TensorInfo): { rows: number; cols: number } {
  const cols = x.shape.length === 0 ? 1 : (x.shape[x.shape.length - 1] as number);
  return { rows: cols === 0 ? 0 : util.sizeFromShape(x.shape) / cols, cols };
}

function checkFloat(kernel: string, inputs: Record<string, TensorInfo | undefined>, cols: number): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t == null) continue;
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
    if (name !== 'x' && name !== 'y' && util.sizeFromShape(t.shape) !== cols) {
      throw new Error(`${kernel}: ${name} must have ${cols} values (one per column), got [${t.shape}]`);
    }
  }
}

/** Σ_r x and Σ_r x·(y − center) per column, float64, by the SIMD kernel or a JS loop. */
function productSums(
  backend: WasmBackendLike,
  x: TensorInfo,
  y: TensorInfo,
  center: TensorInfo,
  rows: number,
  cols: number,
): Float64Array {
  const simd = cols % 4 === 0 ? simdKernels(backend) : null;
  if (simd != null) {
    const scratch = backend.makeOutput([4 * cols], 'float32');
    const at = addressOf(backend, scratch);
    new Float64Array(backend.typedArrayFromHeap(scratch).buffer, at, 2 * cols).fill(0);
    simd.productSums(
      addressOf(backend, x),
      addressOf(backend, y),
      addressOf(backend, center),
      rows,
      cols,
      at,
      BLOCK,
    );
    const sums = new Float64Array(new Float64Array(backend.typedArrayFromHeap(scratch).buffer, at, 2 * cols));
    release(backend, scratch);
    return sums;
  }
  const xs = f32(backend, x);
  const ys = f32(backend, y);
  const cs = f32(backend, center);
  const sums = new Float64Array(2 * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const v = xs[r * cols + j] as number;
      sums[j] = (sums[j] as number) + v;
      sums[cols + j] = (sums[cols + j] as number) + v * ((ys[r * cols + j] as number) - (cs[j] as number));
    }
  }
  return sums;
}

function columnMoments(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  const { rows, cols } = columnsOf(x);
  checkFloat(BATCH_NORM_KERNELS.columnMoments, { x }, cols);
  // Pass 1: the means.
  const zero = backend.makeOutput([cols], 'float32');
  f32(backend, zero).fill(0);
  const first = productSums(backend, x, x, zero, rows, cols);
  const mean = backend.makeOutput([cols], 'float32');
  const meanValues = f32(backend, mean);
  for (let j = 0; j < cols; j++) meanValues[j] = rows > 0 ? (first[j] as number) / rows : 0;
  // Pass 2: Σ x·(x − μ) = Σ (x − μ)² + μ·Σ(x − μ); the last term removes what the float32 mean left over.
  const second = productSums(backend, x, x, mean, rows, cols);
  const out = backend.makeOutput([2, cols], 'float32');
  const values = f32(backend, out);
  const means = f32(backend, mean);
  for (let j = 0; j < cols; j++) {
    const mu = means[j] as number;
    const residual = (second[j] as number) - rows * mu;
    values[j] = mu;
    values[cols + j] = rows > 0 ? Math.max(0, ((second[cols + j] as number) - mu * residual) / rows) : 0;
  }
  release(backend, zero, mean);
  return out;
}

function columnProductSums(args: {
  inputs: { x: TensorInfo; y: TensorInfo; center: TensorInfo };
  backend: WasmBackendLike;
}): TensorInfo {
  const { inputs, backend } = args;
  const { x, y, center } = inputs;
  const { rows, cols } = columnsOf(x);
  checkFloat(BATCH_NORM_KERNELS.columnProductSums, { x, y, center }, cols);
  if (!util.arraysEqual(x.shape, y.shape)) {
    throw new Error(`GcnnColumnProductSums: x [${x.shape}] and y [${y.shape}] must have the same shape`);
  }
  const sums = productSums(backend, x, y, center, rows, cols);
  const out = backend.makeOutput([2, cols], 'float32');
  f32(backend, out).set(sums);
  return out;
}

function columnAffine(args: {
  inputs: {
    x: TensorInfo;
    a: TensorInfo;
    b: TensorInfo;
    y?: TensorInfo;
    center?: TensorInfo;
    c?: TensorInfo;
  };
  backend: WasmBackendLike;
}): TensorInfo {
  const { inputs, backend } = args;
  const { x, a, b, y, center, c } = inputs;
  const { rows, cols } = columnsOf(x);
  checkFloat(BATCH_NORM_KERNELS.columnAffine, { x, a, b, y, center, c }, cols);
  const withY = y != null && center != null && c != null;
  if (withY && !util.arraysEqual(x.shape, y.shape)) {
    throw new Error(`GcnnColumnAffine: x [${x.shape}] and y [${y.shape}] must have the same shape`);
  }
  const out = backend.makeOutput(x.shape, 'float32');
  const simd = cols % 4 === 0 ? simdKernels(backend) : null;
  if (simd != null) {
    const addr = (t: TensorInfo | undefined) => (t == null ? 0 : addressOf(backend, t));
    simd.affineColumns(
      addr(x),
      addr(a),
      addr(b),
      withY ? addr(y) : 0,
      withY ? addr(center) : 0,
      withY ? addr(c) : 0,
      addr(out),
      rows,
      cols,
      withY ? 1 : 0,
    );
    return out;
  }
  const o = f32(backend, out);
  const xs = f32(backend, x);
  const as = f32(backend, a);
  const bs = f32(backend, b);
  const ys = withY ? f32(backend, y) : null;
  const ms = withY ? f32(backend, center) : null;
  const cs = withY ? f32(backend, c) : null;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      let v = (xs[i] as number) * (as[j] as number) + (bs[j] as number);
      if (ys != null && ms != null && cs != null)
        v += ((ys[i] as number) - (ms[j] as number)) * (cs[j] as number);
      o[i] = v;
    }
  }
  return out;
}

/** The fused batch-norm kernels for the wasm backend (see the contract above). */
export const batchNormKernelConfigs: KernelConfig[] = [
  {
    kernelName: BATCH_NORM_KERNELS.columnMoments,
    backendName: 'wasm',
    kernelFunc: columnMoments as unknown as KernelFunc,
  },
  {
    kernelName: BATCH_NORM_KERNELS.columnProductSums,
    backendName: 'wasm',
    kernelFunc: columnProductSums as unknown as KernelFunc,
  },
  {
    kernelName: BATCH_NORM_KERNELS.columnAffine,
    backendName: 'wasm',
    kernelFunc: columnAffine as unknown as KernelFunc,
  },
];

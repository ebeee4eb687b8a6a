import { backend_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { f32, release, runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { addressOf, type SimdExports, simdKernels } from '../simd/simd-module.js';

/**
 * 3×3, stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): each 2×2 block of outputs costs 16 multiplications per (input, output)
 * channel pair instead of 36, i.e. 2.25 times fewer. The transforms run in the SIMD module; the 16 products
 * [tiles, C_in]·[C_in, C_out] run on XNNPACK's matmul. Used for the forward pass of the models' 3×3 layers and
 * for the input gradient (a 3×3 convolution with the rotated filter), where channels are multiples of 4.
 */

/** Zero rows/columns added before and after the input, as the convolution's padding. */
export interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Below this many input or output channels the transforms cost more than the products save. */
const MIN_CHANNELS = 8;

/** Whether `winogradConv3x3` handles a convolution of this shape. */
export function winogradApplies(
  x: TensorInfo,
  filter: TensorInfo,
  strides: [number, number],
  dilations: [number, number],
): boolean {
  const [kh, kw, cIn, cOut] = filter.shape as [number, number, number, number];
  return (
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    x.shape.length === 4 &&
    kh === 3 &&
    kw === 3 &&
    strides[0] === 1 &&
    strides[1] === 1 &&
    dilations[0] === 1 &&
    dilations[1] === 1 &&
    cIn % 4 === 0 &&
    cOut % 4 === 0 &&
    cIn >= MIN_CHANNELS &&
    cOut >= MIN_CHANNELS
  );
}

/** U = G·g·Gᵀ for every (input, output) channel pair, as 16 matrices [C_in, C_out] (element (ξ, ν) in 4ξ + ν). */
function transformFilter(g: Float32Array, cIn: number, cOut: number): Float32Array[] {
  const u = Array.from({ length: 16 }, () => new Float32Array(cIn * cOut));
  const pairs = cIn * cOut;
  const col = new Float64Array(12);
  for (let p = 0; p < pairs; p++) {
    // g[i, j, ci, co] sits at (i·3 + j)·pairs + p.
    const at = (i: number, j: number) => g[(i * 3 + j) * pairs + p] as number;
    // G·g (4×3): rows g0, (g0+g1+g2)/2, (g0−g1+g2)/2, g2 of each column j.
    for (let j = 0; j < 3; j++) {
      const [a, b, c] = [at(0, j), at(1, j), at(2, j)];
      col[j] = a;
      col[3 + j] = (a + b + c) / 2;
      col[6 + j] = (a - b + c) / 2;
      col[9 + j] = c;
    }
    // (G·g)·Gᵀ (4×4), the same combination along each row ξ.
    for (let xi = 0; xi < 4; xi++) {
      const [a, b, c] = [col[3 * xi] as number, col[3 * xi + 1] as number, col[3 * xi + 2] as number];
      (u[4 * xi] as Float32Array)[p] = a;
      (u[4 * xi + 1] as Float32Array)[p] = (a + b + c) / 2;
      (u[4 * xi + 2] as Float32Array)[p] = (a - b + c) / 2;
      (u[4 * xi + 3] as Float32Array)[p] = c;
    }
  }
  return u;
}

/** A zero-padded copy of x holding rows [−top, rows − top) and columns [−left, cols − left) of each image. */
function padded(
  backend: WasmBackendLike,
  simd: SimdExports,
  x: TensorInfo,
  top: number,
  left: number,
  rows: number,
  cols: number,
): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = backend.makeOutput([n, rows, cols, c], 'float32');
  f32(backend, out).fill(0);
  const src = addressOf(backend, x);
  const dst = addressOf(backend, out);
  const copyRows = Math.min(h, rows - top);
  const copyCols = Math.min(w, cols - left);
  for (let i = 0; i < n; i++) {
    const from = src + 4 * i * h * w * c;
    const to = dst + 4 * ((i * rows + top) * cols + left) * c;
    simd.copyRows(from, to, copyCols * c, copyRows, w * c, cols * c);
  }
  return out;
}

/**
 * y = max(conv2d(x, filter) + bias, lower) for a 3×3, stride-1 NHWC convolution with the given padding, by
 * Winograd F(2×2, 3×3). Returns null when the SIMD module is unavailable (the caller runs XNNPACK's conv).
 */
export function winogradConv3x3(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  pad: Padding,
  bias: TensorInfo | null,
  relu: boolean,
): TensorInfo | null {
  const simd = simdKernels(backend);
  if (simd == null) return null;
  const [n, h, w, cIn] = x.shape as [number, number, number, number];
  const cOut = filter.shape[3] as number;
  const outH = h + pad.top + pad.bottom - 2;
  const outW = w + pad.left + pad.right - 2;
  if (outH < 1 || outW < 1) return null;
  const tilesY = Math.ceil(outH / 2);
  const tilesX = Math.ceil(outW / 2);
  const rows = 2 * tilesY + 2;
  const cols = 2 * tilesX + 2;
  const tiles = n * tilesY * tilesX;
  const input =
    pad.top === 0 && pad.left === 0 && h === rows && w === cols
      ? x
      : padded(backend, simd, x, pad.top, pad.left, rows, cols);

  // The 16 transformed inputs V and filters U, and a table of the V addresses for the kernel.
  const filters = transformFilter(f32(backend, filter), cIn, cOut).map((values) => {
    const info = backend.makeOutput([1, cIn, cOut], 'float32');
    f32(backend, info).set(values);
    return info;
  });
  const inputs = Array.from({ length: 16 }, () => backend.makeOutput([1, tiles, cIn], 'float32'));
  const table = backend.makeOutput([16], 'int32');
  const setTable = (infos: TensorInfo[]) => {
    const view = backend.typedArrayFromHeap(table) as Int32Array;
    infos.forEach((info, k) => {
      view[k] = addressOf(backend, info);
    });
  };
  setTable(inputs);
  const inAddress = addressOf(backend, input);
  const tableAddress = addressOf(backend, table);
  simd.winogradInput(inAddress, 4 * cols * cIn, 4 * rows * cols * cIn, cIn, n, tilesY, tilesX, tableAddress);
  if (input !== x) release(backend, input);

  const products = inputs.map((v, k) => {
    const m = runOriginal(
      backend,
      'BatchMatMul',
      { a: v, b: filters[k] as TensorInfo },
      { transposeA: false, transposeB: false },
    );
    release(backend, v);
    return m;
  });
  release(backend, ...filters);

  const evenShape = [n, 2 * tilesY, 2 * tilesX, cOut];
  const out = backend.makeOutput(evenShape, 'float32');
  let biasInfo = bias;
  if (biasInfo == null) {
    biasInfo = backend.makeOutput([cOut], 'float32');
    f32(backend, biasInfo).fill(0);
  }
  setTable(products);
  simd.winogradOutput(
    addressOf(backend, table),
    addressOf(backend, out),
    n,
    tilesY,
    tilesX,
    cOut,
    addressOf(backend, biasInfo),
    relu ? 0 : Number.NEGATIVE_INFINITY,
  );
  release(backend, table, ...products);
  if (bias == null) release(backend, biasInfo);
  if (evenShape[1] === outH && evenShape[2] === outW) return out;
  const cropped = runOriginal(
    backend,
    'Slice',
    { x: out },
    { begin: [0, 0, 0, 0], size: [n, outH, outW, cOut] },
  );
  release(backend, out);
  return cropped;
}

/** Conv2D / FusedConv2D attributes that matter here. */
interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/**
 * Runs a Conv2D or FusedConv2D by Winograd when it is a 3×3, stride-1 NHWC convolution with enough channels and
 * no activation other than ReLU; returns null otherwise (the caller runs the wasm backend's kernel).
 */
export function tryWinograd(
  backend: WasmBackendLike,
  inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: ConvAttrs,
): TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const activation = attrs.activation ?? 'linear';
  if (attrs.dataFormat !== 'NHWC' || preluActivationWeights != null) return null;
  if (activation !== 'linear' && activation !== 'relu') return null;
  if (filter.shape.length !== 4 || x.shape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const strides: [number, number] = [info.strideHeight, info.strideWidth];
  const dilations: [number, number] = [info.dilationHeight, info.dilationWidth];
  if (!winogradApplies(x, filter, strides, dilations)) return null;
  const cOut = filter.shape[3] as number;
  if (bias != null && (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== cOut)) return null;
  const { top, bottom, left, right } = info.padInfo;
  if (
    info.outHeight !== info.inHeight + top + bottom - 2 ||
    info.outWidth !== info.inWidth + left + right - 2
  ) {
    return null;
  }
  return winogradConv3x3(
    backend,
    x,
    filter,
    { top, bottom, left, right },
    bias ?? null,
    activation === 'relu',
  );
}

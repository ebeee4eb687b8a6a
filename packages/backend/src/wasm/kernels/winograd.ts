import { backend_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { f32, release, runKernel, runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { addressOf, type SimdExports, simdKernels } from '../simd/simd-module.js';

/**
 * 3×3, stride-1 convolutions by Winograd's minimal filtering (Lavin & Gray, "Fast Algorithms for Convolutional
 * Neural Networks", 2016). F(m×m, 3×3) computes each m×m block of outputs with (m+2)² multiplications per (input,
 * output) channel pair instead of 9m²: 2.25 times fewer for F(2×2), 4 times for F(4×4), which is taken where it
 * needs fewer products (outputs larger than 6×6). The transforms run in the SIMD module; the (m+2)² products
 * [tiles, C_in]·[C_in, C_out] on XNNPACK's matmul. Three uses, for channel counts that are multiples of 4 (≥ 8):
 * the forward pass (`winogradConv3x3`), the input gradient as the adjoint of F(4×4, 3×3)
 * (`winogradInputGradient`) and the filter gradient by the dual algorithm F(3×3, 4×4) (`winogradFilterGradient`).
 * Rounding: within a few float32 ulps of the accumulated values for F(2×2), about ten for F(4×4).
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

/** G (filter transform) of Winograd F(m×m, 3×3). */
const FILTER_TRANSFORMS: Record<2 | 4, number[][]> = {
  2: [
    [1, 0, 0],
    [1 / 2, 1 / 2, 1 / 2],
    [1 / 2, -1 / 2, 1 / 2],
    [0, 0, 1],
  ],
  4: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
};

/**
 * Coefficients of the separable 2-D transform G⊗G as a matrix [a², 9]: row a·ξ + ν, column 3i + j holds
 * G[ξ][i]·G[ν][j]. Its transpose maps the 36 Winograd products back to the 9 filter taps.
 */
const tapCoefficients = new Map<2 | 4, Float32Array>();
function tapsToTiles(m: 2 | 4): Float32Array {
  const cached = tapCoefficients.get(m);
  if (cached != null) return cached;
  const G = FILTER_TRANSFORMS[m];
  const a = m + 2;
  const out = new Float32Array(a * a * 9);
  for (let xi = 0; xi < a; xi++) {
    for (let nu = 0; nu < a; nu++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          out[(xi * a + nu) * 9 + i * 3 + j] =
            ((G[xi] as number[])[i] as number) * ((G[nu] as number[])[j] as number);
        }
      }
    }
  }
  tapCoefficients.set(m, out);
  return out;
}

/** The transpose of `tapsToTiles(m)`: [9, a²]. */
function tilesToTaps(m: 2 | 4): Float32Array {
  const forward = tapsToTiles(m);
  const a2 = forward.length / 9;
  const out = new Float32Array(9 * a2);
  for (let r = 0; r < a2; r++) for (let t = 0; t < 9; t++) out[t * a2 + r] = forward[r * 9 + t] as number;
  return out;
}

/** Runs simd.combineRows with `coefficients` copied into the heap. */
function combine(
  backend: WasmBackendLike,
  simd: SimdExports,
  src: TensorInfo,
  dst: TensorInfo,
  length: number,
  coefficients: Float32Array,
  rowsIn: number,
): void {
  const coefs = backend.makeOutput([coefficients.length], 'float32');
  f32(backend, coefs).set(coefficients);
  simd.combineRows(
    addressOf(backend, src),
    addressOf(backend, dst),
    length,
    rowsIn,
    coefficients.length / rowsIn,
    addressOf(backend, coefs),
  );
  release(backend, coefs);
}

/** GCNN_WINOGRAD=0 switches Winograd off, 2 or 4 forces a tile size (benchmarks); unset: the default choice. */
function tileFromEnvironment(): 0 | 2 | 4 | null {
  const value = typeof process !== 'undefined' ? process.env.GCNN_WINOGRAD : undefined;
  return value === '0' ? 0 : value === '2' ? 2 : value === '4' ? 4 : null;
}

let forcedTile: 0 | 2 | 4 | null = tileFromEnvironment();

/** XNNPACK's thread count on this backend. */
function xnnpackThreads(backend: WasmBackendLike): number {
  const tfjs = (backend as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm?.tfjs;
  return tfjs?.getThreadsCount?.() ?? 1;
}

/** With a thread pool, Winograd forward and input gradients need at least this many tiles. */
const MIN_TILES_WITH_THREADS = 2048;

/**
 * Whether a Winograd forward convolution or input gradient of `tiles` tiles beats XNNPACK's direct convolution.
 * With one XNNPACK thread (route B's workers, `threads: 1`) it always does. With a pool, the transforms run on the
 * calling thread only and each of the 36 small products pays the pool's synchronisation, so only large layers
 * gain (measured with 2 threads: 26×26 at batch 128, 4,608 tiles, forward 31 to 55 ms against 54 to 56 ms direct,
 * input gradient 33 to 44 against 64; 12×12, 1,152 tiles, no faster than direct, and 3 to 5 times slower than
 * direct when other processes keep the second core busy).
 */
function worthItWithThreads(backend: WasmBackendLike, tiles: number): boolean {
  return forcedTile != null || xnnpackThreads(backend) === 1 || tiles >= MIN_TILES_WITH_THREADS;
}

/** For tests and benchmarks: always use F(2×2) or F(4×4) tiles, 0 to switch Winograd off, null for the default. */
export function setWinogradTile(tile: 0 | 2 | 4 | null): void {
  forcedTile = tile;
}

/** The tile size with the fewest products (tiles · (m+2)²) for an output of outH × outW; ties go to 2. */
function chooseTile(outH: number, outW: number): 2 | 4 {
  if (forcedTile === 2 || forcedTile === 4) return forcedTile;
  const cost = (m: number) => Math.ceil(outH / m) * Math.ceil(outW / m) * (m + 2) ** 2;
  return cost(4) < cost(2) ? 4 : 2;
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
  const m = chooseTile(outH, outW);
  const a = m + 2;
  const tilesY = Math.ceil(outH / m);
  const tilesX = Math.ceil(outW / m);
  const rows = m * tilesY + 2;
  const cols = m * tilesX + 2;
  const tiles = n * tilesY * tilesX;
  const input =
    pad.top === 0 && pad.left === 0 && h === rows && w === cols
      ? x
      : padded(backend, simd, x, pad.top, pad.left, rows, cols);

  // The a² transformed inputs V and filters U, and a table of the V addresses for the kernel.
  // U = G·g·Gᵀ for every channel pair: a² combinations of the 9 taps (SIMD), then one [C_in, C_out] per element.
  const pairs = cIn * cOut;
  const allFilters = backend.makeOutput([a * a, pairs], 'float32');
  combine(backend, simd, filter, allFilters, pairs, tapsToTiles(m), 9);
  const filters = Array.from({ length: a * a }, (_, k) => {
    const info = backend.makeOutput([1, cIn, cOut], 'float32');
    const whole = f32(backend, allFilters);
    f32(backend, info).set(whole.subarray(k * pairs, (k + 1) * pairs));
    return info;
  });
  release(backend, allFilters);
  const inputs = Array.from({ length: a * a }, () => backend.makeOutput([1, tiles, cIn], 'float32'));
  const table = backend.makeOutput([a * a], 'int32');
  const setTable = (infos: TensorInfo[]) => {
    const view = backend.typedArrayFromHeap(table) as Int32Array;
    infos.forEach((info, k) => {
      view[k] = addressOf(backend, info);
    });
  };
  setTable(inputs);
  const inAddress = addressOf(backend, input);
  const tableAddress = addressOf(backend, table);
  (m === 2 ? simd.winogradInput2 : simd.winogradInput4)(
    inAddress,
    4 * cols * cIn,
    4 * rows * cols * cIn,
    cIn,
    n,
    tilesY,
    tilesX,
    tableAddress,
  );
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

  const out = backend.makeOutput([n, outH, outW, cOut], 'float32');
  let biasInfo = bias;
  if (biasInfo == null) {
    biasInfo = backend.makeOutput([cOut], 'float32');
    f32(backend, biasInfo).fill(0);
  }
  setTable(products);
  (m === 2 ? simd.winogradOutput2 : simd.winogradOutput4)(
    addressOf(backend, table),
    addressOf(backend, out),
    n,
    tilesY,
    tilesX,
    cOut,
    addressOf(backend, biasInfo),
    relu ? 0 : Number.NEGATIVE_INFINITY,
    outH,
    outW,
  );
  release(backend, table, ...products);
  if (bias == null) release(backend, biasInfo);
  return out;
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
  if (forcedTile === 0 || !winogradApplies(x, filter, strides, dilations)) return null;
  const cOut = filter.shape[3] as number;
  if (bias != null && (bias.dtype !== 'float32' || util.sizeFromShape(bias.shape) !== cOut)) return null;
  const { top, bottom, left, right } = info.padInfo;
  if (
    info.outHeight !== info.inHeight + top + bottom - 2 ||
    info.outWidth !== info.inWidth + left + right - 2
  ) {
    return null;
  }
  const m = chooseTile(info.outHeight, info.outWidth);
  const tiles = info.batchSize * Math.ceil(info.outHeight / m) * Math.ceil(info.outWidth / m);
  if (!worthItWithThreads(backend, tiles)) return null;
  return winogradConv3x3(
    backend,
    x,
    filter,
    { top, bottom, left, right },
    bias ?? null,
    activation === 'relu',
  );
}

/**
 * The filter gradient of a 3×3, stride-1 convolution by Winograd F(3×3, 4×4): dW[i, j] = Σ_{p,q} x[p+i, q+j]·
 * dy[p, q] is, per 4×4 tile of dy, a correlation with 3×3 outputs. By the duality of F(4×4, 3×3) (the same
 * trilinear form with the output and filter roles swapped), V = Bᵀ·x·B of each 6×6 input patch and
 * S = A·dy·Aᵀ of each 4×4 gradient tile give dW = Gᵀ·(Σ_tiles V ⊙ S)·G, where the sum over tiles is 36 small
 * matrix products [C_in, tiles]·[tiles, C_out] (a SIMD kernel: XNNPACK would repack the long operand every call).
 * 4 times fewer multiplications than the direct sum. Returns null when it does not apply.
 */
export function winogradFilterGradient(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  pad: { top: number; left: number },
): TensorInfo | null {
  if (forcedTile === 0) return null;
  const simd = simdKernels(backend);
  if (simd == null) return null;
  const [n, h, w, cIn] = x.shape as [number, number, number, number];
  const [, outH, outW, cOut] = dy.shape as [number, number, number, number];
  if (cIn % 4 !== 0 || cOut % 4 !== 0 || cIn < MIN_CHANNELS || cOut < MIN_CHANNELS) return null;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const tilesY = Math.ceil(outH / 4);
  const tilesX = Math.ceil(outW / 4);
  const tiles = n * tilesY * tilesX;
  const a = 6;
  // Padded copies: dy to whole tiles (zeros), x to the rows and columns the patches read.
  const dyRows = 4 * tilesY;
  const dyCols = 4 * tilesX;
  const dyPadded = dyRows === outH && dyCols === outW ? dy : padded(backend, simd, dy, 0, 0, dyRows, dyCols);
  const rows = dyRows + 2;
  const cols = dyCols + 2;
  const xPadded =
    pad.top === 0 && pad.left === 0 && h === rows && w === cols
      ? x
      : padded(backend, simd, x, pad.top, pad.left, rows, cols);
  const table = backend.makeOutput([a * a], 'int32');
  const setTable = (infos: TensorInfo[]) => {
    const view = backend.typedArrayFromHeap(table) as Int32Array;
    infos.forEach((info, k) => {
      view[k] = addressOf(backend, info);
    });
  };
  const v = Array.from({ length: a * a }, () => backend.makeOutput([tiles, cIn], 'float32'));
  setTable(v);
  simd.winogradInput4(
    addressOf(backend, xPadded),
    4 * cols * cIn,
    4 * rows * cols * cIn,
    cIn,
    n,
    tilesY,
    tilesX,
    addressOf(backend, table),
  );
  if (xPadded !== x) release(backend, xPadded);
  const s = Array.from({ length: a * a }, () => backend.makeOutput([tiles, cOut], 'float32'));
  setTable(s);
  simd.winogradGradientTiles4(
    addressOf(backend, dyPadded),
    4 * dyCols * cOut,
    4 * dyRows * dyCols * cOut,
    cOut,
    n,
    tilesY,
    tilesX,
    addressOf(backend, table),
  );
  if (dyPadded !== dy) release(backend, dyPadded);
  release(backend, table);
  // P_k = V_kᵀ·S_k, all 36 in one buffer.
  const pairs = cIn * cOut;
  const products = backend.makeOutput([a * a, cIn, cOut], 'float32');
  const pAddress = addressOf(backend, products);
  for (let k = 0; k < a * a; k++) {
    simd.gemmAtB(
      addressOf(backend, v[k] as TensorInfo),
      addressOf(backend, s[k] as TensorInfo),
      pAddress + 4 * k * pairs,
      tiles,
      cIn,
      cOut,
    );
  }
  release(backend, ...v, ...s);
  // dW[i, j] = Σ_{ξ,ν} G[ξ][i]·G[ν][j]·P_{ξν}: 9 combinations of the 36 products (SIMD).
  const dw = backend.makeOutput([3, 3, cIn, cOut], 'float32');
  combine(backend, simd, products, dw, pairs, tilesToTaps(4), a * a);
  release(backend, products);
  return dw;
}

/**
 * The input gradient of a 3×3, stride-1 convolution as the adjoint of F(4×4, 3×3): each 4×4 tile of dy becomes
 * S = A·dy·Aᵀ, the 36 products M = S·Uᵀ ([tiles, C_out]·[C_out, C_in], U = G·w·Gᵀ of the forward filter) run on
 * XNNPACK, and B·M·Bᵀ is added into the 6×6 patch of the padded input that the tile's outputs read (patches
 * overlap by two rows and columns). dy needs no padding when its size is a multiple of 4, and the tiles cover the
 * gradient without the waste of a padded forward convolution (26×26 from a 24×24 dy: 36 tiles per image, not 49).
 * `pad` is the forward padding; returns null when it does not apply.
 */
export function winogradInputGradient(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  pad: { top: number; left: number },
): TensorInfo | null {
  if (forcedTile === 0) return null;
  const simd = simdKernels(backend);
  if (simd == null) return null;
  const [n, h, w, cIn] = inputShape;
  const [, outH, outW, cOut] = dy.shape as [number, number, number, number];
  const [kh, kw] = filter.shape as [number, number, number, number];
  if (kh !== 3 || kw !== 3 || filter.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  if (cIn % 4 !== 0 || cOut % 4 !== 0 || cIn < MIN_CHANNELS || cOut < MIN_CHANNELS) return null;
  const tilesY = Math.ceil(outH / 4);
  const tilesX = Math.ceil(outW / 4);
  const tiles = n * tilesY * tilesX;
  if (!worthItWithThreads(backend, tiles)) return null;
  const dyRows = 4 * tilesY;
  const dyCols = 4 * tilesX;
  const dyPadded = dyRows === outH && dyCols === outW ? dy : padded(backend, simd, dy, 0, 0, dyRows, dyCols);
  const table = backend.makeOutput([36], 'int32');
  const setTable = (infos: TensorInfo[]) => {
    const view = backend.typedArrayFromHeap(table) as Int32Array;
    infos.forEach((info, k) => {
      view[k] = addressOf(backend, info);
    });
  };
  const s = Array.from({ length: 36 }, () => backend.makeOutput([1, tiles, cOut], 'float32'));
  setTable(s);
  simd.winogradGradientTiles4(
    addressOf(backend, dyPadded),
    4 * dyCols * cOut,
    4 * dyRows * dyCols * cOut,
    cOut,
    n,
    tilesY,
    tilesX,
    addressOf(backend, table),
  );
  if (dyPadded !== dy) release(backend, dyPadded);
  // Uᵀ: the filter with its channel axes swapped, then the 36 tap combinations; one [C_out, C_in] per element.
  const swapped = runKernel(backend, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  const pairs = cIn * cOut;
  const allFilters = backend.makeOutput([36, pairs], 'float32');
  combine(backend, simd, swapped, allFilters, pairs, tapsToTiles(4), 9);
  release(backend, swapped);
  const filters = Array.from({ length: 36 }, (_, k) => {
    const info = backend.makeOutput([1, cOut, cIn], 'float32');
    f32(backend, info).set(f32(backend, allFilters).subarray(k * pairs, (k + 1) * pairs));
    return info;
  });
  release(backend, allFilters);
  const products = s.map((sk, k) => {
    const m = runOriginal(
      backend,
      'BatchMatMul',
      { a: sk, b: filters[k] as TensorInfo },
      { transposeA: false, transposeB: false },
    );
    release(backend, sk);
    return m;
  });
  release(backend, ...filters);
  const rows = dyRows + 2;
  const cols = dyCols + 2;
  const full = backend.makeOutput([n, rows, cols, cIn], 'float32');
  f32(backend, full).fill(0);
  setTable(products);
  simd.winogradScatter4(
    addressOf(backend, table),
    addressOf(backend, full),
    n,
    tilesY,
    tilesX,
    cIn,
    4 * cols * cIn,
    4 * rows * cols * cIn,
  );
  release(backend, table, ...products);
  if (pad.top === 0 && pad.left === 0 && rows === h && cols === w) return full;
  const dx = runOriginal(
    backend,
    'Slice',
    { x: full },
    { begin: [0, pad.top, pad.left, 0], size: [n, h, w, cIn] },
  );
  release(backend, full);
  return dx;
}

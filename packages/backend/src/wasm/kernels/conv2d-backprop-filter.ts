import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  f32,
  release,
  reshapeInfo,
  runKernel,
  runOriginal,
  type WasmBackendLike,
} from '../kernel-context.js';
import { simdKernels } from '../simd/simd-module.js';
import { heapColumnSums } from './column-sums.js';
import { winogradFilterGradient } from './winograd.js';

/**
 * At most this many filter taps × input channels (the first, lifting layer of the MNIST models: 3·3·1) and
 * the convolution above would produce only a handful of output pixels, far below XNNPACK's tile size.
 */
const SMALL_PATCH = 16;

/**
 * dW as one matmul Pᵀ·dy, where Pᵀ [k·k·C_in, N·H'·W'] holds the input patches (few rows: cheap to write)
 * and dy [N·H'·W', C_out] is used as it is, for layers with very few input channels.
 */
function patchProduct(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  info: ReturnType<typeof backend_util.computeConv2DInfo>,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, padInfo } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const rows = kh * kw * inChannels;
  const cols = batchSize * outHeight * outWidth;
  const patches = backend.makeOutput([rows, cols], 'float32');
  const xs = f32(backend, x);
  const pt = f32(backend, patches);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < inChannels; c++) {
        let at = ((i * kw + j) * inChannels + c) * cols;
        for (let n = 0; n < batchSize; n++) {
          for (let p = 0; p < outHeight; p++) {
            const r = p * sh + i - padInfo.top;
            const inRow = r >= 0 && r < inHeight;
            const base = (n * inHeight + r) * inWidth;
            for (let q = 0; q < outWidth; q++, at++) {
              const col = q * sw + j - padInfo.left;
              pt[at] = inRow && col >= 0 && col < inWidth ? (xs[(base + col) * inChannels + c] as number) : 0;
            }
          }
        }
      }
    }
  }
  if (outChannels % 4 === 0 && simdKernels(backend) != null) {
    // Each row of Pᵀ weights the rows of dy: k·k·C_in passes of SIMD column sums, no repacking of dy.
    const dw = backend.makeOutput([kh, kw, inChannels, outChannels], 'float32');
    const values = new Float32Array(rows * outChannels);
    for (let t = 0; t < rows; t++) {
      values.set(
        heapColumnSums(backend, dy, 0, cols, outChannels, { info: patches, offset: t * cols }),
        t * outChannels,
      );
    }
    f32(backend, dw).set(values);
    release(backend, patches);
    return dw;
  }
  const dy2 = reshapeInfo(backend, dy, [cols, outChannels]);
  const product = runOriginal(
    backend,
    'BatchMatMul',
    { a: patches, b: dy2 },
    { transposeA: false, transposeB: false },
  );
  release(backend, patches, dy2);
  const dw = reshapeInfo(backend, product, [kh, kw, inChannels, outChannels]);
  release(backend, product);
  return dw;
}

/**
 * The filter gradient of a 2-D convolution (missing from tfjs-backend-wasm), computed as ONE forward
 * convolution that XNNPACK runs at full speed:
 *
 *   dW[i, j, c, o] = Σ_{n, p, q} x_pad[n, p·s + i, q·s + j, c] · dy[n, p, q, o]
 *
 * is a convolution whose batch is the input channel c, whose "channels" are the images n, and whose kernel
 * is dy seen as [p, q, n, o] applied with dilation s (the forward stride). So x is transposed to
 * [c, H, W, n], dy to [p, q, n, o], the convolution gives [c, i, j, o], and one last small transpose gives
 * [i, j, c, o]. Every stride and padding ('valid', 'same', explicit numbers) maps to the padding of that
 * convolution; rows and columns the forward pass never read are cut off by a slice.
 */
function conv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(`@gcnn/backend: Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { inHeight, inWidth, outHeight, outWidth, padInfo } = info;
  if (kh * kw * (x.shape[3] as number) <= SMALL_PATCH) return patchProduct(backend, x, dy, info);
  if (kh === 3 && kw === 3 && sh === 1 && sw === 1) {
    // Every output row/column the forward pass produced is in dy, so the padding is the forward one.
    const fast = winogradFilterGradient(backend, x, dy, { top: padInfo.top, left: padInfo.left });
    if (fast != null) return fast;
  }
  // Padded extent that the forward pass reads: (out - 1)·s + k rows. Extra input rows are cut afterwards.
  const bottom = Math.max(0, (outHeight - 1) * sh + kh - inHeight - padInfo.top);
  const right = Math.max(0, (outWidth - 1) * sw + kw - inWidth - padInfo.left);

  const xT = runKernel(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = runKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const conv = runOriginal(
    backend,
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padInfo.top, bottom],
        [padInfo.left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [sh, sw],
      dimRoundingMode: undefined as never,
    },
  );
  release(backend, xT, dyT);
  let cropped = conv;
  if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
    cropped = runOriginal(backend, 'Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [-1, kh, kw, -1] });
    release(backend, conv);
  }
  const dw = runKernel(backend, 'Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
  release(backend, cropped);
  return dw;
}

/** `Conv2DBackpropFilter` for the wasm backend. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};

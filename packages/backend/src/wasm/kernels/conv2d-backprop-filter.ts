import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { release, runKernel, runOriginal, type WasmBackendLike } from '../kernel-context.js';

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

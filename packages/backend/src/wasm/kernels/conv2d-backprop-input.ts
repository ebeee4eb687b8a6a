import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, originalKernel, release, runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { tryWinograd, winogradInputGradient } from './winograd.js';

/**
 * The filter of the convolution that computes dx, for stride s and T = ceil(k / s) taps per phase:
 * G[u, v, o, (a·s + b)·C + c] = W[a + s·(T-1-u), b + s·(T-1-v), c, o] (zero outside the filter).
 * For s = 1 this is the usual "rotate by 180° and swap channels".
 */
function phaseFilter(
  w: Float32Array,
  k: [number, number],
  s: number,
  cIn: number,
  cOut: number,
): Float32Array {
  const [kh, kw] = k;
  const th = Math.ceil(kh / s);
  const tw = Math.ceil(kw / s);
  const outPlanes = s * s * cIn;
  const g = new Float32Array(th * tw * cOut * outPlanes);
  for (let u = 0; u < th; u++) {
    for (let v = 0; v < tw; v++) {
      for (let a = 0; a < s; a++) {
        const i = a + s * (th - 1 - u);
        if (i >= kh) continue;
        for (let b = 0; b < s; b++) {
          const j = b + s * (tw - 1 - v);
          if (j >= kw) continue;
          for (let c = 0; c < cIn; c++) {
            const src = ((i * kw + j) * cIn + c) * cOut;
            const dst = (u * tw + v) * cOut * outPlanes + (a * s + b) * cIn + c;
            for (let o = 0; o < cOut; o++) g[dst + o * outPlanes] = w[src + o] as number;
          }
        }
      }
    }
  }
  return g;
}

/**
 * The input gradient of a 2-D convolution (the transposed convolution). tfjs-backend-wasm ships a plain
 * C++ loop for it (about a tenth of its forward speed); this replacement runs ONE forward XNNPACK
 * convolution instead. With stride s, output row r = q·s + a of the padded input receives
 * Σ_t dy[q - t] · W[a + s·t]: for each phase a that is a stride-1 correlation of dy with a reversed
 * sub-filter. All s² phases go into the output channels of one convolution (sub-filters padded with zeros
 * to T = ceil(k / s) taps), `DepthToSpace` interleaves them, and a slice removes the forward padding.
 * For s = 1 this is the usual full convolution with the rotated filter. Unequal strides fall back to the
 * wasm backend's own kernel.
 */
function conv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (dataFormat !== 'NHWC' || info.strideHeight !== info.strideWidth) {
    const fallback = originalKernel(Conv2DBackpropInput);
    if (fallback == null) throw new Error('@gcnn/backend: no Conv2DBackpropInput kernel for this case');
    return fallback({ inputs, backend: backend as never, attrs: attrs as never }) as TensorInfo;
  }
  const s = info.strideHeight;
  if (s === 1 && info.filterHeight === 3 && info.filterWidth === 3) {
    const fast = winogradInputGradient(backend, dy, filter, inputShape, info.padInfo);
    if (fast != null) return fast;
  }
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, inChannels, outChannels, padInfo } = info;
  const th = Math.ceil(kh / s);
  const tw = Math.ceil(kw / s);
  // Phase rows q = 0 .. Q-1 cover the padded input rows 0 .. Q·s - 1 ⊇ [top, top + H).
  const qh = Math.ceil((inHeight + padInfo.top) / s);
  const qw = Math.ceil((inWidth + padInfo.left) / s);
  const [, outH, outW] = dy.shape as [number, number, number, number];

  const g = phaseFilter(f32(backend, filter), [kh, kw], s, inChannels, outChannels);
  const gInfo = backend.makeOutput([th, tw, outChannels, s * s * inChannels], 'float32');
  f32(backend, gInfo).set(g);
  const convAttrs = {
    strides: [1, 1] as [number, number],
    pad: [
      [0, 0],
      [th - 1, Math.max(0, qh - outH)],
      [tw - 1, Math.max(0, qw - outW)],
      [0, 0],
    ] as backend_util.ExplicitPadding,
    dataFormat: 'NHWC' as const,
    dilations: [1, 1] as [number, number],
  };
  // A 3×3 phase filter (stride 1, k 3) goes through Winograd like a forward conv, else XNNPACK.
  const conv =
    tryWinograd(backend, { x: dy, filter: gInfo }, convAttrs) ??
    runOriginal(
      backend,
      'Conv2D',
      { x: dy, filter: gInfo },
      { ...convAttrs, dimRoundingMode: undefined as never },
    );
  release(backend, gInfo);
  let full = conv;
  if (s > 1) {
    full = runOriginal(backend, 'DepthToSpace', { x: conv }, { blockSize: s, dataFormat: 'NHWC' });
    release(backend, conv);
  }
  if (full.shape[1] === inHeight && full.shape[2] === inWidth && padInfo.top === 0 && padInfo.left === 0) {
    return full;
  }
  const dx = runOriginal(
    backend,
    'Slice',
    { x: full },
    { begin: [0, padInfo.top, padInfo.left, 0], size: [-1, inHeight, inWidth, -1] },
  );
  release(backend, full);
  return dx;
}

/** `Conv2DBackpropInput` for the wasm backend. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};

import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from '../kernel-context.js';
import { addressOf, simdKernels } from '../simd/simd-module.js';

/**
 * The gradient of max pooling: each output's gradient goes to the first largest input of its window (row-
 * major order, padding excluded), exactly as on the cpu backend. One pass over the windows with the channel
 * axis innermost, so every read is contiguous; the wasm backend's C++ loop for this took ~70 ms per P4CNN
 * step.
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendLike;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  const dx = backend.makeOutput(input.shape, 'float32');
  const xs = f32(backend, input);
  const dys = f32(backend, dy);
  const out = f32(backend, dx);
  out.fill(0);
  const simd = c % 4 === 0 ? simdKernels(backend) : null;
  const plain2x2 = padInfo.top === 0 && padInfo.left === 0 && filterHeight === 2 && filterWidth === 2;
  if (simd != null && plain2x2 && strideHeight === 2 && strideWidth === 2) {
    simd.maxPoolGrad2x2(
      addressOf(backend, input),
      addressOf(backend, dy),
      addressOf(backend, dx),
      batchSize,
      inHeight,
      inWidth,
      outHeight,
      outWidth,
      c,
    );
    return dx;
  }
  if (padInfo.top === 0 && padInfo.left === 0 && strideHeight >= filterHeight && strideWidth >= filterWidth) {
    disjointWindows(xs, dys, out, info);
    return dx;
  }
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * inHeight * inWidth * c;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - padInfo.top;
      const rStart = Math.max(0, r0);
      const rEnd = Math.min(inHeight, r0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - padInfo.left;
        const cStart = Math.max(0, c0);
        const cEnd = Math.min(inWidth, c0 + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = rStart; r < rEnd; r++) {
          for (let col = cStart; col < cEnd; col++) {
            const at = xBase + (r * inWidth + col) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = xs[at + ch] as number;
              if (v > (best[ch] as number)) {
                best[ch] = v;
                where[ch] = at + ch;
              }
            }
          }
        }
        const dyAt = ((n * outHeight + oh) * outWidth + ow) * c;
        for (let ch = 0; ch < c; ch++) {
          const w = where[ch] as number;
          if (w >= 0) out[w] = (out[w] as number) + (dys[dyAt + ch] as number);
        }
      }
    }
  }
  return dx;
}

/**
 * The common case of the models (2×2 windows, stride 2, no padding): windows do not overlap, so each input
 * receives at most one gradient and the window offsets are the same for every channel.
 */
function disjointWindows(
  xs: Float32Array,
  dys: Float32Array,
  out: Float32Array,
  info: ReturnType<typeof backend_util.computePool2DInfo>,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const taps = filterHeight * filterWidth;
  const offsets = new Int32Array(taps);
  let dyAt = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const corner = ((n * inHeight + oh * strideHeight) * inWidth + ow * strideWidth) * c;
        for (let r = 0; r < filterHeight; r++) {
          for (let q = 0; q < filterWidth; q++) offsets[r * filterWidth + q] = corner + (r * inWidth + q) * c;
        }
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let t = 0; t < taps; t++) {
            const at = (offsets[t] as number) + ch;
            const v = xs[at] as number;
            if (v > best) {
              best = v;
              where = at;
            }
          }
          if (where >= 0) out[where] = dys[dyAt + ch] as number;
        }
        dyAt += c;
      }
    }
  }
}

/** `MaxPoolGrad` for the wasm backend. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};

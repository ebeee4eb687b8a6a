import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from '../kernel-context.js';

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

/** `MaxPoolGrad` for the wasm backend. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};

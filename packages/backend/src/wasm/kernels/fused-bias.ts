import {
  _FusedMatMul,
  Conv2D,
  FusedConv2D,
  FusedDepthwiseConv2D,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, release, runOriginal, type WasmBackendLike } from '../kernel-context.js';
import { tryWinograd } from './winograd.js';

/**
 * tfjs-backend-wasm's fused kernels check the rank of the bias's *stored* shape, which is the shape the data
 * had when it was created, not the shape of the tensor passed in: a bias made by `reshape` (e.g. one bias
 * per G-channel repeated over its planes, `reshape(tile(b, [C, n]), [C·n])`) fails with "only supports
 * rank-1 bias". These wrappers hand the kernel a fresh rank-1 copy of the (small) bias.
 */
function withFreshBias(kernelName: string): KernelFunc {
  return ((args: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: never }) => {
    const { inputs, backend, attrs } = args;
    if (kernelName === FusedConv2D) {
      const fast = tryWinograd(backend, inputs as never, attrs);
      if (fast != null) return fast;
    }
    const bias = inputs.bias;
    if (bias == null || bias.dtype !== 'float32') return runOriginal(backend, kernelName, inputs, attrs);
    const values = f32(backend, bias).slice();
    const fresh = backend.makeOutput([values.length], 'float32');
    f32(backend, fresh).set(values);
    const out = runOriginal(backend, kernelName, { ...inputs, bias: fresh }, attrs);
    release(backend, fresh);
    return out;
  }) as unknown as KernelFunc;
}

/** `Conv2D` for the wasm backend: 3×3 stride-1 layers by Winograd F(2×2, 3×3), everything else by XNNPACK. */
export const conv2dConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: ((args: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: never }) => {
    const { inputs, backend, attrs } = args;
    return tryWinograd(backend, inputs as never, attrs) ?? runOriginal(backend, Conv2D, inputs, attrs);
  }) as unknown as KernelFunc,
};

/**
 * `FusedConv2D` (3×3 stride-1 layers by Winograd), `FusedDepthwiseConv2D` and `_FusedMatMul` for the wasm
 * backend, accepting reshaped biases.
 */
export const fusedBiasConfigs: KernelConfig[] = [FusedConv2D, FusedDepthwiseConv2D, _FusedMatMul].map(
  (kernelName) => ({
    kernelName,
    backendName: 'wasm',
    kernelFunc: withFreshBias(kernelName),
  }),
);

import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { rememberOriginal } from './kernel-context.js';
import { batchMatMulConfig } from './kernels/batch-mat-mul.js';
import { batchNormKernelConfigs } from './kernels/batch-norm-kernels.js';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './kernels/conv2d-backprop-input.js';
import { conv2dConfig, fusedBiasConfigs } from './kernels/fused-bias.js';
import { castConfig, identityConfig } from './kernels/identity.js';
import { maxPoolGradConfig } from './kernels/max-pool-grad.js';
import { meanConfig, sumConfig } from './kernels/reduce-leading-axes.js';
import { tileConfig } from './kernels/tile.js';
import { transposeConfig } from './kernels/transpose.js';
import { unsortedSegmentSumConfig } from './kernels/unsorted-segment-sum.js';

/** One kernel that `registerWasmTrainingKernels` puts on the wasm backend, and why. */
export interface TrainingKernel {
  /** The tfjs kernel name, e.g. 'Conv2DBackpropFilter'. */
  name: string;
  /** 'added' where wasm has no such kernel, 'replaced' where its own one is slow for training. */
  kind: 'added' | 'replaced';
  /** One line on what it does. */
  why: string;
}

const KERNELS: { config: KernelConfig; why: string }[] = [
  {
    config: conv2dBackpropFilterConfig,
    why: 'filter gradient: Winograd F(3×3, 4×4) for 3×3 stride-1 layers, else one XNNPACK convolution on transposed tensors',
  },
  {
    config: conv2dBackpropInputConfig,
    why: 'input gradient: the adjoint of Winograd F(4×4, 3×3) for 3×3 stride-1 layers, else one XNNPACK convolution (phase filters + DepthToSpace for strides)',
  },
  { config: unsortedSegmentSumConfig, why: 'gather gradient (filter expansion of G-convolutions)' },
  { config: batchMatMulConfig, why: 'transposed matmuls (matmul gradients) on the XNNPACK path' },
  { config: sumConfig, why: 'sums over leading or middle axes as SIMD column sums, no full transpose' },
  { config: meanConfig, why: 'means over leading or middle axes as SIMD column sums, no full transpose' },
  { config: maxPoolGradConfig, why: 'max-pool gradient in one pass (SIMD for 2×2 windows, stride 2)' },
  {
    config: transposeConfig,
    why: 'SIMD 4×4 block transposes and row copies (activations of the filter gradient)',
  },
  { config: tileConfig, why: 'block-doubling tiles (the batch-norm gradient tiles to the activation shape)' },
  { config: identityConfig, why: 'shares the data instead of copying it (as the cpu backend does)' },
  { config: castConfig, why: 'same-dtype casts share the data (the ReLU gradient casts a float mask)' },
  ...batchNormKernelConfigs.map((config) => ({
    config,
    why: 'fused batch-norm pass (moments, product sums, affine map) that @gcnn/layers uses when present',
  })),
  {
    config: conv2dConfig,
    why: '3×3 stride-1 convolutions by Winograd F(4×4, 3×3) or F(2×2, 3×3) with one XNNPACK thread: 2.25 to 4× fewer multiplications',
  },
  ...fusedBiasConfigs.map((config) => ({
    config,
    why: 'accepts a bias made by reshape (wasm checks the rank the data was created with)',
  })),
];

const ours = new Set<KernelConfig['kernelFunc']>(KERNELS.map((k) => k.config.kernelFunc));
let registered: TrainingKernel[] | null = null;

/**
 * Registers on the wasm backend every kernel that a training step of the paper's models needs and that
 * tfjs-backend-wasm 4.22 lacks (`Conv2DBackpropFilter`, `UnsortedSegmentSum`) or runs far below its
 * XNNPACK speed (`Conv2DBackpropInput`, transposed `BatchMatMul`, `Sum`/`Mean` over leading axes,
 * `MaxPoolGrad`), runs 3×3 stride-1 convolutions and their gradients by Winograd, and adds the fused
 * batch-norm kernels that @gcnn/layers uses. Replaced kernels still delegate to the originals for the cases they
 * do not improve.
 * Safe to call before or after `tf.setBackend('wasm')`, and more than once; `@tensorflow/tfjs-backend-wasm`
 * must be imported first (`selectBackend('wasm')` does all of this).
 *
 * @returns the kernels it registered
 */
export function registerWasmTrainingKernels(): TrainingKernel[] {
  if (registered != null) return registered;
  if (getKernel('Conv2D', 'wasm') == null) {
    throw new Error(
      "registerWasmTrainingKernels: the wasm backend is not loaded; import '@tensorflow/tfjs-backend-wasm' first (selectBackend('wasm') does)",
    );
  }
  const done: TrainingKernel[] = [];
  for (const { config, why } of KERNELS) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing != null && ours.has(existing.kernelFunc)) continue;
    if (existing != null) {
      rememberOriginal(config.kernelName, existing.kernelFunc);
      unregisterKernel(config.kernelName, 'wasm');
    }
    // The original's setup (cwrap of its C++ entry point) must still run when the backend initialises.
    const setupFunc = existing?.setupFunc;
    registerKernel({ ...config, ...(setupFunc != null ? { setupFunc } : {}) });
    done.push({ name: config.kernelName, kind: existing == null ? 'added' : 'replaced', why });
  }
  registered = done;
  return done;
}

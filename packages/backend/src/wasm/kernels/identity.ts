import {
  Cast,
  type CastAttrs,
  Identity,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runOriginal, type WasmBackendLike } from '../kernel-context.js';

/** The wasm backend's reference counting (the same method the cpu backend's aliasing kernels use). */
interface RefCounting extends WasmBackendLike {
  incRef(dataId: object): void;
}

/** Returns `x` itself under a new reference instead of a copy (tensors are immutable). */
function alias(backend: RefCounting, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity and same-dtype Cast copy the whole tensor on tfjs-backend-wasm (the cpu backend shares the
 * data); gradients go through both many times per step (e.g. the ReLU gradient casts a float mask to
 * float). Here they share the data, as on the cpu backend.
 */
function identity(args: { inputs: { x: TensorInfo }; backend: RefCounting }): TensorInfo {
  const { inputs, backend } = args;
  if (inputs.x.dtype === 'string') return runOriginal(backend, Identity, inputs);
  return alias(backend, inputs.x);
}

function cast(args: { inputs: { x: TensorInfo }; backend: RefCounting; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  if (inputs.x.dtype === attrs.dtype && attrs.dtype !== 'string') return alias(backend, inputs.x);
  return runOriginal(backend, Cast, inputs, attrs as never);
}

/** `Identity` for the wasm backend (no copy). */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};

/** `Cast` for the wasm backend (no copy when the dtype does not change). */
export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};

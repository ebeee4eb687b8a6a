import {
  type DataType,
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's `BackendWasm` that our kernels use. Tensors live in the wasm heap; a
 * kernel reads and writes them through views that must be taken again after every allocation (an
 * allocation may grow, and so replace, the heap's buffer).
 */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Original wasm kernels that we replaced, so that the replacements can still call them. */
const originals = new Map<string, KernelFunc>();

/** Remembers the wasm backend's own implementation of `kernelName` before it is overridden. */
export function rememberOriginal(kernelName: string, kernelFunc: KernelFunc): void {
  if (!originals.has(kernelName)) originals.set(kernelName, kernelFunc);
}

/** The wasm backend's own implementation of `kernelName` (even when we registered a replacement). */
export function originalKernel(kernelName: string): KernelFunc | undefined {
  return originals.get(kernelName) ?? getKernel(kernelName, 'wasm')?.kernelFunc;
}

/**
 * Runs the wasm backend's own kernel `kernelName` on TensorInfos (not Tensors: nothing is recorded on the
 * gradient tape). The caller owns the returned TensorInfo and must `release` it unless it is the output.
 */
export function runOriginal(
  backend: WasmBackendLike,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = originalKernel(kernelName);
  if (kernel == null) throw new Error(`@gcnn/backend: the wasm backend has no '${kernelName}' kernel`);
  const out = kernel({ inputs, backend: backend as never, attrs });
  if (Array.isArray(out)) throw new Error(`@gcnn/backend: kernel '${kernelName}' returned several outputs`);
  return out;
}

/** Runs whichever kernel is registered now for `kernelName` on the wasm backend (ours if we replaced it). */
export function runKernel(
  backend: WasmBackendLike,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm')?.kernelFunc;
  if (kernel == null) throw new Error(`@gcnn/backend: the wasm backend has no '${kernelName}' kernel`);
  const out = kernel({ inputs, backend: backend as never, attrs });
  if (Array.isArray(out)) throw new Error(`@gcnn/backend: kernel '${kernelName}' returned several outputs`);
  return out;
}

/** Frees intermediate TensorInfos made inside a kernel. */
export function release(backend: WasmBackendLike, ...infos: (TensorInfo | undefined)[]): void {
  for (const info of infos) if (info != null) backend.disposeData(info.dataId);
}

/** A reshaped alias of `x` (shares its memory; release it like any other intermediate). */
export function reshapeInfo(backend: WasmBackendLike, x: TensorInfo, shape: number[]): TensorInfo {
  if (util.sizeFromShape(shape) !== util.sizeFromShape(x.shape)) {
    throw new Error(`@gcnn/backend: cannot reshape [${x.shape}] to [${shape}]`);
  }
  return runOriginal(backend, 'Reshape', { x }, { shape });
}

/** Float32 view of a tensor in the wasm heap. Take it after the last allocation that precedes its use. */
export function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`@gcnn/backend: expected float32, got ${info.dtype}`);
  return view;
}

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../kernel-context.js';
import { assembleModule } from './assembler.js';
import { SIMD_FUNCTIONS } from './simd-kernels.js';

/** src, dst (byte addresses), rows, cols, srcStride, dstStride, reps, srcStep, dstStep (elements). */
export type TransposeArgs = [number, number, number, number, number, number, number, number, number];

/** The exported functions of the SIMD module (addresses are byte offsets in the wasm backend's heap). */
export interface SimdExports {
  transpose4(...args: TransposeArgs): void;
  transposeScalar(...args: TransposeArgs): void;
  copyRows(
    src: number,
    dst: number,
    rowLength: number,
    rows: number,
    srcStride: number,
    dstStride: number,
  ): void;
  columnSums(x: number, rows: number, cols: number, acc: number, block: number): void;
  weightedColumnSums(
    x: number,
    rows: number,
    cols: number,
    acc: number,
    block: number,
    weights: number,
  ): void;
  productSums(
    x: number,
    y: number,
    center: number,
    rows: number,
    cols: number,
    acc: number,
    block: number,
  ): void;
  affineColumns(...args: AffineArgs): void;
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inHeight: number,
    inWidth: number,
    outHeight: number,
    outWidth: number,
    channels: number,
  ): void;
  winogradInput2(...args: WinogradInputArgs): void;
  winogradOutput2(...args: WinogradOutputArgs): void;
  winogradInput4(...args: WinogradInputArgs): void;
  winogradOutput4(...args: WinogradOutputArgs): void;
  winogradGradientTiles4(...args: WinogradInputArgs): void;
  winogradScatter4(...args: WinogradInputArgs): void;
  gemmAtB(a: number, b: number, c: number, k: number, m: number, n: number): void;
  combineRows(
    src: number,
    dst: number,
    length: number,
    rowsIn: number,
    rowsOut: number,
    coefficients: number,
  ): void;
}

/** src (address), rowBytes, imageBytes, channels, batch, tilesY, tilesX, table (address of int32 addresses). */
export type WinogradInputArgs = [number, number, number, number, number, number, number, number];
/**
 * table, out (addresses), batch, tilesY, tilesX, channels, bias (address), lower (0 for ReLU, −∞ for none),
 * outHeight, outWidth.
 */
export type WinogradOutputArgs = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** x, a, b, y, center, c, out (byte addresses), rows, cols, withY (0 or 1). */
export type AffineArgs = [number, number, number, number, number, number, number, number, number, number];

/** The WebAssembly API (this package's TypeScript setup has no DOM or WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: unknown } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The parts of tfjs-backend-wasm's backend object that give the heap: its Emscripten module. */
interface EmscriptenBackend {
  wasm?: { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };
  getMemoryOffset?(dataId: object): number;
}

const instances = new WeakMap<WasmMemory, SimdExports>();
let disabled = typeof process !== 'undefined' && process.env.GCNN_WASM_SIMD_KERNELS === '0';

/** Turns the SIMD kernels off (the JS fallbacks run) or back on; for tests and benchmarks. */
export function setSimdKernelsEnabled(enabled: boolean): void {
  disabled = !enabled;
}

/**
 * The SIMD kernels instantiated on `backend`'s heap (its WasmMemory, imported by our module), or null
 * when the backend's memory is not reachable or SIMD is unavailable (then the callers use their JS loops).
 */
export function simdKernels(backend: WasmBackendLike): SimdExports | null {
  if (disabled) return null;
  const emscripten = (backend as unknown as EmscriptenBackend).wasm;
  const memory = emscripten?.asm?.memory ?? emscripten?.wasmMemory;
  if (memory == null || !(memory instanceof wasmApi.Memory)) return null;
  const cached = instances.get(memory);
  if (cached != null) return cached;
  try {
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const module = new wasmApi.Module(assembleModule(SIMD_FUNCTIONS, shared));
    const instance = new wasmApi.Instance(module, { env: { memory } });
    const exports = instance.exports as unknown as SimdExports;
    instances.set(memory, exports);
    return exports;
  } catch {
    disabled = true;
    return null;
  }
}

/**
 * Assembles and instantiates the SIMD kernels on `backend`'s heap asynchronously, so that `simdKernels` finds them
 * ready: browsers refuse the synchronous `new WebAssembly.Module` of more than 4 KB on the main thread. Returns
 * null when they are ready (or turned off on purpose), else why they are not (the JS loops run instead).
 */
export async function prepareSimdKernels(backend: WasmBackendLike): Promise<string | null> {
  if (disabled) return null;
  const emscripten = (backend as unknown as EmscriptenBackend).wasm;
  const memory = emscripten?.asm?.memory ?? emscripten?.wasmMemory;
  if (memory == null || !(memory instanceof wasmApi.Memory)) return 'the wasm heap is not reachable';
  if (instances.has(memory)) return null;
  try {
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const { instance } = await wasmApi.instantiate(assembleModule(SIMD_FUNCTIONS, shared), {
      env: { memory },
    });
    instances.set(memory, instance.exports as unknown as SimdExports);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Byte address of a tensor's data in the wasm heap. */
export function addressOf(backend: WasmBackendLike, info: TensorInfo): number {
  const b = backend as unknown as EmscriptenBackend;
  if (b.getMemoryOffset != null) return b.getMemoryOffset(info.dataId);
  return backend.typedArrayFromHeap(info).byteOffset;
}

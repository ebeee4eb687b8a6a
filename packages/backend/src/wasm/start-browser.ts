import * as tf from '@tensorflow/tfjs-core';
import { wantedThreads } from '../select-backend.js';
import type { WasmStarter } from './start.js';

/** The browser globals we read (this package's TypeScript setup has no DOM typings). */
interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/**
 * The binaries copied into this package's dist/ at build time. Written as literal `new URL(..., import.meta.url)`
 * so that bundlers (Vite, webpack, Parcel) emit them as assets and rewrite the URLs: no configuration needed.
 */
function bundledWasmFiles(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('./tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./tfjs-backend-wasm-threaded-simd.wasm', import.meta.url)
      .href,
  };
}

/**
 * Runs `init` while `navigator.hardwareConcurrency` reads `cores`: tfjs-backend-wasm's C++ side caps the XNNPACK
 * pool at half the logical cores it reads there, whatever `setThreadsCount` asked for.
 */
async function withLogicalCores(navigator: object, cores: number, init: () => Promise<void>): Promise<void> {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    await init();
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Browser: the bundled `.wasm` files, and XNNPACK threads (one per core) when the page is cross-origin isolated
 * (COOP/COEP headers), which SharedArrayBuffer and so wasm threads require; one thread otherwise.
 */
export const startBrowserWasm: WasmStarter = async (wasm, options, simd, init) => {
  const globals = globalThis as unknown as BrowserGlobals;
  const cores = globals.navigator?.hardwareConcurrency ?? 1;
  const isolated = globals.crossOriginIsolated === true;
  const asked = wantedThreads(options.threads, cores);
  const threadable =
    isolated && simd && ((await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean);
  const threads = threadable ? asked : 1;
  let threadsNote: string | undefined;
  if (asked > 1 && !threadable) {
    threadsNote = isolated
      ? 'this browser has no WebAssembly threads or SIMD, so one thread'
      : 'the page is not cross-origin isolated, so one thread: serve it with COOP/COEP headers for threads';
  }
  // One thread runs the plain SIMD build: the threaded one would start workers for nothing.
  if (threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const where =
    options.wasmPath ??
    "@gcnn/backend's dist/, as bundled; with Vite's dev server, add optimizeDeps: { exclude: ['@gcnn/backend'] }";
  wasm.setWasmPaths(options.wasmPath ?? bundledWasmFiles());
  wasm.setThreadsCount(threads);
  if (threads > 1 && globals.navigator != null) {
    await withLogicalCores(globals.navigator, 2 * Math.max(threads, cores), () => init(where));
  } else {
    await init(where);
  }
  return threadsNote != null ? { threadsNote } : {};
};

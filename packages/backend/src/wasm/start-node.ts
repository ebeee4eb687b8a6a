import os from 'node:os';
import { wantedThreads } from '../select-backend.js';
import { locateWasmFiles } from './paths.js';
import type { WasmStarter } from './start.js';
import { startThreadedWasm } from './threads.js';

/** Node: the `.wasm` files from node_modules, XNNPACK pthreads on worker_threads (see `startThreadedWasm`). */
export const startNodeWasm: WasmStarter = async (wasm, options, simd, init) => {
  const files = locateWasmFiles();
  const threads = wantedThreads(options.threads, os.availableParallelism());
  const where = options.wasmPath ?? files.distDir;
  wasm.setWasmPaths(where);
  if (threads > 1 && simd && typeof SharedArrayBuffer === 'function') {
    await startThreadedWasm(files, threads, wasm.setThreadsCount, () => init(where));
  } else {
    await init(where);
  }
  return {};
};

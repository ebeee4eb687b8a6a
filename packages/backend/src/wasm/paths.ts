import { createRequire } from 'node:module';
import path from 'node:path';

/** Where tfjs-backend-wasm's files are on disk. */
export interface WasmFiles {
  /** The folder with the `.wasm` binaries (the package's dist/), with a trailing separator. */
  distDir: string;
  /** The threaded Emscripten glue script, `wasm-out/tfjs-backend-wasm-threaded-simd.js`. */
  threadedScript: string;
  /** The module exporting the pthread worker's source, `wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`. */
  threadedWorkerModule: string;
}

/**
 * Finds the installed @tensorflow/tfjs-backend-wasm through Node's resolution from this module, so that the
 * `.wasm` binaries load in Node whatever the working directory and however the package was installed.
 */
export function locateWasmFiles(): WasmFiles {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  } catch (error) {
    throw new Error(
      `@gcnn/backend: cannot find @tensorflow/tfjs-backend-wasm (a dependency of @gcnn/backend): ${(error as Error).message}`,
    );
  }
  const root = path.dirname(manifest);
  return {
    distDir: path.join(root, 'dist') + path.sep,
    threadedScript: path.join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'),
    threadedWorkerModule: path.join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
  };
}

import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gcnnBuild } from '../../tsup.base.js';

const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

// Two entries: `browser` imports no Node module (the "browser" export condition); `index` adds Node's parts.
export default gcnnBuild(
  { index: 'src/index.ts', browser: 'src/browser.ts' },
  {
    // The browser build refers to the binaries as `new URL('./<name>.wasm', import.meta.url)`, so that bundlers
    // emit them as assets: they must sit next to the built chunks.
    async onSuccess() {
      const require = createRequire(import.meta.url);
      const wasmDist = path.join(
        path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
        'dist',
      );
      for (const name of WASM_BINARIES) copyFileSync(path.join(wasmDist, name), path.join('dist', name));
    },
  },
);

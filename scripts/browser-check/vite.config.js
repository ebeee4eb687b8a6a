// Vite config of the browser check's app: one page per check, and the COOP/COEP headers that make the page
// cross-origin isolated (SharedArrayBuffer, so wasm threads) unless GCNN_ISOLATED=0.
import { defineConfig } from 'vite';

const isolation =
  process.env.GCNN_ISOLATED === '0'
    ? {}
    : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  logLevel: 'warn',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    manifest: true,
    rollupOptions: {
      input: { 'stock-wasm': 'stock-wasm.html', train: 'train.html', load: 'load.html' },
    },
  },
  preview: { headers: isolation, strictPort: true },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: `browser` imports no Node module (the "browser" export condition); `index` adds file loading.
  entry: { index: 'src/index.ts', browser: 'src/browser.ts' },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});

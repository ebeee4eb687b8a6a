import { defineConfig } from 'tsup';

export default defineConfig({
  // worker-models: imported by the data-parallel workers (a module path, not a function).
  entry: ['src/cli.ts', 'src/index.ts', 'src/worker-models.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // Loaded by `new Worker(new URL('./data-parallel-worker.js', import.meta.url))`: must sit next to the chunks.
    'data-parallel-worker': 'src/data-parallel-worker.ts',
    'bench/index': 'bench/index.ts',
    'bench/cli': 'bench/cli.ts',
    'bench/profile-cli': 'bench/profile-cli.ts',
    // Imported by the data-parallel workers of the benchmark (a module path, not a function).
    'bench/standin-models': 'bench/standin-models.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: { entry: { index: 'src/index.ts', 'bench/index': 'bench/index.ts' } },
  sourcemap: true,
  clean: true,
});

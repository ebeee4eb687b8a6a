import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    // Loaded by `new Worker(new URL('./data-parallel-worker.js', import.meta.url))`: must sit next to the chunks.
    'data-parallel-worker': 'src/data-parallel/worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
  sourcemap: true,
  clean: true,
});

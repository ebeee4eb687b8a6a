import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the main one must not import mathjs (see src/index.ts); the symbolic one does.
  entry: { index: 'src/index.ts', symbolic: 'src/symbolic-index.ts' },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});

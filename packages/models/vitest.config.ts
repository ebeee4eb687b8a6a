import { defineConfig } from 'vitest/config';
import { stockBackendProjects, withoutTfjsNodeBanner } from '../../scripts/test-support/stock-backends.js';

export default defineConfig({
  test: {
    // Generous limits: no test may fail because the machine is slow or busy (a 2-core machine shared with
    // other jobs runs the heavy cases several times slower). Heavy cases are kept small instead.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    onConsoleLog: withoutTfjsNodeBanner,
    // On wasm, inference only: training needs Conv2DBackpropFilter and UnsortedSegmentSum, which stock wasm lacks
    // (@gcnn/backend adds them); the docs and parameter counts do not depend on the backend.
    projects: stockBackendProjects({
      include: ['test/invariance.test.ts', 'test/serialization.test.ts', 'test/pretrained.test.ts'],
    }),
  },
});

import { defineConfig } from 'vitest/config';
import { stockBackendProjects, withoutTfjsNodeBanner } from '../../scripts/test-support/stock-backends.js';

export default defineConfig({
  test: {
    // Generous limits: no test may fail because the machine is slow or busy (a 2-core machine shared with
    // other jobs runs the heavy cases several times slower). Heavy cases are kept small instead.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    onConsoleLog: withoutTfjsNodeBanner,
    // Training needs Conv2DBackpropFilter and UnsortedSegmentSum, which stock wasm lacks (@gcnn/backend adds
    // them); the fused batch-norm test registers its reference kernels on cpu only.
    projects: stockBackendProjects({ exclude: ['test/gradients.test.ts', 'test/batch-norm-fused.test.ts'] }),
  },
});

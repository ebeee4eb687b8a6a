import { defineConfig } from 'vitest/config';
import { withoutTfjsNodeBanner } from '../../scripts/test-support/stock-backends.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous limits: no test may fail because the machine is slow or busy (a 2-core machine shared with
    // other jobs runs the heavy cases several times slower). Heavy cases are kept small instead.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    onConsoleLog: withoutTfjsNodeBanner,
  },
});

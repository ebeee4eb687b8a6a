import { defineConfig } from 'vitest/config';
import { withoutTfjsNodeBanner } from '../../scripts/test-support/stock-backends.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    onConsoleLog: withoutTfjsNodeBanner,
    // Worker start-up and model builds are slow on a busy 2-core machine; no test depends on speed.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

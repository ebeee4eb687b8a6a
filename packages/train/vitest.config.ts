import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker start-up and model builds are slow on a busy 2-core machine; no test depends on speed.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

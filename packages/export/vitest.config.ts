import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Exporting and running the ResNets is heavy on a busy 2-core machine; no test depends on speed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});

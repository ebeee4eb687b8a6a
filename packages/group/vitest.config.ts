import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Seeds fast-check and sets its default number of runs for every property.
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Seeds fast-check and sets its default number of runs for every property.
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // The test files share one module graph per worker: mathjs loads once, not once per file (half the CPU time).
    // Nothing here keeps mutable global state apart from the cache of derived laws, which is meant to be shared.
    isolate: false,
  },
});

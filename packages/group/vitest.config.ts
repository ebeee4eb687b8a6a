import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Seeds fast-check and sets its default number of runs for every property.
    setupFiles: ['test/setup.ts'],
    // Generous limits: no test may fail because the machine is slow or busy (a 2-core machine shared with
    // other jobs runs the heavy cases several times slower). Heavy cases are kept small instead.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // The test files share one module graph per worker: mathjs loads once, not once per file (half the CPU time).
    // Nothing here keeps mutable global state apart from the cache of derived laws, which is meant to be shared.
    isolate: false,
  },
});

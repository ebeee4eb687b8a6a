import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous limits: no test may fail because the machine is slow or busy; the CLI tests spawn processes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

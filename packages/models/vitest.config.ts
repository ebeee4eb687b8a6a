import { defineConfig } from 'vitest/config';

// tfjs' cpu backend prints this once per process in Node, suggesting tfjs-node; it says nothing about the tests.
// Only lines containing this exact sentence are dropped: every other warning still shows.
const TFJS_NODE_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    onConsoleLog: (log) => !log.includes(TFJS_NODE_BANNER),
    // The same tests on two stock tfjs backends (no @gcnn/backend), so that a layer that breaks on one of them
    // cannot pass unnoticed. test/setup-backend.ts starts the project's backend.
    projects: [
      {
        extends: true,
        test: {
          name: 'cpu',
          include: ['test/**/*.test.ts'],
          setupFiles: ['test/setup-backend.ts'],
          env: { GCNN_TEST_BACKEND: 'cpu' },
        },
      },
      {
        extends: true,
        test: {
          name: 'wasm',
          // Inference only: training needs Conv2DBackpropFilter and UnsortedSegmentSum, which stock wasm lacks
          // (@gcnn/backend adds them); the docs and parameter counts do not depend on the backend.
          include: ['test/invariance.test.ts', 'test/serialization.test.ts'],
          setupFiles: ['test/setup-backend.ts'],
          env: { GCNN_TEST_BACKEND: 'wasm' },
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

// tfjs' cpu backend prints this once per process in Node, suggesting tfjs-node; it says nothing about the tests.
// Only lines containing this exact sentence are dropped: every other warning still shows.
const TFJS_NODE_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    onConsoleLog: (log) => !log.includes(TFJS_NODE_BANNER),
  },
});

import { defineConfig } from 'vitest/config';

// tfjs' cpu backend prints this once per process in Node, suggesting tfjs-node; it says nothing about the tests.
// Only lines containing this exact sentence are dropped: every other warning still shows.
const TFJS_NODE_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous limits: no test may fail because the machine is slow or busy (a 2-core machine shared with
    // other jobs runs the heavy cases several times slower). Heavy cases are kept small instead.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    onConsoleLog: (log) => !log.includes(TFJS_NODE_BANNER),
  },
});

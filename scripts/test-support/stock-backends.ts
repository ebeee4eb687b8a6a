// The stock tfjs backends that the layers and models suites run on, one vitest project each, so that a layer that
// breaks on one of them cannot pass unnoticed. Shared by those packages' vitest configs and test helpers.

/** The stock tfjs backends the suites run on. */
export type TestBackend = 'cpu' | 'wasm';

/** The backend of this vitest project (GCNN_TEST_BACKEND, set per project below; cpu by default). */
export const TEST_BACKEND: TestBackend = (() => {
  const name = process.env.GCNN_TEST_BACKEND ?? 'cpu';
  if (name !== 'cpu' && name !== 'wasm')
    throw new Error(`GCNN_TEST_BACKEND must be cpu or wasm, got ${name}`);
  return name;
})();

// tfjs' cpu backend prints this once per process in Node, suggesting tfjs-node; it says nothing about the tests.
const TFJS_NODE_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

/** For vitest's `onConsoleLog`: drops only lines with tfjs' Node banner, every other warning still shows. */
export function withoutTfjsNodeBanner(log: string): boolean {
  return !log.includes(TFJS_NODE_BANNER);
}

/**
 * The vitest projects of a suite: every test on cpu, and on stock wasm those that `wasm` selects (training needs
 * kernels stock wasm lacks, which @gcnn/backend adds). test/setup-backend.ts starts the project's backend.
 */
export function stockBackendProjects(wasm: { include?: string[]; exclude?: string[] }) {
  const project = (name: TestBackend, files: { include?: string[]; exclude?: string[] }) => ({
    extends: true as const,
    test: {
      name,
      include: files.include ?? ['test/**/*.test.ts'],
      ...(files.exclude ? { exclude: files.exclude } : {}),
      setupFiles: ['test/setup-backend.ts'],
      env: { GCNN_TEST_BACKEND: name },
    },
  });
  return [project('cpu', {}), project('wasm', wasm)];
}

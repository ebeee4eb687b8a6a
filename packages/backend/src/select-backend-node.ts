import * as tf from '@tensorflow/tfjs-core';
import {
  BackendUnavailableError,
  loadNativeBackend,
  nativeUnavailableDetails,
  nativeUnavailableMessage,
} from './native.js';
import {
  type BackendPreference,
  type BackendReport,
  type Platform,
  type SelectBackendOptions,
  selectBackendOn,
} from './select-backend.js';
import { startWasm } from './wasm/start.js';
import { startNodeWasm } from './wasm/start-node.js';

const node: Platform = {
  startWasm: (options) => startWasm(options, startNodeWasm),
  async startNative() {
    const loaded = await loadNativeBackend();
    if (!loaded.ok) return loaded;
    if (!(await tf.setBackend('tensorflow'))) {
      return {
        ok: false,
        failures: [{ name: loaded.name, error: "it loaded but tf.setBackend('tensorflow') failed" }],
      };
    }
    return {
      ok: true,
      report: { name: 'tensorflow', package: loaded.name, threads: 0, simd: false, kernels: [] },
    };
  },
  nativeUnavailable: (failures) =>
    new BackendUnavailableError(nativeUnavailableMessage(), nativeUnavailableDetails(failures)),
  envPreference: () => (typeof process !== 'undefined' ? process.env.GCNN_BACKEND : undefined),
};

/**
 * Picks and prepares the TensorFlow.js backend for training, and says what it chose (Node build).
 *
 * - 'tensorflow': `@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node` (optional peer dependencies,
 *   loaded only here). Throws a `BackendUnavailableError` naming what to install when neither loads.
 * - 'wasm': `@tensorflow/tfjs-backend-wasm` with its `.wasm` files found in node_modules, XNNPACK threads on
 *   every core (see `threads`) and the training kernels it lacks (see `registerWasmTrainingKernels`).
 * - 'cpu': the pure-JS backend (slow; for tests and reference numbers), with a fast filter gradient
 *   (see `registerCpuTrainingKernels`).
 * - 'auto': the fastest available, in that order: tfjs-node-gpu, tfjs-node, wasm, cpu.
 *
 * Call it before creating any tensor (the wasm backend starts asynchronously and cannot adopt tensors made
 * on another backend). The environment variable GCNN_BACKEND, when set, replaces 'auto'.
 *
 * @example
 * const report = await selectBackend('auto');
 * console.log(`${report.name}: ${report.reason}`);
 */
export function selectBackend(
  preference: BackendPreference = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendReport> {
  return selectBackendOn(node, preference, options);
}

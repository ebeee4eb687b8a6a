import { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
import {
  type BackendPreference,
  type BackendReport,
  type Platform,
  type SelectBackendOptions,
  selectBackendOn,
} from './select-backend.js';
import { startWasm } from './wasm/start.js';
import { startBrowserWasm } from './wasm/start-browser.js';

const NODE_ONLY = 'native TensorFlow runs only in Node';

const browser: Platform = {
  startWasm: (options) => startWasm(options, startBrowserWasm),
  startNative: async () => ({
    ok: false,
    failures: NATIVE_PACKAGES.map((name) => ({ name, error: NODE_ONLY })),
  }),
  nativeUnavailable: () =>
    new BackendUnavailableError(
      `selectBackend('tensorflow'): ${NODE_ONLY} (@tensorflow/tfjs-node); in a browser use 'wasm' or 'auto'`,
    ),
  envPreference: () => undefined,
};

/**
 * Picks and prepares the TensorFlow.js backend for training, and says what it chose (browser build).
 *
 * - 'wasm': `@tensorflow/tfjs-backend-wasm` with no configuration: its `.wasm` files ship in this package and
 *   the bundler emits them as assets; XNNPACK threads on every core (`navigator.hardwareConcurrency`) when the
 *   page is cross-origin isolated (COOP/COEP headers), else one; and the training kernels wasm lacks.
 * - 'cpu': the pure-JS backend (slow; for reference numbers), with a fast filter gradient.
 * - 'auto': wasm, else cpu. 'tensorflow' (tfjs-node) throws a `BackendUnavailableError`: it is Node only.
 *
 * Call it before creating any tensor (the wasm backend starts asynchronously and cannot adopt tensors made
 * on another backend).
 *
 * @example
 * const report = await selectBackend('auto');
 * console.log(`${report.name}: ${report.reason}`);
 */
export function selectBackend(
  preference: BackendPreference = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendReport> {
  return selectBackendOn(browser, preference, options);
}

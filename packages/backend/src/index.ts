export { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
export {
  type BackendPreference,
  type BackendReport,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
export { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

export { registerCpuTrainingKernels } from './cpu/training-kernels.js';
export { fileSystem, MODEL_JSON, registerFileSystemRouter, WEIGHTS_BIN } from './io/file-system.js';
export { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
export {
  type BackendPreference,
  type BackendReport,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
export { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

// @gcnn/backend for Node: the browser-safe part plus native TensorFlow, wasm threads on worker_threads, and
// file-system model IO. Bundlers pick ./browser.ts through the "browser" export condition.
export { registerCpuTrainingKernels } from './cpu/training-kernels.js';
export { fileSystem, MODEL_JSON, registerFileSystemRouter, WEIGHTS_BIN } from './io/file-system.js';
export { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
export type { BackendPreference, BackendReport, SelectBackendOptions } from './select-backend.js';
export { selectBackend } from './select-backend-node.js';
export { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

// @gcnn/backend for browsers (the "browser" export condition): backend selection and the training kernels,
// no Node module. File-system IO and native TensorFlow are in the Node build (index.ts).
export { registerCpuTrainingKernels } from './cpu/training-kernels.js';
export { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
export type { BackendPreference, BackendReport, SelectBackendOptions } from './select-backend.js';
export { selectBackend } from './select-backend-browser.js';
export { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

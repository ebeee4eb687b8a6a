export { registerCpuTrainingKernels } from './cpu/training-kernels.js';
export {
  type DataParallelOptions,
  DataParallelTrainer,
  type StepOptions,
  type StepResult,
} from './data-parallel.js';
export type {
  AdamSettings,
  DataParallelOptimizer,
  MomentumSettings,
  TrainerState,
  VariableInfo,
} from './data-parallel-protocol.js';
export { fileSystem, MODEL_JSON, registerFileSystemRouter, WEIGHTS_BIN } from './io/file-system.js';
export { BackendUnavailableError, NATIVE_PACKAGES } from './native.js';
export {
  type BackendPreference,
  type BackendReport,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
export {
  asTrainable,
  classificationLoss,
  ensureGradients,
  fromLayersModel,
  type LayersModelLike,
  type ModelFactory,
  type TrainableModel,
} from './train-step.js';
export { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

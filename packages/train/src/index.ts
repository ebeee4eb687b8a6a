// @gcnn/train: training of tfjs image classifiers (the G-CNNs of @gcnn/models and any other), in any environment.
// The Node entry (node.ts) adds data-parallel training on worker threads.
export {
  allLayers,
  batchNormLayers,
  type FinetuneOptions,
  finetuneBatchNorm,
  isBatchNormLayer,
  isDropoutLayer,
  recomputeBatchNormStatistics,
} from './batch-norm-finetune.js';
export { isWasmAbort, NonFiniteLossError, WasmMemoryError } from './errors.js';
export { type EvaluateOptions, type Evaluation, evaluate } from './evaluate.js';
export {
  type BatchLogs,
  type EpochLogs,
  type FitCallbacks,
  type FitHistory,
  type FitOptions,
  fit,
  type ReplicaSpec,
} from './fit.js';
export { ensureGradients, imageModelShape, stateVariables, trainableVariables } from './model.js';
export {
  type AdamSettings,
  createOptimizer,
  DEFAULT_OPTIMIZER,
  disposeOptimizer,
  type LearningRateStep,
  learningRateAt,
  type MomentumSettings,
  type OptimizerSettings,
  optimizerSettings,
  setLearningRate,
} from './optimizer.js';
export { deriveSeed, seededUniform, type UniformRandom, withMathRandom } from './random.js';
export { inProcessRunner, type StepRunner } from './runner.js';
export {
  applyUpdate,
  computeGradients,
  countErrors,
  crossEntropy,
  type StepResult,
  trainStep,
} from './step.js';
export {
  type OptimizerState,
  readOptimizerState,
  readTrainingState,
  roundTripOptimizerState,
  type TrainingState,
  writeOptimizerState,
  writeTrainingState,
} from './training-state.js';
export { yieldToEventLoop } from './yield.js';

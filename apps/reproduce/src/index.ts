/**
 * The engine behind the `gcnn` command, for scripts and tests: training runs with the paper's protocols,
 * resumable run directories, exact batch-norm statistics, and the table reports.
 */
export { TABLE1_BUDGETS, TABLE1_MODELS, TABLE2_BUDGETS, type Table1Budget } from './budgets.js';
export { recomputeBatchNormStatistics } from './engine/batch-norm-stats.js';
export {
  type Batch,
  type ImageSet,
  makeBatch,
  normalizeSet,
  scalarMoments,
  type TrainingData,
} from './engine/dataset.js';
export { type Evaluation, evaluate } from './engine/evaluate.js';
export type { TrainingObserver } from './engine/observer.js';
export { countTrainableParameters } from './engine/parameters.js';
export {
  type AdamSettings,
  cifarProtocol,
  learningRateAt,
  type MomentumSettings,
  mnistRotProtocol,
  type TrainingProtocol,
} from './engine/protocol.js';
export { createRandom, deriveSeed, permutation, withMathRandom } from './engine/seeded-random.js';
export { disposeModel, type TrainRunOptions, type TrainRunResult, trainRun } from './engine/train-run.js';
export { trainStep } from './engine/train-step.js';
export { InterruptedError, NonFiniteLossError, UserError } from './errors.js';
export { main } from './main.js';
export type { DataSpec, RunConfig } from './run/run-config.js';
export { type EpochRecord, RunDirectory, type RunMetrics, type RunState } from './run/run-dir.js';

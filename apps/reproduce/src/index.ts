/**
 * The engine behind the `gcnn` command, for scripts and tests: training runs with the paper's protocols,
 * resumable run directories and the table reports. Training itself is @gcnn/train's.
 */
export { TABLE1_BUDGETS, TABLE1_MODELS, TABLE2_BUDGETS, type Table1Budget } from './budgets.js';
export { InterruptedError, NonFiniteLossError, UserError } from './errors.js';
export type { TrainingData } from './integrations/data.js';
export { main } from './main.js';
export type { TrainingObserver } from './run/observer.js';
export { cifarProtocol, mnistRotProtocol, type TrainingProtocol } from './run/protocol.js';
export type { DataSpec, RunConfig } from './run/run-config.js';
export { type EpochRecord, RunDirectory, type RunMetrics, type RunState } from './run/run-dir.js';
export { disposeModel, type TrainRunOptions, type TrainRunResult, trainRun } from './run/train-run.js';

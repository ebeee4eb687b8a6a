// @gcnn/train for Node: everything of the browser-safe entry, plus data-parallel training on worker threads,
// which `fit({ workers })` uses once this entry is loaded.
import { startParallelRunner } from './data-parallel/runner.js';
import { registerParallelRunner } from './fit.js';

registerParallelRunner(startParallelRunner);

export type { VariableInfo } from './data-parallel/protocol.js';
export { parallelRunner, type ReplicaTrainer, startParallelRunner } from './data-parallel/runner.js';
export { type DataParallelOptions, DataParallelTrainer } from './data-parallel/trainer.js';
export * from './index.js';

import { deriveSeed } from '@gcnn/train';
import { PAPER_EPOCHS } from '../budgets.js';
import type { TrainingData } from '../integrations/data.js';
import { buildModel, cliName, findModel, replicaFor } from '../integrations/models.js';
import { type CifarFamily, cifarProtocol, mnistRotProtocol, type TrainingProtocol } from '../run/protocol.js';
import type { DataSpec, RunConfig } from '../run/run-config.js';
import { RunDirectory, type RunMetrics } from '../run/run-dir.js';
import { disposeModel, trainRun } from '../run/train-run.js';
import type { CommandContext } from './context.js';

/** Help of the --workers option. */
export const WORKERS_HELP =
  'data-parallel workers, each training a replica on its share of every batch (default: 2 on wasm with 2+ cores, ' +
  'else 1; 1 = in one process, with batch-norm statistics over the whole batch)';

/** One line on how a run trains, e.g. "data-parallel on 2 workers (batch-norm statistics over 64 of 128 images)". */
export function describeWorkers(workers: number, batchSize: number): string {
  if (workers <= 1) return 'in one process (batch-norm statistics over the whole batch)';
  return `data-parallel on ${workers} workers (batch-norm statistics over each worker's ${Math.ceil(batchSize / workers)} of ${batchSize} images)`;
}

/** Protocol choices a user may override from the command line. */
export interface ProtocolOverrides {
  epochs?: number;
  evalEvery?: number;
  batchSize?: number;
  learningRate?: number;
}

/** The paper's protocol for a model, with the user's overrides applied. */
export function protocolFor(model: string, overrides: ProtocolOverrides): TrainingProtocol {
  const entry = findModel(model);
  const extra: Partial<TrainingProtocol> = {
    ...(overrides.evalEvery === undefined ? {} : { evalEvery: overrides.evalEvery }),
    ...(overrides.batchSize === undefined ? {} : { batchSize: overrides.batchSize }),
  };
  let protocol =
    entry.dataset === 'mnist-rot'
      ? mnistRotProtocol(overrides.epochs ?? PAPER_EPOCHS[cliName(entry)] ?? 100, extra)
      : cifarProtocol(entry.family as CifarFamily, overrides.epochs, extra);
  if (overrides.learningRate !== undefined) {
    protocol = { ...protocol, optimizer: { ...protocol.optimizer, learningRate: overrides.learningRate } };
  }
  return protocol;
}

/** A run's config from its parts. */
export function runConfig(
  model: string,
  seed: number,
  protocol: TrainingProtocol,
  data: DataSpec,
  backend: string,
  workers: number,
): RunConfig {
  return { format: 'gcnn-run/1', model, seed, protocol, data, backend, workers };
}

/**
 * Trains (or resumes, or just reads back) one run in `dir` and returns its metrics and per-epoch log.
 * A run that is already complete is not trained again when `resume` is set.
 */
export async function runExperiment(options: {
  dir: string;
  config: RunConfig;
  data: TrainingData;
  backend: string;
  resume: boolean;
  context: CommandContext;
  label: string;
  keepCheckpoints?: boolean;
}): Promise<{
  metrics: RunMetrics;
  history: Awaited<ReturnType<RunDirectory['readLog']>>;
  trained: boolean;
}> {
  const run = await RunDirectory.open(options.dir, options.config, { resume: options.resume });
  const state = await run.readState();
  const saved = state?.status === 'complete' ? await run.readMetrics() : undefined;
  if (saved) {
    options.context.progress.log(`[${options.label}] already complete in ${run.dir}`);
    return { metrics: saved, history: await run.readLog(), trained: false };
  }
  try {
    const result = await trainRun({
      run,
      data: options.data,
      buildModel: () => buildModel(options.config.model, deriveSeed(options.config.seed, 'init')),
      backend: options.backend,
      observer: options.context.progress.observe(options.label),
      signal: options.context.signal,
      keepCheckpoints: options.keepCheckpoints ?? false,
      ...((options.config.workers ?? 1) > 1 ? { replica: replicaFor(options.config.model) } : {}),
    });
    disposeModel(result.model);
    return { metrics: result.metrics, history: result.history, trained: true };
  } finally {
    options.context.progress.stopBar();
  }
}

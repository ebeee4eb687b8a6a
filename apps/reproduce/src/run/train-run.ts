import { countTrainableParams } from '@gcnn/models';
import {
  createOptimizer,
  NonFiniteLossError as DivergedError,
  deriveSeed,
  disposeOptimizer,
  type Evaluation,
  evaluate,
  finetuneBatchNorm,
  fit,
  type ReplicaSpec,
  roundTripOptimizerState,
  seededUniform,
  withMathRandom,
} from '@gcnn/train';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InterruptedError, NonFiniteLossError, UserError } from '../errors.js';
import type { TrainingData } from '../integrations/data.js';
import { loadCheckpoint, pruneCheckpoints, saveCheckpoint } from './checkpoint.js';
import type { TrainingObserver } from './observer.js';
import { evaluatesAfter } from './protocol.js';
import { RANDOM_SCHEME } from './random-scheme.js';
import type { EpochRecord, RunDirectory, RunMetrics, RunState } from './run-dir.js';

/** Inputs of `trainRun`. */
export interface TrainRunOptions {
  /** The opened run directory; its config says model, seed, protocol and data. */
  run: RunDirectory;
  /** The data the config names, loaded and preprocessed. */
  data: TrainingData;
  /** Builds the untrained model (logits out). Called under the run's seeded `Math.random`. */
  buildModel: () => tfl.LayersModel;
  /** The backend actually in use, for the log. */
  backend: string;
  observer?: TrainingObserver;
  /** Aborting stops the run at the next batch; its reason (an InterruptedError) is thrown. */
  signal?: AbortSignal;
  /** Keep every epoch's checkpoint instead of only the latest. */
  keepCheckpoints?: boolean;
  /** Batch size of the test-set evaluation. */
  evalBatchSize?: number;
  /** How data-parallel workers build the model, when the config asks for more than one (`config.workers`). */
  replica?: ReplicaSpec;
}

/** A finished run: its metrics and the trained model (the caller disposes it with `disposeModel`). */
export interface TrainRunResult {
  metrics: RunMetrics;
  model: tfl.LayersModel;
  /** The log of every epoch of the run (this and earlier sessions). */
  history: EpochRecord[];
}

/** Disposes a model and the optimizer it was compiled with. */
export function disposeModel(model: tfl.LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  disposeOptimizer(optimizer);
}

/**
 * Trains one model under the run's protocol with @gcnn/train's `fit`, continuing from the run's last checkpoint
 * if it has one.
 *
 * After each epoch: BN finetune and test evaluation when the protocol says so, one log line, a checkpoint
 * (weights + optimizer state) and state.json, in that order, each written atomically. Interrupting (the signal)
 * loses at most the current epoch; a NaN/Inf loss stops the run before the bad update and keeps the last good
 * checkpoint. An interrupted-and-resumed run ends with exactly the weights of an uninterrupted one: fit's random
 * streams are functions of (seed, epoch, batch) and the optimizer state round-trips exactly.
 *
 * With `config.workers` > 1 the steps run on data-parallel workers: the initial weights are still made here from
 * the run seed, and fit keeps the workers and this thread's model in step at every epoch boundary.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { run, data, observer, signal } = options;
  const { protocol, seed } = run.config;
  const release = await run.lock();
  let state = await run.readState();
  let model: tfl.LayersModel | undefined;
  try {
    let history: EpochRecord[];
    const resumed = state?.checkpoint != null;
    if (state?.checkpoint != null) {
      if (state.random?.scheme !== RANDOM_SCHEME) {
        throw new UserError(
          `${run.dir} was started by an earlier gcnn whose random streams this version cannot continue exactly; finish it with that version or start a new run`,
        );
      }
      model = await loadCheckpoint(run, state.checkpoint);
      history = await run.truncateLog(state.epoch);
    } else {
      model = withMathRandom(seededUniform(deriveSeed(seed, 'init')), options.buildModel);
      model.compile({
        optimizer: createOptimizer(protocol.optimizer),
        // Only recorded for model.json; the training step uses softmax cross-entropy on the logits.
        loss: 'categoricalCrossentropy',
      });
      history = await run.truncateLog(0);
      state = {
        format: 'gcnn-state/1',
        status: 'running',
        epoch: 0,
        iterations: 0,
        checkpoint: null,
        lastEvaluation: null,
        random: { scheme: RANDOM_SCHEME, seed },
        updatedAt: new Date().toISOString(),
      };
    }
    const trained = model;
    const { train, test } = data;
    const workers = run.config.workers ?? 1;
    if (workers > 1 && options.replica === undefined) {
      throw new Error(`the run asks for ${workers} data-parallel workers but no replica module was given`);
    }
    state = { ...state!, status: 'running', updatedAt: new Date().toISOString() };
    delete state.message;
    await run.writeState(state);
    let batches = 0;

    await fit(trained, train, {
      epochs: protocol.epochs,
      batchSize: protocol.batchSize,
      optimizer: protocol.optimizer,
      weightDecay: protocol.weightDecay,
      seed,
      initialEpoch: state.epoch,
      workers,
      ...(options.replica ? { replica: options.replica } : {}),
      ...(data.augment ? { augment: data.augment } : {}),
      ...(signal ? { signal } : {}),
      callbacks: {
        onTrainBegin: (info) => {
          batches = info.batchesPerEpoch;
          observer?.runStarted?.({
            model: run.config.model,
            seed,
            startEpoch: info.initialEpoch + 1,
            epochs: info.epochs,
            batchesPerEpoch: info.batchesPerEpoch,
            trainCount: train.count,
            resumed,
          });
        },
        onBatchEnd: (batch, logs) => {
          observer?.batchDone?.({
            epoch: state!.epoch + 1,
            batch: batch + 1,
            batches,
            loss: logs.epochLoss,
            imagesPerSecond: logs.imagesPerSecond,
          });
        },
        onEpochEnd: async (index, logs) => {
          const epoch = index + 1;
          let evaluation: Evaluation | undefined;
          const evalStarted = performance.now();
          if (evaluatesAfter(protocol, epoch)) {
            if (protocol.finetuneBatchNorm) {
              await finetuneBatchNorm(trained, train, {
                batchSize: protocol.batchSize,
                ...(signal ? { signal } : {}),
                onBatch: (done, total) => observer?.phase?.({ epoch, phase: 'finetune', done, total }),
              });
            }
            evaluation = await evaluate(trained, test, {
              batchSize: options.evalBatchSize ?? 500,
              ...(signal ? { signal } : {}),
              onBatch: (done, total) => observer?.phase?.({ epoch, phase: 'evaluate', done, total }),
            });
          }
          const record: EpochRecord = {
            epoch,
            loss: logs.loss,
            trainError: 1 - logs.acc,
            ...(evaluation ? { testError: evaluation.error, testLoss: evaluation.loss } : {}),
            learningRate: logs.learningRate,
            trainSeconds: logs.seconds,
            evalSeconds: (performance.now() - evalStarted) / 1000,
            imagesPerSecond: logs.imagesPerSecond,
            backend: options.backend,
            workers,
            time: new Date().toISOString(),
          };
          await run.appendLog(record);
          history.push(record);
          await roundTripOptimizerState(trained.optimizer);
          const checkpoint = await saveCheckpoint(run, trained, epoch);
          state = {
            ...state!,
            epoch,
            iterations: state!.iterations + logs.steps,
            checkpoint,
            lastEvaluation: evaluation
              ? { epoch, testError: evaluation.error, testLoss: evaluation.loss }
              : state!.lastEvaluation,
            updatedAt: new Date().toISOString(),
          };
          await run.writeState(state);
          if (!options.keepCheckpoints) await pruneCheckpoints(run, checkpoint);
          observer?.epochDone?.(record);
        },
      },
    }).catch((error: unknown) => {
      if (!(error instanceof DivergedError)) throw error;
      throw new NonFiniteLossError(
        `${error.message}. ` +
          (state!.checkpoint
            ? `The last good checkpoint (epoch ${state!.epoch}) is kept in ${run.file(state!.checkpoint)}`
            : 'No checkpoint was written yet'),
      );
    });

    const metrics = summarize(run, trained, history, state);
    await run.writeMetrics(metrics);
    state = { ...state, status: 'complete', updatedAt: new Date().toISOString() };
    await run.writeState(state);
    observer?.runDone?.(metrics);
    return { metrics, model: trained, history };
  } catch (error) {
    if (model) disposeModel(model);
    if (state) {
      const status = error instanceof InterruptedError ? 'interrupted' : 'failed';
      await run
        .writeState({
          ...state,
          status,
          message: (error as Error).message,
          updatedAt: new Date().toISOString(),
        })
        .catch(() => undefined);
    }
    throw error;
  } finally {
    await release();
  }
}

function summarize(
  run: RunDirectory,
  model: tfl.LayersModel,
  history: EpochRecord[],
  state: RunState,
): RunMetrics {
  const last = history[history.length - 1];
  const images = history.reduce((sum, r) => sum + r.imagesPerSecond * r.trainSeconds, 0);
  const trainSeconds = history.reduce((sum, r) => sum + r.trainSeconds, 0);
  const seconds = history.reduce((sum, r) => sum + r.trainSeconds + r.evalSeconds, 0);
  if (!state.lastEvaluation || !last) throw new Error('a finished run has no evaluation');
  return {
    format: 'gcnn-metrics/1',
    model: run.config.model,
    seed: run.config.seed,
    epochs: run.config.protocol.epochs,
    testError: state.lastEvaluation.testError,
    testLoss: state.lastEvaluation.testLoss,
    finalTrainLoss: last.loss,
    finalTrainError: last.trainError,
    parameters: countTrainableParams(model),
    backend: last.backend,
    workers: run.config.workers ?? 1,
    imagesPerSecond: images / Math.max(trainSeconds, 1e-9),
    seconds,
    completedAt: new Date().toISOString(),
  };
}

/** The figures of an already completed run (no training), or undefined when it is not complete. */
export async function completedRun(run: RunDirectory): Promise<RunMetrics | undefined> {
  const state = await run.readState();
  if (state?.status !== 'complete') return undefined;
  return run.readMetrics();
}

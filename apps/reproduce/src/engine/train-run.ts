import type * as tfl from '@tensorflow/tfjs-layers';
import { InterruptedError, NonFiniteLossError } from '../errors.js';
import { loadCheckpoint, pruneCheckpoints, saveCheckpoint } from '../run/checkpoint.js';
import type { EpochRecord, RunDirectory, RunMetrics, RunState } from '../run/run-dir.js';
import { recomputeBatchNormStatistics } from './batch-norm-stats.js';
import { batchCount, disposeBatch, gatherBatch, makeBatch, type TrainingData } from './dataset.js';
import { type Evaluation, evaluate, yieldToEventLoop } from './evaluate.js';
import type { TrainingObserver } from './observer.js';
import { createOptimizer, roundTripOptimizerState } from './optimizer.js';
import { parallelRunner, type StartParallelTrainer } from './parallel-runner.js';
import { countTrainableParameters } from './parameters.js';
import { evaluatesAfter, learningRateAt } from './protocol.js';
import { createRandom, deriveSeed, permutation, withMathRandom } from './seeded-random.js';
import { inProcessRunner, type StepRunner } from './step-runner.js';

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
  /**
   * Starts the data-parallel workers when the config asks for more than one (`config.workers`); the
   * finetune, evaluation and checkpoints stay in this thread on the main model.
   */
  startParallelTrainer?: StartParallelTrainer;
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
  optimizer?.dispose();
  // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar that its SGD base keeps.
  const rate = (optimizer as unknown as { c?: { isDisposed: boolean; dispose(): void } } | undefined)?.c;
  if (rate && !rate.isDisposed) rate.dispose();
}

/**
 * Trains one model under the run's protocol, continuing from the run's last checkpoint if it has one.
 *
 * After each epoch: BN finetune and test evaluation when the protocol says so, one log line, a checkpoint
 * (weights + optimizer state) and state.json, in that order, each written atomically. Interrupting (the
 * signal) loses at most the current epoch; a NaN/Inf loss stops the run before the bad update and keeps
 * the last good checkpoint. An interrupted-and-resumed run ends with exactly the weights of an
 * uninterrupted one: random streams are derived per epoch and the optimizer state round-trips exactly.
 *
 * With `config.workers` > 1 the steps run on data-parallel workers (route B of @gcnn/backend): the initial
 * weights are still made here from the run seed, the workers receive them (and, after every checkpoint,
 * the checkpointed state), and each epoch's trained state comes back before the finetune and evaluation.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { run, data, observer, signal } = options;
  const { protocol, seed } = run.config;
  const release = await run.lock();
  let state = await run.readState();
  let model: tfl.LayersModel | undefined;
  let runner: StepRunner | undefined;
  try {
    let history: EpochRecord[];
    const resumed = state?.checkpoint != null;
    if (state?.checkpoint != null) {
      model = await loadCheckpoint(run, state.checkpoint);
      history = await run.truncateLog(state.epoch);
    } else {
      model = withMathRandom(createRandom(deriveSeed(seed, 'init')), options.buildModel);
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
        random: { scheme: 'derived-per-epoch', seed },
        updatedAt: new Date().toISOString(),
      };
    }
    const optimizer = model.optimizer;
    const { train, test, classes } = data;
    const batches = batchCount(train.count, protocol.batchSize);
    runner = await startRunner(options, model);
    state = { ...state!, status: 'running', updatedAt: new Date().toISOString() };
    delete state.message;
    await run.writeState(state);
    observer?.runStarted?.({
      model: run.config.model,
      seed,
      startEpoch: state.epoch + 1,
      epochs: protocol.epochs,
      batchesPerEpoch: batches,
      trainCount: train.count,
      resumed,
    });

    for (let epoch = state.epoch + 1; epoch <= protocol.epochs; epoch++) {
      const learningRate = learningRateAt(protocol.optimizer, epoch);
      await runner.startEpoch(epoch, learningRate);
      const order = permutation(train.count, createRandom(deriveSeed(seed, 'order', epoch)));
      let lossSum = 0;
      let errorSum = 0;
      let seen = 0;
      // Counted into state.json with the checkpoint, so an interrupted run's state matches its checkpoint.
      let steps = 0;
      const started = performance.now();
      for (let b = 0; b < batches; b++) {
        throwIfAborted(signal);
        const augment = data.augment
          ? { fn: data.augment, seed: deriveSeed(seed, 'augment', epoch, b) }
          : undefined;
        const batch = gatherBatch(train, order, b, protocol.batchSize, augment);
        const step = await runner.step(batch, b);
        if (!Number.isFinite(step.loss)) {
          throw new NonFiniteLossError(
            `the loss became ${step.loss} at epoch ${epoch}, batch ${b + 1}; stopped before the update. ` +
              (state.checkpoint
                ? `The last good checkpoint (epoch ${state.epoch}) is kept in ${run.file(state.checkpoint)}`
                : 'No checkpoint was written yet'),
          );
        }
        lossSum += step.loss * batch.count;
        errorSum += step.errors;
        seen += batch.count;
        steps += 1;
        const seconds = (performance.now() - started) / 1000;
        observer?.batchDone?.({
          epoch,
          batch: b + 1,
          batches,
          loss: lossSum / seen,
          imagesPerSecond: seen / Math.max(seconds, 1e-9),
        });
        await yieldToEventLoop();
      }
      const trainSeconds = (performance.now() - started) / 1000;
      await runner.pull();

      let evaluation: Evaluation | undefined;
      const evalStarted = performance.now();
      if (evaluatesAfter(protocol, epoch)) {
        if (protocol.finetuneBatchNorm) {
          await recomputeBatchNormStatistics(model, async (forward) => {
            for (let b = 0; b < batches; b++) {
              throwIfAborted(signal);
              const batch = makeBatch(train, null, b, protocol.batchSize, classes);
              forward(batch.xs);
              disposeBatch(batch);
              observer?.phase?.({ epoch, phase: 'finetune', done: b + 1, total: batches });
              await yieldToEventLoop();
            }
          });
        }
        evaluation = await evaluate(model, test, classes, options.evalBatchSize ?? 500, (done, total) => {
          throwIfAborted(signal);
          observer?.phase?.({ epoch, phase: 'evaluate', done, total });
        });
      }
      const evalSeconds = (performance.now() - evalStarted) / 1000;

      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        trainError: errorSum / seen,
        ...(evaluation ? { testError: evaluation.error, testLoss: evaluation.loss } : {}),
        learningRate,
        trainSeconds,
        evalSeconds,
        imagesPerSecond: seen / trainSeconds,
        backend: options.backend,
        workers: runner.workers,
        time: new Date().toISOString(),
      };
      await run.appendLog(record);
      history.push(record);
      await roundTripOptimizerState(optimizer);
      const checkpoint = await saveCheckpoint(run, model, epoch);
      // The workers continue from exactly what the checkpoint holds, as a resumed run would.
      await runner.push();
      state = {
        ...state,
        epoch,
        iterations: state.iterations + steps,
        checkpoint,
        lastEvaluation: evaluation
          ? { epoch, testError: evaluation.error, testLoss: evaluation.loss }
          : state.lastEvaluation,
        updatedAt: new Date().toISOString(),
      };
      await run.writeState(state);
      if (!options.keepCheckpoints) await pruneCheckpoints(run, checkpoint);
      observer?.epochDone?.(record);
    }

    await runner.close();
    const metrics = summarize(run, model, history, state);
    await run.writeMetrics(metrics);
    state = { ...state, status: 'complete', updatedAt: new Date().toISOString() };
    await run.writeState(state);
    observer?.runDone?.(metrics);
    return { metrics, model, history };
  } catch (error) {
    await runner?.close().catch(() => undefined);
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

/** The in-process runner, or data-parallel workers when the run's config asks for more than one. */
async function startRunner(options: TrainRunOptions, model: tfl.LayersModel): Promise<StepRunner> {
  const { config } = options.run;
  const { protocol, seed } = config;
  const workers = config.workers ?? 1;
  if (workers <= 1) {
    return inProcessRunner({
      model,
      optimizer: model.optimizer,
      weightDecay: protocol.weightDecay,
      seed,
      shape: options.data.train.shape,
      classes: options.data.classes,
    });
  }
  if (!options.startParallelTrainer) {
    throw new Error(`the run asks for ${workers} data-parallel workers but no way to start them was given`);
  }
  const trainer = await options.startParallelTrainer({
    model: config.model,
    workers,
    optimizer: protocol.optimizer,
    weightDecay: protocol.weightDecay,
    maxBatch: protocol.batchSize,
  });
  try {
    return await parallelRunner({ model, trainer, protocol, seed });
  } catch (error) {
    await trainer.close();
    throw error;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  throw reason instanceof InterruptedError ? reason : new InterruptedError('interrupted', 130);
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
    parameters: countTrainableParameters(model),
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

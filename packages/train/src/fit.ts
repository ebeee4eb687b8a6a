import {
  type BatchTransform,
  batchCount,
  hostBatches,
  type ImageDataset,
  type NormalizationStats,
} from '@gcnn/data';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { NonFiniteLossError } from './errors.js';
import { ensureGradients, imageModelShape } from './model.js';
import {
  type AdamSettings,
  createOptimizer,
  learningRateAt,
  type MomentumSettings,
  type OptimizerSettings,
  optimizerSettings,
} from './optimizer.js';
import { deriveSeed } from './random.js';
import { inProcessRunner, type StepRunner } from './runner.js';
import { throwIfAborted, yieldToEventLoop } from './yield.js';

/**
 * How data-parallel workers build their replica of the model: workers cannot receive functions, so they import
 * `module` (a file path or URL, e.g. `import.meta.resolve('@gcnn/models')`) and call its export `export` with
 * `args`, e.g. `{ module, export: 'buildModel', args: ['p4cnn', { outputActivation: 'linear' }] }`. The replica
 * must have the main model's variables; its initial weights do not matter (the main model's are sent).
 */
export interface ReplicaSpec {
  module: string;
  /** Default 'default'. */
  export?: string;
  /** Structured-cloneable arguments. Default none. */
  args?: unknown[];
}

/** What a batch reported to `onBatchEnd`. */
export interface BatchLogs {
  /** The batch's mean cross-entropy. */
  loss: number;
  /** The batch's training accuracy, in [0, 1]. */
  acc: number;
  /** Images in the batch. */
  size: number;
  /** Mean loss over the epoch so far. */
  epochLoss: number;
  /** Training images per second over the epoch so far. */
  imagesPerSecond: number;
}

/** What an epoch reported to `onEpochEnd`: training figures of the epoch, as a tfjs `History` records them. */
export interface EpochLogs {
  /** Mean cross-entropy over the epoch's images. */
  loss: number;
  /** Training accuracy over the epoch, in [0, 1]. */
  acc: number;
  learningRate: number;
  /** Optimisation steps taken. */
  steps: number;
  images: number;
  /** Seconds spent in the steps. */
  seconds: number;
  imagesPerSecond: number;
}

/** Hooks called as training goes; each may be async (training waits). Epochs and batches count from 0. */
export interface FitCallbacks {
  onTrainBegin?(info: {
    epochs: number;
    initialEpoch: number;
    batchesPerEpoch: number;
    workers: number;
  }): void | Promise<void>;
  onEpochBegin?(epoch: number, info: { learningRate: number }): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  /**
   * After the epoch's steps, with the main-thread model up to date (also on workers): evaluate, checkpoint or
   * change the model's state here; with workers, what the model and optimizer hold afterwards is sent back to them.
   */
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(history: FitHistory): void | Promise<void>;
}

/** Per-epoch logs of a `fit` call, like tfjs' `History`. */
export interface FitHistory {
  /** The epochs trained (0-based). */
  epoch: number[];
  history: { loss: number[]; acc: number[] };
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Train until this many epochs are done (counting `initialEpoch`). */
  epochs: number;
  /** Default 128. */
  batchSize?: number;
  /**
   * The optimizer. Default Adam, learning rate 1e-3. A model compiled with an optimizer keeps it (its state goes
   * on); these settings still give the learning-rate schedule and what data-parallel workers create.
   */
  optimizer?: Partial<AdamSettings> | (Partial<MomentumSettings> & { kind: 'momentum' });
  /** L2 weight decay added to every gradient. Default 0. */
  weightDecay?: number;
  /** Seed of the data order, augmentation and dropout (weights are initialised by whoever built the model). Default 0. */
  seed?: number;
  /** Epochs already trained (resuming): training starts with epoch `initialEpoch`. Default 0. */
  initialEpoch?: number;
  /** Data-parallel workers (Node; needs `replica`); 1 trains in this process. Default 1. */
  workers?: number;
  /** How each worker builds its replica. */
  replica?: ReplicaSpec;
  /** XNNPACK threads inside each worker. Default 1 (the workers already use the cores). */
  threadsPerWorker?: number;
  /** Scalar normalisation of the pixels (`normalizationStats(train)`). */
  normalize?: NormalizationStats;
  /** Per-batch augmentation (e.g. `cifar10Augmentation()`), seeded from (seed, epoch). */
  augment?: BatchTransform;
  callbacks?: FitCallbacks;
  /** Aborting stops training before the next batch and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Starts the steps somewhere other than this process (registered by the Node entry for workers). */
export type ParallelRunnerFactory = (settings: {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  settings: OptimizerSettings;
  workers: number;
  replica: ReplicaSpec;
  threadsPerWorker: number;
  weightDecay: number;
  maxBatch: number;
}) => Promise<StepRunner>;

let parallelRunnerFactory: ParallelRunnerFactory | undefined;

/** Lets the Node entry plug the worker-thread runner in, so that the browser entry never loads Node modules. */
export function registerParallelRunner(factory: ParallelRunnerFactory): void {
  parallelRunnerFactory = factory;
}

/**
 * Trains an image classifier whose output is logits ([N, H, W, C] -> [N, classes]) on `train`, minimising the
 * mean softmax cross-entropy, in the spirit of tfjs' `model.fit`: epochs of shuffled batches, callbacks with
 * `loss` / `acc`, an abort signal, and optionally data-parallel workers that each compute the gradient of a share
 * of every batch (the replicas stay bit-identical).
 *
 * Every random stream (order, augmentation, dropout) is a function of (seed, epoch, batch), so training resumed
 * with `initialEpoch` from a model and optimizer restored at an epoch boundary continues exactly as an
 * uninterrupted run would.
 *
 * @example
 * const model = p4cnn({ outputActivation: 'linear' });
 * const history = await fit(model, train, { epochs: 10, normalize: normalizationStats(train) });
 */
export async function fit(
  model: tfl.LayersModel,
  train: ImageDataset,
  options: FitOptions,
): Promise<FitHistory> {
  const settings = optimizerSettings(options.optimizer);
  const batchSize = options.batchSize ?? 128;
  const seed = options.seed ?? 0;
  const initialEpoch = options.initialEpoch ?? 0;
  const workers = options.workers ?? 1;
  const weightDecay = options.weightDecay ?? 0;
  checkFitOptions(model, train, { epochs: options.epochs, batchSize, initialEpoch, workers, weightDecay });
  await ensureGradients();
  if (model.optimizer == null) {
    // Compiling keeps the optimizer with the model (and its checkpoints); the loss is only recorded.
    model.compile({ optimizer: createOptimizer(settings), loss: 'categoricalCrossentropy' });
  }
  const optimizer = model.optimizer;
  const runner = await startRunner(model, optimizer, settings, options, { workers, weightDecay, batchSize });
  const history: FitHistory = { epoch: [], history: { loss: [], acc: [] } };
  const callbacks = options.callbacks ?? {};
  const batches = batchCount(train.count, batchSize);
  try {
    await callbacks.onTrainBegin?.({
      epochs: options.epochs,
      initialEpoch,
      batchesPerEpoch: batches,
      workers,
    });
    for (let epoch = initialEpoch; epoch < options.epochs; epoch++) {
      const learningRate = learningRateAt(settings, epoch + 1);
      await runner.setLearningRate(learningRate);
      await callbacks.onEpochBegin?.(epoch, { learningRate });
      let lossSum = 0;
      let errorSum = 0;
      let images = 0;
      let steps = 0;
      const started = performance.now();
      for (const batch of hostBatches(train, {
        batchSize,
        seed,
        epoch,
        ...(options.normalize ? { normalize: options.normalize } : {}),
        ...(options.augment ? { transform: options.augment } : {}),
      })) {
        throwIfAborted(options.signal);
        const step = await runner.step(batch, deriveSeed(seed, 'dropout', epoch, batch.index));
        if (!step.applied) throw new NonFiniteLossError(epoch, batch.index, step.loss);
        lossSum += step.loss * batch.size;
        errorSum += step.errors;
        images += batch.size;
        steps += 1;
        await callbacks.onBatchEnd?.(batch.index, {
          loss: step.loss,
          acc: 1 - step.errors / batch.size,
          size: batch.size,
          epochLoss: lossSum / images,
          imagesPerSecond: images / Math.max((performance.now() - started) / 1000, 1e-9),
        });
        await yieldToEventLoop();
      }
      const seconds = (performance.now() - started) / 1000;
      await runner.pull();
      const logs: EpochLogs = {
        loss: lossSum / images,
        acc: 1 - errorSum / images,
        learningRate,
        steps,
        images,
        seconds,
        imagesPerSecond: images / Math.max(seconds, 1e-9),
      };
      history.epoch.push(epoch);
      history.history.loss.push(logs.loss);
      history.history.acc.push(logs.acc);
      await callbacks.onEpochEnd?.(epoch, logs);
      // The workers continue from exactly what the model now holds, as a resumed run would.
      await runner.push();
    }
    await callbacks.onTrainEnd?.(history);
    return history;
  } finally {
    await runner.close();
  }
}

async function startRunner(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  settings: OptimizerSettings,
  options: FitOptions,
  { workers, weightDecay, batchSize }: { workers: number; weightDecay: number; batchSize: number },
): Promise<StepRunner> {
  if (workers <= 1) return inProcessRunner({ model, optimizer, weightDecay });
  if (options.replica == null) {
    throw new RangeError(
      `fit: ${workers} workers need options.replica, the module that builds the model in each`,
    );
  }
  if (parallelRunnerFactory == null) {
    throw new Error('fit: data-parallel workers need Node worker threads (import @gcnn/train in Node)');
  }
  return parallelRunnerFactory({
    model,
    optimizer,
    settings,
    workers,
    replica: options.replica,
    threadsPerWorker: options.threadsPerWorker ?? 1,
    weightDecay,
    maxBatch: batchSize,
  });
}

/** One-line errors for options and data that cannot train, before any work starts. */
function checkFitOptions(
  model: tfl.LayersModel,
  train: ImageDataset,
  o: { epochs: number; batchSize: number; initialEpoch: number; workers: number; weightDecay: number },
): void {
  const integer = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`fit: ${name} must be an integer >= ${min}, got ${value}`);
    }
  };
  integer('epochs', o.epochs, 1);
  integer('batchSize', o.batchSize, 1);
  integer('initialEpoch', o.initialEpoch, 0);
  integer('workers', o.workers, 1);
  if (o.initialEpoch > o.epochs) {
    throw new RangeError(`fit: initialEpoch ${o.initialEpoch} is past epochs ${o.epochs}`);
  }
  if (!(o.weightDecay >= 0) || !Number.isFinite(o.weightDecay)) {
    throw new RangeError(`fit: weightDecay must be a number >= 0, got ${o.weightDecay}`);
  }
  const { inputShape, numClasses } = imageModelShape(model);
  const dataShape = [train.height, train.width, train.channels];
  if (dataShape.join('x') !== inputShape.join('x')) {
    throw new RangeError(
      `fit: the model takes ${inputShape.join('x')} images, the data set has ${dataShape.join('x')}`,
    );
  }
  if (train.count < 1) throw new RangeError('fit: the training set is empty');
  let largest = 0;
  for (const label of train.labels) if (label > largest) largest = label;
  if (largest >= numClasses) {
    throw new RangeError(`fit: label ${largest} does not fit the model's ${numClasses} classes`);
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { DataParallelTrainer } from '../src/data-parallel.js';
import {
  classificationLoss,
  ensureGradients,
  type ModelFactory,
  type TrainableModel,
} from '../src/train-step.js';
import { type RunOptions, rate, type Stats, timeRuns } from './measure.js';

/** Images/s of training (one Adam step per batch) and of inference, for one model. */
export interface ModelResult {
  model: string;
  /** How the cores were used: 'in-process' (XNNPACK threads) or 'workers xN' (data-parallel). */
  route: string;
  batch: number;
  train: Stats;
  infer: Stats;
  /** Forward FLOPs per image, when the model knows them. */
  flopsPerImage?: number;
}

/** A random batch of images and labels for a model. */
function randomBatch(model: { inputShape: [number, number, number]; numClasses: number }, batch: number) {
  const [h, w, c] = model.inputShape;
  const images = new Float32Array(batch * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = Math.random();
  const labels = Int32Array.from({ length: batch }, (_, i) => i % model.numClasses);
  return { images, labels };
}

/**
 * Training and inference throughput of a model built by `factory` on the active backend, in this process
 * (the wasm backend's XNNPACK threads are the only parallelism). Pass the real models of @gcnn/models here.
 */
export async function benchmarkModel(
  factory: ModelFactory,
  options: RunOptions & { batch?: number } = {},
): Promise<ModelResult> {
  await ensureGradients();
  const batch = options.batch ?? 128;
  const model: TrainableModel = await factory();
  const { images, labels } = randomBatch(model, batch);
  const x = tf.tensor4d(images, [batch, ...model.inputShape]);
  const y = tf.tensor1d(labels, 'int32');
  const optimizer = tf.train.adam(1e-3);
  const train = await timeRuns(() => {
    const loss = optimizer.minimize(() => classificationLoss(model, x, y), true, model.variables);
    loss?.dataSync();
    loss?.dispose();
  }, options);
  const infer = await timeRuns(() => {
    const logits = model.apply(x, false);
    logits.dataSync();
    logits.dispose();
  }, options);
  optimizer.dispose();
  x.dispose();
  y.dispose();
  const result: ModelResult = {
    model: model.name,
    route: 'in-process',
    batch,
    train: rate(train, batch),
    infer: rate(infer, batch),
  };
  if (model.flopsPerImage != null) result.flopsPerImage = model.flopsPerImage;
  model.dispose();
  return result;
}

/**
 * The same figures with data-parallel training on worker threads (each with its own single-threaded wasm
 * backend); the model is built in every worker from `modelModule`'s export `modelExport`.
 */
export async function benchmarkDataParallel(
  modelModule: string,
  modelExport: string,
  options: RunOptions & { batch?: number; workers?: number; flopsPerImage?: number } = {},
): Promise<ModelResult> {
  const batch = options.batch ?? 128;
  const trainer = await DataParallelTrainer.create({
    modelModule,
    modelExport,
    ...(options.workers != null ? { workers: options.workers } : {}),
    maxBatch: batch,
  });
  try {
    const { images, labels } = randomBatch(trainer, batch);
    const train = await timeRuns(() => trainer.step(images, labels), options);
    const infer = await timeRuns(() => trainer.predict(images), options);
    const result: ModelResult = {
      model: modelExport,
      route: `workers x${trainer.workers}`,
      batch,
      train: rate(train, batch),
      infer: rate(infer, batch),
    };
    if (options.flopsPerImage != null) result.flopsPerImage = options.flopsPerImage;
    return result;
  } finally {
    await trainer.close();
  }
}

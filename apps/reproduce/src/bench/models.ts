import { DataParallelTrainer, imageModelShape, type ReplicaSpec, trainStep } from '@gcnn/train';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type RunOptions, rate, type Stats, timeRuns } from './measure.js';

/** Images/s of training (one Adam step per batch) and of inference, for one model. */
export interface ModelResult {
  model: string;
  /** How the cores were used: 'in-process' (XNNPACK threads) or 'workers xN' (data-parallel). */
  route: string;
  batch: number;
  train: Stats;
  infer: Stats;
  /** Forward FLOPs per image, when known. */
  flopsPerImage?: number;
}

/** A random batch of images and labels for a model. */
function randomBatch(shape: { inputShape: [number, number, number]; numClasses: number }, batch: number) {
  const [h, w, c] = shape.inputShape;
  const images = new Float32Array(batch * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = Math.random();
  const labels = Int32Array.from({ length: batch }, (_, i) => i % shape.numClasses);
  return { images, labels };
}

/**
 * Training (@gcnn/train's step: cross-entropy, gradients, Adam update) and inference throughput of a model on the
 * active backend, in this process (the wasm backend's XNNPACK threads are the only parallelism).
 */
export async function benchmarkModel(
  model: tfl.LayersModel,
  options: RunOptions & { batch?: number } = {},
): Promise<ModelResult> {
  const batch = options.batch ?? 128;
  const shape = imageModelShape(model);
  const { images, labels } = randomBatch(shape, batch);
  const x = tf.tensor4d(images, [batch, ...shape.inputShape]);
  const y = tf.tensor1d(labels, 'int32');
  const optimizer = tf.train.adam(1e-3);
  const train = await timeRuns(() => trainStep(model, optimizer, x, y), options);
  const infer = await timeRuns(() => {
    tf.tidy(() => {
      (model.apply(x, { training: false }) as tf.Tensor).dataSync();
    });
  }, options);
  optimizer.dispose();
  tf.dispose([x, y]);
  return {
    model: model.name,
    route: 'in-process',
    batch,
    train: rate(train, batch),
    infer: rate(infer, batch),
  };
}

/**
 * The same figures with data-parallel training on worker threads (each with its own single-threaded wasm
 * backend); every worker builds the model from `replica`.
 */
export async function benchmarkDataParallel(
  replica: ReplicaSpec,
  options: RunOptions & { batch?: number; workers?: number } = {},
): Promise<ModelResult> {
  const batch = options.batch ?? 128;
  const trainer = await DataParallelTrainer.create({
    replica,
    ...(options.workers != null ? { workers: options.workers } : {}),
    maxBatch: batch,
  });
  try {
    const { images, labels } = randomBatch(trainer, batch);
    const train = await timeRuns(() => trainer.step(images, labels), options);
    const infer = await timeRuns(() => trainer.predict(images), options);
    return {
      model: String(replica.args?.[0] ?? replica.export),
      route: `workers x${trainer.workers}`,
      batch,
      train: rate(train, batch),
      infer: rate(infer, batch),
    };
  } finally {
    await trainer.close();
  }
}

import { hostBatches, type ImageDataset, type NormalizationStats } from '@gcnn/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { throwIfAborted, yieldToEventLoop } from './yield.js';

/**
 * Exact batch-norm population statistics, the paper's "finetune" step (paper-spec §5.1): one pass over the
 * training set with batch-norm layers in batch-statistics mode and dropout off, after which each layer's
 * moving mean and variance are the plain average of the per-batch statistics.
 *
 * Any batch-norm layer whose moving update is `moving = momentum · moving + (1 − momentum) · batch` (tfjs'
 * BatchNormalization and layers that follow its convention) is handled by setting momentum to 1 − 1/i on the
 * i-th batch, which turns the moving average into a running mean. Dropout is switched off by setting each
 * dropout layer's rate to 0 for the pass. Both are restored afterwards.
 */

type Layer = tfl.layers.Layer;

/** Every layer of a model, descending into nested models. */
export function allLayers(model: { layers: Layer[] }): Layer[] {
  const out: Layer[] = [];
  for (const layer of model.layers) {
    out.push(layer);
    const nested = (layer as unknown as { layers?: Layer[] }).layers;
    if (Array.isArray(nested)) out.push(...allLayers({ layers: nested }));
  }
  return out;
}

/** True for layers that keep moving batch-norm statistics and expose a numeric `momentum`. */
export function isBatchNormLayer(layer: Layer): boolean {
  const fields = layer as unknown as { momentum?: unknown };
  const names = layer.weights.map((w) => w.originalName ?? w.name);
  return typeof fields.momentum === 'number' && names.some((n) => /moving_?mean/i.test(n));
}

/** True for layers that drop units in training (tfjs Dropout, SpatialDropout1D, AlphaDropout...). */
export function isDropoutLayer(layer: Layer): boolean {
  const fields = layer as unknown as { rate?: unknown };
  return /dropout/i.test(layer.getClassName()) && typeof fields.rate === 'number';
}

/** The model's batch-norm layers; the evaluation needs none, the finetune is skipped without any. */
export function batchNormLayers(model: tfl.LayersModel): Layer[] {
  return allLayers(model).filter(isBatchNormLayer);
}

/**
 * Runs `pass(forward)` with the model set up for the finetune, where `forward(xs)` must be called once per
 * batch in order; restores momentum and dropout rates afterwards, even on error.
 */
export async function recomputeBatchNormStatistics(
  model: tfl.LayersModel,
  pass: (forward: (xs: tf.Tensor) => void) => Promise<void>,
): Promise<number> {
  const norms = batchNormLayers(model) as unknown as Array<Layer & { momentum: number }>;
  if (norms.length === 0) return 0;
  const dropouts = allLayers(model).filter(isDropoutLayer) as unknown as Array<Layer & { rate: number }>;
  const momenta = norms.map((l) => l.momentum);
  const rates = dropouts.map((l) => l.rate);
  let batches = 0;
  try {
    for (const layer of dropouts) layer.rate = 0;
    await pass((xs) => {
      batches += 1;
      for (const layer of norms) layer.momentum = 1 - 1 / batches;
      tf.tidy(() => {
        model.apply(xs, { training: true });
      });
    });
  } finally {
    norms.forEach((layer, i) => {
      layer.momentum = momenta[i]!;
    });
    dropouts.forEach((layer, i) => {
      layer.rate = rates[i]!;
    });
  }
  return batches;
}

/** Options of {@link finetuneBatchNorm}. */
export interface FinetuneOptions {
  /** Images per batch; the paper's finetune uses the training batch size. Default 128. */
  batchSize?: number;
  /** Scalar normalisation applied to the pixels first, as in training. */
  normalize?: NormalizationStats;
  /** Progress after each batch. */
  onBatch?: (done: number, total: number) => void;
  /** Stops at the next batch, throwing the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Sets every batch-norm layer's moving statistics to the exact average of its batch statistics over one ordered
 * pass through `dataset` (the paper's finetune before evaluation). Returns the number of batches; 0 when the model
 * has no batch norm (nothing is run).
 *
 * @example
 * await finetuneBatchNorm(model, train, { batchSize: 128 });
 */
export async function finetuneBatchNorm(
  model: tfl.LayersModel,
  dataset: ImageDataset,
  options: FinetuneOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 128;
  const total = Math.ceil(dataset.count / batchSize);
  const shape = [dataset.height, dataset.width, dataset.channels] as const;
  return recomputeBatchNormStatistics(model, async (forward) => {
    for (const batch of hostBatches(dataset, {
      batchSize,
      shuffle: false,
      ...(options.normalize ? { normalize: options.normalize } : {}),
    })) {
      throwIfAborted(options.signal);
      const xs = tf.tensor4d(batch.images, [batch.size, ...shape]);
      forward(xs);
      xs.dispose();
      options.onBatch?.(batch.index + 1, total);
      await yieldToEventLoop();
    }
  });
}

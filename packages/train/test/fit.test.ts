import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type EpochLogs,
  type FitOptions,
  fit,
  NonFiniteLossError,
  readTrainingState,
  stateVariables,
  type TrainingState,
  trainableVariables,
  writeTrainingState,
} from '../src/node.js';
import { abortingModel, tinyLayersModel } from './fixtures/tiny-layers-model.js';
import { flat, TINY_MODEL, tinyDataset, weightsOf } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train = tinyDataset(96);

/** A fresh tiny model with fixed initial weights. */
function freshModel(): ReturnType<typeof tinyLayersModel> {
  const model = tinyLayersModel();
  model.weights.forEach((w, i) => {
    const values = tf.tidy(() =>
      tf.mul(tf.randomUniform(w.shape as number[], -1, 1, 'float32', 100 + i), 0.3),
    );
    w.write(values);
    values.dispose();
  });
  return model;
}

const SGD = { kind: 'momentum' as const, learningRate: 0.05, momentum: 0.9 };

/**
 * Trains `epochs` epochs straight, and 1 epoch + a state round trip into a fresh model + the rest with
 * `initialEpoch`; expects the same weights and returns the resumed model's training state.
 */
async function expectExactResume(
  options: Omit<FitOptions, 'epochs'>,
  epochs: number,
): Promise<TrainingState> {
  const straight = freshModel();
  const history = await fit(straight, train, { ...options, epochs });
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
  const first = freshModel();
  await fit(first, train, { ...options, epochs: 1 });
  const saved = await readTrainingState(trainableVariables(first), stateVariables(first), first.optimizer);
  const resumed = freshModel();
  resumed.compile({
    optimizer: tf.train.momentum(SGD.learningRate, SGD.momentum),
    loss: 'categoricalCrossentropy',
  });
  await writeTrainingState(
    trainableVariables(resumed),
    stateVariables(resumed),
    resumed.optimizer,
    'momentum',
    saved,
  );
  await fit(resumed, train, { ...options, epochs, initialEpoch: 1 });
  expect(weightsOf(resumed)).toEqual(weightsOf(straight));
  const state = await readTrainingState(
    trainableVariables(resumed),
    stateVariables(resumed),
    resumed.optimizer,
  );
  for (const m of [straight, first, resumed]) m.dispose();
  return state;
}

describe('fit in one process', () => {
  it('lowers the loss, reports logs to the callbacks and leaks no tensor across steps', async () => {
    const model = freshModel();
    const epochs: EpochLogs[] = [];
    const tensorsAfterBatch: number[] = [];
    const history = await fit(model, train, {
      epochs: 4,
      batchSize: 32,
      optimizer: { learningRate: 0.01 },
      callbacks: {
        onBatchEnd: () => {
          tensorsAfterBatch.push(tf.memory().numTensors);
        },
        onEpochEnd: (_epoch, logs) => {
          epochs.push(logs);
        },
      },
    });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(epochs.map((l) => l.steps)).toEqual([3, 3, 3, 3]);
    expect(history.history.loss[3]!).toBeLessThan(history.history.loss[0]!);
    expect(history.history.acc.every((a) => a >= 0 && a <= 1)).toBe(true);
    // Adam makes its slots on the first step; after that no step may leave a tensor behind.
    expect(new Set(tensorsAfterBatch.slice(1)).size).toBe(1);
    model.dispose();
  });

  it('resumed at an epoch boundary from a saved state, ends with the bytes of an uninterrupted run', async () => {
    await expectExactResume({ batchSize: 32, seed: 7, optimizer: SGD, weightDecay: 1e-3 }, 3);
  });

  it('gives the same weights for the same seed and other weights for another', async () => {
    const run = async (seed: number) => {
      const model = freshModel();
      await fit(model, train, { epochs: 1, batchSize: 32, seed });
      const weights = weightsOf(model);
      model.dispose();
      return weights;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('stops before the update when the loss is not finite', async () => {
    const model = freshModel();
    const bad = tinyDataset(32);
    const nan = { ...bad, images: new Float32Array(bad.images.length).fill(Number.NaN) };
    const before = weightsOf(model);
    await expect(fit(model, nan, { epochs: 1, batchSize: 32 })).rejects.toBeInstanceOf(NonFiniteLossError);
    // only the batch-norm moving statistics saw the NaN batch
    const trainable = trainableVariables(model).map((v) => Array.from(v.dataSync()));
    expect(trainable.flat().every(Number.isFinite)).toBe(true);
    expect(weightsOf(model).length).toBe(before.length);
    model.dispose();
  });

  it('reports a wasm abort (heap exhausted) as one line naming the batch size', async () => {
    const model = abortingModel();
    await expect(fit(model, train, { epochs: 1, batchSize: 32 })).rejects.toThrow(
      /^the WebAssembly heap ran out in this process during a training step of tiny on 32 images; train with a smaller batch size/,
    );
    model.dispose();
  });

  it('stops at the next batch when aborted, with the signal reason', async () => {
    const model = freshModel();
    const controller = new AbortController();
    const reason = new Error('stop here');
    let batches = 0;
    await expect(
      fit(model, train, {
        epochs: 2,
        batchSize: 32,
        signal: controller.signal,
        callbacks: {
          onBatchEnd: () => {
            batches += 1;
            if (batches === 2) controller.abort(reason);
          },
        },
      }),
    ).rejects.toBe(reason);
    expect(batches).toBe(2);
    model.dispose();
  });

  it('refuses bad options and data with one-line errors', async () => {
    const model = freshModel();
    await expect(fit(model, train, { epochs: 0 })).rejects.toThrow(/epochs must be an integer >= 1, got 0/);
    await expect(fit(model, train, { epochs: 1, batchSize: 1.5 })).rejects.toThrow(
      /batchSize must be an integer/,
    );
    await expect(fit(model, train, { epochs: 1, initialEpoch: 2 })).rejects.toThrow(
      /initialEpoch 2 is past epochs 1/,
    );
    await expect(fit(model, { ...train, height: 4, width: 16 }, { epochs: 1 })).rejects.toThrow(
      /the model takes 8x8x1 images, the data set has 4x16x1/,
    );
    await expect(fit(model, train, { epochs: 1, workers: 2 })).rejects.toThrow(
      /2 workers need options.replica/,
    );
    await expect(fit(model, train, { epochs: 1, optimizer: { learningRate: -1 } })).rejects.toThrow(
      /learningRate must be a positive number, got -1/,
    );
    model.dispose();
  });
});

describe('fit on data-parallel workers', () => {
  it('trains with finite losses, and resumes to identical bytes', async () => {
    const resumed = await expectExactResume(
      {
        batchSize: 32,
        seed: 3,
        workers: 2,
        replica: { module: TINY_MODEL, export: 'tinyLayersModel' },
        optimizer: SGD,
        weightDecay: 1e-3,
      },
      2,
    );
    expect(resumed.optimizer.iterations).toBe(6);
    expect(flat(resumed).every(Number.isFinite)).toBe(true);
  });
});

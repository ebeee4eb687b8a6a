import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../src/index.js';
import { DataParallelTrainer, WasmMemoryError } from '../src/node.js';
import { flat, TINY_MODEL } from './helpers.js';

/** The real models, built in the workers by the registry's `buildModel`. */
const models = createRequire(import.meta.url).resolve('@gcnn/models');
const batch = 8;
const uniform = seededUniform(41);
const images = Float32Array.from({ length: batch * 28 * 28 }, () => uniform());
const labels = Array.from({ length: batch }, (_, i) => i % 10);

describe('DataParallelTrainer with P4CNN (replicas on worker threads)', () => {
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    trainer = await DataParallelTrainer.create({
      replica: {
        module: models,
        export: 'buildModel',
        args: ['p4cnn', { outputActivation: 'linear', seed: 0 }],
      },
      workers: 2,
      maxBatch: batch,
      optimizer: { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    });
  }, 600_000);
  afterAll(async () => {
    await trainer?.close();
  });

  it('builds the model in every worker and reports its shapes and parameter count', () => {
    expect(trainer.workers).toBe(2);
    expect(trainer.inputShape).toEqual([28, 28, 1]);
    expect(trainer.numClasses).toBe(10);
    // P4CNN with batch norm has 24,680 parameters (paper-spec §5), and the moving statistics besides.
    expect(trainer.parameters).toBe(24_680);
    expect(trainer.variables.some((v) => !v.trainable)).toBe(true);
  });

  it('trains (the loss goes down) and keeps the replicas bit-identical', async () => {
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const result = await trainer.step(images, labels);
      expect(result.applied).toBe(true);
      expect(result.errors).toBeGreaterThanOrEqual(0);
      expect(result.errors).toBeLessThanOrEqual(batch);
      losses.push(result.loss);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5] as number).toBeLessThan(losses[0] as number);
    const [first, second] = [await trainer.replicaState(0), await trainer.replicaState(1)];
    expect(flat({ ...second, nonTrainable: [] })).toEqual(flat({ ...first, nonTrainable: [] }));
  });

  it('exports Adam state and continues from an imported state exactly (resume)', async () => {
    const saved = await trainer.getWeights();
    expect(saved.optimizer.iterations).toBe(6);
    // Adam: a first and a second moment per trainable variable
    expect(saved.optimizer.slots.length).toBe(2 * saved.trainable.length);
    // the uninterrupted run passes its state through the same import as a resumed one would
    await trainer.setWeights(saved);
    for (let step = 0; step < 2; step++) await trainer.step(images, labels);
    const straight = flat(await trainer.getWeights());

    await trainer.setWeights(saved);
    expect(flat(await trainer.getWeights())).toEqual(flat(saved));
    for (let step = 0; step < 2; step++) await trainer.step(images, labels);
    const resumed = await trainer.getWeights();
    expect(resumed.optimizer.iterations).toBe(8);
    expect(flat(resumed)).toEqual(straight);
  });

  it('trains on a batch smaller than the number of workers (the last batch of an epoch)', async () => {
    const result = await trainer.step(images.subarray(0, 28 * 28), labels.slice(0, 1));
    expect(result.applied).toBe(true);
    expect(Number.isFinite(result.loss)).toBe(true);
    const [first, second] = [await trainer.replicaState(0), await trainer.replicaState(1)];
    expect(second.trainable).toEqual(first.trainable);
  });

  it('predicts logits for a batch split over the workers', async () => {
    const logits = await trainer.predict(images.subarray(0, 3 * 28 * 28));
    expect(logits.length).toBe(3 * 10);
    expect(Array.from(logits).every(Number.isFinite)).toBe(true);
  });

  it('rejects a batch of the wrong size and a state of the wrong shape with clear messages', async () => {
    await expect(trainer.step(new Float32Array(100), [1])).rejects.toThrow(
      /expected 1 to 8 images of 28x28x1/,
    );
    await expect(trainer.step(images, [1, 2])).rejects.toThrow(/8 images but 2 labels/);
    const state = await trainer.getWeights();
    await expect(trainer.setWeights({ ...state, trainable: state.trainable.slice(1) })).rejects.toThrow(
      /has \d+ trainable variables, got \d+/,
    );
    await expect(
      trainer.setWeights({ ...state, trainable: [new Float32Array(3), ...state.trainable.slice(1)] }),
    ).rejects.toThrow(/trainable variable 0 .* needs \d+ values, got 3/);
  });
});

describe('DataParallelTrainer with a tfjs-layers model (batch norm, dropout, SGD)', () => {
  const tinyImages = Float32Array.from({ length: batch * 64 }, () => uniform() * 2 - 1);
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    trainer = await DataParallelTrainer.create({
      replica: { module: TINY_MODEL, export: 'tinyLayersModel' },
      workers: 2,
      maxBatch: batch,
      optimizer: { kind: 'momentum', learningRate: 0.1, momentum: 0.9 },
      weightDecay: 1e-3,
    });
  }, 600_000);
  afterAll(async () => {
    await trainer?.close();
  });

  it('reports trainable and non-trainable variables in the model order', () => {
    expect(trainer.variables.map((v) => `${v.trainable ? 'T' : 'N'} ${v.shape.join('x')}`)).toEqual([
      'T 3x3x1x4',
      'T 4',
      'T 4',
      'T 4',
      'T 144x10',
      'T 10',
      'N 4',
      'N 4',
    ]);
  });

  it('draws the same dropout masks for the same step seed, other masks for another', async () => {
    const start = await trainer.getWeights();
    await trainer.setWeights(start);
    const a = await trainer.step(tinyImages, labels, { seed: 11 });
    const afterA = flat(await trainer.getWeights());
    await trainer.setWeights(start);
    const again = await trainer.step(tinyImages, labels, { seed: 11 });
    expect(again).toEqual(a);
    expect(flat(await trainer.getWeights())).toEqual(afterA);
    await trainer.setWeights(start);
    await trainer.step(tinyImages, labels, { seed: 12 });
    expect(flat(await trainer.getWeights())).not.toEqual(afterA);
    // the replicas stay equal although their masks differ
    expect((await trainer.replicaState(1)).trainable).toEqual((await trainer.replicaState(0)).trainable);
  });

  it('averages the batch-norm moving statistics over the replicas and imports them into each', async () => {
    const state = await trainer.getWeights();
    const [movingMean, movingVariance] = state.nonTrainable as [Float32Array, Float32Array];
    // updated from the initial zeros and ones by the steps above
    expect(Array.from(movingMean).some((v) => v !== 0)).toBe(true);
    expect(Array.from(movingVariance).some((v) => v !== 1)).toBe(true);
    const chosen = {
      ...state,
      nonTrainable: [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])],
    };
    await trainer.setWeights(chosen);
    expect((await trainer.getWeights()).nonTrainable).toEqual(chosen.nonTrainable);
  });

  it('follows a learning-rate schedule and resumes SGD with momentum and weight decay exactly', async () => {
    await trainer.setLearningRate(0.01);
    await trainer.step(tinyImages, labels, { seed: 1 });
    const saved = await trainer.getWeights();
    expect(saved.optimizer.slots.length).toBe(saved.trainable.length);
    await trainer.setWeights(saved);
    await trainer.step(tinyImages, labels, { seed: 2 });
    const straight = flat(await trainer.getWeights());
    await trainer.setWeights(saved);
    await trainer.step(tinyImages, labels, { seed: 2 });
    expect(flat(await trainer.getWeights())).toEqual(straight);
    await expect(trainer.setLearningRate(0)).rejects.toThrow(/positive number/);
  });

  it('skips the update when the loss is not finite', async () => {
    const before = await trainer.getWeights();
    const nan = new Float32Array(tinyImages.length).fill(Number.NaN);
    const result = await trainer.step(nan, labels, { seed: 3 });
    expect(result.applied).toBe(false);
    expect(Number.isNaN(result.loss)).toBe(true);
    const after = await trainer.getWeights();
    // weights and optimizer untouched (only the moving statistics saw the NaN batch)
    expect(after.optimizer.iterations).toBe(before.optimizer.iterations);
    expect(flat({ ...after, nonTrainable: [] })).toEqual(flat({ ...before, nonTrainable: [] }));
  });
});

describe('DataParallelTrainer errors', () => {
  it('reports a wasm abort in a worker as one line with the step size and the remedy', async () => {
    const trainer = await DataParallelTrainer.create({
      replica: { module: TINY_MODEL, export: 'abortingModel' },
      workers: 2,
      maxBatch: batch,
    });
    try {
      const error = await trainer
        .step(
          Float32Array.from({ length: batch * 64 }, () => uniform()),
          labels,
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WasmMemoryError);
      expect((error as Error).message).toMatch(
        /heap ran out in a data-parallel worker during a training step of abortingModel\(\) on 4 images; train with a smaller batch size/,
      );
      expect((error as Error).message).not.toMatch(/\n/);
    } finally {
      await trainer.close();
    }
  });

  it('names a missing model export', async () => {
    await expect(
      DataParallelTrainer.create({ replica: { module: TINY_MODEL, export: 'noSuchModel' }, workers: 1 }),
    ).rejects.toThrow(/no function export 'noSuchModel'/);
  }, 600_000);
});

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataParallelTrainer } from '../src/index.js';
import { randomValues } from './helpers.js';

const standIns = fileURLToPath(new URL('../bench/standin-models.ts', import.meta.url));
const batch = 8;
const images = randomValues(batch * 28 * 28, 41).map((v) => Math.abs(v));
const labels = Array.from({ length: batch }, (_, i) => i % 10);

describe('DataParallelTrainer (route B: replicas on worker threads)', () => {
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    trainer = await DataParallelTrainer.create({
      modelModule: standIns,
      modelExport: 'p4cnnStandIn',
      workers: 2,
      maxBatch: batch,
      adam: { learningRate: 0.01 },
    });
  }, 120_000);
  afterAll(async () => {
    await trainer?.close();
  });

  it('builds the model in every worker and reports its shapes and parameter count', () => {
    expect(trainer.workers).toBe(2);
    expect(trainer.inputShape).toEqual([28, 28, 1]);
    expect(trainer.numClasses).toBe(10);
    // P4CNN with batch norm has 24,680 parameters (paper-spec §5).
    expect(trainer.parameters).toBe(24_680);
  });

  it('trains (the loss goes down) and keeps the replicas bit-identical', async () => {
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) losses.push(await trainer.step(images, labels));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[5] as number).toBeLessThan(losses[0] as number);
    const first = await trainer.weights(0);
    const second = await trainer.weights(1);
    expect(second).toEqual(first);
  });

  it('predicts logits for a batch split over the workers', async () => {
    const logits = await trainer.predict(images.subarray(0, 3 * 28 * 28));
    expect(logits.length).toBe(3 * 10);
    expect(Array.from(logits).every(Number.isFinite)).toBe(true);
  });

  it('rejects a batch of the wrong size with a clear message', async () => {
    await expect(trainer.step(new Float32Array(100), [1])).rejects.toThrow(
      /expected 1 to 8 images of 28x28x1/,
    );
    await expect(trainer.step(images, [1, 2])).rejects.toThrow(/8 images but 2 labels/);
  });
});

describe('DataParallelTrainer errors', () => {
  it('names a missing model export', async () => {
    await expect(
      DataParallelTrainer.create({ modelModule: standIns, modelExport: 'noSuchModel', workers: 1 }),
    ).rejects.toThrow(/no function export 'noSuchModel'/);
  }, 120_000);
});

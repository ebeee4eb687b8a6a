import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError, NonFiniteLossError } from '../src/errors.js';
import { selectBackend } from '../src/integrations/backend.js';
import { buildModel } from '../src/integrations/models.js';
import { RunDirectory } from '../src/run/run-dir.js';
import { disposeModel, trainRun } from '../src/run/train-run.js';
import { tinyConfig, tinyData } from './support/tiny-data.js';

let root: string;
beforeAll(async () => {
  await selectBackend('cpu');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-train-run-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const data = tinyData(32, 32);
const build = () => buildModel('z2cnn', 1);

async function weightsOf(dir: string): Promise<Buffer> {
  const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
  const json = JSON.parse(await fs.readFile(path.join(dir, state.checkpoint, 'model.json'), 'utf8'));
  const bytes = await fs.readFile(path.join(dir, state.checkpoint, 'weights.bin'));
  // only the model's weights, not the optimizer's (which the comparison also covers through the weights)
  const modelBytes = json.weightsManifest[0].weights
    .filter((w: { group?: string }) => w.group !== 'optimizer')
    .reduce((sum: number, w: { shape: number[] }) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  return bytes.subarray(0, modelBytes);
}

describe('trainRun', () => {
  it('an interrupted and resumed run ends with the same weights as an uninterrupted one', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const straightDir = path.join(root, 'straight');
    const straight = await trainRun({
      run: await RunDirectory.open(straightDir, tinyConfig(2), { resume: false }),
      data,
      buildModel: build,
      backend: 'cpu',
    });
    disposeModel(straight.model);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(straight.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(straight.metrics.testError).toBe(straight.history[1]!.testError);
    expect(straight.metrics.parameters).toBe(21_750);

    // interrupted right after epoch 1 has been checkpointed
    const resumedDir = path.join(root, 'resumed');
    const controller = new AbortController();
    await expect(
      trainRun({
        run: await RunDirectory.open(resumedDir, tinyConfig(2), { resume: false }),
        data,
        buildModel: build,
        backend: 'cpu',
        signal: controller.signal,
        observer: { epochDone: () => controller.abort(new InterruptedError('test interruption', 130)) },
      }),
    ).rejects.toThrow('test interruption');
    const interrupted = JSON.parse(await fs.readFile(path.join(resumedDir, 'state.json'), 'utf8'));
    expect(interrupted).toMatchObject({
      status: 'interrupted',
      epoch: 1,
      checkpoint: 'checkpoints/epoch-0001',
    });
    // a torn line from a crash mid-append is dropped on resume
    await fs.appendFile(path.join(resumedDir, 'log.jsonl'), '{"epoch": 2, "loss"');

    const resumed = await trainRun({
      run: await RunDirectory.open(resumedDir, tinyConfig(2), { resume: true }),
      data,
      buildModel: build,
      backend: 'cpu',
    });
    disposeModel(resumed.model);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(resumed.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(resumed.metrics.testError).toBe(straight.metrics.testError);
    expect((await weightsOf(resumedDir)).equals(await weightsOf(straightDir))).toBe(true);
    const files = (await fs.readdir(resumedDir)).sort();
    expect(files).toEqual(['checkpoints', 'config.json', 'log.jsonl', 'metrics.json', 'state.json']);
    expect(await fs.readdir(path.join(resumedDir, 'checkpoints'))).toEqual(['epoch-0002']);
  });

  it('resumes SGD with momentum, a learning-rate schedule and weight decay exactly too', async () => {
    const sgd = tinyConfig(3, {
      optimizer: {
        kind: 'momentum',
        learningRate: 0.05,
        momentum: 0.9,
        schedule: [
          { epoch: 2, factor: 0.1 },
          { epoch: 3, factor: 0.01 },
        ],
      },
      weightDecay: 1e-3,
      evalEvery: 0,
    });
    const small = tinyData(16, 16);
    const straightDir = path.join(root, 'sgd-straight');
    const straight = await trainRun({
      run: await RunDirectory.open(straightDir, sgd, { resume: false }),
      data: small,
      buildModel: build,
      backend: 'cpu',
    });
    disposeModel(straight.model);
    expect(straight.history.map((r) => r.learningRate)).toEqual([0.05, 0.05 * 0.1, 0.05 * 0.01]);
    expect(straight.history.map((r) => r.testError === undefined)).toEqual([true, true, false]);

    const resumedDir = path.join(root, 'sgd-resumed');
    const controller = new AbortController();
    await expect(
      trainRun({
        run: await RunDirectory.open(resumedDir, sgd, { resume: false }),
        data: small,
        buildModel: build,
        backend: 'cpu',
        signal: controller.signal,
        observer: {
          epochDone: (r) => {
            if (r.epoch === 2) controller.abort(new InterruptedError('stop', 143));
          },
        },
      }),
    ).rejects.toThrow('stop');
    const resumed = await trainRun({
      run: await RunDirectory.open(resumedDir, sgd, { resume: true }),
      data: small,
      buildModel: build,
      backend: 'cpu',
    });
    disposeModel(resumed.model);
    expect((await weightsOf(resumedDir)).equals(await weightsOf(straightDir))).toBe(true);
  });

  it('stops on a NaN loss before the update and keeps the last good checkpoint', async () => {
    let calls = 0;
    const batchesPerEpoch = 2;
    const poisoned = {
      ...data,
      augment: (batch: { images: Float32Array }) => {
        calls += 1;
        if (calls > batchesPerEpoch) batch.images.fill(Number.NaN);
      },
    };
    const dir = path.join(root, 'nan');
    const error = await trainRun({
      run: await RunDirectory.open(dir, tinyConfig(2), { resume: false }),
      data: poisoned,
      buildModel: build,
      backend: 'cpu',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/loss became NaN at epoch 2, batch 1.*epoch 1/);
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'failed', epoch: 1, checkpoint: 'checkpoints/epoch-0001' });
    expect(await fs.readdir(path.join(dir, 'checkpoints'))).toEqual(['epoch-0001']);
  });
});

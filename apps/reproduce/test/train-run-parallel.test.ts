import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError, NonFiniteLossError } from '../src/errors.js';
import { selectBackend } from '../src/integrations/backend.js';
import { buildModel, replicaFor } from '../src/integrations/models.js';
import { RunDirectory } from '../src/run/run-dir.js';
import { disposeModel, trainRun } from '../src/run/train-run.js';
import { tinyConfig, tinyData } from './support/tiny-data.js';

// Data-parallel training (route B) on 2 wasm workers with the real Z2CNN (dropout + batch norm), on tiny data:
// the main thread (wasm) keeps the model, the finetune, the evaluation and the checkpoints.
let root: string;
beforeAll(async () => {
  await selectBackend('wasm');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-train-parallel-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const data = tinyData(32, 16);
const build = () => buildModel('z2cnn', 1);
const parallel = (epochs: number) => tinyConfig(epochs, {}, 2);

/** The whole weights.bin of the run's latest checkpoint: model weights, BN statistics and Adam's state. */
async function checkpointBytes(dir: string): Promise<Buffer> {
  const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
  return fs.readFile(path.join(dir, state.checkpoint, 'weights.bin'));
}

describe('trainRun on 2 data-parallel workers', () => {
  it('resumes an interrupted run to the same bytes as an uninterrupted one, leaking no tensors', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const straightDir = path.join(root, 'straight');
    const straight = await trainRun({
      run: await RunDirectory.open(straightDir, parallel(2), { resume: false }),
      data,
      buildModel: build,
      backend: 'wasm',
      replica: replicaFor('z2cnn'),
    });
    const trainable = straight.model.trainableWeights.length;
    disposeModel(straight.model);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(straight.metrics.workers).toBe(2);
    expect(straight.history.map((r) => r.workers)).toEqual([2, 2]);
    expect(straight.history[1]!.loss).toBeLessThan(straight.history[0]!.loss * 1.5);

    const resumedDir = path.join(root, 'resumed');
    const controller = new AbortController();
    await expect(
      trainRun({
        run: await RunDirectory.open(resumedDir, parallel(2), { resume: false }),
        data,
        buildModel: build,
        backend: 'wasm',
        replica: replicaFor('z2cnn'),
        signal: controller.signal,
        observer: { epochDone: () => controller.abort(new InterruptedError('test interruption', 130)) },
      }),
    ).rejects.toThrow('test interruption');
    expect(JSON.parse(await fs.readFile(path.join(resumedDir, 'state.json'), 'utf8'))).toMatchObject({
      status: 'interrupted',
      epoch: 1,
      iterations: 2,
    });
    const resumed = await trainRun({
      run: await RunDirectory.open(resumedDir, parallel(2), { resume: true }),
      data,
      buildModel: build,
      backend: 'wasm',
      replica: replicaFor('z2cnn'),
    });
    disposeModel(resumed.model);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(resumed.metrics.testError).toBe(straight.metrics.testError);
    expect((await checkpointBytes(resumedDir)).equals(await checkpointBytes(straightDir))).toBe(true);
    // same checkpoint layout as in-process training: model weights, then Adam's iter, m and v per variable
    const manifest = JSON.parse(
      await fs.readFile(path.join(resumedDir, 'checkpoints', 'epoch-0002', 'model.json'), 'utf8'),
    ).weightsManifest[0].weights as { name: string; group?: string }[];
    const optimizer = manifest.filter((w) => w.group === 'optimizer').map((w) => w.name);
    expect(optimizer[0]).toBe('iter');
    expect(optimizer.slice(1).every((n) => /\/(m|v)$/.test(n))).toBe(true);
    expect(optimizer.length).toBe(1 + 2 * trainable);
  });

  it('stops on a non-finite loss before the update, keeps the last good checkpoint and stops the workers', async () => {
    // ReLU maps NaN inputs to 0 on wasm, so the loss is made to diverge instead: SGD whose learning rate
    // jumps to 1e38 in epoch 2 (a schedule, which the workers follow) overflows the logits at its second step.
    const diverging = tinyConfig(
      2,
      {
        optimizer: {
          kind: 'momentum',
          learningRate: 0.01,
          momentum: 0.9,
          schedule: [{ epoch: 2, factor: 1e40 }],
        },
      },
      2,
    );
    const dir = path.join(root, 'diverging');
    const tensorsBefore = tf.memory().numTensors;
    const error = await trainRun({
      run: await RunDirectory.open(dir, diverging, { resume: false }),
      data,
      buildModel: build,
      backend: 'wasm',
      replica: replicaFor('z2cnn'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/loss became (NaN|-?Infinity) at epoch 2, batch \d.*epoch 1/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'failed', epoch: 1, checkpoint: 'checkpoints/epoch-0001' });
    expect(await fs.readdir(path.join(dir, 'checkpoints'))).toEqual(['epoch-0001']);
  });
});

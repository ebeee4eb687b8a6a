import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileSystem } from '@gcnn/backend';
import { toOnnx } from '@gcnn/export';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/integrations/backend.js';
import { buildModel } from '../src/integrations/models.js';
import { loadCheckpoint } from '../src/run/checkpoint.js';
import { RunDirectory } from '../src/run/run-dir.js';
import { disposeModel, trainRun } from '../src/run/train-run.js';
import { runCli } from './support/cli.js';
import { tinyConfig, tinyData } from './support/tiny-data.js';

let root: string;
let runDir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-cli-export-'));
  // A real run directory made the way `gcnn train` makes it: one epoch of P4CNN on 32 synthetic digits.
  runDir = path.join(root, 'run');
  const result = await trainRun({
    run: await RunDirectory.open(runDir, { ...tinyConfig(1), model: 'p4cnn' }, { resume: false }),
    data: tinyData(32, 16),
    buildModel: () => buildModel('p4cnn', 1),
    backend: 'cpu',
  });
  disposeModel(result.model);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('gcnn export', () => {
  it('--format tfjs writes a stock tfjs model with the outputs of the checkpoint', async () => {
    const out = path.join(root, 'tfjs');
    const result = await runCli(['export', runDir, '--format', 'tfjs', '--out', out, '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(path.join(out, 'model.json'));
    const json = await fs.readFile(path.join(out, 'model.json'), 'utf8');
    expect(json).not.toMatch(/GConv2D|GroupBatchNormalization|GroupMaxPool/);

    const run = await RunDirectory.load(runDir);
    const state = await run.readState();
    const original = await loadCheckpoint(run, state?.checkpoint as string);
    const exported = await tfl.loadLayersModel(fileSystem(path.join(out, 'model.json')));
    const x = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 5);
    const [a, b] = [original.predict(x), exported.predict(x)] as tf.Tensor[];
    const scale = (await tf.max(tf.abs(a as tf.Tensor)).data())[0] as number;
    const diff = (await tf.max(tf.abs(tf.sub(a as tf.Tensor, b as tf.Tensor))).data())[0] as number;
    expect(diff / scale).toBeLessThan(1e-5);
    tf.dispose([x, a as tf.Tensor, b as tf.Tensor]);
    disposeModel(original);
    exported.dispose();
  });

  it("--format onnx writes toOnnx's bytes for the checkpoint", async () => {
    const out = path.join(root, 'onnx');
    const result = await runCli(['export', runDir, '--format', 'onnx', '--out', out, '-q']);
    expect(result.code, result.stderr).toBe(0);
    const bytes = await fs.readFile(path.join(out, 'model.onnx'));
    const run = await RunDirectory.load(runDir);
    const original = await loadCheckpoint(run, (await run.readState())?.checkpoint as string);
    expect(Buffer.compare(bytes, Buffer.from(toOnnx(original)))).toBe(0);
    disposeModel(original);
  });

  it('names a bad format and a run without a checkpoint in one line', async () => {
    const bad = await runCli(['export', runDir, '--format', 'tflite', '--out', root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are tfjs, onnx/);
    const empty = path.join(root, 'empty-run');
    await RunDirectory.open(empty, tinyConfig(1), { resume: false });
    const none = await runCli(['export', empty, '--out', path.join(root, 'x')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no checkpoint yet/);
  });
});

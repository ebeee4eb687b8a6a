import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

// A tiny slice of the regenerated MNIST-rot, on the cpu backend: 2 batches of 16 per epoch.
let root: string;
let cache: string;
const tiny = () => [
  '--train-limit',
  '32',
  '--test-limit',
  '32',
  '--batch-size',
  '16',
  '--backend',
  'cpu',
  '--cache-dir',
  cache,
];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-cli-'));
  cache = path.join(root, 'cache');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function modelWeights(run: string): Promise<Buffer> {
  const state = JSON.parse(await fs.readFile(path.join(run, 'state.json'), 'utf8'));
  const dir = path.join(run, state.checkpoint);
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const specs: Array<{ shape: number[]; group?: string }> = json.weightsManifest[0].weights;
  const bytes = specs
    .filter((w) => w.group !== 'optimizer')
    .reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  return (await fs.readFile(path.join(dir, 'weights.bin'))).subarray(0, bytes);
}

describe('gcnn train / eval (end to end, cpu)', () => {
  it('trains, is interrupted, resumes to the same weights, and eval reproduces the logged error', async () => {
    const straight = path.join(root, 'straight');
    const done = await runCli([
      'train',
      '--model',
      'z2cnn',
      '--epochs',
      '2',
      '--out',
      straight,
      '--json',
      ...tiny(),
    ]);
    expect(done.stderr).not.toMatch(/\n\s+at /);
    expect(done.code).toBe(0);
    const metrics = JSON.parse(done.stdout);
    expect(metrics).toMatchObject({ model: 'z2cnn', seed: 0, epochs: 2, parameters: 21_750, backend: 'cpu' });
    const log = (await fs.readFile(path.join(straight, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.map((r) => r.epoch)).toEqual([1, 2]);
    expect(log[1].testError).toBe(metrics.testError);
    expect(await fs.readdir(path.join(straight, 'checkpoints'))).toEqual(['epoch-0002']);
    const config = JSON.parse(await fs.readFile(path.join(straight, 'config.json'), 'utf8'));
    expect(config.protocol).toMatchObject({
      optimizer: { kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      batchSize: 16,
      epochs: 2,
    });

    // SIGTERM once epoch 1 is logged: the run stops after the current batch of epoch 2 and can resume
    const resumed = path.join(root, 'resumed');
    let signalled = false;
    const stopped = await runCli(
      ['train', '--model', 'z2cnn', '--epochs', '2', '--out', resumed, ...tiny()],
      {
        onStderr: (text, child) => {
          if (!signalled && text.includes('epoch 1/2 |')) {
            signalled = true;
            child.kill('SIGTERM');
          }
        },
      },
    );
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/interrupted by SIGTERM; continue with --resume/);
    const state = JSON.parse(await fs.readFile(path.join(resumed, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'interrupted', epoch: 1 });

    const again = await runCli([
      'train',
      '--resume',
      '--out',
      resumed,
      '--backend',
      'cpu',
      '--cache-dir',
      cache,
    ]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming at epoch 2/);
    expect((await modelWeights(resumed)).equals(await modelWeights(straight))).toBe(true);

    const evaluated = await runCli(['eval', straight, '--backend', 'cpu', '--cache-dir', cache, '--json']);
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result.count).toBe(32);
    expect(result.testError).toBe(metrics.testError);
    expect(result.loggedTestError).toBe(metrics.testError);
    expect(Math.abs(result.testLoss - metrics.testLoss)).toBeLessThan(1e-6);

    // the finished run refuses to be overwritten, and a resume with a changed protocol is refused
    const reuse = await runCli(['train', '--model', 'z2cnn', '--out', straight, ...tiny()]);
    expect(reuse.code).toBe(2);
    expect(reuse.stderr.trim()).toMatch(/^gcnn: .*already holds a run \(z2cnn, seed 0\); pass --resume/);
    const changed = await runCli(['train', '--resume', '--out', straight, '--epochs', '3', ...tiny()]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/config differs: protocol.epochs 2 \(saved\) vs 3 \(now\)/);
  });

  it('trains on 2 data-parallel workers (wasm), stops on SIGTERM with the workers, and resumes to the same bytes', async () => {
    const wasm = (out: string) => [
      'train',
      '--model',
      'z2cnn',
      '--epochs',
      '2',
      '--out',
      out,
      ...tiny().map((a) => (a === 'cpu' ? 'wasm' : a)),
    ];
    const straight = path.join(root, 'parallel-straight');
    const done = await runCli([...wasm(straight), '--json']);
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(
      /training: data-parallel on 2 workers \(batch-norm statistics over each worker's 8 of 16 images\)/,
    );
    expect(JSON.parse(done.stdout)).toMatchObject({ backend: 'wasm', workers: 2 });
    const config = JSON.parse(await fs.readFile(path.join(straight, 'config.json'), 'utf8'));
    expect(config.workers).toBe(2);

    const resumed = path.join(root, 'parallel-resumed');
    let signalled = false;
    const stopped = await runCli(wasm(resumed), {
      onStderr: (text, child) => {
        if (!signalled && text.includes('epoch 1/2 |')) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    });
    // the process exits by itself: the workers were shut down
    expect(stopped.code).toBe(143);
    expect(JSON.parse(await fs.readFile(path.join(resumed, 'state.json'), 'utf8'))).toMatchObject({
      status: 'interrupted',
      epoch: 1,
    });
    const again = await runCli([
      'train',
      '--resume',
      '--out',
      resumed,
      '--backend',
      'wasm',
      '--cache-dir',
      cache,
    ]);
    expect(again.code).toBe(0);
    const bytes = async (run: string) => {
      const state = JSON.parse(await fs.readFile(path.join(run, 'state.json'), 'utf8'));
      return fs.readFile(path.join(run, state.checkpoint, 'weights.bin'));
    };
    expect((await bytes(resumed)).equals(await bytes(straight))).toBe(true);

    // the worker count is part of the run, and workers need the wasm backend
    const other = await runCli(['train', '--resume', '--out', straight, '--workers', '1', ...tiny()]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/config differs: workers 2 \(saved\) vs 1 \(now\)/);
    const cpu = await runCli([
      'train',
      '--model',
      'z2cnn',
      '--workers',
      '2',
      '--out',
      path.join(root, 'cpu-workers'),
      ...tiny(),
    ]);
    expect(cpu.code).toBe(2);
    expect(cpu.stderr.trim()).toMatch(/^gcnn: --workers 2 needs the wasm backend/);
  });
});

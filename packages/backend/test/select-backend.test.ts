import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, selectBackend } from '../src/index.js';
import { expectClose, onCpu, randomValues } from './helpers.js';

// This file starts the threaded build (route A: XNNPACK pthreads in Node), so it runs in its own process.
describe('selectBackend', () => {
  it("'tensorflow' without tfjs-node(-gpu) fails with one line naming the package and the 403 workaround, details apart", async () => {
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const message = (error as Error).message;
    expect(message.includes('\n')).toBe(false);
    for (const needle of [
      '@tensorflow/tfjs-node',
      '403',
      'tensorflow/tfjs#8742',
      'TFJS_NODE_CDN_STORAGE',
      "'wasm'",
    ]) {
      expect(message).toContain(needle);
    }
    const details = (error as BackendUnavailableError).details;
    for (const needle of [
      '@tensorflow/tfjs-node-gpu',
      'libtensorflow 2.9.1',
      'CUDA 11.2',
      'cuDNN 8.1',
      'TFJS_NODE_BASE_URI',
    ]) {
      expect(details).toContain(needle);
    }
  });

  it('rejects unknown preferences and bad thread counts with a clear message', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toThrow(
      /expected 'auto', 'tensorflow', 'wasm' or 'cpu', got "gpu"/,
    );
    await expect(selectBackend('wasm', { threads: 0 })).rejects.toThrow(
      /threads must be an integer from 1 to 8/,
    );
  });

  it("'auto' falls back to wasm with two XNNPACK threads in Node and the training kernels", async () => {
    const report = await selectBackend('auto', { threads: 2 });
    expect(tf.getBackend()).toBe('wasm');
    expect(report).toMatchObject({
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      threads: 2,
      simd: true,
    });
    expect(report.kernels.map((k) => k.name)).toEqual(
      expect.arrayContaining([
        'Conv2DBackpropFilter',
        'Conv2DBackpropInput',
        'UnsortedSegmentSum',
        'MaxPoolGrad',
      ]),
    );
    expect(report.skipped.map((s) => s.name)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(report.reason).toMatch(/2 XNNPACK thread/);
  });

  it('is idempotent: a second call reports the same running backend', async () => {
    const again = await selectBackend('wasm', { threads: 2 });
    expect(again.threads).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('computes on two threads exactly what the cpu backend computes (forward conv and both gradients)', async () => {
    const xValues = randomValues(4 * 14 * 14 * 40, 21);
    const wValues = randomValues(3 * 3 * 40 * 40, 22);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, [4, 14, 14, 40]);
        const w = tf.tensor4d(wValues, [3, 3, 40, 40]);
        const f = (xx: tf.Tensor4D, ww: tf.Tensor4D) => tf.sum(tf.square(tf.conv2d(xx, ww, 1, 'valid')));
        const [dx, dw] = tf.grads(f as never)([x, w]);
        return [tf.conv2d(x, w, 1, 'valid'), dx, dw].map((t) => Array.from((t as tf.Tensor).dataSync()));
      });
    const expected = await onCpu(run);
    const actual = run();
    for (let i = 0; i < 3; i++) expectClose(actual[i] as number[], expected[i] as number[]);
  });

  it('lets a process that uses two XNNPACK threads exit on its own', () => {
    const fixture = fileURLToPath(new URL('./fixtures/threaded-exit.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(child.signal, 'the child was killed by the timeout: it did not exit').toBeNull();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toContain('threads=2 sum=262144');
  });

  it("'cpu' switches to the pure-JS backend, with its fast filter gradient", async () => {
    const report = await selectBackend('cpu');
    expect(report).toMatchObject({
      name: 'cpu',
      threads: 1,
      kernels: [{ name: 'Conv2DBackpropFilter', kind: 'replaced' }],
    });
    expect(tf.getBackend()).toBe('cpu');
  });
});

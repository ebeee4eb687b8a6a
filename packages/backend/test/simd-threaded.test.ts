import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackendLike } from '../src/wasm/kernel-context.js';
import { simdKernels } from '../src/wasm/simd/simd-module.js';
import { expectClose, onCpu, randomValues, useWasm } from './helpers.js';

// The threaded build (route A) keeps its heap in a shared WebAssembly.Memory: the SIMD module must import it as
// shared memory and run there too.

beforeAll(async () => {
  await useWasm(2);
});

describe('the SIMD module on the threaded wasm build', () => {
  it('is instantiated on the shared heap', () => {
    const wasm = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm;
    expect(wasm.tfjs.getThreadsCount()).toBe(2);
    expect(simdKernels(tf.backend() as unknown as WasmBackendLike)).not.toBeNull();
  });

  it('computes a transpose, a batch-norm pass and a Winograd filter gradient as the cpu backend does', async () => {
    const x = randomValues(2 * 10 * 10 * 8, 1);
    const dy = randomValues(2 * 8 * 8 * 12, 2);
    const run = () => {
      const xt = tf.tensor4d(x, [2, 10, 10, 8]);
      const t = tf.transpose(xt, [3, 1, 2, 0]);
      const moments = tf.moments(tf.reshape(xt, [-1, 8]), 0);
      const dw = tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x: xt, dy: tf.tensor4d(dy, [2, 8, 8, 12]) },
          { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 8, 12] },
        ) as tf.Tensor;
      return [...t.dataSync(), ...moments.variance.dataSync(), ...dw.dataSync()];
    };
    const expected = await onCpu(run);
    expectClose(run(), expected);
  });
});

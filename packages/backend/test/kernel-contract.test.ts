import { FUSED_BATCH_NORM_KERNELS, groupBatchNormTraining, hasFusedBatchNormKernels } from '@gcnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BATCH_NORM_KERNELS } from '../src/wasm/kernels/batch-norm-kernels.js';
import { onCpu, relativeError, useWasm } from './helpers.js';

// @gcnn/layers calls the fused batch-norm kernels by the names it exports; this package registers them. The
// contract: the same names, and the layer computes the same values through them as through plain ops.
describe('the fused batch-norm kernels shared with @gcnn/layers', () => {
  it('have the names @gcnn/layers calls', () => {
    expect(BATCH_NORM_KERNELS).toEqual(FUSED_BATCH_NORM_KERNELS);
  });

  it('are all registered on wasm, so the layers take the fused path', async () => {
    await useWasm(1);
    expect(hasFusedBatchNormKernels()).toBe(true);
    for (const name of Object.values(FUSED_BATCH_NORM_KERNELS))
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  it('give the layers the values of the plain ops (cpu)', async () => {
    await useWasm(1);
    const normalize = () =>
      tf.tidy(() => {
        // 75 rows of 2 channels x 4 planes; gamma and beta per channel
        const x = tf.randomNormal([75, 8], 1, 2, 'float32', 7) as tf.Tensor2D;
        const gamma = tf.tensor1d([1.5, 0.5]);
        const beta = tf.tensor1d([0.1, -0.2]);
        const { y } = groupBatchNormTraining(x, gamma, beta, 4, 1e-3);
        return Array.from(y.dataSync());
      });
    const fused = normalize();
    const plain = await onCpu(normalize);
    expect(plain.length).toBe(600);
    expect(relativeError(fused, plain)).toBeLessThan(1e-4);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_BATCH_NORM_KERNELS, hasFusedBatchNormKernels } from '../src/batch-norm.js';
import {
  GroupBatchNormalization,
  groupBatchNormInference,
  groupBatchNormTraining,
  type LayerGroup,
  stabilizerSize,
} from '../src/index.js';
import { maxDifference, randomValues } from './helpers.js';

// The fused batch-norm path (taken when the backend registers GcnnColumnMoments, GcnnColumnProductSums and
// GcnnColumnAffine, as @gcnn/backend does on wasm) against tfjs autograd of the textbook formula. The kernels
// are registered here on cpu as plain loops that follow the contract, so that the layer's use of them is tested
// in this package; @gcnn/backend tests its wasm kernels against the cpu backend.

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function columns(x: tf.TensorInfo): [number, number] {
  const cols = x.shape[x.shape.length - 1] as number;
  return [x.shape.reduce((p, q) => p * q, 1) / cols, cols];
}

const kernels: tf.KernelConfig[] = [
  {
    kernelName: FUSED_BATCH_NORM_KERNELS.columnMoments,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackend;
      const x = inputs.x as tf.TensorInfo;
      const [rows, cols] = columns(x);
      const v = b.data.get(x.dataId).values;
      const out = new Float32Array(2 * cols);
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += v[r * cols + j] as number;
        const mean = s / rows;
        let q = 0;
        for (let r = 0; r < rows; r++) q += ((v[r * cols + j] as number) - mean) ** 2;
        out[j] = mean;
        out[cols + j] = q / rows;
      }
      return b.makeTensorInfo([2, cols], 'float32', out);
    },
  },
  {
    kernelName: FUSED_BATCH_NORM_KERNELS.columnProductSums,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackend;
      const [x, y, center] = ['x', 'y', 'center'].map(
        (k) => b.data.get((inputs[k] as tf.TensorInfo).dataId).values,
      );
      const [rows, cols] = columns(inputs.x as tf.TensorInfo);
      const out = new Float32Array(2 * cols);
      for (let j = 0; j < cols; j++) {
        let s = 0;
        let p = 0;
        for (let r = 0; r < rows; r++) {
          const i = r * cols + j;
          s += x?.[i] as number;
          p += (x?.[i] as number) * ((y?.[i] as number) - (center?.[j] as number));
        }
        out[j] = s;
        out[cols + j] = p;
      }
      return b.makeTensorInfo([2, cols], 'float32', out);
    },
  },
  {
    kernelName: FUSED_BATCH_NORM_KERNELS.columnAffine,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackend;
      const get = (k: string) =>
        inputs[k] == null ? null : b.data.get((inputs[k] as tf.TensorInfo).dataId).values;
      const [x, a, shift, y, center, c] = ['x', 'a', 'b', 'y', 'center', 'c'].map(get);
      const xInfo = inputs.x as tf.TensorInfo;
      const [rows, cols] = columns(xInfo);
      const out = new Float32Array(rows * cols);
      for (let i = 0; i < rows * cols; i++) {
        const j = i % cols;
        let v = (x?.[i] as number) * (a?.[j] as number) + (shift?.[j] as number);
        if (y != null) v += ((y[i] as number) - (center?.[j] as number)) * (c?.[j] as number);
        out[i] = v;
      }
      return b.makeTensorInfo(xInfo.shape, 'float32', out);
    },
  },
];

beforeAll(() => {
  for (const k of kernels) tf.registerKernel(k);
});
afterAll(() => {
  for (const k of kernels) tf.unregisterKernel(k.kernelName, 'cpu');
});

/** Textbook group batch norm on [rows, C·n]: statistics over rows and the n planes of each channel. */
function textbook(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, n: number): tf.Tensor2D {
  const [rows, planes] = x.shape;
  const grouped = tf.reshape(x, [rows, planes / n, n]);
  const { mean, variance } = tf.moments(grouped, [0, 2], true);
  const normalised = tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, 2e-5)));
  const y = tf.add(tf.mul(normalised, tf.reshape(gamma, [1, -1, 1])), tf.reshape(beta, [1, -1, 1]));
  return tf.reshape(y, [rows, planes]);
}

describe('group batch norm with fused kernels', () => {
  it('takes the fused path when the backend has the kernels', () => {
    expect(hasFusedBatchNormKernels()).toBe(true);
  });

  for (const group of ['Z2', 'p4', 'p4m'] as LayerGroup[]) {
    it(`${group}: values, moments and gradients agree with autograd of the textbook formula`, () => {
      const n = stabilizerSize(group);
      const rows = 37;
      const planes = 3 * n;
      const x = tf.add(
        tf.mul(tf.tensor2d(randomValues(rows * planes, 31), [rows, planes]), 3),
        1.5,
      ) as tf.Tensor2D;
      const gamma = tf.tensor1d([0.5, -1.2, 2]);
      const beta = tf.tensor1d([0.1, 0.2, -0.3]);
      const upstream = tf.tensor2d(randomValues(rows * planes, 32), [rows, planes]);
      const ours = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { y, moments } = groupBatchNormTraining(
          a as tf.Tensor2D,
          g as tf.Tensor1D,
          b as tf.Tensor1D,
          n,
          2e-5,
        );
        tf.dispose([moments.mean, moments.variance]);
        return tf.sum(tf.mul(y, upstream));
      };
      const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(textbook(a as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, n), upstream));
      const oursGrads = tf.grads(ours)([x, gamma, beta]);
      const referenceGrads = tf.grads(reference)([x, gamma, beta]);
      oursGrads.forEach((grad, i) => {
        const diff = maxDifference(grad, referenceGrads[i] as tf.Tensor);
        expect(diff.abs / diff.scale).toBeLessThan(1e-4);
      });
      const { y, moments } = groupBatchNormTraining(x, gamma, beta, n, 2e-5);
      const valueDiff = maxDifference(y, textbook(x, gamma, beta, n));
      expect(valueDiff.abs).toBeLessThan(1e-4);
      const grouped = tf.reshape(x, [rows, 3, n]);
      const expected = tf.moments(grouped, [0, 2]);
      expect(maxDifference(moments.mean, expected.mean).abs).toBeLessThan(1e-5);
      expect(maxDifference(moments.variance, expected.variance).abs).toBeLessThan(1e-4);
    });
  }

  it('inference: the layer gives x·γ/√(σ²+ε) + β − μ·γ/√(σ²+ε) with its moving statistics', () => {
    const layer = new GroupBatchNormalization({ group: 'p4' });
    const x = tf.tensor4d(randomValues(2 * 3 * 3 * 8, 41), [2, 3, 3, 8]);
    layer.apply(x); // builds
    const weights = [
      tf.tensor1d([1.5, -0.5]),
      tf.tensor1d([0.2, 0.3]),
      tf.tensor1d([0.1, -0.2]),
      tf.tensor1d([2, 0.5]),
    ];
    layer.setWeights(weights);
    const [gamma, beta, mean, variance] = weights as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const actual = layer.apply(x) as tf.Tensor;
    const a = tf.div(gamma, tf.sqrt(tf.add(variance, 2e-5)));
    const perPlane = (v: tf.Tensor) => tf.reshape(tf.tile(tf.reshape(v, [2, 1]), [1, 4]), [8]);
    const expected = tf.add(tf.mul(tf.sub(x, perPlane(mean)), perPlane(a)), perPlane(beta));
    expect(maxDifference(actual, expected).abs).toBeLessThan(1e-5);
    const direct = groupBatchNormInference(x, mean, variance, gamma, beta, 4, 2e-5);
    expect(maxDifference(direct, expected).abs).toBeLessThan(1e-5);
  });
});

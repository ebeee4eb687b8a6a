import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  GConv2D,
  gconv2d,
  groupBatchNormTraining,
  type LayerGroup,
  type OutputGroup,
  planes,
  stabilizerSize,
} from '../src/index.js';
import { maxDifference, randomValues } from './helpers.js';

/** Half the sum of squares, accumulated in float64 from the float32 output. */
function halfSquaredNorm(y: tf.Tensor): number {
  let total = 0;
  for (const v of y.dataSync()) total += v * v;
  return total / 2;
}

describe('GConv2D gradients match finite differences', () => {
  const cases: [LayerGroup, OutputGroup][] = [
    ['Z2', 'p4'],
    ['p4', 'p4'],
    ['p4m', 'p4m'],
  ];
  for (const [inGroup, outGroup] of cases) {
    it(`${inGroup}->${outGroup}, 5×5 input, k=3, padding 1, stride 2`, () => {
      const layer = new GConv2D({ inGroup, outGroup, filters: 2, kernelSize: 3, padding: 1, strides: 2 });
      const inPlanes = planes(1, inGroup);
      const x = tf.tensor4d(randomValues(2 * 5 * 5 * inPlanes, 11), [2, 5, 5, inPlanes]);
      layer.apply(x); // builds the weights
      const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
      const kernelValues = randomValues(kernel.size, 5);
      const biasValues = randomValues(bias.size, 6);
      const forward = (w: Float32Array, b: Float32Array) =>
        tf.tidy(() => {
          layer.setWeights([tf.tensor(w, kernel.shape), tf.tensor(b, bias.shape)]);
          return halfSquaredNorm(layer.apply(x) as tf.Tensor);
        });
      forward(kernelValues, biasValues);
      const grads = tf.variableGrads(
        () => tf.div(tf.sum(tf.square(layer.apply(x) as tf.Tensor)), 2) as tf.Scalar,
      );
      const analytic = layer.trainableWeights.map((v) => grads.grads[v.name] as tf.Tensor);
      // The loss is quadratic in the weights, so central differences are exact up to float32 round-off.
      const h = 1e-2;
      const check = (values: Float32Array, which: 0 | 1) => {
        const numeric = new Float32Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const plus = Float32Array.from(values);
          const minus = Float32Array.from(values);
          plus[i] = (plus[i] as number) + h;
          minus[i] = (minus[i] as number) - h;
          const lossPlus = which === 0 ? forward(plus, biasValues) : forward(kernelValues, plus);
          const lossMinus = which === 0 ? forward(minus, biasValues) : forward(kernelValues, minus);
          numeric[i] = (lossPlus - lossMinus) / (2 * h);
        }
        forward(kernelValues, biasValues);
        return numeric;
      };
      const numericKernel = check(kernelValues, 0);
      const numericBias = check(biasValues, 1);
      const [kernelGrad, biasGrad] = analytic as [tf.Tensor, tf.Tensor];
      const kernelDiff = maxDifference(kernelGrad, tf.tensor(numericKernel, kernel.shape));
      const biasDiff = maxDifference(biasGrad, tf.tensor(numericBias, bias.shape));
      expect(kernelDiff.scale).toBeGreaterThan(0.1);
      expect(kernelDiff.abs / kernelDiff.scale).toBeLessThan(2e-3);
      expect(biasDiff.abs / biasDiff.scale).toBeLessThan(2e-3);
      // getWeights() returns the variables' own tensors: disposing the layer frees them.
      tf.dispose([x, ...analytic, grads.value]);
      layer.dispose();
    });
  }
});

/** Group batch norm written with plain tf ops, differentiated by tfjs' own gradients. */
function referenceBatchNorm(
  x2d: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  n: number,
  epsilon: number,
) {
  const [rows, cols] = x2d.shape;
  const grouped = tf.reshape(x2d, [rows, cols / n, n]);
  const { mean, variance } = tf.moments(grouped, [0, 2], true);
  const normalized = tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon)));
  const y = tf.add(tf.mul(normalized, tf.reshape(gamma, [1, -1, 1])), tf.reshape(beta, [1, -1, 1]));
  return tf.reshape(y, [rows, cols]);
}

describe('group batch norm (training mode)', () => {
  for (const group of ['Z2', 'p4', 'p4m'] as const) {
    it(`${group}: value and hand-written gradient agree with tfjs autograd of the textbook formula`, () => {
      const n = stabilizerSize(group);
      const channels = 3;
      const rows = 40;
      const x = tf.tensor2d(randomValues(rows * channels * n, 21), [rows, channels * n]);
      const shifted = tf.add(tf.mul(x, 3), 1.5) as tf.Tensor2D; // non-zero mean and non-unit variance
      const gamma = tf.tensor1d([0.5, -1.2, 2]);
      const beta = tf.tensor1d([0.1, 0.2, -0.3]);
      const upstream = tf.tensor2d(randomValues(rows * channels * n, 22), [rows, channels * n]);
      const ours = (a: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => {
        const { y, moments } = groupBatchNormTraining(a, g, b, n, 2e-5);
        tf.dispose([moments.mean, moments.variance]);
        return tf.sum(tf.mul(y, upstream));
      };
      const reference = (a: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) =>
        tf.sum(tf.mul(referenceBatchNorm(a, g, b, n, 2e-5), upstream));
      const oursGrads = tf.grads(ours as (...args: tf.Tensor[]) => tf.Tensor)([shifted, gamma, beta]);
      const referenceGrads = tf.grads(reference as (...args: tf.Tensor[]) => tf.Tensor)([
        shifted,
        gamma,
        beta,
      ]);
      oursGrads.forEach((grad, i) => {
        const diff = maxDifference(grad, referenceGrads[i] as tf.Tensor);
        expect(diff.abs / diff.scale).toBeLessThan(1e-4);
      });
      const { y, moments } = groupBatchNormTraining(shifted, gamma, beta, n, 2e-5);
      const valueDiff = maxDifference(y, referenceBatchNorm(shifted, gamma, beta, n, 2e-5));
      expect(valueDiff.abs).toBeLessThan(1e-4);
      expect(moments.count).toBe(rows * n);
      tf.dispose([
        x,
        shifted,
        gamma,
        beta,
        upstream,
        y,
        moments.mean,
        moments.variance,
        ...oursGrads,
        ...referenceGrads,
      ]);
    });
  }
});

describe('gconv2d on the network input skips the unused input gradient', () => {
  const x = tf.tensor4d(randomValues(2 * 6 * 6 * 1, 21), [2, 6, 6, 1]);
  const w = tf.variable(tf.tensor4d(randomValues(3 * 3 * 1 * 2, 22), [3, 3, 1, 2]));
  const b = tf.variable(tf.tensor1d(randomValues(2, 23)));
  const loss = (input: tf.Tensor4D, activation: 'linear' | 'relu') =>
    tf.sum(tf.square(gconv2d(input, w, { inGroup: 'Z2', outGroup: 'p4', bias: b, activation }))) as tf.Scalar;

  for (const activation of ['linear', 'relu'] as const) {
    it(`runs no Conv2DBackpropInput for the weights' gradients (${activation})`, async () => {
      const profile = await tf.profile(() => tf.variableGrads(() => loss(x, activation)).grads);
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain('Conv2DBackpropFilter');
      expect(names).not.toContain('Conv2DBackpropInput');
      tf.dispose(profile.result as never);
    });

    it(`gives the fused path's values and gradients, also w.r.t. the input (${activation})`, () => {
      // An intermediate input (x·1 is recorded on the tape) takes the fused path.
      const viaIntermediate = tf.grads((input: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) =>
        tf.sum(
          tf.square(
            gconv2d(tf.mul(input, 1) as tf.Tensor4D, kernel as tf.Tensor4D, {
              inGroup: 'Z2',
              outGroup: 'p4',
              bias: bias as tf.Tensor1D,
              activation,
            }),
          ),
        ),
      )([x, w, b]);
      const direct = tf.grads((input: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) =>
        tf.sum(
          tf.square(
            gconv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, {
              inGroup: 'Z2',
              outGroup: 'p4',
              bias: bias as tf.Tensor1D,
              activation,
            }),
          ),
        ),
      )([x, w, b]);
      for (let i = 0; i < 3; i++) {
        const { abs, scale } = maxDifference(direct[i] as tf.Tensor, viaIntermediate[i] as tf.Tensor);
        expect(abs).toBeLessThanOrEqual(1e-5 * scale);
      }
      const plain = loss(x, activation).dataSync()[0] as number;
      const fused = tf.tidy(() => loss(tf.mul(x, 1) as tf.Tensor4D, activation).dataSync()[0] as number);
      expect(Math.abs(plain - fused)).toBeLessThanOrEqual(1e-5 * Math.abs(fused));
      tf.dispose([...direct, ...viaIntermediate]);
    });
  }
});

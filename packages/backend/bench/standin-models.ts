import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel } from '../src/train-step.js';

// Stand-ins with the layer shapes of the paper's MNIST-rot models (Cohen & Welling 2016, §8.1), built from
// plain tfjs ops, for benchmarking before @gcnn/models exists. They run the same kinds of kernels as the
// real layers: a gathered (expanded) filter, a fused conv with bias, batch norm, ReLU, max pooling.

/** Source row of each gathered filter row (i, j, s, t): L_t rotates space and shifts the input rotation s. */
function p4FilterIndices(k: number, nIn: 1 | 4): Int32Array {
  const nOut = 4;
  const indices = new Int32Array(k * k * nIn * nOut);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      for (let s = 0; s < nIn; s++) {
        for (let t = 0; t < nOut; t++) {
          // Rotating the filter by t quarter turns reads the base filter at rot^-t (i, j).
          let [a, b] = [i, j];
          for (let step = 0; step < t; step++) [a, b] = [b, k - 1 - a];
          const sourcePlane = nIn === 1 ? 0 : (s - t + 4) % 4;
          indices[((i * k + j) * nIn + s) * nOut + t] = (a * k + b) * nIn + sourcePlane;
        }
      }
    }
  }
  return indices;
}

/** 2·multiply-adds of a valid k×k convolution producing out×out×cOut from cIn planes. */
function convFlops(out: number, k: number, cIn: number, cOut: number): number {
  return 2 * out * out * cOut * k * k * cIn;
}

/** Forward FLOPs of one image through P4CNN: 40 planes (10 p4 channels) per layer, 28 -> 26 -> 24 -> 12 -> ... -> 1. */
export const P4CNN_FLOPS =
  convFlops(26, 3, 1, 40) +
  convFlops(24, 3, 40, 40) +
  [10, 8, 6, 4].reduce((s, out) => s + convFlops(out, 3, 40, 40), 0) +
  convFlops(1, 4, 40, 40);

/** Forward FLOPs of one image through Z2CNN: 20 channels per layer. */
export const Z2CNN_FLOPS =
  convFlops(26, 3, 1, 20) +
  convFlops(24, 3, 20, 20) +
  [10, 8, 6, 4].reduce((s, out) => s + convFlops(out, 3, 20, 20), 0) +
  convFlops(1, 4, 20, 10);

/** Variable names must be unique in tfjs: each stand-in instance gets its own prefix. */
let instances = 0;

interface GConvParams {
  w: tf.Variable;
  b: tf.Variable;
  indices: tf.Tensor1D;
  k: number;
  nIn: 1 | 4;
  cIn: number;
  cOut: number;
}

function normal(shape: number[], std: number, name: string): tf.Variable {
  return tf.variable(tf.mul(tf.randomNormal(shape), std), true, name);
}

function makeGConv(name: string, cIn: number, cOut: number, k: number, nIn: 1 | 4): GConvParams {
  return {
    w: normal([k, k, cIn * nIn, cOut], Math.sqrt(1 / (cIn * nIn * k * k)), `${name}/w`),
    b: tf.variable(tf.zeros([cOut]), true, `${name}/b`),
    indices: tf.tensor1d(p4FilterIndices(k, nIn), 'int32'),
    k,
    nIn,
    cIn,
    cOut,
  };
}

/** p4 G-convolution: expand the filter with one gather, then one fused conv2d with the shared bias. */
function gconv(x: tf.Tensor4D, p: GConvParams, first = false): tf.Tensor4D {
  const { w, b, indices, k, nIn, cIn, cOut } = p;
  const nOut = 4;
  const rows =
    nIn === 1
      ? tf.reshape(w, [k * k * nIn, cIn * cOut])
      : tf.reshape(tf.transpose(tf.reshape(w, [k, k, cIn, nIn, cOut]), [0, 1, 3, 2, 4]), [
          k * k * nIn,
          cIn * cOut,
        ]);
  const gathered = tf.reshape(tf.gather(rows, indices), [k, k, nIn, nOut, cIn, cOut]);
  const filter = tf.reshape(tf.transpose(gathered, [0, 1, 4, 2, 5, 3]), [
    k,
    k,
    cIn * nIn,
    cOut * nOut,
  ]) as tf.Tensor4D;
  const bias = tf.reshape(tf.tile(tf.reshape(b, [cOut, 1]), [1, nOut]), [cOut * nOut]);
  // As @gcnn/layers does on the network's input: plain ops, so that the unused input gradient is skipped.
  if (first) return tf.add(tf.conv2d(x, filter, 1, 'valid'), bias) as tf.Tensor4D;
  return tf.fused.conv2d({ x, filter, strides: 1, pad: 'valid', bias });
}

interface BatchNormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
  channels: number;
  planes: number;
}

function makeBatchNorm(name: string, channels: number, planes: number): BatchNormParams {
  return {
    gamma: tf.variable(tf.ones([channels]), true, `${name}/gamma`),
    beta: tf.variable(tf.zeros([channels]), true, `${name}/beta`),
    channels,
    planes,
  };
}

/** Per-channel values [C] repeated over the n planes of each channel: [C·n]. */
function perPlane(v: tf.Tensor, channels: number, planes: number): tf.Tensor1D {
  return planes === 1
    ? (v as tf.Tensor1D)
    : tf.reshape(tf.tile(tf.reshape(v, [channels, 1]), [1, planes]), [channels * planes]);
}

/** Column sums of [rows, P] as a [1, rows]·[rows, P] matMul (how @gcnn/layers reduces), as [P]. */
function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]) as tf.Tensor2D, x), [x.shape[1]]);
}

/** Sums the n planes of each channel: [C·n] -> [C]. */
function fold(v: tf.Tensor1D, planes: number): tf.Tensor1D {
  return planes === 1 ? v : tf.sum(tf.reshape(v, [-1, planes]), 1);
}

/** The fused batch-norm kernels that @gcnn/layers uses when the backend has them (registered on wasm). */
const FUSED = ['GcnnColumnMoments', 'GcnnColumnProductSums', 'GcnnColumnAffine'];

function fused(name: string, inputs: Record<string, tf.Tensor>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, {}) as tf.Tensor;
}

/** The fused path of @gcnn/layers' group batch norm (two passes forward, two backward). */
function fusedBatchNorm(flat: tf.Tensor2D, p: BatchNormParams, count: number): tf.Tensor2D {
  const { gamma, beta, channels, planes } = p;
  const eps = 2e-5;
  const normalize = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const [xs, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, (t: tf.Tensor[]) => void];
    const [planeMean, planeVariance] = tf.unstack(fused('GcnnColumnMoments', { x: xs })) as [
      tf.Tensor1D,
      tf.Tensor1D,
    ];
    const mean = tf.div(fold(planeMean, planes), planes) as tf.Tensor1D;
    const spread = tf.square(tf.sub(planeMean, perPlane(mean, channels, planes))) as tf.Tensor1D;
    const variance = tf.div(fold(tf.add(planeVariance, spread) as tf.Tensor1D, planes), planes);
    const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const scale = tf.mul(g, invStd) as tf.Tensor1D;
    const shift = tf.sub(b, tf.mul(mean, scale));
    save([xs, mean, invStd, g]);
    return {
      value: fused('GcnnColumnAffine', {
        x: xs,
        a: perPlane(scale, channels, planes),
        b: perPlane(shift, channels, planes),
      }) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [x0, mu, istd, gm] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const center = perPlane(mu, channels, planes);
        const [sumDy, sumDyCentered] = tf.unstack(
          fused('GcnnColumnProductSums', { x: dy as tf.Tensor, y: x0, center }),
        ) as [tf.Tensor1D, tf.Tensor1D];
        const dBeta = fold(sumDy, planes);
        const dGamma = tf.mul(fold(sumDyCentered, planes), istd) as tf.Tensor1D;
        const a = tf.mul(gm, istd) as tf.Tensor1D;
        const bCoef = tf.div(tf.neg(tf.mul(tf.mul(a, istd), dGamma)), count) as tf.Tensor1D;
        const cCoef = tf.div(tf.neg(tf.mul(a, dBeta)), count) as tf.Tensor1D;
        const dx = fused('GcnnColumnAffine', {
          x: dy as tf.Tensor,
          a: perPlane(a, channels, planes),
          b: perPlane(cCoef, channels, planes),
          y: x0,
          center,
          c: perPlane(bCoef, channels, planes),
        });
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalize(flat, gamma, beta) as tf.Tensor2D;
}

/**
 * Group batch norm: statistics per G-channel over batch, space and the n planes of the channel, with a
 * written-out gradient whose reductions are matMuls with a ones row, the structure of @gcnn/layers'
 * GroupBatchNormalization (so the stand-in runs the same kernels).
 */
function groupBatchNorm(x: tf.Tensor4D, p: BatchNormParams, training: boolean): tf.Tensor4D {
  const { gamma, beta, channels, planes } = p;
  const [n, h, w, c] = x.shape;
  const eps = 2e-5;
  const flat = tf.reshape(x, [n * h * w, c]) as tf.Tensor2D;
  if (!training) {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(tf.ones([channels]), eps)));
    if (FUSED.every((name) => tf.getKernel(name, tf.getBackend()) != null)) {
      const a = perPlane(scale, channels, planes);
      return tf.reshape(
        fused('GcnnColumnAffine', { x: flat, a, b: perPlane(beta, channels, planes) }),
        x.shape,
      );
    }
    return tf.reshape(
      tf.add(tf.mul(flat, perPlane(scale, channels, planes)), perPlane(beta, channels, planes)),
      x.shape,
    ) as tf.Tensor4D;
  }
  const count = n * h * w * planes;
  if (FUSED.every((name) => tf.getKernel(name, tf.getBackend()) != null)) {
    return tf.reshape(fusedBatchNorm(flat, p, count), x.shape) as tf.Tensor4D;
  }
  const normalize = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const [xs, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, (t: tf.Tensor[]) => void];
    const mean = tf.div(fold(columnSums(xs), planes), count) as tf.Tensor1D;
    const centered = tf.sub(xs, perPlane(mean, channels, planes)) as tf.Tensor2D;
    const variance = tf.div(fold(columnSums(tf.square(centered) as tf.Tensor2D), planes), count);
    const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const scale = tf.mul(g, invStd) as tf.Tensor1D;
    save([centered, invStd, g]);
    return {
      value: tf.add(
        tf.mul(centered, perPlane(scale, channels, planes)),
        perPlane(b, channels, planes),
      ) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xc, istd, gm] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const grad = dy as tf.Tensor2D;
        const dBeta = fold(columnSums(grad), planes);
        const dGamma = tf.mul(fold(columnSums(tf.mul(grad, xc) as tf.Tensor2D), planes), istd) as tf.Tensor1D;
        const a = tf.mul(gm, istd) as tf.Tensor1D;
        const bCoef = tf.div(tf.neg(tf.mul(tf.mul(a, istd), dGamma)), count) as tf.Tensor1D;
        const cCoef = tf.div(tf.neg(tf.mul(a, dBeta)), count) as tf.Tensor1D;
        const dx = tf.add(
          tf.add(tf.mul(grad, perPlane(a, channels, planes)), tf.mul(xc, perPlane(bCoef, channels, planes))),
          perPlane(cCoef, channels, planes),
        );
        return [dx, dGamma, dBeta];
      },
    };
  });
  return tf.reshape(normalize(flat, gamma, beta), x.shape) as tf.Tensor4D;
}

/**
 * A stand-in for P4CNN (7 layers of p4 convolutions with 10 channels = 40 planes, k 3, the last k 4; batch
 * norm and ReLU; a 2×2 max pool after layer 2; max over rotations at the top): 28×28×1 -> 10 logits.
 */
export function p4cnnStandIn(): TrainableModel {
  const id = `p4cnn${instances++}`;
  const convs = [
    makeGConv(`${id}/l1`, 1, 10, 3, 1),
    ...[2, 3, 4, 5, 6].map((i) => makeGConv(`${id}/l${i}`, 10, 10, 3, 4)),
    makeGConv(`${id}/top`, 10, 10, 4, 4),
  ];
  const norms = [1, 2, 3, 4, 5, 6].map((i) => makeBatchNorm(`${id}/bn${i}`, 10, 4));
  const variables = [...convs.flatMap((c) => [c.w, c.b]), ...norms.flatMap((b) => [b.gamma, b.beta])];
  return {
    name: 'P4CNN (stand-in)',
    inputShape: [28, 28, 1],
    numClasses: 10,
    variables,
    flopsPerImage: P4CNN_FLOPS,
    apply(x, training) {
      return tf.tidy(() => {
        let h = x;
        for (let i = 0; i < 6; i++) {
          h = tf.relu(
            groupBatchNorm(gconv(h, convs[i] as GConvParams, i === 0), norms[i] as BatchNormParams, training),
          );
          if (i === 1) h = tf.maxPool(h, 2, 2, 'valid');
        }
        const top = gconv(h, convs[6] as GConvParams);
        return tf.max(tf.reshape(top, [x.shape[0], 10, 4]), 2) as tf.Tensor2D;
      });
    },
    dispose() {
      for (const v of variables) v.dispose();
      for (const c of convs) c.indices.dispose();
    },
  };
}

/**
 * A stand-in for Z2CNN (7 layers of 3×3 convolutions with 20 channels, the last 4×4; batch norm as
 * tfjs-layers computes it (moments + fused batch norm), ReLU, dropout 0.3, a 2×2 max pool after layer 2).
 */
export function z2cnnStandIn(): TrainableModel {
  const shapes: [number, number, number][] = [
    [3, 1, 20],
    [3, 20, 20],
    [3, 20, 20],
    [3, 20, 20],
    [3, 20, 20],
    [3, 20, 20],
    [4, 20, 10],
  ];
  const id = `z2cnn${instances++}`;
  const weights = shapes.map(([k, cIn, cOut], i) =>
    normal([k, k, cIn, cOut], Math.sqrt(1 / (cIn * k * k)), `${id}/l${i}/w`),
  );
  const biases = shapes.map(([, , cOut], i) => tf.variable(tf.zeros([cOut]), true, `${id}/l${i}/b`));
  const gammas = shapes.slice(0, 6).map((_, i) => tf.variable(tf.ones([20]), true, `${id}/l${i}/gamma`));
  const betas = shapes.slice(0, 6).map((_, i) => tf.variable(tf.zeros([20]), true, `${id}/l${i}/beta`));
  const variables = [...weights, ...biases, ...gammas, ...betas];
  return {
    name: 'Z2CNN (stand-in)',
    inputShape: [28, 28, 1],
    numClasses: 10,
    variables,
    flopsPerImage: Z2CNN_FLOPS,
    apply(x, training) {
      return tf.tidy(() => {
        let h: tf.Tensor4D = x;
        for (let i = 0; i < 6; i++) {
          const filter = weights[i] as tf.Variable<tf.Rank.R4>;
          const z =
            i === 0
              ? (tf.add(tf.conv2d(h, filter, 1, 'valid'), biases[i] as tf.Variable) as tf.Tensor4D)
              : tf.fused.conv2d({ x: h, filter, strides: 1, pad: 'valid', bias: biases[i] });
          const norm = {
            gamma: gammas[i] as tf.Variable,
            beta: betas[i] as tf.Variable,
            channels: 20,
            planes: 1,
          };
          h = tf.relu(groupBatchNorm(z, norm, training));
          if (training && i !== 1) h = tf.dropout(h, 0.3) as tf.Tensor4D;
          if (i === 1) h = tf.maxPool(h, 2, 2, 'valid');
        }
        const top = tf.conv2d(h, weights[6] as tf.Variable<tf.Rank.R4>, 1, 'valid');
        return tf.reshape(tf.add(top, biases[6] as tf.Variable), [x.shape[0], 10]) as tf.Tensor2D;
      });
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';

// Everything here works on the [rows, C·n] view of an NHWC G-map (rows = N·H·W). Column sums are matMuls with a
// ones row, because reductions over leading axes are slow on some backends (wasm) while matMul is fast, and the
// backward pass below is written out so that it too reduces with matMuls only.

/** Sums each column of a [rows, P] matrix: a [1, rows]·[rows, P] matMul, returned as [P]. */
function columnSums(x2d: tf.Tensor2D): tf.Tensor1D {
  const ones = tf.ones([1, x2d.shape[0]]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(ones, x2d), [x2d.shape[1]]);
}

/** Adds up the n planes of each G-channel: [C·n] -> [C]. */
function foldPlanes(perPlane: tf.Tensor1D, n: number): tf.Tensor1D {
  if (n === 1) return perPlane;
  return tf.sum(tf.reshape(perPlane, [-1, n]), 1);
}

/** Repeats each G-channel value for its n planes: [C] -> [C·n]. */
function expandPlanes(perChannel: tf.Tensor1D, n: number): tf.Tensor1D {
  if (n === 1) return perChannel;
  const channels = perChannel.shape[0];
  return tf.reshape(tf.tile(tf.reshape(perChannel, [channels, 1]), [1, n]), [channels * n]);
}

/** Batch statistics of one training step, per G-channel. */
export interface GroupMoments {
  /** Mean over batch, space and stabiliser, [C]. */
  mean: tf.Tensor1D;
  /** Biased variance (divided by the count), [C]. */
  variance: tf.Tensor1D;
  /** Number of values each statistic is taken over (N·H·W·n). */
  count: number;
}

/**
 * Group batch normalisation in training mode on the [rows, C·n] view, with a hand-written gradient that
 * reduces with matMuls only. Returns the normalised matrix and the batch moments (the caller disposes them).
 */
export function groupBatchNormTraining(
  x2d: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  n: number,
  epsilon: number,
): { y: tf.Tensor2D; moments: GroupMoments } {
  const count = x2d.shape[0] * n;
  let moments: GroupMoments | undefined;
  const normalize = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [x, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, (tensors: tf.Tensor[]) => void];
    const mean = tf.div(foldPlanes(columnSums(x), n), count) as tf.Tensor1D;
    const centered = tf.sub(x, expandPlanes(mean, n)) as tf.Tensor2D;
    const variance = tf.div(
      foldPlanes(columnSums(tf.square(centered) as tf.Tensor2D), n),
      count,
    ) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const y = tf.add(tf.mul(centered, expandPlanes(tf.mul(g, invStd) as tf.Tensor1D, n)), expandPlanes(b, n));
    moments = { mean: tf.keep(mean), variance: tf.keep(variance), count };
    save([centered, invStd, g]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xc, istd, scale] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const grad = dy as tf.Tensor2D;
        // y = γ·x̂ + β with x̂ = (x − μ)·istd:  dβ = Σ dy,  dγ = Σ dy·x̂,
        // dx = γ·istd/count · (count·dy − dβ − x̂·dγ)   (sums over rows and the n planes of a channel).
        const dBeta = foldPlanes(columnSums(grad), n);
        const dGamma = tf.mul(
          foldPlanes(columnSums(tf.mul(grad, xc) as tf.Tensor2D), n),
          istd,
        ) as tf.Tensor1D;
        const a = tf.mul(scale, istd) as tf.Tensor1D;
        const bCoef = tf.div(tf.neg(tf.mul(tf.mul(a, istd), dGamma)), count) as tf.Tensor1D;
        const cCoef = tf.div(tf.neg(tf.mul(a, dBeta)), count) as tf.Tensor1D;
        const dx = tf.add(
          tf.add(tf.mul(grad, expandPlanes(a, n)), tf.mul(xc, expandPlanes(bCoef, n))),
          expandPlanes(cCoef, n),
        );
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = normalize(x2d, gamma, beta) as tf.Tensor2D;
  return { y, moments: moments as GroupMoments };
}

/** Group batch normalisation with fixed statistics (inference): y = x·a + b per plane, a = γ/√(σ² + ε). */
export function groupBatchNormInference(
  x: tf.Tensor,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  n: number,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon))) as tf.Tensor1D;
    const b = tf.sub(beta, tf.mul(mean, a)) as tf.Tensor1D;
    return tf.add(tf.mul(x, expandPlanes(a, n)), expandPlanes(b, n));
  });
}

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

/**
 * Fused batch-norm kernels that a backend may provide (@gcnn/backend registers them on wasm), each one pass over
 * the [rows, P] view of the activations where the plain ops below take two to five:
 *   GcnnColumnMoments {x} -> [2, P] means and biased variances of the columns;
 *   GcnnColumnProductSums {x, y, center} -> [2, P]: Σ x and Σ x·(y − center) per column;
 *   GcnnColumnAffine {x, a, b[, y, center, c]} -> x·a + b [+ (y − center)·c] per column.
 * Without them (cpu, webgl, tfjs-node) the layer uses plain ops; both paths compute the same values.
 */
export const FUSED_BATCH_NORM_KERNELS = Object.freeze({
  columnMoments: 'GcnnColumnMoments',
  columnProductSums: 'GcnnColumnProductSums',
  columnAffine: 'GcnnColumnAffine',
} as const);

/** Whether the active backend has all fused batch-norm kernels. */
export function hasFusedBatchNormKernels(): boolean {
  const backend = tf.getBackend();
  return Object.values(FUSED_BATCH_NORM_KERNELS).every((name) => tf.getKernel(name, backend) != null);
}

function runFused(
  name: (typeof FUSED_BATCH_NORM_KERNELS)[keyof typeof FUSED_BATCH_NORM_KERNELS],
  inputs: Record<string, tf.Tensor>,
): tf.Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, {}) as tf.Tensor;
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
  if (hasFusedBatchNormKernels()) return fusedTraining(x2d, gamma, beta, n, epsilon);
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

/** `groupBatchNormTraining` with the fused kernels: two passes forward, two backward. */
function fusedTraining(
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
    const [planeMean, planeVariance] = tf.unstack(
      runFused(FUSED_BATCH_NORM_KERNELS.columnMoments, { x }),
    ) as [tf.Tensor1D, tf.Tensor1D];
    // Per G-channel over its n planes (equal counts): the mean of the means, and the mean of the variances plus
    // the variance of the means.
    const mean = tf.div(foldPlanes(planeMean, n), n) as tf.Tensor1D;
    const spread = tf.square(tf.sub(planeMean, expandPlanes(mean, n))) as tf.Tensor1D;
    const variance = tf.div(foldPlanes(tf.add(planeVariance, spread) as tf.Tensor1D, n), n) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const scale = tf.mul(g, invStd) as tf.Tensor1D;
    const shift = tf.sub(b, tf.mul(mean, scale)) as tf.Tensor1D;
    const y = runFused(FUSED_BATCH_NORM_KERNELS.columnAffine, {
      x,
      a: expandPlanes(scale, n),
      b: expandPlanes(shift, n),
    });
    moments = { mean: tf.keep(mean), variance: tf.keep(variance), count };
    save([x, mean, invStd, g]);
    return {
      value: y as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, mu, istd, gammaSaved] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const center = expandPlanes(mu, n);
        // The same closed form as the plain path: dβ = Σ dy, dγ = Σ dy·x̂,
        // dx = a·dy + c + b·(x − μ) with a = γ·istd, b = −a·istd·dγ/count, c = −a·dβ/count.
        const [sumDy, sumDyCentered] = tf.unstack(
          runFused(FUSED_BATCH_NORM_KERNELS.columnProductSums, { x: dy as tf.Tensor, y: xs, center }),
        ) as [tf.Tensor1D, tf.Tensor1D];
        const dBeta = foldPlanes(sumDy, n);
        const dGamma = tf.mul(foldPlanes(sumDyCentered, n), istd) as tf.Tensor1D;
        const a = tf.mul(gammaSaved, istd) as tf.Tensor1D;
        const bCoef = tf.div(tf.neg(tf.mul(tf.mul(a, istd), dGamma)), count) as tf.Tensor1D;
        const cCoef = tf.div(tf.neg(tf.mul(a, dBeta)), count) as tf.Tensor1D;
        const dx = runFused(FUSED_BATCH_NORM_KERNELS.columnAffine, {
          x: dy as tf.Tensor,
          a: expandPlanes(a, n),
          b: expandPlanes(cCoef, n),
          y: xs,
          center,
          c: expandPlanes(bCoef, n),
        });
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
    if (x.dtype === 'float32' && x.rank >= 1 && hasFusedBatchNormKernels()) {
      return runFused(FUSED_BATCH_NORM_KERNELS.columnAffine, {
        x,
        a: expandPlanes(a, n),
        b: expandPlanes(b, n),
      });
    }
    return tf.add(tf.mul(x, expandPlanes(a, n)), expandPlanes(b, n));
  });
}

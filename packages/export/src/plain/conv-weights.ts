import { stabilizerSize, transformFilter } from '@gcnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PlaneBatchNorm } from './batch-norm-params.js';
import { affineOf } from './batch-norm-params.js';

/** The filter and bias of an ordinary convolution, as host arrays (the kernel in tfjs layout [k, k, in, out]). */
export interface PlainConvWeights {
  readonly kernel: Float32Array;
  readonly kernelShape: [number, number, number, number];
  /** One value per output plane; null when the convolution has no bias and none was folded in. */
  readonly bias: Float64Array | null;
}

/**
 * The expanded filter of a GConv2D, computed once from its base filter with `transformFilter`, and its bias
 * repeated for the n_out planes of each output G-channel.
 */
export function gconvWeights(layer: tfl.layers.Layer): PlainConvWeights {
  const config = layer.getConfig();
  const [base, bias] = layer.getWeights();
  const inGroup = config.inGroup as 'Z2' | 'p4' | 'p4m';
  const outGroup = config.outGroup as 'p4' | 'p4m';
  const expanded = tf.tidy(() => transformFilter(base as tf.Tensor4D, { inGroup, outGroup }));
  const kernel = expanded.dataSync() as Float32Array;
  const kernelShape = expanded.shape as [number, number, number, number];
  expanded.dispose();
  let planeBias: Float64Array | null = null;
  if (bias !== undefined) {
    const n = stabilizerSize(outGroup);
    const values = bias.dataSync();
    planeBias = new Float64Array(values.length * n);
    for (let c = 0; c < values.length; c += 1) planeBias.fill(values[c] as number, c * n, c * n + n);
  }
  return { kernel: Float32Array.from(kernel), kernelShape, bias: planeBias };
}

/** The weights of a stock Conv2D as host arrays. */
export function conv2dWeights(layer: tfl.layers.Layer): PlainConvWeights {
  const [kernel, bias] = layer.getWeights();
  const k = kernel as tf.Tensor;
  return {
    kernel: Float32Array.from(k.dataSync()),
    kernelShape: k.shape as [number, number, number, number],
    bias: bias === undefined ? null : Float64Array.from(bias.dataSync()),
  };
}

/**
 * Folds an inference batch norm that reads the convolution's output (and nothing else does) into it:
 * BN(W∗x + b) = (a·W)∗x + (a·b + b_bn) per output plane. Exact up to float rounding.
 */
export function foldBatchNorm(conv: PlainConvWeights, bn: PlaneBatchNorm): PlainConvWeights {
  const { a, b } = affineOf(bn);
  const outPlanes = conv.kernelShape[3];
  const kernel = new Float32Array(conv.kernel.length);
  for (let i = 0; i < kernel.length; i += 1) {
    kernel[i] = (conv.kernel[i] as number) * (a[i % outPlanes] as number);
  }
  const bias = new Float64Array(outPlanes);
  for (let o = 0; o < outPlanes; o += 1) {
    bias[o] = (conv.bias?.[o] ?? 0) * (a[o] as number) + (b[o] as number);
  }
  return { kernel, kernelShape: conv.kernelShape, bias };
}

import * as tf from '@tensorflow/tfjs-core';
import { type RunOptions, rate, type Stats, timeRuns } from './measure.js';

/** GFLOP/s of a square float32 matmul on the active backend: the practical peak the other figures are shares of. */
export async function matmulPeak(options: RunOptions & { size?: number } = {}): Promise<Stats> {
  const n = options.size ?? 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  // The same b every run: XNNPACK keeps its packed copy, so this is the kernel's own peak.
  const times = await timeRuns(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, options);
  a.dispose();
  b.dispose();
  return rate(times, (2 * n ** 3) / 1e9);
}

/** One convolution layer shape to benchmark (NHWC, valid padding). */
export interface ConvShape {
  name: string;
  batch: number;
  size: number;
  cIn: number;
  cOut: number;
  k: number;
}

/** The P4CNN layers that dominate its cost: 10 p4 channels (40 planes) in and out, 3×3, at 26×26 and 12×12. */
export const P4CNN_CONV_SHAPES: ConvShape[] = [
  { name: 'P4CNN l2 26x26x40 -> 40', batch: 128, size: 26, cIn: 40, cOut: 40, k: 3 },
  { name: 'P4CNN l3 12x12x40 -> 40', batch: 128, size: 12, cIn: 40, cOut: 40, k: 3 },
];

/** GFLOP/s of a conv layer's forward pass and of both gradients, and the backward/forward time ratio. */
export interface ConvResult {
  shape: ConvShape;
  forward: Stats;
  backwardInput: Stats;
  backwardFilter: Stats;
  /** Median time of (input gradient + filter gradient) over median forward time. */
  backwardOverForward: number;
}

/** Benchmarks conv2d forward, Conv2DBackpropInput and Conv2DBackpropFilter at one layer shape. */
export async function convLayer(shape: ConvShape, options: RunOptions = {}): Promise<ConvResult> {
  const { batch, size, cIn, cOut, k } = shape;
  const out = size - k + 1;
  const x = tf.randomNormal([batch, size, size, cIn]) as tf.Tensor4D;
  const w = tf.randomNormal([k, k, cIn, cOut]) as tf.Tensor4D;
  const dy = tf.randomNormal([batch, out, out, cOut]) as tf.Tensor4D;
  const gflop = (2 * batch * out * out * cOut * k * k * cIn) / 1e9;
  const read = (t: tf.Tensor) => {
    t.dataSync();
    t.dispose();
  };
  const fwd = await timeRuns(() => read(tf.conv2d(x, w, 1, 'valid')), options);
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
  const bwdInput = await timeRuns(
    () =>
      read(
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: w },
            { ...attrs, inputShape: x.shape },
          ) as tf.Tensor,
      ),
    options,
  );
  const bwdFilter = await timeRuns(
    () =>
      read(
        tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor,
      ),
    options,
  );
  x.dispose();
  w.dispose();
  dy.dispose();
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] as number;
  return {
    shape,
    forward: rate(fwd, gflop),
    backwardInput: rate(bwdInput, gflop),
    backwardFilter: rate(bwdFilter, gflop),
    backwardOverForward: (median(bwdInput) + median(bwdFilter)) / median(fwd),
  };
}

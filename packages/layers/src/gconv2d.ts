import * as tf from '@tensorflow/tfjs-core';
import { formatShape, GroupLayerError } from './errors.js';
import { stabilizerSize } from './groups.js';
import { checkGroupPair } from './index-map.js';
import { checkPadding, checkStrides, convOutputSize, type GroupPadding } from './padding.js';
import { type GroupPair, transformFilter } from './transform-filter.js';

/** Options of `gconv2d`. */
export interface GConv2DOptions extends GroupPair {
  /** Stride, the same for rows and columns or [rows, columns]. Default 1. */
  strides?: number | [number, number];
  /** 'valid' (default), 'same' or a symmetric number of zero rows/columns (exact equivariance). */
  padding?: GroupPadding;
  /** One bias per output G-channel, shape [C_out], shared by the n_out planes of the channel. */
  bias?: tf.Tensor1D;
  /** Fused activation applied after the bias. Default 'linear'. */
  activation?: 'linear' | 'relu';
}

/** The part of tfjs-core's engine state that tells whether gradients are being recorded, and by what. */
interface TapeState {
  activeTape?: { outputs: tf.Tensor[] }[] | null;
}

/**
 * True while gradients are being recorded and `x` was not produced by any recorded kernel: x is then an input of
 * the differentiated function (the network's input, or a tensor the caller differentiates by explicitly), not an
 * intermediate result. Reads tfjs-core's engine state; false when that is not available.
 */
function isInputLeaf(x: tf.Tensor): boolean {
  const tape = (tf.engine().state as unknown as TapeState).activeTape;
  if (tape == null || x instanceof tf.Variable) return false;
  for (const node of tape) {
    for (const output of node.outputs) if (output.id === x.id) return false;
  }
  return true;
}

/**
 * The G-convolution (Cohen & Welling 2016, eq. 10 and 11) as a function: expands the base filter with
 * `transformFilter` and runs one `conv2d` (cross-correlation, no kernel flip) on the C_in·n_in input planes.
 *
 * @param x input feature map, NHWC with C_in·n_in planes (plane c·n_in + s)
 * @param w base filter [k, k, C_in·n_in, C_out]
 * @returns the output G-map [N, H', W', C_out·n_out] (plane o·n_out + t)
 */
export function gconv2d(x: tf.Tensor4D, w: tf.Tensor4D, options: GConv2DOptions): tf.Tensor4D {
  const where = 'gconv2d';
  const [inGroup, outGroup] = checkGroupPair(options?.inGroup, options?.outGroup, where);
  const strides = checkStrides(options.strides ?? 1, where);
  const padding = checkPadding(options.padding ?? 'valid', where);
  if (!(x instanceof tf.Tensor) || x.rank !== 4) {
    const shape = x instanceof tf.Tensor ? formatShape(x.shape) : String(x);
    throw new GroupLayerError(`${where}: expected an NHWC feature map of rank 4, got ${shape}`);
  }
  if (!(w instanceof tf.Tensor) || w.rank !== 4) {
    const shape = w instanceof tf.Tensor ? formatShape(w.shape) : String(w);
    throw new GroupLayerError(
      `${where}: expected a base filter of rank 4 [k, k, C_in·n_in, C_out], got ${shape}`,
    );
  }
  const nIn = stabilizerSize(inGroup);
  const planes = x.shape[3];
  if (planes !== w.shape[2]) {
    const hint =
      planes % nIn !== 0 ? ` (${planes} is not a multiple of ${nIn}: is this the right group?)` : '';
    throw new GroupLayerError(
      `${where}: the ${inGroup} input has ${planes} planes but the filter ${formatShape(w.shape)} expects` +
        ` ${w.shape[2]}${hint}`,
    );
  }
  const cOut = w.shape[3];
  const bias = options.bias;
  if (bias != null && (!(bias instanceof tf.Tensor) || bias.rank !== 1 || bias.shape[0] !== cOut)) {
    const shape = bias instanceof tf.Tensor ? formatShape(bias.shape) : String(bias);
    throw new GroupLayerError(
      `${where}: bias must have shape [${cOut}] (one per output G-channel), got ${shape}`,
    );
  }
  const activation = options.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') {
    throw new GroupLayerError(
      `${where}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}`,
    );
  }
  const k = w.shape[0];
  for (const [axis, size] of [
    [1, x.shape[1]],
    [2, x.shape[2]],
  ] as const) {
    const out = convOutputSize(size, k, strides[axis - 1] ?? 1, padding);
    if (out == null || out < 1) {
      throw new GroupLayerError(
        `${where}: input ${formatShape(x.shape)} is too small for a ${k}×${k} filter with padding` +
          ` ${JSON.stringify(padding)}`,
      );
    }
  }
  const nOut = stabilizerSize(outGroup);
  return tf.tidy(() => {
    const filter = transformFilter(w, { inGroup, outGroup });
    const pad: 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]] =
      typeof padding === 'number'
        ? [
            [0, 0],
            [padding, padding],
            [padding, padding],
            [0, 0],
          ]
        : padding;
    if (bias == null && activation === 'linear') return tf.conv2d(x, filter, strides, pad);
    // The bias is expanded to the n_out planes of each channel (a tiny tensor) and fused into the conv. The
    // final add makes tensor data of rank 1: stock wasm's FusedConv2D checks the rank of the data, and both a
    // reshape of the tile and a gather would leave data of rank 2 or 4 ("only supports rank-1 bias").
    const planeBias =
      bias == null
        ? undefined
        : tf.add(tf.reshape(tf.tile(tf.reshape(bias, [cOut, 1]), [1, nOut]), [cOut * nOut]), 0);
    if (isInputLeaf(x)) {
      // tfjs' fused conv computes the input gradient whenever it is differentiated, even for the network's
      // input, which nothing uses (a quarter of a lifting layer's backward pass); the plain ops compute only
      // the gradients that are asked for. Both paths give the same values.
      let y = tf.conv2d(x, filter, strides, pad);
      if (planeBias != null) y = tf.add(y, planeBias);
      return activation === 'relu' ? tf.relu(y) : y;
    }
    return tf.fused.conv2d({ x, filter, strides, pad, bias: planeBias, activation });
  });
}

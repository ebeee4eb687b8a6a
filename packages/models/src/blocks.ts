import {
  gConv2d,
  groupBatchNormalization,
  type Initializer,
  type LayerGroup,
  type OutputGroup,
  planes,
} from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { fanInGaussian, gaussian, type SeedSequence } from './initializers.js';

/** A symbolic tensor of the functional API. */
export type Node = tfl.SymbolicTensor;

/** How a model draws its convolution weights. */
export type WeightInit =
  /** N(0, wscale²/fanIn), fan-in C_in·n_in·k² (GrouPy and Chainer). */
  | { kind: 'fanIn'; wscale: number }
  /** N(0, stddev²) for every layer (the All-CNN-C scripts). */
  | { kind: 'fixed'; stddev: number };

/** What a convolution needs to know besides its shape. */
export interface ConvContext {
  readonly seeds: SeedSequence;
  readonly init: WeightInit;
}

/** One convolution: planar (Z2 -> Z2) or a G-convolution (lifting or group). */
export interface ConvSpec {
  /** Layer name, e.g. 'l1/conv'. */
  name: string;
  /** Group of the input map. */
  inGroup: LayerGroup;
  /** Group of the output map; 'Z2' for an ordinary planar convolution. */
  outGroup: LayerGroup;
  /** Number of input G-channels (for the fan-in). */
  inChannels: number;
  /** Number of output G-channels. */
  filters: number;
  kernelSize: number;
  strides?: number;
  /** Symmetric zero padding on each side (0 = valid). */
  padding?: number;
}

function initializer(spec: ConvSpec, context: ConvContext): Initializer {
  const seed = context.seeds.take();
  if (context.init.kind === 'fixed') return gaussian(context.init.stddev, seed);
  const fanIn = planes(spec.inChannels, spec.inGroup) * spec.kernelSize * spec.kernelSize;
  return fanInGaussian(fanIn, context.init.wscale, seed);
}

/**
 * A convolution with bias and symmetric zero padding. G-convolutions pad inside `GConv2D`; planar ones use
 * 'same' where it is symmetric (stride 1, odd k) and an explicit `zeroPadding2d` otherwise, because TF's 'same'
 * pads asymmetrically under stride 2 and the paper's Chainer convolutions pad both sides.
 */
export function conv(x: Node, spec: ConvSpec, context: ConvContext): Node {
  const strides = spec.strides ?? 1;
  const pad = spec.padding ?? 0;
  const kernelInitializer = initializer(spec, context);
  if (spec.outGroup !== 'Z2') {
    return gConv2d({
      name: spec.name,
      inGroup: spec.inGroup,
      outGroup: spec.outGroup as OutputGroup,
      filters: spec.filters,
      kernelSize: spec.kernelSize,
      strides,
      padding: pad,
      kernelInitializer,
    }).apply(x) as Node;
  }
  const sameIsSymmetric = strides === 1 && spec.kernelSize % 2 === 1 && pad === (spec.kernelSize - 1) / 2;
  let input = x;
  if (pad > 0 && !sameIsSymmetric) {
    input = tfl.layers.zeroPadding2d({ name: `${spec.name}/pad`, padding: pad }).apply(x) as Node;
  }
  return tfl.layers
    .conv2d({
      name: spec.name,
      filters: spec.filters,
      kernelSize: spec.kernelSize,
      strides,
      padding: pad > 0 && sameIsSymmetric ? 'same' : 'valid',
      kernelInitializer,
    })
    .apply(input) as Node;
}

/** Batch normalisation per G-channel (statistics over batch, space and the stabiliser). */
export function batchNorm(x: Node, name: string, group: LayerGroup): Node {
  return groupBatchNormalization({ name, group }).apply(x) as Node;
}

/** ReLU. */
export function relu(x: Node, name: string): Node {
  return tfl.layers.reLU({ name }).apply(x) as Node;
}

/** Dropout with the given rate. */
export function dropout(x: Node, name: string, rate: number): Node {
  return tfl.layers.dropout({ name, rate }).apply(x) as Node;
}

/** The final activation ('softmax' probabilities or 'linear' logits). */
export function output(x: Node, activation: 'softmax' | 'linear' | undefined): Node {
  if ((activation ?? 'softmax') === 'linear') return x;
  return tfl.layers.softmax({ name: 'softmax' }).apply(x) as Node;
}

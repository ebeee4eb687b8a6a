import { stabilizerSize } from '@gcnn/layers';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from '../errors.js';
import type { PlaneBatchNorm } from './batch-norm-params.js';
import type { PlainConvWeights } from './conv-weights.js';
import type { PlainGraph } from './plain-graph.js';

/** What a convolution becomes: its settings besides the weights. */
export interface ConvSettings {
  readonly name: string;
  readonly strides: [number, number];
  /** Symmetric zero padding (done by a ZeroPadding2D), or tfjs' own 'valid' / 'same'. */
  readonly padding: number | 'valid' | 'same';
  readonly activation: string;
  readonly dilationRate?: number | [number, number];
}

function pair(value: unknown): [number, number] {
  if (typeof value === 'number') return [value, value];
  return [(value as number[])[0] as number, (value as number[])[1] as number];
}

/** A Conv2D (after a ZeroPadding2D for numeric padding) with the given host weights. */
export function placeConv(
  graph: PlainGraph,
  x: tfl.SymbolicTensor,
  settings: ConvSettings,
  weights: PlainConvWeights,
): tfl.SymbolicTensor {
  let input = x;
  if (typeof settings.padding === 'number' && settings.padding > 0) {
    const pad = tfl.layers.zeroPadding2d({
      name: graph.unique(`${settings.name}/pad`),
      padding: settings.padding,
    });
    input = graph.place(pad, [input]);
  }
  const [k1, k2, , filters] = weights.kernelShape;
  const conv = tfl.layers.conv2d({
    name: graph.unique(settings.name),
    filters,
    kernelSize: [k1, k2],
    strides: settings.strides,
    padding: typeof settings.padding === 'number' ? 'valid' : settings.padding,
    dilationRate: settings.dilationRate ?? 1,
    useBias: weights.bias !== null,
    activation: settings.activation as 'linear',
    // The weights are set right after; a random initialisation of a large expanded filter would take seconds.
    kernelInitializer: 'zeros',
    biasInitializer: 'zeros',
  });
  const named = {
    kernel: { values: weights.kernel, shape: [...weights.kernelShape] },
    ...(weights.bias === null ? {} : { bias: { values: weights.bias, shape: [filters] } }),
  };
  return graph.place(conv, [input], named);
}

/** The settings of a GConv2D's plain equivalent. */
export function gconvSettings(layer: tfl.layers.Layer): ConvSettings {
  const config = layer.getConfig();
  const padding = config.padding as number | 'valid' | 'same';
  return { name: layer.name, strides: pair(config.strides), padding, activation: String(config.activation) };
}

/** The settings of a stock Conv2D (its own padding mode kept). */
export function conv2dSettings(layer: tfl.layers.Layer): ConvSettings {
  const config = layer.getConfig();
  if (config.dataFormat != null && config.dataFormat !== 'channelsLast') {
    throw new ExportError(`Conv2D '${layer.name}': only channelsLast is supported, got ${config.dataFormat}`);
  }
  return {
    name: layer.name,
    strides: pair(config.strides),
    padding: config.padding as 'valid' | 'same',
    activation: String(config.activation ?? 'linear'),
    dilationRate: pair(config.dilationRate ?? 1),
  };
}

/** A stock BatchNormalization on the last axis with per-plane parameters. */
export function placeBatchNorm(
  graph: PlainGraph,
  x: tfl.SymbolicTensor,
  name: string,
  bn: PlaneBatchNorm,
): tfl.SymbolicTensor {
  const layer = tfl.layers.batchNormalization({
    name: graph.unique(name),
    axis: -1,
    epsilon: bn.epsilon,
    center: bn.center,
    scale: bn.scale,
  });
  const shape = [bn.mean.length];
  return graph.place(layer, [x], {
    gamma: { values: bn.gamma, shape },
    beta: { values: bn.beta, shape },
    moving_mean: { values: bn.mean, shape },
    moving_variance: { values: bn.variance, shape },
  });
}

/**
 * The max over the stabiliser with stock layers: [N, H, W, C·n] -> Reshape [N, H·W·C, n, 1] -> MaxPooling2D with a
 * 1×n window -> Reshape [N, H, W, C]. Plane c·n + s is consecutive in memory, so the reshape groups each channel's
 * n planes on one row.
 */
export function placeStabilizerMax(
  graph: PlainGraph,
  x: tfl.SymbolicTensor,
  layer: tfl.layers.Layer,
): tfl.SymbolicTensor {
  const n = stabilizerSize(layer.getConfig().group as 'p4');
  const [, height, width, planes] = x.shape;
  if (height == null || width == null || planes == null) {
    throw new ExportError(
      `GroupMaxPool '${layer.name}': needs a fixed height and width to export, got input shape ` +
        `[${x.shape.map((d) => d ?? 'null').join(', ')}]`,
    );
  }
  const channels = planes / n;
  const rows = graph.place(
    tfl.layers.reshape({
      name: graph.unique(`${layer.name}/planes`),
      targetShape: [height * width * channels, n, 1],
    }),
    [x],
  );
  const max = graph.place(
    tfl.layers.maxPooling2d({
      name: graph.unique(`${layer.name}/max`),
      poolSize: [1, n],
      strides: [1, n],
      padding: 'valid',
    }),
    [rows],
  );
  return graph.place(
    tfl.layers.reshape({ name: graph.unique(layer.name), targetShape: [height, width, channels] }),
    [max],
  );
}

/** Copies a stock layer with its weights. */
export function placeCopy(
  graph: PlainGraph,
  layer: tfl.layers.Layer,
  inputs: tfl.SymbolicTensor[],
): tfl.SymbolicTensor {
  const copy = graph.copyOf(layer, layer.getConfig());
  const weights: tf.Tensor[] = layer.getWeights();
  return graph.place(copy, inputs, weights.length > 0 ? weights : undefined);
}

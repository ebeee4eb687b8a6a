import { GConv2D, GroupBatchNormalization, GroupMaxPool, stabilizerSize } from '@gcnn/layers';
import type * as tfl from '@tensorflow/tfjs-layers';

/** One row of an architecture table. */
export interface LayerRow {
  name: string;
  /** tfjs class name, e.g. 'GConv2D', 'Conv2D', 'MaxPooling2D'. */
  kind: string;
  /** 'Z2->p4' for a G-convolution, the group of a G-batch-norm or pooling, '' otherwise. */
  group: string;
  /** Output G-channels (planes / n) where the layer knows its group, else the last axis. */
  channels: number | null;
  /** Kernel (or pool) size, e.g. 3 or 2; null for layers without one. */
  kernel: number | null;
  stride: number | null;
  /** Output shape without the batch axis, e.g. [26, 26, 40]. */
  outputShape: (number | null)[];
  /** Trainable parameters of this layer. */
  params: number;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Trainable parameters of a layer or model: conv weights and biases, BN gamma and beta (not the moving statistics). */
export function countTrainableParams(layerOrModel: tfl.layers.Layer | tfl.LayersModel): number {
  return layerOrModel.trainableWeights.reduce((total, w) => total + size(w.shape as number[]), 0);
}

function first(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return null;
}

function outputOf(layer: tfl.layers.Layer): (number | null)[] {
  const shape = layer.outputShape as (number | null)[];
  return shape.slice(1);
}

/** The architecture of a model as table rows, in layer order (input layer left out). */
export function describeModel(model: tfl.LayersModel): LayerRow[] {
  return model.layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer) => {
      const outputShape = outputOf(layer);
      const planes = outputShape[outputShape.length - 1] ?? null;
      const config = layer.getConfig();
      let group = '';
      let channels = planes;
      if (layer instanceof GConv2D) {
        group = `${layer.inGroup}->${layer.outGroup}`;
        channels = layer.filters;
      } else if (layer instanceof GroupBatchNormalization) {
        group = layer.group;
        channels = planes === null ? null : planes / stabilizerSize(layer.group);
      } else if (layer instanceof GroupMaxPool) {
        group = `${layer.group}->Z2`;
      }
      return {
        name: layer.name,
        kind: layer.getClassName(),
        group,
        channels,
        kernel: first(config.kernelSize ?? config.poolSize),
        stride: first(config.strides),
        outputShape,
        params: countTrainableParams(layer),
      };
    });
}

/** A Markdown table of `describeModel(model)` with the total on the last line. */
export function architectureTable(model: tfl.LayersModel): string {
  const rows = describeModel(model);
  const cell = (v: number | null) => (v === null ? '' : String(v));
  const lines = [
    '| layer | type | group | channels | kernel | stride | output | params |',
    '|---|---|---|---:|---:|---:|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.kind} | ${r.group} | ${cell(r.channels)} | ${cell(r.kernel)} | ${cell(r.stride)} | ` +
        `${r.outputShape.join('×')} | ${r.params.toLocaleString('en-US')} |`,
    ),
    `| **total** | | | | | | | **${countTrainableParams(model).toLocaleString('en-US')}** |`,
  ];
  return lines.join('\n');
}

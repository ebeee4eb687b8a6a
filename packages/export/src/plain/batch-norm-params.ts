import { stabilizerSize } from '@gcnn/layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from '../errors.js';

/** The inference parameters of a batch norm over planes, each value repeated for the n planes of its G-channel. */
export interface PlaneBatchNorm {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** One value per plane (length C·n); gamma is all ones and beta all zeros when the layer has none. */
  readonly gamma: Float64Array;
  readonly beta: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** Whether `layer` is a batch norm `toPlainModel` understands (gcnn's over G-channels, or tfjs' on the last axis). */
export function isBatchNorm(layer: tfl.layers.Layer): boolean {
  const name = layer.getClassName();
  if (name === 'GroupBatchNormalization') return true;
  if (name !== 'BatchNormalization') return false;
  const axis = layer.getConfig().axis;
  return axis === -1 || (axis === 3 && layer.inboundNodes[0]?.inputTensors[0]?.shape.length === 4);
}

function weight(layer: tfl.layers.Layer, name: string): Float64Array | undefined {
  const variable = layer.weights.find((w) => w.originalName.split('/').pop() === name);
  return variable === undefined ? undefined : Float64Array.from(variable.read().dataSync());
}

function repeat(values: Float64Array, n: number): Float64Array {
  if (n === 1) return values;
  const out = new Float64Array(values.length * n);
  for (let c = 0; c < values.length; c += 1) out.fill(values[c] as number, c * n, c * n + n);
  return out;
}

/** Reads a batch norm's inference parameters, expanded to one value per plane (plane c·n + s belongs to channel c). */
export function planeBatchNorm(layer: tfl.layers.Layer): PlaneBatchNorm {
  const config = layer.getConfig();
  const n = layer.getClassName() === 'GroupBatchNormalization' ? stabilizerSize(config.group as 'Z2') : 1;
  const mean = weight(layer, 'moving_mean');
  const variance = weight(layer, 'moving_variance');
  if (mean === undefined || variance === undefined) {
    throw new ExportError(
      `${layer.getClassName()} '${layer.name}': has no moving statistics (is the model built?)`,
    );
  }
  const channels = mean.length;
  const center = config.center !== false;
  const scale = config.scale !== false;
  const gamma = (scale ? weight(layer, 'gamma') : undefined) ?? new Float64Array(channels).fill(1);
  const beta = (center ? weight(layer, 'beta') : undefined) ?? new Float64Array(channels);
  return {
    epsilon: Number(config.epsilon),
    center,
    scale,
    gamma: repeat(gamma, n),
    beta: repeat(beta, n),
    mean: repeat(mean, n),
    variance: repeat(variance, n),
  };
}

/** y = x·a + b per plane, computed in double precision: a = γ/√(σ² + ε), b = β − μ·a. */
export function affineOf(bn: PlaneBatchNorm): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(bn.mean.length);
  const b = new Float64Array(bn.mean.length);
  for (let i = 0; i < a.length; i += 1) {
    a[i] = (bn.gamma[i] as number) / Math.sqrt((bn.variance[i] as number) + bn.epsilon);
    b[i] = (bn.beta[i] as number) - (bn.mean[i] as number) * (a[i] as number);
  }
  return { a, b };
}

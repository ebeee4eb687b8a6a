import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GroupLayerError } from './errors.js';
import type { LayerGroup } from './groups.js';

/**
 * Which group a feature map lives on, so that a p4 layer refuses a p4m map (and the other way round) even
 * when the plane count happens to divide. gcnn layers record the group of what they produce; symbolic maps
 * are also traced back through the model graph, which tf.loadLayersModel rebuilds, so the check holds for
 * saved and loaded models without storing anything extra.
 */

/** Where a map's group was learnt: the gcnn layer that produced it. */
export interface Provenance {
  group: LayerGroup;
  /** The producing layer, e.g. "GConv2D 'block1'". */
  source: string;
}

/** A layer of this package that says which group its output lives on. */
export interface GroupProducer {
  outputGroup(): LayerGroup;
}

// Keyed by the tensor object (eager tf.Tensor or tfl.SymbolicTensor); weak, so tags never keep tensors alive.
const tags = new WeakMap<object, Provenance>();

/**
 * tfjs-layers classes that move or combine values without mixing planes: the plane c·n + s of the output
 * still holds channel c at stabiliser element s, so a G-map stays a G-map of the same group.
 */
const PASS_THROUGH = new Set([
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'MaxPooling2D',
  'AveragePooling2D',
  'ZeroPadding2D',
  'Cropping2D',
  'UpSampling2D',
  'Add',
  'Average',
  'Maximum',
  'Minimum',
  'Multiply',
]);

function isProducer(layer: unknown): layer is GroupProducer & tfl.layers.Layer {
  return typeof (layer as Partial<GroupProducer> | null)?.outputGroup === 'function';
}

function planeCount(x: { shape: readonly (number | null)[] }): number | null | undefined {
  return x.shape.length === 4 ? x.shape[3] : undefined;
}

/**
 * The group of a feature map produced by a gcnn layer, directly or through shape-only tfjs layers whose
 * plane count stays equal; undefined when its provenance is unknown (an input, a dense or plain conv layer).
 */
export function provenanceOf(x: tf.Tensor | tfl.SymbolicTensor): Provenance | undefined {
  const tagged = tags.get(x);
  if (tagged !== undefined) return tagged;
  const symbolic = x as Partial<tfl.SymbolicTensor>;
  const layer = symbolic.sourceLayer;
  if (layer == null || !Array.isArray(symbolic.inputs)) return undefined;
  if (isProducer(layer)) {
    return { group: layer.outputGroup(), source: `${layer.getClassName()} '${layer.name}'` };
  }
  if (!PASS_THROUGH.has(layer.getClassName())) return undefined;
  const planes = planeCount(x);
  let found: Provenance | undefined;
  for (const input of symbolic.inputs) {
    if (planes == null || planeCount(input) !== planes) return undefined;
    const inner = provenanceOf(input);
    // Merging maps of different or unknown groups: the result has no single group.
    if (inner === undefined || (found !== undefined && found.group !== inner.group)) return undefined;
    found = inner;
  }
  return found;
}

/**
 * Eager tensors have no graph to trace, so the group is carried forward when a shape-only tfjs layer is applied
 * to a tagged map: `Layer.prototype.apply` is wrapped once (on import of this package) to tag such outputs. It
 * changes no result and costs one set lookup per call; other layers and symbolic tensors are left as they were.
 */
const WRAPPED = Symbol.for('@gcnn/layers:eager-provenance');
function carryThroughEagerLayers(): void {
  const prototype = tfl.layers.Layer.prototype as tfl.layers.Layer & { [WRAPPED]?: true };
  if (prototype[WRAPPED]) return;
  const original = prototype.apply;
  prototype.apply = function apply(this: tfl.layers.Layer, inputs, kwargs) {
    const outputs = original.call(this, inputs, kwargs);
    if (PASS_THROUGH.has(this.getClassName()) && !Array.isArray(outputs) && isEager(outputs)) {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      let found: Provenance | undefined;
      for (const input of list) {
        const known = tags.get(input);
        if (known === undefined || planeCount(input) !== planeCount(outputs)) return outputs;
        if (found !== undefined && found.group !== known.group) return outputs;
        found = known;
      }
      if (found !== undefined) tags.set(outputs, found);
    }
    return outputs;
  };
  prototype[WRAPPED] = true;
}

function isEager(x: unknown): x is tf.Tensor {
  // A SymbolicTensor has a source layer; an eager tensor has data behind it.
  return x !== null && typeof x === 'object' && 'dataId' in x && !('sourceLayer' in x);
}

carryThroughEagerLayers();

/** Records that the outputs of `layer` live on `group`. */
export function tagOutputs(
  outputs: tf.Tensor | tfl.SymbolicTensor | Array<tf.Tensor | tfl.SymbolicTensor>,
  group: LayerGroup,
  source: string,
): void {
  for (const output of Array.isArray(outputs) ? outputs : [outputs]) {
    if (output !== null && typeof output === 'object') tags.set(output, { group, source });
  }
}

/**
 * Throws a one-line GroupLayerError when an input of `layer` is known to live on another group than
 * `expected`. Inputs of unknown provenance pass (the layer's plane-count check still applies).
 */
export function checkInputProvenance(
  inputs: tf.Tensor | tfl.SymbolicTensor | Array<tf.Tensor | tfl.SymbolicTensor>,
  expected: LayerGroup,
  layer: string,
): void {
  for (const input of Array.isArray(inputs) ? inputs : [inputs]) {
    if (input === null || typeof input !== 'object' || !('shape' in input)) continue;
    const known = provenanceOf(input);
    if (known !== undefined && known.group !== expected) {
      throw new GroupLayerError(
        `${layer}: expects a ${expected} feature map but its input is a ${known.group} map (from ${known.source});` +
          ` mixing groups breaks equivariance`,
      );
    }
  }
}

/** What `Layer.apply` takes: eager or symbolic tensors, one or several. */
export type ApplyInputs = tf.Tensor | tf.Tensor[] | tfl.SymbolicTensor | tfl.SymbolicTensor[];
/** What `Layer.apply` returns. */
export type ApplyOutputs = tf.Tensor | tf.Tensor[] | tfl.SymbolicTensor | tfl.SymbolicTensor[];

import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { formatShape, GroupLayerError } from '../errors.js';

/** The base arguments of every tfjs-layers layer (name, inputShape, trainable, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** Keyword arguments of `Layer.call` (for example `{ training: true }`). */
// biome-ignore lint/suspicious/noExplicitAny: matches tfjs-layers' own Kwargs type.
export type Kwargs = { [key: string]: any };

/** Returns the single tensor of a layer input, or throws naming the layer. */
export function singleTensor(inputs: tf.Tensor | tf.Tensor[], layer: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1)
      throw new GroupLayerError(`${layer}: expects exactly one input tensor, got ${inputs.length}`);
    return inputs[0] as tf.Tensor;
  }
  return inputs;
}

/** Returns the single shape of a layer input, or throws naming the layer. */
export function singleShape(inputShape: tfl.Shape | tfl.Shape[], layer: string): tfl.Shape {
  if (Array.isArray(inputShape[0])) {
    const shapes = inputShape as tfl.Shape[];
    if (shapes.length !== 1)
      throw new GroupLayerError(`${layer}: expects exactly one input, got ${shapes.length}`);
    return shapes[0] as tfl.Shape;
  }
  return inputShape as tfl.Shape;
}

/** Throws unless the shape is NHWC (rank 4) with a known plane count divisible by n; returns the plane count. */
export function checkGroupMapShape(
  shape: readonly (number | null)[],
  group: string,
  n: number,
  layer: string,
  expected: string,
): number {
  if (shape.length !== 4) {
    throw new GroupLayerError(
      `${layer}: expects an NHWC ${group} feature map of rank 4 ${expected}, got rank ${shape.length} ${formatShape(shape)}`,
    );
  }
  const planes = shape[3];
  if (planes == null) {
    throw new GroupLayerError(
      `${layer}: the last axis (planes) of the input must be known, got ${formatShape(shape)}`,
    );
  }
  if (planes % n !== 0) {
    const hint =
      n > 1
        ? ` Is this a Z2 map (use a lifting layer with inGroup 'Z2') or a map over a smaller group (p4 into p4m)?`
        : '';
    throw new GroupLayerError(
      `${layer}: expects a ${group} feature map ${expected} whose last axis holds C·${n} planes,` +
        ` got ${formatShape(shape)} (${planes} planes, not a multiple of ${n}).${hint}`,
    );
  }
  return planes;
}

/**
 * tfjs-layers writes model.json with every string value snake-cased ('Z2' becomes 'z2'), so configs read back
 * from a saved model are mapped to this package's spelling here.
 */
export function fromSavedGroupName(value: unknown): unknown {
  return value === 'z2' ? 'Z2' : value;
}

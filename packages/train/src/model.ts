import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The trainable variables of a layers model, in its own (stable) order (raw variables, no constraints). */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The non-trainable variables (batch-norm moving statistics), in the model's order. */
export function stateVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
}

/** The shape of one input image and the number of classes of an image classifier [N, H, W, C] -> [N, K]. */
export interface ImageModelShape {
  inputShape: [number, number, number];
  numClasses: number;
}

/** Reads the image and class shapes of a classifier; a clear error for any other model. */
export function imageModelShape(model: tfl.LayersModel): ImageModelShape {
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  const fixed = (dims: (number | null)[] | undefined) => dims?.slice(1).every((d) => d != null && d > 0);
  if (input?.length !== 4 || output?.length !== 2 || !fixed(input) || !fixed(output)) {
    throw new Error(
      `training expects an image classifier [N, H, W, C] -> [N, classes] with fixed sizes, got ${JSON.stringify(input)} -> ${JSON.stringify(output)}`,
    );
  }
  return { inputShape: input.slice(1) as [number, number, number], numClasses: output[1] as number };
}

/**
 * tfjs-core alone registers no gradients; tfjs-layers (or the @tensorflow/tfjs bundle) does. Loads tfjs-layers
 * when no gradient is registered yet, with a clear error when it is not installed.
 */
export async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Conv2D') != null) return;
  try {
    await import('@tensorflow/tfjs-layers');
  } catch (error) {
    throw new Error(
      `training needs the gradients that @tensorflow/tfjs-layers registers; install it next to @tensorflow/tfjs-core (${(error as Error).message})`,
    );
  }
}

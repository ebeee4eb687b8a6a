import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { TEST_BACKEND } from '../../../scripts/test-support/stock-backends.js';

export { TEST_BACKEND };

/** The model (or its prefix up to `layerName`) in inference mode, as a function of one tensor. */
export function inference(model: tfl.LayersModel, layerName?: string): (x: tf.Tensor4D) => tf.Tensor {
  const target =
    layerName === undefined
      ? model
      : tfl.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tfl.SymbolicTensor });
  return (x) => target.apply(x, { training: false }) as tf.Tensor;
}

/** A seeded normal batch [n, h, w, c]. */
export function randomImages(shape: [number, number, number, number], seed = 7): tf.Tensor4D {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator (a 32-bit LCG), so that tfjs' dropout masks, which
 * it seeds from Math.random, are the same on every run.
 */
export async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  let state = seed >>> 0 || 1;
  Math.random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

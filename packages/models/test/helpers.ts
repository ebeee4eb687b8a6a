import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll } from 'vitest';

/** Runs the file's tests on the cpu backend. */
export function useCpuBackend(): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
}

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

import '@tensorflow/tfjs-backend-cpu';
import { createDataset, type ImageDataset, Rng } from '@gcnn/data';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of every op (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs-layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainingState } from '../src/index.js';

/** The module the workers of the tests build their replica from. */
export const TINY_MODEL = new URL('./fixtures/tiny-layers-model.ts', import.meta.url).pathname;

/** `count` random 8x8x1 byte images with labels 0..9, the same for a seed. */
export function tinyDataset(count: number, seed = 1): ImageDataset {
  const rng = Rng.fromSeed(seed);
  const labels = Uint8Array.from({ length: count }, () => rng.nextInt(10));
  // Label-dependent brightness in one corner, so that the classes are learnable.
  const images = Uint8Array.from({ length: count * 64 }, (_, k) => {
    const n = Math.floor(k / 64);
    return k % 64 < 8 ? labels[n]! * 25 : rng.nextInt(64);
  });
  return createDataset({ images, labels, height: 8, width: 8, channels: 1 });
}

/** Arrays one after the other. */
function concat(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** All of a state's arrays as one flat array, for bit-exact comparisons. */
export function flat(state: TrainingState): Float32Array {
  return concat([...state.trainable, ...state.nonTrainable, ...state.optimizer.slots]);
}

/** A model's weights (trainable and not) as one flat array. */
export function weightsOf(model: tfl.LayersModel): Float32Array {
  return concat(model.weights.map((w) => w.read().dataSync() as Float32Array));
}

/** Runs `f` on the cpu backend and returns plain arrays; switches back to `back` afterwards. */
export async function onCpu<T>(f: () => T, back: string): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return f();
  } finally {
    await tf.setBackend(back);
  }
}

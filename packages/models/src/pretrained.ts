import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { P4CNN_MNIST_ROT } from './pretrained/p4cnn-mnist-rot.js';
import { Z2CNN_MNIST_ROT } from './pretrained/z2cnn-mnist-rot.js';
import { findModel } from './registry.js';

// @gcnn/models/pretrained: trained weights shipped inside the package, on their own subpath so that importing
// @gcnn/models alone does not bundle them.

/** What one shipped set of weights is: how it was trained and how well it does. */
export interface PretrainedInfo {
  /** The registry id of the architecture. */
  readonly model: string;
  /** Test error in percent on the data set's test split, as the training run measured it. */
  readonly testError: number;
  readonly epochs: number;
  readonly seed: number;
  /** The command that trained it (the `gcnn` CLI of this repository). */
  readonly command: string;
  readonly dataset: string;
  /** The pixel normalisation it was trained with, applied inside the loaded model: (pixel - mean) / std. */
  readonly normalization: { readonly mean: number; readonly std: number };
  /** The commit of this repository that trained it. */
  readonly commit: string;
}

/** The shipped weights: trained parameters and batch-norm statistics, float32 in the model's weight order. */
export interface PretrainedWeights {
  readonly info: PretrainedInfo;
  /** [name, shape] of every weight, in order, to check the architecture before loading. */
  readonly shapes: ReadonlyArray<readonly [string, readonly number[]]>;
  /** Base64 of the little-endian float32 values, weight after weight. */
  readonly base64: string;
}

const SHIPPED = {
  'p4cnn-mnist-rot': P4CNN_MNIST_ROT,
  'z2cnn-mnist-rot': Z2CNN_MNIST_ROT,
} as const satisfies Record<string, PretrainedWeights>;

/** The ids `loadPretrained` accepts. */
export type PretrainedId = keyof typeof SHIPPED;

/** What each shipped model is, e.g. `PRETRAINED['p4cnn-mnist-rot'].testError`. */
export const PRETRAINED: Readonly<Record<PretrainedId, PretrainedInfo>> = Object.freeze(
  Object.fromEntries(Object.entries(SHIPPED).map(([id, w]) => [id, w.info])) as Record<
    PretrainedId,
    PretrainedInfo
  >,
);

function decodeBase64(text: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A trained model, ready for inference, with no network access (the weights ship inside this package, as a
 * module bundlers pick up by themselves). It takes raw pixels in [0, 1], NHWC `[N, 28, 28, 1]` (the training
 * normalisation is its first layer) and returns the 10 class probabilities.
 *
 * @example
 * const model = await loadPretrained('p4cnn-mnist-rot');
 * const scores = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor; // [1, 10]
 */
export async function loadPretrained(id: PretrainedId): Promise<tfl.LayersModel> {
  const shipped = (SHIPPED as Record<string, PretrainedWeights>)[id];
  if (shipped === undefined) {
    throw new RangeError(
      `unknown pretrained model ${JSON.stringify(id)}; expected one of ${Object.keys(SHIPPED).join(', ')}`,
    );
  }
  const { info } = shipped;
  const body = findModel(info.model).build({ outputActivation: 'softmax' });
  const bytes = decodeBase64(shipped.base64);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const weights = body.weights;
  if (weights.length !== shipped.shapes.length) {
    throw new Error(
      `${id}: the weights are for ${shipped.shapes.length} variables, the model has ${weights.length}`,
    );
  }
  let at = 0;
  const tensors = weights.map((w, i) => {
    const shape = shipped.shapes[i]![1];
    if (shape.join('x') !== w.shape.join('x')) {
      throw new Error(
        `${id}: weight ${i} (${w.name}) is [${w.shape}] in the model, [${shape}] in the shipped weights`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values.subarray(at, at + size), [...shape], 'float32');
    at += size;
    return t;
  });
  if (at !== values.length) throw new Error(`${id}: ${values.length - at} shipped values are left over`);
  body.setWeights(tensors);
  tf.dispose(tensors);
  // Raw pixels in, the training normalisation first: x' = x / std - mean / std.
  const { mean, std } = info.normalization;
  const input = tfl.input({ shape: [28, 28, 1], name: `${id}/pixels` });
  const normalized = tfl.layers
    .rescaling({ scale: 1 / std, offset: -mean / std, name: `${id}/normalize` })
    .apply(input) as tfl.SymbolicTensor;
  const output = body.apply(normalized) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: id });
}

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A tiny deterministic generator (mulberry32), so the random weights are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Gives every weight a random value that makes the test meaningful: batch-norm statistics and scales far from
 * (0, 1), so folding them is actually exercised, and filters scaled to keep activations of order one.
 */
export function randomizeWeights(model: tfl.LayersModel, seed: number): void {
  const next = random(seed);
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      const name = w.originalName.split('/').pop();
      const fanIn =
        shape.length === 4
          ? (shape[0] as number) * (shape[1] as number) * (shape[2] as number)
          : (shape[0] as number);
      for (let i = 0; i < size; i += 1) {
        const u = next() * 2 - 1;
        if (name === 'moving_variance') values[i] = 0.5 + next() * 2;
        else if (name === 'gamma') values[i] = 0.5 + next();
        else if (name === 'moving_mean' || name === 'beta' || name === 'bias') values[i] = u * 0.5;
        else values[i] = (u * Math.sqrt(3)) / Math.sqrt(Math.max(1, fanIn));
      }
      const t = tf.tensor(values, shape);
      w.write(t);
      t.dispose();
    }
  }
}

/** A deterministic input batch of the model's input shape. */
export function inputFor(model: tfl.LayersModel, batch: number, seed: number): tf.Tensor {
  const shape = [batch, ...((model.inputs[0] as tfl.SymbolicTensor).shape.slice(1) as number[])];
  const next = random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => next()),
    shape,
  );
}

/** max |a − b| / max |b|: the error relative to the scale of the reference output. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length)
    throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i += 1) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-30);
}

/** The model's inference output for x, as a host array. */
export function predict(model: tfl.LayersModel, x: tf.Tensor): Float32Array {
  const y = model.predict(x) as tf.Tensor;
  const values = y.dataSync() as Float32Array;
  y.dispose();
  return Float32Array.from(values);
}

/** Runs ONNX bytes in onnxruntime-node on x (NHWC float32) and returns the first output. */
export async function runOnnx(
  bytes: Uint8Array,
  x: tf.Tensor,
): Promise<{ values: Float32Array; dims: readonly number[] }> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const input = new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape);
    const outputs = await session.run({ [session.inputNames[0] as string]: input });
    const y = outputs[session.outputNames[0] as string] as InstanceType<typeof ort.Tensor>;
    return { values: Float32Array.from(y.data as Float32Array), dims: y.dims };
  } finally {
    await session.release();
  }
}

/** The class names of a model's layers. */
export function classNames(model: tfl.LayersModel): string[] {
  return model.layers.map((l) => l.getClassName());
}

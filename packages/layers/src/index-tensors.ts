import * as tf from '@tensorflow/tfjs-core';

// Small int32 index tensors shared by every call with the same key. They are created outside any tidy scope
// (tf.keep) so that a layer's first call inside tf.tidy does not dispose them, and rebuilt if something
// (tf.disposeVariables, an engine reset) disposed them anyway.
const tensors = new Map<string, tf.Tensor1D>();

/** The cached int32 tensor for `key`, created from `values()` on first use. */
export function cachedIndexTensor(key: string, values: () => Int32Array): tf.Tensor1D {
  const existing = tensors.get(key);
  if (existing && !existing.isDisposed) return existing;
  const created = tf.keep(tf.tensor1d(values(), 'int32'));
  tensors.set(key, created);
  return created;
}

/**
 * Disposes the index tensors cached by `transformFilter` and the group actions (a few kilobytes). They are
 * created again on next use; call this before comparing `tf.memory().numTensors` across a test if needed.
 */
export function disposeIndexTensors(): void {
  for (const t of tensors.values()) t.dispose();
  tensors.clear();
}

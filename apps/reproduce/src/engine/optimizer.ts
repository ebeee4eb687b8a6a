import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSettings } from './protocol.js';

/** A fresh tfjs optimizer for the settings. */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  if (settings.kind === 'adam') {
    return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }
  return tf.train.momentum(settings.learningRate, settings.momentum);
}

/** Sets the learning rate of an SGD-family optimizer (a no-op for Adam, whose rate is fixed here). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof SGDOptimizer`: tfjs overrides instanceof so that every optimizer matches.
  const sgd = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate);
}

/**
 * Passes the optimizer's state through its own save/restore path (`getWeights` then `setWeights`).
 *
 * Restoring is not bit-exact for Adam: it recomputes beta^t with `pow`, while training accumulates it by
 * repeated multiplication. Running every checkpoint of an uninterrupted run through the same path makes a
 * resumed run follow it bit for bit. The variables the restore replaces are disposed.
 */
export async function roundTripOptimizerState(optimizer: tf.Optimizer): Promise<void> {
  const weights = await optimizer.getWeights();
  await optimizer.setWeights(weights);
  // getWeights hands out the live variables (plus a fresh iteration scalar); setWeights made new ones.
  tf.dispose(weights.map((w) => w.tensor));
}

/** An optimizer's state as plain arrays: steps taken and slot variables in tfjs' `getWeights` order. */
export interface OptimizerState {
  iterations: number;
  /** Adam: the first moment of every variable, then the second; momentum: one accumulation each. */
  slots: Float32Array[];
}

/** Reads an optimizer's state (copies; the optimizer keeps its variables). */
export async function exportOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights();
  // The first entry is a fresh iteration scalar; the rest are the optimizer's live slot variables.
  const iterations = (await weights[0]!.tensor.data())[0]!;
  weights[0]!.tensor.dispose();
  return {
    iterations,
    slots: weights.slice(1).map((w) => (w.tensor.dataSync() as Float32Array).slice()),
  };
}

/**
 * Replaces an optimizer's state with `state` through its own `setWeights` (as a checkpoint restore does),
 * naming the slots as tfjs' training would (`<variable>/m`, `/v` for Adam, `/momentum` for momentum), so
 * that a checkpoint saved afterwards has the layout of one saved by in-process training.
 */
export async function importOptimizerState(
  optimizer: tf.Optimizer,
  kind: OptimizerSettings['kind'],
  variables: readonly tf.Variable[],
  state: OptimizerState,
): Promise<void> {
  const perVariable = kind === 'adam' ? 2 : 1;
  if (state.slots.length !== 0 && state.slots.length !== perVariable * variables.length) {
    throw new Error(
      `${kind} keeps ${perVariable} slot(s) for each of ${variables.length} variables; got ${state.slots.length}`,
    );
  }
  const named = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') as tf.Tensor },
    ...state.slots.map((values, i) => {
      const variable = variables[i % variables.length]!;
      const suffix = kind === 'momentum' ? 'momentum' : i < variables.length ? 'm' : 'v';
      return { name: `${variable.name}/${suffix}`, tensor: tf.tensor(values, variable.shape, 'float32') };
    }),
  ];
  const previous = await optimizer.getWeights();
  await optimizer.setWeights(named);
  // setWeights made new variables (sharing the tensors' data): the old slots and our tensors can go.
  tf.dispose(previous.map((w) => w.tensor));
  tf.dispose(named.map((w) => w.tensor));
}

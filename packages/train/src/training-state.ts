import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSettings } from './optimizer.js';

/** An optimizer's state as plain arrays: steps taken and slot variables in tfjs' `getWeights` order. */
export interface OptimizerState {
  /** Updates applied so far (tfjs' `iter`). */
  iterations: number;
  /** Adam: the first moment of every variable, then the second; momentum: one accumulation each. Empty before the first update. */
  slots: Float32Array[];
}

/**
 * Everything a training run depends on besides its data and seed, in a form that is serialisable and crosses
 * threads: the trainable variables, the non-trainable ones (batch-norm moving statistics) and the optimizer's
 * state, each array in the model's own variable order.
 */
export interface TrainingState {
  trainable: Float32Array[];
  nonTrainable: Float32Array[];
  optimizer: OptimizerState;
}

/** Reads an optimizer's state (copies; the optimizer keeps its variables). */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights();
  // The first entry is a fresh iteration scalar; the rest are the optimizer's live slot variables.
  const iterations = (await weights[0]!.tensor.data())[0]!;
  weights[0]!.tensor.dispose();
  return { iterations, slots: weights.slice(1).map((w) => copyValues(w.tensor)) };
}

/**
 * Replaces an optimizer's state through its own `setWeights` (as a checkpoint restore does), naming the slots as
 * tfjs' training would (`<variable>/m`, `/v` for Adam, `/momentum` for momentum), so that a checkpoint saved
 * afterwards has the layout of one saved by uninterrupted training.
 */
export async function writeOptimizerState(
  optimizer: tf.Optimizer,
  kind: OptimizerSettings['kind'],
  variables: readonly tf.Variable[],
  state: OptimizerState,
): Promise<void> {
  const perVariable = kind === 'adam' ? 2 : 1;
  if (state.slots.length !== 0 && state.slots.length !== perVariable * variables.length) {
    throw new RangeError(
      `${kind} keeps ${perVariable} slot(s) for each of ${variables.length} variables; the state has ${state.slots.length}`,
    );
  }
  const named = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') as tf.Tensor },
    ...state.slots.map((values, i) => {
      const variable = variables[i % variables.length]!;
      if (values.length !== variable.size) {
        throw new RangeError(`optimizer slot ${i} needs ${variable.size} values, got ${values.length}`);
      }
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

/**
 * Passes the optimizer's state through its own save/restore path (`getWeights` then `setWeights`).
 *
 * Restoring is not bit-exact for Adam: it recomputes beta^t with `pow`, while training accumulates it by repeated
 * multiplication. Running every checkpoint of an uninterrupted run through the same path makes a resumed run
 * follow it bit for bit.
 */
export async function roundTripOptimizerState(optimizer: tf.Optimizer): Promise<void> {
  const weights = await optimizer.getWeights();
  await optimizer.setWeights(weights);
  // getWeights hands out the live variables (plus a fresh iteration scalar); setWeights made new ones.
  tf.dispose(weights.map((w) => w.tensor));
}

/** A copy of a tensor's float32 values. */
export function copyValues(tensor: tf.Tensor): Float32Array {
  return (tensor.dataSync() as Float32Array).slice();
}

/** Assigns flat values to variables, one array each, checking the sizes. */
export function assignValues(
  variables: readonly tf.Variable[],
  values: readonly Float32Array[],
  what: string,
): void {
  if (values.length !== variables.length) {
    throw new RangeError(`the model has ${variables.length} ${what} variables, got ${values.length}`);
  }
  variables.forEach((v, i) => {
    const array = values[i]!;
    if (array.length !== v.size) {
      throw new RangeError(
        `${what} variable ${i} (${v.name} [${v.shape}]) needs ${v.size} values, got ${array.length}`,
      );
    }
    const t = tf.tensor(array, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}

/** The training state of a model's variables and its optimizer. */
export async function readTrainingState(
  trainable: readonly tf.Variable[],
  nonTrainable: readonly tf.Variable[],
  optimizer: tf.Optimizer,
): Promise<TrainingState> {
  return {
    trainable: trainable.map(copyValues),
    nonTrainable: nonTrainable.map(copyValues),
    optimizer: await readOptimizerState(optimizer),
  };
}

/** Sets a model's variables and its optimizer's state from `state` (sizes checked, clear errors). */
export async function writeTrainingState(
  trainable: readonly tf.Variable[],
  nonTrainable: readonly tf.Variable[],
  optimizer: tf.Optimizer,
  kind: OptimizerSettings['kind'],
  state: TrainingState,
): Promise<void> {
  assignValues(trainable, state.trainable, 'trainable');
  assignValues(nonTrainable, state.nonTrainable, 'non-trainable');
  await writeOptimizerState(optimizer, kind, trainable, state.optimizer);
}

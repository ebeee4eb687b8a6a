import * as tf from '@tensorflow/tfjs-core';

/** Adam (Kingma & Ba), as `tf.train.adam`. */
export interface AdamSettings {
  readonly kind: 'adam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** A learning-rate step: from 1-based epoch `epoch` on, the rate is the base rate times `factor`. */
export interface LearningRateStep {
  readonly epoch: number;
  readonly factor: number;
}

/** SGD with heavy-ball momentum, as `tf.train.momentum`, with an optional step schedule. */
export interface MomentumSettings {
  readonly kind: 'momentum';
  readonly learningRate: number;
  readonly momentum: number;
  /** Learning-rate steps, in epoch order; none keeps the rate constant. */
  readonly schedule?: readonly LearningRateStep[];
}

/** The optimizers a trainer can create (and re-create identically in every data-parallel worker). */
export type OptimizerSettings = AdamSettings | MomentumSettings;

/** Adam with tfjs' defaults except a learning rate of 1e-3 and epsilon 1e-8 (Chainer's, the paper's). */
export const DEFAULT_OPTIMIZER: AdamSettings = Object.freeze({
  kind: 'adam',
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});

/**
 * Fills in the defaults of partial settings and checks them, e.g. `{ kind: 'momentum', learningRate: 0.05,
 * momentum: 0.9 }` or `{ learningRate: 1e-3 }` (Adam). Throws a RangeError naming the bad field.
 */
export function optimizerSettings(
  settings: Partial<AdamSettings> | (Partial<MomentumSettings> & { kind: 'momentum' }) = {},
): OptimizerSettings {
  const resolved: OptimizerSettings =
    settings.kind === 'momentum'
      ? { learningRate: 0.01, momentum: 0.9, ...settings }
      : { ...DEFAULT_OPTIMIZER, ...(settings as Partial<AdamSettings>), kind: 'adam' };
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`optimizer: ${name} must be a positive number, got ${value}`);
    }
  };
  positive('learningRate', resolved.learningRate);
  if (resolved.kind === 'adam') {
    positive('epsilon', resolved.epsilon);
    for (const name of ['beta1', 'beta2'] as const) {
      const value = resolved[name];
      if (!(value >= 0 && value < 1))
        throw new RangeError(`optimizer: ${name} must be in [0, 1), got ${value}`);
    }
  } else {
    if (!(resolved.momentum >= 0 && resolved.momentum < 1)) {
      throw new RangeError(`optimizer: momentum must be in [0, 1), got ${resolved.momentum}`);
    }
    for (const step of resolved.schedule ?? []) {
      if (!Number.isInteger(step.epoch) || step.epoch < 1) {
        throw new RangeError(
          `optimizer: a schedule step's epoch must be a positive integer, got ${step.epoch}`,
        );
      }
      positive('a schedule factor', step.factor);
    }
  }
  return resolved;
}

/** A fresh tfjs optimizer for the settings. */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  if (settings.kind === 'adam') {
    return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }
  return tf.train.momentum(settings.learningRate, settings.momentum);
}

/** The learning rate in effect during 1-based `epoch` under `settings` (Adam's is constant). */
export function learningRateAt(settings: OptimizerSettings, epoch: number): number {
  if (settings.kind === 'adam') return settings.learningRate;
  let factor = 1;
  for (const step of settings.schedule ?? []) if (epoch >= step.epoch) factor = step.factor;
  return settings.learningRate * factor;
}

/** Sets an optimizer's learning rate (SGD-family optimizers keep it as a scalar tensor too). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof SGDOptimizer`: tfjs overrides instanceof so that every optimizer matches.
  const sgd = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** Disposes an optimizer, including the learning-rate scalar that tfjs 4.22's momentum optimizer forgets. */
export function disposeOptimizer(optimizer: tf.Optimizer | undefined): void {
  if (optimizer === undefined) return;
  optimizer.dispose();
  const rate = (optimizer as unknown as { c?: { isDisposed: boolean; dispose(): void } }).c;
  if (rate && !rate.isDisposed) rate.dispose();
}

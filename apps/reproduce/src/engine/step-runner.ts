import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchTensors, disposeBatch, type HostBatch } from './dataset.js';
import { setLearningRate } from './optimizer.js';
import { createRandom, deriveSeed, type UniformRandom, withMathRandom } from './seeded-random.js';
import { type StepResult, trainStep } from './train-step.js';

/**
 * Runs the optimisation steps of a run, in this process or on data-parallel workers. The main-thread model
 * stays the reference: it is what finetune, evaluation and checkpoints see, and `pull` / `push` move the
 * trained state between it and wherever the steps run.
 */
export interface StepRunner {
  /** Data-parallel workers (1: in this process). */
  readonly workers: number;
  /** Prepares epoch `epoch` (1-based): its learning rate and random streams. */
  startEpoch(epoch: number, learningRate: number): Promise<void>;
  /**
   * One optimisation step on batch `index` of the epoch. The update is skipped when the loss is not finite;
   * the caller sees the NaN/Inf in the result.
   */
  step(batch: HostBatch, index: number): Promise<StepResult>;
  /** Brings the main-thread model up to date with the trained state (before finetune, evaluation, checkpoint). */
  pull(): Promise<void>;
  /** Sends the main-thread model's state to where the steps run, as a resumed run would load it. */
  push(): Promise<void>;
  /** Frees what the runner started (workers). */
  close(): Promise<void>;
}

/**
 * Steps in this process on the main-thread model. Dropout draws from one seeded stream per epoch (tfjs'
 * unseeded random ops take their seeds from `Math.random`, which the step replaces).
 */
export function inProcessRunner(options: {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  weightDecay: number;
  seed: number;
  shape: readonly [number, number, number];
  classes: number;
}): StepRunner {
  const { model, optimizer, weightDecay, seed, shape, classes } = options;
  let dropoutRandom: UniformRandom = createRandom(deriveSeed(seed, 'dropout', 0));
  return {
    workers: 1,
    startEpoch: async (epoch, learningRate) => {
      setLearningRate(optimizer, learningRate);
      dropoutRandom = createRandom(deriveSeed(seed, 'dropout', epoch));
    },
    step: async (host) => {
      const batch = batchTensors(host, shape, classes);
      try {
        return withMathRandom(dropoutRandom, () => trainStep(model, optimizer, batch, weightDecay));
      } finally {
        disposeBatch(batch);
      }
    },
    pull: async () => {},
    push: async () => {},
    close: async () => {},
  };
}

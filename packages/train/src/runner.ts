import type { HostBatch } from '@gcnn/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isWasmAbort, wasmMemoryError } from './errors.js';
import { trainableVariables } from './model.js';
import { setLearningRate } from './optimizer.js';
import { stepRandom, withMathRandom } from './random.js';
import { type StepResult, trainStep } from './step.js';

/**
 * Runs the optimisation steps of a training run, in this process or on data-parallel workers. The main-thread
 * model stays the reference: it is what callbacks, evaluation and checkpoints see, and `pull` / `push` move the
 * trained state between it and wherever the steps run.
 */
export interface StepRunner {
  /** Data-parallel workers (1: in this process). */
  readonly workers: number;
  /** Sets the learning rate of the epoch about to start. */
  setLearningRate(learningRate: number): Promise<void>;
  /**
   * One optimisation step. `stepSeed` seeds the step's random ops (dropout), so a step draws the same masks
   * whether or not the process restarted before it. The update is skipped when the loss is not finite.
   */
  step(batch: HostBatch, stepSeed: number): Promise<StepResult>;
  /** Brings the main-thread model and optimizer up to date with the trained state. */
  pull(): Promise<void>;
  /** Sends the main-thread model's state to where the steps run, as a resumed run would load it. */
  push(): Promise<void>;
  /** Frees what the runner started (workers). */
  close(): Promise<void>;
}

/** Steps in this process on the main-thread model. */
export function inProcessRunner(options: {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  weightDecay: number;
}): StepRunner {
  const { model, optimizer, weightDecay } = options;
  const shape = model.inputs[0]!.shape.slice(1) as [number, number, number];
  return {
    workers: 1,
    setLearningRate: async (learningRate) => setLearningRate(optimizer, learningRate),
    step: async (batch, stepSeed) => {
      const xs = tf.tensor4d(batch.images, [batch.size, ...shape]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      try {
        // Variables are read afresh: layers may swap them (e.g. a checkpoint load).
        const variables = trainableVariables(model);
        return withMathRandom(stepRandom(stepSeed, 0), () =>
          trainStep(model, optimizer, xs, labels, { weightDecay, variables }),
        );
      } catch (error) {
        if (isWasmAbort(error)) throw wasmMemoryError(batch.size, 'in this process', model.name);
        throw error;
      } finally {
        tf.dispose([xs, labels]);
      }
    },
    pull: async () => {},
    push: async () => {},
    close: async () => {},
  };
}

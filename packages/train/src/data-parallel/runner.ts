import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ParallelRunnerFactory } from '../fit.js';
import { stateVariables, trainableVariables } from '../model.js';
import type { OptimizerSettings } from '../optimizer.js';
import type { StepRunner } from '../runner.js';
import { readTrainingState, writeTrainingState } from '../training-state.js';
import { DataParallelTrainer } from './trainer.js';

/** What `parallelRunner` needs of a `DataParallelTrainer` (tests stand in for it with a fake). */
export type ReplicaTrainer = Pick<
  DataParallelTrainer,
  'workers' | 'variables' | 'step' | 'getWeights' | 'setWeights' | 'setLearningRate' | 'close'
>;

/**
 * Steps on data-parallel workers. The replicas are loaded from the main-thread model at the start (its initial
 * weights or a restored checkpoint) and after every epoch (`push`), so an uninterrupted run and a resumed one
 * continue from the same bytes; `pull` brings the trained state back into the main model and its optimizer.
 */
export function parallelRunner(options: {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  settings: OptimizerSettings;
  trainer: ReplicaTrainer;
}): StepRunner {
  const { model, optimizer, settings, trainer } = options;
  checkSameVariables(trainer, model);
  return {
    workers: trainer.workers,
    setLearningRate: (learningRate) => trainer.setLearningRate(learningRate),
    step: (batch, stepSeed) => trainer.step(batch.images, batch.labels, { seed: stepSeed }),
    pull: async () => {
      const state = await trainer.getWeights();
      await writeTrainingState(
        trainableVariables(model),
        stateVariables(model),
        optimizer,
        settings.kind,
        state,
      );
    },
    push: async () => {
      await trainer.setWeights(
        await readTrainingState(trainableVariables(model), stateVariables(model), optimizer),
      );
    },
    close: () => trainer.close(),
  };
}

/** The workers' replica must have the main model's variables, in the same order and shapes. */
function checkSameVariables(trainer: ReplicaTrainer, model: tfl.LayersModel): void {
  const mine = [
    ...trainableVariables(model).map((v) => `T[${v.shape}]`),
    ...stateVariables(model).map((v) => `N[${v.shape}]`),
  ].join(' ');
  const theirs = trainer.variables.map((v) => `${v.trainable ? 'T' : 'N'}[${v.shape}]`).join(' ');
  if (mine !== theirs) {
    throw new Error(
      `the workers built a different model: variables ${theirs} in the workers, ${mine} in the main thread`,
    );
  }
}

/** Starts workers for `fit` and loads them with the main model's state. */
export const startParallelRunner: ParallelRunnerFactory = async (o) => {
  const trainer = await DataParallelTrainer.create({
    replica: o.replica,
    workers: o.workers,
    threadsPerWorker: o.threadsPerWorker,
    optimizer: o.settings,
    weightDecay: o.weightDecay,
    maxBatch: o.maxBatch,
  });
  try {
    const runner = parallelRunner({ model: o.model, optimizer: o.optimizer, settings: o.settings, trainer });
    await runner.push();
    return runner;
  } catch (error) {
    await trainer.close();
    throw error;
  }
};

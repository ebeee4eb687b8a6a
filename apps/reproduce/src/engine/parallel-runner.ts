import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HostBatch } from './dataset.js';
import { exportOptimizerState, importOptimizerState, type OptimizerState } from './optimizer.js';
import type { OptimizerSettings, TrainingProtocol } from './protocol.js';
import { deriveSeed } from './seeded-random.js';
import type { StepRunner } from './step-runner.js';

/** The training state of data-parallel replicas, as plain arrays in the model's variable order. */
export interface ReplicaState {
  trainable: Float32Array[];
  nonTrainable: Float32Array[];
  optimizer: OptimizerState;
}

/**
 * What the engine needs from a data-parallel trainer (`DataParallelTrainer` of @gcnn/backend, started by
 * integrations/backend.ts): replicas of the run's model on worker threads, summing gradients every step.
 */
export interface ParallelTrainer {
  readonly workers: number;
  readonly variables: readonly { name: string; shape: number[]; trainable: boolean }[];
  step(
    images: Float32Array,
    labels: ArrayLike<number>,
    options: { seed: number },
  ): Promise<{ loss: number; errors: number; applied: boolean }>;
  getWeights(): Promise<ReplicaState>;
  setWeights(state: ReplicaState): Promise<void>;
  setLearningRate(learningRate: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a trainer for a run: its model, workers, optimizer and largest batch. */
export type StartParallelTrainer = (settings: {
  model: string;
  workers: number;
  optimizer: OptimizerSettings;
  weightDecay: number;
  maxBatch: number;
}) => Promise<ParallelTrainer>;

/** Raw variables of a layers model (not `LayerVariable.write`, which would re-apply constraints). */
function variablesOf(weights: readonly tfl.LayerVariable[]): tf.Variable[] {
  return weights.map((w) => w.read() as tf.Variable);
}

/**
 * Steps on data-parallel workers (route B). Every step's dropout draws from (run seed, epoch, batch); each
 * worker derives its own stream from that. The replicas are loaded from the main-thread model at the start
 * (fresh initial weights made in the main thread from the run seed, or a checkpoint) and after every
 * checkpoint (`push`), so an uninterrupted run and a resumed one continue from the same bytes.
 */
export async function parallelRunner(options: {
  model: tfl.LayersModel;
  trainer: ParallelTrainer;
  protocol: TrainingProtocol;
  seed: number;
}): Promise<StepRunner> {
  const { model, trainer, protocol, seed } = options;
  const optimizer = model.optimizer;
  const trainable = variablesOf(model.trainableWeights);
  const nonTrainable = variablesOf(model.nonTrainableWeights);
  checkSameVariables(trainer, trainable, nonTrainable);
  let epoch = 0;

  const runner: StepRunner = {
    workers: trainer.workers,
    startEpoch: async (e, learningRate) => {
      epoch = e;
      await trainer.setLearningRate(learningRate);
    },
    step: async (batch: HostBatch, index: number) => {
      const result = await trainer.step(batch.pixels, batch.labels, {
        seed: deriveSeed(seed, 'dropout', epoch, index),
      });
      // The trainer skips the update exactly when the loss is not finite, as the in-process step does.
      return { loss: result.loss, errors: result.errors };
    },
    pull: async () => {
      const state = await trainer.getWeights();
      assignAll(trainable, state.trainable);
      assignAll(nonTrainable, state.nonTrainable);
      await importOptimizerState(optimizer, protocol.optimizer.kind, trainable, state.optimizer);
    },
    push: async () => {
      await trainer.setWeights({
        trainable: trainable.map(copyValues),
        nonTrainable: nonTrainable.map(copyValues),
        optimizer: await exportOptimizerState(optimizer),
      });
    },
    close: () => trainer.close(),
  };
  await runner.push();
  return runner;
}

function copyValues(v: tf.Variable): Float32Array {
  return (v.dataSync() as Float32Array).slice();
}

function assignAll(variables: readonly tf.Variable[], values: readonly Float32Array[]): void {
  variables.forEach((v, i) => {
    const t = tf.tensor(values[i]!, v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}

/** The workers' replica must have the main model's variables, in the same order and shapes. */
function checkSameVariables(
  trainer: ParallelTrainer,
  trainable: readonly tf.Variable[],
  nonTrainable: readonly tf.Variable[],
): void {
  const mine = [...trainable.map((v) => `T[${v.shape}]`), ...nonTrainable.map((v) => `N[${v.shape}]`)].join(
    ' ',
  );
  const theirs = trainer.variables.map((v) => `${v.trainable ? 'T' : 'N'}[${v.shape}]`).join(' ');
  if (mine !== theirs) {
    throw new Error(
      `the workers built a different model: variables ${theirs} in the workers, ${mine} in the main thread`,
    );
  }
}

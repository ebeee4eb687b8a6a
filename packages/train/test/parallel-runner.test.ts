import { buildModel } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createOptimizer,
  DEFAULT_OPTIMIZER,
  disposeOptimizer,
  parallelRunner,
  type ReplicaTrainer,
  type TrainingState,
} from '../src/node.js';
import './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ParallelTrainer = ReplicaTrainer;
type ReplicaState = TrainingState;

/** A trainer that keeps the last state it was given and hands back `next` on getWeights. */
function fakeTrainer(variables: ParallelTrainer['variables']) {
  const received: ReplicaState[] = [];
  let next: ReplicaState | undefined;
  const trainer: ParallelTrainer = {
    workers: 2,
    variables,
    step: async () => ({ loss: 1, errors: 0, applied: true }),
    getWeights: async () => next!,
    setWeights: async (state) => {
      received.push(state);
    },
    setLearningRate: async () => {},
    close: async () => {},
  };
  return {
    trainer,
    received,
    give: (state: ReplicaState) => {
      next = state;
    },
  };
}

function compiledModel() {
  const model = buildModel('z2cnn', { outputActivation: 'linear', seed: 4 });
  model.compile({ optimizer: createOptimizer(DEFAULT_OPTIMIZER), loss: 'categoricalCrossentropy' });
  return model;
}

function disposeModel(model: ReturnType<typeof compiledModel>): void {
  const optimizer = model.optimizer;
  model.dispose();
  disposeOptimizer(optimizer);
}

const start = (model: ReturnType<typeof compiledModel>, trainer: ParallelTrainer) =>
  parallelRunner({ model, optimizer: model.optimizer, settings: DEFAULT_OPTIMIZER, trainer });

function describeVariables(model: ReturnType<typeof compiledModel>): ParallelTrainer['variables'] {
  return [
    ...model.trainableWeights.map((w) => ({ name: w.name, shape: w.shape as number[], trainable: true })),
    ...model.nonTrainableWeights.map((w) => ({ name: w.name, shape: w.shape as number[], trainable: false })),
  ];
}

describe('parallelRunner (the main-thread side of data-parallel training)', () => {
  it('sends the main model to the workers, takes their state back into it and its optimizer, leaking nothing', async () => {
    const model = compiledModel();
    const { trainer, received, give } = fakeTrainer(describeVariables(model));
    const tensorsBefore = tf.memory().numTensors;
    const runner = start(model, trainer);
    await runner.push();
    // the initial weights come from the main thread: whatever the worker count, training starts from them
    expect(received).toHaveLength(1);
    const initial = received[0]!;
    expect(initial.trainable.map((a) => Array.from(a))).toEqual(
      model.trainableWeights.map((w) => Array.from(w.read().dataSync())),
    );
    expect(initial.optimizer).toEqual({ iterations: 0, slots: [] });

    const sizes = model.trainableWeights.map((w) => w.read().size);
    const filled = (value: number, list: number[]) => list.map((n) => new Float32Array(n).fill(value));
    const trained: ReplicaState = {
      trainable: filled(0.5, sizes),
      nonTrainable: filled(
        2,
        model.nonTrainableWeights.map((w) => w.read().size),
      ),
      optimizer: { iterations: 7, slots: [...filled(0.25, sizes), ...filled(0.125, sizes)] },
    };
    for (let round = 0; round < 3; round++) {
      give(trained);
      await runner.pull();
      await runner.push();
    }
    expect(
      model.trainableWeights.every((w) =>
        w
          .read()
          .dataSync()
          .every((v) => v === 0.5),
      ),
    ).toBe(true);
    expect(
      model.nonTrainableWeights.every((w) =>
        w
          .read()
          .dataSync()
          .every((v) => v === 2),
      ),
    ).toBe(true);
    const slots = await model.optimizer.getWeights();
    expect(slots[0]!.name).toBe('iter');
    expect(slots[0]!.tensor.dataSync()[0]).toBe(7);
    // named as in-process Adam names them, so checkpoints keep one layout
    expect(slots[1]!.name).toBe(`${model.trainableWeights[0]!.name}/m`);
    expect(slots[1 + sizes.length]!.name).toBe(`${model.trainableWeights[0]!.name}/v`);
    slots[0]!.tensor.dispose();
    // what goes back to the workers is exactly what came from them
    expect(received.at(-1)).toEqual(trained);
    // a pull/push cycle leaves nothing behind (Adam's slots are new tensors kept by the optimizer)
    give(trained);
    const steady = tf.memory().numTensors;
    await runner.pull();
    await runner.push();
    expect(tf.memory().numTensors).toBe(steady);
    await runner.close();
    disposeModel(model);
    expect(tf.memory().numTensors).toBeLessThan(tensorsBefore);
  });

  it('refuses workers whose model differs from the main one', async () => {
    const model = compiledModel();
    const variables = describeVariables(model);
    const { trainer } = fakeTrainer([...variables.slice(0, -1)]);
    expect(() => start(model, trainer)).toThrow(/the workers built a different model/);
    disposeModel(model);
  });
});

import { P4CNN_FLOPS, Z2CNN_FLOPS } from '@gcnn/backend/bench';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardFlops } from '../src/engine/flops.js';
import { createOptimizer } from '../src/engine/optimizer.js';
import { type ParallelTrainer, parallelRunner, type ReplicaState } from '../src/engine/parallel-runner.js';
import { mnistRotProtocol } from '../src/engine/protocol.js';
import { disposeModel } from '../src/engine/train-run.js';
import { selectBackend } from '../src/integrations/backend.js';
import { buildModel, MODELS, workerModelExport } from '../src/integrations/models.js';
import * as workerModels from '../src/worker-models.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

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
  const model = buildModel('z2cnn', 4);
  model.compile({
    optimizer: createOptimizer(mnistRotProtocol(1).optimizer),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

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
    const runner = await parallelRunner({ model, trainer, protocol: mnistRotProtocol(1), seed: 0 });
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
    await expect(parallelRunner({ model, trainer, protocol: mnistRotProtocol(1), seed: 0 })).rejects.toThrow(
      /the workers built a different model/,
    );
    disposeModel(model);
  });
});

describe('worker models and forward FLOPs', () => {
  it('has a worker export for every model of the CLI', () => {
    const exports = workerModels as Record<string, unknown>;
    for (const entry of MODELS)
      expect(typeof exports[workerModelExport(entry.id)], entry.name).toBe('function');
  });

  it('counts the forward FLOPs of P4CNN and Z2CNN as the backend bench stand-ins (the paper shapes) do', () => {
    for (const [name, flops] of [
      ['p4cnn', P4CNN_FLOPS],
      ['z2cnn', Z2CNN_FLOPS],
    ] as const) {
      const model = buildModel(name, 0);
      expect(forwardFlops(model), name).toBe(flops);
      model.dispose();
    }
  });
});

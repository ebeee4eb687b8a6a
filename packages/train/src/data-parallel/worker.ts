import { parentPort } from 'node:worker_threads';
import { selectBackend } from '@gcnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ensureGradients, imageModelShape, stateVariables, trainableVariables } from '../model.js';
import { createOptimizer, setLearningRate } from '../optimizer.js';
import { stepRandom, withMathRandom } from '../random.js';
import { applyUpdate, computeGradients } from '../step.js';
import { readTrainingState, writeTrainingState } from '../training-state.js';
import type { FromWorker, InitMessage, ToWorker, VariableInfo } from './protocol.js';

// One replica of data-parallel training: its own wasm backend, its own copy of the model, and the same optimizer
// as every other replica. Gradients are exchanged through shared memory.

if (parentPort == null) throw new Error('the data-parallel worker must run in a worker thread');
const port = parentPort;

let init: InitMessage;
let model: tfl.LayersModel;
let optimizer: tf.Optimizer;
let inputShape: [number, number, number];
let images: Float32Array;
let labels: Int32Array;
let gradients: Float32Array;
let parameters = 0;

function send(message: FromWorker): void {
  port.postMessage(message);
}

async function buildReplica(message: InitMessage): Promise<tfl.LayersModel> {
  const { module: specifier, export: name, args } = message.replica;
  const module = (await import(specifier)) as Record<string, unknown>;
  const factory = module[name];
  if (typeof factory !== 'function') {
    throw new Error(`${specifier} has no function export '${name}' (the model factory)`);
  }
  return (await (factory as (...a: unknown[]) => unknown)(...args)) as tfl.LayersModel;
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      init = message;
      const report = await selectBackend('wasm', { threads: message.threads });
      await ensureGradients();
      model = await buildReplica(message);
      const shape = imageModelShape(model);
      inputShape = shape.inputShape;
      optimizer = createOptimizer(message.optimizer);
      const describe = (v: tf.Variable, trainable: boolean): VariableInfo => ({
        name: v.name,
        shape: [...v.shape],
        trainable,
      });
      const trainable = trainableVariables(model);
      parameters = trainable.reduce((s, v) => s + v.size, 0);
      send({
        type: 'ready',
        parameters,
        inputShape,
        numClasses: shape.numClasses,
        variables: [
          ...trainable.map((v) => describe(v, true)),
          ...stateVariables(model).map((v) => describe(v, false)),
        ],
        backend: report.name,
        threads: report.threads,
      });
      return;
    }
    case 'buffers':
      images = new Float32Array(message.images);
      labels = new Int32Array(message.labels);
      gradients = new Float32Array(message.gradients);
      send({ type: 'done' });
      return;
    case 'step': {
      const { start, end, batch, seed } = message;
      const size = inputShape[0] * inputShape[1] * inputShape[2];
      const row = gradients.subarray(init.index * parameters, (init.index + 1) * parameters);
      if (end <= start) {
        // A batch smaller than the number of workers leaves this one without images: it adds nothing.
        row.fill(0);
        send({ type: 'gradients', loss: 0, errors: 0 });
        return;
      }
      const random = seed == null ? undefined : stepRandom(seed, init.index);
      const xs = tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...inputShape]);
      const y = tf.tensor1d(labels.subarray(start, end), 'int32');
      // Each shard's mean loss weighted by its share, so that the sum over workers is the batch mean.
      const measured = withMathRandom(random, () =>
        computeGradients(model, trainableVariables(model), xs, y, (end - start) / batch),
      );
      let at = 0;
      for (const g of measured.gradients) {
        row.set(g.dataSync() as Float32Array, at);
        at += g.size;
      }
      tf.dispose([xs, y, ...measured.gradients]);
      send({ type: 'gradients', loss: measured.loss, errors: measured.errors });
      return;
    }
    case 'apply': {
      // Every worker sums the rows in the same order, so every replica applies bit-identical updates.
      const sum = new Float32Array(parameters);
      for (let k = 0; k < init.workers; k++) {
        const row = gradients.subarray(k * parameters, (k + 1) * parameters);
        for (let i = 0; i < parameters; i++) sum[i] = sum[i]! + row[i]!;
      }
      const variables = trainableVariables(model);
      let at = 0;
      const summed = variables.map((v) => {
        const t = tf.tensor(sum.subarray(at, at + v.size), v.shape);
        at += v.size;
        return t;
      });
      applyUpdate(optimizer, variables, summed, init.weightDecay);
      tf.dispose(summed);
      send({ type: 'done' });
      return;
    }
    case 'predict': {
      const { start, end } = message;
      const size = inputShape[0] * inputShape[1] * inputShape[2];
      let values: Float32Array = new Float32Array(0);
      tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...inputShape]);
        values = (model.apply(x, { training: false }) as tf.Tensor).dataSync() as Float32Array;
      });
      send({ type: 'logits', values });
      return;
    }
    case 'get-state':
      send({
        type: 'state',
        state: await readTrainingState(trainableVariables(model), stateVariables(model), optimizer),
      });
      return;
    case 'set-state':
      await writeTrainingState(
        trainableVariables(model),
        stateVariables(model),
        optimizer,
        init.optimizer.kind,
        message.state,
      );
      send({ type: 'done' });
      return;
    case 'learning-rate':
      setLearningRate(optimizer, message.learningRate);
      send({ type: 'done' });
      return;
    case 'close':
      optimizer?.dispose();
      model?.dispose();
      port.close();
      return;
  }
}

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() =>
    handle(message).catch((error: unknown) => {
      const e = error as Error;
      send({
        type: 'error',
        message: e.message ?? String(error),
        ...(e.stack != null ? { stack: e.stack } : {}),
      });
    }),
  );
});

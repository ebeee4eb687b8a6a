import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { FromWorker, InitMessage, ToWorker } from './data-parallel-protocol.js';
import { selectBackend } from './select-backend.js';
import { asTrainable, classificationLoss, ensureGradients, type TrainableModel } from './train-step.js';

// One replica of data-parallel training: its own wasm backend, its own copy of the model, and the same
// optimizer as every other replica. Gradients are exchanged through shared memory.

if (parentPort == null) throw new Error('data-parallel-worker must run in a worker_thread');
const port = parentPort;

let init: InitMessage;
let model: TrainableModel;
let optimizer: tf.Optimizer;
let images: Float32Array;
let labels: Int32Array;
let gradients: Float32Array;
let parameters = 0;

function send(message: FromWorker): void {
  port.postMessage(message);
}

/** Copies the model's variables into `into` (flat, in order). */
function readVariables(into: Float32Array): void {
  let at = 0;
  for (const v of model.variables) {
    const values = v.dataSync() as Float32Array;
    into.set(values, at);
    at += values.length;
  }
}

function writeVariables(from: Float32Array): void {
  let at = 0;
  for (const v of model.variables) {
    v.assign(tf.tensor(from.subarray(at, at + v.size), v.shape));
    at += v.size;
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      init = message;
      const report = await selectBackend('wasm', { threads: message.threads });
      await ensureGradients();
      const module = (await import(message.modelModule)) as Record<string, unknown>;
      const factory = module[message.modelExport];
      if (typeof factory !== 'function') {
        throw new Error(
          `${message.modelModule} has no function export '${message.modelExport}' (the model factory)`,
        );
      }
      model = asTrainable(await (factory as () => TrainableModel)());
      const { learningRate, beta1, beta2, epsilon } = message.adam;
      optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
      parameters = model.variables.reduce((s, v) => s + v.size, 0);
      send({
        type: 'ready',
        parameters,
        inputShape: model.inputShape,
        numClasses: model.numClasses,
        backend: report.name,
        threads: report.threads,
      });
      return;
    }
    case 'weights': {
      const flat = new Float32Array(message.buffer);
      if (message.write) readVariables(flat);
      else writeVariables(flat);
      send({ type: 'done' });
      return;
    }
    case 'buffers':
      images = new Float32Array(message.images);
      labels = new Int32Array(message.labels);
      gradients = new Float32Array(message.gradients);
      send({ type: 'done' });
      return;
    case 'step': {
      const { start, end, batch } = message;
      const [h, w, c] = model.inputShape;
      const size = h * w * c;
      const row = gradients.subarray(init.index * parameters, (init.index + 1) * parameters);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, h, w, c]);
        const y = tf.tensor1d(labels.subarray(start, end), 'int32');
        // Each shard's mean loss weighted by its share, so that the sum over workers is the batch mean.
        const share = (end - start) / batch;
        const { value, grads } = tf.variableGrads(
          () => tf.mul(classificationLoss(model, x, y), share) as tf.Scalar,
          model.variables,
        );
        let at = 0;
        for (const v of model.variables) {
          const g = (grads[v.name] as tf.Tensor).dataSync() as Float32Array;
          row.set(g, at);
          at += g.length;
        }
        return value.dataSync()[0] as number;
      });
      send({ type: 'gradients', loss });
      return;
    }
    case 'apply': {
      // Every worker sums the rows in the same order, so every replica applies bit-identical updates.
      const sum = new Float32Array(parameters);
      for (let k = 0; k < init.workers; k++) {
        const row = gradients.subarray(k * parameters, (k + 1) * parameters);
        for (let i = 0; i < parameters; i++) sum[i] = (sum[i] as number) + (row[i] as number);
      }
      tf.tidy(() => {
        const named: tf.NamedTensorMap = {};
        let at = 0;
        for (const v of model.variables) {
          named[v.name] = tf.tensor(sum.subarray(at, at + v.size), v.shape);
          at += v.size;
        }
        optimizer.applyGradients(named);
      });
      send({ type: 'done' });
      return;
    }
    case 'predict': {
      const { start, end } = message;
      const [h, w, c] = model.inputShape;
      const size = h * w * c;
      let values: Float32Array = new Float32Array(0);
      tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, h, w, c]);
        values = model.apply(x, false).dataSync() as Float32Array;
      });
      send({ type: 'logits', values });
      return;
    }
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

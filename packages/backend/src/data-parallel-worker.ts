import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type {
  DataParallelOptimizer,
  FromWorker,
  InitMessage,
  ToWorker,
  TrainerState,
  VariableInfo,
} from './data-parallel-protocol.js';
import { seededUniform, withRandom, workerSeed } from './data-parallel-random.js';
import { selectBackend } from './select-backend.js';
import { asTrainable, ensureGradients, type TrainableModel } from './train-step.js';

// One replica of data-parallel training: its own wasm backend, its own copy of the model, and the same
// optimizer as every other replica. Gradients are exchanged through shared memory.

if (parentPort == null) throw new Error('data-parallel-worker must run in a worker_thread');
const port = parentPort;

let init: InitMessage;
let model: TrainableModel;
/** The model's non-trainable variables (batch-norm moving statistics), read afresh: layers may swap them. */
let stateVariables: () => tf.Variable[] = () => [];
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
    assignValues(v, from.subarray(at, at + v.size));
    at += v.size;
  }
}

function assignValues(v: tf.Variable, values: Float32Array): void {
  if (values.length !== v.size) {
    throw new Error(`variable ${v.name} [${v.shape}] needs ${v.size} values, got ${values.length}`);
  }
  const t = tf.tensor(values, v.shape, 'float32');
  v.assign(t);
  t.dispose();
}

function createOptimizer(settings: DataParallelOptimizer): tf.Optimizer {
  return settings.kind === 'momentum'
    ? tf.train.momentum(settings.learningRate, settings.momentum)
    : tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
}

/** Number of misclassified rows: arg-max of the logits differs from the label. */
function countErrors(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), y), 'int32'));
}

async function readState(): Promise<TrainerState> {
  const weights = await optimizer.getWeights();
  // getWeights makes a fresh iteration scalar and hands out the live slot variables.
  const iterations = (await weights[0]!.tensor.data())[0] as number;
  weights[0]!.tensor.dispose();
  return {
    trainable: model.variables.map((v) => (v.dataSync() as Float32Array).slice()),
    nonTrainable: stateVariables().map((v) => (v.dataSync() as Float32Array).slice()),
    optimizer: {
      iterations,
      slots: weights.slice(1).map((w) => (w.tensor.dataSync() as Float32Array).slice()),
    },
  };
}

async function writeState(state: TrainerState): Promise<void> {
  const trainable = model.variables;
  const nonTrainable = stateVariables();
  if (state.trainable.length !== trainable.length || state.nonTrainable.length !== nonTrainable.length) {
    throw new Error(
      `setWeights: the model has ${trainable.length} trainable and ${nonTrainable.length} non-trainable variables, the state ${state.trainable.length} and ${state.nonTrainable.length}`,
    );
  }
  const slotsPerVariable = init.optimizer.kind === 'adam' ? 2 : 1;
  const slots = state.optimizer.slots;
  if (slots.length !== 0 && slots.length !== slotsPerVariable * trainable.length) {
    throw new Error(
      `setWeights: ${init.optimizer.kind} keeps ${slotsPerVariable} slot(s) per trainable variable (${slotsPerVariable * trainable.length}), the state has ${slots.length}`,
    );
  }
  trainable.forEach((v, i) => {
    assignValues(v, state.trainable[i]!);
  });
  nonTrainable.forEach((v, i) => {
    assignValues(v, state.nonTrainable[i]!);
  });
  const named: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(state.optimizer.iterations, 'int32') },
    ...slots.map((values, i) => {
      const v = trainable[i % trainable.length]!;
      if (values.length !== v.size) {
        throw new Error(`setWeights: optimizer slot ${i} needs ${v.size} values, got ${values.length}`);
      }
      const suffix = init.optimizer.kind === 'momentum' ? 'momentum' : i < trainable.length ? 'm' : 'v';
      return { name: `${v.name}/${suffix}`, tensor: tf.tensor(values, v.shape, 'float32') };
    }),
  ];
  // setWeights makes new slot variables (Adam recomputes β^t with pow); the old ones must go.
  const previous = await optimizer.getWeights();
  await optimizer.setWeights(named);
  tf.dispose(previous.map((w) => w.tensor));
  tf.dispose(named.map((w) => w.tensor));
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
      const built = (await (factory as () => unknown)()) as Parameters<typeof asTrainable>[0];
      model = asTrainable(built);
      const layers = built as { nonTrainableWeights?: { read(): tf.Tensor }[] };
      const custom = built as { stateVariables?: tf.Variable[] };
      if (Array.isArray(layers.nonTrainableWeights)) {
        const weights = layers.nonTrainableWeights;
        stateVariables = () => weights.map((w) => w.read() as tf.Variable);
      } else if (Array.isArray(custom.stateVariables)) {
        const variables = custom.stateVariables;
        stateVariables = () => variables;
      }
      optimizer = createOptimizer(message.optimizer);
      parameters = model.variables.reduce((s, v) => s + v.size, 0);
      const describe = (v: tf.Variable, trainable: boolean): VariableInfo => ({
        name: v.name,
        shape: [...v.shape],
        trainable,
      });
      send({
        type: 'ready',
        parameters,
        inputShape: model.inputShape,
        numClasses: model.numClasses,
        variables: [
          ...model.variables.map((v) => describe(v, true)),
          ...stateVariables().map((v) => describe(v, false)),
        ],
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
      const { start, end, batch, seed } = message;
      const [h, w, c] = model.inputShape;
      const size = h * w * c;
      const row = gradients.subarray(init.index * parameters, (init.index + 1) * parameters);
      if (end <= start) {
        // A batch smaller than the number of workers leaves this one without images: it adds nothing.
        row.fill(0);
        send({ type: 'gradients', loss: 0, errors: 0 });
        return;
      }
      const random = seed == null ? undefined : seededUniform(workerSeed(seed, init.index));
      const measured = withRandom(random, () =>
        tf.tidy(() => {
          const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, h, w, c]);
          const y = tf.tensor1d(labels.subarray(start, end), 'int32');
          // Each shard's mean loss weighted by its share, so that the sum over workers is the batch mean.
          const share = (end - start) / batch;
          let errors: tf.Scalar | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const logits = model.apply(x, true);
            errors = tf.keep(countErrors(logits, y));
            const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, model.numClasses), logits);
            return tf.mul(loss, share) as tf.Scalar;
          }, model.variables);
          let at = 0;
          for (const v of model.variables) {
            const g = (grads[v.name] as tf.Tensor).dataSync() as Float32Array;
            row.set(g, at);
            at += g.length;
          }
          const errorCount = errors!.dataSync()[0] as number;
          errors!.dispose();
          return { loss: value.dataSync()[0] as number, errors: errorCount };
        }),
      );
      send({ type: 'gradients', ...measured });
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
        let at = 0;
        const named = model.variables.map((v) => {
          let gradient: tf.Tensor = tf.tensor(sum.subarray(at, at + v.size), v.shape);
          at += v.size;
          // L2 weight decay on every parameter (Chainer's WeightDecay hook), after the sum over workers.
          if (init.weightDecay > 0) gradient = tf.add(gradient, tf.mul(v, init.weightDecay));
          return { name: v.name, tensor: gradient };
        });
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
    case 'get-state':
      send({ type: 'state', state: await readState() });
      return;
    case 'set-state':
      await writeState(message.state);
      send({ type: 'done' });
      return;
    case 'learning-rate': {
      // SGD-family optimizers keep the rate as a scalar tensor too; Adam reads the field at every update.
      const sgd = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
      if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(message.learningRate);
      else (optimizer as unknown as { learningRate: number }).learningRate = message.learningRate;
      send({ type: 'done' });
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

// Training steps of P4CNN at batch 64 (by default) through @gcnn/train's trainStep: on @gcnn/backend's
// selectBackend('wasm') (no configuration), or on the stock cpu backend for comparison (?backend=cpu).
import { selectBackend } from '@gcnn/backend';
import { p4cnn } from '@gcnn/models';
import { createOptimizer, DEFAULT_OPTIMIZER, trainStep } from '@gcnn/train';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { publish } from './result.js';

publish(async () => {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'wasm';
  const batch = Number(params.get('batch') ?? 64);
  const steps = Number(params.get('steps') ?? 8);
  let report;
  if (backend === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu did not start');
    report = { name: 'cpu', reason: 'the stock cpu backend (no @gcnn/backend kernels)', threads: 1 };
  } else {
    report = await selectBackend(backend);
  }
  const model = p4cnn({ seed: 1, outputActivation: 'linear' });
  const optimizer = createOptimizer(DEFAULT_OPTIMIZER);
  // The same seeded batch at every step, so that the loss must fall if the gradients are right.
  const xs = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 7);
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const times = [];
  const losses = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const { loss } = trainStep(model, optimizer, xs, labels);
    times.push(performance.now() - start);
    losses.push(loss);
  }
  return {
    backend: tf.getBackend(),
    report: {
      name: report.name,
      threads: report.threads,
      reason: report.reason,
      kernels: report.kernels?.length ?? 0,
    },
    crossOriginIsolated: self.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    batch,
    times,
    losses,
    tensors: tf.memory().numTensors,
  };
});

import * as tf from '@tensorflow/tfjs-core';
import { Command } from 'commander';
import { disposeBatch } from '../engine/dataset.js';
import { createOptimizer } from '../engine/optimizer.js';
import { mnistRotProtocol } from '../engine/protocol.js';
import { trainStep } from '../engine/train-step.js';
import { type BackendChoice, selectBackend } from '../integrations/backend.js';
import { buildModel, findModel } from '../integrations/models.js';
import { backendChoice, integerAtLeast, modelList } from './options.js';

interface BenchOptions {
  models: string[];
  batchSize: number;
  steps: number;
  backend: BackendChoice;
  json?: boolean;
}

/**
 * `gcnn bench`: training and inference images/s of the real models on the chosen backend.
 *
 * STAND-IN measurement until @gcnn/backend exports its bench functions (which take model factories and
 * report min/median/max plus the matmul peak); then this delegates to them with `buildModel`.
 */
export function benchCommand(): Command {
  return new Command('bench')
    .summary('training and inference images/s of the models on a backend')
    .description(
      'Time training steps (forward, backward, Adam update) and inference of each model at the given batch size on ' +
        'random inputs, after one warm-up step, and print images/s (median over the timed steps).',
    )
    .option('--models <list>', 'models, comma-separated', modelList('any'), ['z2cnn', 'p4cnn'])
    .option('--batch-size <n>', 'batch size', integerAtLeast(1), 128)
    .option('--steps <n>', 'timed steps per measurement', integerAtLeast(1), 5)
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--json', 'print JSON')
    .action(async (options: BenchOptions) => {
      const backend = await selectBackend(options.backend);
      process.stderr.write(`backend: ${backend.description}\n`);
      const results = [];
      for (const name of options.models) {
        const entry = findModel(name);
        const shape: [number, number, number] = entry.dataset === 'mnist-rot' ? [28, 28, 1] : [32, 32, 3];
        const model = buildModel(name, 0);
        const optimizer = createOptimizer(mnistRotProtocol(1).optimizer);
        const n = options.batchSize;
        const batch = tf.tidy(() => {
          const labels = tf.randomUniform([n], 0, 10, 'int32') as tf.Tensor1D;
          return {
            xs: tf.randomNormal([n, ...shape]) as tf.Tensor4D,
            ys: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D,
            labels,
          };
        });
        const train: number[] = [];
        const infer: number[] = [];
        for (let s = 0; s <= options.steps; s++) {
          const t0 = performance.now();
          trainStep(model, optimizer, batch, 0);
          const t1 = performance.now();
          tf.tidy(() => {
            (model.apply(batch.xs, { training: false }) as tf.Tensor).dataSync();
          });
          const t2 = performance.now();
          if (s > 0) {
            train.push((n * 1000) / (t1 - t0));
            infer.push((n * 1000) / (t2 - t1));
          }
        }
        disposeBatch(batch);
        model.dispose();
        optimizer.dispose();
        const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
        const row = {
          model: name,
          batchSize: n,
          trainImagesPerSecond: median(train),
          inferImagesPerSecond: median(infer),
        };
        results.push(row);
        if (!options.json) {
          process.stdout.write(
            `${name}: train ${Math.round(row.trainImagesPerSecond)} img/s, inference ${Math.round(row.inferImagesPerSecond)} img/s (batch ${n}, ${backend.name})\n`,
          );
        }
      }
      if (options.json)
        process.stdout.write(`${JSON.stringify({ backend: backend.description, results }, null, 2)}\n`);
    });
}

import { deriveSeed } from '@gcnn/train';
import * as tf from '@tensorflow/tfjs-core';
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { type BackendChoice, selectBackend } from '../integrations/backend.js';
import { actOnImages, elementName, STABILIZER_SIZE } from '../integrations/layers.js';
import { buildModel, findModel, modelNames } from '../integrations/models.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn, modelList } from './options.js';

interface EquivarianceOptions {
  models?: string[];
  backend: BackendChoice;
  seed: number;
  json?: boolean;
}

/** `gcnn equivariance`: how far each model's output moves when its input is rotated or flipped. */
export function equivarianceCommand(): Command {
  return new Command('equivariance')
    .summary('invariance error of each model under every rotation / flip of its input')
    .description(
      'For each model (freshly initialised, inference mode) and each element g of the stabiliser (p4: 4 rotations; ' +
        'p4m: 4 rotations x 2 flips; Z2 models are tested under p4m), report max|f(g x) - f(x)| / max|f(x)| on ' +
        'random inputs. G-CNNs with an invariant head give float32 round-off; the plain CNNs do not.',
    )
    .option('--models <list>', 'models, comma-separated (default: all)', modelList('any'))
    .option('--seed <n>', 'seed of the weights and inputs', integerIn(0, LIMITS.seed), 0)
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'cpu')
    .option('--json', 'print JSON')
    .action(async (options: EquivarianceOptions) => {
      await selectBackend(options.backend);
      const results: Array<{
        model: string;
        group: 'p4' | 'p4m';
        errors: Record<string, number> | null;
        note?: string;
      }> = [];
      for (const name of options.models ?? modelNames()) {
        const entry = findModel(name);
        const group = entry.group === 'p4' ? 'p4' : 'p4m';
        let model: ReturnType<typeof buildModel>;
        try {
          model = buildModel(name, deriveSeed(options.seed, 'init'));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          results.push({ model: name, group, errors: null, note: error.message });
          continue;
        }
        const shape: [number, number, number, number] =
          entry.dataset === 'mnist-rot' ? [2, 28, 28, 1] : [2, 32, 32, 3];
        const errors: Record<string, number> = {};
        tf.tidy(() => {
          const x = tf.randomNormal(shape, 0, 1, 'float32', deriveSeed(options.seed, 'input')) as tf.Tensor4D;
          const reference = model.predict(x) as tf.Tensor;
          const scale = tf.max(tf.abs(reference)).dataSync()[0]!;
          for (let index = 0; index < STABILIZER_SIZE[group]; index++) {
            const moved = model.predict(actOnImages(x, group, index)) as tf.Tensor;
            errors[elementName(group, index)] =
              tf.max(tf.abs(tf.sub(moved, reference))).dataSync()[0]! / scale;
          }
        });
        model.dispose();
        results.push({ model: name, group, errors });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        return;
      }
      for (const r of results) {
        if (!r.errors) {
          process.stdout.write(`${r.model}: n/a (${r.note})\n`);
          continue;
        }
        const cells = Object.entries(r.errors).map(([g, e]) => `${g}: ${e.toExponential(1)}`);
        const worst = Math.max(...Object.values(r.errors));
        const verdict = worst < 1e-4 ? 'invariant to float32 round-off' : 'not invariant';
        process.stdout.write(`${r.model} (${r.group}): ${verdict}; ${cells.join(', ')}\n`);
      }
    });
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { evaluate, finetuneBatchNorm } from '@gcnn/train';
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { type BackendChoice, selectBackend } from '../integrations/backend.js';
import { firstImages, loadTrainingData } from '../integrations/data.js';
import { percent } from '../report/format.js';
import { checkpointName, loadCheckpoint } from '../run/checkpoint.js';
import { RunDirectory } from '../run/run-dir.js';
import { disposeModel } from '../run/train-run.js';
import { type CommonOptions, createContext } from './context.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn } from './options.js';

interface EvalOptions extends CommonOptions {
  backend: BackendChoice;
  epoch?: number;
  finetune?: boolean;
  testLimit?: number;
  batchSize: number;
  cacheDir?: string;
  json?: boolean;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** `gcnn eval <run>`: evaluates a run's checkpoint on its test set. */
export function evalCommand(): Command {
  return new Command('eval')
    .summary("evaluate a run's checkpoint on the test set")
    .description(
      "Load a run's latest checkpoint (or --epoch N's, if kept) and classify its test set in inference mode with\n" +
        'the batch-norm statistics stored in the checkpoint, which are the exact population statistics when the ' +
        "checkpoint followed an evaluation (always true for the last epoch). Prints the error beside the run's logged one.",
    )
    .argument('<run-dir>', 'a run directory written by gcnn train or gcnn table1/table2')
    .option(
      '--epoch <n>',
      'the checkpoint after epoch N (needs --keep-checkpoints during training)',
      integerIn(1, LIMITS.epochs),
    )
    .option('--finetune', 'recompute the BN population statistics over the training set first')
    .option('--test-limit <n>', 'evaluate on the first N test images only', integerIn(1, LIMITS.images))
    .option('--batch-size <n>', 'evaluation batch size', integerIn(1, LIMITS.batchSize), 500)
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--cache-dir <dir>', 'where regenerated data sets are cached')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (runDir: string, options: EvalOptions) => {
      const run = await RunDirectory.load(runDir);
      const state = await run.readState();
      const name = options.epoch === undefined ? state?.checkpoint : checkpointName(options.epoch);
      if (!name) throw new UserError(`${runDir} has no checkpoint yet (no epoch has finished)`);
      if (options.epoch !== undefined && !(await exists(run.file(name)))) {
        throw new UserError(
          `${runDir} has no checkpoint of epoch ${options.epoch} (only the latest is kept without --keep-checkpoints)`,
        );
      }
      const context = createContext(options);
      try {
        const data = await loadTrainingData(
          run.config.data,
          options.cacheDir ? { cacheDir: options.cacheDir } : {},
        );
        const backend = await selectBackend(options.backend);
        context.progress.log(`backend: ${backend.description}`);
        const model = await loadCheckpoint(run, name);
        try {
          if (options.finetune) {
            await finetuneBatchNorm(model, data.train, { batchSize: run.config.protocol.batchSize });
          }
          const test = firstImages(data.test, options.testLimit);
          const result = await evaluate(model, test, { batchSize: options.batchSize });
          const logged = (await run.readLog()).find((r) => `${checkpointName(r.epoch)}` === name);
          const summary = {
            runDirectory: run.dir,
            checkpoint: name,
            testError: result.error,
            testLoss: result.loss,
            errors: result.errors,
            count: result.count,
            loggedTestError: logged?.testError ?? null,
            backend: backend.name,
          };
          if (options.json) {
            context.print(JSON.stringify(summary, null, 2));
          } else {
            const against =
              logged?.testError === undefined
                ? '(no evaluation was logged for this epoch)'
                : `(logged: ${percent(logged.testError)}%)`;
            context.print(
              `${run.config.model} seed ${run.config.seed}, ${path.basename(name)}: test error ${percent(result.error)}% ` +
                `(${result.errors}/${result.count}) ${against}`,
            );
          }
        } finally {
          disposeModel(model);
        }
      } finally {
        context.dispose();
      }
    });
}

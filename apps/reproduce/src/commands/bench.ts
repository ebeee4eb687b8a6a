import { Command } from 'commander';
import { formatProfile, profileModel } from '../bench/profile.js';
import { formatReport } from '../bench/report.js';
import { benchModels } from '../bench/run.js';
import { type BackendChoice, defaultWorkers, selectBackend } from '../integrations/backend.js';
import { buildModel } from '../integrations/models.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn, modelList } from './options.js';

interface BenchOptions {
  models: string[];
  batchSize: number;
  runs?: number;
  workers?: number;
  backend: BackendChoice;
  json?: boolean;
  profile?: boolean;
}

/** `gcnn bench`: the benchmark on the real models of the paper (or, with --profile, a per-kernel profile). */
export function benchCommand(): Command {
  return new Command('bench')
    .summary('matmul peak, conv speeds, and training / inference images/s of the models on a backend')
    .description(
      'Benchmark the backend with the real models: the matmul peak (GFLOP/s), conv2d forward and both ' +
        'gradients at the P4CNN layer sizes, and for each model the training (Adam step) and inference images/s ' +
        'at the given batch size, in this process and on data-parallel workers (wasm), as min / median / max over ' +
        'the timed runs and as a share of the matmul peak. Progress on stderr; a Markdown table (or JSON) on stdout.',
    )
    .option('--models <list>', 'models, comma-separated', modelList('any'), ['z2cnn', 'p4cnn-rp', 'p4cnn'])
    .option('--batch-size <n>', 'batch size', integerIn(1, LIMITS.batchSize), 128)
    .option(
      '--runs <n>',
      'timed runs per figure (default 5, or GCNN_BENCH_RUNS)',
      integerIn(1, LIMITS.benchRuns),
    )
    .option(
      '--workers <n>',
      'data-parallel workers for the second row of each model (default: 2 on wasm with 2+ cores; 1 = in-process only)',
      integerIn(1, LIMITS.workers),
    )
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--json', 'print JSON')
    .option('--profile', 'instead: time every kernel of one training step and one inference pass, per model')
    .action(async (options: BenchOptions) => {
      const backend = await selectBackend(options.backend);
      process.stderr.write(`backend: ${backend.description}\n`);
      if (options.profile) {
        for (const name of options.models) {
          const model = buildModel(name, 0);
          const profile = await profileModel(model, {
            batch: options.batchSize,
            ...(options.runs === undefined ? {} : { passes: options.runs }),
          });
          model.dispose();
          process.stdout.write(
            `${options.json ? JSON.stringify(profile, null, 2) : formatProfile(profile)}\n\n`,
          );
        }
        return;
      }
      const report = await benchModels(backend, {
        models: options.models,
        batch: options.batchSize,
        workers: options.workers ?? defaultWorkers(backend.name),
        ...(options.runs === undefined ? {} : { runs: options.runs }),
        progress: (line) => process.stderr.write(`bench: ${line}\n`),
      });
      process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    });
}

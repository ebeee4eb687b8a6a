import path from 'node:path';
import { Command, Option } from 'commander';
import { PAPER_EPOCHS, TABLE1_BUDGETS, TABLE1_MODELS, type Table1BudgetName } from '../budgets.js';
import type { BackendChoice } from '../integrations/backend.js';
import { findModel } from '../integrations/models.js';
import type { CommonOptions } from './context.js';
import { addLimitOptions, addMnistDataOptions, type DataOptions, dataSpecFor } from './data-options.js';
import { protocolFor, WORKERS_HELP } from './experiment.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn, modelList, seedList, timestamp } from './options.js';
import { budgetLabel, runTable, type TablePlan } from './table-runner.js';

interface Table1Options extends CommonOptions, DataOptions {
  budget: Table1BudgetName;
  epochs?: number;
  seeds?: number[];
  models?: string[];
  evalEvery?: number;
  backend: BackendChoice;
  workers?: number;
  out?: string;
  resume?: boolean;
  json?: boolean;
}

/** `gcnn table1`: the paper's Table 1 (rotated MNIST) with our numbers beside the paper's. */
export function table1Command(): Command {
  const command = new Command('table1')
    .summary('reproduce Table 1 (rotated MNIST): Z2CNN, P4CNNRotationPooling, P4CNN')
    .description(
      'Train Z2CNN, P4CNNRotationPooling and P4CNN on MNIST-rot (12,000 train, 50,000 test) with the paper protocol ' +
        "and write table1.md, table1.json and table1-curves.svg with our mean ± std test error beside the paper's. " +
        'Budgets: quick (default; about 20 minutes on 2 cores) and paper (300/100/100 epochs, 5 seeds). ' +
        'Every run keeps its own resumable directory under <out>/runs/.',
    )
    .addOption(new Option('--budget <name>', 'quick or paper').choices(['quick', 'paper']).default('quick'))
    .option('--epochs <n>', 'epochs for every model (overrides the budget)', integerIn(1, LIMITS.epochs))
    .option('--seeds <list>', 'seeds, e.g. 0 or 0,1,2 or 0-4 (overrides the budget)', seedList)
    .option(
      '--models <list>',
      `models, comma-separated (default: ${TABLE1_MODELS.join(',')})`,
      modelList('mnist-rot'),
    )
    .option(
      '--eval-every <n>',
      'evaluate every N epochs, 0 = only at the end (overrides the budget)',
      integerIn(0, LIMITS.epochs),
    );
  addMnistDataOptions(command);
  addLimitOptions(command);
  return command
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--workers <n>', WORKERS_HELP, integerIn(1, LIMITS.workers))
    .option('--out <dir>', 'output directory (default: runs/table1-<budget>-<time>)')
    .option('--resume', 'continue an interrupted table in --out')
    .option('--json', 'print the table as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (options: Table1Options) => {
      const budget = TABLE1_BUDGETS[options.budget];
      const models = options.models ?? [...TABLE1_MODELS];
      const protocols = Object.fromEntries(
        models.map((model) => [
          model,
          protocolFor(model, {
            epochs:
              options.epochs ?? budget.epochs[model as keyof typeof budget.epochs] ?? PAPER_EPOCHS[model],
            evalEvery: options.evalEvery ?? budget.evalEvery,
          }),
        ]),
      );
      const plan: TablePlan = {
        format: 'gcnn-table-plan/1',
        table: 'table1',
        ...budgetLabel(options.budget, budget.description, {
          '--epochs': options.epochs,
          '--seeds': options.seeds,
          '--eval-every': options.evalEvery,
        }),
        models,
        seeds: options.seeds ?? [...budget.seeds],
        protocols,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        data: dataSpecFor(findModel('z2cnn'), options),
      };
      await runTable({
        plan,
        out: options.out ?? path.join('runs', `table1-${options.budget}-${timestamp()}`),
        resume: options.resume ?? false,
        backend: options.backend,
        title: 'Table 1: rotated MNIST, test error (%)',
        common: options,
      });
    });
}

import path from 'node:path';
import { Command, Option } from 'commander';
import { TABLE2_BUDGETS, type Table2BudgetName } from '../budgets.js';
import type { BackendChoice } from '../integrations/backend.js';
import { CIFAR_FILES, CIFAR_HELP, checkReadableFiles } from '../integrations/data.js';
import { findModel, TABLE2_MODELS } from '../integrations/models.js';
import type { CommonOptions } from './context.js';
import { addCifarDataOptions, addLimitOptions, type DataOptions, dataSpecFor } from './data-options.js';
import { protocolFor, WORKERS_HELP } from './experiment.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn, modelList, seedList, timestamp } from './options.js';
import { budgetLabel, runTable, type TablePlan } from './table-runner.js';

interface Table2Options extends CommonOptions, DataOptions {
  budget: Table2BudgetName;
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

/** `gcnn table2`: the paper's Table 2 (CIFAR-10 / CIFAR10+), best effort. */
export function table2Command(): Command {
  const command = new Command('table2')
    .summary('reproduce Table 2 (CIFAR-10): All-CNN-C (Z2/p4/p4m) and ResNet44 (Z2/p4m)')
    .description(
      "Train All-CNN-C (Z2, p4, p4m) and ResNet44 (Z2, p4m) on CIFAR-10 (--augment: CIFAR10+) with the paper's " +
        'protocols as far as they are known (SGD with momentum; see docs/reproduce.md) and write table2.md, table2.json ' +
        "and table2-curves.svg beside the paper's numbers. Slow on a CPU: the paper budget is for a GPU\n" +
        '(--backend tensorflow with tfjs-node-gpu).',
    )
    .addOption(new Option('--budget <name>', 'quick or paper').choices(['quick', 'paper']).default('quick'))
    .option('--epochs <n>', 'epochs for every model (overrides the budget)', integerIn(1, LIMITS.epochs))
    .option('--seeds <list>', 'seeds, e.g. 0 or 0-2 (overrides the budget)', seedList)
    .option(
      '--models <list>',
      `models, comma-separated (default: ${TABLE2_MODELS.join(',')}; also resnet26-z2, resnet26-p4m)`,
      modelList('cifar10'),
    )
    .option('--eval-every <n>', 'evaluate every N epochs, 0 = only at the end', integerIn(0, LIMITS.epochs));
  addCifarDataOptions(command, true);
  addLimitOptions(command);
  return command
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--workers <n>', WORKERS_HELP, integerIn(1, LIMITS.workers))
    .option('--out <dir>', 'output directory (default: runs/table2-<budget>-<time>)')
    .option('--resume', 'continue an interrupted table in --out')
    .option('--json', 'print the table as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (options: Table2Options) => {
      await checkReadableFiles(options.cifarDir!, CIFAR_FILES, 'CIFAR-10', CIFAR_HELP);
      const budget = TABLE2_BUDGETS[options.budget];
      const models = options.models ?? [...TABLE2_MODELS];
      const epochs = options.epochs ?? budget.epochs;
      const protocols = Object.fromEntries(
        models.map((model) => [
          model,
          protocolFor(model, {
            ...(epochs === undefined ? {} : { epochs }),
            ...(options.evalEvery === undefined ? {} : { evalEvery: options.evalEvery }),
          }),
        ]),
      );
      const augmented = options.augment ?? false;
      const plan: TablePlan = {
        format: 'gcnn-table-plan/1',
        table: 'table2',
        ...budgetLabel(options.budget, budget.description, {
          '--epochs': options.epochs,
          '--seeds': options.seeds,
        }),
        models,
        seeds: options.seeds ?? [...budget.seeds],
        protocols,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        data: dataSpecFor(findModel(models[0]!), options),
      };
      await runTable({
        plan,
        out:
          options.out ??
          path.join('runs', `table2-${augmented ? 'augmented-' : ''}${options.budget}-${timestamp()}`),
        resume: options.resume ?? false,
        backend: options.backend,
        title: `Table 2: ${augmented ? 'CIFAR10+ (augmented)' : 'CIFAR10'}, test error (%)`,
        augmented,
        common: options,
      });
    });
}

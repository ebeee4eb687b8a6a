import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { equivarianceCommand } from './commands/equivariance.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { paramsCommand } from './commands/params.js';
import { table1Command } from './commands/table1.js';
import { table2Command } from './commands/table2.js';
import { trainCommand } from './commands/train.js';

/** The `gcnn` command with all sub-commands; commander errors are thrown (exitOverride), not exited. */
export function createProgram(version: string): Command {
  const program = new Command('gcnn')
    .description(
      'Reproduce the experiments of Cohen & Welling (2016), "Group Equivariant Convolutional Networks", ' +
        "with TensorFlow.js: train, evaluate, and write the paper's tables beside its numbers.",
    )
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces for every error')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  gcnn table1                          the quick Table 1 (about 20 minutes on 2 cores)\n' +
        '  gcnn table1 --budget paper           the full protocol: 300/100/100 epochs, 5 seeds\n' +
        '  gcnn train --model p4cnn --epochs 10 one run into runs/p4cnn-seed0-<time>\n' +
        '  gcnn train --resume --out <run-dir>  continue an interrupted run\n' +
        "  gcnn eval <run-dir>                  re-evaluate a run's checkpoint\n" +
        "  gcnn params                          parameter counts beside the paper's\n",
    );
  for (const command of [
    table1Command(),
    table2Command(),
    trainCommand(),
    evalCommand(),
    exportCommand(),
    paramsCommand(),
    equivarianceCommand(),
    benchCommand(),
  ]) {
    command.exitOverride();
    program.addCommand(command);
  }
  return program;
}

import { countTrainableParams } from '@gcnn/models';
import { Command } from 'commander';
import { type BackendChoice, selectBackend } from '../integrations/backend.js';
import { buildModel, findModel, modelNames, paperNumbers } from '../integrations/models.js';
import { thousands } from '../report/format.js';
import { backendChoice, modelList } from './options.js';

interface ParamsOptions {
  models?: string[];
  backend: BackendChoice;
  json?: boolean;
}

/** `gcnn params`: our parameter counts beside the paper's. */
export function paramsCommand(): Command {
  return new Command('params')
    .summary("parameter counts of every model beside the paper's")
    .description(
      'Build each model and count its trainable parameters (conv weights and biases, BN gamma and beta: what the\n' +
        "paper counts), beside the paper's figures (exact counts derived in paper-spec §4.4 and the rounded ones it prints).",
    )
    .option('--models <list>', 'models, comma-separated (default: all)', modelList('any'))
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'cpu')
    .option('--json', 'print JSON')
    .action(async (options: ParamsOptions) => {
      await selectBackend(options.backend);
      const rows = (options.models ?? modelNames()).map((name) => {
        const paper = paperNumbers(name);
        const model = buildModel(name, 0);
        const ours = countTrainableParams(model);
        model.dispose();
        return {
          model: name,
          paperName: findModel(name).paperName,
          ours,
          paper: paper.parameters,
          paperPrinted: paper.parametersPrinted ?? null,
          match: ours === paper.parameters,
        };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const header = ['model', 'paper name', 'ours', 'paper (exact)', 'paper (printed)', 'match'];
      const body = rows.map((r) => [
        r.model,
        r.paperName,
        thousands(r.ours),
        thousands(r.paper),
        r.paperPrinted ?? 'not printed',
        r.match ? 'yes' : 'NO',
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
      const line = (cells: string[]) =>
        cells
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      process.stdout.write(
        `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')}\n`,
      );
    });
}

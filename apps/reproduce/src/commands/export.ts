import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExportError, toOnnx, toPlainModel } from '@gcnn/export';
import { Command, Option } from 'commander';
import { UserError } from '../errors.js';
import { type BackendChoice, selectBackend } from '../integrations/backend.js';
import { checkpointName, loadCheckpoint } from '../run/checkpoint.js';
import { RunDirectory } from '../run/run-dir.js';
import { disposeModel } from '../run/train-run.js';
import { type CommonOptions, createContext } from './context.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn } from './options.js';

interface ExportOptions extends CommonOptions {
  format: 'tfjs' | 'onnx';
  out: string;
  epoch?: number;
  backend: BackendChoice;
}

/** `gcnn export <run>`: writes a run's trained model as a plain tfjs model or as ONNX, for use without gcnn. */
export function exportCommand(): Command {
  return new Command('export')
    .summary("export a run's model as plain tfjs layers or ONNX")
    .description(
      "Load a run's latest checkpoint (or --epoch N's) and write it for deployment without gcnn: 'tfjs' writes\n" +
        'model.json + weights.bin made of stock tfjs-layers only (tf.loadLayersModel loads it), ' +
        "'onnx' writes model.onnx (opset 13, NHWC float32 input with a symbolic batch axis). Inference outputs\n" +
        'are those of the G-model (batch norm with its moving statistics, no dropout).',
    )
    .argument('<run-dir>', 'a run directory written by gcnn train or gcnn table1/table2')
    .addOption(new Option('--format <format>', 'tfjs or onnx').choices(['tfjs', 'onnx']).default('tfjs'))
    .requiredOption('--out <dir>', 'the directory to write (created if needed)')
    .option(
      '--epoch <n>',
      'the checkpoint after epoch N (needs --keep-checkpoints during training)',
      integerIn(1, LIMITS.epochs),
    )
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'cpu')
    .option('-q, --quiet', 'no progress output')
    .action(async (runDir: string, options: ExportOptions) => {
      const run = await RunDirectory.load(runDir);
      const state = await run.readState();
      const name = options.epoch === undefined ? state?.checkpoint : checkpointName(options.epoch);
      if (!name) throw new UserError(`${runDir} has no checkpoint yet (no epoch has finished)`);
      const context = createContext(options);
      try {
        await selectBackend(options.backend);
        const model = await loadCheckpoint(run, name);
        const out = path.resolve(options.out);
        await fs.mkdir(out, { recursive: true });
        try {
          let written: string;
          if (options.format === 'onnx') {
            written = path.join(out, 'model.onnx');
            await fs.writeFile(written, toOnnx(model));
          } else {
            const plain = toPlainModel(model);
            try {
              await plain.save(`file://${out}`);
            } finally {
              plain.dispose();
            }
            written = path.join(out, 'model.json');
          }
          context.print(`${run.config.model} (${name}) -> ${written}`);
        } catch (error) {
          if (error instanceof ExportError) throw new UserError(error.message);
          throw error;
        } finally {
          disposeModel(model);
        }
      } finally {
        context.dispose();
      }
    });
}

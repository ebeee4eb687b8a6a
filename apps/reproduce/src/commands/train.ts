import path from 'node:path';
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { type BackendChoice, checkWorkers, defaultWorkers, selectBackend } from '../integrations/backend.js';
import { loadTrainingData } from '../integrations/data.js';
import { cliName, findModel } from '../integrations/models.js';
import { describeMetrics } from '../report/progress.js';
import type { TrainingProtocol } from '../run/protocol.js';
import type { RunConfig } from '../run/run-config.js';
import { RunDirectory } from '../run/run-dir.js';
import { type CommonOptions, createContext } from './context.js';
import {
  addCifarDataOptions,
  addLimitOptions,
  addMnistDataOptions,
  type DataOptions,
  dataSpecFor,
} from './data-options.js';
import {
  describeWorkers,
  type ProtocolOverrides,
  protocolFor,
  runConfig,
  runExperiment,
  WORKERS_HELP,
} from './experiment.js';
import { LIMITS } from './limits.js';
import { backendChoice, integerIn, modelName, positiveNumberUpTo, timestamp } from './options.js';

interface TrainOptions extends CommonOptions, DataOptions, Omit<ProtocolOverrides, 'learningRate'> {
  lr?: number;
  model?: string;
  seed?: number;
  backend: BackendChoice;
  workers?: number;
  out?: string;
  resume?: boolean;
  keepCheckpoints?: boolean;
  json?: boolean;
}

/** `gcnn train`: one model, one seed, one run directory. */
export function trainCommand(): Command {
  const command = new Command('train')
    .summary('train one model with the paper protocol into a run directory')
    .description(
      'Train one model with its paper protocol (MNIST-rot: Adam 1e-3, batch 128, exact BN statistics before each ' +
        'evaluation; CIFAR-10: SGD with momentum, best effort) and write a run directory: config.json, log.jsonl, ' +
        'state.json, checkpoints/ and, at the end, metrics.json. Ctrl-C stops after the current batch; --resume ' +
        'continues from the last checkpoint with the same result as an uninterrupted run.',
    )
    .option('--model <name>', 'z2cnn, p4cnn-rp, p4cnn, allcnnc-z2|p4|p4m, resnet44-z2|p4m', modelName)
    .option('--epochs <n>', "epochs (default: the paper's, e.g. 100 for p4cnn)", integerIn(1, LIMITS.epochs))
    .option(
      '--seed <n>',
      'seed of weight init, data order and dropout (default 0)',
      integerIn(0, LIMITS.seed),
    )
    .option(
      '--eval-every <n>',
      'evaluate every N epochs, 0 = only at the end (default: 25 MNIST, 10 CIFAR)',
      integerIn(0, LIMITS.epochs),
    )
    .option('--batch-size <n>', 'batch size (default 128)', integerIn(1, LIMITS.batchSize))
    .option('--lr <x>', "learning rate (default: the protocol's)", positiveNumberUpTo(LIMITS.learningRate));
  addMnistDataOptions(command);
  addCifarDataOptions(command, false);
  addLimitOptions(command);
  return command
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu', backendChoice, 'auto')
    .option('--workers <n>', WORKERS_HELP, integerIn(1, LIMITS.workers))
    .option('--out <dir>', 'run directory (default: runs/<model>-seed<seed>-<time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--keep-checkpoints', "keep every epoch's checkpoint, not only the latest")
    .option('--json', 'print the final metrics as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (options: TrainOptions) => {
      const resolved = await resolveConfig(options);
      let config = resolved.config;
      const out = options.out ?? path.join('runs', `${config.model}-seed${config.seed}-${timestamp()}`);
      await RunDirectory.validate(out, config, { resume: options.resume ?? false });
      const context = createContext(options);
      try {
        // Every setting is checked before the data are loaded (CIFAR-10's ZCA fit alone takes minutes).
        const backend = await selectBackend(options.backend);
        if (!resolved.workersKnown) config = { ...config, workers: defaultWorkers(backend.name) };
        checkWorkers(config.workers, backend.name);
        context.progress.log(`backend: ${backend.description}`);
        context.progress.log(`training: ${describeWorkers(config.workers, config.protocol.batchSize)}`);
        const data = await loadTrainingData(config.data, {
          ...cacheOption(options),
          log: (m) => context.progress.log(m),
        });
        context.progress.log(`data: ${data.description}`);
        context.progress.log(`run directory: ${path.resolve(out)}`);
        const { metrics } = await runExperiment({
          dir: out,
          config,
          data,
          backend: backend.name,
          resume: options.resume ?? false,
          context,
          label: `${config.model} seed ${config.seed}`,
          keepCheckpoints: options.keepCheckpoints ?? false,
        });
        context.print(
          options.json
            ? JSON.stringify({ ...metrics, runDirectory: path.resolve(out) }, null, 2)
            : `${config.model} seed ${config.seed}: ${describeMetrics(metrics)} -> ${path.resolve(out)}`,
        );
      } finally {
        context.dispose();
      }
    });
}

function cacheOption(options: DataOptions): { cacheDir?: string } {
  return options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir };
}

/**
 * The config of the run to train: from the options, or from the saved run with explicit changes on --resume.
 * `workersKnown` is false when neither --workers nor a saved run says how many workers: the backend decides.
 */
async function resolveConfig(options: TrainOptions): Promise<{ config: RunConfig; workersKnown: boolean }> {
  let saved: RunConfig | undefined;
  if (options.resume) {
    if (options.out === undefined) throw new UserError('--resume needs --out <dir>, the run to continue');
    saved = (await RunDirectory.load(options.out)).config;
  }
  const model = options.model ?? saved?.model;
  if (model === undefined) throw new UserError('--model is required (e.g. --model p4cnn)');
  const entry = findModel(model);
  const seed = options.seed ?? saved?.seed ?? 0;
  let protocol: TrainingProtocol;
  if (saved && saved.model === model) {
    protocol = { ...saved.protocol };
    if (options.epochs !== undefined) protocol = { ...protocol, epochs: options.epochs };
    if (options.evalEvery !== undefined) protocol = { ...protocol, evalEvery: options.evalEvery };
    if (options.batchSize !== undefined) protocol = { ...protocol, batchSize: options.batchSize };
    if (options.lr !== undefined) {
      protocol = { ...protocol, optimizer: { ...protocol.optimizer, learningRate: options.lr } };
    }
  } else {
    protocol = protocolFor(model, { ...options, learningRate: options.lr });
  }
  if (entry.dataset === 'mnist-rot' && (options.cifarDir !== undefined || options.augment)) {
    throw new UserError(`--cifar-dir and --augment are for the CIFAR-10 models, not ${cliName(entry)}`);
  }
  if (entry.dataset === 'cifar10' && options.amatDir !== undefined) {
    throw new UserError(`--amat-dir is for the MNIST-rot models, not ${cliName(entry)}`);
  }
  if (entry.dataset === 'cifar10' && options.cifarDir === undefined && saved?.data.dataset !== 'cifar10') {
    throw new UserError(
      `${cliName(entry)} trains on CIFAR-10: pass --cifar-dir <dir> (the cifar-10-batches-bin folder)`,
    );
  }
  const data = dataSpecFor(entry, options, saved?.data);
  const workers = options.workers ?? saved?.workers;
  return {
    config: runConfig(model, seed, protocol, data, options.backend, workers ?? 1),
    workersKnown: workers !== undefined,
  };
}

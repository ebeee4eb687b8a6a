import path from 'node:path';
import type { Command } from 'commander';
import type { ModelEntry } from '../integrations/models.js';
import type { DataSpec } from '../run/run-config.js';
import { LIMITS } from './limits.js';
import { integerIn } from './options.js';

/** Data options shared by train and the tables. */
export interface DataOptions {
  amatDir?: string;
  generatorSeed?: number;
  jitter?: boolean;
  cifarDir?: string;
  augment?: boolean;
  trainLimit?: number;
  testLimit?: number;
  cacheDir?: string;
}

/** Adds the MNIST-rot data options. */
export function addMnistDataOptions(command: Command): Command {
  return command
    .option(
      '--amat-dir <dir>',
      'read the original MNIST-rot .amat files from DIR instead of regenerating MNIST-rot',
    )
    .option(
      '--generator-seed <n>',
      'seed of the MNIST-rot regeneration (default 0)',
      integerIn(0, LIMITS.seed),
    )
    .option(
      '--jitter',
      "rotate training images by a random ±3.14° like the authors' script (not in the paper)",
    )
    .option('--cache-dir <dir>', "where regenerated data sets are cached (default: @gcnn/data's cache)");
}

/** Adds the CIFAR-10 data options. */
export function addCifarDataOptions(command: Command, required: boolean): Command {
  const help = 'folder with the CIFAR-10 binary files (data_batch_1.bin ... test_batch.bin)';
  return (
    required ? command.requiredOption('--cifar-dir <dir>', help) : command.option('--cifar-dir <dir>', help)
  ).option('--augment', 'CIFAR10+: random horizontal flips and translations of up to 2 px');
}

/** Adds --train-limit / --test-limit (use the first N images; for smoke runs and tests). */
export function addLimitOptions(command: Command): Command {
  return command
    .option(
      '--train-limit <n>',
      'train on the first N training images only (smoke runs)',
      integerIn(1, LIMITS.images),
    )
    .option(
      '--test-limit <n>',
      'evaluate on the first N test images only (smoke runs)',
      integerIn(1, LIMITS.images),
    );
}

/** The data spec for a model from the options, starting from a saved spec when resuming. */
export function dataSpecFor(entry: ModelEntry, options: DataOptions, saved?: DataSpec): DataSpec {
  const limits = {
    ...(options.trainLimit === undefined ? {} : { trainLimit: options.trainLimit }),
    ...(options.testLimit === undefined ? {} : { testLimit: options.testLimit }),
  };
  const jitter = options.jitter ? { jitter: true } : {};
  if (
    saved &&
    saved.dataset === entry.dataset &&
    options.amatDir === undefined &&
    options.cifarDir === undefined
  ) {
    return { ...saved, ...(saved.dataset === 'mnist-rot' ? jitter : {}), ...limits } as DataSpec;
  }
  if (entry.dataset === 'mnist-rot') {
    return options.amatDir !== undefined
      ? { dataset: 'mnist-rot', source: 'amat', amatDir: path.resolve(options.amatDir), ...jitter, ...limits }
      : {
          dataset: 'mnist-rot',
          source: 'generated',
          generatorSeed: options.generatorSeed ?? 0,
          ...jitter,
          ...limits,
        };
  }
  return {
    dataset: 'cifar10',
    cifarDir: path.resolve(options.cifarDir ?? 'cifar-10-batches-bin'),
    augment: options.augment ?? false,
    ...limits,
  };
}

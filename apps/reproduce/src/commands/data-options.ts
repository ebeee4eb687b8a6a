import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MNIST_ROT_AMAT_FILES, MNIST_ROT_AMAT_URL } from '@gcnn/data';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
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
  const help =
    'folder with the CIFAR-10 binary files (data_batch_1.bin ... test_batch.bin), or the folder it was unpacked in';
  return (
    required
      ? command.requiredOption('--cifar-dir <dir>', help, cifarDirectory)
      : command.option('--cifar-dir <dir>', help, cifarDirectory)
  ).option('--augment', 'CIFAR10+: random horizontal flips and translations of up to 2 px');
}

/**
 * The folder holding the CIFAR-10 batches: `dir` itself, or `dir/cifar-10-batches-bin` when `dir` is where
 * the archive was unpacked (the same rule as @gcnn/data's loadCifar10).
 */
export function cifarDirectory(dir: string): string {
  const nested = path.join(dir, 'cifar-10-batches-bin');
  if (!existsSync(path.join(dir, 'test_batch.bin')) && existsSync(path.join(nested, 'test_batch.bin'))) {
    return nested;
  }
  return dir;
}

/**
 * Throws a one-line UserError, worded for the CLI, when the existing directory `dir` lacks the MNIST-rot
 * .amat files (plain or .gz). A missing directory is reported later, with the download hint.
 */
export function checkAmatDirectory(dir: string): void {
  const isDirectory = (() => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isDirectory) return;
  const names = Object.values(MNIST_ROT_AMAT_FILES);
  const missing = names.filter(
    (name) => !existsSync(path.join(dir, name)) && !existsSync(path.join(dir, `${name}.gz`)),
  );
  if (missing.length > 0) {
    throw new UserError(
      `MNIST-rot: ${dir} is missing ${missing.join(' and ')} (plain or .gz); unzip ${MNIST_ROT_AMAT_URL} ` +
        'there, or leave out --amat-dir to regenerate MNIST-rot',
    );
  }
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
    if (options.amatDir !== undefined) checkAmatDirectory(options.amatDir);
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

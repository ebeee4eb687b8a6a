/**
 * The one place where the app meets @gcnn/data: loading MNIST-rot and CIFAR-10 as in-memory image sets,
 * preprocessed as the paper's protocols say (paper-spec §5).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  applyNormalization,
  type BatchTransform,
  CIFAR10_FILES,
  CIFAR10_URL,
  cifar10Augmentation,
  concatDatasets,
  DataFileError,
  generateRotatedMnist,
  type ImageDataset,
  loadCifar10,
  loadMnistRotAmat,
  MNIST_ROT_AMAT_FILES,
  MNIST_ROT_AMAT_URL,
  normalizationStats,
  preprocessCifar10,
  randomRotation,
  sliceDataset,
} from '@gcnn/data';
import { UserError } from '../errors.js';
import type { DataSpec } from '../run/run-config.js';

/** The train and test sets of one experiment, already preprocessed the way the protocol says. */
export interface TrainingData {
  /** Float pixels, normalised (MNIST-rot) or whitened (CIFAR-10). */
  readonly train: ImageDataset;
  readonly test: ImageDataset;
  readonly classes: number;
  /** A one-line human description, e.g. "MNIST-rot regenerated (seed 0): 12000 train / 50000 test". */
  readonly description: string;
  /** Values that a later `eval` needs to preprocess the same way (e.g. the normalisation mean and std). */
  readonly preprocessing: Record<string, unknown>;
  /** Per-batch augmentation of training images (jitter, CIFAR10+), seeded by the trainer. */
  readonly augment?: BatchTransform;
}

/** The original MNIST-rot file names (Larochelle et al., mnist_rotation_new.zip). */
export const AMAT_FILES = {
  train: MNIST_ROT_AMAT_FILES.trainValid,
  test: MNIST_ROT_AMAT_FILES.test,
} as const;

/** The CIFAR-10 binary file names (cifar-10-batches-bin). */
export const CIFAR_FILES: readonly string[] = Object.values(CIFAR10_FILES).flat();

/** Where to get CIFAR-10, for error messages. */
export const CIFAR_HELP = `download the binary version, ${CIFAR10_URL}, unpack it, and pass its cifar-10-batches-bin folder`;

const AMAT_HELP = `get ${MNIST_ROT_AMAT_URL} and unzip it there, or leave out --amat-dir to regenerate MNIST-rot`;

/** Options for loading that are not part of a run's identity. */
export interface LoadOptions {
  /** Where regenerated and preprocessed data sets are cached (default: @gcnn/data's). */
  cacheDir?: string;
  /** Progress messages for slow steps (generation, ZCA). */
  log?: (message: string) => void;
}

/**
 * Loads the data a run's `spec` names, preprocessed per its protocol: MNIST-rot (train = the 12,000 train +
 * valid images, test = 50,000) with one scalar mean/std from the training pixels; CIFAR-10 with per-image
 * GCN and ZCA fitted on the training set, plus flips and 2-px shifts per batch for CIFAR10+.
 */
export async function loadTrainingData(spec: DataSpec, options: LoadOptions = {}): Promise<TrainingData> {
  try {
    return spec.dataset === 'mnist-rot' ? await loadMnistRot(spec, options) : await loadCifar(spec, options);
  } catch (error) {
    if (error instanceof DataFileError) throw new UserError(error.message);
    throw error;
  }
}

async function loadMnistRot(spec: Extract<DataSpec, { dataset: 'mnist-rot' }>, options: LoadOptions) {
  let train: ImageDataset;
  let test: ImageDataset;
  let source: string;
  if (spec.source === 'amat') {
    const dir = spec.amatDir ?? '.';
    await checkReadableDirectory(dir, 'MNIST-rot', AMAT_HELP);
    // strictCounts off: tests and smoke runs use shortened files; the official sizes are reported below.
    const splits = await loadMnistRotAmat(dir, { strictCounts: false });
    train = concatDatasets(splits.train, splits.valid);
    test = splits.test;
    source = `MNIST-rot, original files in ${dir}`;
  } else {
    const seed = spec.generatorSeed ?? 0;
    let lastPhase = '';
    const generated = await generateRotatedMnist({
      seed,
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
      onProgress: (p) => {
        if (p.phase !== lastPhase && p.phase !== 'done') {
          lastPhase = p.phase;
          if (p.phase === 'rotate') options.log?.('regenerating MNIST-rot from MNIST (cached afterwards)');
        }
      },
    });
    train = concatDatasets(generated.train, generated.valid);
    test = generated.test;
    source = `MNIST-rot regenerated from MNIST (seed ${seed}, cache ${generated.cache.status})`;
  }
  train = firstImages(train, spec.trainLimit);
  test = firstImages(test, spec.testLimit);
  const stats = normalizationStats(train);
  return {
    train: applyNormalization(train, stats),
    test: applyNormalization(test, stats),
    classes: 10,
    description:
      `${source}: ${train.count} train / ${test.count} test images, ` +
      `normalised with mean ${stats.mean.toFixed(4)}, std ${stats.std.toFixed(4)}` +
      `${spec.jitter ? ', ±3.14° rotation jitter in training' : ''}`,
    preprocessing: { normalization: { mean: stats.mean, std: stats.std }, jitter: spec.jitter ?? false },
    ...(spec.jitter ? { augment: JITTER } : {}),
  } satisfies TrainingData;
}

async function loadCifar(
  spec: Extract<DataSpec, { dataset: 'cifar10' }>,
  options: LoadOptions,
): Promise<TrainingData> {
  await checkReadableFiles(spec.cifarDir, CIFAR_FILES, 'CIFAR-10', CIFAR_HELP);
  const splits = await loadCifar10(spec.cifarDir);
  let lastPhase = '';
  const preprocessed = await preprocessCifar10(splits, {
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    onProgress: (p) => {
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        options.log?.(`CIFAR-10 preprocessing: ${p.phase}`);
      }
    },
  });
  const train = firstImages(preprocessed.train, spec.trainLimit);
  const test = firstImages(preprocessed.test, spec.testLimit);
  return {
    train,
    test,
    classes: 10,
    description:
      `CIFAR-10 from ${spec.cifarDir}: ${train.count} train / ${test.count} test images, GCN + ZCA` +
      `${spec.augment ? ', CIFAR10+ augmentation (flips, shifts of up to 2 px)' : ''}`,
    preprocessing: { gcn: true, zca: { epsilon: 1e-5 }, augment: spec.augment },
    ...(spec.augment ? { augment: cifar10Augmentation() } : {}),
  };
}

/** The authors' MNIST-rot jitter: skimage's rotate by U(−0.5, 0.5)·2π read as degrees, i.e. up to ±π°. */
const JITTER = randomRotation({ maxAngle: (Math.PI * Math.PI) / 180 });

/** The first `limit` images (all when undefined). */
export function firstImages(set: ImageDataset, limit: number | undefined): ImageDataset {
  return limit === undefined || limit >= set.count ? set : sliceDataset(set, 0, limit);
}

/** A UserError when `dir` is missing or not a directory. */
async function checkReadableDirectory(dir: string, what: string, help: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new UserError(`${what} directory ${dir} does not exist; ${help}`);
  if (!stat.isDirectory()) throw new UserError(`${what} directory ${dir} is not a directory`);
}

/** A UserError naming the missing files, the expected names and where to get them. */
export async function checkReadableFiles(
  dir: string,
  names: readonly string[],
  what: string,
  help: string,
): Promise<void> {
  await checkReadableDirectory(dir, what, help);
  const missing: string[] = [];
  for (const name of names) {
    try {
      await fs.access(path.join(dir, name), fs.constants.R_OK);
    } catch {
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new UserError(
      `${what}: ${dir} lacks ${missing.join(', ')} (expected ${names.join(', ')}); ${help}`,
    );
  }
}

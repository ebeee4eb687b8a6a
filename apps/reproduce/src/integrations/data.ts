/**
 * The one place where the app meets @gcnn/data: loading MNIST-rot and CIFAR-10 as in-memory image sets,
 * preprocessed as the paper's protocols say.
 *
 * STAND-IN until @gcnn/data lands: the .amat reader below is a minimal line parser, and regenerated
 * MNIST-rot and CIFAR-10 say that they need the package. Replace the bodies with the package's
 * `generateRotatedMnist`, `readAmat` and `loadCifar10` (+ GCN/ZCA and augmentation).
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  type ImageSet,
  normalizeSet,
  scalarMoments,
  type TrainingData,
  takeFirst,
} from '../engine/dataset.js';
import { UserError } from '../errors.js';
import type { DataSpec } from '../run/run-config.js';

/** The original MNIST-rot file names (Larochelle et al., mnist_rotation_new.zip). */
export const AMAT_FILES = {
  train: 'mnist_all_rotation_normalized_float_train_valid.amat',
  test: 'mnist_all_rotation_normalized_float_test.amat',
} as const;

/** The CIFAR-10 binary file names (cifar-10-batches-bin). */
export const CIFAR_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
] as const;

/** Options for loading that are not part of a run's identity. */
export interface LoadOptions {
  /** Where regenerated data sets are cached. */
  cacheDir?: string;
  /** Progress messages for slow steps (generation, ZCA). */
  log?: (message: string) => void;
}

/**
 * Loads the data a run's `spec` names, preprocessed per its protocol: MNIST-rot with one scalar mean/std
 * from the training pixels; CIFAR-10 with GCN + ZCA (and augmentation for CIFAR10+).
 */
export async function loadTrainingData(spec: DataSpec, options: LoadOptions = {}): Promise<TrainingData> {
  if (spec.dataset === 'mnist-rot') return loadMnistRot(spec, options);
  return loadCifar(spec);
}

async function loadMnistRot(spec: Extract<DataSpec, { dataset: 'mnist-rot' }>, _options: LoadOptions) {
  let train: ImageSet;
  let test: ImageSet;
  let source: string;
  if (spec.source === 'amat') {
    const dir = spec.amatDir ?? '.';
    await checkReadableFiles(dir, Object.values(AMAT_FILES), 'MNIST-rot', AMAT_HELP);
    train = await readAmat(path.join(dir, AMAT_FILES.train), spec.trainLimit);
    test = await readAmat(path.join(dir, AMAT_FILES.test), spec.testLimit);
    source = `MNIST-rot from ${dir}`;
  } else {
    throw new UserError(
      'regenerating MNIST-rot needs @gcnn/data, which this build does not include yet; pass --amat-dir with the original files',
    );
  }
  train = takeFirst(train, spec.trainLimit);
  test = takeFirst(test, spec.testLimit);
  const { mean, std } = scalarMoments(train.images);
  return {
    train: normalizeSet(train, mean, std),
    test: normalizeSet(test, mean, std),
    classes: 10,
    description: `${source}: ${train.count} train / ${test.count} test, normalised with mean ${mean.toFixed(4)} std ${std.toFixed(4)}`,
    preprocessing: { normalization: { mean, std } },
  } satisfies TrainingData;
}

async function loadCifar(spec: Extract<DataSpec, { dataset: 'cifar10' }>): Promise<TrainingData> {
  await checkReadableFiles(spec.cifarDir, CIFAR_FILES, 'CIFAR-10', CIFAR_HELP);
  throw new UserError('CIFAR-10 needs @gcnn/data, which this build does not include yet');
}

const AMAT_HELP =
  'get mnist_rotation_new.zip (Larochelle et al. 2007, from the "Variations on MNIST" page of the Université de Montréal LISA lab) and unzip it there, or leave out --amat-dir to regenerate MNIST-rot';
const CIFAR_HELP =
  'download the binary version, https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, and pass its cifar-10-batches-bin folder';

/** A UserError naming the missing files, the expected names and where to get them. */
export async function checkReadableFiles(
  dir: string,
  names: readonly string[],
  what: string,
  help: string,
): Promise<void> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new UserError(`${what} directory ${dir} does not exist; ${help}`);
  if (!stat.isDirectory()) throw new UserError(`${what} directory ${dir} is not a directory`);
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

/** Reads an .amat file: one image per line, 784 floats in [0, 1] and the label as a float last. */
async function readAmat(file: string, limit?: number): Promise<ImageSet> {
  const pixels: number[] = [];
  const labels: number[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    if (limit !== undefined && labels.length >= limit) break;
    const values = line.trim().split(/\s+/).map(Number);
    if (values.length !== 785 || values.some((v) => !Number.isFinite(v))) {
      throw new UserError(
        `${file}:${lineNumber}: expected 785 numbers (784 pixels and a label), got ${values.length}`,
      );
    }
    for (let i = 0; i < 784; i++) pixels.push(values[i]!);
    labels.push(values[784]!);
  }
  lines.close();
  return {
    images: Float32Array.from(pixels),
    labels: Int32Array.from(labels),
    count: labels.length,
    shape: [28, 28, 1],
  };
}

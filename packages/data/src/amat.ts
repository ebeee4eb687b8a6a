import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createDataset, type ImageDataset, sliceDataset } from './dataset.js';
import { DataFileError } from './errors.js';
import { findPlainOrGzip, openMaybeGzipStream } from './files.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const COLUMNS = PIXELS + 1;

/** The file names of the original MNIST-rot release (`mnist_rotation_new.zip`, Larochelle et al. 2007). */
export const MNIST_ROT_AMAT_FILES = {
  trainValid: 'mnist_all_rotation_normalized_float_train_valid.amat',
  test: 'mnist_all_rotation_normalized_float_test.amat',
} as const;

/** Where the original MNIST-rot files can be downloaded (a zip holding the two `.amat` files). */
export const MNIST_ROT_AMAT_URL = 'http://www.iro.umontreal.ca/~lisa/icml2007data/mnist_rotation_new.zip';

/** Options of {@link readAmat}. */
export interface ReadAmatOptions {
  /** Called every 5,000 lines with the number of examples read so far. */
  onProgress?: (examples: number) => void;
}

/**
 * Reads an `.amat` file of MNIST-rot (plain text, one example per line: 784 pixel values in [0, 1], row-major
 * 28x28, then the label as a float) as a data set of 28x28x1 float images. The file is streamed line by line
 * (gzip is recognised and decompressed on the fly), so its text is never held in memory. Every line is checked:
 * 785 numbers, all finite, pixels in [0, 1], the label an integer 0-9; an error names the file and the line.
 */
export async function readAmat(path: string, options: ReadAmatOptions = {}): Promise<ImageDataset> {
  const stream = await openMaybeGzipStream(path);
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let capacity = 1024;
  let images = new Float32Array(capacity * PIXELS);
  let labels = new Uint8Array(capacity);
  let count = 0;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      const text = line.trim();
      if (text === '') continue;
      if (count === capacity) {
        capacity *= 2;
        const grownImages = new Float32Array(capacity * PIXELS);
        grownImages.set(images);
        images = grownImages;
        const grownLabels = new Uint8Array(capacity);
        grownLabels.set(labels);
        labels = grownLabels;
      }
      labels[count] = parseAmatLine(text, images, count * PIXELS, path, lineNumber);
      count++;
      if (count % 5000 === 0) options.onProgress?.(count);
    }
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  } finally {
    lines.close();
    stream.destroy();
  }
  if (count === 0) throw new DataFileError(path, 'holds no examples');
  options.onProgress?.(count);
  return createDataset({
    images: images.slice(0, count * PIXELS),
    labels: labels.slice(0, count),
    height: SIDE,
    width: SIDE,
    channels: 1,
  });
}

/** Parses one line into `images` at `offset` and returns its label; throws naming the line on any problem. */
function parseAmatLine(
  text: string,
  images: Float32Array,
  offset: number,
  path: string,
  lineNumber: number,
): number {
  const tokens = text.split(/\s+/);
  if (tokens.length !== COLUMNS) {
    throw new DataFileError(
      path,
      `line ${lineNumber} has ${tokens.length} values, expected ${COLUMNS} (784 pixels and a label)`,
    );
  }
  for (let k = 0; k < PIXELS; k++) {
    const value = Number(tokens[k]);
    if (!(value >= 0 && value <= 1)) {
      const what = Number.isNaN(value)
        ? `is not a number (${JSON.stringify(tokens[k])})`
        : `is ${value}, outside [0, 1]`;
      throw new DataFileError(path, `line ${lineNumber}, pixel ${k + 1} ${what}`);
    }
    images[offset + k] = value;
  }
  const label = Number(tokens[PIXELS]);
  if (!Number.isInteger(label) || label < 0 || label > 9) {
    throw new DataFileError(
      path,
      `line ${lineNumber}: label ${JSON.stringify(tokens[PIXELS])} is not an integer 0-9`,
    );
  }
  return label;
}

/** MNIST-rot as the paper uses it: 10,000 train, 2,000 valid and 50,000 test images. */
export interface MnistRotSplits {
  readonly train: ImageDataset;
  readonly valid: ImageDataset;
  readonly test: ImageDataset;
}

/** Options of {@link loadMnistRotAmat}. */
export interface LoadMnistRotAmatOptions extends ReadAmatOptions {
  /**
   * Require the official sizes (12,000 train+valid lines, 50,000 test lines). Default true; with false, valid is the
   * last 2,000 examples of the train_valid file (or none if it has fewer) and train the rest.
   */
  strictCounts?: boolean;
}

/**
 * Loads the original MNIST-rot files from `dir` (the two `.amat` files of {@link MNIST_ROT_AMAT_FILES}, plain or
 * `.gz`): train = lines 1-10,000 of the train_valid file, valid = lines 10,001-12,000, test = the test file, as the
 * authors' experiment code splits them. Missing files give an error that lists the expected names and where to get
 * them.
 */
export async function loadMnistRotAmat(
  dir: string,
  options: LoadMnistRotAmatOptions = {},
): Promise<MnistRotSplits> {
  const paths = Object.fromEntries(
    Object.entries(MNIST_ROT_AMAT_FILES).map(([key, name]) => [key, findPlainOrGzip(join(dir, name))]),
  ) as Record<keyof typeof MNIST_ROT_AMAT_FILES, string | undefined>;
  const missing = Object.entries(MNIST_ROT_AMAT_FILES)
    .filter(([key]) => paths[key as keyof typeof MNIST_ROT_AMAT_FILES] === undefined)
    .map(([, name]) => name);
  if (missing.length > 0) {
    throw new DataFileError(
      dir,
      `missing ${missing.join(' and ')} (plain or .gz). Expected ${Object.values(MNIST_ROT_AMAT_FILES).join(' and ')}, from ${MNIST_ROT_AMAT_URL} (unzip it into this directory), or regenerate the set with generateRotatedMnist()`,
    );
  }
  const trainValidPath = paths.trainValid!;
  const testPath = paths.test!;
  const trainValid = await readAmat(trainValidPath, options);
  const test = await readAmat(testPath, options);
  const strict = options.strictCounts ?? true;
  if (strict && trainValid.count !== 12_000) {
    throw new DataFileError(trainValidPath, `has ${trainValid.count} examples, expected 12,000`);
  }
  if (strict && test.count !== 50_000)
    throw new DataFileError(testPath, `has ${test.count} examples, expected 50,000`);
  const validCount = Math.min(2_000, trainValid.count);
  const trainCount = trainValid.count - validCount;
  return {
    train: sliceDataset(trainValid, 0, trainCount),
    valid: sliceDataset(trainValid, trainCount, trainValid.count),
    test,
  };
}

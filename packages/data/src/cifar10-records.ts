import { createDataset, type ImageDataset } from './dataset.js';
import { DataFileError } from './errors.js';

const SIDE = 32;
const CHANNELS = 3;
const PLANE = SIDE * SIDE;
/** Bytes of one record: a label byte and the 3x32x32 pixels (3073). */
export const RECORD_BYTES = 1 + CHANNELS * PLANE;

/** The file names of the CIFAR-10 binary version, training batches first. */
export const CIFAR10_FILES = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
} as const;

/** Where the CIFAR-10 binary version can be downloaded. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';

/** The class names of CIFAR-10, by label. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** CIFAR-10 as two splits of 32x32x3 byte images. */
export interface Cifar10Splits {
  /** 50,000 images (the five training batches in order). */
  readonly train: ImageDataset;
  /** 10,000 images. */
  readonly test: ImageDataset;
}

/** Options of {@link parseCifar10}. */
export interface ParseCifar10Options {
  /** Records each batch must hold. Default: as many as the bytes hold (a whole number is required). */
  recordsPerFile?: number;
  /** Names of the batches for error messages (e.g. their file names or URLs). */
  names?: readonly string[];
}

/**
 * CIFAR-10 batches of the binary version (each record a label byte, then the red, green and blue 32x32 planes)
 * decoded into one NHWC byte data set, with no file system: the bytes may come from `fetch`. Checks the length of
 * each batch and every label; a bad batch gives a DataFileError naming it.
 */
export function parseCifar10(
  batches: Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[],
  options: ParseCifar10Options = {},
): ImageDataset {
  const list = (Array.isArray(batches) ? batches : [batches]) as readonly (Uint8Array | ArrayBuffer)[];
  const files = list.map((b) => (b instanceof Uint8Array ? b : new Uint8Array(b)));
  const names = files.map((_, f) => options.names?.[f] ?? `CIFAR-10 batch ${f}`);
  const perFile = files.map((bytes, f) => {
    const records = options.recordsPerFile ?? bytes.length / RECORD_BYTES;
    if (!Number.isInteger(records) || records * RECORD_BYTES !== bytes.length) {
      throw new DataFileError(
        names[f]!,
        `is ${bytes.length} bytes, not ${options.recordsPerFile === undefined ? 'a whole number of' : records} ${RECORD_BYTES}-byte records (a label and 3x32x32 pixels)`,
      );
    }
    return records;
  });
  const count = perFile.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(count * CHANNELS * PLANE);
  const labels = new Uint8Array(count);
  let n = 0;
  for (let f = 0; f < files.length; f++) {
    const bytes = files[f]!;
    for (let r = 0; r < perFile[f]!; r++, n++) {
      const record = r * RECORD_BYTES;
      const label = bytes[record]!;
      if (label > 9)
        throw new DataFileError(names[f]!, `record ${r} has label ${label}, expected a class 0-9`);
      labels[n] = label;
      // CHW planes -> HWC pixels
      const out = n * CHANNELS * PLANE;
      for (let c = 0; c < CHANNELS; c++) {
        const plane = record + 1 + c * PLANE;
        for (let p = 0; p < PLANE; p++) images[out + p * CHANNELS + c] = bytes[plane + p]!;
      }
    }
  }
  return createDataset({ images, labels, height: SIDE, width: SIDE, channels: CHANNELS });
}

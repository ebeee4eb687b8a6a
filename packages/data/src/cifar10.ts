import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CIFAR10_FILES,
  CIFAR10_URL,
  type Cifar10Splits,
  parseCifar10,
  RECORD_BYTES,
} from './cifar10-records.js';
import type { ImageDataset } from './dataset.js';
import { DataFileError } from './errors.js';

/** Options of {@link loadCifar10}. */
export interface LoadCifar10Options {
  /** Records each file must hold. Default 10,000 (the official files); smaller values are for tests. */
  recordsPerFile?: number;
}

/**
 * Loads CIFAR-10 from its binary version: `data_batch_1.bin` .. `data_batch_5.bin` and `test_batch.bin` in `dir`
 * (or in `dir/cifar-10-batches-bin`, as the archive unpacks). Each record is a label byte followed by 3,072 bytes,
 * the red, green and blue 32x32 planes; they are returned as NHWC bytes (byte / 255 in [0, 1]). Missing files or
 * wrong sizes give a {@link DataFileError} that lists the expected names and where to get them.
 */
export async function loadCifar10(dir: string, options: LoadCifar10Options = {}): Promise<Cifar10Splits> {
  const recordsPerFile = options.recordsPerFile ?? 10_000;
  if (!Number.isInteger(recordsPerFile) || recordsPerFile < 1) {
    throw new RangeError(`loadCifar10: recordsPerFile must be a positive integer, got ${recordsPerFile}`);
  }
  const base = resolveCifarDir(dir);
  const all = [...CIFAR10_FILES.train, ...CIFAR10_FILES.test];
  const missing = all.filter((name) => !existsSync(join(base, name)));
  if (missing.length > 0) {
    throw new DataFileError(
      base,
      `missing CIFAR-10 file(s) ${missing.join(', ')}. Expected the binary version's ${all.join(', ')}; download ${CIFAR10_URL} and unpack it (tar xzf) into this directory`,
    );
  }
  const expectedBytes = recordsPerFile * RECORD_BYTES;
  for (const name of all) {
    const path = join(base, name);
    const { size } = await stat(path);
    if (size !== expectedBytes) {
      const records =
        size % RECORD_BYTES === 0
          ? `${size / RECORD_BYTES} records`
          : `not a whole number of ${RECORD_BYTES}-byte records`;
      throw new DataFileError(
        path,
        `is ${size} bytes (${records}), expected ${expectedBytes} (${recordsPerFile} records of ${RECORD_BYTES} bytes: a label and 3x32x32 pixels). Is it the binary version (${CIFAR10_URL}), not the python or matlab one?`,
      );
    }
  }
  const [train, test] = await Promise.all([
    readRecords(
      CIFAR10_FILES.train.map((name) => join(base, name)),
      recordsPerFile,
    ),
    readRecords(
      CIFAR10_FILES.test.map((name) => join(base, name)),
      recordsPerFile,
    ),
  ]);
  return { train, test };
}

function resolveCifarDir(dir: string): string {
  const nested = join(dir, 'cifar-10-batches-bin');
  if (!existsSync(join(dir, CIFAR10_FILES.test[0])) && existsSync(join(nested, CIFAR10_FILES.test[0])))
    return nested;
  return dir;
}

/** Reads batch files into one NHWC byte data set, checking every label. */
async function readRecords(paths: readonly string[], recordsPerFile: number): Promise<ImageDataset> {
  const files = await Promise.all(paths.map((path) => readFile(path)));
  return parseCifar10(files, { recordsPerFile, names: paths });
}

import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, writeFileAtomic } from './cache.js';
import type { Cifar10Splits } from './cifar10-records.js';
import { globalContrastNormalize } from './contrast.js';
import type { ImageDataset } from './dataset.js';
import { sha256, toHex } from './rotated-mnist-format.js';
import { applyZca, fitZca } from './zca.js';

const MAGIC = 'GCNNCZCA';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 128;

/** A progress report of {@link preprocessCifar10}. */
export interface Cifar10PreprocessProgress {
  phase:
    | 'read-cache'
    | 'gcn'
    | 'covariance'
    | 'eigen'
    | 'matrix'
    | 'whiten-train'
    | 'whiten-test'
    | 'write-cache';
  /** Share of the phase done, 0 to 1. */
  fraction: number;
}

/** Options of {@link preprocessCifar10}. */
export interface PreprocessCifar10Options {
  /** ε of the ZCA whitening. Default 1e-5. */
  epsilon?: number;
  /** Cache directory. Default `$GCNN_CACHE_DIR` or `~/.cache/gcnn`. */
  cacheDir?: string;
  /** `false` neither reads nor writes the cache. Default true. */
  cache?: boolean;
  /** Called as the work advances; the full fit and whitening take minutes. */
  onProgress?: (progress: Cifar10PreprocessProgress) => void;
}

/** CIFAR-10 after the authors' preprocessing, plus how the cache was used. */
export interface PreprocessedCifar10 {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
  /** The cache file and whether it was read ('hit'), written ('created') or not used ('off' / 'unwritable'). */
  readonly cache: {
    file: string | undefined;
    status: 'hit' | 'created' | 'off' | 'unwritable';
    reason?: string;
  };
}

/**
 * The authors' CIFAR-10 preprocessing: per-image global contrast normalisation of train and test,
 * then ZCA whitening fitted on the (normalised) training set and applied to both. The result (float32, about
 * 740 MB for the full set) is cached under `cacheDir`, keyed by the SHA-256 of the raw images and ε, because the
 * fit and the whitening take minutes; a cache whose header, size or content hash does not match is recomputed.
 */
export async function preprocessCifar10(
  splits: Cifar10Splits,
  options: PreprocessCifar10Options = {},
): Promise<PreprocessedCifar10> {
  const epsilon = options.epsilon ?? 1e-5;
  const progress = options.onProgress;
  const { train, test } = splits;
  const sourceDigest = sha256([train.images, train.labels, test.images, test.labels]);
  const file =
    options.cache === false
      ? undefined
      : join(
          options.cacheDir ?? defaultCacheDir(),
          `cifar10-gcn-zca-v${FORMAT_VERSION}-${toHex(sourceDigest).slice(0, 16)}-eps${epsilon}.bin`,
        );

  if (file !== undefined) {
    progress?.({ phase: 'read-cache', fraction: 0 });
    const cached = await readCache(file, splits, epsilon, sourceDigest);
    progress?.({ phase: 'read-cache', fraction: 1 });
    if (cached !== undefined) return { ...cached, cache: { file, status: 'hit' } };
  }

  progress?.({ phase: 'gcn', fraction: 0 });
  const trainGcn = globalContrastNormalize(train);
  const testGcn = globalContrastNormalize(test);
  progress?.({ phase: 'gcn', fraction: 1 });
  const zca = fitZca(trainGcn, {
    epsilon,
    onProgress: ({ phase, fraction }) =>
      progress?.({ phase: phase as Cifar10PreprocessProgress['phase'], fraction }),
  });
  const whitenedTrain = applyZca(trainGcn, zca, {
    onProgress: ({ fraction }) => progress?.({ phase: 'whiten-train', fraction }),
  });
  const whitenedTest = applyZca(testGcn, zca, {
    onProgress: ({ fraction }) => progress?.({ phase: 'whiten-test', fraction }),
  });
  const result = { train: whitenedTrain, test: whitenedTest };
  if (file === undefined) return { ...result, cache: { file, status: 'off' } };
  progress?.({ phase: 'write-cache', fraction: 0 });
  try {
    await writeCache(file, result.train, result.test, epsilon, sourceDigest);
    progress?.({ phase: 'write-cache', fraction: 1 });
    return { ...result, cache: { file, status: 'created' } };
  } catch (error) {
    return { ...result, cache: { file, status: 'unwritable', reason: (error as Error).message } };
  }
}

function payloadLayout(trainCount: number, testCount: number, size: number) {
  const labelsEnd = HEADER_BYTES + trainCount + testCount;
  const imagesStart = Math.ceil(labelsEnd / 4) * 4;
  return { labelsEnd, imagesStart, total: imagesStart + (trainCount + testCount) * size * 4 };
}

function floatBytes(values: Float32Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
  return bytes;
}

function readFloats(bytes: Uint8Array, offset: number, count: number): Float32Array {
  if (endianness() === 'LE' && (bytes.byteOffset + offset) % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset + offset, count);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

async function writeCache(
  file: string,
  train: ImageDataset,
  test: ImageDataset,
  epsilon: number,
  sourceDigest: Uint8Array,
): Promise<void> {
  const size = train.height * train.width * train.channels;
  const layout = payloadLayout(train.count, test.count, size);
  const padding = new Uint8Array(layout.imagesStart - layout.labelsEnd);
  const chunks = [
    train.labels,
    test.labels,
    padding,
    floatBytes(train.images as Float32Array),
    floatBytes(test.images as Float32Array),
  ];
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  for (let i = 0; i < 8; i++) header[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setFloat64(12, epsilon, true);
  [train.count, test.count, train.height, train.width, train.channels].forEach((word, i) => {
    view.setUint32(20 + 4 * i, word, true);
  });
  header.set(sourceDigest, 40);
  header.set(sha256(chunks), 72);
  await writeFileAtomic(file, [header, ...chunks]);
}

async function readCache(
  file: string,
  splits: Cifar10Splits,
  epsilon: number,
  sourceDigest: Uint8Array,
): Promise<{ train: ImageDataset; test: ImageDataset } | undefined> {
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(file);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch {
    return undefined;
  }
  const { train, test } = splits;
  const size = train.height * train.width * train.channels;
  const layout = payloadLayout(train.count, test.count, size);
  if (bytes.length !== layout.total || String.fromCharCode(...bytes.subarray(0, 8)) !== MAGIC)
    return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const words = [0, 1, 2, 3, 4].map((i) => view.getUint32(20 + 4 * i, true));
  const expected = [train.count, test.count, train.height, train.width, train.channels];
  if (view.getUint32(8, true) !== FORMAT_VERSION || view.getFloat64(12, true) !== epsilon) return undefined;
  if (words.some((w, i) => w !== expected[i])) return undefined;
  if (toHex(bytes.subarray(40, 72)) !== toHex(sourceDigest)) return undefined;
  if (toHex(sha256([bytes.subarray(HEADER_BYTES)])) !== toHex(bytes.subarray(72, 104))) return undefined;
  const trainImages = readFloats(bytes, layout.imagesStart, train.count * size);
  const testImages = readFloats(bytes, layout.imagesStart + train.count * size * 4, test.count * size);
  return {
    train: { ...train, images: trainImages, labels: bytes.slice(HEADER_BYTES, HEADER_BYTES + train.count) },
    test: { ...test, images: testImages, labels: bytes.slice(HEADER_BYTES + train.count, layout.labelsEnd) },
  };
}

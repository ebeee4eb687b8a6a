import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCacheDir, writeFileAtomic } from './cache.js';
import { createDataset, type ImageDataset } from './dataset.js';
import { loadMnist, type MnistSplits } from './mnist.js';
import { Rng, seedWords } from './random.js';
import { rotateInto } from './rotate.js';
import {
  decodeHeader,
  decodePayload,
  encodeHeader,
  fileBytes,
  payloadChunks,
  ROTATED_MNIST_ALGORITHM_VERSION,
  ROTATED_MNIST_FORMAT_VERSION,
  type RotatedMnistPayload,
  sha256,
  toHex,
} from './rotated-mnist-format.js';
import { sinCosTurns } from './trig.js';

const SIDE = 28;
const IMAGE_SIZE = SIDE * SIDE;
const MNIST_TOTAL = 70_000;
const TWO_POW_32 = 4294967296;
/** Extra seed word that separates this generator's random stream from others seeded with the same number. */
const STREAM_ROTATED_MNIST = 0x524f5431; // 'ROT1'

/** The sizes of the three splits; the default is MNIST-rot's 10,000 / 2,000 / 50,000. */
export interface RotatedMnistCounts {
  train: number;
  valid: number;
  test: number;
}

/** MNIST-rot's split sizes (Larochelle et al. 2007). */
export const ROTATED_MNIST_COUNTS: Readonly<RotatedMnistCounts> = Object.freeze({
  train: 10_000,
  valid: 2_000,
  test: 50_000,
});

/** A progress report of {@link generateRotatedMnist}. */
export interface RotatedMnistProgress {
  phase: 'load-mnist' | 'read-cache' | 'rotate' | 'write-cache' | 'done';
  /** Images (for 'rotate') or steps done so far. */
  done: number;
  total: number;
}

/** Options of {@link generateRotatedMnist}. */
export interface GenerateRotatedMnistOptions {
  /** Seed of the draw and the angles: a non-negative integer up to 2^53 - 1. Default 0. */
  seed?: number;
  /** Directory of the cache file. Default {@link defaultCacheDir} (`$GCNN_CACHE_DIR` or `~/.cache/gcnn`). */
  cacheDir?: string;
  /** `false` neither reads nor writes a cache. Default true. */
  cache?: boolean;
  /** Split sizes (their sum at most 70,000). Default {@link ROTATED_MNIST_COUNTS}. */
  counts?: RotatedMnistCounts;
  /** Source MNIST: a directory of IDX files (see `loadMnist`) or already loaded splits. Default: the shipped files. */
  mnist?: string | MnistSplits;
  /** Called as the work advances (every 2,000 images while rotating). */
  onProgress?: (progress: RotatedMnistProgress) => void;
}

/** How the cache was used. */
export interface RotatedMnistCacheInfo {
  /** The cache file, or undefined when caching is off. */
  file: string | undefined;
  /**
   * 'hit': loaded from the cache. 'created': generated and written (no cache before). 'rebuilt': the cache existed
   * but was corrupt or stale and was replaced. 'off': caching disabled. 'unwritable': generated, but the cache
   * could not be written (see `reason`).
   */
  status: 'hit' | 'created' | 'rebuilt' | 'off' | 'unwritable';
  /** Why the existing cache was rejected or could not be written. */
  reason?: string;
}

/** A generated MNIST-rot set. */
export interface RotatedMnist {
  /** 10,000 images by default, 28x28x1 bytes (byte / 255 in [0, 1]). */
  readonly train: ImageDataset;
  /** 2,000 images by default. */
  readonly valid: ImageDataset;
  /** 50,000 images by default. */
  readonly test: ImageDataset;
  /** The seed it was generated from. */
  readonly seed: number;
  /** SHA-256 (hex) of the content: labels, source indices, angles and pixels. Equal seeds give equal hashes. */
  readonly hash: string;
  /** For each image (train, then valid, then test): its index in MNIST's 70,000 (train 0-59,999, then test). */
  readonly sourceIndices: Uint32Array;
  /** For each image: the rotation angle in radians, in [0, 2π). */
  readonly angles: Float64Array;
  /** How the cache was used. */
  readonly cache: RotatedMnistCacheInfo;
}

/**
 * Regenerates MNIST-rot from MNIST, deterministically: `seed` fixes which 62,000 distinct digits are drawn from the
 * 70,000 of MNIST (train then test), their order (10,000 train / 2,000 valid / 50,000 test) and one angle per digit,
 * uniform in [0, 2π). Each digit is rotated counter-clockwise by its angle about the image centre (13.5, 13.5) with
 * bilinear interpolation and zero fill, and rounded to a byte. The bytes are the same on any machine (integer
 * random generator, machine-independent sine and cosine, IEEE arithmetic only; see docs/data.md).
 *
 * The result is cached in a binary file (header with version, seed, counts, source and content SHA-256) under
 * `cacheDir`, written atomically; later calls load it in well under a second. A cache that is corrupt or stale
 * (other version, seed, counts or source) is rebuilt.
 */
export async function generateRotatedMnist(options: GenerateRotatedMnistOptions = {}): Promise<RotatedMnist> {
  const { seed = 0, onProgress } = options;
  const [seedLow, seedHigh] = seedWords(seed, 'generateRotatedMnist: seed');
  const counts = validateCounts(options.counts ?? ROTATED_MNIST_COUNTS);
  const total = counts.train + counts.valid + counts.test;

  onProgress?.({ phase: 'load-mnist', done: 0, total: 1 });
  const mnist = typeof options.mnist === 'object' ? options.mnist : await loadMnist({ dir: options.mnist });
  checkSource(mnist);
  const sourceDigest = sha256([mnist.train.images, mnist.train.labels, mnist.test.images, mnist.test.labels]);
  onProgress?.({ phase: 'load-mnist', done: 1, total: 1 });

  const useCache = options.cache !== false;
  const file = useCache
    ? join(
        options.cacheDir ?? defaultCacheDir(),
        `mnist-rot-v${ROTATED_MNIST_ALGORITHM_VERSION}-seed${seed}-${counts.train}-${counts.valid}-${counts.test}.bin`,
      )
    : undefined;

  const expected = {
    formatVersion: ROTATED_MNIST_FORMAT_VERSION,
    algorithmVersion: ROTATED_MNIST_ALGORITHM_VERSION,
    seedLow,
    seedHigh,
    ...counts,
    height: SIDE,
    width: SIDE,
    sourceDigest,
  };

  let rejected: string | undefined;
  if (file !== undefined) {
    onProgress?.({ phase: 'read-cache', done: 0, total: 1 });
    const cached = await readCache(file, expected, total);
    onProgress?.({ phase: 'read-cache', done: 1, total: 1 });
    if (typeof cached === 'object') {
      onProgress?.({ phase: 'done', done: total, total });
      return assemble(cached.payload, counts, seed, cached.digest, { file, status: 'hit' });
    }
    rejected = cached === 'missing' ? undefined : cached;
  }

  const payload = rotateDigits(mnist, seed, total, onProgress);
  const chunks = payloadChunks(payload);
  const payloadDigest = sha256(chunks);
  let cache: RotatedMnistCacheInfo = { file, status: 'off' };
  if (file !== undefined) {
    onProgress?.({ phase: 'write-cache', done: 0, total: 1 });
    try {
      await writeFileAtomic(file, [encodeHeader({ ...expected, payloadDigest }), ...chunks]);
      cache =
        rejected === undefined ? { file, status: 'created' } : { file, status: 'rebuilt', reason: rejected };
    } catch (error) {
      cache = { file, status: 'unwritable', reason: (error as Error).message };
    }
    onProgress?.({ phase: 'write-cache', done: 1, total: 1 });
  }
  onProgress?.({ phase: 'done', done: total, total });
  return assemble(payload, counts, seed, payloadDigest, cache);
}

/**
 * The deterministic core: draws `total` distinct digits and their angles from the seed and rotates them.
 * Random stream, in order: a partial Fisher-Yates shuffle of 0..69,999 (step i swaps position i with
 * i + nextInt(70,000 - i), for i < total), then one uint32 per image, the angle in units of 2^-32 turns.
 */
function rotateDigits(
  mnist: MnistSplits,
  seed: number,
  total: number,
  onProgress: GenerateRotatedMnistOptions['onProgress'],
): RotatedMnistPayload {
  const rng = Rng.fromSeed(seed, STREAM_ROTATED_MNIST);
  const order = new Uint32Array(MNIST_TOTAL);
  for (let i = 0; i < MNIST_TOTAL; i++) order[i] = i;
  for (let i = 0; i < total; i++) {
    const j = i + rng.nextInt(MNIST_TOTAL - i);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  const sourceIndices = order.slice(0, total);
  const angleWords = new Uint32Array(total);
  for (let k = 0; k < total; k++) angleWords[k] = rng.nextUint32();

  const labels = new Uint8Array(total);
  const pixels = new Uint8Array(total * IMAGE_SIZE);
  const trainCount = mnist.train.count;
  for (let k = 0; k < total; k++) {
    const index = sourceIndices[k]!;
    const split = index < trainCount ? mnist.train : mnist.test;
    const local = index < trainCount ? index : index - trainCount;
    labels[k] = split.labels[local]!;
    const [sin, cos] = sinCosTurns(angleWords[k]! / TWO_POW_32);
    rotateInto(split.images, local * IMAGE_SIZE, pixels, k * IMAGE_SIZE, SIDE, SIDE, 1, sin, cos, true);
    if (onProgress !== undefined && ((k + 1) % 2000 === 0 || k + 1 === total)) {
      onProgress({ phase: 'rotate', done: k + 1, total });
    }
  }
  return { labels, sourceIndices, angleWords, pixels };
}

type ExpectedHeader = Omit<import('./rotated-mnist-format.js').RotatedMnistHeader, 'payloadDigest'>;

/** Reads and verifies a cache file; returns 'missing', a reason for rejecting it, or its payload. */
async function readCache(
  file: string,
  expected: ExpectedHeader,
  total: number,
): Promise<{ payload: RotatedMnistPayload; digest: Uint8Array } | string> {
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(file);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch {
    return 'missing';
  }
  const header = decodeHeader(bytes);
  if (typeof header === 'string') return `corrupt cache: ${header}`;
  for (const key of [
    'formatVersion',
    'algorithmVersion',
    'seedLow',
    'seedHigh',
    'train',
    'valid',
    'test',
    'height',
    'width',
  ] as const) {
    if (header[key] !== expected[key])
      return `stale cache: ${key} is ${header[key]}, expected ${expected[key]}`;
  }
  if (toHex(header.sourceDigest) !== toHex(expected.sourceDigest)) {
    return 'stale cache: it was generated from different MNIST files';
  }
  const size = fileBytes(total, IMAGE_SIZE);
  if (bytes.length !== size) return `corrupt cache: ${bytes.length} bytes, expected ${size}`;
  const payload = decodePayload(bytes, total, IMAGE_SIZE);
  const digest = sha256(payloadChunks(payload));
  if (toHex(digest) !== toHex(header.payloadDigest))
    return 'corrupt cache: content hash does not match its header';
  for (let i = 0; i < total; i++) {
    if (payload.labels[i]! > 9) return `corrupt cache: label ${payload.labels[i]} at ${i}`;
  }
  return { payload, digest };
}

function assemble(
  payload: RotatedMnistPayload,
  counts: RotatedMnistCounts,
  seed: number,
  digest: Uint8Array,
  cache: RotatedMnistCacheInfo,
): RotatedMnist {
  const split = (start: number, count: number) =>
    createDataset({
      images: payload.pixels.subarray(start * IMAGE_SIZE, (start + count) * IMAGE_SIZE),
      labels: payload.labels.subarray(start, start + count),
      height: SIDE,
      width: SIDE,
      channels: 1,
    });
  const angles = new Float64Array(payload.angleWords.length);
  for (let i = 0; i < angles.length; i++) angles[i] = (payload.angleWords[i]! / TWO_POW_32) * 2 * Math.PI;
  return {
    train: split(0, counts.train),
    valid: split(counts.train, counts.valid),
    test: split(counts.train + counts.valid, counts.test),
    seed,
    hash: toHex(digest),
    sourceIndices: payload.sourceIndices,
    angles,
    cache,
  };
}

function validateCounts(counts: RotatedMnistCounts): RotatedMnistCounts {
  for (const key of ['train', 'valid', 'test'] as const) {
    const value = counts[key];
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `generateRotatedMnist: counts.${key} must be a non-negative integer, got ${value}`,
      );
    }
  }
  const total = counts.train + counts.valid + counts.test;
  if (total > MNIST_TOTAL) {
    throw new RangeError(
      `generateRotatedMnist: counts add up to ${total}, more than MNIST's ${MNIST_TOTAL} digits`,
    );
  }
  return { train: counts.train, valid: counts.valid, test: counts.test };
}

function checkSource(mnist: MnistSplits): void {
  for (const split of [mnist.train, mnist.test]) {
    if (
      split.height !== SIDE ||
      split.width !== SIDE ||
      split.channels !== 1 ||
      !(split.images instanceof Uint8Array)
    ) {
      throw new Error('generateRotatedMnist: the source must be MNIST as 28x28x1 byte images');
    }
  }
  if (mnist.train.count + mnist.test.count !== MNIST_TOTAL) {
    throw new Error(
      `generateRotatedMnist: the source must hold MNIST's 70,000 digits, got ${mnist.train.count} + ${mnist.test.count}`,
    );
  }
}

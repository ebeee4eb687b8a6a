import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultCacheDir,
  generateRotatedMnist,
  isTemporarySibling,
  loadMnist,
  type MnistSplits,
  type RotatedMnist,
  type RotatedMnistProgress,
  rotateImage,
  sinCosTurns,
} from '../src/index.js';
import { rotateInto } from '../src/rotate.js';
import { rot90, tempDir } from './helpers.js';

/**
 * SHA-256 of the full set for seed 0. The generator is specified to give these bytes on every machine; if this
 * test fails on some platform, the determinism promise is broken there. If the procedure is changed on purpose,
 * bump ROTATED_MNIST_ALGORITHM_VERSION and update this value.
 */
const GOLDEN_HASH_SEED_0 = '8829b47a9a1fb7429a1ffdb76c60ea4f8699f0f8a3394d937ac1525d28e751b7';

let mnist: MnistSplits;
let full: RotatedMnist;
const progress: RotatedMnistProgress[] = [];
const cacheDir = tempDir('gcnn-rot-');

beforeAll(async () => {
  mnist = await loadMnist();
  full = await generateRotatedMnist({ seed: 0, cacheDir, onProgress: (p) => progress.push(p) });
}, 600_000);

function source(index: number): Uint8Array {
  const split = index < 60_000 ? mnist.train : mnist.test;
  const local = index < 60_000 ? index : index - 60_000;
  return (split.images as Uint8Array).subarray(local * 784, (local + 1) * 784);
}

describe('generateRotatedMnist (the full 62,000-image set)', () => {
  it('has the sizes and layout of MNIST-rot', () => {
    expect([full.train.count, full.valid.count, full.test.count]).toEqual([10_000, 2_000, 50_000]);
    for (const split of [full.train, full.valid, full.test]) {
      expect([split.height, split.width, split.channels]).toEqual([28, 28, 1]);
      expect(split.images).toBeInstanceOf(Uint8Array);
      expect(split.images.length).toBe(split.count * 784);
    }
    expect(full.cache.status).toBe('created');
  });

  it('reproduces the golden content hash for seed 0', () => {
    expect(full.hash).toBe(GOLDEN_HASH_SEED_0);
  });

  it('draws 62,000 distinct digits of the 70,000 with their labels', () => {
    expect(new Set(full.sourceIndices).size).toBe(62_000);
    const fromTest = full.sourceIndices.filter((i) => i >= 60_000).length;
    // About 1/7 of the draw comes from MNIST's test split.
    expect(Math.abs(fromTest / 62_000 - 1 / 7)).toBeLessThan(0.01);
    const labels = [...full.train.labels, ...full.valid.labels, ...full.test.labels];
    let mismatches = 0;
    full.sourceIndices.forEach((index, k) => {
      const label = index < 60_000 ? mnist.train.labels[index] : mnist.test.labels[index - 60_000];
      if (label !== labels[k]) mismatches++;
    });
    expect(mismatches).toBe(0);
  });

  it('has pixels in [0, 1] that use the whole range, and a near-uniform label histogram', () => {
    for (const split of [full.train, full.valid, full.test]) {
      let max = 0;
      let zeros = 0;
      for (const b of split.images) {
        if (b > max) max = b;
        if (b === 0) zeros++;
      }
      expect(max).toBe(255); // byte / 255 = 1
      expect(zeros / split.images.length).toBeGreaterThan(0.5); // mostly background, as MNIST
      const histogram = new Array(10).fill(0);
      for (const label of split.labels) histogram[label]++;
      // MNIST's own class shares range from 9.0% (digit 5) to 11.3% (digit 1).
      for (const count of histogram)
        expect(Math.abs(count / split.count - 0.1)).toBeLessThan(split.count >= 10_000 ? 0.02 : 0.03);
    }
  });

  it('draws angles uniform in [0, 2π)', () => {
    const bins = new Array(8).fill(0);
    let inRange = true;
    for (const angle of full.angles) {
      inRange &&= angle >= 0 && angle < 2 * Math.PI;
      bins[Math.floor((angle / (2 * Math.PI)) * 8)]++;
    }
    expect(inRange).toBe(true);
    for (const count of bins) expect(Math.abs(count - 62_000 / 8)).toBeLessThan(400); // ±5 sd
  });

  it('each image is its source digit rotated by its angle (bilinear, rounded to a byte)', () => {
    const all = [full.train, full.valid, full.test];
    for (const k of [0, 1, 10_500, 61_999]) {
      const split = k < 10_000 ? all[0]! : k < 12_000 ? all[1]! : all[2]!;
      const local = k < 10_000 ? k : k < 12_000 ? k - 10_000 : k - 12_000;
      const expected = rotateImage(
        source(full.sourceIndices[k]!),
        { height: 28, width: 28 },
        full.angles[k]!,
      );
      const actual = split.images.subarray(local * 784, (local + 1) * 784);
      let worst = 0;
      for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
      expect(worst).toBeLessThanOrEqual(0.5 + 1e-6);
    }
  });

  it('reports progress through loading, rotating and writing the cache', () => {
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['load-mnist', 'read-cache', 'rotate', 'write-cache', 'done']);
    const rotating = progress.filter((p) => p.phase === 'rotate').map((p) => p.done);
    expect(rotating.length).toBe(31);
    expect(rotating.at(-1)).toBe(62_000);
    expect(rotating.every((d, i) => i === 0 || d > rotating[i - 1]!)).toBe(true);
  });

  it('loads the same bytes from the cache the second time', async () => {
    const again = await generateRotatedMnist({ seed: 0, cacheDir });
    expect(again.cache.status).toBe('hit');
    // the seed defaults to 0
    expect((await generateRotatedMnist({ cacheDir })).hash).toBe(full.hash);
    expect(again.hash).toBe(full.hash);
    expect(Buffer.compare(Buffer.from(again.test.images), Buffer.from(full.test.images))).toBe(0);
    expect([...again.sourceIndices.subarray(0, 100)]).toEqual([...full.sourceIndices.subarray(0, 100)]);
    expect(again.angles[5]).toBe(full.angles[5]);
    // The write was atomic: only the cache file, no temporary left behind.
    expect(readdirSync(cacheDir).filter(isTemporarySibling)).toEqual([]);
  });

  it('gives a different set for a different seed', async () => {
    const other = await generateRotatedMnist({ seed: 1, cache: false });
    expect(other.hash).not.toBe(full.hash);
    expect(other.cache.status).toBe('off');
    expect(other.test.count).toBe(50_000);
  });
});

describe('generateRotatedMnist (small sets, cache handling)', () => {
  const counts = { train: 30, valid: 5, test: 15 };

  it("the generator's byte kernel turns a digit by a quarter turn into exactly rot90, border included", () => {
    for (const index of [0, 1, 65_000]) {
      const digit = source(index);
      const out = new Uint8Array(784);
      const [sin, cos] = sinCosTurns(0.25);
      rotateInto(digit, 0, out, 0, 28, 28, 1, sin, cos, true);
      expect([...out]).toEqual(rot90(digit, 28));
    }
  });

  it('same seed and counts give the same hash, another seed another', async () => {
    const a = await generateRotatedMnist({ seed: 42, counts, cache: false, mnist });
    const b = await generateRotatedMnist({ seed: 42, counts, cache: false, mnist });
    const c = await generateRotatedMnist({ seed: 43, counts, cache: false, mnist });
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it('rebuilds a corrupt, truncated or stale cache', async () => {
    const dir = tempDir();
    const first = await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist });
    const file = first.cache.file!;
    expect(first.cache.status).toBe('created');
    const original = readFileSync(file);

    const flipped = Buffer.from(original);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0xff;
    writeFileSync(file, flipped);
    const corrupt = await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist });
    expect(corrupt.cache).toMatchObject({ status: 'rebuilt', reason: expect.stringMatching(/content hash/) });
    expect(corrupt.hash).toBe(first.hash);
    expect(readFileSync(file).equals(original)).toBe(true);

    writeFileSync(file, original.subarray(0, 1000));
    const truncated = await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist });
    expect(truncated.cache).toMatchObject({
      status: 'rebuilt',
      reason: expect.stringMatching(/1000 bytes, expected/),
    });

    const stale = Buffer.from(original);
    stale.writeUInt32LE(999, 12); // generation procedure version
    writeFileSync(file, stale);
    const rebuilt = await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist });
    expect(rebuilt.cache).toMatchObject({
      status: 'rebuilt',
      reason: expect.stringMatching(/stale cache: algorithmVersion is 999/),
    });

    writeFileSync(file, 'not a cache');
    const garbage = await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist });
    expect(garbage.cache).toMatchObject({
      status: 'rebuilt',
      reason: expect.stringMatching(/corrupt cache/),
    });
    expect((await generateRotatedMnist({ seed: 5, counts, cacheDir: dir, mnist })).cache.status).toBe('hit');
  });

  it('treats a cache generated from other MNIST files as stale', async () => {
    const dir = tempDir();
    await generateRotatedMnist({ seed: 6, counts, cacheDir: dir, mnist });
    const altered = new Uint8Array(mnist.test.images);
    altered[0] = 1;
    const otherSource = { train: mnist.train, test: { ...mnist.test, images: altered } };
    const result = await generateRotatedMnist({ seed: 6, counts, cacheDir: dir, mnist: otherSource });
    expect(result.cache).toMatchObject({
      status: 'rebuilt',
      reason: expect.stringMatching(/different MNIST files/),
    });
  });

  it('still returns the data when the cache cannot be written', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const result = await generateRotatedMnist({ seed: 7, counts, cacheDir: join(blocker, 'sub'), mnist });
    expect(result.cache.status).toBe('unwritable');
    expect(result.train.count).toBe(30);
  });

  it('uses GCNN_CACHE_DIR by default and validates its options', async () => {
    const dir = tempDir();
    const saved = process.env.GCNN_CACHE_DIR;
    process.env.GCNN_CACHE_DIR = dir;
    try {
      expect(defaultCacheDir()).toBe(dir);
      const result = await generateRotatedMnist({ seed: 8, counts, mnist });
      expect(result.cache.file?.startsWith(dir)).toBe(true);
      expect(existsSync(result.cache.file!)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.GCNN_CACHE_DIR;
      else process.env.GCNN_CACHE_DIR = saved;
    }
    await expect(generateRotatedMnist({ seed: -1, cache: false, mnist })).rejects.toThrow(
      /seed must be a non-negative integer/,
    );
    await expect(
      generateRotatedMnist({
        seed: 0,
        counts: { train: 60_000, valid: 10_000, test: 1 },
        cache: false,
        mnist,
      }),
    ).rejects.toThrow(/counts add up to 70001/);
  });
});

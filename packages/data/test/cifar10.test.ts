import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, CIFAR10_FILES, DataFileError, loadCifar10 } from '../src/index.js';
import { tempDir } from './helpers.js';

const ALL_FILES = [...CIFAR10_FILES.train, ...CIFAR10_FILES.test];

/** Record r of file f: label (f + r) % 10; channel c of pixel p holds (f * 7 + r * 3 + c * 50 + p) % 256. */
function record(f: number, r: number): Uint8Array {
  const bytes = new Uint8Array(3073);
  bytes[0] = (f + r) % 10;
  for (let c = 0; c < 3; c++)
    for (let p = 0; p < 1024; p++) bytes[1 + c * 1024 + p] = (f * 7 + r * 3 + c * 50 + p) % 256;
  return bytes;
}

function writeCifar(dir: string, records: number, skip: string[] = []): void {
  ALL_FILES.forEach((name, f) => {
    if (skip.includes(name)) return;
    const file = new Uint8Array(records * 3073);
    for (let r = 0; r < records; r++) file.set(record(f, r), r * 3073);
    writeFileSync(join(dir, name), file);
  });
}

describe('loadCifar10', () => {
  it('reads the binary batches into NHWC bytes with their labels', async () => {
    const dir = tempDir();
    writeCifar(dir, 3);
    const { train, test } = await loadCifar10(dir, { recordsPerFile: 3 });
    expect([train.count, test.count]).toEqual([15, 3]);
    expect([train.height, train.width, train.channels]).toEqual([32, 32, 3]);
    // Image 7 of train is record 1 of data_batch_3 (f = 2).
    expect(train.labels[7]).toBe((2 + 1) % 10);
    const size = 32 * 32 * 3;
    for (const [p, c] of [
      [0, 0],
      [5, 1],
      [1023, 2],
    ] as const) {
      expect(train.images[7 * size + p * 3 + c]).toBe((2 * 7 + 1 * 3 + c * 50 + p) % 256);
    }
    expect(test.labels[1]).toBe((5 + 1) % 10);
    expect(test.images[size + 3 * 10 + 2]).toBe((5 * 7 + 3 + 100 + 10) % 256);
    expect(CIFAR10_CLASSES[test.labels[1]!]).toBe('frog');
  });

  it('finds the files in the cifar-10-batches-bin folder of the archive', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cifar-10-batches-bin'));
    writeCifar(join(dir, 'cifar-10-batches-bin'), 1);
    expect((await loadCifar10(dir, { recordsPerFile: 1 })).train.count).toBe(5);
  });

  it('lists missing files, the expected names and where to get them', async () => {
    const dir = tempDir();
    writeCifar(dir, 1, ['data_batch_4.bin', 'test_batch.bin']);
    const error = await loadCifar10(dir, { recordsPerFile: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    const message = (error as Error).message;
    expect(message).toMatch(/missing CIFAR-10 file\(s\) data_batch_4.bin, test_batch.bin/);
    expect(message).toMatch(/data_batch_1.bin, .*test_batch.bin/);
    expect(message).toMatch(/https:\/\/www.cs.toronto.edu\/~kriz\/cifar-10-binary.tar.gz/);
  });

  it('rejects files of the wrong size, naming the file and the sizes', async () => {
    const dir = tempDir();
    writeCifar(dir, 2);
    await expect(loadCifar10(dir)).rejects.toThrow(
      /data_batch_1.bin: is 6146 bytes \(2 records\), expected 30730000 \(10000 records of 3073 bytes/,
    );
    writeFileSync(join(dir, 'data_batch_2.bin'), new Uint8Array(5000));
    await expect(loadCifar10(dir, { recordsPerFile: 2 })).rejects.toThrow(
      /data_batch_2.bin: is 5000 bytes \(not a whole number of 3073-byte records\)/,
    );
  });

  it('rejects a label outside 0-9', async () => {
    const dir = tempDir();
    writeCifar(dir, 2);
    const bad = record(5, 0);
    bad[0] = 10;
    const file = new Uint8Array(2 * 3073);
    file.set(bad);
    writeFileSync(join(dir, 'test_batch.bin'), file);
    await expect(loadCifar10(dir, { recordsPerFile: 2 })).rejects.toThrow(
      /test_batch.bin: record 0 has label 10/,
    );
  });
});

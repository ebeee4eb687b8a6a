// The browser entry: no Node module anywhere in what it loads, the same functions as the Node entry, and parsing
// of MNIST and CIFAR-10 from bytes (what a browser gets from fetch) that agrees with loading the files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';
import { encodeIdx, tempDir } from './helpers.js';
import { loadedPackages } from './import-graph.js';

const source = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

describe('the browser entry', () => {
  it('loads no Node module, only the tfjs-core peer', () => {
    expect([...loadedPackages(source('browser.ts'), () => undefined)]).toEqual(['@tensorflow/tfjs-core']);
  });

  it('the check above sees the Node modules of the Node entry', () => {
    const loaded = [...loadedPackages(source('index.ts'), () => undefined)];
    expect(loaded).toEqual(expect.arrayContaining(['node:fs', 'node:path']));
  });

  it('is a subset of the Node entry, which keeps its file loaders', () => {
    for (const name of Object.keys(browser)) expect(node, name).toHaveProperty(name);
    const nodeOnly = Object.keys(node).filter((name) => !(name in browser));
    expect(nodeOnly.sort()).toEqual(
      [
        'MNIST_FILES',
        'MNIST_ROT_AMAT_FILES',
        'MNIST_ROT_AMAT_URL',
        'ROTATED_MNIST_COUNTS',
        'defaultCacheDir',
        'defaultMnistDir',
        'generateRotatedMnist',
        'loadCifar10',
        'loadMnist',
        'loadMnistRotAmat',
        'mnistPaths',
        'preprocessCifar10',
        'readAmat',
        'readIdx',
      ].sort(),
    );
  });
});

describe('parseMnist', () => {
  const pixels = Array.from({ length: 2 * 28 * 28 }, (_, i) => i % 256);

  it('decodes a split from the bytes of its two IDX files (Uint8Array or ArrayBuffer)', () => {
    const images = encodeIdx(0x08, [2, 28, 28], pixels);
    const labels = encodeIdx(0x08, [2], [7, 3]);
    const split = browser.parseMnist(images.buffer as ArrayBuffer, labels);
    expect([split.count, split.height, split.width, split.channels]).toEqual([2, 28, 28, 1]);
    expect([...split.labels]).toEqual([7, 3]);
    expect([...split.images]).toEqual(pixels);
  });

  it('names the file that is wrong', () => {
    const images = encodeIdx(0x08, [2, 28, 28], pixels);
    expect(() => browser.parseMnist(images, encodeIdx(0x08, [3], [1, 2, 3]), { labels: 'l.idx' })).toThrow(
      /l\.idx: has 3 labels but MNIST images has 2 images/,
    );
    expect(() => browser.parseMnist(images, encodeIdx(0x08, [2], [1, 12]))).toThrow(
      /MNIST labels: label 12 at index 1 is not a digit 0-9/,
    );
  });
});

describe('parseCifar10', () => {
  /** A batch of `records` records whose label is r % 10 and whose bytes vary with the batch, record and plane. */
  const batch = (f: number, records: number) => {
    const bytes = new Uint8Array(records * 3073);
    for (let r = 0; r < records; r++) {
      bytes[r * 3073] = (f + r) % 10;
      for (let i = 1; i < 3073; i++) bytes[r * 3073 + i] = (f * 31 + r * 7 + i) % 256;
    }
    return bytes;
  };

  it('gives what loadCifar10 gives from the same bytes in files', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const files = [...node.CIFAR10_FILES.train, ...node.CIFAR10_FILES.test];
    const bytes = files.map((_, f) => batch(f, 2));
    files.forEach((name, f) => {
      writeFileSync(join(dir, name), bytes[f]!);
    });
    const loaded = await node.loadCifar10(dir, { recordsPerFile: 2 });
    const train = browser.parseCifar10(bytes.slice(0, 5));
    const test = browser.parseCifar10(bytes[5]!.buffer as ArrayBuffer);
    expect(train).toEqual(loaded.train);
    expect(test).toEqual(loaded.test);
  });

  it('rejects a batch that is not whole records, or a bad label, naming it', () => {
    expect(() => browser.parseCifar10([batch(0, 1), new Uint8Array(3000)], { names: ['a', 'b'] })).toThrow(
      /b: is 3000 bytes, not a whole number of 3073-byte records/,
    );
    const bad = batch(0, 2);
    bad[3073] = 10;
    expect(() => browser.parseCifar10(bad)).toThrow(
      /CIFAR-10 batch 0: record 1 has label 10, expected a class 0-9/,
    );
  });
});

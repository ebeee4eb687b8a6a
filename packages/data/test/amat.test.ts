import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFileError, loadMnistRotAmat, MNIST_ROT_AMAT_FILES, readAmat } from '../src/index.js';
import { tempDir } from './helpers.js';

/** One .amat line: pixel k of example n is ((n + k) % 11) / 10, label n % 10, in the files' float notation. */
function amatLine(n: number): string {
  const residue = n % 11;
  if (pixelText[residue] === undefined) {
    pixelText[residue] = Array.from({ length: 784 }, (_, k) => (((n + k) % 11) / 10).toExponential(18)).join(
      '   ',
    );
  }
  const pixels = pixelText[residue];
  return `${pixels}   ${(n % 10).toExponential(18)}`;
}
const pixelText: string[] = [];

function amatText(count: number): string {
  return Array.from({ length: count }, (_, n) => amatLine(n)).join('\n') + '\n';
}

describe('readAmat', () => {
  const dir = tempDir();

  it('reads examples as 28x28 float images with integer labels, plain or gzipped', async () => {
    writeFileSync(join(dir, 'small.amat'), amatText(5));
    writeFileSync(join(dir, 'small.amat.gz'), gzipSync(amatText(5)));
    for (const name of ['small.amat', 'small.amat.gz']) {
      const data = await readAmat(join(dir, name));
      expect(data.count).toBe(5);
      expect([data.height, data.width, data.channels]).toEqual([28, 28, 1]);
      expect(data.images).toBeInstanceOf(Float32Array);
      expect([...data.labels]).toEqual([0, 1, 2, 3, 4]);
      // Row-major, no transpose: pixel (row 1, col 2) of example 3 is value k = 30.
      expect(data.images[3 * 784 + 1 * 28 + 2]).toBeCloseTo(((3 + 30) % 11) / 10, 6);
    }
  });

  it('grows past its initial buffer and reports progress', async () => {
    writeFileSync(join(dir, 'many.amat'), amatText(5001));
    const reports: number[] = [];
    const data = await readAmat(join(dir, 'many.amat'), { onProgress: (n) => reports.push(n) });
    expect(data.count).toBe(5001);
    expect(data.labels[5000]).toBe(0);
    expect(data.images[5000 * 784 + 783]).toBeCloseTo(((5000 + 783) % 11) / 10, 6);
    expect(reports).toEqual([5000, 5001]);
  });

  const good = amatLine(1);
  const tokens = good.split('   ');
  const broken: [string, string, RegExp][] = [
    ['too few values', tokens.slice(0, 700).join(' '), /line 2 has 700 values, expected 785/],
    [
      'a NaN pixel',
      [...tokens.slice(0, 10), 'nan', ...tokens.slice(11)].join(' '),
      /line 2, pixel 11 is not a number \("nan"\)/,
    ],
    [
      'a word',
      [...tokens.slice(0, 3), 'abc', ...tokens.slice(4)].join(' '),
      /line 2, pixel 4 is not a number/,
    ],
    [
      'a pixel above 1',
      [...tokens.slice(0, 5), '1.5', ...tokens.slice(6)].join(' '),
      /line 2, pixel 6 is 1.5, outside \[0, 1\]/,
    ],
    [
      'a fractional label',
      [...tokens.slice(0, 784), '3.5'].join(' '),
      /line 2: label "3.5" is not an integer 0-9/,
    ],
    ['label 10', [...tokens.slice(0, 784), '10'].join(' '), /line 2: label "10" is not an integer 0-9/],
  ];
  for (const [what, line, message] of broken) {
    it(`rejects ${what}, naming the file and the line`, async () => {
      const path = join(dir, `broken-${what.replace(/\W/g, '_')}.amat`);
      writeFileSync(path, `${amatLine(0)}\n${line}\n${amatLine(2)}\n`);
      const error = await readAmat(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataFileError);
      expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('rejects empty, missing and corrupt gzip files', async () => {
    writeFileSync(join(dir, 'empty.amat'), '\n\n');
    await expect(readAmat(join(dir, 'empty.amat'))).rejects.toThrow(/empty.amat: holds no examples/);
    await expect(readAmat(join(dir, 'absent.amat'))).rejects.toThrow(
      /absent.amat: cannot be read \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'cut.amat.gz'), gzipSync(amatText(3)).subarray(0, 200));
    await expect(readAmat(join(dir, 'cut.amat.gz'))).rejects.toThrow(DataFileError);
  });
});

describe('loadMnistRotAmat', () => {
  it('names the expected files and where to get them when they are missing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MNIST_ROT_AMAT_FILES.test), amatText(1));
    const error = await loadMnistRotAmat(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toMatch(/missing mnist_all_rotation_normalized_float_train_valid.amat/);
    expect((error as Error).message).toMatch(/mnist_rotation_new.zip/);
    expect((error as Error).message).toMatch(/generateRotatedMnist/);
  });

  it('splits train_valid into train and its last 2,000 as valid; checks the official counts', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MNIST_ROT_AMAT_FILES.trainValid), amatText(2003));
    writeFileSync(join(dir, `${MNIST_ROT_AMAT_FILES.test}.gz`), gzipSync(amatText(4)));
    await expect(loadMnistRotAmat(dir)).rejects.toThrow(/has 2003 examples, expected 12,000/);
    const { train, valid, test } = await loadMnistRotAmat(dir, { strictCounts: false });
    expect([train.count, valid.count, test.count]).toEqual([3, 2000, 4]);
    expect(valid.labels[0]).toBe(3);
    expect(valid.images[0]).toBeCloseTo((3 % 11) / 10, 6);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFileError, parseIdx, readIdx } from '../src/index.js';
import { encodeIdx, tempDir } from './helpers.js';

describe('IDX reader', () => {
  const dir = tempDir();

  it('decodes every element type, big-endian, with its shape', () => {
    const bytes = parseIdx(encodeIdx(0x08, [2, 3], [0, 1, 2, 253, 254, 255]), 'u8');
    expect(bytes.dtype).toBe('uint8');
    expect(bytes.shape).toEqual([2, 3]);
    expect([...bytes.data]).toEqual([0, 1, 2, 253, 254, 255]);
    expect([...parseIdx(encodeIdx(0x09, [3], [-128, 0, 127]), 'i8').data]).toEqual([-128, 0, 127]);
    expect([...parseIdx(encodeIdx(0x0b, [3], [-300, 2, 32767], 2), 'i16').data]).toEqual([-300, 2, 32767]);
    expect([...parseIdx(encodeIdx(0x0c, [2], [-70000, 1 << 30], 4), 'i32').data]).toEqual([-70000, 1 << 30]);
    expect([...parseIdx(encodeIdx(0x0d, [2], [0.5, -2.25], 4), 'f32').data]).toEqual([0.5, -2.25]);
    const f64 = parseIdx(encodeIdx(0x0e, [1, 1, 2], [Math.PI, -1e300], 8), 'f64');
    expect(f64.shape).toEqual([1, 1, 2]);
    expect([...f64.data]).toEqual([Math.PI, -1e300]);
  });

  it('reads plain and gzipped files alike', async () => {
    const raw = encodeIdx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    writeFileSync(join(dir, 'plain-idx3-ubyte'), raw);
    writeFileSync(join(dir, 'zipped-idx3-ubyte.gz'), gzipSync(raw));
    const plain = await readIdx(join(dir, 'plain-idx3-ubyte'), { dtype: 'uint8', shape: [null, 2, 2] });
    const zipped = await readIdx(join(dir, 'zipped-idx3-ubyte.gz'), { dtype: 'uint8', shape: [2, 2, 2] });
    expect([...zipped.data]).toEqual([...plain.data]);
    expect(zipped.shape).toEqual([2, 2, 2]);
  });

  const broken: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /too short for an IDX header/],
    [
      'a wrong magic number',
      Uint8Array.from([0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 0]),
      /not an IDX file.*0x1f 0x00/,
    ],
    ['an unknown type', Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), /unknown IDX element type 0x07/],
    ['zero dimensions', Uint8Array.from([0, 0, 0x08, 0]), /0 dimensions/],
    ['a truncated header', Uint8Array.from([0, 0, 0x08, 3, 0, 0, 0, 1]), /truncated inside its header/],
    [
      'truncated data',
      encodeIdx(0x08, [10, 28, 28], new Uint8Array(7840)).subarray(0, 5000),
      /is truncated: dimensions \[10, 28, 28\] of uint8 need 7856 bytes, the file has 5000/,
    ],
    ['trailing bytes', Uint8Array.from([...encodeIdx(0x08, [2], [1, 2]), 9]), /trailing bytes/],
  ];
  for (const [what, bytes, message] of broken) {
    it(`rejects ${what}, naming the file`, async () => {
      const path = join(dir, `broken-${what.replace(/\W/g, '_')}`);
      writeFileSync(path, bytes);
      const error = await readIdx(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataFileError);
      expect((error as DataFileError).file).toBe(path);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('checks the expected type and dimensions', () => {
    const bytes = encodeIdx(0x08, [4, 28, 27], new Uint8Array(4 * 28 * 27));
    expect(() => parseIdx(bytes, 'images', { shape: [null, 28, 28] })).toThrow(
      /images: has dimensions \[4, 28, 27\], expected \[any, 28, 28\]/,
    );
    expect(() => parseIdx(bytes, 'images', { dtype: 'float32' })).toThrow(
      /holds uint8 values, expected float32/,
    );
    expect(parseIdx(bytes, 'images', { dtype: 'uint8', shape: [4, null, 27] }).shape).toEqual([4, 28, 27]);
  });

  it('names a wrong type byte as such, not as a truncated file', () => {
    // a uint8 MNIST file whose type byte was changed to float32: the length no longer fits the type
    const bytes = encodeIdx(0x08, [4, 28, 28], new Uint8Array(4 * 28 * 28));
    bytes[2] = 0x0d;
    const error = (() => {
      try {
        parseIdx(bytes, 'images', { dtype: 'uint8' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataFileError);
    expect(error?.message).toMatch(/images: holds float32 values, expected uint8 \(the type byte is 0x0d\)/);
    expect(error?.message).not.toMatch(/truncated/);
  });

  it('reports a missing file and a corrupt gzip stream', async () => {
    await expect(readIdx(join(dir, 'nope'))).rejects.toThrow(/nope: cannot be read \(ENOENT\)/);
    const path = join(dir, 'bad.gz');
    writeFileSync(path, Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expect(readIdx(path)).rejects.toThrow(/bad.gz: looks gzipped but does not decompress/);
  });
});

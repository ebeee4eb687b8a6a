import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'gcnn-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Encodes an IDX file: magic 0 0 type ndim, big-endian dimensions, big-endian values. */
export function encodeIdx(
  typeByte: number,
  shape: number[],
  values: ArrayLike<number>,
  bytesPer = 1,
): Uint8Array {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = typeByte;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < values.length; i++) {
    const at = header + i * bytesPer;
    const v = values[i]!;
    if (typeByte === 0x08) out[at] = v;
    else if (typeByte === 0x09) view.setInt8(at, v);
    else if (typeByte === 0x0b) view.setInt16(at, v, false);
    else if (typeByte === 0x0c) view.setInt32(at, v, false);
    else if (typeByte === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

/** numpy's rot90 on an HxW (square) single-channel image: out[i][j] = a[j][n-1-i]. */
export function rot90(a: ArrayLike<number>, n: number): number[] {
  const out: number[] = new Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = a[j * n + (n - 1 - i)]!;
  return out;
}

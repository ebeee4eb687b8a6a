import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DataFileError } from './errors.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Finds a data file that may also exist gzipped: returns `path` if it exists, else `path + '.gz'` if that exists,
 * else undefined.
 */
export function findPlainOrGzip(path: string): string | undefined {
  if (existsSync(path)) return path;
  if (existsSync(`${path}.gz`)) return `${path}.gz`;
  return undefined;
}

/**
 * Reads a whole file, gunzipping it when its content is gzip (recognised by the magic bytes, not the name).
 * A missing file gives a {@link DataFileError} naming it.
 */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw new DataFileError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  if (!isGzip(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const plain = gunzipSync(raw);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  } catch (error) {
    throw new DataFileError(path, `looks gzipped but does not decompress (${(error as Error).message})`);
  }
}

/**
 * Opens a file as a byte stream, piping it through gunzip when it starts with the gzip magic bytes.
 */
export async function openMaybeGzipStream(path: string): Promise<Readable> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path, { start: 0, end: 1 })
      .on('data', (chunk) => chunks.push(chunk as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    throw new DataFileError(path, `cannot be read (${error.code ?? String(error)})`);
  });
  const stream = createReadStream(path);
  if (!isGzip(head)) return stream;
  const gunzip = createGunzip();
  stream.on('error', (error) => gunzip.destroy(error));
  return stream.pipe(gunzip);
}

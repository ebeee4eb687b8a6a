import { createHash } from 'node:crypto';

/**
 * The binary cache file of a generated MNIST-rot set. Little-endian throughout.
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | magic `GCNNMROT` |
 * | 8 | 4 | file format version ({@link ROTATED_MNIST_FORMAT_VERSION}) |
 * | 12 | 4 | generation procedure version ({@link ROTATED_MNIST_ALGORITHM_VERSION}) |
 * | 16 | 8 | seed, low then high uint32 word |
 * | 24 | 12 | counts: train, valid, test (uint32 each) |
 * | 36 | 8 | height, width (uint32 each) |
 * | 44 | 32 | SHA-256 of the MNIST source (decoded images and labels, train then test) |
 * | 76 | 32 | SHA-256 of the payload |
 * | 108 | 20 | zero |
 * | 128 | n | labels, uint8 |
 * | 128 + n | 4n | source index of each image in MNIST's 70,000 (train 0-59,999, then test), uint32 |
 * | 128 + 5n | 4n | rotation angle of each image in units of 2^-32 turns, uint32 |
 * | 128 + 9n | 784n | pixels, uint8 (value / 255), NHWC |
 */
export const ROTATED_MNIST_MAGIC = 'GCNNMROT';
/** Version of the cache file layout. */
export const ROTATED_MNIST_FORMAT_VERSION = 1;
/** Version of the generation procedure; bumping it invalidates every cache. */
export const ROTATED_MNIST_ALGORITHM_VERSION = 1;
/** Bytes of the header before the payload. */
export const HEADER_BYTES = 128;

/** The fields of the header. */
export interface RotatedMnistHeader {
  formatVersion: number;
  algorithmVersion: number;
  seedLow: number;
  seedHigh: number;
  train: number;
  valid: number;
  test: number;
  height: number;
  width: number;
  /** 32 bytes. */
  sourceDigest: Uint8Array;
  /** 32 bytes. */
  payloadDigest: Uint8Array;
}

/** The payload arrays, all of the same count n (pixels: n * height * width). */
export interface RotatedMnistPayload {
  labels: Uint8Array;
  sourceIndices: Uint32Array;
  angleWords: Uint32Array;
  pixels: Uint8Array;
}

/** Encodes uint32 values little-endian, whatever the machine's byte order. */
function uint32LittleEndian(values: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i]!, true);
  return bytes;
}

function readUint32LittleEndian(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}

/** The payload as the byte chunks that follow the header, in file order. */
export function payloadChunks(payload: RotatedMnistPayload): Uint8Array[] {
  return [
    payload.labels,
    uint32LittleEndian(payload.sourceIndices),
    uint32LittleEndian(payload.angleWords),
    payload.pixels,
  ];
}

/** SHA-256 of byte chunks taken in order. */
export function sha256(chunks: readonly (Uint8Array | Float32Array)[]): Uint8Array {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return new Uint8Array(hash.digest());
}

/** Encodes the 128-byte header. */
export function encodeHeader(header: RotatedMnistHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = ROTATED_MNIST_MAGIC.charCodeAt(i);
  const words = [
    header.formatVersion,
    header.algorithmVersion,
    header.seedLow,
    header.seedHigh,
    header.train,
    header.valid,
    header.test,
    header.height,
    header.width,
  ];
  words.forEach((word, i) => {
    view.setUint32(8 + 4 * i, word, true);
  });
  bytes.set(header.sourceDigest, 44);
  bytes.set(header.payloadDigest, 76);
  return bytes;
}

/** Decodes a header, or returns a reason why the bytes are not one. */
export function decodeHeader(bytes: Uint8Array): RotatedMnistHeader | string {
  if (bytes.length < HEADER_BYTES)
    return `file is ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`;
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== ROTATED_MNIST_MAGIC) return `bad magic ${JSON.stringify(magic)}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const word = (i: number) => view.getUint32(8 + 4 * i, true);
  return {
    formatVersion: word(0),
    algorithmVersion: word(1),
    seedLow: word(2),
    seedHigh: word(3),
    train: word(4),
    valid: word(5),
    test: word(6),
    height: word(7),
    width: word(8),
    sourceDigest: bytes.slice(44, 76),
    payloadDigest: bytes.slice(76, 108),
  };
}

/** Splits the bytes after the header into the payload arrays (pixels and labels share the file's memory). */
export function decodePayload(bytes: Uint8Array, count: number, imageSize: number): RotatedMnistPayload {
  let offset = HEADER_BYTES;
  const labels = bytes.subarray(offset, offset + count);
  offset += count;
  const sourceIndices = readUint32LittleEndian(bytes, offset, count);
  offset += 4 * count;
  const angleWords = readUint32LittleEndian(bytes, offset, count);
  offset += 4 * count;
  const pixels = bytes.subarray(offset, offset + count * imageSize);
  return { labels, sourceIndices, angleWords, pixels };
}

/** Total file size for `count` images of `imageSize` pixels. */
export function fileBytes(count: number, imageSize: number): number {
  return HEADER_BYTES + count * (9 + imageSize);
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

import { DataFileError } from './errors.js';

/** Element types of the IDX format, by the type byte of its magic number. */
const IDX_TYPES = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
} as const;

/** The element type names the IDX format knows. */
export type IdxDataType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** A decoded IDX file: its element type, its dimensions and its values in row-major order. */
export interface IdxArray {
  readonly dtype: IdxDataType;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** What a caller expects of an IDX file; every field given is checked. */
export interface IdxExpectation {
  /** Required element type. */
  dtype?: IdxDataType;
  /** Required dimensions; `null` leaves one free (e.g. `[null, 28, 28]`). */
  shape?: readonly (number | null)[];
}

/**
 * Decodes the bytes of an IDX file (the format of the MNIST files: a magic number `0 0 type ndim`, then `ndim`
 * big-endian uint32 dimensions, then the values, big-endian). `name` is used in error messages. Checks the magic
 * number, the type, the length against the dimensions, and the expectations given. Needs no file system: `bytes`
 * may come from `fetch(url).then((r) => r.arrayBuffer())` (gunzip first, e.g. with `DecompressionStream`).
 */
export function parseIdx(
  input: Uint8Array | ArrayBuffer,
  name: string,
  expect: IdxExpectation = {},
): IdxArray {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 4)
    throw new DataFileError(name, `is ${bytes.length} bytes long, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError(
      name,
      `is not an IDX file (magic number starts with 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}, expected 0x00 0x00)`,
    );
  }
  const typeByte = bytes[2]!;
  const type = IDX_TYPES[typeByte as keyof typeof IDX_TYPES];
  if (type === undefined) throw new DataFileError(name, `has an unknown IDX element type 0x${hex(typeByte)}`);
  const ndim = bytes[3]!;
  if (ndim === 0) throw new DataFileError(name, 'declares 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataFileError(
      name,
      `is truncated inside its header (${ndim} dimensions need ${headerBytes} bytes)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + count * type.bytes;
  if (bytes.length !== expectedBytes) {
    throw new DataFileError(
      name,
      `${bytes.length < expectedBytes ? 'is truncated' : 'has trailing bytes'}: dimensions [${shape.join(', ')}] of ${type.name} need ${expectedBytes} bytes, the file has ${bytes.length}`,
    );
  }
  if (expect.dtype !== undefined && expect.dtype !== type.name) {
    throw new DataFileError(name, `holds ${type.name} values, expected ${expect.dtype}`);
  }
  if (expect.shape !== undefined) {
    const wanted = expect.shape;
    const matches = wanted.length === shape.length && wanted.every((w, i) => w === null || w === shape[i]);
    if (!matches) {
      const text = wanted.map((w) => (w === null ? 'any' : String(w))).join(', ');
      throw new DataFileError(name, `has dimensions [${shape.join(', ')}], expected [${text}]`);
    }
  }
  return { dtype: type.name, shape, data: decodeValues(view, headerBytes, count, type.name) };
}

function decodeValues(view: DataView, offset: number, count: number, dtype: IdxDataType): IdxArray['data'] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, count * IDX_TYPES_BY_NAME[dtype]);
  switch (dtype) {
    case 'uint8':
      return bytes;
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

const IDX_TYPES_BY_NAME: Record<IdxDataType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

import { readMaybeGzip } from './files.js';
import { type IdxArray, type IdxExpectation, parseIdx } from './idx.js';

/**
 * Reads and decodes an IDX file, gunzipping it first when it is gzipped. See {@link parseIdx} for the checks.
 */
export async function readIdx(path: string, expect: IdxExpectation = {}): Promise<IdxArray> {
  return parseIdx(await readMaybeGzip(path), path, expect);
}

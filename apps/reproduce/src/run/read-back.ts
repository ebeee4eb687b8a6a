import { UserError } from '../errors.js';

/**
 * Checks for the files the CLI reads back from a run directory (config, state, log, metrics). A file that
 * fails them was damaged or hand-edited: the user gets one line naming the file, what is wrong and what to
 * do, never a stack trace.
 */

/** A field check: a description of what is wrong, or undefined when the value is fine. */
type Check = (value: unknown) => string | undefined;

/** An object with string keys (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max
      ? undefined
      : `expected an integer in [${min}, ${max}], found ${show(v)}`;

export const finite: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : `expected a finite number, found ${show(v)}`;

export const fraction: Check = (v) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? undefined : `expected a number in [0, 1], found ${show(v)}`;

export const text: Check = (v) =>
  typeof v === 'string' && v.length > 0 ? undefined : `expected a non-empty string, found ${show(v)}`;

export const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v) ? undefined : `expected one of ${values.map(show).join(', ')}, found ${show(v)}`;

export const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined ? undefined : check(v);

export const nullable =
  (check: Check): Check =>
  (v) =>
    v === null ? undefined : check(v);

export const object =
  (fields: Record<string, Check>): Check =>
  (v) => {
    if (!isRecord(v)) return `expected an object, found ${show(v)}`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key]);
      if (problem !== undefined) return `${key}: ${problem}`;
    }
    return undefined;
  };

/** The first problem of `value` against `fields`, prefixed with the field path, or undefined. */
export function problemOf(value: unknown, fields: Record<string, Check>): string | undefined {
  return object(fields)(value);
}

/** Parses JSON text, or returns the reason it is not JSON. */
export function parseJson(source: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(source) };
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
}

/** The one-line error for a damaged file: what is wrong with it and what to do. */
export function damaged(file: string, problem: string, remedy: string): UserError {
  return new UserError(`${file} is damaged: ${problem}; ${remedy}`);
}

/** A short readable form of a value for messages. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

import type { ElementInput, ElementParams, GroupName, Mirror, Rotation } from './element.js';

/** Thrown for parameters or matrices that do not describe an element of the group. */
export class GroupError extends Error {
  override name = 'GroupError';
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  return JSON.stringify(value) ?? String(value);
}

function integerIn(name: string, value: unknown, allowed: readonly number[], group: GroupName): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !allowed.includes(value)) {
    throw new GroupError(
      `${group}: ${name} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function translation(name: string, value: unknown, group: GroupName): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GroupError(`${group}: translation ${name} must be a safe integer, got ${describeValue(value)}`);
  }
  return value;
}

/** Whether x has the fields of a valid element (also true for an Element from another copy of this package). */
export function isElementLike(x: unknown): x is ElementParams & { readonly group: GroupName } {
  if (x === null || typeof x !== 'object') return false;
  const g = x as Record<string, unknown>;
  return (
    (g.group === 'p4' || g.group === 'p4m') &&
    (g.m === 0 || g.m === 1) &&
    (g.r === 0 || g.r === 1 || g.r === 2 || g.r === 3) &&
    Number.isSafeInteger(g.u) &&
    Number.isSafeInteger(g.v)
  );
}

/** Checks user parameters and fills the defaults (m = u = v = 0). */
export function validateParams(input: ElementInput, group: GroupName): ElementParams {
  if (input === null || typeof input !== 'object') {
    throw new GroupError(
      `${group}: element parameters must be an object like { r, u, v }, got ${describeValue(input)}`,
    );
  }
  const unknown = Object.keys(input).filter((key) => !['m', 'r', 'u', 'v'].includes(key));
  if (unknown.length > 0) {
    throw new GroupError(
      `${group}: unknown element parameter ${unknown.map((key) => JSON.stringify(key)).join(', ')}; expected m, r, u, v`,
    );
  }
  const mirrors = group === 'p4m' ? [0, 1] : [0];
  if (group === 'p4' && input.m !== undefined && input.m !== 0) {
    throw new GroupError(
      `p4: has no mirrors (m must be 0, got ${describeValue(input.m)}); use p4m for m = 1`,
    );
  }
  return {
    m: integerIn('m', input.m ?? 0, mirrors, group) as Mirror,
    r: integerIn('r', input.r, [0, 1, 2, 3], group) as Rotation,
    u: translation('u', input.u ?? 0, group),
    v: translation('v', input.v ?? 0, group),
  };
}

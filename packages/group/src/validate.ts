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

/** Checks user parameters and fills the defaults (m = u = v = 0). */
export function validateParams(input: ElementInput, group: GroupName): ElementParams {
  if (input === null || typeof input !== 'object') {
    throw new GroupError(
      `${group}: element parameters must be an object like { r, u, v }, got ${describeValue(input)}`,
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

import type { ElementParams, GroupName, Mirror } from './element.js';
import { linearPart, mod4 } from './linear.js';
import { GroupError } from './validate.js';

/**
 * A 3x3 matrix as rows of numbers, or any object with `toArray()` giving them (a mathjs matrix). Read by shape,
 * not by importing mathjs, so that the run-time algebra loads without it.
 */
export type MatrixInput = readonly (readonly unknown[])[] | { toArray(): unknown };

function hasToArray(m: unknown): m is { toArray(): unknown } {
  return m !== null && typeof m === 'object' && typeof (m as { toArray?: unknown }).toArray === 'function';
}

function toRows(m: MatrixInput, group: GroupName): unknown[][] {
  const rows = !Array.isArray(m) && hasToArray(m) ? m.toArray() : m;
  const shapeOk =
    Array.isArray(rows) && rows.length === 3 && rows.every((row) => Array.isArray(row) && row.length === 3);
  if (!shapeOk) {
    throw new GroupError(`${group}.fromMatrix: expected a 3x3 matrix, got ${JSON.stringify(rows)}`);
  }
  return rows as unknown[][];
}

function entry(rows: unknown[][], i: number, j: number, group: GroupName): number {
  const given = rows[i]![j];
  // Accept mathjs numeric types (Fraction, BigNumber) that hold integers.
  const value = given !== null && typeof given === 'object' ? Number(given.valueOf()) : given;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GroupError(
      `${group}.fromMatrix: entry [${i}][${j}] must be an integer, got ${typeof given === 'string' ? JSON.stringify(given) : String(given)}`,
    );
  }
  return value + 0;
}

/** Reads (m, r, u, v) from a member matrix; rejects anything that is not in the group. */
export function readMatrix(input: MatrixInput, group: GroupName): ElementParams {
  const rows = toRows(input, group);
  const e = (i: number, j: number) => entry(rows, i, j, group);
  if (e(2, 0) !== 0 || e(2, 1) !== 0 || e(2, 2) !== 1) {
    throw new GroupError(
      `${group}.fromMatrix: the last row must be [0, 0, 1], got ${JSON.stringify(rows[2])}`,
    );
  }
  const [a, b, c, d] = [e(0, 0), e(0, 1), e(1, 0), e(1, 1)];
  const det = a * d - b * c;
  if (det !== 1 && det !== -1) {
    throw new GroupError(`${group}.fromMatrix: the 2x2 part must have determinant ±1, got ${det}`);
  }
  const m: Mirror = det === -1 ? 1 : 0;
  if (m === 1 && group === 'p4') {
    throw new GroupError('p4.fromMatrix: the matrix has determinant -1 (a mirror), so it is in p4m, not p4');
  }
  // M(m) leaves the second row alone, so (c, d) = (sin θ, cos θ) of the rotation part.
  const r = [0, 1, 2, 3].find((q) => {
    const l = linearPart(m, mod4(q));
    return l[0] === a && l[1] === b && l[2] === c && l[3] === d;
  });
  if (r === undefined) {
    throw new GroupError(
      `${group}.fromMatrix: the 2x2 part [[${a}, ${b}], [${c}, ${d}]] is not a rotation by a multiple of 90°${group === 'p4m' ? ' or such a rotation followed by the row flip' : ''}`,
    );
  }
  return { m, r: mod4(r), u: e(0, 2), v: e(1, 2) };
}

import fc from 'fast-check';
import { type Element, type Group, type Point, p4, p4m } from '../src/index.js';

/** Both groups, for `describe.each`. */
export const GROUPS: readonly { readonly name: string; readonly group: Group }[] = [
  { name: 'p4', group: p4 },
  { name: 'p4m', group: p4m },
];

// Large enough to catch sign and axis mix-ups far from the origin, small enough that products stay exact.
const coordinate = fc.integer({ min: -1_000_000, max: 1_000_000 });

/** A lattice point (u, v). */
export const point: fc.Arbitrary<Point> = fc.tuple(coordinate, coordinate);

/** A random element of `group` (m is always 0 for p4). */
export function element(group: Group): fc.Arbitrary<Element> {
  return fc
    .record({
      m: fc.integer({ min: 0, max: group.stabilizerSize === 8 ? 1 : 0 }),
      r: fc.integer({ min: 0, max: 3 }),
      u: coordinate,
      v: coordinate,
    })
    .map((params) => group.element(params));
}

/** A random element of the stabiliser of the origin (no translation). */
export function stabilizerElement(group: Group): fc.Arbitrary<Element> {
  return fc.constantFrom(...group.stabilizer());
}

/** Nested arrays of a mathjs matrix with -0 turned into 0 (mathjs products can produce -0). */
export function exact(m: { toArray(): unknown }): number[][] {
  return (m.toArray() as number[][]).map((row) => row.map((x) => x + 0));
}

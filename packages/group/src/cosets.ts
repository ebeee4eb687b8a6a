import type { GroupName } from './element.js';
import { GroupError } from './validate.js';

/**
 * Checks that `subgroup` lists the stabiliser indices of a subgroup (each index once, the identity 0 among them,
 * closed under the product of the Cayley table; in a finite group closure gives the inverses too).
 */
export function checkStabilizerSubgroup(
  subgroup: readonly number[],
  table: readonly (readonly number[])[],
  group: GroupName,
): void {
  const order = table.length;
  const where = `${group}.stabilizerCosets`;
  if (!Array.isArray(subgroup) || subgroup.length === 0) {
    throw new GroupError(
      `${where}: expected a non-empty list of stabiliser indices, got ${String(subgroup)}`,
    );
  }
  for (const index of subgroup) {
    if (!Number.isInteger(index) || index < 0 || index >= order) {
      throw new GroupError(
        `${where}: ${String(index)} is not a stabiliser index of ${group} (0..${order - 1})`,
      );
    }
  }
  if (new Set(subgroup).size !== subgroup.length) {
    throw new GroupError(`${where}: the indices [${subgroup.join(', ')}] repeat an element`);
  }
  if (!subgroup.includes(0)) {
    throw new GroupError(`${where}: [${subgroup.join(', ')}] lacks the identity 0, so it is not a subgroup`);
  }
  for (const a of subgroup) {
    for (const b of subgroup) {
      const product = table[a]![b]!;
      if (!subgroup.includes(product)) {
        throw new GroupError(
          `${where}: [${subgroup.join(', ')}] is not closed (${a}·${b} = ${product}), so it is not a subgroup`,
        );
      }
    }
  }
}

/**
 * The left cosets g·H of a subgroup H of the stabiliser, as lists of indices. Each coset is listed as
 * [g·h for h in H] (in the order H was given), with g its smallest index; cosets come in the order of g.
 */
export function leftCosetsOf(subgroup: readonly number[], table: readonly (readonly number[])[]): number[][] {
  const covered = new Set<number>();
  const cosets: number[][] = [];
  for (let g = 0; g < table.length; g++) {
    if (covered.has(g)) continue;
    const coset = subgroup.map((h) => table[g]![h]!);
    for (const index of coset) covered.add(index);
    cosets.push(coset);
  }
  return cosets;
}

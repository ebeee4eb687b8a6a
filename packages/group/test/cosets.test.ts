// Cosets: of the stabiliser inside the whole group, of subgroups of the stabiliser, and of p4 inside p4m.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Group, p4, p4m } from '../src/index.js';
import { element, GROUPS } from './arbitraries.js';

/** Every subset of the stabiliser that is a subgroup, by brute force over all subsets. */
function allSubgroups(group: Group): number[][] {
  const order = group.stabilizerSize;
  const table = group.cayleyTable();
  const subgroups: number[][] = [];
  for (let mask = 1; mask < 1 << order; mask++) {
    const members = [...Array(order).keys()].filter((i) => mask & (1 << i));
    const closed = members.every((a) => members.every((b) => members.includes(table[a]![b]!)));
    if (members.includes(0) && closed) subgroups.push(members);
  }
  return subgroups;
}

describe('stabilizerCosets', () => {
  it('splits D4 by C4 into rotations and mirrors: [[0, 1, 2, 3], [4, 5, 6, 7]]', () => {
    expect(p4m.stabilizerCosets([0, 1, 2, 3])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('takes p4 as the subgroup C4 of p4m, and a group as a subgroup of itself', () => {
    expect(p4m.stabilizerCosets(p4)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(p4m.stabilizerCosets(p4m)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
    expect(p4.stabilizerCosets(p4)).toEqual([[0, 1, 2, 3]]);
  });

  it('gives fixed examples: half turns in C4, one mirror in D4, the trivial subgroup', () => {
    expect(p4.stabilizerCosets([0, 2])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    // g·{e, mirror} = {g, g·mirror}: 1·4 = 7, 2·4 = 6, 3·4 = 5.
    expect(p4m.stabilizerCosets([0, 4])).toEqual([
      [0, 4],
      [1, 7],
      [2, 6],
      [3, 5],
    ]);
    expect(p4.stabilizerCosets([0])).toEqual([[0], [1], [2], [3]]);
  });

  it('finds the 3 subgroups of C4 and the 10 subgroups of D4', () => {
    expect(allSubgroups(p4)).toHaveLength(3);
    expect(allSubgroups(p4m)).toHaveLength(10);
  });

  it.each(GROUPS)(
    'partitions the $name stabiliser into left cosets g·K for every subgroup K',
    ({ group }) => {
      const table = group.cayleyTable();
      for (const subgroup of allSubgroups(group)) {
        const cosets = group.stabilizerCosets(subgroup);
        // Lagrange: |G| / |K| cosets of |K| elements, together covering G once.
        expect(cosets).toHaveLength(group.stabilizerSize / subgroup.length);
        expect(cosets.flat().sort((a, b) => a - b)).toEqual([...Array(group.stabilizerSize).keys()]);
        for (const coset of cosets) {
          const g = coset[0]!;
          expect(g).toBe(Math.min(...coset));
          expect(coset).toEqual(subgroup.map((k) => table[g]![k]));
        }
        expect(cosets.map((coset) => coset[0])).toEqual(
          cosets.map((coset) => coset[0]).sort((a, b) => a! - b!),
        );
      }
    },
  );
});

describe.each(GROUPS)('$name cosets of the stabiliser H', ({ group }) => {
  it('leftCoset(g) = g·H: same translation, every stabiliser part once, represented by T(u, v)', () => {
    fc.assert(
      fc.property(element(group), (g) => {
        const coset = group.leftCoset(g);
        const representative = group.cosetRepresentative(g);
        expect(coset).toHaveLength(group.stabilizerSize);
        expect(coset.every((x) => x.u === g.u && x.v === g.v)).toBe(true);
        expect(coset.map((x) => group.stabilizerIndex(x)).sort((a, b) => a - b)).toEqual([
          ...Array(group.stabilizerSize).keys(),
        ]);
        expect(coset.some((x) => group.equals(x, g))).toBe(true);
        expect(coset.some((x) => group.equals(x, representative))).toBe(true);
        expect(coset.every((x) => group.equals(group.cosetRepresentative(x), representative))).toBe(true);
        expect(representative.params()).toEqual({ m: 0, r: 0, u: g.u, v: g.v });
      }),
    );
  });
});

describe('p4 as a subgroup of p4m', () => {
  const a = element(p4);

  it('is closed under compose and inverse inside p4m, with the same results as p4', () => {
    fc.assert(
      fc.property(a, a, (x, y) => {
        const product = p4m.compose(x, y);
        const inverse = p4m.inverse(x);
        expect(product.m).toBe(0);
        expect(p4.contains(product) && p4.contains(inverse)).toBe(true);
        expect(p4m.equals(product, p4.compose(x, y))).toBe(true);
        expect(p4m.equals(inverse, p4.inverse(x))).toBe(true);
        expect(p4m.matrix(product)).toEqual(p4.matrix(p4.compose(x, y)));
        expect(p4m.act(x, [3, -7])).toEqual(p4.act(x, [3, -7]));
      }),
    );
  });

  it('holds exactly the p4m elements with m = 0, and cast moves elements between the two', () => {
    fc.assert(
      fc.property(element(p4m), (g) => {
        expect(p4.contains(g)).toBe(g.m === 0);
        if (g.m === 0) {
          const inP4 = p4.cast(g);
          expect(inP4.group).toBe('p4');
          expect(inP4.params()).toEqual(g.params());
          expect(p4m.cast(inP4).group).toBe('p4m');
        } else {
          expect(() => p4.cast(g)).toThrow(/not in p4/);
        }
      }),
    );
    const g = p4.element({ r: 1 });
    expect(p4.cast(g)).toBe(g);
  });

  it('has index 2 in p4m: the cosets p4 and mirror·p4', () => {
    const mirror = p4m.element({ m: 1, r: 0 });
    fc.assert(
      fc.property(element(p4m), (g) => {
        // g is in p4 or in mirror·p4, never both.
        const inMirrorCoset = p4.contains(p4m.compose(p4m.inverse(mirror), g));
        expect(inMirrorCoset).toBe(!p4.contains(g));
      }),
    );
  });
});

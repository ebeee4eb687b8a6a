// The stabiliser of the origin (C4 in p4, D4 in p4m), its index order and its Cayley table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { p4, p4m } from '../src/index.js';
import { element, GROUPS, stabilizerElement } from './arbitraries.js';

const C4_TABLE = [
  [0, 1, 2, 3],
  [1, 2, 3, 0],
  [2, 3, 0, 1],
  [3, 0, 1, 2],
];

const D4_TABLE = [
  [0, 1, 2, 3, 4, 5, 6, 7],
  [1, 2, 3, 0, 7, 4, 5, 6],
  [2, 3, 0, 1, 6, 7, 4, 5],
  [3, 0, 1, 2, 5, 6, 7, 4],
  [4, 5, 6, 7, 0, 1, 2, 3],
  [5, 6, 7, 4, 3, 0, 1, 2],
  [6, 7, 4, 5, 2, 3, 0, 1],
  [7, 4, 5, 6, 1, 2, 3, 0],
];

describe('Cayley tables of paper-spec §1.3', () => {
  it('C4 (p4): entry [a][b] = (a + b) mod 4', () => {
    expect(p4.cayleyTable()).toEqual(C4_TABLE);
  });

  it('D4 (p4m): entry [a][b] is the index of a·b (b first)', () => {
    expect(p4m.cayleyTable()).toEqual(D4_TABLE);
  });

  it('inverses: [0, 3, 2, 1] in C4 and [0, 3, 2, 1, 4, 5, 6, 7] in D4 (mirrors are involutions)', () => {
    expect(p4.stabilizer().map((h) => p4.stabilizerIndex(p4.inverse(h)))).toEqual([0, 3, 2, 1]);
    expect(p4m.stabilizer().map((h) => p4m.stabilizerIndex(p4m.inverse(h)))).toEqual([
      0, 3, 2, 1, 4, 5, 6, 7,
    ]);
  });

  it('returns a fresh table that callers may change', () => {
    const table = p4.cayleyTable();
    table[0]![0] = 99;
    expect(p4.cayleyTable()).toEqual(C4_TABLE);
  });
});

describe.each(GROUPS)('$name stabiliser', ({ group }) => {
  const order = group.stabilizerSize;
  const h = stabilizerElement(group);

  it(`has order ${order}, index 4·m + r in order, and no translations`, () => {
    const stabilizer = group.stabilizer();
    expect(stabilizer).toHaveLength(order);
    expect(stabilizer.map((s) => group.stabilizerIndex(s))).toEqual([...Array(order).keys()]);
    expect(stabilizer.map((s) => 4 * s.m + s.r)).toEqual([...Array(order).keys()]);
    expect(stabilizer.every((s) => s.u === 0 && s.v === 0)).toBe(true);
    expect(group.equals(stabilizer[0]!, group.identity)).toBe(true);
  });

  it('fixes the origin', () => {
    for (const s of group.stabilizer()) expect(group.act(s, [0, 0])).toEqual([0, 0]);
  });

  it('is a subgroup: closed under compose and inverse', () => {
    fc.assert(
      fc.property(h, h, (a, b) => {
        const ab = group.compose(a, b);
        const inverse = group.inverse(a);
        expect(ab.u === 0 && ab.v === 0).toBe(true);
        expect(inverse.u === 0 && inverse.v === 0).toBe(true);
        expect(group.equals(group.stabilizer()[group.stabilizerIndex(ab)]!, ab)).toBe(true);
      }),
    );
  });

  it('indexes any g = T(u, v)·h by its stabiliser part h, and a·b by the Cayley table (a homomorphism)', () => {
    const table = group.cayleyTable();
    fc.assert(
      fc.property(element(group), element(group), (a, b) => {
        const part = group.compose(group.inverse(group.cosetRepresentative(a)), a);
        expect(group.equals(part, group.stabilizer()[group.stabilizerIndex(a)]!)).toBe(true);
        const expected = table[group.stabilizerIndex(a)]![group.stabilizerIndex(b)];
        expect(group.stabilizerIndex(group.compose(a, b))).toBe(expected);
      }),
    );
  });

  it('has a Cayley table that is a Latin square (every row and column a permutation)', () => {
    const table = group.cayleyTable();
    const all = [...Array(order).keys()];
    expect(table).toHaveLength(order);
    for (let i = 0; i < order; i++) {
      expect([...table[i]!].sort((x, y) => x - y)).toEqual(all);
      expect(table.map((row) => row[i]!).sort((x, y) => x - y)).toEqual(all);
    }
    // The table of the group laws, entry by entry.
    const stabilizer = group.stabilizer();
    for (let i = 0; i < order; i++) {
      for (let j = 0; j < order; j++) {
        expect(table[i]![j]).toBe(group.stabilizerIndex(group.compose(stabilizer[i]!, stabilizer[j]!)));
      }
    }
  });
});

// The action of p4 / p4m on lattice points, and the array transforms it induces (paper-spec §1.3).
import fc from 'fast-check';
import { multiply } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { type Element, type Group, p4, p4m } from '../src/index.js';
import { element, GROUPS, point } from './arbitraries.js';

describe.each(GROUPS)('$name acting on Z^2', ({ group }) => {
  const g = element(group);

  it('fixes every point under the identity: act(e, x) = x', () => {
    fc.assert(
      fc.property(point, (x) => {
        expect(group.act(group.identity, x)).toEqual([...x]);
      }),
    );
  });

  it('is an action: act(a, act(b, x)) = act(a·b, x)', () => {
    fc.assert(
      fc.property(g, g, point, (a, b, x) => {
        expect(group.act(a, group.act(b, x))).toEqual(group.act(group.compose(a, b), x));
      }),
    );
  });

  it('agrees with the matrix on homogeneous points (u, v, 1)', () => {
    fc.assert(
      fc.property(g, point, (a, [u, v]) => {
        const image = multiply(group.matrix(a), [u, v, 1]);
        expect(group.act(a, [u, v])).toEqual([image[0]! + 0, image[1]! + 0]);
        expect(image[2]).toBe(1);
      }),
    );
  });

  it('is undone by the inverse', () => {
    fc.assert(
      fc.property(g, point, (a, x) => {
        expect(group.act(group.inverse(a), group.act(a, x))).toEqual([...x]);
      }),
    );
  });

  it('never returns -0', () => {
    fc.assert(
      fc.property(g, (a) => {
        const image = group.act(a, [0, 0]);
        expect(image.every((c) => !Object.is(c, -0))).toBe(true);
      }),
    );
  });
});

describe('fixed examples on points', () => {
  it('R(1) sends (u, v) to (-v, u)', () => {
    fc.assert(
      fc.property(point, ([u, v]) => {
        expect(p4.act(p4.element({ r: 1 }), [u, v])).toEqual([-v + 0, u]);
      }),
    );
    expect(p4.act(p4.element({ r: 1 }), [1, 0])).toEqual([0, 1]);
  });

  it('M(1) negates u (the row coordinate) and translations add (u, v)', () => {
    expect(p4m.act(p4m.element({ m: 1, r: 0 }), [3, 4])).toEqual([-3, 4]);
    expect(p4m.act(p4m.element({ m: 0, r: 0, u: 2, v: -5 }), [3, 4])).toEqual([5, -1]);
    // Rotate first, then mirror, then translate: (1, 0) -> (0, 1) -> (0, 1) -> (10, 21).
    expect(p4m.act(p4m.element({ m: 1, r: 1, u: 10, v: 20 }), [1, 0])).toEqual([10, 21]);
  });
});

// L_g on a k×k array (k odd, centre at the origin, row = u, column = v): (L_g a)[x] = a[g⁻¹ x].
function transformArray(group: Group, g: Element, a: number[][]): number[][] {
  const k = a.length;
  const c = (k - 1) / 2;
  return a.map((row, i) =>
    row.map((_, j) => {
      const [u, v] = group.act(group.inverse(g), [i - c, j - c]);
      return a[u + c]![v + c]!;
    }),
  );
}

const rot90 = (a: number[][]) => a.map((row, i) => row.map((_, j) => a[j]![a.length - 1 - i]!));
const flipRows = (a: number[][]) => a.map((row, i) => row.map((_, j) => a[a.length - 1 - i]![j]!));
const flipColumns = (a: number[][]) => a.map((row, i) => row.map((_, j) => a[i]![a.length - 1 - j]!));
const transpose = (a: number[][]) => a.map((row, i) => row.map((_, j) => a[j]![i]!));
const antiTranspose = (a: number[][]) =>
  a.map((row, i) => row.map((_, j) => a[a.length - 1 - j]![a.length - 1 - i]!));

describe.each([3, 5])('the stabiliser acting on a %i×%i array (paper-spec §1.3 table)', (k) => {
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => 10 * i + j));
  const h = p4m.stabilizer();

  it('index 1 acts as numpy rot90 (counter-clockwise as displayed), 2 and 3 as rot90 twice and thrice', () => {
    expect(transformArray(p4m, h[1]!, a)).toEqual(rot90(a));
    expect(transformArray(p4m, h[2]!, a)).toEqual(rot90(rot90(a)));
    expect(transformArray(p4m, h[3]!, a)).toEqual(rot90(rot90(rot90(a))));
    expect(transformArray(p4, p4.stabilizer()[1]!, a)).toEqual(rot90(a));
  });

  it('index 4 flips rows (up-down), 5 transposes, 6 flips columns, 7 anti-transposes', () => {
    expect(transformArray(p4m, h[4]!, a)).toEqual(flipRows(a));
    expect(transformArray(p4m, h[5]!, a)).toEqual(transpose(a));
    expect(transformArray(p4m, h[6]!, a)).toEqual(flipColumns(a));
    expect(transformArray(p4m, h[7]!, a)).toEqual(antiTranspose(a));
    // flip rows ∘ rot90^r, as the table says.
    for (let r = 0; r < 4; r++) {
      let rotated = a;
      for (let q = 0; q < r; q++) rotated = rot90(rotated);
      expect(transformArray(p4m, h[4 + r]!, a)).toEqual(flipRows(rotated));
    }
  });

  it('is a representation: L_a(L_b x) = L_(a·b) x', () => {
    for (const x of h) {
      for (const y of h) {
        expect(transformArray(p4m, x, transformArray(p4m, y, a))).toEqual(
          transformArray(p4m, p4m.compose(x, y), a),
        );
      }
    }
  });
});

// Elements, their parameters and their exact matrices.
import fc from 'fast-check';
import { fraction, matrix as mathMatrix } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { Element, p4, p4m } from '../src/index.js';
import { element, GROUPS, point } from './arbitraries.js';

describe('element()', () => {
  it('fills m, u and v with 0 and keeps the parameters it was given', () => {
    expect(p4.element({ r: 1 }).params()).toEqual({ m: 0, r: 1, u: 0, v: 0 });
    expect(p4m.element({ m: 1, r: 3, u: -2, v: 5 }).params()).toEqual({ m: 1, r: 3, u: -2, v: 5 });
    expect(p4.identity.params()).toEqual({ m: 0, r: 0, u: 0, v: 0 });
  });

  it('makes immutable values', () => {
    const g = p4m.element({ m: 1, r: 2, u: 3, v: 4 });
    expect(g).toBeInstanceOf(Element);
    expect(Object.isFrozen(g)).toBe(true);
    expect(() => {
      (g as { r: number }).r = 0;
    }).toThrow(TypeError);
  });

  it('has a readable toString()', () => {
    expect(String(p4.element({ r: 1, u: 2, v: -3 }))).toBe('p4(r=1, u=2, v=-3)');
    expect(String(p4m.element({ m: 1, r: 0 }))).toBe('p4m(m=1, r=0, u=0, v=0)');
    expect(`${p4m.identity}`).toBe('p4m(m=0, r=0, u=0, v=0)');
  });

  it('never stores -0', () => {
    const g = p4.element({ r: 0, u: -0, v: -0 });
    expect(Object.is(g.u, 0) && Object.is(g.v, 0)).toBe(true);
  });
});

describe('matrix()', () => {
  it('is the paper’s g(m, r, u, v) = [[(-1)^m cos θ, -(-1)^m sin θ, u], [sin θ, cos θ, v], [0, 0, 1]], θ = rπ/2', () => {
    fc.assert(
      fc.property(element(p4m), (g) => {
        const theta = (g.r * Math.PI) / 2;
        const sign = (-1) ** g.m;
        const round = (x: number) => Math.round(x) + 0;
        const paper = [
          [round(sign * Math.cos(theta)), round(-sign * Math.sin(theta)), g.u],
          [round(Math.sin(theta)), round(Math.cos(theta)), g.v],
          [0, 0, 1],
        ];
        expect(p4m.matrix(g)).toEqual(paper);
      }),
    );
  });

  it('is T(u, v)·M(m)·R(r) on a fixed example', () => {
    // T(2, -3)·M(1)·R(1): R(1) = [[0, -1], [1, 0]], then M negates the first row.
    expect(p4m.matrix(p4m.element({ m: 1, r: 1, u: 2, v: -3 }))).toEqual([
      [0, 1, 2],
      [1, 0, -3],
      [0, 0, 1],
    ]);
  });

  it.each(GROUPS)('of $name has integer entries and no -0', ({ group }) => {
    fc.assert(
      fc.property(element(group), (g) => {
        const entries = group.matrix(g).flat();
        expect(entries.every((x) => Number.isSafeInteger(x) && !Object.is(x, -0))).toBe(true);
      }),
    );
  });
});

describe.each(GROUPS)('$name parameters <-> matrix', ({ group }) => {
  it('round-trips params -> matrix -> fromMatrix -> params', () => {
    fc.assert(
      fc.property(element(group), (g) => {
        const back = group.fromMatrix(group.matrix(g));
        expect(back.params()).toEqual(g.params());
        expect(group.params(back)).toEqual(group.params(g));
      }),
    );
  });

  it('round-trips matrix -> fromMatrix -> matrix for every member matrix', () => {
    const linear = group.stabilizer().map((h) => group.matrix(h).slice(0, 2));
    const memberMatrix = fc.tuple(fc.constantFrom(...linear), point).map(([[row0, row1], [u, v]]) => [
      [row0![0]!, row0![1]!, u],
      [row1![0]!, row1![1]!, v],
      [0, 0, 1],
    ]);
    fc.assert(
      fc.property(memberMatrix, (m) => {
        expect(group.matrix(group.fromMatrix(m))).toEqual(m);
      }),
    );
  });

  it('accepts nested arrays, mathjs matrices and mathjs fractions that hold integers', () => {
    const rows = [
      [0, -1, 4],
      [1, 0, 5],
      [0, 0, 1],
    ];
    const expected = { m: 0, r: 1, u: 4, v: 5 };
    expect(group.fromMatrix(rows).params()).toEqual(expected);
    expect(group.fromMatrix(mathMatrix(rows)).params()).toEqual(expected);
    const fractions = mathMatrix(rows.map((row) => row.map((x) => fraction(x))));
    expect(group.fromMatrix(fractions).params()).toEqual(expected);
  });
});

describe('elements from another copy of the package', () => {
  it('are accepted by shape, not by class', () => {
    // What an Element made by a second installed copy of @gcnn/group looks like to this one.
    const foreign = Object.freeze({ group: 'p4m', m: 1, r: 1, u: 2, v: 3 }) as unknown as Element;
    expect(p4m.params(foreign)).toEqual({ m: 1, r: 1, u: 2, v: 3 });
    expect(p4m.cast(foreign)).toBeInstanceOf(Element);
    expect(p4m.compose(foreign, p4m.identity).params()).toEqual({ m: 1, r: 1, u: 2, v: 3 });
    expect(p4m.equals(p4m.inverse(p4m.inverse(foreign)), foreign)).toBe(true);
  });
});

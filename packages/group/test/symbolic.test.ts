// The closed forms derived with mathjs on symbolic matrices, checked against exact integer matrix products.
import fc from 'fast-check';
import { compile, multiply, parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { type Element, p4, p4m } from '../src/index.js';
import { formatAffine, isIdenticallyZero, multiplySymbolic, symbolicMatrix } from '../src/symbolic.js';
import { compositionLaw, describeLaws, inverseLaw, mathMatrix } from '../src/symbolic-index.js';
import { element, exact, GROUPS } from './arbitraries.js';

const COS = [1, 0, -1, 0];
const SIN = [0, 1, 0, -1];

/** Values of the symbols of element g: m, r, u, v, mu = (-1)^m, c = cos(rπ/2), s = sin(rπ/2). */
function scopeOf(g: Element, suffix = ''): Record<string, number> {
  const values = { m: g.m, r: g.r, u: g.u, v: g.v, mu: (-1) ** g.m, c: COS[g.r]!, s: SIN[g.r]! };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name + suffix, value]));
}

/** Evaluates a matrix of formula strings to numbers (with -0 turned into 0). */
function evaluateMatrix(rows: readonly (readonly string[])[], scope: Record<string, number>): number[][] {
  return rows.map((row) => row.map((entry) => compile(entry).evaluate(scope) + 0));
}

describe.each(GROUPS)('$name symbolic laws', ({ group }) => {
  const composition = compositionLaw(group);
  const inverse = inverseLaw(group);
  const g = element(group);
  const closedForm = {
    m: compile(composition.m),
    r: compile(composition.r),
    u: compile(composition.u),
    v: compile(composition.v),
  };

  it('derives the element matrix T(u, v)·M(m)·R(r) of matrix()', () => {
    fc.assert(
      fc.property(g, (a) => {
        expect(evaluateMatrix(inverse.element, scopeOf(a))).toEqual(group.matrix(a));
        expect(evaluateMatrix(composition.left, scopeOf(a, '1'))).toEqual(group.matrix(a));
        expect(evaluateMatrix(composition.right, scopeOf(a, '2'))).toEqual(group.matrix(a));
      }),
    );
  });

  it('gives a symbolic product that evaluates to the exact product matrix', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        const scope = { ...scopeOf(a, '1'), ...scopeOf(b, '2') };
        expect(evaluateMatrix(composition.product, scope)).toEqual(
          exact(multiply(mathMatrix(group, a), mathMatrix(group, b))),
        );
      }),
    );
  });

  it('has closed forms m, r, u, v of a·b that match the exact matrix product', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        const scope = { ...scopeOf(a, '1'), ...scopeOf(b, '2') };
        const fromProduct = group.fromMatrix(multiply(mathMatrix(group, a), mathMatrix(group, b)));
        const formulas = {
          m: closedForm.m.evaluate(scope) + 0,
          r: closedForm.r.evaluate(scope) + 0,
          u: closedForm.u.evaluate(scope) + 0,
          v: closedForm.v.evaluate(scope) + 0,
        };
        expect(formulas).toEqual(fromProduct.params());
        expect(group.compose(a, b).params()).toEqual(formulas);
      }),
    );
  });

  it('has per-case translation laws (one per stabiliser part of a) that match the exact product', () => {
    expect(composition.cases.map((c) => c.index)).toEqual([...Array(group.stabilizerSize).keys()]);
    fc.assert(
      fc.property(g, g, (a, b) => {
        const law = composition.cases[group.stabilizerIndex(a)]!;
        expect([law.m, law.r]).toEqual([a.m, a.r]);
        const scope = { ...scopeOf(a, '1'), ...scopeOf(b, '2') };
        const product = exact(multiply(mathMatrix(group, a), mathMatrix(group, b)));
        expect([compile(law.u).evaluate(scope) + 0, compile(law.v).evaluate(scope) + 0]).toEqual([
          product[0]![2],
          product[1]![2],
        ]);
      }),
    );
  });

  it('has closed forms m, r, u, v of g⁻¹ whose matrix is the exact two-sided inverse', () => {
    const formula = {
      m: compile(inverse.m),
      r: compile(inverse.r),
      u: compile(inverse.u),
      v: compile(inverse.v),
    };
    const identity = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    fc.assert(
      fc.property(g, (a) => {
        const scope = scopeOf(a);
        const candidate = group.element({
          m: formula.m.evaluate(scope) + 0,
          r: formula.r.evaluate(scope) + 0,
          u: formula.u.evaluate(scope) + 0,
          v: formula.v.evaluate(scope) + 0,
        });
        expect(exact(multiply(mathMatrix(group, a), mathMatrix(group, candidate)))).toEqual(identity);
        expect(exact(multiply(mathMatrix(group, candidate), mathMatrix(group, a)))).toEqual(identity);
        expect(evaluateMatrix(inverse.inverse, scope)).toEqual(group.matrix(candidate));
        const law = inverse.cases[group.stabilizerIndex(a)]!;
        expect([compile(law.u).evaluate(scope) + 0, compile(law.v).evaluate(scope) + 0]).toEqual([
          candidate.u,
          candidate.v,
        ]);
        expect(law.inverseIndex).toBe(group.stabilizerIndex(candidate));
      }),
    );
  });

  it('lists the inverse of each stabiliser element', () => {
    const expected = group === p4 ? [0, 3, 2, 1] : [0, 3, 2, 1, 4, 5, 6, 7];
    expect(inverse.cases.map((c) => c.inverseIndex)).toEqual(expected);
  });
});

describe('the derived formulas, as text', () => {
  it('are the closed forms of paper-spec §1.1-1.2', () => {
    expect(compositionLaw(p4)).toMatchObject({
      r: 'mod(r1 + r2, 4)',
      u: 'u1 + c1 * u2 - s1 * v2',
      v: 'v1 + s1 * u2 + c1 * v2',
    });
    expect(compositionLaw('p4m')).toMatchObject({
      m: 'mod(m1 + m2, 2)',
      r: 'mod((-1)^m2 * r1 + r2, 4)',
      u: 'u1 + mu1 * (c1 * u2 - s1 * v2)',
      v: 'v1 + s1 * u2 + c1 * v2',
    });
    expect(inverseLaw(p4m)).toMatchObject({ m: 'm', r: 'mod(-(-1)^m * r, 4)' });
    // R(1) sends t2 to (-v2, u2); M(1)·R(1) to (v2, u2); the inverse of a quarter turn turns t back.
    expect(compositionLaw(p4).cases[1]).toMatchObject({ u: 'u1 - v2', v: 'v1 + u2' });
    expect(compositionLaw(p4m).cases[5]).toMatchObject({ u: 'u1 + v2', v: 'v1 + u2' });
    expect(inverseLaw(p4).cases[1]).toMatchObject({ u: '-v', v: 'u' });
  });

  it('are summarised by describeLaws()', () => {
    const text = describeLaws(p4m);
    expect(text).toContain(
      'p4m: g(m, r, u, v) = T(u, v)·M(m)·R(r) = [[mu * c, -(mu * s), u], [s, c, v], [0, 0, 1]]',
    );
    expect(text).toContain('  r = mod((-1)^m2 * r1 + r2, 4)\n  u = u1 + mu1 * (c1 * u2 - s1 * v2)');
    expect(describeLaws('p4')).not.toContain('mu');
  });
});

describe('the symbolic helpers can tell right from wrong', () => {
  it('decides polynomial identities', () => {
    expect(isIdenticallyZero(parse('(a + b) * (a - b) - (a^2 - b^2)'))).toBe(true);
    expect(isIdenticallyZero(parse('u1 - u2'))).toBe(false);
    expect(isIdenticallyZero(parse('(a + b)^2 - (a^2 + b^2)'))).toBe(false);
  });

  it('multiplies symbolic matrices in order (non-commutative)', () => {
    const a = symbolicMatrix([
      [1, 'x'],
      [0, 1],
    ]);
    const b = symbolicMatrix([
      [1, 0],
      ['y', 1],
    ]);
    expect(multiplySymbolic(a, b).map((row) => row.map(String))).toEqual([
      ['x * y + 1', 'x'],
      ['y', '1'],
    ]);
    expect(multiplySymbolic(b, a).map((row) => row.map(String))).toEqual([
      ['1', 'x'],
      ['y', 'y * x + 1'],
    ]);
  });

  it('rewrites only affine expressions with integer coefficients', () => {
    expect(formatAffine(parse('v2 + u1 - 2'), ['u1', 'v1', 'u2', 'v2'])).toBe('u1 + v2 - 2');
    expect(formatAffine(parse('-u + 0 * v'), ['u', 'v'])).toBe('-u');
    // u·v is 0 at every point where at most one symbol is 1, so only the final check catches it.
    expect(() => formatAffine(parse('u * v'), ['u', 'v'])).toThrow(/changed its value/);
    expect(() => formatAffine(parse('u / 2'), ['u', 'v'])).toThrow(/not affine/);
  });
});

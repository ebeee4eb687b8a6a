// The group axioms for p4 and p4m as fast-check properties (seeded, >= 1000 runs: see setup.ts).
import fc from 'fast-check';
import { multiply } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { mathMatrix } from '../src/symbolic-index.js';
import { element, exact, GROUPS } from './arbitraries.js';

const IDENTITY_3x3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

it('runs every property at least 1000 times from a fixed seed (test/setup.ts)', () => {
  const config = fc.readConfigureGlobal();
  expect(config.numRuns).toBeGreaterThanOrEqual(1000);
  expect(Number.isInteger(config.seed)).toBe(true);
});

describe.each(GROUPS)('$name group laws', ({ group }) => {
  const g = element(group);

  it('is closed: a·b is an element of the group whose matrix is a member matrix', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        const ab = group.compose(a, b);
        expect(group.contains(ab)).toBe(true);
        // Re-validating the parameters and re-reading the exact product matrix both accept it.
        expect(group.equals(group.element(ab.params()), ab)).toBe(true);
        expect(group.equals(group.fromMatrix(multiply(mathMatrix(group, a), mathMatrix(group, b))), ab)).toBe(
          true,
        );
      }),
    );
  });

  it('composes as the matrix product (b acts first)', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        const product = exact(multiply(mathMatrix(group, a), mathMatrix(group, b)));
        expect(group.matrix(group.compose(a, b))).toEqual(product);
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(g, g, g, (a, b, c) => {
        const left = group.compose(group.compose(a, b), c);
        const right = group.compose(a, group.compose(b, c));
        expect(group.equals(left, right)).toBe(true);
      }),
    );
  });

  it('has a two-sided identity', () => {
    fc.assert(
      fc.property(g, (a) => {
        expect(group.equals(group.compose(group.identity, a), a)).toBe(true);
        expect(group.equals(group.compose(a, group.identity), a)).toBe(true);
      }),
    );
    expect(group.matrix(group.identity)).toEqual(IDENTITY_3x3);
  });

  it('has two-sided inverses whose matrices are the exact inverse matrices', () => {
    fc.assert(
      fc.property(g, (a) => {
        const inverse = group.inverse(a);
        expect(group.equals(group.compose(a, inverse), group.identity)).toBe(true);
        expect(group.equals(group.compose(inverse, a), group.identity)).toBe(true);
        expect(exact(multiply(mathMatrix(group, a), mathMatrix(group, inverse)))).toEqual(IDENTITY_3x3);
        expect(exact(multiply(mathMatrix(group, inverse), mathMatrix(group, a)))).toEqual(IDENTITY_3x3);
        expect(group.equals(group.inverse(inverse), a)).toBe(true);
      }),
    );
  });

  it('inverts a product in reverse order: (a·b)⁻¹ = b⁻¹·a⁻¹', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        const left = group.inverse(group.compose(a, b));
        const right = group.compose(group.inverse(b), group.inverse(a));
        expect(group.equals(left, right)).toBe(true);
      }),
    );
  });

  it('says two elements are equal exactly when their parameters are', () => {
    fc.assert(
      fc.property(g, g, (a, b) => {
        expect(group.equals(a, b)).toBe(JSON.stringify(a.params()) === JSON.stringify(b.params()));
        expect(group.equals(a, group.element(a.params()))).toBe(true);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../src/index.js';
import { addProductTransposed } from '../src/matmul.js';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  let s = seed + 1;
  return Float64Array.from({ length: rows * cols }, () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
}

function symmetric(n: number, seed: number): Float64Array {
  const a = randomMatrix(n, n, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return a;
}

function checkEigen(a: Float64Array, n: number, tolerance: number): void {
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
  let residual = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * vectors[k * n + j]!;
      residual = Math.max(residual, Math.abs(s - values[k]! * vectors[k * n + i]!));
    }
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[k * n + j]! * vectors[l * n + j]!;
      orthogonality = Math.max(orthogonality, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  expect(residual).toBeLessThan(tolerance);
  expect(orthogonality).toBeLessThan(tolerance);
}

describe('addProductTransposed (the blocked matrix kernel)', () => {
  it('equals the naive product for any shape, edge tiles included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        (m, n, k, seed) => {
          const a = randomMatrix(m, k, seed);
          const b = randomMatrix(n, k, seed + 1);
          const c = randomMatrix(m, n, seed + 2);
          const expected = Float64Array.from(c);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
              expected[i * n + j] = expected[i * n + j]! + s;
            }
          addProductTransposed(a, b, c, m, n, k);
          for (let i = 0; i < m * n; i++) expect(c[i]).toBeCloseTo(expected[i]!, 10);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fills the lower triangle of a Gram matrix with lowerOnly', () => {
    for (const [n, k] of [
      [1, 3],
      [7, 5],
      [70, 260],
      [133, 17],
    ] as const) {
      const a = randomMatrix(n, k, n);
      const c = new Float64Array(n * n);
      addProductTransposed(a, a, c, n, n, k, true);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[i * k + p]! * a[j * k + p]!;
          expect(c[i * n + j]).toBeCloseTo(s, 10);
        }
    }
  });
});

describe('symmetricEigen', () => {
  it('decomposes random symmetric matrices: A v = λ v, orthonormal vectors, values descending', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), (n, seed) =>
        checkEigen(symmetric(n, seed), n, 1e-12),
      ),
      { numRuns: 40 },
    );
    checkEigen(symmetric(150, 9), 150, 1e-11);
  });

  it('handles diagonal, zero, repeated and rank-deficient spectra', () => {
    const diagonal = new Float64Array(16);
    [3, -1, 2, 0].forEach((v, i) => {
      diagonal[i * 4 + i] = v;
    });
    expect([...symmetricEigen(diagonal, 4).values]).toEqual([3, 2, 0, -1]);
    expect([...symmetricEigen(new Float64Array(9), 3).values]).toEqual([0, 0, 0]);
    const identity = new Float64Array(25);
    for (let i = 0; i < 5; i++) identity[i * 5 + i] = 2;
    expect([...symmetricEigen(identity, 5).values]).toEqual([2, 2, 2, 2, 2]);
    // Rank one: v vᵀ has eigenvalues |v|² and zeros.
    const v = [1, 2, 3, 4, 5, 6];
    const rankOne = Float64Array.from({ length: 36 }, (_, i) => v[Math.floor(i / 6)]! * v[i % 6]!);
    const { values } = symmetricEigen(rankOne, 6);
    expect(values[0]).toBeCloseTo(91, 12);
    for (let k = 1; k < 6; k++) expect(Math.abs(values[k]!)).toBeLessThan(1e-13);
    checkEigen(rankOne, 6, 1e-12);
    // Eigenvalues with multiplicity in a non-diagonal basis: Q diag(1,1,1,5,5) Qᵀ.
    const q = symmetricEigen(symmetric(5, 3), 5).vectors;
    const spectrum = [1, 1, 1, 5, 5];
    const repeated = new Float64Array(25);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++)
        for (let k = 0; k < 5; k++)
          repeated[i * 5 + j] = repeated[i * 5 + j]! + q[k * 5 + i]! * spectrum[k]! * q[k * 5 + j]!;
    const result = symmetricEigen(repeated, 5).values;
    [5, 5, 1, 1, 1].forEach((value, k) => {
      expect(result[k]).toBeCloseTo(value, 12);
    });
  });

  it('rejects a wrong size or a non-finite entry', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/expected an 2x2 matrix/);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(/entry 1 is NaN/);
  });
});

// Bad input: every case throws a GroupError whose message names what is wrong.
import { matrix as mathMatrix } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { type Element, GroupError, groupByName, p4, p4m } from '../src/index.js';
import { compositionLaw } from '../src/symbolic-index.js';

/** Asserts that `fn` throws a GroupError whose message matches `message`. */
function expectGroupError(fn: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GroupError);
  expect((thrown as GroupError).name).toBe('GroupError');
  expect((thrown as GroupError).message).toMatch(message);
}

describe('element parameters', () => {
  it.each([
    ['r = 5', () => p4.element({ r: 5 }), /p4: r must be one of 0, 1, 2, 3, got 5/],
    ['r = -1', () => p4m.element({ r: -1 }), /p4m: r must be one of 0, 1, 2, 3, got -1/],
    ['r = 1.5', () => p4.element({ r: 1.5 }), /r must be one of 0, 1, 2, 3, got 1\.5/],
    ['r missing', () => p4.element({} as { r: number }), /r must be one of 0, 1, 2, 3, got undefined/],
    ['m = 2', () => p4m.element({ m: 2, r: 0 }), /p4m: m must be one of 0, 1, got 2/],
    ['m = 1 in p4', () => p4.element({ m: 1, r: 0 }), /p4: has no mirrors.*use p4m/],
    ['u = 0.5', () => p4.element({ r: 0, u: 0.5 }), /translation u must be a safe integer, got 0\.5/],
    ['v = NaN', () => p4m.element({ r: 0, v: Number.NaN }), /translation v must be a safe integer, got NaN/],
    ['r = NaN', () => p4.element({ r: Number.NaN }), /r must be one of 0, 1, 2, 3, got NaN/],
    [
      'u = Infinity',
      () => p4.element({ r: 0, u: Number.POSITIVE_INFINITY }),
      /u must be a safe integer, got Infinity/,
    ],
    ['u = 2^53', () => p4.element({ r: 0, u: 2 ** 53 }), /u must be a safe integer, got 9007199254740992/],
    [
      'u as a string',
      () => p4.element({ r: 0, u: '1' as unknown as number }),
      /u must be a safe integer, got "1"/,
    ],
    ['an unknown key', () => p4.element({ r: 0, x: 1 } as { r: number }), /unknown element parameter "x"/],
    [
      'not an object',
      () => p4.element(3 as unknown as { r: number }),
      /must be an object like \{ r, u, v \}, got 3/,
    ],
  ])('rejects %s', (_, fn, message) => expectGroupError(fn, message));
});

describe('fromMatrix rejects what is not a member matrix', () => {
  const rotated = (a: number, b: number, c: number, d: number) => [
    [a, b, 0],
    [c, d, 0],
    [0, 0, 1],
  ];
  it.each([
    [
      'a 2x2 matrix',
      () =>
        p4.fromMatrix([
          [1, 0],
          [0, 1],
        ]),
      /expected a 3x3 matrix/,
    ],
    [
      'a 3x4 matrix',
      () => p4.fromMatrix([...rotated(1, 0, 0, 1)].map((row) => [...row, 0])),
      /expected a 3x3 matrix/,
    ],
    [
      'a ragged matrix',
      () =>
        p4.fromMatrix([
          [1, 0, 0],
          [0, 1],
          [0, 0, 1],
        ]),
      /expected a 3x3 matrix/,
    ],
    ['a vector', () => p4m.fromMatrix(mathMatrix([1, 0, 0])), /expected a 3x3 matrix/],
    ['not an array', () => p4.fromMatrix('I' as unknown as number[][]), /expected a 3x3 matrix/],
    [
      'a non-integer entry',
      () =>
        p4.fromMatrix([
          [1, 0, 0.5],
          [0, 1, 0],
          [0, 0, 1],
        ]),
      /entry \[0\]\[2\] must be an integer, got 0\.5/,
    ],
    [
      'a NaN entry',
      () =>
        p4m.fromMatrix([
          [1, 0, 0],
          [0, Number.NaN, 0],
          [0, 0, 1],
        ]),
      /entry \[1\]\[1\] must be an integer, got NaN/,
    ],
    [
      'a string entry',
      () =>
        p4m.fromMatrix([
          [1, 0, 0],
          [0, '1', 0],
          [0, 0, 1],
        ] as number[][]),
      /entry \[1\]\[1\] must be an integer, got "1"/,
    ],
    [
      'a 45° rotation (irrational entries)',
      () => p4.fromMatrix(rotated(Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2)),
      /entry \[0\]\[0\] must be an integer, got 0\.707/,
    ],
    [
      'a last row other than [0, 0, 1]',
      () =>
        p4.fromMatrix([
          [1, 0, 0],
          [0, 1, 0],
          [1, 0, 1],
        ]),
      /last row must be \[0, 0, 1\], got \[1,0,1\]/,
    ],
    [
      'a projective last row',
      () =>
        p4.fromMatrix([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 2],
        ]),
      /last row must be \[0, 0, 1\]/,
    ],
    ['determinant 2 (a scaling)', () => p4m.fromMatrix(rotated(2, 0, 0, 1)), /determinant ±1, got 2/],
    ['determinant 0', () => p4m.fromMatrix(rotated(1, 1, 1, 1)), /determinant ±1, got 0/],
    [
      'a shear (determinant 1)',
      () => p4m.fromMatrix(rotated(1, 1, 0, 1)),
      /\[\[1, 1\], \[0, 1\]\] is not a rotation by a multiple of 90° or such a rotation followed by the row flip/,
    ],
    [
      'a shear in p4',
      () => p4.fromMatrix(rotated(1, 0, 1, 1)),
      /\[\[1, 0\], \[1, 1\]\] is not a rotation by a multiple of 90°$/,
    ],
    [
      'a flipped shear (determinant -1)',
      () => p4m.fromMatrix(rotated(1, 1, 0, -1)),
      /is not a rotation by a multiple of 90°/,
    ],
    [
      'a p4m matrix given to p4',
      () => p4.fromMatrix(rotated(-1, 0, 0, 1)),
      /determinant -1 \(a mirror\), so it is in p4m, not p4/,
    ],
  ])('%s', (_, fn, message) => expectGroupError(fn, message));
});

describe('operations', () => {
  const mirror = p4m.element({ m: 1, r: 0 });
  it.each([
    [
      'a p4m mirror in p4.compose',
      () => p4.compose(mirror, p4.identity),
      /p4\.compose: p4m\(m=1.*has a mirror, so it is not in p4; use p4m/,
    ],
    ['a p4m mirror in p4.inverse', () => p4.inverse(mirror), /p4\.inverse: .*not in p4/],
    ['a p4m mirror in p4.cast', () => p4.cast(mirror), /p4\.cast: .*not in p4/],
    [
      'a plain object as an element',
      () => p4.compose({ r: 1 } as Element, p4.identity),
      /p4\.compose: expected a group element, got \{"r":1\}/,
    ],
    [
      'undefined as an element',
      () => p4m.inverse(undefined as unknown as Element),
      /expected a group element, got undefined/,
    ],
    [
      'a non-integer point',
      () => p4.act(p4.identity, [0.5, 1]),
      /p4\.act: the point must be \[u, v\] with safe integers, got \[0\.5, 1\]/,
    ],
    [
      'a NaN point',
      () => p4m.act(p4m.identity, [0, Number.NaN]),
      /the point must be \[u, v\] with safe integers, got \[0, NaN\]/,
    ],
    [
      'a point of length 3',
      () => p4.act(p4.identity, [1, 2, 3] as unknown as [number, number]),
      /got \[1, 2, 3\]/,
    ],
    ['an unknown group name', () => groupByName('p6' as 'p4'), /unknown group "p6": expected 'p4' or 'p4m'/],
    ['an unknown group in the laws', () => compositionLaw('p3' as 'p4'), /laws: unknown group "p3"/],
  ])('rejects %s', (_, fn, message) => expectGroupError(fn, message));
});

describe('stabilizerCosets rejects what is not a subgroup', () => {
  it.each([
    ['a set that is not closed', () => p4.stabilizerCosets([0, 1]), /\[0, 1\] is not closed \(1·1 = 2\)/],
    ['a set without the identity', () => p4m.stabilizerCosets([1, 2, 3]), /lacks the identity 0/],
    ['a repeated index', () => p4.stabilizerCosets([0, 0]), /repeat an element/],
    [
      'an index out of range',
      () => p4.stabilizerCosets([0, 4]),
      /4 is not a stabiliser index of p4 \(0\.\.3\)/,
    ],
    ['an empty list', () => p4m.stabilizerCosets([]), /non-empty list/],
    ['p4m inside p4', () => p4.stabilizerCosets(p4m), /p4m is not a subgroup of p4/],
    [
      'something else',
      () => p4.stabilizerCosets('C4' as unknown as number[]),
      /expected p4, p4m or a list of stabiliser indices, got C4/,
    ],
  ])('rejects %s', (_, fn, message) => expectGroupError(fn, message));
});

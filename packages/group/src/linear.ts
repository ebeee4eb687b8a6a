import type { Mirror, Rotation } from './element.js';

/** A 2x2 integer matrix [[a, b], [c, d]] acting on column vectors (u, v). */
export type Linear2 = readonly [number, number, number, number];

// cos and sin of r quarter turns, as exact integers (no trigonometry at run time).
const COS = [1, 0, -1, 0] as const;
const SIN = [0, 1, 0, -1] as const;

/** R(r): rotation by r quarter turns; R(1) sends (u, v) to (-v, u). */
export function rotation(r: Rotation): Linear2 {
  const c = COS[r];
  const s = SIN[r];
  // `+ 0` so that no entry is -0 (which toEqual and Object.is tell apart from 0).
  return [c, -s + 0, s, c];
}

/** M(m)·R(r), with M(m) = diag((-1)^m, 1) negating the row coordinate u. */
export function linearPart(m: Mirror, r: Rotation): Linear2 {
  const [a, b, c, d] = rotation(r);
  return m === 1 ? [-a + 0, -b + 0, c, d] : [a, b, c, d];
}

/** The matrix applied to a point. */
export function apply(l: Linear2, u: number, v: number): [number, number] {
  // `+ 0` avoids -0 in results.
  return [l[0] * u + l[1] * v + 0, l[2] * u + l[3] * v + 0];
}

/** (a mod 4) in 0..3 for any integer a. */
export function mod4(a: number): Rotation {
  return (((a % 4) + 4) % 4) as Rotation;
}

/**
 * Sine and cosine that give the same bits on every machine. `Math.sin`/`Math.cos` are not specified to the last
 * bit and do differ between engines and platforms, which would make the "same seed, same bytes" promise of the
 * rotated data set depend on the machine. Here an angle is given in turns (fractions of a full rotation) and
 * reduced exactly to [0, 1/8] of a turn by the symmetries of the circle; a Taylor polynomial in Horner form then
 * uses only +, - and *, which IEEE 754 rounds identically everywhere. Accuracy: within about 1 ulp.
 */

const HALF_PI = Math.PI / 2;

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k; // exact: 18! < 2^53
  return f;
}

// Coefficients (-1)^k / (2k+1)! and (-1)^k / (2k)!, k = 0..9; the first omitted term is below 1e-19 on [0, π/4].
const SIN_COEFFICIENTS = Array.from({ length: 9 }, (_, k) => (k % 2 === 0 ? 1 : -1) / factorial(2 * k + 1));
const COS_COEFFICIENTS = Array.from({ length: 10 }, (_, k) => (k % 2 === 0 ? 1 : -1) / factorial(2 * k));

function horner(coefficients: readonly number[], z: number): number {
  let acc = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) acc = acc * z + coefficients[k]!;
  return acc;
}

/** sin and cos of x for 0 <= x <= π/4 (Taylor polynomials). */
function sinCosSmall(x: number): [number, number] {
  const z = x * x;
  return [x * horner(SIN_COEFFICIENTS, z), horner(COS_COEFFICIENTS, z)];
}

/**
 * `[sin, cos]` of the angle `turns * 2π`, reproducible to the bit on any machine. Quarter and eighth turns are
 * reduced exactly (for the dyadic angles the generator draws, k / 2^32 of a turn, every step is exact), so
 * multiples of a quarter turn give exactly 0 and ±1.
 */
export function sinCosTurns(turns: number): [number, number] {
  if (!Number.isFinite(turns)) throw new RangeError(`sinCosTurns: angle must be finite, got ${turns}`);
  let t = turns - Math.floor(turns); // [0, 1], 1 only by rounding for tiny negative angles
  if (t >= 1) t = 0;
  const quarters = t * 4;
  const quadrant = Math.floor(quarters);
  const f = quarters - quadrant; // [0, 1): position inside the quarter turn
  let s: number;
  let c: number;
  if (f <= 0.5) {
    [s, c] = sinCosSmall(f * HALF_PI);
  } else {
    // sin(π/2 - y) = cos y, cos(π/2 - y) = sin y
    [c, s] = sinCosSmall((1 - f) * HALF_PI);
  }
  switch (quadrant) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}

/** `[sin, cos]` of an angle in radians, reproducible on any machine (see {@link sinCosTurns}). */
export function sinCos(radians: number): [number, number] {
  return sinCosTurns(radians / (2 * Math.PI));
}

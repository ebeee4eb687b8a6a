/**
 * Reproducible randomness for training runs.
 *
 * Every random stream of a run (weight init, data order, dropout) is derived from the run seed, a purpose and,
 * where it changes per epoch, the epoch number. A resumed run therefore needs no saved generator state: epoch e
 * draws the same numbers whether or not the process restarted before it.
 */

/** A uniform generator on [0, 1) with 32-bit state (mulberry32): small, fast, and good enough for shuffling. */
export type UniformRandom = () => number;

/** Hashes the parts (FNV-1a over their text) into a 32-bit seed. */
export function deriveSeed(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A mulberry32 generator started from `seed`. */
export function createRandom(seed: number): UniformRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from `random`. */
export function permutation(n: number, random: UniformRandom): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/**
 * Runs a synchronous `fn` with `Math.random` replaced by `random`.
 *
 * tfjs draws the seeds of unseeded random ops (initialisers, dropout) from `Math.random`, so this makes
 * them reproducible without touching the model code. `fn` must be synchronous so that no other code runs
 * while the replacement is in place.
 */
export function withMathRandom<T>(random: UniformRandom, fn: () => T): T {
  const original = Math.random;
  Math.random = random;
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('withMathRandom needs a synchronous function');
    return result;
  } finally {
    Math.random = original;
  }
}

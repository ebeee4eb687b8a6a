/**
 * Seeded random streams for the replicas of data-parallel training.
 *
 * tfjs draws the seed of every unseeded random op (dropout's mask) from `Math.random`. A worker that swaps
 * `Math.random` for a generator seeded from (step seed, worker index) during a step makes its dropout masks
 * a function of the step alone: a resumed run draws the same masks as an uninterrupted one.
 */

/** Mixes a 32-bit step seed with a worker index into a new 32-bit seed (a murmur3-style finaliser). */
export function workerSeed(seed: number, worker: number): number {
  let h = (seed ^ Math.imul(worker + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform generator on [0, 1) (mulberry32) started from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the synchronous `fn` with `Math.random` drawing from `random`, restoring it afterwards. */
export function withRandom<T>(random: (() => number) | undefined, fn: () => T): T {
  if (random == null) return fn();
  const original = Math.random;
  Math.random = random;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

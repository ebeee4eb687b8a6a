/**
 * Every random stream of training (weight initialisation, data order, augmentation, dropout, workers) comes from
 * @gcnn/data's `Rng` (xoshiro128**, seeded by MurmurHash3 over words), so the same seed gives the same numbers on
 * every machine, and each stream is a pure function of (seed, purpose, epoch, batch): a resumed run needs no saved
 * generator state.
 */
import { hashWords, Rng, seedWords } from '@gcnn/data';

/** A uniform generator on [0, 1). */
export type UniformRandom = () => number;

/** The words of a purpose name (its UTF-16 code units), so that streams are named, not numbered. */
function purposeWords(purpose: string): number[] {
  return Array.from(purpose, (char) => char.codePointAt(0)!);
}

/**
 * A 32-bit seed for one purpose of a run, e.g. `deriveSeed(seed, 'init')` or `deriveSeed(seed, 'dropout', epoch,
 * batch)`: MurmurHash3 over the seed's words, the purpose and the extra words (non-negative integers < 2^32).
 */
export function deriveSeed(seed: number, purpose: string, ...words: number[]): number {
  return hashWords([...seedWords(seed), purpose.length, ...purposeWords(purpose), ...words]);
}

/** A uniform generator on [0, 1) drawn from `Rng` seeded with `seed` and extra words. */
export function seededUniform(seed: number, ...words: number[]): UniformRandom {
  const rng = Rng.fromSeed(seed, ...words);
  return () => rng.nextFloat();
}

/**
 * Runs a synchronous `fn` with `Math.random` replaced by `random` (nothing else runs meanwhile).
 *
 * tfjs draws the seeds of unseeded random ops (initialisers, dropout masks) from `Math.random`, so this makes them
 * reproducible without touching the model code. `random` undefined runs `fn` as it is.
 */
export function withMathRandom<T>(random: UniformRandom | undefined, fn: () => T): T {
  if (random === undefined) return fn();
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

/**
 * The random ops of step `batch` of `epoch` in replica `replica` (0 in one process): one stream per step and
 * replica, so that a step's dropout masks do not depend on how many steps ran before it in this process.
 */
export function stepRandom(stepSeed: number, replica: number): UniformRandom {
  return seededUniform(stepSeed, replica);
}

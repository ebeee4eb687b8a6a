/**
 * A small, fully specified random generator, so that data generation, shuffling and augmentation give the same
 * numbers on every machine and every JavaScript engine: xoshiro128** (Blackman and Vigna) on uint32 arithmetic,
 * seeded by hashing the seed words with MurmurHash3's 32-bit mixing. Only integer operations are used (Math.imul,
 * shifts, xor), whose results the language defines exactly.
 */

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's finaliser: a bijection of uint32 that mixes every input bit into every output bit. */
function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Hashes a list of uint32 words into one uint32 (MurmurHash3 x86_32 over the words, seed 0). Used to derive
 * independent streams from (seed, epoch, purpose) tuples.
 */
export function hashWords(words: readonly number[]): number {
  let h = 0;
  for (const word of words) {
    let k = Math.imul(word >>> 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (words.length * 4));
}

/**
 * Splits a seed (a non-negative safe integer, i.e. up to 2^53 - 1) into its low and high uint32 words, so that
 * every bit of it reaches the generator. Throws for anything else, naming `what`.
 */
export function seedWords(seed: number, what = 'seed'): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${what} must be a non-negative integer up to 2^53 - 1, got ${seed}`);
  }
  return [seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)];
}

/**
 * A seeded xoshiro128** generator. Construct it from any number of uint32 words (e.g. `...seedWords(seed), epoch`):
 * the four state words are `hashWords([k, ...words])` for k = 0..3.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(words: readonly number[]) {
    this.s0 = hashWords([0, ...words]) | 0;
    this.s1 = hashWords([1, ...words]) | 0;
    this.s2 = hashWords([2, ...words]) | 0;
    this.s3 = hashWords([3, ...words]) | 0;
    // The all-zero state is the one state xoshiro cannot leave.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the given raw xoshiro128** state words (not all zero), e.g. to check reference outputs. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const rng = new Rng([]);
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0)
      throw new RangeError('Rng.fromState: the state must not be all zero');
    return rng;
  }

  /** A generator seeded by one non-negative integer seed plus optional extra uint32 words (epoch, stream...). */
  static fromSeed(seed: number, ...extra: number[]): Rng {
    return new Rng([...seedWords(seed), ...extra]);
  }

  /** The next uint32, uniform in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float uniform in [0, 1) with 32 random bits (`nextUint32() / 2^32`, exact). */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer uniform in [0, n) for 1 <= n <= 2^32, without modulo bias (rejection sampling). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`nextInt: bad bound ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffles an array in place (Fisher-Yates from the front) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = 0; i < array.length - 1; i++) {
      const j = i + this.nextInt(array.length - i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

/** The permutation of 0..n-1 that `Rng` words give (Fisher-Yates), as a Uint32Array. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return rng.shuffle(order);
}

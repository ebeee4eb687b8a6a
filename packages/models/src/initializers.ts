import type { Initializer } from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';

/** A source of per-layer seeds, so a whole model is reproducible from one number (or random without one). */
export class SeedSequence {
  #next: number | undefined;

  constructor(seed: number | undefined) {
    if (seed !== undefined && !Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be an integer, got ${seed}`);
    }
    this.#next = seed;
  }

  /** The next layer's seed, or undefined when the model is not seeded. */
  take(): number | undefined {
    if (this.#next === undefined) return undefined;
    // Spread consecutive seeds apart; tfjs seeds its generator with the number as given.
    const seed = (Math.imul(this.#next + 1, 0x9e3779b1) >>> 0) % 2_147_483_647;
    this.#next += 1;
    return seed;
  }
}

/**
 * N(0, stddev²) without truncation, as Chainer and GrouPy draw their weights. Serialises as tfjs' RandomNormal,
 * so saved models load without this package.
 */
export function gaussian(stddev: number, seed: number | undefined): Initializer {
  return tfl.initializers.randomNormal({ mean: 0, stddev, seed });
}

/**
 * GrouPy's default init for a filter with fan-in C_in·n_in·k²: N(0, wscale²/fanIn). wscale = 1 for the MNIST
 * models (and Chainer's default for planar convolutions), √2 (He) for the ResNets.
 */
export function fanInGaussian(fanIn: number, wscale: number, seed: number | undefined): Initializer {
  return gaussian(wscale * Math.sqrt(1 / fanIn), seed);
}

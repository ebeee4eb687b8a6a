/**
 * Upper bounds of the CLI's numeric flags. Each is far above any sensible value yet small enough that
 * the value is exact in a double and cannot exhaust memory before training starts (a seed range is
 * expanded into a list, an epoch count sizes loops and logs).
 */
export const LIMITS = {
  /** Epochs of one run (the paper's longest protocol is 350). */
  epochs: 100_000,
  /** Seeds: 32-bit, as the seeded generators take them. */
  seed: 2 ** 32 - 1,
  /** Seeds in one table. */
  seedCount: 1000,
  batchSize: 65_536,
  /** Images kept by --train-limit / --test-limit (MNIST-rot has 62,000, CIFAR-10 60,000). */
  images: 10_000_000,
  workers: 64,
  /** Timed runs per bench figure. */
  benchRuns: 10_000,
  /** Largest learning rate. */
  learningRate: 100,
} as const;

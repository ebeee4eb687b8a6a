/** Summary of repeated timings. */
export interface Stats {
  min: number;
  median: number;
  max: number;
  /** Number of timed runs. */
  runs: number;
}

/** Options of the measuring loops. */
export interface RunOptions {
  /** Untimed runs first (compilation, allocation, XNNPACK operator creation). Default 1. */
  warmup?: number;
  /** Timed runs. Default 5 (or the environment variable GCNN_BENCH_RUNS). */
  runs?: number;
}

/** Timed runs from the options or GCNN_BENCH_RUNS. */
export function runsFrom(options: RunOptions = {}): { warmup: number; runs: number } {
  const env = Number(process.env.GCNN_BENCH_RUNS);
  const runs = options.runs ?? (Number.isInteger(env) && env > 0 ? env : 5);
  return { warmup: options.warmup ?? 1, runs };
}

/** min/median/max of `values`. */
export function summarize(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number, runs: sorted.length };
}

/** Wall-clock milliseconds of each timed run of `fn`. */
export async function timeRuns(fn: () => unknown, options: RunOptions = {}): Promise<number[]> {
  const { warmup, runs } = runsFrom(options);
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Converts run times (ms) of `work` units each into a rate per second, summarised (min is the slowest run). */
export function rate(timesMs: number[], work: number): Stats {
  return summarize(timesMs.map((t) => (work / t) * 1000));
}

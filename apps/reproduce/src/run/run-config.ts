import type { TrainingProtocol } from './protocol.js';

/** Where a run's images come from; recorded so that `eval` and `--resume` load the same data. */
export type DataSpec =
  | {
      readonly dataset: 'mnist-rot';
      /** 'generated': regenerated from MNIST by @gcnn/data; 'amat': the original Larochelle et al. files. */
      readonly source: 'generated' | 'amat';
      readonly amatDir?: string;
      /** Seed of the regeneration (source 'generated'). */
      readonly generatorSeed?: number;
      /**
       * The ±π° (about ±3.14°) random rotation of training images that the authors' experiment script applies
       * (skimage's rotate takes degrees); the paper does not mention it. Absent = off.
       */
      readonly jitter?: boolean;
      readonly trainLimit?: number;
      readonly testLimit?: number;
    }
  | {
      readonly dataset: 'cifar10';
      readonly cifarDir: string;
      /** CIFAR10+: random horizontal flips and translations of up to 2 px. */
      readonly augment: boolean;
      readonly trainLimit?: number;
      readonly testLimit?: number;
    };

/** Everything that determines a run's result, written to its config.json. */
export interface RunConfig {
  readonly format: 'gcnn-run/1';
  /** The model's CLI name, e.g. 'p4cnn'. */
  readonly model: string;
  readonly seed: number;
  readonly protocol: TrainingProtocol;
  readonly data: DataSpec;
  /** The backend asked for ('auto', 'wasm', ...); the one used is in the log and metrics. */
  readonly backend: string;
  /**
   * Data-parallel workers that train the model (1: in one process). With more, each worker's batch-norm
   * layers see only its share of each batch (64 of 128 with two workers), so the count is part of the run.
   * Absent in configs written before it existed: 1.
   */
  readonly workers: number;
}

/** A saved config as this version reads it (fills in fields that older versions did not write). */
export function normalizeConfig(config: RunConfig): RunConfig {
  return { ...config, workers: config.workers ?? 1 };
}

/** Fields whose change makes a run a different run (everything except the backend). */
export function configDifferences(saved: RunConfig, requested: RunConfig): string[] {
  const flat = (value: unknown, prefix: string, out: Map<string, string>) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) flat(inner, prefix ? `${prefix}.${key}` : key, out);
    } else {
      out.set(prefix, JSON.stringify(value));
    }
    return out;
  };
  const a = flat({ ...saved, backend: undefined }, '', new Map());
  const b = flat({ ...requested, backend: undefined }, '', new Map());
  const keys = new Set([...a.keys(), ...b.keys()]);
  const differences: string[] = [];
  for (const key of keys) {
    if (a.get(key) !== b.get(key)) {
      differences.push(`${key} ${a.get(key) ?? 'unset'} (saved) vs ${b.get(key) ?? 'unset'} (now)`);
    }
  }
  return differences.sort();
}

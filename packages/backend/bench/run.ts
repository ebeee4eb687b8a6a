import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type BackendPreference, selectBackend } from '../src/select-backend.js';
import type { RunOptions } from './measure.js';
import { benchmarkDataParallel, benchmarkModel, type ModelResult } from './models.js';
import { convLayer, matmulPeak, P4CNN_CONV_SHAPES } from './ops.js';
import type { BenchReport } from './report.js';
import { P4CNN_FLOPS, p4cnnStandIn, Z2CNN_FLOPS, z2cnnStandIn } from './standin-models.js';

/** Options of `runBench`. */
export interface BenchOptions extends RunOptions {
  /** Backend to measure. Default 'auto'. */
  backend?: BackendPreference;
  /** XNNPACK threads for the in-process figures. Default: one per core. */
  threads?: number | 'auto';
  /** Batch size of the model figures. Default 128. */
  batch?: number;
  /** Workers for the data-parallel figures (wasm only); 0 skips them. Default: one per core. */
  workers?: number;
  /** Skip the model figures (matmul and conv only). */
  opsOnly?: boolean;
  /** Progress lines (to stderr by the CLI). */
  progress?: (line: string) => void;
}

/** The module with the stand-in models, for the workers of the data-parallel figures. */
function standInModule(): string {
  if (import.meta.url.endsWith('.ts')) return fileURLToPath(new URL('./standin-models.ts', import.meta.url));
  // Built: this code may sit in dist/bench/ or in a shared chunk in dist/.
  const candidates = ['./standin-models.js', './bench/standin-models.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((file) => existsSync(file));
  if (found == null)
    throw new Error(`bench: cannot find the stand-in models module (looked for ${candidates.join(', ')})`);
  return found;
}

/**
 * Runs the whole benchmark on the chosen backend: matmul peak, conv forward/backward at the P4CNN layer
 * sizes, and P4CNN / Z2CNN stand-ins training and inference, in-process and (wasm) data-parallel.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const say = options.progress ?? (() => {});
  const loadBefore = os.loadavg()[0] as number;
  const selected = await selectBackend(options.backend ?? 'auto', { threads: options.threads ?? 'auto' });
  say(`backend ${selected.name}, ${selected.threads} thread(s)`);
  const runs: RunOptions = {};
  if (options.runs != null) runs.runs = options.runs;
  if (options.warmup != null) runs.warmup = options.warmup;
  say('matmul peak');
  const matmul = await matmulPeak(runs);
  const conv = [];
  for (const shape of P4CNN_CONV_SHAPES) {
    say(`conv ${shape.name}`);
    conv.push(await convLayer(shape, runs));
  }
  const models: ModelResult[] = [];
  if (!options.opsOnly) {
    const batch = options.batch ?? 128;
    for (const factory of [p4cnnStandIn, z2cnnStandIn]) {
      say(`${factory.name} in-process`);
      const result = await benchmarkModel(factory, { ...runs, batch });
      result.route = `in-process, ${selected.threads} thread(s)`;
      models.push(result);
    }
    const workers = options.workers ?? os.availableParallelism();
    if (selected.name === 'wasm' && workers > 0) {
      for (const [name, flops] of [
        ['p4cnnStandIn', P4CNN_FLOPS],
        ['z2cnnStandIn', Z2CNN_FLOPS],
      ] as const) {
        say(`${name} data-parallel, ${workers} worker(s)`);
        const result = await benchmarkDataParallel(standInModule(), name, {
          ...runs,
          batch,
          workers,
          flopsPerImage: flops,
        });
        result.model = name === 'p4cnnStandIn' ? 'P4CNN (stand-in)' : 'Z2CNN (stand-in)';
        models.push(result);
      }
    }
  }
  return {
    environment: {
      date: new Date().toISOString(),
      node: process.versions.node,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      loadBefore,
      loadAfter: os.loadavg()[0] as number,
    },
    backend: {
      name: selected.name,
      threads: selected.threads,
      simd: selected.simd,
      kernels: selected.kernels.map((k) => k.name),
      reason: selected.reason,
    },
    matmul,
    conv,
    models,
  };
}

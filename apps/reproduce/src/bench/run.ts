/**
 * `gcnn bench` on the real models of @gcnn/models: the matmul peak, conv forward / backward at the P4CNN layer
 * sizes, then each model's training (@gcnn/train's step) and inference images/s in this process and, on wasm
 * with `workers` > 1, on data-parallel workers.
 */
import os from 'node:os';
import type { BackendInfo } from '../integrations/backend.js';
import { buildModel, findModel, replicaFor } from '../integrations/models.js';
import { forwardFlops } from './flops.js';
import type { RunOptions } from './measure.js';
import { benchmarkDataParallel, benchmarkModel, type ModelResult } from './models.js';
import { convLayer, matmulPeak, P4CNN_CONV_SHAPES } from './ops.js';
import type { BenchReport } from './report.js';

/** Options of `benchModels`. */
export interface BenchModelsOptions extends RunOptions {
  /** CLI model names. */
  models: readonly string[];
  batch: number;
  /** Data-parallel workers for the second row of each model (0 or 1: in-process only). */
  workers: number;
  progress?: (line: string) => void;
}

/** Runs the whole benchmark on the active backend. */
export async function benchModels(backend: BackendInfo, options: BenchModelsOptions): Promise<BenchReport> {
  const say = options.progress ?? (() => {});
  const loadBefore = os.loadavg()[0]!;
  const runs: RunOptions = {
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.warmup === undefined ? {} : { warmup: options.warmup }),
  };
  say('matmul peak');
  const matmul = await matmulPeak(runs);
  const conv = [];
  for (const shape of P4CNN_CONV_SHAPES) {
    say(`conv ${shape.name}`);
    conv.push(await convLayer(shape, runs));
  }
  const models: ModelResult[] = [];
  for (const name of options.models) {
    const entry = findModel(name);
    const model = buildModel(name, 0);
    const flopsPerImage = forwardFlops(model);
    say(`${entry.paperName} in-process`);
    const inProcess = await benchmarkModel(model, { ...runs, batch: options.batch });
    model.dispose();
    models.push({
      ...inProcess,
      model: entry.paperName,
      route: `in-process, ${backend.threads} thread(s)`,
      flopsPerImage,
    });
    if (backend.name === 'wasm' && options.workers > 1) {
      say(`${entry.paperName} data-parallel, ${options.workers} workers`);
      const parallel = await benchmarkDataParallel(replicaFor(name), {
        ...runs,
        batch: options.batch,
        workers: options.workers,
      });
      models.push({ ...parallel, model: entry.paperName, flopsPerImage });
    }
  }
  return {
    environment: {
      date: new Date().toISOString(),
      node: process.versions.node,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.availableParallelism(),
      loadBefore,
      loadAfter: os.loadavg()[0]!,
    },
    backend: {
      name: backend.name,
      threads: backend.threads,
      simd: backend.simd,
      kernels: backend.kernels,
      reason: backend.reason,
    },
    matmul,
    conv,
    models,
  };
}

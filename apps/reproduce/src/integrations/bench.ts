/**
 * The app's side of `gcnn bench`: @gcnn/backend's benchmark functions (matmul peak, conv layers, model
 * training and inference in-process and data-parallel) run on the real models of @gcnn/models.
 */
import os from 'node:os';
import { fromLayersModel } from '@gcnn/backend';
import {
  type BenchReport,
  benchmarkDataParallel,
  benchmarkModel,
  convLayer,
  formatReport,
  type ModelResult,
  matmulPeak,
  P4CNN_CONV_SHAPES,
  type RunOptions,
} from '@gcnn/backend/bench';
import { forwardFlops } from '../engine/flops.js';
import type { BackendInfo } from './backend.js';
import { workerModelsModule } from './backend.js';
import { buildModel, findModel, workerModelExport } from './models.js';

export { type BenchReport, formatReport };

/** Options of `benchModels`. */
export interface BenchModelsOptions extends RunOptions {
  /** CLI model names. */
  models: readonly string[];
  batch: number;
  /** Data-parallel workers for the second row of each model (0 or 1: in-process only). */
  workers: number;
  progress?: (line: string) => void;
}

/**
 * The backend bench on the active backend with the real models: matmul peak, conv forward / backward at
 * the P4CNN layer sizes, then each model's training (Adam step) and inference images/s in this process and,
 * on wasm with `workers` > 1, on data-parallel workers.
 */
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
    const probe = buildModel(name, 0);
    const flops = forwardFlops(probe);
    probe.dispose();
    say(`${entry.paperName} in-process`);
    const inProcess = await benchmarkModel(() => fromLayersModel(buildModel(name, 0)), {
      ...runs,
      batch: options.batch,
    });
    models.push({
      ...inProcess,
      model: entry.paperName,
      route: `in-process, ${backend.threads} thread(s)`,
      flopsPerImage: flops,
    });
    if (backend.name === 'wasm' && options.workers > 1) {
      say(`${entry.paperName} data-parallel, ${options.workers} workers`);
      const parallel = await benchmarkDataParallel(workerModelsModule(), workerModelExport(entry.id), {
        ...runs,
        batch: options.batch,
        workers: options.workers,
        flopsPerImage: flops,
      });
      models.push({ ...parallel, model: entry.paperName });
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

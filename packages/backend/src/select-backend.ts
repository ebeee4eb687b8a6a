import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { registerCpuTrainingKernels } from './cpu/training-kernels.js';
import {
  BackendUnavailableError,
  loadNativeBackend,
  nativeUnavailableDetails,
  nativeUnavailableMessage,
} from './native.js';
import { locateWasmFiles } from './wasm/paths.js';
import { startThreadedWasm } from './wasm/threads.js';
import { registerWasmTrainingKernels, type TrainingKernel } from './wasm/training-kernels.js';

/** Which backend to use: a name, or 'auto' for the fastest one available. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * XNNPACK threads of the wasm backend: a number (1 = the single-threaded SIMD build), or 'auto' for one per
   * core (`os.availableParallelism()`). Default 'auto'. Only the first wasm start in a process counts.
   */
  threads?: number | 'auto';
  /**
   * Register the training kernels that tfjs-backend-wasm lacks or runs slowly (and the cpu backend's fast
   * filter gradient). Default true.
   */
  trainingKernels?: boolean;
  /** The folder with tfjs-backend-wasm's `.wasm` files. Default: found through node_modules. */
  wasmPath?: string;
}

/** What `selectBackend` chose and why. */
export interface BackendReport {
  /** The tfjs backend now active. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The package that provides it. */
  package: string;
  /** Threads its kernels use (XNNPACK threads for wasm; 0 where unknown, for tfjs-node's own pool). */
  threads: number;
  /** Whether WebAssembly SIMD is in use (wasm only). */
  simd: boolean;
  /** The training kernels registered on the wasm or cpu backend (empty for tfjs-node). */
  kernels: TrainingKernel[];
  /** One sentence on why this backend was chosen. */
  reason: string;
  /** Backends that 'auto' tried first and why they were skipped. */
  skipped: { name: string; error: string }[];
}

let wasmReport: Omit<BackendReport, 'reason' | 'skipped'> | null = null;

function wantedThreads(threads: number | 'auto' | undefined): number {
  if (threads == null || threads === 'auto') return Math.max(1, Math.min(8, os.availableParallelism()));
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new RangeError(
      `selectBackend: threads must be an integer from 1 to 8 or 'auto', got ${String(threads)}`,
    );
  }
  return threads;
}

/** Starts tfjs-backend-wasm once per process (threads, .wasm location), then registers the kernels. */
async function startWasm(options: SelectBackendOptions): Promise<Omit<BackendReport, 'reason' | 'skipped'>> {
  const trainingKernels = options.trainingKernels ?? true;
  if (wasmReport == null) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const files = locateWasmFiles();
    const threads = wantedThreads(options.threads);
    wasm.setWasmPaths(options.wasmPath ?? files.distDir);
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const init = async () => {
      if (!(await tf.setBackend('wasm'))) {
        throw new BackendUnavailableError(
          `selectBackend('wasm'): tfjs-backend-wasm failed to start (looked for the .wasm files in ${options.wasmPath ?? files.distDir})`,
        );
      }
    };
    if (threads > 1 && simd && typeof SharedArrayBuffer === 'function') {
      await startThreadedWasm(files, threads, wasm.setThreadsCount, init);
    } else {
      await init();
    }
    wasmReport = {
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      threads: wasm.getThreadsCount(),
      simd,
      kernels: [],
    };
  } else if (tf.getBackend() !== 'wasm') {
    await tf.setBackend('wasm');
  }
  if (trainingKernels) wasmReport.kernels = registerWasmTrainingKernels();
  return wasmReport;
}

async function startCpu(options: SelectBackendOptions): Promise<Omit<BackendReport, 'reason' | 'skipped'>> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu')))
    throw new BackendUnavailableError("selectBackend('cpu'): the cpu backend failed to start");
  const kernels = (options.trainingKernels ?? true) ? registerCpuTrainingKernels() : [];
  return { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', threads: 1, simd: false, kernels };
}

async function startNative(): Promise<
  | { ok: true; report: Omit<BackendReport, 'reason' | 'skipped'> }
  | { ok: false; failures: { name: string; error: string }[] }
> {
  const loaded = await loadNativeBackend();
  if (!loaded.ok) return loaded;
  if (!(await tf.setBackend('tensorflow'))) {
    return {
      ok: false,
      failures: [{ name: loaded.name, error: "it loaded but tf.setBackend('tensorflow') failed" }],
    };
  }
  return {
    ok: true,
    report: { name: 'tensorflow', package: loaded.name, threads: 0, simd: false, kernels: [] },
  };
}

/**
 * Picks and prepares the TensorFlow.js backend for training, and says what it chose.
 *
 * - 'tensorflow': `@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node` (optional peer dependencies,
 *   loaded only here). Throws a `BackendUnavailableError` naming what to install when neither loads.
 * - 'wasm': `@tensorflow/tfjs-backend-wasm` with its `.wasm` files found in node_modules, XNNPACK threads on
 *   every core (see `threads`) and the training kernels it lacks (see `registerWasmTrainingKernels`).
 * - 'cpu': the pure-JS backend (slow; for tests and reference numbers), with a fast filter gradient
 *   (see `registerCpuTrainingKernels`).
 * - 'auto': the fastest available, in that order: tfjs-node-gpu, tfjs-node, wasm, cpu.
 *
 * Call it before creating any tensor (the wasm backend starts asynchronously and cannot adopt tensors made
 * on another backend). The environment variable GCNN_BACKEND, when set, replaces 'auto'.
 *
 * @example
 * const report = await selectBackend('auto');
 * console.log(`${report.name}: ${report.reason}`);
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendReport> {
  const env = typeof process !== 'undefined' ? process.env.GCNN_BACKEND : undefined;
  const pref = preference === 'auto' && env != null && env !== '' ? (env as BackendPreference) : preference;
  switch (pref) {
    case 'cpu':
      return { ...(await startCpu(options)), reason: 'asked for cpu', skipped: [] };
    case 'wasm': {
      const report = await startWasm(options);
      return { ...report, reason: `asked for wasm (${report.threads} XNNPACK thread(s))`, skipped: [] };
    }
    case 'tensorflow': {
      const native = await startNative();
      if (!native.ok) {
        throw new BackendUnavailableError(
          nativeUnavailableMessage(),
          nativeUnavailableDetails(native.failures),
        );
      }
      return {
        ...native.report,
        reason: `asked for tensorflow: ${native.report.package} is installed`,
        skipped: [],
      };
    }
    case 'auto': {
      const native = await startNative();
      if (native.ok) {
        return {
          ...native.report,
          reason: `${native.report.package} is installed (native TensorFlow)`,
          skipped: [],
        };
      }
      const skipped = native.failures.map((f) => ({ name: f.name, error: f.error.split('\n')[0] ?? '' }));
      try {
        const report = await startWasm(options);
        return {
          ...report,
          reason: `no native TensorFlow; WebAssembly${report.simd ? ' SIMD' : ''} with ${report.threads} XNNPACK thread(s) is the fastest available`,
          skipped,
        };
      } catch (error) {
        skipped.push({ name: '@tensorflow/tfjs-backend-wasm', error: (error as Error).message });
      }
      return {
        ...(await startCpu(options)),
        reason: 'neither native TensorFlow nor WebAssembly could start',
        skipped,
      };
    }
    default:
      throw new RangeError(
        `selectBackend: expected 'auto', 'tensorflow', 'wasm' or 'cpu', got ${JSON.stringify(pref)}${pref === env ? ' (from GCNN_BACKEND)' : ''}`,
      );
  }
}

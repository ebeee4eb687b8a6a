import * as tf from '@tensorflow/tfjs-core';
import { registerCpuTrainingKernels } from './cpu/training-kernels.js';
import { BackendUnavailableError } from './native.js';
import type { TrainingKernel } from './wasm/training-kernels.js';

/** Which backend to use: a name, or 'auto' for the fastest one available. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * XNNPACK threads of the wasm backend: a number (1 = the single-threaded SIMD build), or 'auto' for one per
   * core (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a cross-origin isolated page,
   * 1 in any other page). Default 'auto'. Only the first wasm start in a process (or page) counts.
   */
  threads?: number | 'auto';
  /**
   * Register the training kernels that tfjs-backend-wasm lacks or runs slowly (and the cpu backend's fast
   * filter gradient). Default true.
   */
  trainingKernels?: boolean;
  /**
   * Where tfjs-backend-wasm's `.wasm` files are (a folder or URL prefix). Default: found through node_modules in
   * Node, and the copies shipped in this package's dist/ (emitted by the bundler as assets) in a browser.
   */
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

/** A started backend, before selection adds its reason. */
export type StartedBackend = Omit<BackendReport, 'reason' | 'skipped'> & {
  /** Why the thread count is what it is, when that is not simply what was asked (e.g. no cross-origin isolation). */
  threadsNote?: string;
};

/** What differs between Node and browsers: how wasm and native TensorFlow start, and the environment override. */
export interface Platform {
  startWasm(options: SelectBackendOptions): Promise<StartedBackend>;
  startNative(): Promise<
    { ok: true; report: StartedBackend } | { ok: false; failures: { name: string; error: string }[] }
  >;
  /** The error for `selectBackend('tensorflow')` when native TensorFlow cannot start: one line, details apart. */
  nativeUnavailable(failures: { name: string; error: string }[]): BackendUnavailableError;
  /** A preference that replaces 'auto' (GCNN_BACKEND in Node), if any. */
  envPreference(): string | undefined;
}

/** Validates `threads` and resolves 'auto' to one per core (at most 8, XNNPACK's useful limit here). */
export function wantedThreads(threads: number | 'auto' | undefined, cores: number): number {
  if (threads == null || threads === 'auto') return Math.max(1, Math.min(8, cores));
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new RangeError(
      `selectBackend: threads must be an integer from 1 to 8 or 'auto', got ${String(threads)}`,
    );
  }
  return threads;
}

async function startCpu(options: SelectBackendOptions): Promise<StartedBackend> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu')))
    throw new BackendUnavailableError("selectBackend('cpu'): the cpu backend failed to start");
  const kernels = (options.trainingKernels ?? true) ? registerCpuTrainingKernels() : [];
  return { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', threads: 1, simd: false, kernels };
}

/** Drops the internal note from a started backend. */
function report(started: StartedBackend, reason: string, skipped: BackendReport['skipped']): BackendReport {
  const { threadsNote: _, ...rest } = started;
  return { ...rest, reason, skipped };
}

/** `selectBackend` on a given platform (see the Node and browser entries for the documented function). */
export async function selectBackendOn(
  platform: Platform,
  preference: BackendPreference,
  options: SelectBackendOptions,
): Promise<BackendReport> {
  const env = platform.envPreference();
  const pref = preference === 'auto' && env != null && env !== '' ? (env as BackendPreference) : preference;
  switch (pref) {
    case 'cpu':
      return report(await startCpu(options), 'asked for cpu', []);
    case 'wasm': {
      const wasm = await platform.startWasm(options);
      return report(
        wasm,
        `asked for wasm (${wasm.threads} XNNPACK thread(s)${wasm.threadsNote ? `; ${wasm.threadsNote}` : ''})`,
        [],
      );
    }
    case 'tensorflow': {
      const native = await platform.startNative();
      if (!native.ok) throw platform.nativeUnavailable(native.failures);
      return report(native.report, `asked for tensorflow: ${native.report.package} is installed`, []);
    }
    case 'auto': {
      const native = await platform.startNative();
      if (native.ok) {
        return report(native.report, `${native.report.package} is installed (native TensorFlow)`, []);
      }
      const skipped = native.failures.map((f) => ({ name: f.name, error: f.error.split('\n')[0] ?? '' }));
      try {
        const wasm = await platform.startWasm(options);
        return report(
          wasm,
          `no native TensorFlow; WebAssembly${wasm.simd ? ' SIMD' : ''} with ${wasm.threads} XNNPACK thread(s) is the fastest available${wasm.threadsNote ? ` (${wasm.threadsNote})` : ''}`,
          skipped,
        );
      } catch (error) {
        skipped.push({ name: '@tensorflow/tfjs-backend-wasm', error: (error as Error).message });
      }
      return report(
        await startCpu(options),
        'neither native TensorFlow nor WebAssembly could start',
        skipped,
      );
    }
    default:
      throw new RangeError(
        `selectBackend: expected 'auto', 'tensorflow', 'wasm' or 'cpu', got ${JSON.stringify(pref)}${pref === env ? ' (from GCNN_BACKEND)' : ''}`,
      );
  }
}

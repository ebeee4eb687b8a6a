/**
 * The one place where the app meets @gcnn/backend: backend selection (with the wasm and cpu training
 * kernels), `file://` model IO, and how many data-parallel workers train by default.
 */
import os from 'node:os';
import {
  BackendUnavailableError,
  registerFileSystemRouter,
  selectBackend as selectGcnnBackend,
} from '@gcnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';

/** Backends the CLI accepts. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What `selectBackend` chose, for logs and reports. */
export interface BackendInfo {
  /** tfjs backend name: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** A one-line description (package, threads, why), shown at the start of a run and in reports. */
  description: string;
  /** XNNPACK threads (wasm), 1 (cpu) or 0 (tfjs-node's own pool). */
  threads: number;
  simd: boolean;
  /** Names of the training kernels @gcnn/backend registered. */
  kernels: string[];
  /** Why this backend was chosen. */
  reason: string;
}

/**
 * Selects and initialises the tfjs backend (before any tensor exists) and registers the `file://` router;
 * a UserError when the requested backend cannot be used.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  registerFileSystemRouter();
  let report: Awaited<ReturnType<typeof selectGcnnBackend>>;
  try {
    report = await selectGcnnBackend(choice);
  } catch (error) {
    if (error instanceof BackendUnavailableError || error instanceof RangeError) {
      throw new UserError((error as Error).message);
    }
    throw error;
  }
  if (report.name === 'cpu') {
    // The cpu backend greets Node users with a banner recommending tfjs-node on first use; we say it once.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
  const threads = report.threads > 0 ? `, ${report.threads} thread(s)` : '';
  const simd = report.simd ? ', SIMD' : '';
  return {
    name: report.name,
    description: `${report.name} (${report.package}${threads}${simd}): ${report.reason}`,
    threads: report.threads,
    simd: report.simd,
    kernels: report.kernels.map((k) => k.name),
    reason: report.reason,
  };
}

/**
 * How many data-parallel workers train when the user does not say: 2 on wasm when the machine has at least
 * two cores (route B, measured fastest there: docs/backend.md §3), 1 (in one process) on the other backends.
 */
export function defaultWorkers(backend: string): number {
  return backend === 'wasm' && os.availableParallelism() >= 2 ? 2 : 1;
}

/** A UserError when `workers` cannot run on `backend` (the workers run tfjs-backend-wasm). */
export function checkWorkers(workers: number, backend: string): void {
  if (workers > 1 && backend !== 'wasm') {
    throw new UserError(
      `--workers ${workers} needs the wasm backend (each data-parallel worker runs tfjs-backend-wasm), but the backend is ${backend}; use --backend wasm or --workers 1`,
    );
  }
}

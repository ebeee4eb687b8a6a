/**
 * The one place where the app meets @gcnn/backend: backend selection, `file://` model IO, and the bench.
 *
 * Wired: `selectBackend` and the `file://` router (`registerFileSystemRouter`) from @gcnn/backend.
 * Still here: the fast cpu filter gradient (cpu-filter-gradient.ts), which @gcnn/backend does not register
 * for the cpu backend; the bench (commands/bench.ts) until the package exports its bench functions.
 */
import {
  BackendUnavailableError,
  registerFileSystemRouter,
  selectBackend as selectGcnnBackend,
} from '@gcnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';
import { registerFastCpuFilterGradient } from './cpu-filter-gradient.js';

/** Backends the CLI accepts. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What `selectBackend` chose, for logs and reports. */
export interface BackendInfo {
  /** tfjs backend name: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** A one-line description (package, threads, why), shown at the start of a run and in reports. */
  description: string;
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
    registerFastCpuFilterGradient();
    // The cpu backend greets Node users with a banner recommending tfjs-node on first use; we say it once.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
  const threads = report.threads > 0 ? `, ${report.threads} thread(s)` : '';
  const simd = report.simd ? ', SIMD' : '';
  return {
    name: report.name,
    description: `${report.name} (${report.package}${threads}${simd}): ${report.reason}`,
  };
}

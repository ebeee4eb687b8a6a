import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../native.js';
import type { SelectBackendOptions, StartedBackend } from '../select-backend.js';
import { prepareSimdKernels } from './simd/simd-module.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

/** The tfjs-backend-wasm module. */
export type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * Points tfjs-backend-wasm at its binaries, sets its thread count and calls `init(where)` (which sets the wasm
 * backend; `where` names the binaries' location for the error). Returns the threads asked for and, where they
 * differ from what the caller wanted, why.
 */
export type WasmStarter = (
  wasm: WasmModule,
  options: SelectBackendOptions,
  simd: boolean,
  init: (where: string) => Promise<void>,
) => Promise<{ threadsNote?: string }>;

let started: StartedBackend | null = null;

/** Starts tfjs-backend-wasm once per process or page with `starter`, then registers the training kernels. */
export async function startWasm(
  options: SelectBackendOptions,
  starter: WasmStarter,
): Promise<StartedBackend> {
  const trainingKernels = options.trainingKernels ?? true;
  if (started == null) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const init = async (where: string) => {
      if (!(await tf.setBackend('wasm'))) {
        throw new BackendUnavailableError(
          `selectBackend('wasm'): tfjs-backend-wasm failed to start (looked for the .wasm files in ${where})`,
        );
      }
    };
    const { threadsNote } = await starter(wasm, options, simd, init);
    started = {
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      threads: wasm.getThreadsCount(),
      simd,
      kernels: [],
      ...(threadsNote != null ? { threadsNote } : {}),
    };
  } else if (tf.getBackend() !== 'wasm') {
    await tf.setBackend('wasm');
  }
  // Browsers refuse to compile modules over 4 KB synchronously on the main thread: assemble ours now, async.
  const simdProblem = await prepareSimdKernels(tf.backend() as never);
  if (trainingKernels) started.kernels = registerWasmTrainingKernels();
  if (simdProblem == null) return started;
  const note = `SIMD training kernels off, JS loops instead: ${simdProblem}`;
  return { ...started, threadsNote: started.threadsNote ? `${started.threadsNote}; ${note}` : note };
}

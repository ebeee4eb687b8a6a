/** The native TensorFlow bindings for Node, fastest first. */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Thrown when a backend that was asked for by name cannot be used. The message is one line saying how to fix
 * it; `details` holds the longer explanation (requirements, each package's own error), when there is one.
 */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    message: string,
    /** Several lines for users who want more than the one-line message; empty when there is nothing more. */
    readonly details = '',
  ) {
    super(message);
  }
}

/**
 * The one-line message for `selectBackend('tensorflow')` when neither native package loads: what to install,
 * the known download failure with its workaround, and the alternative.
 */
export function nativeUnavailableMessage(): string {
  return (
    "selectBackend('tensorflow'): neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads; " +
    'npm install @tensorflow/tfjs-node (4.22.x; its libtensorflow 2.9.1 download answers 403, tensorflow/tfjs#8742: ' +
    "set TFJS_NODE_CDN_STORAGE to a mirror), or use selectBackend('wasm')"
  );
}

/** The longer explanation behind `nativeUnavailableMessage`, with each package's own error. */
export function nativeUnavailableDetails(failures: { name: string; error: string }[]): string {
  const details = failures.map((f) => `  - ${f.name}: ${f.error.split('\n')[0]}`).join('\n');
  return [
    'Why the packages did not load:',
    details,
    'Install one of them next to @gcnn/backend (same version as @tensorflow/tfjs-core, 4.22.x):',
    '  npm install @tensorflow/tfjs-node        # CPU, Linux x86_64 / macOS / Windows',
    '  npm install @tensorflow/tfjs-node-gpu    # NVIDIA GPU, Linux x86_64 / Windows',
    'Their install script downloads libtensorflow 2.9.1; the GPU build needs an NVIDIA driver > 450,',
    'CUDA 11.2 and cuDNN 8.1 (with CUDA 12 it silently falls back to the CPU: "Could not load dynamic library',
    "'libcudart.so.11.0'\").",
    'Known problem: since Aug 2026 the default download URL answers 403 Forbidden (tensorflow/tfjs#8742), so',
    'the install fails. Workaround: point the install at a mirror that hosts the libtensorflow 2.9.1 archives:',
    '  TFJS_NODE_CDN_STORAGE=https://<your-mirror>/ npm install @tensorflow/tfjs-node',
    '(TFJS_NODE_BASE_URI overrides the whole base URL instead.)',
    "Without them, selectBackend('wasm') trains on the CPU with WebAssembly SIMD and all cores.",
  ].join('\n');
}

/** Loads the first native package that imports, registering tfjs's 'tensorflow' backend. */
export async function loadNativeBackend(): Promise<
  | { ok: true; name: (typeof NATIVE_PACKAGES)[number] }
  | { ok: false; failures: { name: string; error: string }[] }
> {
  const failures: { name: string; error: string }[] = [];
  for (const name of NATIVE_PACKAGES) {
    try {
      await import(/* @vite-ignore */ name);
      return { ok: true, name };
    } catch (error) {
      failures.push({ name, error: (error as Error).message ?? String(error) });
    }
  }
  return { ok: false, failures };
}

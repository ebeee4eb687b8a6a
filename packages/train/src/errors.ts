/** A step's loss was NaN or infinite: training stopped before the update, the weights are those before it. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';

  constructor(
    /** 0-based epoch. */
    readonly epoch: number,
    /** 0-based batch of the epoch. */
    readonly batch: number,
    readonly loss: number,
  ) {
    super(`the loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; stopped before the update`);
  }
}

/**
 * The WebAssembly backend aborted, almost always because its heap (at most 4 GiB) could not hold a step's
 * activations. One line that names the step's size and the remedy, instead of emscripten's `Aborted()` trace.
 */
export class WasmMemoryError extends Error {
  override name = 'WasmMemoryError';
}

/** True for the errors tfjs-backend-wasm throws when it aborts (heap exhausted or out-of-bounds access). */
export function isWasmAbort(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\bAborted\(|RuntimeError: abort|memory access out of bounds|Cannot enlarge memory|out of memory/i.test(
    message,
  );
}

/** The one-line error for a wasm abort during a step on `images` images (`where`: 'in this process', 'in a worker'). */
export function wasmMemoryError(images: number, where: string, model: string): WasmMemoryError {
  return new WasmMemoryError(
    `the WebAssembly heap ran out ${where} during a training step of ${model} on ${images} images; ` +
      'train with a smaller batch size (or more data-parallel workers, each holding its share of the batch)',
  );
}

/** Lets signal handlers, timers and rendering run between batches of a long synchronous computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

/** Throws the signal's reason (or a plain 'aborted' error) once it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error
    ? reason
    : new Error(`training aborted${reason == null ? '' : `: ${String(reason)}`}`);
}

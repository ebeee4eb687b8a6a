import { InterruptedError } from '../errors.js';

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into an AbortSignal: the first signal asks the run to stop at the next
 * batch (its last checkpoint stays valid and `--resume` continues it); a second SIGINT exits at once, which
 * is still safe because every file is written atomically.
 */
export function interruptOnSignals(log: (message: string) => void): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const [name, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    const handler = () => {
      if (controller.signal.aborted) {
        log(`${name} again: exiting now; the last checkpoint is intact`);
        process.exit(code);
      }
      log(`${name}: stopping after the current batch; continue later with --resume`);
      controller.abort(new InterruptedError(`interrupted by ${name}; continue with --resume`, code));
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

/**
 * Errors the CLI reports as one line without a stack trace. Anything else is a bug and shows its stack
 * (always with `--debug`).
 */

/** A mistake in the user's input: a bad flag value, a missing file, an output directory in use. Exit code 2. */
export class UserError extends Error {
  override name = 'UserError';
  readonly exitCode = 2;
}

/** The run stopped on purpose (Ctrl-C, SIGTERM); the run directory can be resumed. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(
    message: string,
    /** 130 for SIGINT, 143 for SIGTERM, following the shell convention 128 + signal number. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Training diverged: the loss became NaN or infinite. The last good checkpoint is kept. Exit code 1. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  readonly exitCode = 1;
}

/** True for errors that deserve a one-line message rather than a stack trace. */
export function isExpectedError(error: unknown): error is UserError | InterruptedError | NonFiniteLossError {
  return (
    error instanceof UserError || error instanceof InterruptedError || error instanceof NonFiniteLossError
  );
}

import { CommanderError } from 'commander';
import { isExpectedError } from './errors.js';
import { createProgram } from './program.js';

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code: 0 success,
 * 1 failure (including a diverged run), 2 usage error or bad input, 130/143 interrupted (resumable).
 * Expected errors print one line; a stack trace appears only for bugs or with --debug.
 */
export async function main(argv: readonly string[], version: string): Promise<number> {
  const debug = argv.includes('--debug');
  const program = createProgram(version);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one-line message (or the help / version)
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return 0;
      }
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isExpectedError(error)) {
      process.stderr.write(`gcnn: ${error.message}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    process.stderr.write(`gcnn: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.stderr.write('This is a bug; please report it with the command you ran.\n');
    return 1;
  }
}

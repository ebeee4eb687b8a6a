/**
 * A data file that is missing, truncated or not in the expected format. `file` is the path that was read and the
 * message says what is wrong with it, so that a user can fix the file rather than read a stack trace.
 */
export class DataFileError extends Error {
  /** The path of the offending file (or directory). */
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataFileError';
    this.file = file;
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Path of the built CLI. */
export const CLI = path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** What a finished CLI run produced. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gcnn args...` as a child process. `onStderr` sees stderr as it arrives and may signal the child
 * (e.g. to interrupt it after an epoch).
 */
export function runCli(
  args: readonly string[],
  options: { onStderr?: (text: string, child: ChildProcess) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, CI: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

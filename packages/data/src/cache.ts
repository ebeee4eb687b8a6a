import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * The directory for generated data when no `cacheDir` option is given: `$GCNN_CACHE_DIR` if set, else
 * `$XDG_CACHE_HOME/gcnn`, else `~/.cache/gcnn`.
 */
export function defaultCacheDir(): string {
  const fromEnv = process.env.GCNN_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'gcnn');
}

/** A temporary sibling name for `target` that no other writer uses: `.<name>.tmp-<pid>-<8 hex digits>`. */
export function temporarySibling(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True for a file name that `temporarySibling` makes (a write a crash interrupted leaves one behind). */
export function isTemporarySibling(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/**
 * Writes `data` (text, bytes, or chunks of bytes written one after the other) to `path` so that a reader never sees
 * a half-written file: it goes to a temporary sibling, which is flushed and then renamed over `path` (rename is atomic
 * within one file system). A crash leaves at most a stray temporary file, never a truncated one. `beforeRename` runs
 * between the flush and the rename (crash tests stop a process there).
 *
 * @example
 * await writeFileAtomic('out/state.json', JSON.stringify(state));
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: { beforeRename?: () => void } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  const chunks =
    typeof data === 'string' ? [new TextEncoder().encode(data)] : data instanceof Uint8Array ? [data] : data;
  try {
    const handle = await open(temporary, 'w');
    try {
      for (const chunk of chunks) {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    options.beforeRename?.();
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

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

/**
 * Writes `chunks` to `path` so that a reader never sees a half-written file: the bytes go to a temporary file in
 * the same directory, which is flushed and then renamed over `path` (rename is atomic within one file system).
 * A crash leaves at most a stray `*.tmp` file, never a truncated cache.
 */
export async function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
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
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

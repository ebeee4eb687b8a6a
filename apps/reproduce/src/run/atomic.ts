import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { faultPoint } from './fault-points.js';

/** A temporary sibling name for `target` that no other writer uses. */
export function temporarySibling(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** True for a name that `temporarySibling` makes. */
export function isTemporarySibling(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/**
 * Writes a file atomically: the data goes to a temporary sibling which is flushed and then renamed over
 * `target`, so a reader (or a crash) sees either the old or the new file, never a partial one.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporarySibling(target);
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  faultPoint(`before-rename:${path.basename(target)}`);
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** Writes `value` as pretty JSON (with a final newline) atomically. */
export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads and parses a JSON file; undefined when it does not exist. */
export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as T;
}

/**
 * Fills a fresh directory by `fill(temporaryDir)` and then renames it to `target` (which must not exist), so
 * `target` appears complete or not at all.
 */
export async function createDirectoryAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
): Promise<void> {
  const temporary = temporarySibling(target);
  await fs.mkdir(temporary, { recursive: true });
  try {
    await fill(temporary);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

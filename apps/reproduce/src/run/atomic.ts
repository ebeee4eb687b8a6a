import { promises as fs } from 'node:fs';
import path from 'node:path';
import { temporarySibling, writeFileAtomic as writeAtomically } from '@gcnn/data';
import { faultPoint } from './fault-points.js';

/**
 * Writes a file atomically (@gcnn/data's `writeFileAtomic`: temporary sibling, flush, rename), so a reader or a crash
 * sees either the old or the new file, never a partial one. A fault point sits before the rename (crash tests).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, data, {
    beforeRename: () => faultPoint(`before-rename:${path.basename(target)}`),
  });
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

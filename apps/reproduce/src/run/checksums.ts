import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeJsonAtomic } from './atomic.js';
import { damaged, isRecord, parseJson } from './read-back.js';

/** The file in a checkpoint directory that holds the SHA-256 of every other file of it. */
export const CHECKSUM_FILE = 'checksums.json';

/** checksums.json: hex SHA-256 of model.json and of each weights file the manifest names. */
interface Checksums {
  format: 'gcnn-checksums/1';
  algorithm: 'sha256';
  files: Record<string, string>;
}

const REMEDY =
  'restore the checkpoint from a backup, or delete state.json to train this run again from epoch 0';

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

/** The weights files that a checkpoint's model.json names, or the reason it cannot be read. */
function weightFiles(modelJson: unknown): string[] | string {
  if (!isRecord(modelJson) || !Array.isArray(modelJson.weightsManifest)) return 'no weightsManifest';
  const files: string[] = [];
  for (const group of modelJson.weightsManifest) {
    if (!isRecord(group) || !Array.isArray(group.paths)) return 'a weightsManifest entry has no paths';
    for (const name of group.paths) {
      // A manifest path must stay inside the checkpoint directory.
      if (typeof name !== 'string' || name === '' || name.includes('/') || name.includes('\\')) {
        return `weightsManifest names an invalid file ${JSON.stringify(name)}`;
      }
      files.push(name);
    }
  }
  return files;
}

/** Writes checksums.json into a freshly saved checkpoint directory `dir`. */
export async function writeChecksums(dir: string): Promise<void> {
  const model = parseJson(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const names = 'error' in model ? model.error : weightFiles(model.value);
  if (typeof names === 'string') throw new Error(`tfjs wrote a model.json we cannot read: ${names}`);
  const files: Record<string, string> = {};
  for (const name of ['model.json', ...names]) files[name] = await sha256(path.join(dir, name));
  const checksums: Checksums = { format: 'gcnn-checksums/1', algorithm: 'sha256', files };
  await writeJsonAtomic(path.join(dir, CHECKSUM_FILE), checksums);
}

/**
 * Checks a checkpoint directory before it is loaded: checksums.json is readable, model.json and every
 * weights file it names exist and have the stored SHA-256. Throws a one-line UserError otherwise.
 */
export async function verifyCheckpointFiles(dir: string): Promise<void> {
  const listing = path.join(dir, CHECKSUM_FILE);
  let source: string;
  try {
    source = await fs.readFile(listing, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const exists = await fs.stat(dir).then(
      () => true,
      () => false,
    );
    if (!exists) throw new UserError(`checkpoint ${dir} is missing; ${REMEDY}`);
    throw damaged(
      listing,
      code === 'ENOENT' ? 'the file is missing (saved by an older gcnn, or deleted)' : `unreadable (${code})`,
      REMEDY,
    );
  }
  const parsed = parseJson(source);
  const checksums = 'error' in parsed ? undefined : parsed.value;
  if (
    !isRecord(checksums) ||
    checksums.format !== 'gcnn-checksums/1' ||
    checksums.algorithm !== 'sha256' ||
    !isRecord(checksums.files)
  ) {
    throw damaged(listing, 'error' in parsed ? parsed.error : 'not a gcnn-checksums/1 listing', REMEDY);
  }
  const stored = checksums.files;
  const check = async (name: string) => {
    const file = path.join(dir, name);
    const expected = stored[name];
    if (typeof expected !== 'string') throw damaged(listing, `it has no checksum for ${name}`, REMEDY);
    const actual = await sha256(file).catch(() => undefined);
    if (actual === undefined) throw damaged(dir, `${name} is missing or unreadable`, REMEDY);
    if (actual !== expected) {
      throw damaged(file, 'its SHA-256 differs from the one saved with the checkpoint', REMEDY);
    }
  };
  await check('model.json');
  // model.json is now known to be the file that was saved, so its manifest can be trusted.
  const model = parseJson(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const names = 'error' in model ? model.error : weightFiles(model.value);
  if (typeof names === 'string') throw damaged(path.join(dir, 'model.json'), names, REMEDY);
  for (const name of names) await check(name);
}

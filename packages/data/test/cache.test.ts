import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTemporarySibling, temporarySibling, writeFileAtomic } from '../src/index.js';

describe('writeFileAtomic', () => {
  it('writes text, bytes and chunks, creating the directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gcnn-atomic-')), 'nested');
    await writeFileAtomic(join(dir, 'a.txt'), 'hello');
    await writeFileAtomic(join(dir, 'b.bin'), new Uint8Array([1, 2, 3]));
    await writeFileAtomic(join(dir, 'c.bin'), [new Uint8Array([4]), new Uint8Array([5, 6])]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'c.bin'))]).toEqual([4, 5, 6]);
    expect(readdirSync(dir).filter(isTemporarySibling)).toEqual([]);
  });

  it('keeps the old file when the write fails before the rename, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcnn-atomic-'));
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old');
    const failing = writeFileAtomic(file, 'new', {
      beforeRename: () => {
        // the new bytes are complete in the temporary sibling, not yet in place
        expect(readdirSync(dir).filter(isTemporarySibling)).toHaveLength(1);
        throw new Error('crash before the rename');
      },
    });
    await expect(failing).rejects.toThrow('crash before the rename');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('names temporary siblings so that a clean-up can recognise them', () => {
    const name = temporarySibling('/runs/a/state.json').split('/').pop()!;
    expect(name).toMatch(/^\.state\.json\.tmp-\d+-[0-9a-f]{8}$/);
    expect(isTemporarySibling(name)).toBe(true);
    expect(isTemporarySibling('state.json')).toBe(false);
  });
});

// docs/group.md is generated from the code; this fails when someone changes one without the other.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderGroupDoc } from '../scripts/group-doc.js';

const DOC = fileURLToPath(new URL('../../../docs/group.md', import.meta.url));

describe('docs/group.md', () => {
  it('is what `pnpm --filter @gcnn/group docs` generates from the code', () => {
    const page = readFileSync(DOC, 'utf8');
    // On a mismatch, run `pnpm --filter @gcnn/group docs` and review the diff of docs/group.md.
    expect(
      page === renderGroupDoc(),
      'docs/group.md is out of date: run `pnpm --filter @gcnn/group docs`',
    ).toBe(true);
  });

  it('shows the derived laws', () => {
    const page = renderGroupDoc();
    expect(page).toMatch(/\| u +\| `u1 \+ mu1 \* \(c1 \* u2 - s1 \* v2\)` +\|/);
    expect(page).toMatch(/\| r +\| `mod\(\(-1\)\^m2 \* r1 \+ r2, 4\)` +\|/);
    expect(page).toMatch(/`p4m\.stabilizerCosets\(p4\)` +\| `\[\[0, 1, 2, 3\], \[4, 5, 6, 7\]\]`/);
  });
});

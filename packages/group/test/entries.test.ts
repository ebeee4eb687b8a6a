// The main entry is the run-time algebra and must load no mathjs; the symbolic subpath is where mathjs lives.

import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mathMatrix } from '../src/symbolic-index.js';
import { element, GROUPS } from './arbitraries.js';
import { loadedPackages } from './import-graph.js';

const source = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

describe('entries', () => {
  it('the main entry imports no package at all (so no mathjs)', () => {
    expect([...loadedPackages(source('index.ts'), () => undefined)]).toEqual([]);
  });

  it('the symbolic entry does import mathjs (the check above can see it)', () => {
    expect([...loadedPackages(source('symbolic-index.ts'), () => undefined)]).toContain('mathjs');
  });

  it.each(GROUPS)('$name: mathMatrix is matrix() as a mathjs matrix', ({ group }) => {
    fc.assert(
      fc.property(element(group), (g) => {
        expect(mathMatrix(group, g).toArray()).toEqual(group.matrix(g));
      }),
    );
  });
});

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, selectBackend } from '../src/browser.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier reached from `entry` through relative imports (static and dynamic), with the importer. */
function importGraph(entry: string): { from: string; specifier: string }[] {
  const seen = new Set<string>();
  const found: { from: string; specifier: string }[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) {
      const specifier = m[1] as string;
      if (specifier.startsWith('.'))
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else found.push({ from: path.relative(src, file), specifier });
    }
  };
  visit(path.join(src, entry));
  return found;
}

describe('the browser entry', () => {
  it('reaches no Node module, so that bundlers need no shims', () => {
    const node = new Set(builtinModules);
    const graph = importGraph('browser.ts');
    expect(graph.map((i) => i.specifier)).toContain('@tensorflow/tfjs-backend-wasm');
    const nodeOnly = graph.filter((i) => i.specifier.startsWith('node:') || node.has(i.specifier));
    expect(nodeOnly).toEqual([]);
    // The Node entry does reach them (the walker sees through the shared files).
    expect(importGraph('index.ts').some((i) => i.specifier === 'node:os')).toBe(true);
  });

  it("'tensorflow' fails with one line saying native TensorFlow is Node only", async () => {
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(
      /^selectBackend\('tensorflow'\): native TensorFlow runs only in Node/,
    );
    expect((error as Error).message).not.toContain('\n');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
// What a browser bundle can resolve: the package's own files, gcnn layers, tfjs and the ONNX schema.
const ALLOWED = /^(\.{1,2}\/|@gcnn\/layers$|@tensorflow\/tfjs-(core|layers)$|onnx-proto$)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the main entry is browser-safe', () => {
  it('imports no Node module, only tfjs, @gcnn/layers and onnx-proto', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map(
        (m) => m[1] as string,
      );
      for (const specifier of specifiers)
        expect(ALLOWED.test(specifier), `${file} imports ${specifier}`).toBe(true);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** The part of esbuild's API used here (esbuild is not a direct dependency, so its types are not resolvable). */
interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[]; outputFiles: { text: string }[] }>;
}

describe('a browser bundle', () => {
  it('bundles src/index.ts for the browser platform (esbuild refuses Node built-ins there)', async () => {
    // esbuild comes with tsup, the workspace's build tool.
    const fromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
    const esbuild = (await import(pathToFileURL(fromTsup.resolve('esbuild')).href)) as EsbuildApi;
    const result = await esbuild.build({
      entryPoints: [join(SRC, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('toOnnx');
    expect(code).not.toMatch(/from ["']node:|require\(["']node:/);
  }, 60_000);
});

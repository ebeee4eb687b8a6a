import { defineConfig, type Options } from 'tsup';

/**
 * The build every gcnn package shares: ES modules for Node 20 and bundlers, declarations, source maps, a clean
 * dist/. A package names its entries and adds only what is its own (a worker entry, a banner, copied assets).
 */
export function gcnnBuild(entry: Options['entry'], extra: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    ...extra,
  });
}

// Loading @gcnn/models (and through it @gcnn/layers and @gcnn/group, as built in their dist/) loads no mathjs: the
// run-time group algebra is integer closed forms, and mathjs stays behind @gcnn/group/symbolic.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadedPackages } from '../../../scripts/test-support/import-graph.js';

it('loads only the tfjs peers besides the gcnn packages', () => {
  const followGcnn = (specifier: string, from: string) =>
    specifier.startsWith('@gcnn/') ? createRequire(from).resolve(specifier) : undefined;
  const loaded = loadedPackages(fileURLToPath(new URL('../src/index.ts', import.meta.url)), followGcnn);
  expect([...loaded].sort()).toEqual(['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']);
});

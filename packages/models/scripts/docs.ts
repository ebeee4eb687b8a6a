// Writes docs/models.md from the model builders, so the tables cannot drift from the code
// (pnpm --filter @gcnn/models docs; `--check` fails when the committed file is stale).
// wasm, not cpu: the tables do not depend on the backend, and tfjs' cpu backend prints a notice in Node.
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { MODELS_DOC_PATH, renderModelsDoc } from './models-doc.js';

await tf.setBackend('wasm');
const text = renderModelsDoc();
if (process.argv.includes('--check')) {
  if (readFileSync(MODELS_DOC_PATH, 'utf8') !== text) {
    console.error('docs/models.md is stale: run pnpm --filter @gcnn/models docs');
    process.exit(1);
  }
  console.log('docs/models.md is up to date');
} else {
  writeFileSync(MODELS_DOC_PATH, text);
  console.log(`wrote ${MODELS_DOC_PATH}`);
}

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MODELS_DOC_PATH, renderModelsDoc } from '../scripts/models-doc.js';

it('docs/models.md is generated from the current code (pnpm --filter @gcnn/models docs)', () => {
  expect(readFileSync(MODELS_DOC_PATH, 'utf8')).toBe(renderModelsDoc());
});

// Writes docs/group.md (`pnpm --filter @gcnn/group docs`), or with --check exits 1 if it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderGroupDoc } from './group-doc.js';

export const DOC_PATH = fileURLToPath(new URL('../../../docs/group.md', import.meta.url));

const text = renderGroupDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(DOC_PATH, 'utf8');
  } catch {
    // A missing page is out of date too.
  }
  if (current !== text) {
    console.error(`${DOC_PATH} is out of date: run \`pnpm --filter @gcnn/group docs\``);
    process.exit(1);
  }
  console.log(`${DOC_PATH} is up to date`);
} else {
  writeFileSync(DOC_PATH, text);
  console.log(`wrote ${DOC_PATH}`);
}

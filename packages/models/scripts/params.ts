// Prints our trainable parameter counts beside the paper's (pnpm --filter @gcnn/models params).
// wasm, not cpu: the tables do not depend on the backend, and tfjs' cpu backend prints a notice in Node.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, countTrainableParams, MODEL_IDS, PAPER } from '../src/index.js';

await tf.setBackend('wasm');
const rows = MODEL_IDS.map((id) => {
  const model = buildModel(id, { seed: 0 });
  const ours = countTrainableParams(model);
  model.dispose();
  const paper = PAPER[id];
  return {
    model: paper.label,
    ours,
    paper: paper.params,
    printed: paper.paramsPrinted ?? '—',
    match: ours === paper.params ? 'yes' : 'NO',
  };
});
console.log('| model | ours | paper (exact, paper-spec §4.4) | paper (printed) | match |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) {
  console.log(
    `| ${r.model} | ${r.ours.toLocaleString('en-US')} | ${r.paper.toLocaleString('en-US')} | ${r.printed} | ${r.match} |`,
  );
}
if (rows.some((r) => r.match !== 'yes')) process.exitCode = 1;

// The text of docs/models.md, rendered from the model builders (used by scripts/docs.ts and a test).
import { resolve } from 'node:path';
import { architectureTable, buildModel, countTrainableParams, MODEL_IDS, PAPER } from '../src/index.js';

const intro = `# Models

The networks of Cohen & Welling (2016) as built by \`@gcnn/models\`. This page is generated from the code by
\`pnpm --filter @gcnn/models docs\`; do not edit it by hand.

- **group**: \`Z2->p4\` is a lifting convolution, \`p4->p4\` a group convolution; a batch norm names the group whose
  stabiliser it pools its statistics over; \`p4->Z2\` is max pooling over rotations (coset pooling).
- **channels**: G-channels (a p4 map with 10 G-channels has 40 planes in the last axis, a p4m map 8 per channel).
- **output**: height × width × planes, for one image.
- **params**: trainable parameters (convolution weights and biases, batch-norm gamma and beta). Moving statistics are
  not counted, as in the paper.
- Spatial max pooling of a G-map is the ordinary \`MaxPooling2D\` on its planes.

Exact equivariance: the rotated-MNIST models are exactly invariant to 90° rotations of a 28×28 input. The CIFAR
models use stride 2 on 32×32 maps, where (H + 2p − k) is odd, so their G-maps are equivariant only up to a
one-pixel shift after layer 3 (All-CNN-C) or stage 1 (ResNet); on 33×33 inputs they are exact
(paper-spec §3.3, tested in \`packages/models/test/invariance.test.ts\`).
`;

function section(id: (typeof MODEL_IDS)[number]): string {
  const model = buildModel(id, { seed: 0 });
  const paper = PAPER[id];
  const total = countTrainableParams(model);
  const text = [
    `## ${paper.label}`,
    '',
    `\`buildModel('${id}')\`: ${total.toLocaleString('en-US')} parameters (paper: ${paper.paramsPrinted ?? 'not printed'}; exact count from the authors' code: ${paper.params.toLocaleString('en-US')}).`,
    '',
    architectureTable(model),
    '',
  ].join('\n');
  model.dispose();
  return text;
}

/** Where the page lives in the repository. */
export const MODELS_DOC_PATH = resolve(import.meta.dirname, '../../../docs/models.md');

/** The whole page; call after a backend is set. */
export function renderModelsDoc(): string {
  return [intro, ...MODEL_IDS.map(section)].join('\n');
}

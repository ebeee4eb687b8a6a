import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/select-backend.js';
import { asTrainable, type LayersModelLike, type TrainableModel } from '../src/train-step.js';
import { formatProfile, profileModel } from './profile.js';
import { p4cnnStandIn, z2cnnStandIn } from './standin-models.js';

// Per-kernel profile of one model's training step and inference pass:
//   node dist/bench/profile-cli.js --module ../models/dist/index.js --export p4cnn \
//     --options '{"outputActivation":"linear"}' [--threads 1] [--batch 128] [--passes 3] [--by-shape] [--json]
// Without --module it profiles the stand-ins (--export p4cnnStandIn | z2cnnStandIn).
const { values } = parseArgs({
  options: {
    module: { type: 'string' },
    export: { type: 'string', default: 'p4cnnStandIn' },
    options: { type: 'string', default: '{}' },
    threads: { type: 'string', default: 'auto' },
    batch: { type: 'string', default: '128' },
    passes: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
    'by-shape': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const threads = values.threads === 'auto' ? 'auto' : Number(values.threads);
const report = await selectBackend('wasm', { threads });
let model: TrainableModel;
if (values.module == null) {
  const factories: Record<string, () => TrainableModel> = { p4cnnStandIn, z2cnnStandIn };
  const factory = factories[values.export];
  if (factory == null) throw new Error(`profile: no stand-in named ${values.export}`);
  model = factory();
} else {
  const mod = (await import(pathToFileURL(values.module).href)) as Record<string, unknown>;
  const factory = mod[values.export];
  if (typeof factory !== 'function')
    throw new Error(`profile: ${values.module} has no export ${values.export}`);
  model = asTrainable((await factory(JSON.parse(values.options))) as LayersModelLike | TrainableModel);
}
const load = os.loadavg()[0] as number;
const profile = await profileModel(model, {
  batch: Number(values.batch),
  passes: Number(values.passes),
  byShape: values['by-shape'],
});
const header = `wasm, ${report.threads} thread(s), load ${load.toFixed(2)} -> ${(os.loadavg()[0] as number).toFixed(2)}`;
console.log(
  values.json
    ? JSON.stringify({ header, ...profile }, null, 2)
    : `${header}\n${formatProfile(profile, Number(values.top))}`,
);
model.dispose();
process.exit(0);

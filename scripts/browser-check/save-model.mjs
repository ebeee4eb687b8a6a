// Node side of the browser check: a P4CNN saved with @gcnn/backend's file:// router into the app's public/
// folder, with a seeded input and the outputs Node computes, for the load page to compare.
import { mkdirSync, writeFileSync } from 'node:fs';
import { registerFileSystemRouter } from '@gcnn/backend';
import { p4cnn } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

await tf.setBackend('cpu');
registerFileSystemRouter();
const dir = new URL('./public/model/', import.meta.url);
mkdirSync(dir, { recursive: true });
const model = p4cnn({ seed: 5 });
await model.save(`file://${dir.pathname}`);
const shape = [2, 28, 28, 1];
const x = tf.randomUniform(shape, 0, 1, 'float32', 13);
const output = Array.from(model.predict(x).dataSync());
writeFileSync(
  new URL('expected.json', dir),
  JSON.stringify({ shape, input: Array.from(x.dataSync()), output }),
);
console.log(`saved P4CNN (${model.countParams()} parameters) with file:// into public/model/`);

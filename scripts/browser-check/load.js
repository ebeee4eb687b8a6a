// A P4CNN saved in Node (file:// through @gcnn/backend) loads in a page that imports only @tensorflow/tfjs and
// @gcnn/layers, with the outputs Node computed; then an indexeddb:// round trip.
import '@gcnn/layers';
import * as tf from '@tensorflow/tfjs';
import { publish } from './result.js';

const TOLERANCE = 1e-4;

function maxRelativeError(actual, expected) {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...actual.map((a, i) => Math.abs(a - expected[i]))) / scale;
}

publish(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu did not start');
  const { input, shape, output } = await (await fetch('./model/expected.json')).json();
  const model = await tf.loadLayersModel('./model/model.json');
  const x = tf.tensor(input, shape);
  const fromNode = maxRelativeError(Array.from(model.predict(x).dataSync()), output);
  if (!(fromNode <= TOLERANCE)) throw new Error(`outputs differ from Node's by ${fromNode} (relative)`);
  await model.save('indexeddb://gcnn-browser-check');
  const again = await tf.loadLayersModel('indexeddb://gcnn-browser-check');
  const roundTrip = maxRelativeError(Array.from(again.predict(x).dataSync()), output);
  if (!(roundTrip <= TOLERANCE))
    throw new Error(`indexeddb:// round trip changed the outputs by ${roundTrip}`);
  await tf.io.removeModel('indexeddb://gcnn-browser-check');
  return { backend: tf.getBackend(), fromNode, roundTrip, layers: model.layers.length };
});

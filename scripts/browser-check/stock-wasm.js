// P4CNN on STOCK tfjs-backend-wasm (no @gcnn/backend): logits invariant to 90° turns of the input.
import { equivarianceError } from '@gcnn/layers';
import { p4cnn } from '@gcnn/models';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { publish } from './result.js';

publish(async () => {
  // What a user of the stock backend does in a bundle: point it at the binaries.
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded,
  });
  if (!(await tf.setBackend('wasm'))) throw new Error('stock wasm did not start');
  const model = p4cnn({ seed: 3, outputActivation: 'linear' });
  const input = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 11);
  const report = equivarianceError((x) => model.apply(x, { training: false }), {
    inGroup: 'Z2',
    outGroup: 'invariant',
    group: 'p4',
    input,
  });
  return { backend: tf.getBackend(), maxRelativeError: report.maxRelativeError, scale: report.scale };
});

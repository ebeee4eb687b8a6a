import { selectBackend } from '@gcnn/backend';
import { buildModel, MODEL_IDS } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { STOCK_LAYER_CLASSES, toOnnx, toPlainModel } from '../src/index.js';
import { classNames, inputFor, predict, randomizeWeights, relativeError, runOnnx } from './helpers.js';

beforeAll(async () => {
  // wasm (XNNPACK) keeps the full-width p4m ResNets to seconds; one thread, the machine is shared.
  await selectBackend('wasm', { threads: 1 });
});

// Every model of the registry, with random weights and batch-norm statistics far from (0, 1). The CIFAR models
// keep their layers and widths but get an 8×8 input (both stride-2 stages still halve it) to stay quick. ONNX is
// written from the plain model here (toOnnx makes a G-model plain first; user-models.test.ts covers that path).
describe('every model of @gcnn/models exports with the same inference outputs', () => {
  it.each(MODEL_IDS)(
    '%s',
    async (id) => {
      const cifar = id.startsWith('allCnnC') || id.startsWith('resnet');
      const model = buildModel(id, {
        outputActivation: 'linear',
        ...(cifar ? { inputShape: [8, 8, 3] as [number, number, number] } : {}),
      });
      randomizeWeights(model, 7);
      const x = inputFor(model, 3, 11);
      const expected = predict(model, x);

      const plain = toPlainModel(model);
      for (const name of classNames(plain))
        expect(name === 'InputLayer' || STOCK_LAYER_CLASSES.has(name)).toBe(true);
      const plainError = relativeError(predict(plain, x), expected);

      const onnx = await runOnnx(toOnnx(plain), x);
      expect(onnx.dims).toEqual([3, 10]);
      const onnxError = relativeError(onnx.values, expected);
      console.log(`${id}: plain ${plainError.toExponential(2)}, onnx ${onnxError.toExponential(2)}`);
      expect(plainError).toBeLessThan(1e-5);
      expect(onnxError).toBeLessThan(1e-5);
      tf.dispose([x]);
      plain.dispose();
      model.dispose();
    },
    300_000,
  );
});

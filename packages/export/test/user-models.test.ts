import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@gcnn/backend';
import { GConv2D, gConv2d, groupBatchNormalization, groupMaxPool } from '@gcnn/layers';
import { allCnnC, p4cnn } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportError, toOnnx, toPlainModel } from '../src/index.js';
import { classNames, inputFor, predict, randomizeWeights, relativeError, runOnnx } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm', { threads: 1 });
});

/**
 * A user's functional graph: a p4m lifting conv with numeric padding and fused ReLU, a strided 'same' group conv,
 * a residual add whose batch norm cannot be folded, a conv read twice (no folding), a p4m coset pool, a
 * concatenation, a dense head with softmax.
 */
function residualModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 2], name: 'image' });
  const lift = gConv2d({
    name: 'lift',
    inGroup: 'Z2',
    outGroup: 'p4m',
    filters: 3,
    kernelSize: 3,
    padding: 1,
    activation: 'relu',
  });
  const a = lift.apply(input) as tfl.SymbolicTensor;
  const conv = gConv2d({
    name: 'g1',
    inGroup: 'p4m',
    outGroup: 'p4m',
    filters: 3,
    kernelSize: 3,
    padding: 1,
    useBias: false,
  });
  const b = conv.apply(a) as tfl.SymbolicTensor;
  const bn = groupBatchNormalization({ name: 'bn', group: 'p4m' }).apply(b) as tfl.SymbolicTensor;
  const sum = tfl.layers.add({ name: 'residual' }).apply([a, bn]) as tfl.SymbolicTensor;
  const bn2 = groupBatchNormalization({ name: 'bn2', group: 'p4m', center: false }).apply(
    sum,
  ) as tfl.SymbolicTensor;
  const down = gConv2d({
    name: 'down',
    inGroup: 'p4m',
    outGroup: 'p4m',
    filters: 2,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
  });
  const c = down.apply(
    tfl.layers.reLU({ name: 'relu' }).apply(bn2) as tfl.SymbolicTensor,
  ) as tfl.SymbolicTensor;
  const bnTwice = groupBatchNormalization({ name: 'bn3', group: 'p4m' }).apply(c) as tfl.SymbolicTensor;
  const twice = tfl.layers.multiply({ name: 'square' }).apply([c, bnTwice]) as tfl.SymbolicTensor;
  const pooled = groupMaxPool({ name: 'coset', group: 'p4m' }).apply(twice) as tfl.SymbolicTensor;
  const side = tfl.layers
    .maxPooling2d({ name: 'side', poolSize: 2, strides: 2, padding: 'same' })
    .apply(input);
  const both = tfl.layers.concatenate({ name: 'both' }).apply([pooled, side as tfl.SymbolicTensor]);
  const flat = tfl.layers.flatten({ name: 'flat' }).apply(both);
  const dense = tfl.layers.dense({ name: 'head', units: 4, activation: 'softmax' }).apply(flat);
  return tfl.model({ inputs: input, outputs: dense as tfl.SymbolicTensor, name: 'user' });
}

describe('user models built from gcnn layers', () => {
  it('a functional graph with residual adds gives the same outputs plain and in ONNX', async () => {
    const model = residualModel();
    randomizeWeights(model, 3);
    const x = inputFor(model, 2, 5);
    const expected = predict(model, x);
    const plain = toPlainModel(model);
    // 'bn' is folded into g1 (its only reader); 'bn2' follows an add and 'bn3' reads a conv read twice.
    expect(classNames(plain).filter((c) => c === 'BatchNormalization')).toHaveLength(2);
    expect(relativeError(predict(plain, x), expected)).toBeLessThan(1e-5);
    const onnx = await runOnnx(toOnnx(model), x);
    expect(onnx.dims).toEqual([2, 4]);
    expect(relativeError(onnx.values, expected)).toBeLessThan(1e-5);
    tf.dispose(x);
  }, 60_000);

  it('a Sequential model, with batch-norm folding off, gives the same outputs', async () => {
    const model = tfl.sequential({
      layers: [
        new GConv2D({ inputShape: [8, 8, 1], inGroup: 'Z2', outGroup: 'p4', filters: 2, kernelSize: 4 }),
        groupBatchNormalization({ group: 'p4' }),
        tfl.layers.dropout({ rate: 0.5 }),
        groupMaxPool({ group: 'p4' }),
        tfl.layers.globalAveragePooling2d({}),
      ],
    });
    randomizeWeights(model, 4);
    const x = inputFor(model, 3, 6);
    const expected = predict(model, x);
    const plain = toPlainModel(model, { foldBatchNorm: false });
    expect(classNames(plain)).not.toContain('Dropout');
    expect(classNames(plain)).toContain('BatchNormalization');
    expect(relativeError(predict(plain, x), expected)).toBeLessThan(1e-5);
    const onnx = await runOnnx(toOnnx(model), x);
    expect(relativeError(onnx.values, expected)).toBeLessThan(1e-5);
    tf.dispose(x);
  }, 60_000);

  it('folds a stock BatchNormalization into a stock Conv2D, and keeps one that follows a ReLU', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [7, 7, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
        tfl.layers.batchNormalization({ epsilon: 1e-3 }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.batchNormalization({}),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 5, activation: 'tanh' }),
      ],
    });
    randomizeWeights(model, 12);
    const x = inputFor(model, 2, 13);
    const expected = predict(model, x);
    const plain = toPlainModel(model);
    expect(classNames(plain).filter((c) => c === 'BatchNormalization')).toHaveLength(1);
    expect(relativeError(predict(plain, x), expected)).toBeLessThan(1e-5);
    expect(relativeError((await runOnnx(toOnnx(model), x)).values, expected)).toBeLessThan(1e-5);
    tf.dispose(x);
  }, 60_000);

  it('writes opsets 13, 18 and 21 (ReduceMean takes its axes as an input from 18)', async () => {
    const model = allCnnC({ group: 'p4', widths: [2, 3], inputShape: [8, 8, 3], outputActivation: 'linear' });
    randomizeWeights(model, 14);
    const x = inputFor(model, 2, 15);
    const expected = predict(model, x);
    for (const opset of [13, 18, 21]) {
      expect(relativeError((await runOnnx(toOnnx(model, { opset }), x)).values, expected)).toBeLessThan(1e-5);
    }
    tf.dispose(x);
  }, 60_000);

  it('leaves no tensors behind: toOnnx, and toPlainModel once its model is disposed', () => {
    const model = residualModel();
    const before = tf.memory().numTensors;
    toOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
    toPlainModel(model).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the ONNX batch axis is symbolic', async () => {
    const model = p4cnn({ outputActivation: 'linear' });
    randomizeWeights(model, 8);
    const bytes = toOnnx(model);
    for (const batch of [1, 4]) {
      const x = inputFor(model, batch, batch);
      const onnx = await runOnnx(bytes, x);
      expect(onnx.dims).toEqual([batch, 10]);
      expect(relativeError(onnx.values, predict(model, x))).toBeLessThan(1e-5);
      tf.dispose(x);
    }
  }, 60_000);
});

describe('the plain model loads without gcnn', () => {
  it('in a separate Node process that imports tfjs only, with the same outputs', async () => {
    const model = p4cnn({ outputActivation: 'linear' });
    randomizeWeights(model, 9);
    const plain = toPlainModel(model);
    const x = inputFor(model, 2, 10);
    const expected = predict(model, x);
    const dir = mkdtempSync(join(tmpdir(), 'gcnn-export-'));
    try {
      await plain.save(
        tf.io.withSaveHandler(async (artifacts) => {
          const json = {
            modelTopology: artifacts.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
          };
          writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
          writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const topology = JSON.stringify(
        JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology,
      );
      for (const name of ['GConv2D', 'GroupBatchNormalization', 'GroupMaxPool'])
        expect(topology).not.toContain(name);
      writeFileSync(
        join(dir, 'input.json'),
        JSON.stringify({ values: Array.from(x.dataSync()), shape: x.shape }),
      );
      const script = join(import.meta.dirname, 'fixtures', 'load-plain.mjs');
      const out = JSON.parse(execFileSync(process.execPath, [script, dir], { encoding: 'utf8' }));
      expect(out.shape).toEqual([2, 10]);
      expect(relativeError(out.values, expected)).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      tf.dispose(x);
    }
  }, 60_000);
});

describe('clear errors', () => {
  class Custom extends tfl.layers.Layer {
    static className = 'MyCustomLayer';
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.clone(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
    }
  }

  it('names a layer toPlainModel cannot convert', () => {
    const input = tfl.input({ shape: [4, 4, 1] });
    const y = new Custom({ name: 'mine' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: y });
    expect(() => toPlainModel(model)).toThrow(ExportError);
    expect(() => toPlainModel(model)).toThrow(/layer 'mine' of class MyCustomLayer/);
  });

  it('names a layer toOnnx cannot convert', () => {
    const input = tfl.input({ shape: [4, 4, 1] });
    const y = tfl.layers.upSampling2d({ name: 'grow' }).apply(input) as tfl.SymbolicTensor;
    expect(() => toOnnx(tfl.model({ inputs: input, outputs: y }))).toThrow(
      /layer 'grow' of class UpSampling2D/,
    );
  });

  it('refuses a coset pool of unknown size and an opset outside 13 to 21', () => {
    const input = tfl.input({ shape: [null, null, 1] });
    const g = gConv2d({ inGroup: 'Z2', outGroup: 'p4', filters: 1, kernelSize: 3 }).apply(input);
    const y = groupMaxPool({ name: 'pool', group: 'p4' }).apply(g) as tfl.SymbolicTensor;
    expect(() => toPlainModel(tfl.model({ inputs: input, outputs: y }))).toThrow(
      /GroupMaxPool 'pool': needs a fixed/,
    );
    expect(() => toOnnx(p4cnn(), { opset: 12 })).toThrow(/opset must be an integer from 13 to 21/);
  });
});

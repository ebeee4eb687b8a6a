import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  GConv2D,
  GroupBatchNormalization,
  GroupMaxPool,
  gConv2d,
  groupBatchNormalization,
  groupMaxPool,
  registerLayers,
} from '../src/index.js';
import { itTrains, randomValues } from './helpers.js';

function smallModel(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      new GConv2D({
        inputShape: [9, 9, 2],
        inGroup: 'Z2',
        outGroup: 'p4',
        filters: 3,
        kernelSize: 3,
        padding: 1,
        kernelInitializer: 'glorotUniform',
        biasInitializer: 'randomNormal',
        kernelRegularizer: 'l1l2',
      }),
      new GroupBatchNormalization({ group: 'p4', momentum: 0.5, epsilon: 1e-3 }),
      tfl.layers.reLU(),
      new GConv2D({
        inGroup: 'p4',
        outGroup: 'p4',
        filters: 2,
        kernelSize: 4,
        strides: 2,
        activation: 'relu',
      }),
      new GroupMaxPool({ group: 'p4' }),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
}

describe('layer shapes and parameter counts', () => {
  it('GConv2D infers output shapes symbolically and has C_out·C_in·n_in·k² + C_out parameters', () => {
    // The layers of P4CNN (paper-spec §4.4): P4ConvZ2 1->10 k3, P4ConvP4 10->10 k3, P4ConvP4 10->10 k4.
    const input = tfl.input({ shape: [28, 28, 1] });
    const l1 = gConv2d({ inGroup: 'Z2', outGroup: 'p4', filters: 10, kernelSize: 3 });
    const l2 = gConv2d({ inGroup: 'p4', outGroup: 'p4', filters: 10, kernelSize: 3 });
    const top = gConv2d({ inGroup: 'p4', outGroup: 'p4', filters: 10, kernelSize: 4 });
    const h1 = l1.apply(input) as tfl.SymbolicTensor;
    const h2 = l2.apply(h1) as tfl.SymbolicTensor;
    expect(h1.shape).toEqual([null, 26, 26, 40]);
    expect(h2.shape).toEqual([null, 24, 24, 40]);
    expect(top.computeOutputShape([null, 4, 4, 40])).toEqual([null, 1, 1, 40]);
    top.build([null, 4, 4, 40]);
    expect([l1.countParams(), l2.countParams(), top.countParams()]).toEqual([100, 3610, 6410]);
    const p4m = gConv2d({
      inGroup: 'p4m',
      outGroup: 'p4m',
      filters: 64,
      kernelSize: 3,
      padding: 1,
      strides: 2,
    });
    expect(p4m.computeOutputShape([null, 16, 16, 32 * 8])).toEqual([null, 8, 8, 512]);
  });

  it('GroupMaxPool and GroupBatchNormalization shapes and weights', () => {
    expect(groupMaxPool({ group: 'p4m' }).computeOutputShape([null, 5, 5, 24])).toEqual([null, 5, 5, 3]);
    const bn = groupBatchNormalization({ group: 'p4m' });
    bn.build([null, 5, 5, 24]);
    expect(bn.trainableWeights.map((w) => w.shape)).toEqual([[3], [3]]);
    expect(bn.nonTrainableWeights.map((w) => w.shape)).toEqual([[3], [3]]);
    expect(bn.countParams()).toBe(12);
  });

  it('the default kernel initializer is He-normal over the fan-in C_in·n_in·k²', () => {
    const layer = new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 64, kernelSize: 3 });
    layer.build([null, 9, 9, 64 * 4]);
    const values = layer.getWeights()[0]?.dataSync() as Float32Array;
    let sumSquares = 0;
    for (const v of values) sumSquares += v * v;
    const std = Math.sqrt(sumSquares / values.length);
    // tfjs' heNormal draws from a normal truncated at 2σ, σ = √(2 / fan-in): the std is about 0.88σ.
    const sigma = Math.sqrt(2 / (64 * 4 * 9));
    expect(std / sigma).toBeGreaterThan(0.83);
    expect(std / sigma).toBeLessThan(0.93);
  });
});

describe('GroupBatchNormalization modes', () => {
  it('training normalises per G-channel over batch, space and stabiliser, and updates the moving averages', () => {
    const bn = new GroupBatchNormalization({ group: 'p4', momentum: 0.75 });
    const x = tf.tensor4d(randomValues(4 * 3 * 3 * 8, 2), [4, 3, 3, 8]);
    const scaled = tf.add(
      tf.mul(x, tf.tensor1d([1, 1, 1, 1, 5, 5, 5, 5])),
      tf.tensor1d([0, 0, 0, 0, 2, 2, 2, 2]),
    );
    const y = bn.apply(scaled, { training: true }) as tf.Tensor;
    const grouped = tf.reshape(y, [-1, 2, 4]);
    const { mean, variance } = tf.moments(grouped, [0, 2]);
    expect(Array.from(mean.dataSync()).map((v) => Math.abs(v) < 1e-5)).toEqual([true, true]);
    expect(Array.from(variance.dataSync()).map((v) => Math.abs(v - 1) < 1e-3)).toEqual([true, true]);
    const batch = tf.moments(tf.reshape(scaled, [-1, 2, 4]), [0, 2]);
    const count = 4 * 3 * 3 * 4;
    const [movingMean, movingVariance] = bn.getWeights().slice(2) as [tf.Tensor, tf.Tensor];
    const expectedMean = Array.from(batch.mean.dataSync()).map((m) => 0.25 * m);
    const expectedVariance = Array.from(batch.variance.dataSync()).map(
      (v) => 0.75 + 0.25 * v * (count / (count - 1)),
    );
    Array.from(movingMean.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(expectedMean[i] as number, 5);
    });
    Array.from(movingVariance.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(expectedVariance[i] as number, 4);
    });
    // Inference uses the moving statistics and leaves them alone.
    const inference = bn.apply(scaled) as tf.Tensor;
    const a = 1 / Math.sqrt((expectedVariance[1] as number) + 2e-5);
    const first = (scaled.dataSync()[4] as number) * a - (expectedMean[1] as number) * a;
    expect(inference.dataSync()[4]).toBeCloseTo(first, 4);
    expect(Array.from((bn.getWeights()[2] as tf.Tensor).dataSync())).toEqual(
      Array.from(movingMean.dataSync()),
    );
    tf.dispose([x, scaled, y, grouped, mean, variance, batch.mean, batch.variance, inference]);
    bn.dispose();
  });
});

describe('serialisation', () => {
  it('registers unique class names without ">"', () => {
    expect(registerLayers()).toEqual(['GConv2D', 'GroupMaxPool', 'GroupBatchNormalization']);
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map.GConv2D?.[0]).toBe(GConv2D);
    expect(map.GroupBatchNormalization?.[0]).toBe(GroupBatchNormalization);
    expect(map.BatchNormalization?.[0]).not.toBe(GroupBatchNormalization);
  });

  it('keeps constraints through serialisation', () => {
    // Not in the trained round trip below: tfjs applies a constraint when weights are written (also on load) but not
    // in optimizer steps, so a trained, constrained kernel changes on load. That is tfjs behaviour, not ours.
    const layer = new GConv2D({
      inGroup: 'p4',
      outGroup: 'p4',
      filters: 2,
      kernelSize: 3,
      kernelConstraint: 'maxNorm',
    });
    const copy = GConv2D.fromConfig(GConv2D, layer.getConfig()) as GConv2D;
    expect(copy.kernelConstraint?.getClassName()).toBe('MaxNorm');
  });

  itTrains(
    'a model with all three layers survives save / load (tf.io.withSaveHandler, tf.io.fromMemory) exactly',
    async () => {
      const model = smallModel();
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.tensor4d(randomValues(6 * 9 * 9 * 2, 31), [6, 9, 9, 2]);
      const target = tf.tensor2d(randomValues(6 * 2, 32), [6, 2]);
      await model.fit(x, target, { epochs: 2, batchSize: 3, verbose: 0 }); // moves weights and moving statistics
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const json = JSON.stringify(saved?.modelTopology);
      expect(json).toContain('"class_name":"GConv2D"');
      expect(json).toContain('"class_name":"GroupBatchNormalization"');
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
      const layer = loaded.layers[0] as GConv2D;
      expect([layer.inGroup, layer.outGroup, layer.padding, layer.kernelSize]).toEqual(['Z2', 'p4', 1, 3]);
      expect((loaded.layers[1] as GroupBatchNormalization).momentum).toBe(0.5);
      expect((loaded.layers[3] as GConv2D).activation).toBe('relu');
      const before = model.predict(x) as tf.Tensor;
      const after = loaded.predict(x) as tf.Tensor;
      expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
      const bnWeights = loaded.layers[1]?.getWeights().map((w) => Array.from(w.dataSync()));
      expect(bnWeights).toEqual(model.layers[1]?.getWeights().map((w) => Array.from(w.dataSync())));
      tf.dispose([x, target, before, after]);
      model.dispose();
      loaded.dispose();
    },
  );
});

describe('memory', () => {
  itTrains('a forward/backward training step leaves no tensors behind', () => {
    const model = smallModel();
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor4d(randomValues(4 * 9 * 9 * 2, 41), [4, 9, 9, 2]);
    const target = tf.tensor2d(randomValues(4 * 2, 42), [4, 2]);
    const step = () =>
      optimizer.minimize(
        () => tf.losses.meanSquaredError(target, model.apply(x, { training: true }) as tf.Tensor),
        false,
      );
    step(); // creates the optimizer slots and the cached index tensors
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    const inference = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync().length);
    expect(inference).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, target]);
    optimizer.dispose();
    model.dispose();
  });
});

describe('errors name the layer, the expected and the actual shape', () => {
  it('a p4 map fed to a p4m layer', () => {
    const layer = new GConv2D({
      name: 'p4m_conv',
      inGroup: 'p4m',
      outGroup: 'p4m',
      filters: 2,
      kernelSize: 3,
    });
    expect(() => layer.apply(tfl.input({ shape: [9, 9, 12] }))).toThrow(
      /GConv2D 'p4m_conv' \(p4m->p4m\): expects a p4m feature map \[batch, height, width, C_in·8\] whose last axis holds C·8 planes, got \[null, 9, 9, 12\] \(12 planes, not a multiple of 8\)/,
    );
  });

  it('a Z2 map where a G-map is expected', () => {
    const pool = new GroupMaxPool({ name: 'rotation_pool', group: 'p4' });
    expect(() => pool.apply(tf.zeros([1, 5, 5, 3]))).toThrow(
      /GroupMaxPool 'rotation_pool' \(p4\).*got \[1, 5, 5, 3\].*Z2 map/,
    );
    const bn = new GroupBatchNormalization({ name: 'bn', group: 'p4m' });
    expect(() => bn.apply(tfl.input({ shape: [5, 5, 4] }))).toThrow(
      /'bn' \(p4m\).*C·8 planes, got \[null, 5, 5, 4\]/,
    );
  });

  it('an even kernel with p4m, and unsupported configurations', () => {
    expect(
      () => new GConv2D({ name: 'even', inGroup: 'Z2', outGroup: 'p4m', filters: 2, kernelSize: 4 }),
    ).toThrow(/GConv2D 'even': Z2->p4m needs an odd kernelSize.*got 4/);
    expect(() => new GConv2D({ inGroup: 'p4', outGroup: 'p4m', filters: 2, kernelSize: 3 })).toThrow(
      /inGroup 'p4'/,
    );
    expect(() => new GConv2D({ inGroup: 'Z2', outGroup: 'p4', filters: 2, kernelSize: [3, 5] })).toThrow(
      /square/,
    );
    expect(
      () => new GConv2D({ inGroup: 'Z2', outGroup: 'p4', filters: 2, kernelSize: 3, padding: -1 }),
    ).toThrow(/padding must be/);
    expect(() => new GroupMaxPool({ group: 'Z2' as 'p4' })).toThrow(/'p4' or 'p4m'/);
  });

  it('wrong rank and inputs that are too small', () => {
    const layer = new GConv2D({ name: 'lift', inGroup: 'Z2', outGroup: 'p4', filters: 2, kernelSize: 5 });
    expect(() => layer.apply(tfl.input({ shape: [28, 28] }))).toThrow(
      /GConv2D 'lift' \(Z2->p4\): expects an NHWC Z2 feature map of rank 4 \[batch, height, width, channels\], got rank 3 \[null, 28, 28\]/,
    );
    expect(() => layer.apply(tfl.input({ shape: [3, 3, 1] }))).toThrow(
      /\[null, 3, 3, 1\] is too small for a 5×5 filter/,
    );
  });
});

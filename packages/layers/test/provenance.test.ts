import { p4, p4m } from '@gcnn/group';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  actOnFeatureMap,
  actOnZ2,
  equivarianceError,
  GConv2D,
  GroupBatchNormalization,
  GroupLayerError,
  GroupMaxPool,
} from '../src/index.js';

// A p4m map with 8 planes and a p4 map with 8 planes (2 G-channels): the plane count divides both ways,
// so only the recorded group can tell them apart.
const lift = (group: 'p4' | 'p4m', filters: number) =>
  new GConv2D({ inGroup: 'Z2', outGroup: group, filters, kernelSize: 3, padding: 1 });
const mismatch = /expects a p4 feature map but its input is a p4m map \(from GConv2D '.*'/;

describe('gcnn layers refuse a G-map of another group', () => {
  it('GConv2D, GroupMaxPool and GroupBatchNormalization after a p4m layer (symbolic)', () => {
    const input = tfl.input({ shape: [9, 9, 1] });
    const p4mMap = lift('p4m', 1).apply(input) as tfl.SymbolicTensor;
    expect(() =>
      new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 1, kernelSize: 3 }).apply(p4mMap),
    ).toThrow(mismatch);
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(p4mMap)).toThrow(mismatch);
    expect(() => new GroupBatchNormalization({ group: 'p4' }).apply(p4mMap)).toThrow(mismatch);
    // and the other way round: p4 into p4m (2 p4 channels = 8 planes)
    const p4Map = lift('p4', 2).apply(input) as tfl.SymbolicTensor;
    expect(() => new GroupMaxPool({ group: 'p4m' }).apply(p4Map)).toThrow(
      /expects a p4m feature map but its input is a p4 map/,
    );
    // a Z2 map (after coset pooling) is not a p4 map either, even with 4 planes
    const pooled = new GroupMaxPool({ group: 'p4m' }).apply(
      lift('p4m', 4).apply(input),
    ) as tfl.SymbolicTensor;
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(pooled)).toThrow(/input is a Z2 map/);
  });

  it('the group passes through shape-only tfjs layers, and the message is one line', () => {
    const input = tfl.input({ shape: [9, 9, 1] });
    const p4mMap = lift('p4m', 1).apply(input) as tfl.SymbolicTensor;
    let x = tfl.layers.activation({ activation: 'relu' }).apply(p4mMap) as tfl.SymbolicTensor;
    x = tfl.layers.dropout({ rate: 0.3 }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.add().apply([x, x]) as tfl.SymbolicTensor;
    const error = (() => {
      try {
        new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 1, kernelSize: 1 }).apply(x);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GroupLayerError);
    expect(error?.message).toMatch(mismatch);
    expect(error?.message.includes('\n')).toBe(false);
    // a matching group is accepted through the same layers
    const p4Map = tfl.layers.activation({ activation: 'relu' }).apply(lift('p4', 2).apply(input));
    expect(() =>
      new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 1, kernelSize: 3 }).apply(p4Map),
    ).not.toThrow();
  });

  it('input of unknown provenance keeps the plane-count check', () => {
    // a plain conv2d mixes planes: its output has no known group, 8 planes pass as a p4 map
    const input = tfl.input({ shape: [9, 9, 8] });
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(input)).not.toThrow();
    const mixed = tfl.layers.conv2d({ filters: 8, kernelSize: 1 }).apply(lift('p4m', 1).apply(input));
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(mixed)).not.toThrow();
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(tfl.input({ shape: [9, 9, 6] }))).toThrow(
      /not a multiple of 4/,
    );
  });

  it('eager tensors carry their group too', () => {
    const x = tf.randomNormal([1, 9, 9, 1]) as tf.Tensor4D;
    const y = lift('p4m', 1).apply(x) as tf.Tensor;
    expect(() => new GroupMaxPool({ group: 'p4' }).apply(y)).toThrow(mismatch);
    expect((new GroupMaxPool({ group: 'p4m' }).apply(y) as tf.Tensor).shape).toEqual([1, 9, 9, 1]);
    // through shape-only tfjs layers applied eagerly
    const relu = tfl.layers.activation({ activation: 'relu' }).apply(y) as tf.Tensor;
    const pooled = tfl.layers.maxPooling2d({ poolSize: 3 }).apply(relu) as tf.Tensor;
    expect(pooled.shape).toEqual([1, 3, 3, 8]);
    expect(() => new GroupBatchNormalization({ group: 'p4' }).apply(pooled)).toThrow(mismatch);
    // but not through a layer that mixes planes
    const mixed = tfl.layers.dense({ units: 8 }).apply(pooled) as tf.Tensor;
    expect(() => new GroupBatchNormalization({ group: 'p4' }).apply(mixed)).not.toThrow();
    tf.dispose([x, y, relu, pooled, mixed]);
  });

  it('survives model.save and tf.loadLayersModel', async () => {
    const input = tfl.input({ shape: [9, 9, 1] });
    const hidden = tfl.layers
      .activation({ activation: 'relu' })
      .apply(lift('p4m', 1).apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: hidden });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const output = loaded.outputs[0] as tfl.SymbolicTensor;
    expect(() => new GroupBatchNormalization({ group: 'p4' }).apply(output)).toThrow(mismatch);
    expect(() => new GroupBatchNormalization({ group: 'p4m' }).apply(output)).not.toThrow();
    // and a loaded model's layers still check what they are applied to
    const p4Input = lift('p4', 2).apply(tfl.input({ shape: [9, 9, 1] })) as tfl.SymbolicTensor;
    const reloaded = loaded.layers.find((l) => l instanceof GConv2D) as GConv2D;
    expect(reloaded.inGroup).toBe('Z2');
    expect(() => new GroupMaxPool({ group: 'p4m' }).apply(p4Input)).toThrow(/input is a p4 map/);
    model.dispose();
    loaded.dispose();
  });
});

describe('group objects of @gcnn/group are accepted wherever a group name is', () => {
  it('actOnZ2, actOnFeatureMap and equivarianceError take p4 / p4m', () => {
    const x = tf.randomNormal([1, 5, 5, 8]) as tf.Tensor4D;
    const byName = actOnFeatureMap(x, 'p4m', 5);
    const byObject = actOnFeatureMap(x, p4m, 5);
    expect(Array.from(byObject.dataSync())).toEqual(Array.from(byName.dataSync()));
    const z2 = actOnZ2(x, p4, 1);
    expect(Array.from(z2.dataSync())).toEqual(Array.from(actOnZ2(x, 'p4', 1).dataSync()));
    const layer = new GroupMaxPool({ group: 'p4m' });
    const report = equivarianceError((t) => layer.apply(t) as tf.Tensor, {
      inGroup: p4m,
      outGroup: 'Z2',
      group: p4m,
      input: x,
    });
    expect(report.perElement).toHaveLength(8);
    expect(report.maxRelativeError).toBeLessThan(1e-6);
    expect(() => actOnZ2(x, { name: 'p5' } as never, 0)).toThrow(/must be 'p4' or 'p4m'/);
    tf.dispose([x, byName, byObject, z2]);
  });
});

describe('equivarianceError refuses non-finite values', () => {
  it('throws on NaN or Infinity in the input or in fn(x), instead of returning NaN', () => {
    const nan = tf.fill([1, 5, 5, 4], Number.NaN) as tf.Tensor4D;
    expect(() => equivarianceError((t) => t, { inGroup: 'p4', outGroup: 'p4', input: nan })).toThrow(
      /the input contains NaN or Infinity/,
    );
    expect(() =>
      equivarianceError((t) => tf.div(t, 0), { inGroup: 'p4', outGroup: 'p4', inputShape: [1, 5, 5, 4] }),
    ).toThrow(/fn\(x\) contains NaN or Infinity/);
    // finite at x but not at a transformed input
    let calls = 0;
    expect(() =>
      equivarianceError((t) => (calls++ === 0 ? tf.clone(t) : tf.mul(t, Number.NaN)), {
        inGroup: 'p4',
        outGroup: 'p4',
        inputShape: [1, 5, 5, 4],
      }),
    ).toThrow(/fn\(L_g x\) for g = .* contains NaN or Infinity/);
    nan.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { allCnnC, p4cnn, p4cnnRotationPooling, resnet, z2cnn } from '../src/index.js';
import { randomImages } from './helpers.js';

async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
}

describe('save and load', () => {
  it.each([
    ['Z2CNN', () => z2cnn({ seed: 2 }), [28, 28, 1]],
    ['P4CNN', () => p4cnn({ seed: 2 }), [28, 28, 1]],
    ['P4CNNRotationPooling', () => p4cnnRotationPooling({ seed: 2 }), [28, 28, 1]],
    ['All-CNN-C p4', () => allCnnC({ group: 'p4', widths: [4, 6], seed: 2 }), [32, 32, 3]],
    [
      'ResNet p4m',
      () => resnet({ group: 'p4m', blocksPerStage: 1, widths: [2, 3, 4], seed: 2 }),
      [32, 32, 3],
    ],
  ] as const)('%s round-trips with identical outputs and layer names', async (_, build, [h, w, c]) => {
    const model = build();
    const loaded = await roundTrip(model);
    const x = randomImages([2, h, w, c]);
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('uses summary-friendly layer names', () => {
    const model = p4cnn();
    const names = model.layers.map((l) => l.name);
    expect(names).toContain('l1/gconv');
    expect(names).toContain('l1/bn');
    expect(names).toContain('top/rotation-pool');
    model.dispose();
  });
});

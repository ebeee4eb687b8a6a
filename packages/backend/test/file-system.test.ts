import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystem, registerFileSystemRouter } from '../src/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'gcnn-fs-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function smallModel(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 4 }));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}

async function predictions(model: tfl.LayersModel): Promise<number[]> {
  const x = tf.reshape(tf.linspace(-1, 1, 2 * 36), [2, 6, 6, 1]);
  const y = model.predict(x) as tf.Tensor;
  const out = Array.from(await y.data());
  x.dispose();
  y.dispose();
  return out;
}

describe('fileSystem', () => {
  it('round-trips a tfjs-layers model: same weights, same predictions', async () => {
    const model = smallModel();
    const dir = path.join(root, 'round-trip', 'nested');
    const result = await model.save(fileSystem(dir));
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    expect(statSync(path.join(dir, 'weights.bin')).size).toBe(result.modelArtifactsInfo.weightDataBytes);
    const loaded = await tfl.loadLayersModel(fileSystem(path.join(dir, 'model.json')));
    expect(await predictions(loaded)).toEqual(await predictions(model));
    const fromFolder = await tfl.loadLayersModel(fileSystem(dir));
    expect(fromFolder.getWeights().length).toBe(model.getWeights().length);
  });

  it("writes tfjs-node's layout: model.json (manifest -> weights.bin) and no temp files", async () => {
    const dir = path.join(root, 'layout');
    await smallModel().save(fileSystem(dir));
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json).slice(0, 5)).toEqual([
      'modelTopology',
      'weightsManifest',
      'format',
      'generatedBy',
      'convertedBy',
    ]);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.format).toBe('layers-model');
    expect((await import('node:fs')).readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('explains a missing folder, a truncated weights file and a file in place of a folder', async () => {
    await expect(tfl.loadLayersModel(fileSystem(path.join(root, 'nothing-here')))).rejects.toThrow(
      /does not exist/,
    );
    const dir = path.join(root, 'truncated');
    await smallModel().save(fileSystem(dir));
    const weights = readFileSync(path.join(dir, 'weights.bin'));
    writeFileSync(path.join(dir, 'weights.bin'), weights.subarray(0, weights.length - 4));
    await expect(tfl.loadLayersModel(fileSystem(dir))).rejects.toThrow(/bytes but its manifest needs/);
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(smallModel().save(fileSystem(file))).rejects.toThrow(/is a file/);
    expect(() => fileSystem('')).toThrow(/expected a folder path/);
  });

  it('registers file:// once, so model.save and tf.loadLayersModel work as with tfjs-node', async () => {
    expect(registerFileSystemRouter()).toBe(true);
    expect(registerFileSystemRouter()).toBe(false);
    const model = smallModel();
    const dir = path.join(root, 'router');
    await model.save(`file://${dir}`);
    const loaded = await tfl.loadLayersModel(`file://${dir}/model.json`);
    expect(await predictions(loaded)).toEqual(await predictions(model));
  });
});

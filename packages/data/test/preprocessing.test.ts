import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyNormalization,
  applyZca,
  createDataset,
  fitZca,
  globalContrastNormalize,
  type ImageDataset,
  normalizationStats,
  preprocessCifar10,
  Rng,
  symmetricEigen,
} from '../src/index.js';
import { tempDir } from './helpers.js';

/** Correlated float images of shape h x w x c: x = M z with z uniform, plus an offset per feature. */
function correlated(count: number, h: number, w: number, c: number, seed: number): ImageDataset {
  const dim = h * w * c;
  const rng = Rng.fromSeed(seed);
  const mix = Float64Array.from({ length: dim * dim }, () => rng.nextFloat() - 0.5);
  const images = new Float32Array(count * dim);
  const z = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < dim; i++) z[i] = rng.nextFloat() - 0.5;
    for (let i = 0; i < dim; i++) {
      let s = i * 0.1;
      for (let j = 0; j < dim; j++) s += mix[i * dim + j]! * z[j]!;
      images[n * dim + i] = s;
    }
  }
  const labels = Uint8Array.from({ length: count }, (_, n) => n % 10);
  return createDataset({ images, labels, height: h, width: w, channels: c });
}

/** Covariance (ddof 1) of the images of a data set, float64. */
function covariance(data: ImageDataset): { cov: Float64Array; mean: Float64Array; dim: number } {
  const dim = data.height * data.width * data.channels;
  const mean = new Float64Array(dim);
  for (let n = 0; n < data.count; n++)
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + data.images[n * dim + i]! / data.count;
  const cov = new Float64Array(dim * dim);
  for (let n = 0; n < data.count; n++)
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++)
        cov[i * dim + j] =
          cov[i * dim + j]! +
          ((data.images[n * dim + i]! - mean[i]!) * (data.images[n * dim + j]! - mean[j]!)) /
            (data.count - 1);
  return { cov, mean, dim };
}

describe('normalizationStats', () => {
  it('computes one scalar mean and population std over all pixels, bytes as byte / 255', () => {
    const bytes = createDataset({
      images: Uint8Array.from([0, 255, 51, 102]),
      labels: Uint8Array.from([1]),
      height: 2,
      width: 2,
      channels: 1,
    });
    const stats = normalizationStats(bytes);
    const values = [0, 1, 0.2, 0.4];
    const mean = values.reduce((a, b) => a + b) / 4;
    expect(stats.mean).toBeCloseTo(mean, 12);
    expect(stats.std).toBeCloseTo(Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 4), 12);
    expect(normalizationStats(Float32Array.from(values)).mean).toBeCloseTo(mean, 7);
    const normalized = applyNormalization(bytes, stats);
    const after = normalizationStats(normalized);
    expect(after.mean).toBeCloseTo(0, 6);
    expect(after.std).toBeCloseTo(1, 6);
    expect(() => applyNormalization(bytes, { mean: 0, std: 0 })).toThrow(/std positive/);
  });
});

describe('globalContrastNormalize', () => {
  it('gives each image mean 0 and sample std (ddof 1) 1; a constant image is only centred', () => {
    const data = correlated(5, 4, 4, 3, 1);
    const images = new Float32Array(data.images);
    images.fill(0.7, 48, 96); // image 1 constant
    const gcn = globalContrastNormalize({ ...data, images });
    for (let n = 0; n < 5; n++) {
      const x = gcn.images.subarray(n * 48, (n + 1) * 48);
      const values = [...x];
      const mean = values.reduce((a, b) => a + b, 0) / 48;
      const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 47);
      expect(mean).toBeCloseTo(0, 6);
      if (n === 1) expect([...x].every((v) => Math.abs(v) < 1e-7)).toBe(true);
      else expect(std).toBeCloseTo(1, 5);
    }
  });

  it('treats bytes as byte / 255 (the result is the same for a scaled copy)', () => {
    const bytes = createDataset({
      images: Uint8Array.from({ length: 48 }, (_, i) => (i * 53) % 256),
      labels: Uint8Array.from([0]),
      height: 4,
      width: 4,
      channels: 3,
    });
    const floats = { ...bytes, images: Float32Array.from(bytes.images, (b) => b / 255) };
    const a = globalContrastNormalize(bytes).images;
    const b = globalContrastNormalize(floats).images;
    for (let i = 0; i < 48; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
  });
});

describe('ZCA whitening', () => {
  const train = correlated(400, 2, 2, 3, 2); // 12 features

  it('with ε = 0 whitens the training set: covariance of the output = identity', () => {
    const zca = fitZca(train, { epsilon: 0 });
    const whitened = applyZca(train, zca);
    const { cov, mean, dim } = covariance(whitened);
    for (let i = 0; i < dim; i++) {
      expect(Math.abs(mean[i]!)).toBeLessThan(1e-5);
      for (let j = 0; j < dim; j++) expect(cov[i * dim + j]).toBeCloseTo(i === j ? 1 : 0, 4);
    }
  });

  it('is W = U diag(1 / (S + ε)) Uᵀ: symmetric, with eigenvalues 1 / (S + ε) for the singular values S of D / √(N-1)', () => {
    const epsilon = 0.5;
    const zca = fitZca(train, { epsilon });
    const { cov, dim } = covariance(train);
    const reference = symmetricEigen(cov, dim).values.map((v) => Math.sqrt(v));
    zca.singularValues.forEach((s, k) => {
      expect(s).toBeCloseTo(reference[k]!, 6);
    });
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) expect(zca.matrix[i * dim + j]).toBe(zca.matrix[j * dim + i]);
    const eigenOfW = [...symmetricEigen(zca.matrix, dim).values].sort((a, b) => a - b);
    const expected = [...reference].map((s) => 1 / (s + epsilon)).sort((a, b) => a - b);
    eigenOfW.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 8);
    });
    // The eigenvectors of W are those of the covariance: W and C commute.
    let commutator = 0;
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) {
        let wc = 0;
        let cw = 0;
        for (let k = 0; k < dim; k++) {
          wc += zca.matrix[i * dim + k]! * cov[k * dim + j]!;
          cw += cov[i * dim + k]! * zca.matrix[k * dim + j]!;
        }
        commutator = Math.max(commutator, Math.abs(wc - cw));
      }
    expect(commutator).toBeLessThan(1e-9);
  });

  it('subtracts the training mean before the product; bytes count as byte / 255', () => {
    const zca = fitZca(train);
    const probe = createDataset({
      images: Float32Array.from(zca.mean),
      labels: Uint8Array.from([0]),
      height: 2,
      width: 2,
      channels: 3,
    });
    expect(Math.max(...applyZca(probe, zca).images.map(Math.abs))).toBeLessThan(1e-5);
    const bytes = createDataset({
      images: Uint8Array.from({ length: 24 }, (_, i) => i * 10),
      labels: Uint8Array.from([0, 1]),
      height: 2,
      width: 2,
      channels: 3,
    });
    const floats = { ...bytes, images: Float32Array.from(bytes.images, (b) => b / 255) };
    const a = applyZca(bytes, zca).images;
    const b = applyZca(floats, zca).images;
    for (let i = 0; i < 24; i++) expect(a[i]).toBeCloseTo(b[i]!, 4);
    expect(() => applyZca(correlated(2, 3, 3, 1, 1), zca)).toThrow(/fitted to 12 values per image, got 9/);
    expect(() =>
      fitZca({
        ...train,
        count: 1,
        images: train.images.subarray(0, 12),
        labels: train.labels.subarray(0, 1),
      }),
    ).toThrow(/at least 2 images/);
  });
});

describe('preprocessCifar10', () => {
  const splits = { train: correlated(60, 2, 2, 3, 4), test: correlated(10, 2, 2, 3, 5) };

  it('applies GCN then a ZCA fitted on the normalised training set, and caches the result', async () => {
    const cacheDir = tempDir();
    const phases = new Set<string>();
    const first = await preprocessCifar10(splits, { cacheDir, onProgress: (p) => phases.add(p.phase) });
    expect(first.cache.status).toBe('created');
    expect([...phases]).toEqual([
      'read-cache',
      'gcn',
      'covariance',
      'eigen',
      'matrix',
      'whiten-train',
      'whiten-test',
      'write-cache',
    ]);
    const gcnTrain = globalContrastNormalize(splits.train);
    const zca = fitZca(gcnTrain);
    const expectedTest = applyZca(globalContrastNormalize(splits.test), zca).images;
    expect([...first.test.images]).toEqual([...expectedTest]);
    expect([...first.train.labels]).toEqual([...splits.train.labels]);

    const second = await preprocessCifar10(splits, { cacheDir });
    expect(second.cache.status).toBe('hit');
    expect([...second.train.images]).toEqual([...first.train.images]);
    expect([...second.test.labels]).toEqual([...splits.test.labels]);

    const file = first.cache.file!;
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x55;
    writeFileSync(file, bytes);
    const repaired = await preprocessCifar10(splits, { cacheDir });
    expect(repaired.cache.status).toBe('created');
    expect([...repaired.train.images]).toEqual([...first.train.images]);

    const otherEpsilon = await preprocessCifar10(splits, { cacheDir, epsilon: 0.1 });
    expect(otherEpsilon.cache.file).not.toBe(file);
    expect(otherEpsilon.train.images[0]).not.toBe(first.train.images[0]);
  });
});

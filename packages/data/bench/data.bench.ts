// Benchmarks of @gcnn/data: batch building (the training hot path), MNIST-rot generation and cached load, and
// the CIFAR-10 linear algebra (timed on a slice, scaled to full size). Takes about a minute. Run with `pnpm bench`
// (or `npx tsx bench/data.bench.ts` in this folder).
// GCNN_BENCH_RUNS sets the repetitions of the short measurements (default 200).
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  batches,
  gatherBatch,
  generateRotatedMnist,
  loadMnist,
  normalizationStats,
  Rng,
  symmetricEigen,
} from '../src/index.js';
import { addProductTransposed } from '../src/matmul.js';

const runs = Number(process.env.GCNN_BENCH_RUNS ?? 200);

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

await tf.setBackend('cpu');
const results: Record<string, string> = {};

// 1. MNIST-rot: full generation (no cache), then write + cached load.
const cacheDir = mkdtempSync(join(tmpdir(), 'gcnn-bench-'));
try {
  const [, generateMs] = await timeAsync(() => generateRotatedMnist({ seed: 0, cache: false }));
  results['MNIST-rot generation, 62,000 images (no cache)'] = `${(generateMs / 1000).toFixed(2)} s`;
  const [, writeMs] = await timeAsync(() => generateRotatedMnist({ seed: 0, cacheDir }));
  results['MNIST-rot generation + cache write'] = `${(writeMs / 1000).toFixed(2)} s`;
  const [cached, loadMs] = await timeAsync(() => generateRotatedMnist({ seed: 0, cacheDir }));
  if (cached.cache.status !== 'hit') throw new Error('bench: expected a cache hit');
  results['MNIST-rot cached load (incl. MNIST source check)'] = `${(loadMs / 1000).toFixed(2)} s`;

  // 2. Batch building for training: 128 MNIST-rot images, normalised.
  const train = cached.train;
  const stats = normalizationStats(train);
  const rng = Rng.fromSeed(1);
  const indices = Uint32Array.from({ length: 128 }, () => rng.nextInt(train.count));
  const gatherTimes: number[] = [];
  for (let r = 0; r < runs; r++) gatherTimes.push(time(() => gatherBatch(train, indices, stats))[1]);
  results['gatherBatch, 128 x 28x28 (typed arrays only), median'] =
    `${(median(gatherTimes) * 1000).toFixed(0)} µs`;
  const epochTimes: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    const [count, ms] = time(() => {
      let n = 0;
      for (const { xs } of batches(train, { batchSize: 128, seed: 0, epoch, normalize: stats }))
        n += xs.shape[0];
      return n;
    });
    if (count !== train.count) throw new Error('bench: epoch incomplete');
    epochTimes.push(ms / Math.ceil(train.count / 128));
  }
  results['batches(): one batch of 128 incl. tensors (cpu backend), median'] =
    `${(median(epochTimes) * 1000).toFixed(0)} µs`;
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}

// 3. MNIST load.
const [, mnistMs] = await timeAsync(() => loadMnist());
results['loadMnist (70,000 images from IDX)'] = `${mnistMs.toFixed(0)} ms`;

// 4. CIFAR-10 linear algebra, timed on a slice and scaled to the full size (n = 3,072 features, N = 50,000 train
//    images, 60,000 to whiten): the covariance and the whitening scale linearly in the images, the
//    eigendecomposition as n³.
const dim = 3072;
const rows = 512;
const linearRng = Rng.fromSeed(2);
const block = Float64Array.from({ length: dim * rows }, () => linearRng.nextFloat() - 0.5);
const gram = new Float64Array(dim * dim);
const [, covarianceMs] = time(() => addProductTransposed(block, block, gram, dim, dim, rows, true));
results[`ZCA covariance, ${rows} images of 3,072 -> 50,000 images`] =
  `${covarianceMs.toFixed(0)} ms -> ${((covarianceMs * 50_000) / rows / 1000).toFixed(0)} s`;
const whitened = new Float64Array(rows * dim);
const [, whitenMs] = time(() => addProductTransposed(block, gram, whitened, rows, dim, dim));
results[`ZCA whitening, ${rows} images -> 60,000 images`] =
  `${whitenMs.toFixed(0)} ms -> ${((whitenMs * 60_000) / rows / 1000).toFixed(0)} s`;
const n = Number(process.env.GCNN_BENCH_EIGEN_N ?? 1536);
const symmetric = new Float64Array(n * n);
for (let i = 0; i < n; i++)
  for (let j = 0; j <= i; j++) symmetric[i * n + j] = symmetric[j * n + i] = linearRng.nextFloat() - 0.5;
const [, eigenMs] = time(() => symmetricEigen(symmetric, n));
results[`symmetricEigen n=${n} -> n=3,072`] =
  `${(eigenMs / 1000).toFixed(1)} s -> ${((eigenMs * (3072 / n) ** 3) / 1000).toFixed(0)} s`;

console.log('| measurement | time |\n|---|---|');
for (const [name, value] of Object.entries(results)) console.log(`| ${name} | ${value} |`);

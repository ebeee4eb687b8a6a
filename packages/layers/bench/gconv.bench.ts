// Benchmark of the G-convolution at the paper's P4CNN layer sizes (batch 128, p4 -> p4, 10 -> 10 G-channels,
// k = 3, 26×26 and 12×12 inputs): the filter transform's share of the layer, and gconv2d against a plain conv2d
// with the same number of planes (40 -> 40). Runs on wasm (forward only) when @tensorflow/tfjs-backend-wasm loads,
// then on cpu. The cpu backend's conv backward kernels are about 100 times slower than its forward (77 s for one
// batch-128 step at 12×12), so on cpu the forward + backward row uses a batch of 8 at 12×12; the transform's
// backward does not depend on the batch, so that row's share is an upper bound for batch 128.
// GCNN_BENCH_RUNS sets the number of timed runs (default 11 on wasm, 3 on cpu). The operations are timed
// round by round, interleaved; on a loaded machine the ratios of the minima are the steadier figures.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { disposeIndexTensors, gconv2d, transformFilter } from '../src/index.js';

const RUNS_OVERRIDE = process.env.GCNN_BENCH_RUNS ? Math.max(1, Number(process.env.GCNN_BENCH_RUNS)) : null;
let runs = 5;
const BATCH = 128;
const BACKWARD_BATCH = 8;
const BACKWARD_SIZE = 12;
const CHANNELS = 10;
const N = 4;
const K = 3;
const SIZES = [26, 12];

interface Stats {
  min: number;
  median: number;
  max: number;
}

/** Runs `fn` once and returns the milliseconds until its outputs have been read back. */
function timeOnce(fn: () => tf.Tensor | tf.Tensor[]): number {
  const start = performance.now();
  const out = fn();
  const outs = Array.isArray(out) ? out : [out];
  for (const t of outs) t.dataSync();
  const elapsed = performance.now() - start;
  tf.dispose(outs);
  return elapsed;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    min: sorted[0] as number,
    median: sorted[Math.floor(sorted.length / 2)] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * Times several functions after one warm-up call each, interleaved round by round, so that load from other
 * processes on a shared machine falls on all of them alike and their ratios stay meaningful.
 */
function timeInterleaved(fns: (() => tf.Tensor | tf.Tensor[])[]): Stats[] {
  for (const fn of fns) timeOnce(fn);
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < runs; round++) {
    fns.forEach((fn, i) => {
      samples[i]?.push(timeOnce(fn));
    });
  }
  return samples.map(stats);
}

const format = (s: Stats) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Dense fp32 throughput of a matMul with the shape of the conv's im2col product at 12×12 ([128·10·10, 3·3·40] ×
 * [3·3·40, 40]), in GFLOP/s: the ceiling a conv2d of this size can reach on the backend.
 */
function matMulPeak(): number {
  const rows = BATCH * 10 * 10;
  const depth = K * K * CHANNELS * N;
  const a = tf.randomNormal([rows, depth]) as tf.Tensor2D;
  const b = tf.randomNormal([depth, CHANNELS * N]) as tf.Tensor2D;
  const [matMul] = timeInterleaved([() => tf.matMul(a, b)]) as [Stats];
  tf.dispose([a, b]);
  return (2 * rows * depth * CHANNELS * N) / (matMul.min * 1e6);
}

interface Row {
  backend: string;
  size: number;
  batch: number;
  pass: string;
  transform: Stats;
  gconv: Stats;
  plain: Stats;
  gflops: number;
}

function forwardRow(backend: string, size: number): Row {
  const x = tf.randomNormal([BATCH, size, size, CHANNELS * N]) as tf.Tensor4D;
  const w = tf.randomNormal([K, K, CHANNELS * N, CHANNELS], 0, 0.1) as tf.Tensor4D;
  const plainFilter = tf.randomNormal([K, K, CHANNELS * N, CHANNELS * N], 0, 0.1) as tf.Tensor4D;
  const groups = { inGroup: 'p4', outGroup: 'p4' } as const;
  const out = size - K + 1;
  const flops = 2 * BATCH * out * out * K * K * (CHANNELS * N) * (CHANNELS * N);
  const [transform, gconv, plain] = timeInterleaved([
    () => transformFilter(w, groups),
    () => gconv2d(x, w, groups),
    () => tf.conv2d(x, plainFilter, 1, 'valid'),
  ]) as [Stats, Stats, Stats];
  tf.dispose([x, w, plainFilter]);
  const row = {
    backend,
    size,
    batch: BATCH,
    pass: 'forward',
    transform,
    gconv,
    plain,
    gflops: flops / (gconv.min * 1e6),
  };
  progress(row);
  return row;
}

/** Gradients with respect to the input and the filter, as in a training step. */
function backwardRow(backend: string, size: number, batch: number): Row {
  const x = tf.randomNormal([batch, size, size, CHANNELS * N]) as tf.Tensor4D;
  const w = tf.randomNormal([K, K, CHANNELS * N, CHANNELS], 0, 0.1) as tf.Tensor4D;
  const plainFilter = tf.randomNormal([K, K, CHANNELS * N, CHANNELS * N], 0, 0.1) as tf.Tensor4D;
  const groups = { inGroup: 'p4', outGroup: 'p4' } as const;
  const out = size - K + 1;
  const flops = 3 * 2 * batch * out * out * K * K * (CHANNELS * N) * (CHANNELS * N);
  const upstream = tf.randomNormal([batch, out, out, CHANNELS * N]);
  const expandedUpstream = tf.randomNormal([K, K, CHANNELS * N, CHANNELS * N]);
  const transformGrad = tf.grads((v: tf.Tensor) =>
    tf.sum(tf.mul(transformFilter(v as tf.Tensor4D, groups), expandedUpstream)),
  );
  const gconvGrad = tf.grads((a: tf.Tensor, v: tf.Tensor) =>
    tf.sum(tf.mul(gconv2d(a as tf.Tensor4D, v as tf.Tensor4D, groups), upstream)),
  );
  const plainGrad = tf.grads((a: tf.Tensor, v: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, v as tf.Tensor4D, 1, 'valid'), upstream)),
  );
  const [transform, gconv, plain] = timeInterleaved([
    () => transformGrad([w]),
    () => gconvGrad([x, w]),
    () => plainGrad([x, plainFilter]),
  ]) as [Stats, Stats, Stats];
  tf.dispose([x, w, plainFilter, upstream, expandedUpstream]);
  const row = {
    backend,
    size,
    batch,
    pass: 'forward + backward',
    transform,
    gconv,
    plain,
    gflops: flops / (gconv.min * 1e6),
  };
  progress(row);
  return row;
}

function progress(r: Row): void {
  process.stderr.write(
    `  ${r.backend} ${r.size}×${r.size} batch ${r.batch} ${r.pass}: transform ${r.transform.median.toFixed(2)} ms,` +
      ` gconv2d ${r.gconv.median.toFixed(1)} ms, conv2d ${r.plain.median.toFixed(1)} ms\n`,
  );
}

async function benchBackend(
  backend: string,
  withBackward: boolean,
  defaultRuns: number,
): Promise<{ peak: number; rows: Row[] } | null> {
  runs = RUNS_OVERRIDE ?? defaultRuns;
  disposeIndexTensors();
  if (!(await tf.setBackend(backend))) return null;
  await tf.ready();
  const peak = matMulPeak();
  process.stderr.write(`${backend}: matMul peak ${peak.toFixed(1)} GFLOP/s, ${runs} runs per figure\n`);
  const rows = SIZES.map((size) => forwardRow(backend, size));
  if (withBackward) rows.push(backwardRow(backend, BACKWARD_SIZE, BACKWARD_BATCH));
  return { peak, rows };
}

async function main(): Promise<void> {
  console.log(
    `G-convolution bench: p4 -> p4, ${CHANNELS} -> ${CHANNELS} G-channels (${CHANNELS * N} -> ${CHANNELS * N} planes), k = ${K}, valid`,
  );
  console.log(
    'times in ms: median (min–max); share = transform / gconv2d; ratio = gconv2d / plain conv2d, each from the' +
      ' minima and (in brackets) the medians\n',
  );
  const results: { backend: string; peak: number; rows: Row[] }[] = [];
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const wasm = await benchBackend('wasm', false, 11);
    if (wasm) results.push({ backend: 'wasm', ...wasm });
  } catch (error) {
    console.log(`wasm backend not measured: ${(error as Error).message}`);
  }
  const cpu = await benchBackend('cpu', true, 3);
  if (cpu) results.push({ backend: 'cpu', ...cpu });

  console.log(
    '| backend | input | batch | pass | transform | gconv2d | plain conv2d | share | ratio | gconv2d GFLOP/s (share of matMul peak), best runs |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { peak, rows } of results) {
    for (const r of rows) {
      console.log(
        `| ${r.backend} | ${r.size}×${r.size} | ${r.batch} | ${r.pass} | ${format(r.transform)} | ${format(r.gconv)} | ${format(r.plain)} |` +
          ` ${percent(r.transform.min / r.gconv.min)} (${percent(r.transform.median / r.gconv.median)}) |` +
          ` ${(r.gconv.min / r.plain.min).toFixed(2)} (${(r.gconv.median / r.plain.median).toFixed(2)}) |` +
          ` ${r.gflops.toFixed(2)} (${percent(r.gflops / peak)} of ${peak.toFixed(1)}) |`,
      );
    }
  }
  const shares = results
    .flatMap(({ rows }) => rows.filter((r) => r.batch === BATCH))
    .map((r) => r.transform.median / r.gconv.median);
  console.log(
    `\nlargest transform share at batch ${BATCH} (medians): ${percent(Math.max(...shares))} (target < 5%)`,
  );
  console.log(
    `(the cpu forward + backward row uses batch ${BACKWARD_BATCH}: the conv's cost scales with the batch, the` +
      ` transform's does not, so its share there is about ${BATCH / BACKWARD_BATCH} times what batch ${BATCH} would show)`,
  );
}

await main();

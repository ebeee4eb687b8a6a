// P4CNN inference throughput at batch 128: the G-model and its plain export on tfjs' wasm backend, and the ONNX
// export in onnxruntime-node, all with 2 threads. Not a test: timings depend on the machine and its load, so each
// figure is the median of several timed runs after a warm-up. Run: pnpm --filter @gcnn/export bench
import { selectBackend } from '@gcnn/backend';
import { p4cnn } from '@gcnn/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { toOnnx, toPlainModel } from '../src/index.js';

const BATCH = 128;
const THREADS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median seconds of `fn` over RUNS timed runs after one warm-up. */
async function time(fn: () => Promise<void>): Promise<number> {
  await fn();
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return median(seconds);
}

function tfjsRunner(model: tfl.LayersModel, x: tf.Tensor): () => Promise<void> {
  return async () => {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
}

const report = await selectBackend('wasm', { threads: THREADS });
const model = p4cnn();
const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
const plain = toPlainModel(model);
const session = await ort.InferenceSession.create(toOnnx(model), {
  intraOpNumThreads: THREADS,
  interOpNumThreads: 1,
  executionProviders: ['cpu'],
});
const feeds = {
  [session.inputNames[0] as string]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape),
};

const rows = [
  { name: 'G-model (tfjs wasm)', seconds: await time(tfjsRunner(model, x)) },
  { name: 'plain model (tfjs wasm)', seconds: await time(tfjsRunner(plain, x)) },
  {
    name: `ONNX (onnxruntime-node ${ort.env.versions.common}, cpu)`,
    seconds: await time(async () => {
      await session.run(feeds);
    }),
  },
];
console.log(
  `P4CNN inference, batch ${BATCH}, ${THREADS} threads, median of ${RUNS} runs; backend: ${report.name} (${report.threads} threads, SIMD ${report.simd})`,
);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(44)} ${(BATCH / row.seconds).toFixed(0).padStart(7)} img/s  (${(row.seconds * 1000).toFixed(1)} ms/batch)`,
  );
}
console.log(
  JSON.stringify({
    batch: BATCH,
    threads: THREADS,
    runs: RUNS,
    imagesPerSecond: Object.fromEntries(rows.map((r) => [r.name, BATCH / r.seconds])),
  }),
);
await session.release();

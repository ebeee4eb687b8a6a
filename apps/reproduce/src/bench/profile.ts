import { imageModelShape, trainStep } from '@gcnn/train';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Time spent in one kernel name (optionally split by its first input's shape) during the profiled passes. */
export interface KernelTime {
  /** Kernel name, with the first input's shape when `byShape` was asked for. */
  kernel: string;
  /** Calls per pass. */
  calls: number;
  /** Milliseconds per pass (the backend's own timer: wall time for wasm and cpu). */
  ms: number;
  /** Share of the summed kernel time. */
  share: number;
}

/** Per-kernel profile of a training step and of an inference pass. */
export interface StepProfile {
  model: string;
  batch: number;
  /** Wall milliseconds of one unprofiled training step (median) and inference pass (median). */
  trainMs: number;
  inferMs: number;
  /** Summed kernel milliseconds per pass (the profiler's own overhead excluded). */
  trainKernelMs: number;
  inferKernelMs: number;
  train: KernelTime[];
  infer: KernelTime[];
}

/** Options of `profileModel`. */
export interface ProfileOptions {
  /** Batch size. Default 128. */
  batch?: number;
  /** Profiled passes, averaged. Default 3. */
  passes?: number;
  /** Split kernels by the shape of their first input. Default false. */
  byShape?: boolean;
}

function aggregate(
  kernels: { name: string; kernelTimeMs: number | { error: string }; inputShapes: number[][] }[],
  passes: number,
  byShape: boolean,
): { rows: KernelTime[]; total: number } {
  const byKey = new Map<string, { calls: number; ms: number }>();
  let total = 0;
  for (const k of kernels) {
    // Scopes of ops and custom gradients are recorded too, around the kernels they ran: count kernels only.
    if (tf.getKernel(k.name, tf.getBackend()) == null) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = byShape ? `${k.name} [${(k.inputShapes[0] ?? []).join(',')}]` : k.name;
    const entry = byKey.get(key) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    byKey.set(key, entry);
    total += ms;
  }
  const rows = [...byKey.entries()]
    .map(([kernel, { calls, ms }]) => ({
      kernel,
      calls: calls / passes,
      ms: ms / passes,
      share: total > 0 ? ms / total : 0,
    }))
    .sort((a, b) => b.ms - a.ms);
  return { rows, total: total / passes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/**
 * Profiles a training step (forward, backward, Adam update) and an inference pass of `model` kernel by kernel
 * with `tf.profile`, on random inputs, after two warm-up steps. Wall times of unprofiled passes are given too.
 */
export async function profileModel(
  model: tfl.LayersModel,
  options: ProfileOptions = {},
): Promise<StepProfile> {
  const batch = options.batch ?? 128;
  const passes = options.passes ?? 3;
  const { inputShape, numClasses } = imageModelShape(model);
  const x = tf.randomUniform([batch, ...inputShape]) as tf.Tensor4D;
  const y = tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => i % numClasses),
    'int32',
  );
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    trainStep(model, optimizer, x, y);
  };
  const infer = () => {
    tf.tidy(() => {
      (model.apply(x, { training: false }) as tf.Tensor).dataSync();
    });
  };
  for (let i = 0; i < 2; i++) {
    step();
    infer();
  }
  const trainTimes: number[] = [];
  const inferTimes: number[] = [];
  for (let i = 0; i < Math.max(3, passes); i++) {
    let t = performance.now();
    step();
    trainTimes.push(performance.now() - t);
    t = performance.now();
    infer();
    inferTimes.push(performance.now() - t);
  }
  const trainKernels: Parameters<typeof aggregate>[0] = [];
  const inferKernels: Parameters<typeof aggregate>[0] = [];
  for (let i = 0; i < passes; i++) {
    trainKernels.push(...((await tf.profile(step)).kernels as never[]));
    inferKernels.push(...((await tf.profile(infer)).kernels as never[]));
  }
  optimizer.dispose();
  x.dispose();
  y.dispose();
  const byShape = options.byShape ?? false;
  const train = aggregate(trainKernels, passes, byShape);
  const inference = aggregate(inferKernels, passes, byShape);
  return {
    model: model.name,
    batch,
    trainMs: median(trainTimes),
    inferMs: median(inferTimes),
    trainKernelMs: train.total,
    inferKernelMs: inference.total,
    train: train.rows,
    infer: inference.rows,
  };
}

/** A Markdown table of the largest entries of a profile. */
export function formatProfile(profile: StepProfile, top = 25): string {
  const lines = [
    `${profile.model}, batch ${profile.batch}: training step ${profile.trainMs.toFixed(1)} ms wall ` +
      `(${((profile.batch / profile.trainMs) * 1000).toFixed(0)} images/s, kernels ${profile.trainKernelMs.toFixed(1)} ms), ` +
      `inference ${profile.inferMs.toFixed(1)} ms (${((profile.batch / profile.inferMs) * 1000).toFixed(0)} images/s, ` +
      `kernels ${profile.inferKernelMs.toFixed(1)} ms)`,
  ];
  for (const [title, rows] of [
    ['training step', profile.train],
    ['inference', profile.infer],
  ] as const) {
    lines.push('', `| ${title} kernel | calls | ms | share |`, '| --- | ---: | ---: | ---: |');
    for (const r of rows.slice(0, top)) {
      lines.push(`| ${r.kernel} | ${r.calls} | ${r.ms.toFixed(1)} | ${(r.share * 100).toFixed(1)}% |`);
    }
  }
  return lines.join('\n');
}

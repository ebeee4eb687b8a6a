import type { Stats } from './measure.js';
import type { ModelResult } from './models.js';
import type { ConvResult } from './ops.js';

/** Everything one `pnpm bench` run measured. */
export interface BenchReport {
  /** When, where and on what the figures were taken. */
  environment: {
    date: string;
    node: string;
    cpu: string;
    cores: number;
    /** 1-minute load average before and after the run (the machine may be shared). */
    loadBefore: number;
    loadAfter: number;
  };
  backend: { name: string; threads: number; simd: boolean; kernels: string[]; reason: string };
  matmul: Stats;
  conv: ConvResult[];
  models: ModelResult[];
}

/** Training costs about three forward passes (forward, input gradient, filter gradient). */
const TRAIN_FLOPS_FACTOR = 3;

/** The targets of issue 4, checked against the medians. */
export const TARGETS = { p4cnnTrain: 440, p4cnnInfer: 2400, backwardOverForward: 2.5 };

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (v: number | undefined) => (v == null ? '' : `${(100 * v).toFixed(0)}%`);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Share of the matmul peak that a model's median throughput corresponds to. */
function modelShare(m: ModelResult, peak: number, kind: 'train' | 'infer'): number | undefined {
  if (m.flopsPerImage == null) return undefined;
  const factor = kind === 'train' ? TRAIN_FLOPS_FACTOR : 1;
  return (m[kind].median * m.flopsPerImage * factor) / 1e9 / peak;
}

/** The report as a Markdown table, with each figure's share of the measured matmul peak. */
export function formatReport(report: BenchReport): string {
  const peak = report.matmul.median;
  const { environment: env, backend } = report;
  const lines = [
    `Backend: ${backend.name} (${backend.threads} thread(s)${backend.simd ? ', SIMD' : ''}): ${backend.reason}`,
    `Machine: ${env.cpu}, ${env.cores} cores, Node ${env.node}; load average ${env.loadBefore.toFixed(2)} before, ${env.loadAfter.toFixed(2)} after (figures from a shared machine are noisy: compare ratios within one run).`,
    '',
    row(['figure', 'min', 'median', 'max', 'unit', 'share of matmul peak']),
    row(['---', '---:', '---:', '---:', '---', '---:']),
    row([
      'matmul 1024x1024 (peak)',
      fmt(report.matmul.min),
      fmt(peak),
      fmt(report.matmul.max),
      'GFLOP/s',
      '100%',
    ]),
  ];
  for (const c of report.conv) {
    for (const [label, s] of [
      ['forward', c.forward],
      ['backward input', c.backwardInput],
      ['backward filter', c.backwardFilter],
    ] as const) {
      lines.push(
        row([
          `conv ${c.shape.name} ${label}`,
          fmt(s.min),
          fmt(s.median),
          fmt(s.max),
          'GFLOP/s',
          pct(s.median / peak),
        ]),
      );
    }
  }
  for (const m of report.models) {
    for (const kind of ['train', 'infer'] as const) {
      const s = m[kind];
      lines.push(
        row([
          `${m.model} ${kind === 'train' ? 'training' : 'inference'} (${m.route}, batch ${m.batch})`,
          fmt(s.min),
          fmt(s.median),
          fmt(s.max),
          'images/s',
          pct(modelShare(m, peak, kind)),
        ]),
      );
    }
  }
  lines.push('');
  for (const c of report.conv) {
    const ok = c.backwardOverForward <= TARGETS.backwardOverForward;
    lines.push(
      `conv ${c.shape.name}: backward (input + filter) / forward = ${c.backwardOverForward.toFixed(2)} (target <= ${TARGETS.backwardOverForward}: ${ok ? 'met' : 'not met'})`,
    );
  }
  const p4 = report.models.filter((m) => m.model.toLowerCase().includes('p4cnn'));
  if (p4.length > 0) {
    const best = (kind: 'train' | 'infer') => Math.max(...p4.map((m) => m[kind].median));
    const train = best('train');
    const infer = best('infer');
    lines.push(
      `P4CNN best median: training ${fmt(train)} images/s (target >= ${TARGETS.p4cnnTrain}: ${train >= TARGETS.p4cnnTrain ? 'met' : 'not met'}), inference ${fmt(infer)} images/s (target >= ${TARGETS.p4cnnInfer}: ${infer >= TARGETS.p4cnnInfer ? 'met' : 'not met'})`,
    );
  }
  return lines.join('\n');
}

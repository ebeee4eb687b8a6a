import { findModel, paperNumbers, TABLE1_PRIOR_WORK } from '../integrations/models.js';
import type { EpochRecord, RunMetrics } from '../run/run-dir.js';
import { duration, percent, thousands } from './format.js';
import { describeMachine, type MachineInfo } from './machine.js';
import type { CurvePoint, ReferenceLine } from './plot.js';
import { mean, sampleStd } from './stats.js';

/** One finished run as the tables use it. */
export interface RunResult {
  model: string;
  seed: number;
  directory: string;
  metrics: RunMetrics;
  history: EpochRecord[];
}

/** One model's row: our errors over seeds beside the paper's. Errors in percent. */
export interface TableRow {
  model: string;
  paperName: string;
  epochs: number;
  seeds: number[];
  errors: number[];
  mean: number;
  /** Sample standard deviation over seeds in percentage points; null with one seed. */
  std: number | null;
  /** The paper's error, its standard deviation over seeds (Table 1) and the CIFAR10+ error (Table 2), in percent. */
  paper: { error: number; std?: number; errorAugmented?: number };
  parameters: number;
  imagesPerSecond: number;
  /** Training + evaluation seconds summed over the model's runs. */
  seconds: number;
}

/** One invocation of a table command that trained something. */
export interface TableSession {
  command: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
}

/** Everything table1.json / table2.json hold. */
export interface TableReport {
  format: 'gcnn-table/1';
  table: 'table1' | 'table2';
  title: string;
  /** The command that started the table. */
  command: string;
  /** Every session that trained part of the table (the first, then each --resume). */
  sessions: TableSession[];
  budget: string;
  budgetDescription: string;
  /** What was trained, e.g. "z2cnn 3 epochs, p4cnn 3 epochs; seeds 0; evaluation after the last epoch". */
  plan: string;
  backend: string;
  /**
   * Data-parallel workers of the runs (1: in one process). With more, batch-norm layers normalised each
   * worker's share of a batch in training. Absent in reports of older versions: 1.
   */
  workers?: number;
  machine: MachineInfo;
  startedAt: string;
  finishedAt: string;
  /** Wall time summed over the sessions. */
  wallSeconds: number;
  /** CIFAR10+ (table2 only). */
  augmented?: boolean;
  /** The images the runs trained and were tested on; absent in reports of older versions. */
  data?: DataSplit;
  rows: TableRow[];
  runs: RunResult[];
}

/** Training and test images of a table's runs beside the paper's split. */
export interface DataSplit {
  train: number;
  test: number;
  paperTrain: number;
  paperTest: number;
  /** False when the counts differ from the paper's: the errors are then not comparable with its numbers. */
  paperSplit: boolean;
}

/** The paper's splits: MNIST-rot 10,000 train + 2,000 validation / 50,000 test; CIFAR-10 50,000 / 10,000. */
export const PAPER_SPLITS = {
  table1: { train: 12_000, test: 50_000 },
  table2: { train: 50_000, test: 10_000 },
} as const;

/** The split of a table trained on `train` and tested on `test` images. */
export function dataSplit(table: 'table1' | 'table2', train: number, test: number): DataSplit {
  const paper = PAPER_SPLITS[table];
  return {
    train,
    test,
    paperTrain: paper.train,
    paperTest: paper.test,
    paperSplit: train === paper.train && test === paper.test,
  };
}

/** A one-line warning when a report's data are not the paper's split, else undefined. */
export function splitWarning(report: Pick<TableReport, 'data'>): string | undefined {
  const data = report.data;
  if (data === undefined || data.paperSplit) return undefined;
  return (
    `not the paper's data: trained on ${thousands(data.train)} and tested on ${thousands(data.test)} images ` +
    `(the paper: ${thousands(data.paperTrain)} / ${thousands(data.paperTest)}), so the errors are not ` +
    "comparable with the paper's"
  );
}

/** Rows in the order of `models`, one per model with at least one finished run. */
export function tableRows(models: readonly string[], runs: readonly RunResult[]): TableRow[] {
  const rows: TableRow[] = [];
  for (const model of models) {
    const mine = runs.filter((r) => r.model === model).sort((a, b) => a.seed - b.seed);
    if (mine.length === 0) continue;
    const errors = mine.map((r) => r.metrics.testError * 100);
    const paper = paperNumbers(model);
    const images = mine.reduce((s, r) => s + r.metrics.imagesPerSecond, 0) / mine.length;
    rows.push({
      model,
      paperName: findModel(model).paperName,
      epochs: mine[0]!.metrics.epochs,
      seeds: mine.map((r) => r.seed),
      errors,
      mean: mean(errors),
      std: sampleStd(errors),
      paper: {
        error: paper.error,
        ...(paper.errorStd === undefined ? {} : { std: paper.errorStd }),
        ...(paper.errorAugmented === undefined ? {} : { errorAugmented: paper.errorAugmented }),
      },
      parameters: mine[0]!.metrics.parameters,
      imagesPerSecond: images,
      seconds: mine.reduce((s, r) => s + r.metrics.seconds, 0),
    });
  }
  return rows;
}

/** Our error as "2.41 ± 0.08" (or "2.41" with one seed). */
export function formatOurs(row: TableRow): string {
  return row.std === null ? row.mean.toFixed(2) : `${row.mean.toFixed(2)} ± ${row.std.toFixed(2)}`;
}

/** The paper's figure in percent, e.g. "2.28 ± 0.04" (Table 1 prints that spread as a fraction, ±0.0004). */
export function formatPaper(row: TableRow, augmented = false): string {
  const error = augmented ? row.paper.errorAugmented : row.paper.error;
  if (error === undefined || Number.isNaN(error)) return '—';
  return row.paper.std === undefined || augmented
    ? error.toFixed(2)
    : `${error.toFixed(2)} ± ${row.paper.std.toFixed(2)}`;
}

/** The Markdown report: the table, how it was made, prior work (Table 1) and the learning-curve figure. */
export function tableMarkdown(report: TableReport, svgFile: string): string {
  const augmented = report.augmented ?? false;
  const lines: string[] = [];
  lines.push(`# ${report.title}`, '');
  const warning = splitWarning(report);
  if (warning !== undefined) lines.push(`**Warning: ${warning}.**`, '');
  lines.push(
    '| Model | Epochs | Seeds | Test error % (ours) | Paper | Parameters | Train img/s | Time |',
    '|---|--:|---|--:|--:|--:|--:|--:|',
  );
  for (const row of report.rows) {
    lines.push(
      `| ${row.paperName} | ${row.epochs} | ${row.seeds.join(', ')} | ${formatOurs(row)} | ${formatPaper(row, augmented)} | ` +
        `${thousands(row.parameters)} | ${Math.round(row.imagesPerSecond)} | ${duration(row.seconds)} |`,
    );
  }
  lines.push('');
  if (report.table === 'table1') {
    lines.push(
      'Earlier results listed in the paper: ' +
        TABLE1_PRIOR_WORK.map(
          (p) => `${p.name} ${p.error}${p.spread === undefined ? '' : ` ± ${p.spread}`}`,
        ).join(', ') +
        '.',
      '',
    );
  }
  lines.push('## How this was produced', '');
  lines.push(`- Command: \`${report.command}\``);
  for (const session of report.sessions.slice(1)) {
    lines.push(`- Resumed: \`${session.command}\` (${duration(session.wallSeconds)})`);
  }
  lines.push(`- Budget: ${report.budget} (${report.budgetDescription})`);
  lines.push(`- Trained: ${report.plan}`);
  if (report.data) {
    lines.push(
      `- Data: ${thousands(report.data.train)} training / ${thousands(report.data.test)} test images` +
        (report.data.paperSplit
          ? " (the paper's split)"
          : ` (not the paper's ${thousands(report.data.paperTrain)} / ${thousands(report.data.paperTest)})`),
    );
  }
  lines.push(`- Backend: ${report.backend}`);
  lines.push(`- Training: ${trainingLine(report)}`);
  lines.push(`- Machine: ${describeMachine(report.machine)}`);
  lines.push(
    `- Wall time: ${duration(report.wallSeconds)}` +
      (report.sessions.length > 1 ? ` over ${report.sessions.length} sessions` : '') +
      ` (${report.startedAt} to ${report.finishedAt})`,
  );
  lines.push(
    '- Ours: the test error of the last evaluation of each run (exact BN population statistics recomputed first),',
    '  mean ± sample standard deviation over seeds in percentage points (no ± with one seed).',
  );
  if (report.table === 'table1') {
    lines.push(
      '- Paper: Cohen & Welling (2016), Table 1, in percent; the paper prints the spread as a fraction (±0.0020 for 0.20).',
    );
  } else {
    lines.push(
      `- Paper: Cohen & Welling (2016), Table 2, ${augmented ? 'CIFAR10+ (augmented)' : 'CIFAR10'} column.`,
    );
  }
  lines.push('', '## Learning curves', '', `![learning curves](${svgFile})`, '');
  lines.push(
    '## Runs',
    '',
    '| Model | Seed | Test error % | Epochs | Train img/s | Directory |',
    '|---|--:|--:|--:|--:|---|',
  );
  for (const run of report.runs) {
    lines.push(
      `| ${findModel(run.model).paperName} | ${run.seed} | ${percent(run.metrics.testError)} | ${run.metrics.epochs} | ` +
        `${Math.round(run.metrics.imagesPerSecond)} | \`${run.directory}\` |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** How the runs trained: in one process, or data-parallel with per-worker batch-norm statistics. */
function trainingLine(report: TableReport): string {
  const workers = report.workers ?? 1;
  if (workers <= 1) return 'in one process; batch-norm statistics in training over each whole batch';
  return (
    `data-parallel on ${workers} workers (a model replica each, gradients summed every step); in training, ` +
    `batch-norm layers normalise each worker's share of a batch (${Math.ceil(128 / workers)} of 128 images), ` +
    'not the whole batch; the exact population statistics recomputed before each evaluation use whole batches'
  );
}

/** The table as plain text for the terminal. */
export function tableText(report: TableReport): string {
  const augmented = report.augmented ?? false;
  const header = ['model', 'epochs', 'seeds', 'ours %', 'paper %'];
  const body = report.rows.map((r) => [
    r.paperName,
    String(r.epochs),
    r.seeds.join(','),
    formatOurs(r),
    formatPaper(r, augmented),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const warning = splitWarning(report);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...(warning === undefined ? [] : ['', `Warning: ${warning}.`]),
  ].join('\n');
}

/** Learning-curve points and the paper's reference lines for the plot. */
export function curveData(report: TableReport): { points: CurvePoint[]; references: ReferenceLine[] } {
  const points: CurvePoint[] = [];
  for (const run of report.runs) {
    const model = findModel(run.model).paperName;
    for (const r of run.history) {
      points.push({
        model,
        seed: run.seed,
        epoch: r.epoch,
        loss: r.loss,
        error: r.trainError * 100,
        split: 'train',
      });
      if (r.testError !== undefined) {
        points.push({
          model,
          seed: run.seed,
          epoch: r.epoch,
          loss: r.testLoss ?? r.loss,
          error: r.testError * 100,
          split: 'test',
        });
      }
    }
  }
  const augmented = report.augmented ?? false;
  const references = report.rows
    .map((r) => ({ model: r.paperName, error: augmented ? r.paper.errorAugmented : r.paper.error }))
    .filter((r): r is ReferenceLine => r.error !== undefined && !Number.isNaN(r.error));
  return { points, references };
}

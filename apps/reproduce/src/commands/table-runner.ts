import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { type BackendChoice, checkWorkers, defaultWorkers, selectBackend } from '../integrations/backend.js';
import { loadTrainingData } from '../integrations/data.js';
import { buildModel, findModel } from '../integrations/models.js';
import { machineInfo } from '../report/machine.js';
import { learningCurvesSvg } from '../report/plot.js';
import {
  curveData,
  dataSplit,
  type RunResult,
  splitWarning,
  type TableReport,
  tableMarkdown,
  tableRows,
  tableText,
} from '../report/tables.js';
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from '../run/atomic.js';
import type { TrainingProtocol } from '../run/protocol.js';
import { damaged } from '../run/read-back.js';
import type { DataSpec } from '../run/run-config.js';
import { type CommonOptions, createContext } from './context.js';
import { describeWorkers, runConfig, runExperiment } from './experiment.js';

/** What a table command will train: one run per (model, seed). */
export interface TablePlan {
  format: 'gcnn-table-plan/1';
  table: 'table1' | 'table2';
  budget: string;
  budgetDescription: string;
  models: string[];
  seeds: number[];
  protocols: Record<string, TrainingProtocol>;
  data: DataSpec;
  /**
   * Data-parallel workers of every run. Left out by a command without --workers: the backend decides (2 on
   * wasm with 2+ cores, else 1), and the written plan records the choice. Absent in older plans: 1.
   */
  workers?: number;
}

/**
 * The budget a table reports: the named one, or, where command-line flags replaced some of its settings,
 * "<name> with overrides" and which flags they were (`overrides` maps a flag to its value, undefined when not given).
 */
export function budgetLabel(
  name: string,
  description: string,
  overrides: Record<string, number | number[] | undefined>,
): Pick<TablePlan, 'budget' | 'budgetDescription'> {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  if (given.length === 0) return { budget: name, budgetDescription: description };
  const flags = given.map(([flag, value]) => `${flag} ${Array.isArray(value) ? value.join(',') : value}`);
  return {
    budget: `${name} with overrides`,
    budgetDescription: `${flags.join(' ')} from the command line, the rest as in the ${name} budget`,
  };
}

/** File names a table command writes into its output directory. */
export function tableFiles(table: 'table1' | 'table2') {
  return {
    plan: `${table}-plan.json`,
    json: `${table}.json`,
    markdown: `${table}.md`,
    svg: `${table}-curves.svg`,
    runs: 'runs',
  };
}

/**
 * Trains every run of the plan in `out` (resuming unfinished runs when `resume`), rewriting the table files
 * after each finished run so that partial results are visible, and prints the table at the end.
 */
export async function runTable(options: {
  plan: TablePlan;
  out: string;
  resume: boolean;
  backend: BackendChoice;
  title: string;
  augmented?: boolean;
  common: CommonOptions & { json?: boolean; cacheDir?: string };
}): Promise<void> {
  const { plan, out } = options;
  const files = tableFiles(plan.table);
  const saved = await checkOutput(out, plan, files.plan, options.resume);
  const fresh = saved === undefined;
  const context = createContext(options.common);
  const startedAt = new Date();
  try {
    const backend = await selectBackend(options.backend);
    const workers = plan.workers ?? (saved ? (saved.workers ?? 1) : defaultWorkers(backend.name));
    checkWorkers(workers, backend.name);
    const batchSizes = new Set(plan.models.map((m) => plan.protocols[m]!.batchSize));
    context.progress.log(`backend: ${backend.description}`);
    context.progress.log(`training: ${describeWorkers(workers, Math.max(...batchSizes))}`);
    checkModelsBuild(plan.models);
    const data = await loadTrainingData(plan.data, {
      ...(options.common.cacheDir ? { cacheDir: options.common.cacheDir } : {}),
      log: (m) => context.progress.log(m),
    });
    context.progress.log(`data: ${data.description}`);
    const split = dataSplit(plan.table, data.train.count, data.test.count);
    const warning = splitWarning({ data: split });
    if (warning !== undefined) context.progress.log(`warning: ${warning}`);
    if (fresh) {
      await fs.mkdir(out, { recursive: true });
      await writeJsonAtomic(path.join(out, files.plan), { ...plan, workers });
    }
    context.progress.log(`output: ${path.resolve(out)} (${plan.budget} budget: ${plan.budgetDescription})`);
    const runs: RunResult[] = [];
    const previous = fresh
      ? undefined
      : await readJsonIfExists<TableReport>(path.join(out, files.json)).catch((error: Error) => {
          throw damaged(
            path.join(out, files.json),
            error.message,
            'restore it, or delete it to drop the earlier sessions from the report',
          );
        });
    const earlier = previous?.sessions ?? [];
    const session = {
      command: `gcnn ${process.argv.slice(2).join(' ')}`,
      startedAt: startedAt.toISOString(),
    };
    let trainedThisSession = false;
    let report: TableReport | undefined;
    for (const model of plan.models) {
      for (const seed of plan.seeds) {
        const directory = path.join(files.runs, `${model}-seed${seed}`);
        const config = runConfig(model, seed, plan.protocols[model]!, plan.data, options.backend, workers);
        const { metrics, history, trained } = await runExperiment({
          dir: path.join(out, directory),
          config,
          data,
          backend: backend.name,
          resume: true,
          context,
          label: `${model} seed ${seed}`,
        });
        runs.push({ model, seed, directory, metrics, history });
        trainedThisSession ||= trained;
        const now = new Date();
        const sessions = [
          ...earlier,
          ...(trainedThisSession || earlier.length === 0
            ? [
                {
                  ...session,
                  finishedAt: now.toISOString(),
                  wallSeconds: (now.getTime() - startedAt.getTime()) / 1000,
                },
              ]
            : []),
        ];
        report = {
          format: 'gcnn-table/1',
          table: plan.table,
          title: options.title,
          command: sessions[0]!.command,
          sessions,
          budget: plan.budget,
          budgetDescription: plan.budgetDescription,
          plan: describePlan(plan),
          backend: backend.description,
          workers,
          machine: machineInfo(),
          startedAt: sessions[0]!.startedAt,
          finishedAt: sessions.at(-1)!.finishedAt,
          wallSeconds: sessions.reduce((sum, s) => sum + s.wallSeconds, 0),
          ...(options.augmented === undefined ? {} : { augmented: options.augmented }),
          data: split,
          rows: tableRows(plan.models, runs),
          runs,
        };
        if (trained || !previous) await writeTableFiles(out, report);
      }
    }
    if (!report) throw new Error('a table with no runs');
    if (options.common.json) {
      context.print(JSON.stringify({ ...report, runs: undefined }, null, 2));
    } else {
      context.print(`\n${report.title}\n\n${tableText(report)}\n`);
      context.print(
        `Written: ${path.join(path.resolve(out), files.markdown)} (+ ${files.json}, ${files.svg})`,
      );
    }
  } finally {
    context.dispose();
  }
}

/** Writes the JSON, Markdown and SVG of a table report atomically. */
export async function writeTableFiles(out: string, report: TableReport): Promise<void> {
  const files = tableFiles(report.table);
  await writeJsonAtomic(path.join(out, files.json), report);
  const curves = curveData(report);
  const svg = await learningCurvesSvg({ title: report.title, ...curves });
  await writeFileAtomic(path.join(out, files.svg), svg);
  await writeFileAtomic(path.join(out, files.markdown), tableMarkdown(report, files.svg));
}

/**
 * Checks `out` without writing: a new or empty directory is fresh (returns undefined); one holding the same
 * plan is accepted with `resume` (returns the saved plan); anything else is a one-line UserError.
 */
async function checkOutput(
  out: string,
  plan: TablePlan,
  planFile: string,
  resume: boolean,
): Promise<TablePlan | undefined> {
  const entries = await fs.readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UserError(
      `cannot use ${out} as output: ${error.code === 'ENOTDIR' ? 'it is a file' : error.code}`,
    );
  });
  const saved = await readJsonIfExists<TablePlan>(path.join(out, planFile)).catch((error: Error) => {
    throw damaged(path.join(out, planFile), error.message, 'restore it, or choose another --out');
  });
  if (saved) {
    if (!resume) {
      throw new UserError(
        `${out} already holds a ${plan.table} run; pass --resume to continue it or choose another --out`,
      );
    }
    const savedWorkers = saved.workers ?? 1;
    if (plan.workers !== undefined && plan.workers !== savedWorkers) {
      throw new UserError(
        `cannot resume ${out}: it trains with ${savedWorkers} worker(s), not ${plan.workers}; leave out --workers or choose another --out`,
      );
    }
    const a = JSON.stringify({ ...saved, budgetDescription: undefined, workers: undefined });
    const b = JSON.stringify({ ...plan, budgetDescription: undefined, workers: undefined });
    if (a !== b) {
      throw new UserError(
        `cannot resume ${out}: it was started with a different plan (models, seeds, epochs or data); choose another --out`,
      );
    }
    return saved;
  }
  const visible = (entries ?? []).filter((e) => !e.startsWith('.'));
  if (visible.length > 0) {
    throw new UserError(
      `${out} is not empty and holds no ${plan.table} run (found ${visible.slice(0, 3).join(', ')}); choose a new or empty --out`,
    );
  }
  return undefined;
}

/** Builds (and drops) every model once, so a model this build lacks fails before hours of training. */
function checkModelsBuild(models: readonly string[]): void {
  for (const model of models) {
    findModel(model);
    buildModel(model).dispose();
  }
}

/** A one-line summary of what a plan trains. */
export function describePlan(plan: TablePlan): string {
  const epochs = plan.models.map((m) => `${m} ${plan.protocols[m]!.epochs}`).join(', ');
  const evalEvery = new Set(plan.models.map((m) => plan.protocols[m]!.evalEvery));
  const evaluation =
    evalEvery.size === 1 && [...evalEvery][0] === 0
      ? 'evaluation after the last epoch'
      : `evaluation every ${[...evalEvery].join('/')} epochs and after the last`;
  return `epochs ${epochs}; seeds ${plan.seeds.join(', ')}; ${evaluation}`;
}

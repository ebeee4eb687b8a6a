import { parseArgs } from 'node:util';
import type { BackendPreference } from '../src/select-backend.js';
import { formatReport } from './report.js';
import { type BenchOptions, runBench } from './run.js';

// `pnpm bench` (packages/backend): prints a Markdown table, or JSON with --json.
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    batch: { type: 'string' },
    workers: { type: 'string' },
    'ops-only': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: node dist/bench/cli.js [--json] [--runs N] [--backend auto|wasm|cpu|tensorflow]
       [--threads N] [--batch N] [--workers N (0: skip data-parallel)] [--ops-only]
Environment: GCNN_BACKEND replaces 'auto'; GCNN_BENCH_RUNS sets --runs (default 5).`);
  process.exit(0);
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text == null) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench: --${name} expects a non-negative integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

const options: BenchOptions = {
  opsOnly: values['ops-only'],
  progress: (line) => process.stderr.write(`bench: ${line}\n`),
};
const runs = integer('runs', values.runs);
if (runs != null) options.runs = runs;
if (values.backend != null) options.backend = values.backend as BackendPreference;
const threads = integer('threads', values.threads);
if (threads != null) options.threads = threads;
const batch = integer('batch', values.batch);
if (batch != null) options.batch = batch;
const workers = integer('workers', values.workers);
if (workers != null) options.workers = workers;

const report = await runBench(options);
console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));

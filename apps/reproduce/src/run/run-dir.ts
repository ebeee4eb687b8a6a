import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { isTemporarySibling } from '@gcnn/data';
import { UserError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { faultPoint } from './fault-points.js';
import { checkConfig, checkLogRecord, checkMetrics, checkState } from './file-checks.js';
import type { RandomScheme } from './random-scheme.js';
import { damaged, parseJson } from './read-back.js';
import { configDifferences, normalizeConfig, type RunConfig } from './run-config.js';

/** One line of log.jsonl: what an epoch did. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Training error (fraction) over the epoch, measured on the fly in training mode. */
  trainError: number;
  /** Test error (fraction) when the protocol evaluated after this epoch. */
  testError?: number;
  testLoss?: number;
  learningRate: number;
  /** Seconds of training (optimisation steps) in this epoch. */
  trainSeconds: number;
  /** Seconds of BN finetune and evaluation after this epoch. */
  evalSeconds: number;
  /** Training images per second over the epoch. */
  imagesPerSecond: number;
  backend: string;
  /** Data-parallel workers that trained the epoch (absent in logs of older versions: 1). */
  workers?: number;
  time: string;
}

/** The last completed evaluation of a run. */
export interface EvaluationRecord {
  epoch: number;
  testError: number;
  testLoss: number;
}

/** state.json: where a run stands, updated atomically after every checkpoint. */
export interface RunState {
  format: 'gcnn-state/1';
  status: 'running' | 'interrupted' | 'failed' | 'complete';
  /** Epochs completed and saved in `checkpoint`. */
  epoch: number;
  /** Optimizer steps taken so far. */
  iterations: number;
  /** The checkpoint directory relative to the run directory, null before the first epoch ends. */
  checkpoint: string | null;
  lastEvaluation: EvaluationRecord | null;
  /**
   * How the random streams are seeded: every stream is derived from (seed, purpose, epoch, batch), so the epoch
   * number is the whole generator state (see random-scheme.ts).
   */
  random: { scheme: RandomScheme; seed: number };
  /** Why the run stopped, for 'interrupted' and 'failed'. */
  message?: string;
  updatedAt: string;
}

/** metrics.json: the final figures of a completed run. */
export interface RunMetrics {
  format: 'gcnn-metrics/1';
  model: string;
  seed: number;
  epochs: number;
  /** Test error (fraction) of the last evaluation: the reported figure. */
  testError: number;
  testLoss: number;
  /** Mean training loss of the last epoch. */
  finalTrainLoss: number;
  finalTrainError: number;
  parameters: number;
  backend: string;
  /** Data-parallel workers of the run (1: in one process; absent in metrics of older versions). */
  workers?: number;
  /** Training images per second, averaged over all epochs of the run (this and earlier sessions). */
  imagesPerSecond: number;
  /** Seconds spent training and evaluating, summed over the run's epochs. */
  seconds: number;
  completedAt: string;
}

/** File names inside a run directory. */
export const RUN_FILES = {
  config: 'config.json',
  state: 'state.json',
  log: 'log.jsonl',
  metrics: 'metrics.json',
  lock: 'run.lock',
  checkpoints: 'checkpoints',
} as const;

/** A run's directory: its config, state, log, metrics and checkpoints. */
export class RunDirectory {
  private constructor(
    readonly dir: string,
    readonly config: RunConfig,
  ) {}

  /**
   * Checks, without writing anything, that `dir` can take a run with `config`: a new or empty directory
   * starts a run; a directory holding the same run is only accepted with `resume`; anything else is a
   * one-line UserError. Returns the saved config when the directory holds the run.
   */
  static async validate(
    dir: string,
    config: RunConfig,
    options: { resume: boolean },
  ): Promise<RunConfig | undefined> {
    const absolute = path.resolve(dir);
    const entries = await listDirectory(absolute);
    const saved = await readConfig(
      path.join(absolute, RUN_FILES.config),
      options.resume ? 'restore it, or choose another --out' : 'choose another --out',
    );
    if (saved === undefined) {
      const visible = (entries ?? []).filter((e) => !e.startsWith('.'));
      if (visible.length > 0) {
        throw new UserError(
          `${dir} is not empty and holds no gcnn run (found ${visible.slice(0, 3).join(', ')}); choose a new or empty --out`,
        );
      }
      return undefined;
    }
    if (!options.resume) {
      throw new UserError(
        `${dir} already holds a run (${saved.model}, seed ${saved.seed}); pass --resume to continue it or choose another --out`,
      );
    }
    const differences = configDifferences(normalizeConfig(saved), config);
    if (differences.length > 0) {
      throw new UserError(`cannot resume ${dir}: its config differs: ${differences.join('; ')}`);
    }
    return normalizeConfig(saved);
  }

  /** Validates `dir` (see `validate`) and opens it, writing config.json for a new run. */
  static async open(dir: string, config: RunConfig, options: { resume: boolean }): Promise<RunDirectory> {
    const absolute = path.resolve(dir);
    const saved = await RunDirectory.validate(dir, config, options);
    if (saved) return new RunDirectory(absolute, normalizeConfig(saved));
    await fs.mkdir(absolute, { recursive: true });
    await writeJsonAtomic(path.join(absolute, RUN_FILES.config), config);
    return new RunDirectory(absolute, config);
  }

  /** Opens an existing run directory read-only (for `eval`); a UserError if it holds no run. */
  static async load(dir: string): Promise<RunDirectory> {
    const absolute = path.resolve(dir);
    const entries = await listDirectory(absolute);
    if (entries === undefined) throw new UserError(`run directory ${dir} does not exist`);
    const config = await readConfig(path.join(absolute, RUN_FILES.config), 'restore it from a backup');
    if (config === undefined) throw new UserError(`${dir} holds no gcnn run (no ${RUN_FILES.config})`);
    return new RunDirectory(absolute, config);
  }

  /** Absolute path of a file in the run directory. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * The saved state, or undefined before the first checkpoint; a one-line UserError naming the file when it
   * is damaged or does not fit the run (an epoch beyond the protocol, a checkpoint of another epoch).
   */
  async readState(): Promise<RunState | undefined> {
    const file = this.file(RUN_FILES.state);
    const source = await readTextIfExists(file);
    if (source === undefined) return undefined;
    const parsed = parseJson(source);
    const problem = 'error' in parsed ? parsed.error : checkState(parsed.value, this.config.protocol.epochs);
    if (problem !== undefined) {
      throw damaged(file, problem, `delete it to train this run again from epoch 0, or restore it`);
    }
    return (parsed as { value: RunState }).value;
  }

  async writeState(state: RunState): Promise<void> {
    await writeJsonAtomic(this.file(RUN_FILES.state), state);
  }

  /** The final figures of a completed run, or undefined; a one-line UserError when the file is damaged. */
  async readMetrics(): Promise<RunMetrics | undefined> {
    const file = this.file(RUN_FILES.metrics);
    const source = await readTextIfExists(file);
    if (source === undefined) return undefined;
    const parsed = parseJson(source);
    const problem = 'error' in parsed ? parsed.error : checkMetrics(parsed.value);
    if (problem !== undefined) {
      throw damaged(file, problem, 'delete it and run the same command with --resume to write it again');
    }
    return (parsed as { value: RunMetrics }).value;
  }

  async writeMetrics(metrics: RunMetrics): Promise<void> {
    await writeJsonAtomic(this.file(RUN_FILES.metrics), metrics);
  }

  /**
   * The log records of epochs 1, 2, ... in order. Only a torn last line without its newline (a crash
   * mid-append) is skipped; any other damaged line is a one-line UserError naming the file and line.
   */
  async readLog(): Promise<EpochRecord[]> {
    const file = this.file(RUN_FILES.log);
    const source = (await readTextIfExists(file)) ?? '';
    const lines = source.split('\n');
    // The text after the last newline is a complete record only if it parses: a crash mid-append leaves
    // a torn tail, which the next append would glue to a new record, so it is dropped here.
    const tail = lines.pop() ?? '';
    if (tail.trim() !== '' && !('error' in parseJson(tail))) lines.push(tail);
    const records: EpochRecord[] = [];
    const remedy = 'restore the file, or delete state.json to train this run again from epoch 0';
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const parsed = parseJson(line);
      const problem = 'error' in parsed ? parsed.error : checkLogRecord(parsed.value, records.length + 1);
      if (problem !== undefined) throw damaged(`${file} line ${index + 1}`, problem, remedy);
      records.push((parsed as { value: EpochRecord }).value);
    }
    return records;
  }

  /**
   * Keeps only the records of epochs 1..epoch (what the checkpoint covers), rewriting the log atomically.
   * The log is written before the checkpoint, so it must hold every epoch up to `epoch`.
   */
  async truncateLog(epoch: number): Promise<EpochRecord[]> {
    if (epoch === 0) {
      // A fresh start keeps nothing, so a damaged old log must not stop it (the remedy the errors suggest).
      await writeFileAtomic(this.file(RUN_FILES.log), '');
      return [];
    }
    const records = await this.readLog();
    if (records.length < epoch) {
      throw damaged(
        this.file(RUN_FILES.log),
        `it records ${records.length} epochs but state.json says ${epoch} are done`,
        'restore both files, or delete state.json to train this run again from epoch 0',
      );
    }
    const kept = records.filter((r) => r.epoch <= epoch);
    await writeFileAtomic(this.file(RUN_FILES.log), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return kept;
  }

  /** Appends one epoch record to the log and flushes it. */
  async appendLog(record: EpochRecord): Promise<void> {
    const handle = await fs.open(this.file(RUN_FILES.log), 'a');
    try {
      const line = `${JSON.stringify(record)}\n`;
      if (process.env.GCNN_FAULT_KILL === 'log-append') {
        // A crash in the middle of the append: half a line reaches the disk.
        await handle.write(line.slice(0, line.length >> 1));
        await handle.sync();
        faultPoint('log-append');
      }
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Marks the directory as in use by this process; a UserError when another live process holds it.
   * Returns the release function.
   */
  async lock(): Promise<() => Promise<void>> {
    const lockFile = this.file(RUN_FILES.lock);
    const holder = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new UserError(
        `${this.dir} is in use by process ${holder} (${describeProcess(holder)}); if that is not a gcnn run ` +
          `(the PID may have been reused after a crash), delete ${lockFile}`,
      );
    }
    await writeFileAtomic(lockFile, `${process.pid}\n`);
    // Holding the lock, no other writer is active: temporary files are leftovers of a killed process.
    await removeStaleTemporaries(this.dir);
    await removeStaleTemporaries(this.file(RUN_FILES.checkpoints));
    return async () => {
      await fs.rm(lockFile, { force: true });
    };
  }
}

/** The entries of a directory, or undefined when it does not exist; a UserError when it is unreadable. */
async function listDirectory(dir: string): Promise<string[] | undefined> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new UserError(`${dir} is a file, not a directory`);
    throw new UserError(`cannot read ${dir} (${code})`);
  }
}

/** Reads a text file; undefined when it does not exist, a one-line UserError when it cannot be read. */
async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${file} (${code ?? (error as Error).message})`);
  }
}

/** Reads and checks a config.json; undefined when there is none. */
async function readConfig(file: string, remedy: string): Promise<RunConfig | undefined> {
  const source = await readTextIfExists(file);
  if (source === undefined) return undefined;
  const parsed = parseJson(source);
  const problem = 'error' in parsed ? parsed.error : checkConfig(parsed.value);
  if (problem !== undefined) throw damaged(file, problem, remedy);
  return normalizeConfig((parsed as { value: RunConfig }).value);
}

/** Deletes the `.name.tmp-*` files and directories that an atomic write left in `dir` when killed. */
async function removeStaleTemporaries(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    entries.filter(isTemporarySibling).map((e) => fs.rm(path.join(dir, e), { recursive: true, force: true })),
  );
}

/** What a process is, for the lock message: its command line where /proc has it. */
function describeProcess(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return command === '' ? 'command unknown' : command.length > 60 ? `${command.slice(0, 57)}...` : command;
  } catch {
    return 'command unknown';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from './atomic.js';
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
   * number is the whole generator state. 'gcnn-train-rng': @gcnn/train's streams (@gcnn/data's Rng);
   * 'derived-per-epoch': the mulberry32 streams of gcnn before @gcnn/train, which this version cannot continue.
   */
  random: { scheme: RandomScheme; seed: number };
  /** Why the run stopped, for 'interrupted' and 'failed'. */
  message?: string;
  updatedAt: string;
}

/** The random-stream scheme of this version; a run started under another cannot be resumed exactly. */
export const RANDOM_SCHEME = 'gcnn-train-rng';
export type RandomScheme = typeof RANDOM_SCHEME | 'derived-per-epoch';

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
    const saved = await readJsonIfExists<RunConfig>(path.join(absolute, RUN_FILES.config)).catch(() => {
      throw new UserError(`${dir} has an unreadable ${RUN_FILES.config}; choose another --out`);
    });
    if (saved === undefined) {
      const visible = (entries ?? []).filter((e) => !e.startsWith('.'));
      if (visible.length > 0) {
        throw new UserError(
          `${dir} is not empty and holds no gcnn run (found ${visible.slice(0, 3).join(', ')}); choose a new or empty --out`,
        );
      }
      return undefined;
    }
    if (saved.format !== 'gcnn-run/1') throw new UserError(`${dir} holds a run in an unknown format`);
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
    const config = await readJsonIfExists<RunConfig>(path.join(absolute, RUN_FILES.config)).catch(
      () => undefined,
    );
    if (config === undefined || config.format !== 'gcnn-run/1') {
      throw new UserError(`${dir} holds no gcnn run (no readable ${RUN_FILES.config})`);
    }
    return new RunDirectory(absolute, normalizeConfig(config));
  }

  /** Absolute path of a file in the run directory. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** The saved state, or undefined before the first checkpoint. */
  async readState(): Promise<RunState | undefined> {
    return readJsonIfExists<RunState>(this.file(RUN_FILES.state));
  }

  async writeState(state: RunState): Promise<void> {
    await writeJsonAtomic(this.file(RUN_FILES.state), state);
  }

  async readMetrics(): Promise<RunMetrics | undefined> {
    return readJsonIfExists<RunMetrics>(this.file(RUN_FILES.metrics));
  }

  async writeMetrics(metrics: RunMetrics): Promise<void> {
    await writeJsonAtomic(this.file(RUN_FILES.metrics), metrics);
  }

  /** The log records, skipping a torn last line (a crash mid-append). */
  async readLog(): Promise<EpochRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file(RUN_FILES.log), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: EpochRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as EpochRecord);
      } catch {
        break;
      }
    }
    return records;
  }

  /** Keeps only the records of epochs 1..epoch (what the checkpoint covers), rewriting the log atomically. */
  async truncateLog(epoch: number): Promise<EpochRecord[]> {
    const kept = (await this.readLog()).filter((r) => r.epoch <= epoch);
    await writeFileAtomic(this.file(RUN_FILES.log), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return kept;
  }

  /** Appends one epoch record to the log and flushes it. */
  async appendLog(record: EpochRecord): Promise<void> {
    const handle = await fs.open(this.file(RUN_FILES.log), 'a');
    try {
      await handle.write(`${JSON.stringify(record)}\n`);
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
      throw new UserError(`${this.dir} is in use by process ${holder}`);
    }
    await writeFileAtomic(lockFile, `${process.pid}\n`);
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import cliProgress from 'cli-progress';
import type { TrainingObserver } from '../run/observer.js';
import type { EpochRecord, RunMetrics } from '../run/run-dir.js';
import { duration, percent, plural } from './format.js';

/** How a command shows progress: a live bar (terminals), plain lines (CI, pipes), or nothing but errors. */
export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** The mode for this process: quiet when asked, a bar only on an interactive stderr outside CI. */
export function chooseProgressMode(options: { quiet?: boolean; stream?: NodeJS.WriteStream }): ProgressMode {
  if (options.quiet) return 'quiet';
  const stream = options.stream ?? process.stderr;
  return stream.isTTY && !process.env.CI ? 'bar' : 'lines';
}

/** Seconds between "still training" lines in 'lines' mode, so CI logs show a long epoch is alive. */
const HEARTBEAT_SECONDS = 60;

/**
 * Shows training progress on stderr (stdout stays for results). In 'bar' mode one bar per run shows epoch,
 * batch, loss, images/s and the ETA of the whole run, with a line above it per finished epoch; in 'lines'
 * mode every epoch (and a heartbeat during long epochs) is one plain line.
 */
export class ProgressDisplay {
  private multibar: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private label = '';
  private epochs = 0;
  private batches = 0;
  private startEpoch = 1;
  private lastHeartbeat = 0;

  constructor(
    readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Prints a message line (above the bar when one is shown); nothing in quiet mode. */
  log(message: string): void {
    if (this.mode === 'quiet') return;
    if (this.multibar) {
      this.multibar.log(`${message}\n`);
      this.multibar.update(); // draw now: lines logged just before stop() would be lost
    } else this.stream.write(`${message}\n`);
  }

  /** A TrainingObserver that reports one run, labelled e.g. "p4cnn seed 0". */
  observe(label: string): TrainingObserver {
    return {
      runStarted: (info) => {
        this.label = label;
        this.epochs = info.epochs;
        this.batches = info.batchesPerEpoch;
        this.startEpoch = info.startEpoch;
        this.lastHeartbeat = performance.now();
        const what = info.resumed ? `resuming at epoch ${info.startEpoch}` : 'starting';
        this.log(
          `[${label}] ${what}: ${plural(info.epochs, 'epoch')} of ${plural(info.batchesPerEpoch, 'batch', 'batches')} (${info.trainCount} images)`,
        );
        if (this.mode === 'bar' && info.startEpoch <= info.epochs) this.startBar();
      },
      batchDone: (info) => {
        const status = `loss ${info.loss.toFixed(4)} | ${Math.round(info.imagesPerSecond)} img/s`;
        if (this.bar) {
          this.bar.update((info.epoch - this.startEpoch) * this.batches + info.batch, {
            epoch: `${info.epoch}/${this.epochs}`,
            batch: `${info.batch}/${info.batches}`,
            status,
          });
        } else if (
          this.mode === 'lines' &&
          performance.now() - this.lastHeartbeat > HEARTBEAT_SECONDS * 1000
        ) {
          this.lastHeartbeat = performance.now();
          this.log(
            `[${this.label}] epoch ${info.epoch}/${this.epochs} batch ${info.batch}/${info.batches} ${status}`,
          );
        }
      },
      phase: (info) => {
        const text = `${info.phase === 'finetune' ? 'BN statistics' : 'evaluating'} ${info.done}/${info.total}`;
        if (this.bar) this.bar.update({ status: text });
        else if (this.mode === 'lines' && info.done === 1) {
          this.log(
            `[${this.label}] epoch ${info.epoch}: ${info.phase === 'finetune' ? 'recomputing BN statistics' : 'evaluating on the test set'}`,
          );
        }
      },
      epochDone: (record) => {
        this.lastHeartbeat = performance.now();
        this.log(`[${this.label}] ${describeEpoch(record, this.epochs)}`);
      },
      runDone: (metrics) => {
        this.stopBar();
        this.log(`[${this.label}] done: ${describeMetrics(metrics)}`);
      },
    };
  }

  /** Removes the bar (call when a run stops early, e.g. on an error or Ctrl-C). */
  stopBar(): void {
    this.multibar?.stop();
    this.multibar = undefined;
    this.bar = undefined;
  }

  private startBar(): void {
    this.stopBar();
    this.multibar = new cliProgress.MultiBar(
      {
        stream: this.stream,
        format: `[${this.label}] epoch {epoch} batch {batch} {bar} {percentage}% | {status} | ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    const total = Math.max(1, (this.epochs - this.startEpoch + 1) * this.batches);
    this.bar = this.multibar.create(total, 0, {
      epoch: `${this.startEpoch}/${this.epochs}`,
      batch: `0/${this.batches}`,
      status: 'starting',
    });
  }
}

/** One line for a finished epoch. */
export function describeEpoch(record: EpochRecord, epochs: number): string {
  const test = record.testError === undefined ? '' : ` | test error ${percent(record.testError)}%`;
  return (
    `epoch ${record.epoch}/${epochs} | loss ${record.loss.toFixed(4)} | train error ${percent(record.trainError)}%${test}` +
    ` | ${Math.round(record.imagesPerSecond)} img/s | ${duration(record.trainSeconds + record.evalSeconds)}`
  );
}

/** One line for a finished run. */
export function describeMetrics(metrics: RunMetrics): string {
  return (
    `test error ${percent(metrics.testError)}% after ${plural(metrics.epochs, 'epoch')} | ` +
    `${Math.round(metrics.imagesPerSecond)} img/s` +
    `${(metrics.workers ?? 1) > 1 ? ` (${metrics.workers} workers)` : ''} | ${duration(metrics.seconds)}`
  );
}

import type { EpochRecord, RunMetrics } from '../run/run-dir.js';

/** What a run reports as it goes; every hook is optional. The CLI's progress display implements it. */
export interface TrainingObserver {
  runStarted?(info: {
    model: string;
    seed: number;
    /** First epoch this session trains (1-based); > 1 when resuming. */
    startEpoch: number;
    epochs: number;
    batchesPerEpoch: number;
    trainCount: number;
    resumed: boolean;
  }): void;
  batchDone?(info: {
    epoch: number;
    batch: number;
    batches: number;
    /** Mean loss over the epoch's batches so far. */
    loss: number;
    imagesPerSecond: number;
  }): void;
  /** BN finetune or test-set evaluation progress after an epoch. */
  phase?(info: { epoch: number; phase: 'finetune' | 'evaluate'; done: number; total: number }): void;
  epochDone?(record: EpochRecord): void;
  runDone?(metrics: RunMetrics): void;
}

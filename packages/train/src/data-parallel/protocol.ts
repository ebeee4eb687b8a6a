/** Messages between `DataParallelTrainer` (main thread) and its workers. */
import type { ReplicaSpec } from '../fit.js';
import type { OptimizerSettings } from '../optimizer.js';
import type { TrainingState } from '../training-state.js';

/** A variable of the replicated model, as the workers see it. */
export interface VariableInfo {
  name: string;
  shape: number[];
  trainable: boolean;
}

export interface InitMessage {
  type: 'init';
  index: number;
  workers: number;
  replica: Required<ReplicaSpec>;
  threads: number;
  optimizer: OptimizerSettings;
  weightDecay: number;
}

/** The shared buffers, sized once the replicas have reported their input shape and parameter count. */
export interface BuffersMessage {
  type: 'buffers';
  /** Images [maxBatch, H, W, C] (float32), written by the main thread before each step. */
  images: SharedArrayBuffer;
  /** Labels [maxBatch] (int32). */
  labels: SharedArrayBuffer;
  /** [workers, parameters] float32: each worker writes its row, then all read every row. */
  gradients: SharedArrayBuffer;
}

export interface StepMessage {
  type: 'step';
  /** Rows [start, end) of the shared batch belong to this worker. */
  start: number;
  end: number;
  batch: number;
  /** Seed of the step's random ops (dropout); worker k draws from the stream (seed, k). */
  seed?: number;
}

export type ToWorker =
  | InitMessage
  | BuffersMessage
  | StepMessage
  | { type: 'apply' }
  | { type: 'predict'; start: number; end: number }
  | { type: 'get-state' }
  | { type: 'set-state'; state: TrainingState }
  | { type: 'learning-rate'; learningRate: number }
  | { type: 'close' };

export type FromWorker =
  | {
      type: 'ready';
      parameters: number;
      inputShape: [number, number, number];
      numClasses: number;
      variables: VariableInfo[];
      backend: string;
      threads: number;
    }
  | { type: 'done' }
  | { type: 'gradients'; loss: number; errors: number }
  | { type: 'logits'; values: Float32Array }
  | { type: 'state'; state: TrainingState }
  | { type: 'error'; message: string; stack?: string };

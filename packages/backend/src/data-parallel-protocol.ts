/** Messages between `DataParallelTrainer` (main thread) and its workers. */

/** Adam settings, applied identically in every worker so that the replicas stay equal. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface InitMessage {
  type: 'init';
  index: number;
  workers: number;
  modelModule: string;
  modelExport: string;
  threads: number;
  adam: AdamSettings;
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

/** Worker 0 writes its initial weights here; the others copy them (all replicas start equal). */
export interface WeightsMessage {
  type: 'weights';
  /** Flat float32 parameters, in `variables` order. */
  buffer: SharedArrayBuffer;
  /** Whether to write (worker 0) or to read. */
  write: boolean;
}

export interface StepMessage {
  type: 'step';
  /** Rows [start, end) of the shared batch belong to this worker. */
  start: number;
  end: number;
  batch: number;
}

export interface ApplyMessage {
  type: 'apply';
}

export interface PredictMessage {
  type: 'predict';
  start: number;
  end: number;
}

export interface CloseMessage {
  type: 'close';
}

export type ToWorker =
  | InitMessage
  | WeightsMessage
  | BuffersMessage
  | StepMessage
  | ApplyMessage
  | PredictMessage
  | CloseMessage;

export type FromWorker =
  | {
      type: 'ready';
      parameters: number;
      inputShape: [number, number, number];
      numClasses: number;
      backend: string;
      threads: number;
    }
  | { type: 'done' }
  | { type: 'gradients'; loss: number }
  | { type: 'logits'; values: Float32Array }
  | { type: 'error'; message: string; stack?: string };

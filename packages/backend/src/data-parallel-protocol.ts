/** Messages between `DataParallelTrainer` (main thread) and its workers. */

/** Adam settings, applied identically in every worker so that the replicas stay equal. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** SGD with (heavy-ball) momentum, as `tf.train.momentum`. */
export interface MomentumSettings {
  learningRate: number;
  momentum: number;
}

/** The optimizer every replica runs. */
export type DataParallelOptimizer =
  | ({ kind: 'adam' } & AdamSettings)
  | ({ kind: 'momentum' } & MomentumSettings);

/**
 * Everything that a replica's training depends on, in a form that crosses threads: the weights, the
 * non-trainable state (batch-norm moving statistics) and the optimizer's state. Arrays follow the model's
 * own order (`trainableWeights`, `nonTrainableWeights` of a tfjs-layers model).
 */
export interface TrainerState {
  /** One flat float32 array per trainable variable. */
  trainable: Float32Array[];
  /** One flat float32 array per non-trainable variable (e.g. batch-norm moving mean and variance). */
  nonTrainable: Float32Array[];
  /** The optimizer's state, as tfjs' `optimizer.getWeights()` lists it. */
  optimizer: {
    /** Updates applied so far (tfjs' `iter`). */
    iterations: number;
    /**
     * Slot variables in tfjs' order: Adam, the first moment of every trainable variable, then the second
     * moment of every one; momentum, one accumulation per variable. Empty before the first update.
     */
    slots: Float32Array[];
  };
}

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
  modelModule: string;
  modelExport: string;
  threads: number;
  optimizer: DataParallelOptimizer;
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
  /** Seed of the step's random ops (dropout); each worker derives its own stream from it. */
  seed?: number;
}

export interface ApplyMessage {
  type: 'apply';
}

export interface PredictMessage {
  type: 'predict';
  start: number;
  end: number;
}

export interface GetStateMessage {
  type: 'get-state';
}

export interface SetStateMessage {
  type: 'set-state';
  state: TrainerState;
}

export interface LearningRateMessage {
  type: 'learning-rate';
  learningRate: number;
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
  | GetStateMessage
  | SetStateMessage
  | LearningRateMessage
  | CloseMessage;

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
  | { type: 'state'; state: TrainerState }
  | { type: 'error'; message: string; stack?: string };

import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  AdamSettings,
  DataParallelOptimizer,
  FromWorker,
  ToWorker,
  TrainerState,
  VariableInfo,
} from './data-parallel-protocol.js';

/** Options of `DataParallelTrainer.create`. */
export interface DataParallelOptions {
  /**
   * The module that builds the model in each worker (a path or file URL), e.g. a file exporting
   * `() => p4cnn()`. Workers cannot receive functions, so the model travels as a module to import.
   */
  modelModule: string;
  /** The export of `modelModule` to call. Default 'default'. */
  modelExport?: string;
  /** Number of workers (replicas). Default: one per core. */
  workers?: number;
  /** XNNPACK threads inside each worker. Default 1 (the workers already use the cores). */
  threadsPerWorker?: number;
  /** Adam settings. Defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7 (tfjs defaults). */
  adam?: Partial<AdamSettings>;
  /** The optimizer, when not Adam with `adam`'s settings: e.g. `{ kind: 'momentum', learningRate: 0.05, momentum: 0.9 }`. */
  optimizer?: DataParallelOptimizer;
  /** L2 weight decay added to the summed gradient of every trainable variable (g + decay · w). Default 0. */
  weightDecay?: number;
  /** Largest batch that `step` will be given. Default 128. */
  maxBatch?: number;
}

/** Options of one training step. */
export interface StepOptions {
  /**
   * Seed of the step's random ops (dropout masks): worker k draws from a stream derived from (seed, k), so
   * the step is reproducible. Without it, random ops draw from `Math.random` as usual.
   */
  seed?: number;
}

/** What one training step measured. */
export interface StepResult {
  /** The batch's mean softmax cross-entropy before the update. */
  loss: number;
  /** Images of the batch whose arg-max logit was not their label (in training mode). */
  errors: number;
  /** False when the loss was not finite: the update was skipped, the weights are those before the step. */
  applied: boolean;
}

interface Pending {
  resolve: (message: FromWorker) => void;
  reject: (error: Error) => void;
}

/** A worker thread with one request in flight at a time. */
class Replica {
  private pending: Pending | null = null;
  private failure: Error | null = null;
  /** Resolves when the worker thread has exited, for whatever reason. */
  readonly exited: Promise<void>;

  constructor(readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: FromWorker) => {
      const pending = this.pending;
      this.pending = null;
      if (pending == null) return;
      if (message.type === 'error') {
        const error = new Error(`data-parallel worker: ${message.message}`);
        if (message.stack != null) error.stack = message.stack;
        pending.reject(error);
      } else {
        pending.resolve(message);
      }
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`data-parallel worker exited with code ${code}`));
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    this.pending?.reject(error);
    this.pending = null;
  }

  /** Sends a message and waits for the reply; rejects with the worker's error or when it has died. */
  request(message: ToWorker): Promise<FromWorker> {
    if (this.failure != null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }
}

/**
 * Starts the worker script next to this module: the built `.js`, or, when running from the TypeScript
 * sources (tests, benchmarks under tsx), the `.ts` file through tsx's loader registered inside the worker.
 */
function startWorker(): Worker {
  // Workers inherit the parent's Node options; --input-type (from `node -e`) is refused for a file.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
  const fromSources = import.meta.url.endsWith('.ts');
  if (!fromSources) return new Worker(new URL('./data-parallel-worker.js', import.meta.url), { execArgv });
  const script = new URL('./data-parallel-worker.ts', import.meta.url).href;
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(boot, { eval: true, execArgv });
}

/**
 * Data-parallel training on worker threads (route B to using every core): each worker holds a replica of
 * the model on its own single-threaded wasm backend and computes the gradient of its slice of the batch;
 * the gradients are summed through a SharedArrayBuffer and every replica applies the same Adam update, so
 * the replicas stay bit-identical. Everything in a step runs in parallel, not only the XNNPACK kernels.
 *
 * Batch-norm statistics are those of each worker's slice (e.g. 64 of a 128 batch with two workers), as in
 * multi-GPU training without synchronised batch norm.
 *
 * The whole training state (weights, batch-norm moving statistics, optimizer slots and step count) moves in
 * and out with `getWeights` / `setWeights`, so a caller can initialise the replicas from its own model,
 * checkpoint them, and resume exactly.
 */
export class DataParallelTrainer {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly replicas: Replica[],
    private readonly images: Float32Array,
    private readonly labels: Int32Array,
    /** Parameters per replica. */
    readonly parameters: number,
    /** Input shape of one image. */
    readonly inputShape: [number, number, number],
    /** Number of classes. */
    readonly numClasses: number,
    /** Largest batch `step` accepts. */
    readonly maxBatch: number,
    /** The replicated model's variables (names as in worker 0), trainable first, in the model's order. */
    readonly variables: readonly VariableInfo[],
    /** The optimizer every replica runs (its learning rate as created; see `setLearningRate`). */
    readonly optimizer: DataParallelOptimizer,
  ) {}

  /** Number of workers. */
  get workers(): number {
    return this.replicas.length;
  }

  /** Starts the workers, builds one replica per worker and makes their weights equal. */
  static async create(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const workers = options.workers ?? Math.max(1, os.availableParallelism());
    if (!Number.isInteger(workers) || workers < 1) {
      throw new RangeError(`DataParallelTrainer: workers must be a positive integer, got ${String(workers)}`);
    }
    const maxBatch = options.maxBatch ?? 128;
    const modelModule = /^[a-z]+:/i.test(options.modelModule)
      ? options.modelModule
      : pathToFileURL(options.modelModule).href;
    const optimizer: DataParallelOptimizer = options.optimizer ?? {
      kind: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      ...options.adam,
    };
    const weightDecay = options.weightDecay ?? 0;
    if (!(weightDecay >= 0)) {
      throw new RangeError(`DataParallelTrainer: weightDecay must be >= 0, got ${String(weightDecay)}`);
    }
    const replicas = Array.from({ length: workers }, () => new Replica(startWorker()));
    try {
      const ready = await Promise.all(
        replicas.map((r, index) =>
          r.request({
            type: 'init',
            index,
            workers,
            modelModule,
            modelExport: options.modelExport ?? 'default',
            threads: options.threadsPerWorker ?? 1,
            optimizer,
            weightDecay,
          }),
        ),
      );
      const first = ready[0];
      if (first?.type !== 'ready') throw new Error(`DataParallelTrainer: unexpected reply ${first?.type}`);
      const [h, w, c] = first.inputShape;
      const images = new SharedArrayBuffer(4 * maxBatch * h * w * c);
      const labels = new SharedArrayBuffer(4 * maxBatch);
      const gradients = new SharedArrayBuffer(4 * workers * first.parameters);
      await Promise.all(replicas.map((r) => r.request({ type: 'buffers', images, labels, gradients })));
      // Every replica starts from the first one's initial weights.
      const weights = new SharedArrayBuffer(4 * first.parameters);
      await replicas[0]!.request({ type: 'weights', buffer: weights, write: true });
      await Promise.all(
        replicas.slice(1).map((r) => r.request({ type: 'weights', buffer: weights, write: false })),
      );
      return new DataParallelTrainer(
        replicas,
        new Float32Array(images),
        new Int32Array(labels),
        first.parameters,
        first.inputShape,
        first.numClasses,
        maxBatch,
        first.variables,
        optimizer,
      );
    } catch (error) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw error;
    }
  }

  private split(batch: number): [number, number][] {
    const parts: [number, number][] = [];
    for (let k = 0; k < this.workers; k++) {
      parts.push([Math.floor((k * batch) / this.workers), Math.floor(((k + 1) * batch) / this.workers)]);
    }
    return parts;
  }

  private load(images: Float32Array, labels?: ArrayLike<number>): number {
    const [h, w, c] = this.inputShape;
    const batch = images.length / (h * w * c);
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) {
      throw new RangeError(
        `DataParallelTrainer: expected 1 to ${this.maxBatch} images of ${h}x${w}x${c} (${h * w * c} values each), got ${images.length} values`,
      );
    }
    if (labels != null && labels.length !== batch) {
      throw new RangeError(`DataParallelTrainer: ${batch} images but ${labels.length} labels`);
    }
    this.images.set(images);
    if (labels != null) this.labels.set(labels);
    return batch;
  }

  /**
   * One training step on a batch: `images` holds N images [H, W, C] back to back (float32), `labels` their
   * classes. Every worker computes the gradient of its slice; when the batch's loss is finite, every replica
   * applies the summed gradient (plus weight decay). A non-finite loss skips the update (`applied: false`),
   * so a diverging step never reaches the weights.
   */
  async step(
    images: Float32Array,
    labels: ArrayLike<number>,
    options: StepOptions = {},
  ): Promise<StepResult> {
    const batch = this.load(images, labels);
    const parts = this.split(batch);
    const replies = await Promise.all(
      this.replicas.map((r, k) =>
        r.request({
          type: 'step',
          start: parts[k]![0],
          end: parts[k]![1],
          batch,
          ...(options.seed == null ? {} : { seed: options.seed >>> 0 }),
        }),
      ),
    );
    let loss = 0;
    let errors = 0;
    for (const m of replies) {
      if (m.type !== 'gradients') throw new Error(`DataParallelTrainer: unexpected reply ${m.type}`);
      loss += m.loss;
      errors += m.errors;
    }
    if (!Number.isFinite(loss)) return { loss, errors, applied: false };
    await Promise.all(this.replicas.map((r) => r.request({ type: 'apply' })));
    return { loss, errors, applied: true };
  }

  /** Logits [N, classes] (flat) for N images, split over the workers (inference mode). */
  async predict(images: Float32Array): Promise<Float32Array> {
    const batch = this.load(images);
    const parts = this.split(batch).filter(([s, e]) => e > s);
    const replies = await Promise.all(
      parts.map(([start, end], k) => this.replicas[k]!.request({ type: 'predict', start, end })),
    );
    const out = new Float32Array(batch * this.numClasses);
    replies.forEach((m, k) => {
      if (m.type === 'logits') out.set(m.values, parts[k]![0] * this.numClasses);
    });
    return out;
  }

  /** The trained weights (flat, in the model's variable order), read from the first replica. */
  async weights(replica = 0): Promise<Float32Array> {
    const buffer = new SharedArrayBuffer(4 * this.parameters);
    await this.replicas[replica]!.request({ type: 'weights', buffer, write: true });
    return new Float32Array(buffer).slice();
  }

  /**
   * The training state: weights and optimizer state of the first replica (all replicas hold the same), and
   * the non-trainable variables (batch-norm moving statistics, which each replica updates from its own slice)
   * averaged over the replicas.
   */
  async getWeights(): Promise<TrainerState> {
    const replies = await Promise.all(this.replicas.map((r) => r.request({ type: 'get-state' })));
    const states = replies.map((m) => {
      if (m.type !== 'state') throw new Error(`DataParallelTrainer: unexpected reply ${m.type}`);
      return m.state;
    });
    const first = states[0]!;
    const nonTrainable = first.nonTrainable.map((values, i) => {
      const mean = new Float64Array(values.length);
      for (const state of states) {
        const other = state.nonTrainable[i]!;
        for (let j = 0; j < mean.length; j++) mean[j] = (mean[j] as number) + (other[j] as number);
      }
      return Float32Array.from(mean, (v) => v / states.length);
    });
    return { ...first, nonTrainable };
  }

  /**
   * Sets every replica's weights, non-trainable variables and optimizer state (e.g. from a checkpoint, or
   * from initial weights made in the main thread). The optimizer state goes through tfjs' own
   * `optimizer.setWeights`, which for Adam recomputes β^t from the step count.
   */
  async setWeights(state: TrainerState): Promise<void> {
    const trainable = this.variables.filter((v) => v.trainable);
    const nonTrainable = this.variables.filter((v) => !v.trainable);
    const check = (arrays: Float32Array[], infos: VariableInfo[], what: string) => {
      if (arrays.length !== infos.length) {
        throw new RangeError(
          `DataParallelTrainer.setWeights: the model has ${infos.length} ${what} variables, got ${arrays.length}`,
        );
      }
      arrays.forEach((values, i) => {
        const info = infos[i]!;
        const size = info.shape.reduce((a, b) => a * b, 1);
        if (values.length !== size) {
          throw new RangeError(
            `DataParallelTrainer.setWeights: ${what} variable ${i} (${info.name} [${info.shape}]) needs ${size} values, got ${values.length}`,
          );
        }
      });
    };
    check(state.trainable, trainable, 'trainable');
    check(state.nonTrainable, nonTrainable, 'non-trainable');
    await Promise.all(this.replicas.map((r) => r.request({ type: 'set-state', state })));
  }

  /** Sets the learning rate of every replica's optimizer (learning-rate schedules). */
  async setLearningRate(learningRate: number): Promise<void> {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new RangeError(
        `DataParallelTrainer: the learning rate must be a positive number, got ${learningRate}`,
      );
    }
    await Promise.all(this.replicas.map((r) => r.request({ type: 'learning-rate', learningRate })));
  }

  /**
   * Stops the workers: each frees its model and exits; a worker that does not exit within `timeoutMs`
   * (e.g. stuck in a long step) is terminated. Safe to call more than once and after a worker died.
   */
  close(timeoutMs = 10_000): Promise<void> {
    this.closing ??= Promise.all(
      this.replicas.map(async (r) => {
        r.worker.postMessage({ type: 'close' } satisfies ToWorker);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const outcome = await Promise.race([r.exited.then(() => 'exited' as const), timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') await r.worker.terminate();
      }),
    ).then(() => undefined);
    return this.closing;
  }
}

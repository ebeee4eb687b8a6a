import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isWasmAbort, wasmMemoryError } from '../errors.js';
import type { ReplicaSpec } from '../fit.js';
import { DEFAULT_OPTIMIZER, type OptimizerSettings } from '../optimizer.js';
import type { StepResult } from '../step.js';
import type { TrainingState } from '../training-state.js';
import type { FromWorker, ToWorker, VariableInfo } from './protocol.js';

/** Options of `DataParallelTrainer.create`. */
export interface DataParallelOptions {
  /** How each worker builds its replica of the model. */
  replica: ReplicaSpec;
  /** Number of workers (replicas). Default: one per core. */
  workers?: number;
  /** XNNPACK threads inside each worker. Default 1 (the workers already use the cores). */
  threadsPerWorker?: number;
  /** The optimizer every replica runs. Default Adam, learning rate 1e-3. */
  optimizer?: OptimizerSettings;
  /** L2 weight decay added to the summed gradient of every trainable variable (g + decay · w). Default 0. */
  weightDecay?: number;
  /** Largest batch that `step` will be given. Default 128. */
  maxBatch?: number;
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

  async expect<T extends FromWorker['type']>(
    message: ToWorker,
    type: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const reply = await this.request(message);
    if (reply.type !== type) throw new Error(`data-parallel worker: expected '${type}', got '${reply.type}'`);
    return reply as Extract<FromWorker, { type: T }>;
  }
}

/**
 * Starts the worker script next to this module: the built `.js`, or, when running from the TypeScript sources
 * (tests under vitest or tsx), the `.ts` file through tsx's loader registered inside the worker.
 */
function startWorker(): Worker {
  // Workers inherit the parent's Node options; --input-type (from `node -e`) is refused for a file.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./data-parallel-worker.js', import.meta.url), { execArgv });
  }
  const script = new URL('./worker.ts', import.meta.url).href;
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(boot, { eval: true, execArgv });
}

/** A module path as a URL the workers can import (paths become file URLs; URLs and bare names stay). */
function moduleUrl(specifier: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) return specifier;
  return path.isAbsolute(specifier) || specifier.startsWith('.')
    ? pathToFileURL(path.resolve(specifier)).href
    : specifier;
}

/**
 * Data-parallel training on worker threads: each worker holds a replica of the model on its own single-threaded
 * wasm backend and computes the gradient of its share of the batch; the gradients are summed through a
 * SharedArrayBuffer in the same order everywhere and every replica applies the same update, so the replicas stay
 * bit-identical. Everything in a step runs in parallel, not only the convolutions.
 *
 * Batch-norm statistics are those of each worker's share (64 of a 128 batch on two workers), as in multi-GPU
 * training without synchronised batch norm. The whole training state moves in and out with `getWeights` /
 * `setWeights`, so a caller can initialise the replicas from its own model, checkpoint them, and resume exactly.
 */
export class DataParallelTrainer {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly replicas: Replica[],
    private readonly images: Float32Array,
    private readonly labels: Int32Array,
    /** Trainable parameters per replica. */
    readonly parameters: number,
    /** Input shape of one image. */
    readonly inputShape: [number, number, number],
    readonly numClasses: number,
    /** Largest batch `step` accepts. */
    readonly maxBatch: number,
    /** The replicated model's variables (names as in worker 0), trainable first, in the model's order. */
    readonly variables: readonly VariableInfo[],
    /** The optimizer every replica runs. */
    readonly optimizer: OptimizerSettings,
    /** What the replicas are, for error messages (e.g. "buildModel('p4cnn')"). */
    private readonly description: string,
  ) {}

  /** Number of workers. */
  get workers(): number {
    return this.replicas.length;
  }

  /** Starts the workers, builds one replica per worker and makes their weights equal to the first one's. */
  static async create(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const workers = options.workers ?? Math.max(1, os.availableParallelism());
    if (!Number.isInteger(workers) || workers < 1) {
      throw new RangeError(`DataParallelTrainer: workers must be a positive integer, got ${String(workers)}`);
    }
    const maxBatch = options.maxBatch ?? 128;
    const optimizer = options.optimizer ?? DEFAULT_OPTIMIZER;
    const weightDecay = options.weightDecay ?? 0;
    if (!(weightDecay >= 0)) {
      throw new RangeError(`DataParallelTrainer: weightDecay must be >= 0, got ${String(weightDecay)}`);
    }
    const replica = {
      module: moduleUrl(options.replica.module),
      export: options.replica.export ?? 'default',
      args: options.replica.args ?? [],
    };
    const replicas = Array.from({ length: workers }, () => new Replica(startWorker()));
    try {
      const ready = await Promise.all(
        replicas.map((r, index) =>
          r.expect(
            {
              type: 'init',
              index,
              workers,
              replica,
              threads: options.threadsPerWorker ?? 1,
              optimizer,
              weightDecay,
            },
            'ready',
          ),
        ),
      );
      const first = ready[0]!;
      const [h, w, c] = first.inputShape;
      const images = new SharedArrayBuffer(4 * maxBatch * h * w * c);
      const labels = new SharedArrayBuffer(4 * maxBatch);
      const gradients = new SharedArrayBuffer(4 * workers * first.parameters);
      await Promise.all(
        replicas.map((r) => r.expect({ type: 'buffers', images, labels, gradients }, 'done')),
      );
      // Every replica starts from the first one's initial weights.
      const { state } = await replicas[0]!.expect({ type: 'get-state' }, 'state');
      await Promise.all(replicas.slice(1).map((r) => r.expect({ type: 'set-state', state }, 'done')));
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
        `${replica.export}(${replica.args.map((a) => JSON.stringify(a)).join(', ')})`,
      );
    } catch (error) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw error;
    }
  }

  private split(batch: number): [number, number][] {
    return this.replicas.map((_, k) => [
      Math.floor((k * batch) / this.workers),
      Math.floor(((k + 1) * batch) / this.workers),
    ]);
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
   * One training step on a batch: `images` holds N images [H, W, C] back to back (float32), `labels` their classes.
   * Every worker computes the gradient of its share; when the batch's loss is finite, every replica applies the
   * summed gradient (plus weight decay). A non-finite loss skips the update (`applied: false`). `seed` seeds the
   * step's dropout masks (worker k draws from (seed, k)); without it they draw from `Math.random`.
   */
  async step(
    images: Float32Array,
    labels: ArrayLike<number>,
    options: { seed?: number } = {},
  ): Promise<StepResult> {
    const batch = this.load(images, labels);
    const parts = this.split(batch);
    try {
      return await this.stepOn(parts, batch, options.seed);
    } catch (error) {
      if (!isWasmAbort(error)) throw error;
      const largest = Math.max(...parts.map(([s, e]) => e - s));
      throw wasmMemoryError(largest, 'in a data-parallel worker', this.description);
    }
  }

  private async stepOn(
    parts: [number, number][],
    batch: number,
    seed: number | undefined,
  ): Promise<StepResult> {
    const replies = await Promise.all(
      this.replicas.map((r, k) =>
        r.expect(
          {
            type: 'step',
            start: parts[k]![0],
            end: parts[k]![1],
            batch,
            ...(seed == null ? {} : { seed: seed >>> 0 }),
          },
          'gradients',
        ),
      ),
    );
    let loss = 0;
    let errors = 0;
    for (const m of replies) {
      loss += m.loss;
      errors += m.errors;
    }
    if (!Number.isFinite(loss)) return { loss, errors, applied: false };
    await Promise.all(this.replicas.map((r) => r.expect({ type: 'apply' }, 'done')));
    return { loss, errors, applied: true };
  }

  /** Logits [N, classes] (flat) for N images, split over the workers (inference mode). */
  async predict(images: Float32Array): Promise<Float32Array> {
    const batch = this.load(images);
    const parts = this.split(batch).filter(([s, e]) => e > s);
    const replies = await Promise.all(
      parts.map(([start, end], k) => this.replicas[k]!.expect({ type: 'predict', start, end }, 'logits')),
    );
    const out = new Float32Array(batch * this.numClasses);
    replies.forEach((m, k) => {
      out.set(m.values, parts[k]![0] * this.numClasses);
    });
    return out;
  }

  /** The training state of one replica as it is (tests compare replicas with it). */
  async replicaState(replica: number): Promise<TrainingState> {
    return (await this.replicas[replica]!.expect({ type: 'get-state' }, 'state')).state;
  }

  /**
   * The training state: weights and optimizer state of the first replica (all replicas hold the same), and the
   * non-trainable variables (batch-norm moving statistics, which each replica updates from its own share)
   * averaged over the replicas.
   */
  async getWeights(): Promise<TrainingState> {
    const states = await Promise.all(this.replicas.map((_, k) => this.replicaState(k)));
    const first = states[0]!;
    const nonTrainable = first.nonTrainable.map((values, i) => {
      const mean = new Float64Array(values.length);
      for (const state of states) {
        const other = state.nonTrainable[i]!;
        for (let j = 0; j < mean.length; j++) mean[j] = mean[j]! + other[j]!;
      }
      return Float32Array.from(mean, (v) => v / states.length);
    });
    return { ...first, nonTrainable };
  }

  /**
   * Sets every replica's weights, non-trainable variables and optimizer state (from a checkpoint, or from initial
   * weights made in the main thread). The optimizer state goes through tfjs' own `optimizer.setWeights`.
   */
  async setWeights(state: TrainingState): Promise<void> {
    const check = (arrays: Float32Array[], trainable: boolean, what: string) => {
      const infos = this.variables.filter((v) => v.trainable === trainable);
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
    check(state.trainable, true, 'trainable');
    check(state.nonTrainable, false, 'non-trainable');
    await Promise.all(this.replicas.map((r) => r.expect({ type: 'set-state', state }, 'done')));
  }

  /** Sets the learning rate of every replica's optimizer (learning-rate schedules). */
  async setLearningRate(learningRate: number): Promise<void> {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new RangeError(
        `DataParallelTrainer: the learning rate must be a positive number, got ${learningRate}`,
      );
    }
    await Promise.all(this.replicas.map((r) => r.expect({ type: 'learning-rate', learningRate }, 'done')));
  }

  /**
   * Stops the workers: each frees its model and exits; a worker that does not exit within `timeoutMs` (e.g. stuck
   * in a long step) is terminated. Safe to call more than once and after a worker died.
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

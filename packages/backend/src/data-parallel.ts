import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AdamSettings, FromWorker, ToWorker } from './data-parallel-protocol.js';

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

  constructor(readonly worker: Worker) {
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
 */
export class DataParallelTrainer {
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
    const adam: AdamSettings = {
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      ...options.adam,
    };
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
            adam,
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
   * classes. Returns the batch's mean softmax cross-entropy before the update.
   */
  async step(images: Float32Array, labels: ArrayLike<number>): Promise<number> {
    const batch = this.load(images, labels);
    const parts = this.split(batch);
    const replies = await Promise.all(
      this.replicas.map((r, k) => r.request({ type: 'step', start: parts[k]![0], end: parts[k]![1], batch })),
    );
    await Promise.all(this.replicas.map((r) => r.request({ type: 'apply' })));
    return replies.reduce((sum, m) => sum + (m.type === 'gradients' ? m.loss : 0), 0);
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

  /** Stops the workers. */
  async close(): Promise<void> {
    for (const r of this.replicas) r.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await Promise.all(this.replicas.map((r) => new Promise((resolve) => r.worker.once('exit', resolve))));
  }
}

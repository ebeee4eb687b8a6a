import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchCount,
  batches,
  cifar10Augmentation,
  createDataset,
  epochOrder,
  gatherBatch,
  hostBatches,
  type ImageDataset,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 23 images of 2x3x1 bytes: image n has every pixel = n; label n % 10. */
const data: ImageDataset = createDataset({
  images: Uint8Array.from({ length: 23 * 6 }, (_, k) => Math.floor(k / 6)),
  labels: Uint8Array.from({ length: 23 }, (_, n) => n % 10),
  height: 2,
  width: 3,
  channels: 1,
});

function collect(options: Parameters<typeof batches>[1]): { order: number[]; sizes: number[] } {
  const order: number[] = [];
  const sizes: number[] = [];
  for (const { xs, size } of batches(data, options)) {
    const values = xs.dataSync();
    for (let n = 0; n < size; n++) order.push(Math.round(values[n * 6]! * 255));
    sizes.push(size);
  }
  return { order, sizes };
}

describe('batches', () => {
  it('yields NHWC float32 images in [0, 1] and one-hot or integer labels', () => {
    const iterator = batches(data, { batchSize: 5, shuffle: false });
    const first = iterator.next().value!;
    expect(first.xs.shape).toEqual([5, 2, 3, 1]);
    expect(first.xs.dtype).toBe('float32');
    expect(first.ys.shape).toEqual([5, 10]);
    expect(first.ys.dtype).toBe('float32');
    expect(Array.from(first.xs.dataSync().subarray(6, 12))).toEqual(
      new Array(6).fill(1 / 255).map(Math.fround),
    );
    expect(Array.from(first.ys.dataSync().subarray(10, 20))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    iterator.return();
    const ints = batches(data, { batchSize: 4, shuffle: false, labels: 'int' }).next().value!;
    expect(ints.ys.dtype).toBe('int32');
    expect(Array.from(ints.ys.dataSync())).toEqual([0, 1, 2, 3]);
    ints.xs.dispose();
    ints.ys.dispose();
  });

  it('in order without shuffling visits every image once, the last batch smaller', () => {
    const { order, sizes } = collect({ batchSize: 5, shuffle: false });
    expect(order).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(collect({ batchSize: 5, shuffle: false, dropRemainder: true }).sizes).toEqual([5, 5, 5, 5]);
    expect([batchCount(23, 5), batchCount(23, 5, true), batchCount(20, 5)]).toEqual([5, 4, 4]);
  });

  it('shuffles per (seed, epoch): same pair same order, another epoch or seed another order', () => {
    const a = collect({ batchSize: 4, seed: 3, epoch: 1 }).order;
    expect(collect({ batchSize: 4, seed: 3, epoch: 1 }).order).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(collect({ batchSize: 4, seed: 3, epoch: 2 }).order).not.toEqual(a);
    expect(collect({ batchSize: 4, seed: 4, epoch: 1 }).order).not.toEqual(a);
    // The batch size does not change the order, and epochOrder tells it in advance.
    expect(collect({ batchSize: 7, seed: 3, epoch: 1 }).order).toEqual(a);
    expect([...epochOrder(23, { seed: 3, epoch: 1 })]).toEqual(a);
    // Golden order: the shuffle is specified to the bit (xoshiro128**), so it is the same on every machine.
    expect([...epochOrder(10, { seed: 0, epoch: 0 })]).toEqual(GOLDEN_ORDER);
  });

  it('applies the scalar normalisation and the labels follow their images', () => {
    const stats = { mean: 0.02, std: 0.5 };
    for (const { xs, ys, indices } of batches(data, { batchSize: 6, seed: 1, normalize: stats })) {
      const x = xs.dataSync();
      const y = ys.dataSync();
      indices.forEach((index, n) => {
        expect(x[n * 6 + 5]).toBeCloseTo((index / 255 - 0.02) / 0.5, 6);
        expect(y[n * 10 + (index % 10)]).toBe(1);
      });
    }
  });

  it('creates batches lazily and disposes them: no tensors left after a full loop, a break or an exception', () => {
    const before = tf.memory().numTensors;
    const iterator = batches(data, { batchSize: 4, seed: 0 });
    expect(tf.memory().numTensors).toBe(before); // nothing built before the first next()
    let peak = 0;
    for (const batch of iterator) {
      peak = Math.max(peak, tf.memory().numTensors - before);
      expect(batch.xs.isDisposed).toBe(false);
    }
    expect(peak).toBe(2); // one batch (xs, ys) alive at a time
    expect(tf.memory().numTensors).toBe(before);

    let kept: tf.Tensor | undefined;
    for (const { xs } of batches(data, { batchSize: 4 })) {
      kept = xs;
      break;
    }
    expect(kept?.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);

    expect(() => {
      for (const _ of batches(data, { batchSize: 4 })) throw new Error('consumer failed');
    }).toThrow('consumer failed');
    expect(tf.memory().numTensors).toBe(before);

    // A consumer that disposes early is fine too.
    for (const { xs, ys } of batches(data, { batchSize: 10 })) tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('applies a seeded transform, the same for the same (seed, epoch)', () => {
    const rgb = createDataset({
      images: Float32Array.from({ length: 8 * 4 * 4 * 3 }, (_, k) => k),
      labels: new Uint8Array(8),
      height: 4,
      width: 4,
      channels: 3,
    });
    const run = (epoch: number) => {
      const out: number[] = [];
      for (const { xs } of batches(rgb, { batchSize: 3, seed: 5, epoch, transform: cifar10Augmentation() }))
        out.push(...xs.dataSync());
      return out;
    };
    expect(run(0)).toEqual(run(0));
    expect(run(0)).not.toEqual(run(1));
  });

  it('rejects bad options', () => {
    expect(() => batches(data, { batchSize: 0 }).next()).toThrow(/batchSize must be a positive integer/);
    expect(() => batches(data, { batchSize: 2, epoch: -1 }).next()).toThrow(/epoch must be an integer/);
    expect(() => batches(data, { batchSize: 23, numClasses: 5 }).next()).toThrow(
      /label \d does not fit 5 classes/,
    );
    expect(() => gatherBatch(data, [23])).toThrow(/index 23 is outside/);
  });
});

const GOLDEN_ORDER = [9, 4, 0, 1, 3, 7, 8, 5, 2, 6];

describe('hostBatches', () => {
  it('yields the same images, labels and order as batches, in typed arrays', () => {
    const options = { batchSize: 7, seed: 3, epoch: 2, transform: cifar10Augmentation({ maxShift: 1 }) };
    const tensors: { images: number[]; labels: number[]; indices: number[] }[] = [];
    for (const b of batches(data, { ...options, labels: 'int' })) {
      tensors.push({
        images: Array.from(b.xs.dataSync()),
        labels: Array.from(b.ys.dataSync()),
        indices: Array.from(b.indices),
      });
    }
    const host = [...hostBatches(data, options)].map((b) => ({
      images: Array.from(b.images),
      labels: Array.from(b.labels),
      indices: Array.from(b.indices),
    }));
    expect(host).toEqual(tensors);
    expect(host.map((b) => b.labels.length)).toEqual([7, 7, 7, 2]);
    expect(tf.memory().numTensors).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { concatDatasets, createDataset, floatPixels, sliceDataset } from '../src/index.js';

describe('data sets', () => {
  const bytes = createDataset({
    images: Uint8Array.from([0, 51, 102, 255]),
    labels: Uint8Array.from([1, 2]),
    height: 1,
    width: 2,
    channels: 1,
  });

  it('checks the arrays against the shape and the labels against the classes', () => {
    expect(bytes.count).toBe(2);
    expect(() =>
      createDataset({
        images: new Uint8Array(5),
        labels: new Uint8Array(2),
        height: 1,
        width: 2,
        channels: 1,
      }),
    ).toThrow(/2 labels need 4 pixel values \(1x2x1 each\), got 5/);
    expect(() =>
      createDataset({
        images: new Uint8Array(2),
        labels: Uint8Array.from([10]),
        height: 1,
        width: 2,
        channels: 1,
      }),
    ).toThrow(/label 10 of image 0/);
    expect(() =>
      createDataset({
        images: new Uint8Array(0),
        labels: new Uint8Array(0),
        height: 0,
        width: 2,
        channels: 1,
      }),
    ).toThrow(/height/);
  });

  it('slices without copying and concatenates (bytes stay bytes; mixed becomes float)', () => {
    const second = sliceDataset(bytes, 1, 2);
    expect([...second.images]).toEqual([102, 255]);
    expect(second.images.buffer).toBe(bytes.images.buffer);
    expect(() => sliceDataset(bytes, 1, 3)).toThrow(RangeError);
    const joined = concatDatasets(bytes, second);
    expect(joined.images).toBeInstanceOf(Uint8Array);
    expect([...joined.labels]).toEqual([1, 2, 2]);
    const floats = { ...second, images: Float32Array.from([0.5, 0.25]) };
    const mixed = concatDatasets(bytes, floats);
    expect(mixed.images).toBeInstanceOf(Float32Array);
    expect([...mixed.images]).toEqual([0, 0.2, 0.4, 1, 0.5, 0.25].map(Math.fround));
    expect(() => concatDatasets(bytes, { ...floats, width: 1, height: 2 })).toThrow(/image shapes differ/);
    expect(() => concatDatasets()).toThrow(/at least one/);
    expect([...floatPixels(bytes)]).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
  });
});

/**
 * One split of an image data set, as the batch iterator and the trainer use it.
 *
 * `images` holds `count` images in NHWC order (`count * height * width * channels` values). Pixel values follow one
 * rule everywhere in this package: a `Uint8Array` stores bytes that stand for `byte / 255` (so values in [0, 1]),
 * a `Float32Array` stores the values themselves (for example after contrast normalisation or whitening).
 * `labels` holds one class index per image.
 */
export interface ImageDataset {
  /** Pixels, NHWC, `count * height * width * channels` values; bytes mean `byte / 255`. */
  readonly images: Uint8Array | Float32Array;
  /** One class index (0-9 for the data sets here) per image. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Image height (rows). */
  readonly height: number;
  /** Image width (columns). */
  readonly width: number;
  /** Channels per pixel (1 for MNIST, 3 for CIFAR-10). */
  readonly channels: number;
}

/** Values per image of a data set: `height * width * channels`. */
export function imageSize(dataset: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return dataset.height * dataset.width * dataset.channels;
}

/**
 * Builds an {@link ImageDataset} after checking that the arrays agree with the shape and that every label is an
 * integer class index below `numClasses`.
 */
export function createDataset(
  fields: {
    images: Uint8Array | Float32Array;
    labels: Uint8Array;
    height: number;
    width: number;
    channels: number;
  },
  numClasses = 10,
): ImageDataset {
  const { images, labels, height, width, channels } = fields;
  for (const [name, value] of [
    ['height', height],
    ['width', width],
    ['channels', channels],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`createDataset: ${name} must be a positive integer, got ${value}`);
  }
  const count = labels.length;
  const size = height * width * channels;
  if (images.length !== count * size) {
    throw new Error(
      `createDataset: ${count} labels need ${count * size} pixel values (${height}x${width}x${channels} each), got ${images.length}`,
    );
  }
  for (let i = 0; i < count; i++) {
    if (labels[i]! >= numClasses) {
      throw new Error(
        `createDataset: label ${labels[i]} of image ${i} is not a class index below ${numClasses}`,
      );
    }
  }
  return { images, labels, count, height, width, channels };
}

/**
 * The images `[start, end)` of a data set, sharing memory with it (no copy).
 */
export function sliceDataset(dataset: ImageDataset, start: number, end: number): ImageDataset {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > dataset.count || start > end) {
    throw new RangeError(`sliceDataset: [${start}, ${end}) is not a range inside [0, ${dataset.count})`);
  }
  const size = imageSize(dataset);
  return {
    images: dataset.images.subarray(start * size, end * size),
    labels: dataset.labels.subarray(start, end),
    count: end - start,
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
  };
}

/**
 * Joins data sets of the same image shape into one (a copy), e.g. MNIST-rot's train and valid splits into the
 * 12,000 images the paper trains on. Byte and float pixels can be mixed: the result is then float.
 */
export function concatDatasets(...datasets: ImageDataset[]): ImageDataset {
  const first = datasets[0];
  if (first === undefined) throw new Error('concatDatasets: needs at least one data set');
  for (const d of datasets) {
    if (d.height !== first.height || d.width !== first.width || d.channels !== first.channels) {
      throw new Error(
        `concatDatasets: image shapes differ (${first.height}x${first.width}x${first.channels} and ${d.height}x${d.width}x${d.channels})`,
      );
    }
  }
  const allBytes = datasets.every((d) => d.images instanceof Uint8Array);
  const count = datasets.reduce((n, d) => n + d.count, 0);
  const size = imageSize(first);
  const images = allBytes ? new Uint8Array(count * size) : new Float32Array(count * size);
  const labels = new Uint8Array(count);
  let offset = 0;
  for (const d of datasets) {
    if (allBytes || d.images instanceof Float32Array) {
      images.set(d.images, offset * size);
    } else {
      const target = images.subarray(offset * size, (offset + d.count) * size);
      for (let i = 0; i < target.length; i++) target[i] = d.images[i]! / 255;
    }
    labels.set(d.labels, offset);
    offset += d.count;
  }
  return { images, labels, count, height: first.height, width: first.width, channels: first.channels };
}

/**
 * The pixels of a data set as float values (a byte `b` becomes `b / 255`). Returns the same array when the pixels
 * are already float.
 */
export function floatPixels(dataset: Pick<ImageDataset, 'images'>): Float32Array {
  const { images } = dataset;
  if (images instanceof Float32Array) return images;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i]! / 255;
  return out;
}

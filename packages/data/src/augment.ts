import type { Rng } from './random.js';
import { rotateInto } from './rotate.js';
import { sinCosTurns } from './trig.js';

/** A batch of float images, NHWC, that a transform may change in place. */
export interface ImageBatch {
  readonly images: Float32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * A random per-batch transform (data augmentation). It changes `batch.images` in place and draws all its randomness
 * from `rng`, which the batch iterator seeds from (seed, epoch), so an epoch's augmentation is reproducible.
 */
export type BatchTransform = (batch: ImageBatch, rng: Rng) => void;

/** Options of {@link cifar10Augmentation}. */
export interface Cifar10AugmentationOptions {
  /** Largest shift in pixels along each axis. Default 2. */
  maxShift?: number;
  /** Flip horizontally with probability 1/2. Default true. */
  flip?: boolean;
  /**
   * Values shifted in from outside: 'reflect' mirrors the image about its edge, the edge pixel included
   * (`c b a | a b c`, scipy's 'reflect'), 'zero' fills with 0. Default 'reflect'.
   */
  fill?: 'reflect' | 'zero';
}

/**
 * CIFAR10+ augmentation: for each image, a horizontal flip (reverse the columns) with probability 1/2, then a
 * translation by (dy, dx), each an integer uniform in [-maxShift, maxShift]. The authors shift by a continuous
 * amount in [-2, 2) with a cubic spline (scipy.ndimage.shift, mode 'reflect'); integer shifts move whole pixels
 * and do not blur, which is the usual form of this augmentation (see docs/data.md).
 */
export function cifar10Augmentation(options: Cifar10AugmentationOptions = {}): BatchTransform {
  const maxShift = options.maxShift ?? 2;
  const flip = options.flip ?? true;
  const fill = options.fill ?? 'reflect';
  if (!Number.isInteger(maxShift) || maxShift < 0) {
    throw new RangeError(`cifar10Augmentation: maxShift must be a non-negative integer, got ${maxShift}`);
  }
  if (fill !== 'reflect' && fill !== 'zero')
    throw new RangeError(`cifar10Augmentation: unknown fill ${String(fill)}`);
  return (batch, rng) => {
    const { images, count, height, width, channels } = batch;
    const size = height * width * channels;
    const scratch = new Float32Array(size);
    const rowSource = new Int32Array(height);
    const colSource = new Int32Array(width);
    for (let n = 0; n < count; n++) {
      const flipped = flip && rng.nextUint32() >= 0x80000000;
      const dy = rng.nextInt(2 * maxShift + 1) - maxShift;
      const dx = rng.nextInt(2 * maxShift + 1) - maxShift;
      if (!flipped && dy === 0 && dx === 0) continue;
      // out[i][j] = in[i - dy][j' - dx], j' the flipped column; -1 marks a zero-filled position.
      for (let i = 0; i < height; i++) rowSource[i] = sourceIndex(i - dy, height, fill);
      for (let j = 0; j < width; j++) {
        const c = sourceIndex(j - dx, width, fill);
        colSource[j] = c < 0 ? -1 : flipped ? width - 1 - c : c;
      }
      const offset = n * size;
      scratch.set(images.subarray(offset, offset + size));
      for (let i = 0; i < height; i++) {
        const r = rowSource[i]!;
        for (let j = 0; j < width; j++) {
          const c = colSource[j]!;
          const out = offset + (i * width + j) * channels;
          if (r < 0 || c < 0) {
            for (let ch = 0; ch < channels; ch++) images[out + ch] = 0;
          } else {
            const from = (r * width + c) * channels;
            for (let ch = 0; ch < channels; ch++) images[out + ch] = scratch[from + ch]!;
          }
        }
      }
    }
  };
}

/** Maps a possibly out-of-range index into [0, n) by half-sample reflection, or to -1 for zero fill. */
function sourceIndex(k: number, n: number, fill: 'reflect' | 'zero'): number {
  if (k >= 0 && k < n) return k;
  if (fill === 'zero') return -1;
  let m = k;
  const period = 2 * n;
  m = ((m % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** Options of {@link randomRotation}. */
export interface RandomRotationOptions {
  /** Largest rotation in radians; each image turns by an angle uniform in [-maxAngle, maxAngle). */
  maxAngle: number;
}

/**
 * Rotates each image by a random angle uniform in [-maxAngle, maxAngle) about its centre (bilinear, zero fill),
 * like the authors' MNIST-rot experiment script, whose `rotation` augmentation turns out to be a ±π° (about ±3.14°)
 * jitter: `randomRotation({ maxAngle: Math.PI * Math.PI / 180 })` reproduces it (skimage's rotate takes degrees).
 */
export function randomRotation(options: RandomRotationOptions): BatchTransform {
  const { maxAngle } = options;
  if (!(maxAngle >= 0) || !Number.isFinite(maxAngle)) {
    throw new RangeError(`randomRotation: maxAngle must be a finite angle >= 0, got ${maxAngle}`);
  }
  const maxTurns = maxAngle / (2 * Math.PI);
  return (batch, rng) => {
    const { images, count, height, width, channels } = batch;
    const size = height * width * channels;
    const scratch = new Float32Array(size);
    for (let n = 0; n < count; n++) {
      const turns = (2 * rng.nextFloat() - 1) * maxTurns;
      const offset = n * size;
      scratch.set(images.subarray(offset, offset + size));
      const [sin, cos] = sinCosTurns(turns);
      rotateInto(scratch, 0, images, offset, height, width, channels, sin, cos, false);
    }
  };
}

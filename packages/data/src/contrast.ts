import { type ImageDataset, imageSize } from './dataset.js';

/** Below this standard deviation an image is treated as constant and only centred (as in the authors' code). */
export const GCN_MIN_STD = 1e-8;

/**
 * Per-image global contrast normalisation, as in the authors' CIFAR-10 code: every image has its mean over all its values
 * subtracted and is divided by its standard deviation (ddof 1, i.e. divided by size - 1; a std below 1e-8 is
 * replaced by 1). Bytes count as byte / 255. Returns a float copy.
 */
export function globalContrastNormalize(dataset: ImageDataset): ImageDataset {
  const size = imageSize(dataset);
  if (size < 2) throw new Error('globalContrastNormalize: images need at least 2 values');
  const source = dataset.images;
  const scale = source instanceof Uint8Array ? 1 / 255 : 1;
  const images = new Float32Array(source.length);
  for (let n = 0; n < dataset.count; n++) {
    const start = n * size;
    let sum = 0;
    for (let i = start; i < start + size; i++) sum += source[i]! * scale;
    const mean = sum / size;
    let squares = 0;
    for (let i = start; i < start + size; i++) {
      const d = source[i]! * scale - mean;
      squares += d * d;
    }
    const std = Math.sqrt(squares / (size - 1));
    const divisor = std < GCN_MIN_STD ? 1 : std;
    for (let i = start; i < start + size; i++) images[i] = (source[i]! * scale - mean) / divisor;
  }
  return { ...dataset, images };
}

import { sinCos } from './trig.js';

/** Shape of one image for {@link rotateImage}. */
export interface ImageShape {
  height: number;
  width: number;
  /** Channels per pixel, interleaved (HWC). Default 1. */
  channels?: number;
}

/**
 * Rotates one HWC image by `angle` radians about its centre ((height-1)/2, (width-1)/2) with bilinear
 * interpolation and zero fill. A positive angle turns the picture counter-clockwise as displayed (row 0 at the
 * top), so a quarter turn equals numpy's `rot90` exactly: `out[i][j] = image[j][width-1-i]`. Uses the
 * machine-independent {@link sinCos}, so the result has the same bits everywhere.
 */
export function rotateImage(
  image: ArrayLike<number>,
  shape: ImageShape,
  angle: number,
  out: Float32Array = new Float32Array(image.length),
): Float32Array {
  const { height, width } = shape;
  const channels = shape.channels ?? 1;
  if (image.length !== height * width * channels) {
    throw new Error(
      `rotateImage: an image of ${height}x${width}x${channels} has ${height * width * channels} values, got ${image.length}`,
    );
  }
  if (out.length !== image.length)
    throw new Error(`rotateImage: out has ${out.length} values, expected ${image.length}`);
  const [sin, cos] = sinCos(angle);
  rotateInto(image, 0, out, 0, height, width, channels, sin, cos, false);
  return out;
}

/**
 * The rotation kernel: writes the rotated image (sine `sin`, cosine `cos` of the angle) from `src` at `srcOffset`
 * to `dst` at `dstOffset`. With `round`, each value is rounded to the nearest integer (for byte images; inputs must
 * be non-negative). Only +, -, * and floor are used, so the output is identical on every machine.
 */
export function rotateInto(
  src: ArrayLike<number>,
  srcOffset: number,
  dst: { [i: number]: number },
  dstOffset: number,
  height: number,
  width: number,
  channels: number,
  sin: number,
  cos: number,
  round: boolean,
): void {
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const rowStride = width * channels;
  for (let i = 0; i < height; i++) {
    const di = i - cy;
    // The source point of output (i, j) is centre + R(-angle) (i - cy, j - cx).
    const rowBase = cy + cos * di;
    const colBase = cx - sin * di;
    for (let j = 0; j < width; j++) {
      const dj = j - cx;
      const sr = rowBase + sin * dj;
      const sc = colBase + cos * dj;
      const outIndex = dstOffset + (i * width + j) * channels;
      if (sr <= -1 || sr >= height || sc <= -1 || sc >= width) {
        for (let ch = 0; ch < channels; ch++) dst[outIndex + ch] = 0;
        continue;
      }
      const r0 = Math.floor(sr);
      const c0 = Math.floor(sc);
      const fr = sr - r0;
      const fc = sc - c0;
      const top = r0 >= 0;
      const bottom = r0 + 1 < height;
      const left = c0 >= 0;
      const right = c0 + 1 < width;
      const base = srcOffset + r0 * rowStride + c0 * channels;
      for (let ch = 0; ch < channels; ch++) {
        const p00 = top && left ? src[base + ch]! : 0;
        const p01 = top && right ? src[base + channels + ch]! : 0;
        const p10 = bottom && left ? src[base + rowStride + ch]! : 0;
        const p11 = bottom && right ? src[base + rowStride + channels + ch]! : 0;
        const value = (1 - fr) * ((1 - fc) * p00 + fc * p01) + fr * ((1 - fc) * p10 + fc * p11);
        dst[outIndex + ch] = round ? Math.floor(value + 0.5) : value;
      }
    }
  }
}

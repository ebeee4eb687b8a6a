import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageDataset, loadMnist, rotateImage } from '../src/index.js';
import { rot90 } from './helpers.js';

let digits: ImageDataset;
beforeAll(async () => {
  digits = (await loadMnist()).test;
});

function digit(n: number): Float32Array {
  return Float32Array.from(digits.images.subarray(n * 784, (n + 1) * 784), (b) => b / 255);
}

const shape = { height: 28, width: 28 };

/** Mean absolute difference. */
function mad(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('rotateImage', () => {
  it('a quarter turn equals numpy rot90 exactly, border included; half and three quarters too', () => {
    for (const n of [0, 1, 2, 3, 4]) {
      const image = digit(n);
      const once = rot90(image, 28);
      const twice = rot90(once, 28);
      const thrice = rot90(twice, 28);
      expect([...rotateImage(image, shape, Math.PI / 2)]).toEqual(once);
      expect([...rotateImage(image, shape, Math.PI)]).toEqual(twice);
      expect([...rotateImage(image, shape, (3 * Math.PI) / 2)]).toEqual(thrice);
      expect([...rotateImage(image, shape, -Math.PI / 2)]).toEqual(thrice);
      expect([...rotateImage(image, shape, 0)]).toEqual([...image]);
    }
  });

  it('turns counter-clockwise as displayed: the top row goes to the left column', () => {
    const image = new Float32Array(9);
    image.set([1, 2, 3]); // top row of a 3x3 image
    const out = rotateImage(image, { height: 3, width: 3 }, Math.PI / 2);
    // Left column, read from the bottom up, is the former top row read left to right.
    expect([out[6], out[3], out[0]]).toEqual([1, 2, 3]);
  });

  it('rotating by θ then -θ nearly restores a digit; by θ then θ does not', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: Math.PI - 0.2, noNaN: true }),
        fc.nat({ max: 99 }),
        (angle, n) => {
          const image = digit(n);
          const back = rotateImage(rotateImage(image, shape, angle), shape, -angle);
          const further = rotateImage(rotateImage(image, shape, angle), shape, angle);
          // Bilinear interpolation twice blurs strokes a little (and a corner may leave the frame).
          expect(mad(back, image)).toBeLessThan(0.045);
          expect(mad(further, image)).toBeGreaterThan(2 * mad(back, image));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('interpolates bilinearly with zero fill and keeps values in range', () => {
    const ones = new Float32Array(28 * 28).fill(1);
    const out = rotateImage(ones, shape, Math.PI / 4);
    expect(out[14 * 28 + 14]).toBeCloseTo(1, 12); // the centre stays inside
    expect(out[0]).toBe(0); // a corner comes from outside the image
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('rotates every channel of an interleaved image alike', () => {
    const rgb = new Float32Array(5 * 5 * 3).map((_, i) => (i * 37) % 11);
    const out = rotateImage(rgb, { height: 5, width: 5, channels: 3 }, Math.PI / 2);
    for (let c = 0; c < 3; c++) {
      const plane = Array.from({ length: 25 }, (_, p) => rgb[p * 3 + c]!);
      const rotated = Array.from({ length: 25 }, (_, p) => out[p * 3 + c]!);
      expect(rotated).toEqual(rot90(plane, 5));
    }
    expect(() => rotateImage(rgb, { height: 5, width: 5 }, 1)).toThrow(/5x5x1 has 25 values, got 75/);
  });
});

/**
 * The one place where the app meets @gcnn/layers: the group action on input images, for `gcnn equivariance`.
 * Importing @gcnn/layers also registers its layer classes, so checkpoints of the G-CNNs load back.
 */
import { actOnZ2 } from '@gcnn/layers';
import type * as tf from '@tensorflow/tfjs-core';

/** Stabiliser sizes: p4 = C4 (4 rotations), p4m = D4 (4 rotations × 2 flips). */
export const STABILIZER_SIZE = { p4: 4, p4m: 8 } as const;

/** A readable name of stabiliser element `index` (4·m + r), e.g. "r1" or "m1 r3". */
export function elementName(group: 'p4' | 'p4m', index: number): string {
  const r = index % 4;
  return group === 'p4' ? `r${r}` : `m${Math.floor(index / 4)} r${r}`;
}

/** Applies stabiliser element `index` of `group` to NHWC images (r quarter turns as numpy's rot90, then a flip). */
export function actOnImages(x: tf.Tensor4D, group: 'p4' | 'p4m', index: number): tf.Tensor4D {
  return actOnZ2(x, group, index);
}

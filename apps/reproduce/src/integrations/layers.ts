/**
 * The one place where the app meets @gcnn/layers: the group action on input images, for `gcnn equivariance`.
 *
 * STAND-IN until @gcnn/layers lands: the action of the p4 / p4m stabiliser on NHWC images written with tf ops
 * (index r: r quarter turns counter-clockwise as numpy's rot90; index 4m + r: the same, then an up-down flip
 * when m = 1, design.md §2). Replace with the package's `actOnZ2`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Stabiliser sizes: p4 = C4, p4m = D4. */
export const STABILIZER_SIZE = { p4: 4, p4m: 8 } as const;

/** A readable name of stabiliser element `index`, e.g. "r1" or "m1 r3". */
export function elementName(group: 'p4' | 'p4m', index: number): string {
  const r = index % 4;
  return group === 'p4' ? `r${r}` : `m${Math.floor(index / 4)} r${r}`;
}

/** Applies stabiliser element `index` of `group` to NHWC images. */
export function actOnImages(x: tf.Tensor4D, group: 'p4' | 'p4m', index: number): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x;
    for (let t = 0; t < index % 4; t++) y = tf.reverse(tf.transpose(y, [0, 2, 1, 3]), 1);
    if (group === 'p4m' && index >= 4) y = tf.reverse(y, 1);
    return y;
  });
}

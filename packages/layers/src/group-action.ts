import { Element, type Group } from '@gcnn/group';
import * as tf from '@tensorflow/tfjs-core';
import { formatShape, GroupLayerError } from './errors.js';
import { algebraOf, channelsOf, checkOutputGroup, type OutputGroup } from './groups.js';
import { cachedIndexTensor } from './index-tensors.js';

/** A stabiliser element: an `Element` of `@gcnn/group` with u = v = 0, or its index 4·m + r. */
export type StabilizerElement = Element | number;

/** Resolves a stabiliser element of `group` to its index 4·m + r; throws on translations or mirrors in p4. */
export function stabilizerIndexOf(group: OutputGroup, g: StabilizerElement, where: string): number {
  const n = group === 'p4' ? 4 : 8;
  if (typeof g === 'number') {
    if (!Number.isInteger(g) || g < 0 || g >= n) {
      throw new GroupLayerError(`${where}: a ${group} stabiliser index is an integer in [0, ${n}), got ${g}`);
    }
    return g;
  }
  if (!(g instanceof Element)) {
    throw new GroupLayerError(`${where}: expected a group Element or a stabiliser index, got ${String(g)}`);
  }
  if (g.u !== 0 || g.v !== 0) {
    throw new GroupLayerError(
      `${where}: only stabiliser elements (u = v = 0, rotations about the array centre) act here, got ${g.toString()}`,
    );
  }
  if (group === 'p4' && g.m === 1) {
    throw new GroupLayerError(`${where}: ${g.toString()} has a mirror, which is not in p4`);
  }
  return 4 * g.m + g.r;
}

/** Output spatial size of the stabiliser element with this index (odd rotations swap rows and columns). */
function transformedSize(height: number, width: number, index: number): [number, number] {
  return index % 2 === 1 ? [width, height] : [height, width];
}

// Gather indices over the flattened H·W grid: output cell (i, j), in centred doubled coordinates x, reads the
// input at g⁻¹·x. This rotates (and mirrors) about the array centre for odd and even sizes.
function spatialIndices(group: OutputGroup, index: number, height: number, width: number): Int32Array {
  const algebra = algebraOf(group);
  const gInverse = algebra.inverse(algebra.stabilizer()[index] as Element);
  const [outHeight, outWidth] = transformedSize(height, width, index);
  const indices = new Int32Array(outHeight * outWidth);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const [u, v] = algebra.act(gInverse, [2 * i - (outHeight - 1), 2 * j - (outWidth - 1)]);
      indices[i * outWidth + j] = ((u + height - 1) / 2) * width + (v + width - 1) / 2;
    }
  }
  return indices;
}

// Plane c·n + s of L_g f reads plane c·n + σ(s) of f, σ(s) = index(g⁻¹·s).
function planeIndices(group: OutputGroup, index: number, channels: number): Int32Array {
  const algebra = algebraOf(group);
  const stabilizer = algebra.stabilizer();
  const gInverse = algebra.inverse(stabilizer[index] as Element);
  const sigma = stabilizer.map((s) => algebra.stabilizerIndex(algebra.compose(gInverse, s)));
  const n = stabilizer.length;
  const indices = new Int32Array(channels * n);
  for (let c = 0; c < channels; c++) {
    for (let s = 0; s < n; s++) indices[c * n + s] = c * n + (sigma[s] as number);
  }
  return indices;
}

function checkMap(x: tf.Tensor, where: string): tf.Tensor4D {
  if (!(x instanceof tf.Tensor) || x.rank !== 4) {
    const shape = x instanceof tf.Tensor ? formatShape(x.shape) : String(x);
    throw new GroupLayerError(`${where}: expected an NHWC tensor of rank 4, got ${shape}`);
  }
  return x as tf.Tensor4D;
}

function transformSpace(x: tf.Tensor4D, group: OutputGroup, index: number): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  if (index === 0) return tf.clone(x);
  const indices = cachedIndexTensor(`space:${group}:${index}:${height}x${width}`, () =>
    spatialIndices(group, index, height, width),
  );
  const [outHeight, outWidth] = transformedSize(height, width, index);
  const moved = tf.gather(tf.reshape(x, [batch, height * width, channels]), indices, 1);
  return tf.reshape(moved, [batch, outHeight, outWidth, channels]);
}

/**
 * The left action `[L_g f](x) = f(g⁻¹x)` of a stabiliser element on a Z2 feature map (NHWC): rotation by
 * r quarter turns counter-clockwise as displayed (numpy's rot90 on H, W), then an up-down flip if m = 1.
 * Rotations are about the array centre; odd rotations of a non-square map swap H and W.
 *
 * @param group the group g belongs to: 'p4' or 'p4m', or the `p4` / `p4m` object of @gcnn/group
 * @param g an `Element` with u = v = 0 or a stabiliser index 4·m + r
 */
export function actOnZ2(x: tf.Tensor4D, group: OutputGroup | Group, g: StabilizerElement): tf.Tensor4D {
  const where = 'actOnZ2';
  const checkedGroup = checkOutputGroup(group, where);
  const index = stabilizerIndexOf(checkedGroup, g, where);
  const map = checkMap(x, where);
  return tf.tidy(() => transformSpace(map, checkedGroup, index));
}

/**
 * The left action on a G-feature map `[N, H, W, C·n]` over `group`: `(L_g f)[s] = A_g(f[σ_g(s)])` with
 * A_g the spatial transform of `actOnZ2` and σ_g(s) = index(g⁻¹·s), i.e. `[L_g f](h) = f(g⁻¹h)` on the group.
 * For p4 this rotates every plane and rolls the rotation axis by r. `group` is a name or the @gcnn/group object.
 */
export function actOnFeatureMap(
  x: tf.Tensor4D,
  group: OutputGroup | Group,
  g: StabilizerElement,
): tf.Tensor4D {
  const where = 'actOnFeatureMap';
  const checkedGroup = checkOutputGroup(group, where);
  const index = stabilizerIndexOf(checkedGroup, g, where);
  const map = checkMap(x, where);
  const channels = channelsOf(map.shape[3], checkedGroup, `${where} on ${formatShape(map.shape)}`);
  return tf.tidy(() => {
    const moved = transformSpace(map, checkedGroup, index);
    if (index === 0) return moved;
    const indices = cachedIndexTensor(`planes:${checkedGroup}:${index}:${channels}`, () =>
      planeIndices(checkedGroup, index, channels),
    );
    return tf.gather(moved, indices, 3);
  });
}

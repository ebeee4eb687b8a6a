import type { Group } from '@gcnn/group';
import * as tf from '@tensorflow/tfjs-core';
import { GroupLayerError } from './errors.js';
import { actOnFeatureMap, actOnZ2 } from './group-action.js';
import { algebraOf, checkLayerGroup, checkOutputGroup, type LayerGroup, type OutputGroup } from './groups.js';

/** How the stabiliser acts on the input or output of the function under test. */
export type ActedGroup = LayerGroup | 'invariant';

/** Options of `equivarianceError`. */
export interface EquivarianceOptions {
  /**
   * How g acts on the input: 'Z2' (spatial transform) or 'p4' / 'p4m' (spatial transform and plane
   * permutation); the `p4` / `p4m` objects of @gcnn/group are accepted too.
   */
  inGroup: LayerGroup | Group;
  /** How g acts on the output; 'invariant' expects an unchanged output (for example logits). */
  outGroup: ActedGroup | Group;
  /** Whose stabiliser is tested (4 or 8 elements). Default: 'p4m' if either side is p4m, else 'p4'. */
  group?: OutputGroup | Group;
  /** The input to test with. Default: standard normal noise of `inputShape` (seeded). */
  input?: tf.Tensor4D;
  /** Shape [N, H, W, planes] of the random input when `input` is not given. */
  inputShape?: [number, number, number, number];
  /** Seed of the random input. Default 1. */
  seed?: number;
}

/** Deviation for one stabiliser element g: max |fn(L_g x) − L_g fn(x)|. */
export interface ElementError {
  /** Stabiliser index 4·m + r. */
  index: number;
  /** Readable element, e.g. `p4m(m=1, r=1, u=0, v=0)`. */
  element: string;
  /** Largest absolute deviation. */
  absError: number;
  /** `absError` divided by the largest |fn(x)| (the scale of the output). */
  relativeError: number;
}

/** Result of `equivarianceError`. */
export interface EquivarianceReport {
  /** Largest absolute deviation over the stabiliser. */
  maxAbsError: number;
  /** Largest relative deviation over the stabiliser. */
  maxRelativeError: number;
  /** Largest |fn(x)|, the scale the relative errors divide by. */
  scale: number;
  /** One entry per stabiliser element, in index order, so users see which element breaks. */
  perElement: ElementError[];
}

function act(x: tf.Tensor, acted: ActedGroup, group: OutputGroup, index: number): tf.Tensor {
  if (acted === 'invariant') return x;
  if (x.rank !== 4) {
    throw new GroupLayerError(
      `equivarianceError: a ${acted} map must be an NHWC tensor of rank 4, got rank ${x.rank}` +
        ` (use outGroup 'invariant' for outputs such as logits)`,
    );
  }
  if (acted === 'Z2') return actOnZ2(x as tf.Tensor4D, group, index);
  return actOnFeatureMap(x as tf.Tensor4D, acted, index);
}

/**
 * Throws when `x` holds NaN or ±Infinity: every comparison with NaN is false, so a NaN error would pass a
 * check such as `if (report.maxRelativeError > 1e-5) throw ...`.
 */
function checkFinite(x: tf.Tensor, what: string): void {
  const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0] === 1);
  if (!finite) {
    throw new GroupLayerError(`${what} contains NaN or Infinity, so no equivariance error can be measured`);
  }
}

/**
 * Measures how far `fn` is from equivariance under every element g of the stabiliser: the largest deviation of
 * `fn(L_g x)` from `L_g fn(x)`. Exact G-CNN layers and models give float32 round-off (about 1e-6 relative) when
 * the spatial sizes, padding and strides follow the rule in docs/layers.md; anything near 1e-2 or above is a bug.
 * Throws a GroupLayerError when the input or an output of `fn` is not finite (NaN or Infinity).
 *
 * @example
 * const report = equivarianceError((x) => layer.apply(x) as tf.Tensor,
 *   { inGroup: 'Z2', outGroup: 'p4', inputShape: [2, 9, 9, 3] });
 * // report.maxRelativeError < 1e-5; report.perElement[1] is the quarter turn
 */
export function equivarianceError(
  fn: (x: tf.Tensor4D) => tf.Tensor,
  options: EquivarianceOptions,
): EquivarianceReport {
  const where = 'equivarianceError';
  if (typeof fn !== 'function') throw new GroupLayerError(`${where}: fn must be a function of one tensor`);
  const inGroup = checkLayerGroup(options?.inGroup, `${where} (inGroup)`);
  const outGroup =
    options.outGroup === 'invariant' ? 'invariant' : checkLayerGroup(options.outGroup, `${where} (outGroup)`);
  const group: OutputGroup =
    options.group == null
      ? inGroup === 'p4m' || outGroup === 'p4m'
        ? 'p4m'
        : 'p4'
      : checkOutputGroup(options.group, `${where} (group)`);
  for (const side of [inGroup, outGroup]) {
    if (group === 'p4' && side === 'p4m') {
      throw new GroupLayerError(`${where}: group 'p4' cannot act through a p4m map; use group 'p4m'`);
    }
  }
  if (options.input == null && options.inputShape == null) {
    throw new GroupLayerError(`${where}: give an input tensor or an inputShape [N, H, W, planes]`);
  }
  const input =
    options.input ??
    tf.randomNormal<tf.Rank.R4>(
      options.inputShape as [number, number, number, number],
      0,
      1,
      'float32',
      options.seed ?? 1,
    );
  try {
    const stabilizer = algebraOf(group).stabilizer();
    checkFinite(input, `${where}: the input`);
    const reference = fn(input);
    const perElement: ElementError[] = [];
    let scale = 0;
    try {
      if (!(reference instanceof tf.Tensor)) {
        throw new GroupLayerError(`${where}: fn must return a tensor, got ${String(reference)}`);
      }
      checkFinite(reference, `${where}: fn(x)`);
      scale = tf.tidy(() => tf.max(tf.abs(reference)).dataSync()[0] as number);
      stabilizer.forEach((g, index) => {
        const absError = tf.tidy(() => {
          const transformedInput = act(input, inGroup, group, index) as tf.Tensor4D;
          const left = fn(transformedInput);
          const right = act(reference, outGroup, group, index);
          if (left.shape.join() !== right.shape.join()) {
            throw new GroupLayerError(
              `${where}: fn(L_g x) has shape [${left.shape}] but L_g fn(x) has [${right.shape}] for g = ${g.toString()}`,
            );
          }
          checkFinite(left, `${where}: fn(L_g x) for g = ${g.toString()}`);
          return tf.max(tf.abs(tf.sub(left, right))).dataSync()[0] as number;
        });
        perElement.push({
          index,
          element: g.toString(),
          absError,
          relativeError: scale > 0 ? absError / scale : absError,
        });
      });
    } finally {
      if (reference !== input && reference instanceof tf.Tensor) reference.dispose();
    }
    return {
      maxAbsError: Math.max(...perElement.map((e) => e.absError)),
      maxRelativeError: Math.max(...perElement.map((e) => e.relativeError)),
      scale,
      perElement,
    };
  } finally {
    if (options.input == null) input.dispose();
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { formatShape, GroupLayerError } from './errors.js';
import type { LayerGroup, OutputGroup } from './groups.js';
import { checkGroupPair, checkKernelSize, filterIndexMap } from './index-map.js';
import { cachedIndexTensor } from './index-tensors.js';

/** The groups of a G-convolution. */
export interface GroupPair {
  /** Group of the input feature map ('Z2' for a lifting convolution). */
  inGroup: LayerGroup;
  /** Group of the output feature map. */
  outGroup: OutputGroup;
}

/**
 * Expands a base filter `[k, k, C_in·n_in, C_out]` (input plane c·n_in + s) into the filter that an ordinary
 * `conv2d` applies, `[k, k, C_in·n_in, C_out·n_out]`, whose output plane o·n_out + t holds `L_t` of the base
 * filter of channel o. One `tf.gather` with a cached index tensor plus reshapes and two transposes of the
 * (small) filter; gradients flow through it (the gather's gradient scatter-adds into k·k·n_in rows).
 */
export function transformFilter(w: tf.Tensor4D, groups: GroupPair): tf.Tensor4D {
  const where = 'transformFilter';
  const [inGroup, outGroup] = checkGroupPair(groups?.inGroup, groups?.outGroup, where);
  if (!(w instanceof tf.Tensor) || w.rank !== 4) {
    const shape = w instanceof tf.Tensor ? formatShape(w.shape) : String(w);
    throw new GroupLayerError(
      `${where}: expected a base filter of rank 4 [k, k, C_in·n_in, C_out], got ${shape}`,
    );
  }
  const [k, kw, inPlanes, cOut] = w.shape;
  if (k !== kw) {
    throw new GroupLayerError(
      `${where}: the filter must be square [k, k, C_in·n_in, C_out], got ${formatShape(w.shape)}`,
    );
  }
  checkKernelSize(k, inGroup, outGroup, where);
  const map = filterIndexMap({ inGroup, outGroup, kernelSize: k });
  const nIn = map.inStabilizerSize;
  const nOut = map.outStabilizerSize;
  if (inPlanes % nIn !== 0) {
    throw new GroupLayerError(
      `${where}: a ${inGroup}->${outGroup} filter has C_in·${nIn} input planes, got ${formatShape(w.shape)}` +
        ` (${inPlanes} is not a multiple of ${nIn})`,
    );
  }
  const cIn = inPlanes / nIn;
  const indices = cachedIndexTensor(`filter:${inGroup}>${outGroup}>${k}`, () => map.gatherIndices);
  return tf.tidy(() => {
    // Rows (i, j, s), columns (c, o): the transpose is skipped when it would not move anything.
    const rows =
      nIn === 1 || cIn === 1
        ? tf.reshape(w, [k * k * nIn, cIn * cOut])
        : tf.reshape(tf.transpose(tf.reshape(w, [k, k, cIn, nIn, cOut]), [0, 1, 3, 2, 4]), [
            k * k * nIn,
            cIn * cOut,
          ]);
    const gathered = tf.reshape(tf.gather(rows, indices), [k, k, nIn, nOut, cIn, cOut]);
    return tf.reshape(tf.transpose(gathered, [0, 1, 4, 2, 5, 3]), [k, k, inPlanes, cOut * nOut]);
  });
}

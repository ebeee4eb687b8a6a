import type { Element } from '@gcnn/group';
import { GroupLayerError } from './errors.js';
import { algebraOf, checkLayerGroup, checkOutputGroup, type LayerGroup, type OutputGroup } from './groups.js';

/** Which G-convolution a filter index map is for. */
export interface FilterIndexMapOptions {
  /** Group of the input feature map: 'Z2' for a lifting convolution, else the same group as `outGroup`. */
  inGroup: LayerGroup;
  /** Group of the output feature map. */
  outGroup: OutputGroup;
  /** Filter size k (square k×k filters). Odd for every case; even only for Z2->p4 and p4->p4. */
  kernelSize: number;
}

/**
 * The precomputed gather that turns a base filter into the expanded filter of a G-convolution, compiled from
 * the group algebra of `@gcnn/group`. With the base filter viewed as a function on the input group
 * (cell (s, i, j) is the element T(i − c, j − c)·s, c the array centre), the slice of the expanded filter for the
 * output stabiliser element t is `[L_t W](h) = W(t⁻¹·h)`.
 */
export interface FilterIndexMap {
  readonly inGroup: LayerGroup;
  readonly outGroup: OutputGroup;
  readonly kernelSize: number;
  /** Stabiliser size n_in of the input group (1 for Z2). */
  readonly inStabilizerSize: number;
  /** Stabiliser size n_out of the output group. */
  readonly outStabilizerSize: number;
  /**
   * GrouPy-style table of shape [n_out, n_in, k, k, 3]: entry ((t·n_in + s)·k + i)·k + j holds
   * (s_src, i_src, j_src), the cell of the base filter that the expanded filter reads at (t, s, i, j).
   */
  readonly source: Int32Array;
  /**
   * Row indices for `transformFilter`: the base filter is viewed as [k·k·n_in, C_in·C_out] (row (i·k + j)·n_in + s);
   * output row ((i·k + j)·n_in + s)·n_out + t of the gather reads row `gatherIndices[...]`.
   */
  readonly gatherIndices: Int32Array;
}

const cache = new Map<string, FilterIndexMap>();

/** Throws unless (inGroup, outGroup) is one of Z2->p4, p4->p4, Z2->p4m, p4m->p4m. */
export function checkGroupPair(
  inGroup: unknown,
  outGroup: unknown,
  where: string,
): [LayerGroup, OutputGroup] {
  const input = checkLayerGroup(inGroup, where);
  const output = checkOutputGroup(outGroup, where);
  if (input !== 'Z2' && input !== output) {
    throw new GroupLayerError(
      `${where}: inGroup '${input}' with outGroup '${output}' is not a G-convolution of this package;` +
        ` the input must be 'Z2' (lifting) or the same group as the output`,
    );
  }
  return [input, output];
}

/** Throws unless k is a positive integer that the group pair allows (even k only for the C4 cases). */
export function checkKernelSize(
  kernelSize: unknown,
  inGroup: LayerGroup,
  outGroup: OutputGroup,
  where: string,
): number {
  if (typeof kernelSize !== 'number' || !Number.isInteger(kernelSize) || kernelSize < 1) {
    throw new GroupLayerError(
      `${where}: kernelSize must be a positive integer, got ${JSON.stringify(kernelSize)}`,
    );
  }
  if (outGroup === 'p4m' && kernelSize % 2 === 0) {
    throw new GroupLayerError(
      `${where}: ${inGroup}->${outGroup} needs an odd kernelSize (mirror-symmetric filters, as in GrouPy),` +
        ` got ${kernelSize}; even sizes are allowed for Z2->p4 and p4->p4 only`,
    );
  }
  return kernelSize;
}

/**
 * The filter index map of a G-convolution, computed once per (inGroup, outGroup, kernelSize) and cached.
 *
 * Points are handled in doubled centred coordinates (2i − (k − 1), 2j − (k − 1)), which are integers for odd
 * and even k alike, so the stabiliser rotates (and mirrors) the k×k array about its centre in both cases.
 *
 * @example filterIndexMap({ inGroup: 'Z2', outGroup: 'p4', kernelSize: 3 }).source // [4, 1, 3, 3, 3] table
 */
export function filterIndexMap(options: FilterIndexMapOptions): FilterIndexMap {
  const where = 'filterIndexMap';
  const [inGroup, outGroup] = checkGroupPair(options?.inGroup, options?.outGroup, where);
  const k = checkKernelSize(options.kernelSize, inGroup, outGroup, where);
  const key = `${inGroup}>${outGroup}>${k}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const map = compile(inGroup, outGroup, k);
  cache.set(key, map);
  return map;
}

function compile(inGroup: LayerGroup, outGroup: OutputGroup, k: number): FilterIndexMap {
  const algebra = algebraOf(outGroup);
  const outStabilizer = algebra.stabilizer();
  // A Z2 filter is a function of the point only: one "plane", read at the identity.
  const inStabilizer: readonly Element[] = inGroup === 'Z2' ? [algebra.identity] : algebra.stabilizer();
  const nOut = outStabilizer.length;
  const nIn = inStabilizer.length;
  const source = new Int32Array(nOut * nIn * k * k * 3);
  const gatherIndices = new Int32Array(k * k * nIn * nOut);
  const toDoubled = (i: number) => 2 * i - (k - 1);
  const fromDoubled = (d: number) => (d + k - 1) / 2;

  outStabilizer.forEach((t, tIndex) => {
    const tInverse = algebra.inverse(t);
    inStabilizer.forEach((s, sIndex) => {
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          // The cell (s, i, j) is h = T(x)·s; the expanded filter reads the base filter at t⁻¹·h.
          const h = algebra.element({ m: s.m, r: s.r, u: toDoubled(i), v: toDoubled(j) });
          const g = algebra.compose(tInverse, h);
          const sSource = inGroup === 'Z2' ? 0 : algebra.stabilizerIndex(g);
          const iSource = fromDoubled(g.u);
          const jSource = fromDoubled(g.v);
          const cell = ((tIndex * nIn + sIndex) * k + i) * k + j;
          source.set([sSource, iSource, jSource], cell * 3);
          const row = ((i * k + j) * nIn + sIndex) * nOut + tIndex;
          gatherIndices[row] = (iSource * k + jSource) * nIn + sSource;
        }
      }
    });
  });
  return Object.freeze({
    inGroup,
    outGroup,
    kernelSize: k,
    inStabilizerSize: nIn,
    outStabilizerSize: nOut,
    source,
    gatherIndices,
  });
}

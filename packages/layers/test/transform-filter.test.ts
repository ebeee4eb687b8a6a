import { p4, p4m } from '@gcnn/group';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  filterIndexMap,
  type LayerGroup,
  type OutputGroup,
  stabilizerSize,
  transformFilter,
} from '../src/index.js';
import { itTrains, randomValues } from './helpers.js';

// Independent reference, written from the tables in paper-spec §1.3 rather than from the group package:
// stabiliser index 4·m + r acts on a k×k array as flipRows^m ∘ rot90^r, and the Cayley table of D4 (C4 is its
// first 4×4 block).
const D4_CAYLEY = [
  [0, 1, 2, 3, 4, 5, 6, 7],
  [1, 2, 3, 0, 7, 4, 5, 6],
  [2, 3, 0, 1, 6, 7, 4, 5],
  [3, 0, 1, 2, 5, 6, 7, 4],
  [4, 5, 6, 7, 0, 1, 2, 3],
  [5, 6, 7, 4, 3, 0, 1, 2],
  [6, 7, 4, 5, 2, 3, 0, 1],
  [7, 4, 5, 6, 1, 2, 3, 0],
];
const D4_INVERSE = [0, 3, 2, 1, 4, 5, 6, 7];

type Grid = number[][];
/** numpy's rot90(a, 1): out[i][j] = a[j][k − 1 − i]. */
const rot90 = (a: Grid): Grid => a.map((_, i) => a.map((row) => row[a.length - 1 - i] as number));
/** Up-down flip: out[i][j] = a[k − 1 − i][j]. */
const flipRows = (a: Grid): Grid => a.map((_, i) => [...(a[a.length - 1 - i] as number[])]);
function transformGrid(a: Grid, index: number): Grid {
  let out = a;
  for (let r = 0; r < index % 4; r++) out = rot90(out);
  return index >= 4 ? flipRows(out) : out;
}

/** Expanded filter by the closed form TW[o, t][c, s] = A_t(W[o, c, σ_t(s)]), σ_t(s) = cayley[t⁻¹][s]. */
function referenceExpansion(
  w: Float32Array,
  k: number,
  cIn: number,
  nIn: number,
  cOut: number,
  nOut: number,
): Float32Array {
  const inPlanes = cIn * nIn;
  const outPlanes = cOut * nOut;
  const at = (i: number, j: number, p: number, o: number) =>
    w[((i * k + j) * inPlanes + p) * cOut + o] as number;
  const out = new Float32Array(k * k * inPlanes * outPlanes);
  for (let o = 0; o < cOut; o++) {
    for (let t = 0; t < nOut; t++) {
      for (let c = 0; c < cIn; c++) {
        for (let s = 0; s < nIn; s++) {
          const sigma = nIn === 1 ? 0 : (D4_CAYLEY[D4_INVERSE[t] as number]?.[s] as number);
          const grid: Grid = Array.from({ length: k }, (_, i) =>
            Array.from({ length: k }, (_, j) => at(i, j, c * nIn + sigma, o)),
          );
          const moved = transformGrid(grid, t);
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) {
              out[((i * k + j) * inPlanes + c * nIn + s) * outPlanes + o * nOut + t] = moved[i]?.[
                j
              ] as number;
            }
          }
        }
      }
    }
  }
  return out;
}

const CASES: [LayerGroup, OutputGroup][] = [
  ['Z2', 'p4'],
  ['p4', 'p4'],
  ['Z2', 'p4m'],
  ['p4m', 'p4m'],
];

describe('reference tables', () => {
  it('the literal D4 Cayley table agrees with the group package', () => {
    expect(p4m.cayleyTable()).toEqual(D4_CAYLEY);
    expect(p4.cayleyTable()).toEqual(D4_CAYLEY.slice(0, 4).map((row) => row.slice(0, 4)));
  });
});

describe('transformFilter', () => {
  for (const [inGroup, outGroup] of CASES) {
    const kernelSizes = outGroup === 'p4' ? [1, 2, 3, 4, 5] : [1, 3, 5];
    for (const k of kernelSizes) {
      it(`${inGroup}->${outGroup}, k=${k}: slice t is L_t of the base filter`, () => {
        const nIn = stabilizerSize(inGroup);
        const nOut = stabilizerSize(outGroup);
        const [cIn, cOut] = [2, 3];
        const values = randomValues(k * k * cIn * nIn * cOut, 7 * k + nIn);
        const w = tf.tensor4d(values, [k, k, cIn * nIn, cOut]);
        const expanded = transformFilter(w, { inGroup, outGroup });
        expect(expanded.shape).toEqual([k, k, cIn * nIn, cOut * nOut]);
        // A gather copies values, so the comparison is exact.
        expect(Array.from(expanded.dataSync())).toEqual(
          Array.from(referenceExpansion(values, k, cIn, nIn, cOut, nOut)),
        );
        tf.dispose([w, expanded]);
      });
    }
  }

  it('slice t = 1 of a Z2->p4 3×3 filter is numpy rot90 (a worked example)', () => {
    const w = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]);
    const expanded = transformFilter(w, { inGroup: 'Z2', outGroup: 'p4' });
    const slice = tf.reshape(tf.slice(expanded, [0, 0, 0, 1], [3, 3, 1, 1]), [3, 3]);
    expect(slice.arraySync()).toEqual([
      [3, 6, 9],
      [2, 5, 8],
      [1, 4, 7],
    ]);
    tf.dispose([w, expanded, slice]);
  });

  itTrains('gradients flow through the gather and add up the copies', () => {
    const w = tf.tensor4d(randomValues(9 * 4 * 2, 3), [3, 3, 4, 2]);
    const grad = tf.grad((v: tf.Tensor) =>
      tf.sum(transformFilter(v as tf.Tensor4D, { inGroup: 'p4', outGroup: 'p4' })),
    )(w);
    // Every base filter entry is read once by each of the 4 output slices.
    expect(Array.from(grad.dataSync())).toEqual(new Array(w.size).fill(4));
    tf.dispose([w, grad]);
  });

  it('caches one index map per (inGroup, outGroup, k)', () => {
    const a = filterIndexMap({ inGroup: 'p4m', outGroup: 'p4m', kernelSize: 3 });
    const b = filterIndexMap({ inGroup: 'p4m', outGroup: 'p4m', kernelSize: 3 });
    expect(a).toBe(b);
    expect(a.source.length).toBe(8 * 8 * 3 * 3 * 3);
    expect(a.gatherIndices.length).toBe(3 * 3 * 8 * 8);
  });
});

import type { FunctionSpec } from './assembler.js';
import { I32, V128 } from './assembler.js';
import { forLoop } from './loops.js';

// Column reductions and per-column affine maps: Sum/Mean, skinny matMuls and the fused batch-norm kernels.

/**
 * columnSums(x, rows, cols, acc, block, weights): acc[c] += Σ_r w[r]·x[r·cols + c] for a float32 [rows, cols]
 * matrix (cols a multiple of 4) into float64 accumulators acc[cols]; w[r] = 1 without weights. Rows are summed
 * in float32 lanes in blocks of `block` rows (the block stays in L1 across the column groups), each block added
 * to the float64 totals: about as accurate as pairwise summation for the sizes of batch norm.
 */
export function columnSumsKernel(weighted: boolean): FunctionSpec {
  return {
    name: weighted ? 'weightedColumnSums' : 'columnSums',
    params: weighted ? [I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32],
    body: (c) => {
      const [x, rows, cols, acc, block, weights] = [0, 1, 2, 3, 4, 5];
      const r0 = c.local(I32);
      const r = c.local(I32);
      const col = c.local(I32);
      const end = c.local(I32);
      const rowBytes = c.local(I32);
      const at = c.local(I32);
      const w = c.local(I32);
      const s = c.local(V128);
      c.get(cols).i32(2).i32Shl().set(rowBytes);
      forLoop(
        c,
        r0,
        (c) => c.i32(0),
        (c) => c.get(rows),
        0,
        () => {
          // end = min(rows, r0 + block)
          c.get(r0).get(block).i32Add().tee(end).get(rows).get(end).get(rows).i32LtS().select().set(end);
          forLoop(
            c,
            col,
            (c) => c.i32(0),
            (c) => c.get(cols),
            4,
            () => {
              c.f32(0).f32x4Splat().set(s);
              c.get(x).get(r0).get(rowBytes).i32Mul().i32Add().get(col).i32(2).i32Shl().i32Add().set(at);
              if (weighted) c.get(weights).get(r0).i32(2).i32Shl().i32Add().set(w);
              forLoop(
                c,
                r,
                (c) => c.get(r0),
                (c) => c.get(end),
                1,
                () => {
                  c.get(s).get(at).v128Load();
                  if (weighted) {
                    c.get(w).f32Load().f32x4Splat().f32x4Mul();
                    c.get(w).i32(4).i32Add().set(w);
                  }
                  c.f32x4Add().set(s);
                  c.get(at).get(rowBytes).i32Add().set(at);
                },
              );
              // acc[col..col+3] (float64) += s
              c.get(acc).get(col).i32(3).i32Shl().i32Add().set(at);
              c.get(at).get(at).v128Load().get(s).f64x2PromoteLow().f64x2Add().v128Store();
              c.get(at).get(at).v128Load(16).get(s).get(s).shuffle32([2, 3, 0, 1]).f64x2PromoteLow();
              c.f64x2Add().v128Store(16);
            },
          );
          c.get(end).set(r0);
        },
      );
    },
  };
}

/**
 * productSums(x, y, center, rows, cols, acc, block): acc[c] += Σ_r x[r, c] and acc[cols + c] +=
 * Σ_r x[r, c]·(y[r, c] − center[c]) (float64 accumulators, float32 blocks as in columnSums). With x = y and
 * center = the column means this is Σ(x − μ)·x = Σ(x − μ)², the centred sum of squares; with x = dy it gives the
 * two reductions of the batch-norm gradient.
 */
export const productSums: FunctionSpec = {
  name: 'productSums',
  params: [I32, I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [x, y, center, rows, cols, acc, block] = [0, 1, 2, 3, 4, 5, 6];
    const r0 = c.local(I32);
    const r = c.local(I32);
    const col = c.local(I32);
    const end = c.local(I32);
    const rowBytes = c.local(I32);
    const atX = c.local(I32);
    const atY = c.local(I32);
    const at = c.local(I32);
    const s1 = c.local(V128);
    const s2 = c.local(V128);
    const mid = c.local(V128);
    const v = c.local(V128);
    c.get(cols).i32(2).i32Shl().set(rowBytes);
    forLoop(
      c,
      r0,
      (c) => c.i32(0),
      (c) => c.get(rows),
      0,
      () => {
        c.get(r0).get(block).i32Add().tee(end).get(rows).get(end).get(rows).i32LtS().select().set(end);
        forLoop(
          c,
          col,
          (c) => c.i32(0),
          (c) => c.get(cols),
          4,
          () => {
            c.f32(0).f32x4Splat().tee(s1).set(s2);
            c.get(center).get(col).i32(2).i32Shl().i32Add().v128Load().set(mid);
            c.get(r0).get(rowBytes).i32Mul().get(col).i32(2).i32Shl().i32Add().tee(at);
            c.get(x).i32Add().set(atX);
            c.get(at).get(y).i32Add().set(atY);
            forLoop(
              c,
              r,
              (c) => c.get(r0),
              (c) => c.get(end),
              1,
              () => {
                c.get(atX).v128Load().tee(v).get(s1).f32x4Add().set(s1);
                c.get(v).get(atY).v128Load().get(mid).f32x4Sub().f32x4Mul().get(s2).f32x4Add().set(s2);
                c.get(atX).get(rowBytes).i32Add().set(atX);
                c.get(atY).get(rowBytes).i32Add().set(atY);
              },
            );
            for (const [sum, base] of [
              [s1, 0],
              [s2, 1],
            ] as const) {
              // acc[base·cols + col ..] (float64) += sum
              c.get(acc).get(col).i32(3).i32Shl().i32Add();
              if (base === 1) c.get(cols).i32(3).i32Shl().i32Add();
              c.set(at);
              c.get(at).get(at).v128Load().get(sum).f64x2PromoteLow().f64x2Add().v128Store();
              c.get(at).get(at).v128Load(16).get(sum).get(sum).shuffle32([2, 3, 0, 1]).f64x2PromoteLow();
              c.f64x2Add().v128Store(16);
            }
          },
        );
        c.get(end).set(r0);
      },
    );
  },
};

/**
 * affineColumns(x, a, b, y, center, c, out, rows, cols, withY): out[r, j] = x[r, j]·a[j] + b[j]
 * (+ (y[r, j] − center[j])·c[j] when withY ≠ 0), cols a multiple of 4: batch norm's normalisation and its
 * input gradient, one pass each.
 */
export const affineColumns: FunctionSpec = {
  name: 'affineColumns',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [x, a, b, y, center, coef, out, rows, cols, withY] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const r = c.local(I32);
    const col = c.local(I32);
    const at = c.local(I32);
    const k = c.local(I32);
    const rowBytes = c.local(I32);
    c.get(cols).i32(2).i32Shl().set(rowBytes);
    // One loop per variant, so that the inner loop has no branch.
    for (const variant of [0, 1]) {
      c.get(withY);
      if (variant === 0) c.i32Eqz();
      c.if();
      forLoop(
        c,
        r,
        (c) => c.i32(0),
        (c) => c.get(rows),
        1,
        () => {
          c.get(r).get(rowBytes).i32Mul().set(at);
          forLoop(
            c,
            col,
            (c) => c.i32(0),
            (c) => c.get(cols),
            4,
            () => {
              c.get(col).i32(2).i32Shl().set(k);
              c.get(out).get(at).i32Add();
              c.get(x).get(at).i32Add().v128Load().get(a).get(k).i32Add().v128Load().f32x4Mul();
              c.get(b).get(k).i32Add().v128Load().f32x4Add();
              if (variant === 1) {
                c.get(y).get(at).i32Add().v128Load().get(center).get(k).i32Add().v128Load().f32x4Sub();
                c.get(coef).get(k).i32Add().v128Load().f32x4Mul().f32x4Add();
              }
              c.v128Store();
              c.get(at).i32(16).i32Add().set(at);
            },
          );
        },
      );
      c.end();
    }
  },
};

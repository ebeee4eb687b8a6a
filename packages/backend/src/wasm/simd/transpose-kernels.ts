import type { Code, FunctionSpec, ValueType } from './assembler.js';
import { I32, V128 } from './assembler.js';
import { forLoop } from './loops.js';

// Transposes and row copies of 4-byte elements (the Transpose kernel and the Winograd paddings).

/**
 * Wraps a kernel body in `for (rep = 0; rep < reps; rep++)`, moving params 0 (src) and 1 (dst) by params 7 and 8
 * (element steps) after each repetition: one call covers a whole outer axis of a transpose.
 */
function repeated(body: (c: Code) => void): (c: Code) => void {
  return (c) => {
    const [src, dst, reps, srcStep, dstStep] = [0, 1, 6, 7, 8];
    const rep = c.local(I32);
    forLoop(
      c,
      rep,
      (c) => c.i32(0),
      (c) => c.get(reps),
      1,
      () => {
        body(c);
        c.get(src).get(srcStep).i32(2).i32Shl().i32Add().set(src);
        c.get(dst).get(dstStep).i32(2).i32Shl().i32Add().set(dst);
      },
    );
  };
}

const TRANSPOSE_PARAMS: ValueType[] = [I32, I32, I32, I32, I32, I32, I32, I32, I32];

/**
 * transpose4(src, dst, rows, cols, srcStride, dstStride, reps, srcStep, dstStep): dst[c·dstStride + r] =
 * src[r·srcStride + c] for r < rows and c < cols, both multiples of 4, as 4×4 blocks transposed in registers
 * with shuffles; repeated `reps` times with src and dst moved by srcStep and dstStep elements.
 */
export const transpose4: FunctionSpec = {
  name: 'transpose4',
  params: TRANSPOSE_PARAMS,
  body: repeated((c) => {
    const [src, dst, rows, cols, srcStride, dstStride] = [0, 1, 2, 3, 4, 5];
    const r = c.local(I32);
    const col = c.local(I32);
    const a = c.local(I32);
    const b = c.local(I32);
    const ss = c.local(I32);
    const ds = c.local(I32);
    const v = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
    const t = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
    c.get(srcStride).i32(2).i32Shl().set(ss);
    c.get(dstStride).i32(2).i32Shl().set(ds);
    forLoop(
      c,
      r,
      (c) => c.i32(0),
      (c) => c.get(rows),
      4,
      () => {
        // a: src row r, column 0; b: dst row 0, column r.
        c.get(src).get(r).get(ss).i32Mul().i32Add().set(a);
        c.get(dst).get(r).i32(2).i32Shl().i32Add().set(b);
        forLoop(
          c,
          col,
          (c) => c.i32(0),
          (c) => c.get(cols),
          4,
          () => {
            for (let k = 0; k < 4; k++) {
              c.get(a);
              for (let m = 0; m < k; m++) c.get(ss).i32Add();
              c.v128Load().set(v[k] as number);
            }
            const pairs: [number, number, [number, number, number, number], number][] = [
              [0, 1, [0, 4, 1, 5], 0],
              [0, 1, [2, 6, 3, 7], 1],
              [2, 3, [0, 4, 1, 5], 2],
              [2, 3, [2, 6, 3, 7], 3],
            ];
            for (const [p, q, lanes, out] of pairs) {
              c.get(v[p] as number)
                .get(v[q] as number)
                .shuffle32(lanes)
                .set(t[out] as number);
            }
            const columns: [number, number, [number, number, number, number]][] = [
              [0, 2, [0, 1, 4, 5]],
              [0, 2, [2, 3, 6, 7]],
              [1, 3, [0, 1, 4, 5]],
              [1, 3, [2, 3, 6, 7]],
            ];
            columns.forEach(([p, q, lanes], k) => {
              c.get(b);
              for (let m = 0; m < k; m++) c.get(ds).i32Add();
              c.get(t[p] as number)
                .get(t[q] as number)
                .shuffle32(lanes)
                .v128Store();
            });
            c.get(a).i32(16).i32Add().set(a);
            c.get(b).get(ds).i32(2).i32Shl().i32Add().set(b);
          },
        );
      },
    );
  }),
};

/** transposeScalar(...the same parameters): the same for any sizes, one element at a time. */
export const transposeScalar: FunctionSpec = {
  name: 'transposeScalar',
  params: TRANSPOSE_PARAMS,
  body: repeated((c) => {
    const [src, dst, rows, cols, srcStride, dstStride] = [0, 1, 2, 3, 4, 5];
    const r = c.local(I32);
    const col = c.local(I32);
    forLoop(
      c,
      r,
      (c) => c.i32(0),
      (c) => c.get(rows),
      1,
      () => {
        forLoop(
          c,
          col,
          (c) => c.i32(0),
          (c) => c.get(cols),
          1,
          () => {
            c.get(dst).get(col).get(dstStride).i32Mul().get(r).i32Add().i32(2).i32Shl().i32Add();
            c.get(src).get(r).get(srcStride).i32Mul().get(col).i32Add().i32(2).i32Shl().i32Add();
            c.i32Load().i32Store();
          },
        );
      },
    );
  }),
};

/** copyRows(src, dst, rowLength, rows, srcStride, dstStride): rows of rowLength elements, memory.copy each. */
export const copyRows: FunctionSpec = {
  name: 'copyRows',
  params: [I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [src, dst, rowLength, rows, srcStride, dstStride] = [0, 1, 2, 3, 4, 5];
    const r = c.local(I32);
    const bytes = c.local(I32);
    c.get(rowLength).i32(2).i32Shl().set(bytes);
    forLoop(
      c,
      r,
      (c) => c.i32(0),
      (c) => c.get(rows),
      1,
      () => {
        c.get(dst).get(r).get(dstStride).i32Mul().i32(2).i32Shl().i32Add();
        c.get(src).get(r).get(srcStride).i32Mul().i32(2).i32Shl().i32Add();
        c.get(bytes).memoryCopy();
      },
    );
  },
};

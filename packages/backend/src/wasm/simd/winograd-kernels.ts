import type { Code, FunctionSpec } from './assembler.js';
import { F32, I32, V128 } from './assembler.js';
import { forLoop } from './loops.js';

// Winograd F(2×2, 3×3) and F(4×4, 3×3): tile transforms, output transforms, the adjoint's scatter, the dual's
// tile-reduction GEMM, and row combinations for the filter transforms.

/** Bᵀ (input transform) and Aᵀ (output transform) of Winograd F(m×m, 3×3), m = 2 or 4 (Lavin & Gray 2016). */
export const WINOGRAD_MATRICES: Record<2 | 4, { bt: number[][]; at: number[][] }> = {
  2: {
    bt: [
      [1, 0, -1, 0],
      [0, 1, 1, 0],
      [0, -1, 1, 0],
      [0, 1, 0, -1],
    ],
    at: [
      [1, 1, 1, 0],
      [0, 1, -1, -1],
    ],
  },
  4: {
    bt: [
      [4, 0, -5, 0, 1, 0],
      [0, -4, -4, 1, 1, 0],
      [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ],
    at: [
      [1, 1, 1, 1, 1, 0],
      [0, 1, -1, 2, -2, 0],
      [0, 1, 1, 4, 4, 0],
      [0, 1, -1, 8, -8, 1],
    ],
  },
};

/**
 * A linear map as a straight-line program: `temps` are computed first (each a combination of the inputs and the
 * earlier temps), then each output row is a combination of the inputs and all temps. Coefficients index
 * [inputs..., temps...]. Shared partial sums make the Winograd transforms about half as many SIMD operations as
 * their plain matrices.
 */
export interface LinearProgram {
  inputs: number;
  temps: number[][];
  rows: number[][];
}

/** The plain program of a matrix (no shared terms). */
export function plainProgram(matrix: number[][]): LinearProgram {
  return { inputs: (matrix[0] as number[]).length, temps: [], rows: matrix };
}

/**
 * Factorised programs of F(4×4, 3×3): Bᵀ (inputs d0..d5; temps d4 − 4d2, d3 − 4d1, d4 − d2, 2d3 − 2d1), Aᵀ
 * (inputs m0..m5; temps m1 + m2, m1 − m2, m3 + m4, m3 − m4) and A = (Aᵀ)ᵀ for the gradient tiles (inputs
 * g0..g3; temps g0 + g2, g1 + g3, g0 + 4g2, 2g1 + 8g3). Each row equals the matrix row (checked by a test).
 */
export const WINOGRAD_PROGRAMS = {
  bt4: {
    inputs: 6,
    temps: [
      [0, 0, -4, 0, 1, 0],
      [0, -4, 0, 1, 0, 0],
      [0, 0, -1, 0, 1, 0],
      [0, -2, 0, 2, 0, 0],
    ],
    rows: [
      [4, 0, -5, 0, 1, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, -1, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 1, -1],
      [0, 4, 0, -5, 0, 1, 0, 0, 0, 0],
    ],
  },
  at4: {
    inputs: 6,
    temps: [
      [0, 1, 1, 0, 0, 0],
      [0, 1, -1, 0, 0, 0],
      [0, 0, 0, 1, 1, 0],
      [0, 0, 0, 1, -1, 0],
    ],
    rows: [
      [1, 0, 0, 0, 0, 0, 1, 0, 1, 0],
      [0, 0, 0, 0, 0, 0, 0, 1, 0, 2],
      [0, 0, 0, 0, 0, 0, 1, 0, 4, 0],
      [0, 0, 0, 0, 0, 1, 0, 1, 0, 8],
    ],
  },
  a4: {
    inputs: 4,
    temps: [
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 0, 4, 0],
      [0, 2, 0, 8],
    ],
    rows: [
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 1, 0, 0],
      [0, 0, 0, 0, 1, -1, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 0, 0, 1, -1],
      [0, 0, 0, 1, 0, 0, 0, 0],
    ],
  },
  /** B = (Bᵀ)ᵀ, for the adjoint (input gradient): inputs m0..m5; temps m1 + m2, m3 + m4, m1 − m2, m3 − m4. */
  b4: {
    inputs: 6,
    temps: [
      [0, 1, 1, 0, 0, 0],
      [0, 0, 0, 1, 1, 0],
      [0, 1, -1, 0, 0, 0],
      [0, 0, 0, 1, -1, 0],
    ],
    rows: [
      [4, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 4, 0, 0, -4, -2],
      [-5, 0, 0, 0, 0, 0, -4, -1, 0, 0],
      [0, 0, 0, 0, 0, -5, 0, 0, 1, 2],
      [1, 0, 0, 0, 0, 0, 1, 1, 0, 0],
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    ],
  },
} satisfies Record<string, LinearProgram>;

/** Expands a program to its matrix (rows over the inputs only): for tests. */
export function programMatrix(program: LinearProgram): number[][] {
  const values: number[][] = Array.from({ length: program.inputs }, (_, i) =>
    Array.from({ length: program.inputs }, (_, j) => (i === j ? 1 : 0)),
  );
  for (const temp of program.temps) {
    values.push(
      Array.from({ length: program.inputs }, (_, j) =>
        temp.reduce((sum, coef, k) => sum + coef * ((values[k] as number[])[j] as number), 0),
      ),
    );
  }
  return program.rows.map((row) =>
    Array.from({ length: program.inputs }, (_, j) =>
      row.reduce((sum, coef, k) => sum + coef * ((values[k] as number[])[j] as number), 0),
    ),
  );
}

/** Computes the program's temps from `inputs` into `temps` (v128 locals). */
function computeTemps(
  c: Code,
  program: LinearProgram,
  inputs: number[],
  temps: number[],
  consts: Map<number, number>,
): number[] {
  const all = [...inputs];
  program.temps.forEach((row, k) => {
    combination(c, row, all, consts);
    c.set(temps[k] as number);
    all.push(temps[k] as number);
  });
  return all;
}

/**
 * Pushes Σ_k row[k]·v[k] (v128 locals) on the stack: the first positive term, then the others added or
 * subtracted, multiplied by a splatted constant (locals in `consts`) where |row[k]| ≠ 1.
 */
function combination(c: Code, row: number[], v: number[], consts: Map<number, number>): void {
  const terms = row.map((coef, k) => ({ coef, k })).filter((t) => t.coef !== 0);
  const first = terms.findIndex((t) => t.coef > 0);
  // No positive term: start from zero and subtract them all.
  if (first < 0) c.f32(0).f32x4Splat();
  const ordered =
    first < 0 ? terms : [terms[first] as { coef: number; k: number }, ...terms.filter((_, i) => i !== first)];
  ordered.forEach(({ coef, k }, i) => {
    c.get(v[k] as number);
    const size = Math.abs(coef);
    if (size !== 1) c.get(consts.get(size) as number).f32x4Mul();
    if (i > 0 || first < 0) {
      if (coef > 0) c.f32x4Add();
      else c.f32x4Sub();
    }
  });
}

/** Splatted constants for every |coefficient| ≠ 1 of the matrices, as v128 locals. */
function constants(c: Code, matrices: number[][][]): Map<number, number> {
  const consts = new Map<number, number>();
  for (const row of matrices.flat()) {
    for (const coef of row) {
      const size = Math.abs(coef);
      if (size !== 0 && size !== 1 && !consts.has(size)) {
        const local = c.local(V128);
        c.f32(size).f32x4Splat().set(local);
        consts.set(size, local);
      }
    }
  }
  return consts;
}

/**
 * {name}(src, rowBytes, imageBytes, channels, batch, tilesY, tilesX, table): a Winograd tile transform
 * T·d·Tᵀ (T: `matrix`, a×p) of every p×p patch d at rows step·ty.., columns step·tx.. of each NHWC image (the
 * caller pads so that every patch lies inside), channels a multiple of 4. Element (ξ, ν) of tile t goes to matrix
 * a·ξ + ν, row t, whose base address is table[a·ξ + ν] (int32). With T = Bᵀ, p = m + 2 and step m this is the
 * input transform of F(m×m, 3×3); with T = A (the transposed output matrix), p = step = 4 it transforms 4×4
 * tiles of a gradient for the filter gradient, F(3×3, 4×4).
 */
export function tileTransform(name: string, program: LinearProgram, step: number): FunctionSpec {
  const a = program.rows.length;
  const patch = program.inputs;
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    body: (c) => {
      const [src, rowBytes, imageBytes, channels, batch, tilesY, tilesX, table] = [0, 1, 2, 3, 4, 5, 6, 7];
      const n = c.local(I32);
      const ty = c.local(I32);
      const tx = c.local(I32);
      const ch = c.local(I32);
      const pixel = c.local(I32);
      const base = c.local(I32);
      const off = c.local(I32);
      const tile = c.local(I32);
      const d = Array.from({ length: patch }, () => c.local(V128));
      const t = Array.from({ length: a * patch }, () => c.local(V128));
      const consts = constants(c, [program.temps, program.rows]);
      const temps = Array.from({ length: program.temps.length }, () => c.local(V128));
      c.get(channels).i32(2).i32Shl().set(pixel);
      c.i32(0).set(tile);
      forLoop(
        c,
        n,
        (c) => c.i32(0),
        (c) => c.get(batch),
        1,
        () => {
          forLoop(
            c,
            ty,
            (c) => c.i32(0),
            (c) => c.get(tilesY),
            1,
            () => {
              forLoop(
                c,
                tx,
                (c) => c.i32(0),
                (c) => c.get(tilesX),
                1,
                () => {
                  forLoop(
                    c,
                    ch,
                    (c) => c.i32(0),
                    (c) => c.get(channels),
                    4,
                    () => {
                      // base: patch corner (row step·ty, column step·tx) of image n, channel group ch
                      c.get(src).get(n).get(imageBytes).i32Mul().i32Add();
                      c.get(ty).i32(step).i32Mul().get(rowBytes).i32Mul().i32Add();
                      c.get(tx).i32(step).i32Mul().get(pixel).i32Mul().i32Add();
                      c.get(ch).i32(2).i32Shl().i32Add().set(base);
                      // T·d down each column j: t[ξ][j]
                      for (let j = 0; j < patch; j++) {
                        for (let i = 0; i < patch; i++) {
                          c.get(base);
                          if (i > 0) c.get(rowBytes).i32(i).i32Mul().i32Add();
                          if (j > 0) c.get(pixel).i32(j).i32Mul().i32Add();
                          c.v128Load().set(d[i] as number);
                        }
                        const all = computeTemps(c, program, d, temps, consts);
                        program.rows.forEach((row, xi) => {
                          combination(c, row, all, consts);
                          c.set(t[xi * patch + j] as number);
                        });
                      }
                      // (T·d)·Tᵀ along each row ξ, stored to the a² matrices
                      c.get(tile).get(channels).i32Mul().get(ch).i32Add().i32(2).i32Shl().set(off);
                      for (let xi = 0; xi < a; xi++) {
                        const all = computeTemps(
                          c,
                          program,
                          t.slice(xi * patch, (xi + 1) * patch),
                          temps,
                          consts,
                        );
                        program.rows.forEach((row, nu) => {
                          c.get(table)
                            .i32Load(4 * (xi * a + nu))
                            .get(off)
                            .i32Add();
                          combination(c, row, all, consts);
                          c.v128Store();
                        });
                      }
                    },
                  );
                  c.get(tile).i32(1).i32Add().set(tile);
                },
              );
            },
          );
        },
      );
    },
  };
}

/** The transpose of a matrix given as rows. */
export function transposed(matrix: number[][]): number[][] {
  return (matrix[0] as number[]).map((_, j) => matrix.map((row) => row[j] as number));
}

/**
 * gemmAtB(a, b, c, k, m, n): c[i, j] = Σ_r a[r, i]·b[r, j] for a [k, m] and b [k, n] row-major (m and n
 * multiples of 4), c [m, n] overwritten: the reduction over tiles of the Winograd filter gradient, whose k (the
 * tile count) is large and whose m×n is small, the shape XNNPACK handles worst. Register tiles of 4×8 (4×4 at
 * the right edge) over blocks of 128 values of r, so that both blocks stay in L1.
 */
export const gemmAtB: FunctionSpec = {
  name: 'gemmAtB',
  params: [I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [a, b, out, k, m, n] = [0, 1, 2, 3, 4, 5];
    const r0 = c.local(I32);
    const r1 = c.local(I32);
    const r = c.local(I32);
    const i = c.local(I32);
    const j = c.local(I32);
    const pa = c.local(I32);
    const pb = c.local(I32);
    const pc = c.local(I32);
    const strideA = c.local(I32);
    const strideB = c.local(I32);
    const strideC = c.local(I32);
    const width = c.local(I32);
    const va = c.local(V128);
    const b0 = c.local(V128);
    const b1 = c.local(V128);
    const sp = c.local(V128);
    const acc = Array.from({ length: 8 }, () => c.local(V128));
    c.get(m).i32(2).i32Shl().set(strideA);
    c.get(n).i32(2).i32Shl().set(strideB);
    c.get(n).i32(2).i32Shl().set(strideC);
    // c = 0 first (the r-blocks accumulate into it).
    c.get(out).i32(0).get(m).get(n).i32Mul().i32(2).i32Shl().memoryFill();
    forLoop(
      c,
      r0,
      (c) => c.i32(0),
      (c) => c.get(k),
      0,
      () => {
        // r1 = min(k, r0 + 128)
        c.get(r0).i32(128).i32Add().tee(r1).get(k).get(r1).get(k).i32LtS().select().set(r1);
        forLoop(
          c,
          i,
          (c) => c.i32(0),
          (c) => c.get(m),
          4,
          () => {
            forLoop(
              c,
              j,
              (c) => c.i32(0),
              (c) => c.get(n),
              0,
              () => {
                // width = 8, or 4 at the right edge
                c.i32(8).i32(4).get(n).get(j).i32Sub().i32(8).i32GeS().select().set(width);
                const wide = (w: 4 | 8) => {
                  const lanes = w / 4;
                  // load the c tile
                  c.get(out).get(i).get(strideC).i32Mul().i32Add().get(j).i32(2).i32Shl().i32Add().set(pc);
                  for (let l = 0; l < 4; l++) {
                    for (let h = 0; h < lanes; h++) {
                      c.get(pc);
                      if (l > 0) c.get(strideC).i32(l).i32Mul().i32Add();
                      c.v128Load(16 * h).set(acc[l * 2 + h] as number);
                    }
                  }
                  c.get(a).get(r0).get(strideA).i32Mul().i32Add().get(i).i32(2).i32Shl().i32Add().set(pa);
                  c.get(b).get(r0).get(strideB).i32Mul().i32Add().get(j).i32(2).i32Shl().i32Add().set(pb);
                  forLoop(
                    c,
                    r,
                    (c) => c.get(r0),
                    (c) => c.get(r1),
                    1,
                    () => {
                      c.get(pa).v128Load().set(va);
                      c.get(pb).v128Load().set(b0);
                      if (lanes === 2) c.get(pb).v128Load(16).set(b1);
                      for (let l = 0; l < 4; l++) {
                        c.get(va).get(va).shuffle32([l, l, l, l]).set(sp);
                        for (let h = 0; h < lanes; h++) {
                          const accumulator = acc[l * 2 + h] as number;
                          c.get(accumulator)
                            .get(sp)
                            .get(h === 0 ? b0 : b1)
                            .f32x4Mul()
                            .f32x4Add()
                            .set(accumulator);
                        }
                      }
                      c.get(pa).get(strideA).i32Add().set(pa);
                      c.get(pb).get(strideB).i32Add().set(pb);
                    },
                  );
                  for (let l = 0; l < 4; l++) {
                    for (let h = 0; h < lanes; h++) {
                      c.get(pc);
                      if (l > 0) c.get(strideC).i32(l).i32Mul().i32Add();
                      c.get(acc[l * 2 + h] as number).v128Store(16 * h);
                    }
                  }
                };
                c.get(width).i32(8).i32Eq().if();
                wide(8);
                c.else();
                wide(4);
                c.end();
                c.get(j).get(width).i32Add().set(j);
              },
            );
          },
        );
        c.get(r1).set(r0);
      },
    );
  },
};

/**
 * winogradOutput{m}(table, out, batch, tilesY, tilesX, channels, bias, lower, outHeight, outWidth): the output
 * transform of Winograd F(m×m, 3×3), Y = Aᵀ·M·A for the (m+2)×(m+2) products M of each tile (element (ξ, ν) in
 * matrix table[(m+2)ξ + ν], row t; tiles in the order image, tile row, tile column), plus bias[channel], then
 * max(·, lower) (0 for a fused ReLU, −∞ for none), written as the tile's m×m output pixels of the NHWC output
 * [batch, outHeight, outWidth, channels]; pixels of edge tiles beyond the output are dropped.
 */
export function winogradOutput(m: 2 | 4): FunctionSpec {
  const program = m === 4 ? WINOGRAD_PROGRAMS.at4 : plainProgram(WINOGRAD_MATRICES[2].at);
  const a = m + 2;
  return {
    name: `winogradOutput${m}`,
    params: [I32, I32, I32, I32, I32, I32, I32, F32, I32, I32],
    body: (c) => {
      const [table, out, batch, tilesY, tilesX, channels, bias, lower, outHeight, outWidth] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ];
      const n = c.local(I32);
      const ty = c.local(I32);
      const tx = c.local(I32);
      const tile = c.local(I32);
      const ch = c.local(I32);
      const pixel = c.local(I32);
      const rowBytes = c.local(I32);
      const base = c.local(I32);
      const off = c.local(I32);
      const rows = c.local(I32);
      const cols = c.local(I32);
      const low = c.local(V128);
      const bvec = c.local(V128);
      const col = Array.from({ length: a }, () => c.local(V128));
      const s = Array.from({ length: m * a }, () => c.local(V128));
      const consts = constants(c, [program.temps, program.rows]);
      const temps = Array.from({ length: program.temps.length }, () => c.local(V128));
      c.get(channels).i32(2).i32Shl().set(pixel);
      c.get(outWidth).get(pixel).i32Mul().set(rowBytes);
      c.get(lower).f32x4Splat().set(low);
      c.i32(0).set(tile);
      forLoop(
        c,
        n,
        (c) => c.i32(0),
        (c) => c.get(batch),
        1,
        () => {
          forLoop(
            c,
            ty,
            (c) => c.i32(0),
            (c) => c.get(tilesY),
            1,
            () => {
              forLoop(
                c,
                tx,
                (c) => c.i32(0),
                (c) => c.get(tilesX),
                1,
                () => {
                  // rows/cols: how many of the tile's m×m pixels lie inside the output
                  c.get(outHeight)
                    .get(ty)
                    .i32(m)
                    .i32Mul()
                    .i32Sub()
                    .tee(rows)
                    .i32(m)
                    .get(rows)
                    .i32(m)
                    .i32LtS()
                    .select();
                  c.set(rows);
                  c.get(outWidth)
                    .get(tx)
                    .i32(m)
                    .i32Mul()
                    .i32Sub()
                    .tee(cols)
                    .i32(m)
                    .get(cols)
                    .i32(m)
                    .i32LtS()
                    .select();
                  c.set(cols);
                  // base: output pixel (m·ty, m·tx) of image n
                  c.get(out)
                    .get(n)
                    .get(outHeight)
                    .i32Mul()
                    .get(ty)
                    .i32(m)
                    .i32Mul()
                    .i32Add()
                    .get(rowBytes)
                    .i32Mul();
                  c.i32Add().get(tx).i32(m).i32Mul().get(pixel).i32Mul().i32Add().set(base);
                  forLoop(
                    c,
                    ch,
                    (c) => c.i32(0),
                    (c) => c.get(channels),
                    4,
                    () => {
                      c.get(tile).get(channels).i32Mul().get(ch).i32Add().i32(2).i32Shl().set(off);
                      // Aᵀ·M down each column j: s[i][j]
                      for (let j = 0; j < a; j++) {
                        for (let i = 0; i < a; i++) {
                          c.get(table)
                            .i32Load(4 * (i * a + j))
                            .get(off)
                            .i32Add()
                            .v128Load()
                            .set(col[i] as number);
                        }
                        const all = computeTemps(c, program, col, temps, consts);
                        program.rows.forEach((row, i) => {
                          combination(c, row, all, consts);
                          c.set(s[i * a + j] as number);
                        });
                      }
                      c.get(bias).get(ch).i32(2).i32Shl().i32Add().v128Load().set(bvec);
                      for (let i = 0; i < m; i++) {
                        const all = computeTemps(c, program, s.slice(i * a, (i + 1) * a), temps, consts);
                        program.rows.forEach((row, j) => {
                          c.get(rows).i32(i).i32GtS().get(cols).i32(j).i32GtS().i32And().if();
                          c.get(base);
                          if (i > 0) c.get(rowBytes).i32(i).i32Mul().i32Add();
                          if (j > 0) c.get(pixel).i32(j).i32Mul().i32Add();
                          c.get(ch).i32(2).i32Shl().i32Add();
                          combination(c, row, all, consts);
                          c.get(bvec).f32x4Add().get(low).f32x4Max().v128Store();
                          c.end();
                        });
                      }
                    },
                  );
                  c.get(tile).i32(1).i32Add().set(tile);
                },
              );
            },
          );
        },
      );
    },
  };
}

/**
 * combineRows(src, dst, length, rowsIn, rowsOut, coefficients): dst[o, p] = Σ_i coefficients[o·rowsIn + i]·
 * src[i, p] for rows of `length` floats (a multiple of 4): the Winograd filter transform (36 or 16 combinations of
 * the 9 taps of every filter) and the output transform of the Winograd filter gradient (9 combinations of 36).
 */
export const combineRows: FunctionSpec = {
  name: 'combineRows',
  params: [I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [src, dst, length, rowsIn, rowsOut, coefficients] = [0, 1, 2, 3, 4, 5];
    const o = c.local(I32);
    const p = c.local(I32);
    const i = c.local(I32);
    const rowBytes = c.local(I32);
    const from = c.local(I32);
    const coef = c.local(I32);
    const acc = c.local(V128);
    c.get(length).i32(2).i32Shl().set(rowBytes);
    forLoop(
      c,
      o,
      (c) => c.i32(0),
      (c) => c.get(rowsOut),
      1,
      () => {
        forLoop(
          c,
          p,
          (c) => c.i32(0),
          (c) => c.get(rowBytes),
          16,
          () => {
            c.f32(0).f32x4Splat().set(acc);
            c.get(src).get(p).i32Add().set(from);
            c.get(coefficients).get(o).get(rowsIn).i32Mul().i32(2).i32Shl().i32Add().set(coef);
            forLoop(
              c,
              i,
              (c) => c.i32(0),
              (c) => c.get(rowsIn),
              1,
              () => {
                c.get(acc)
                  .get(coef)
                  .f32Load()
                  .f32x4Splat()
                  .get(from)
                  .v128Load()
                  .f32x4Mul()
                  .f32x4Add()
                  .set(acc);
                c.get(from).get(rowBytes).i32Add().set(from);
                c.get(coef).i32(4).i32Add().set(coef);
              },
            );
            c.get(dst).get(o).get(rowBytes).i32Mul().i32Add().get(p).i32Add().get(acc).v128Store();
          },
        );
      },
    );
  },
};

/**
 * winogradScatter4(table, out, batch, tilesY, tilesX, channels, rowBytes, imageBytes): the adjoint of F(4×4, 3×3)'s
 * input transform, for the input gradient: for each 4×4 tile of the output gradient, B·M·Bᵀ of its 6×6 products M
 * (element (ξ, ν) in matrix table[6ξ + ν], row t) is added into the 6×6 patch at rows 4·ty.., columns 4·tx.. of
 * `out` (NHWC, zeroed by the caller; neighbouring patches overlap by two rows and columns).
 */
export const winogradScatter4: FunctionSpec = {
  name: 'winogradScatter4',
  params: [I32, I32, I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const program = WINOGRAD_PROGRAMS.b4;
    const a = 6;
    const [table, out, batch, tilesY, tilesX, channels, rowBytes, imageBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
    const n = c.local(I32);
    const ty = c.local(I32);
    const tx = c.local(I32);
    const tile = c.local(I32);
    const ch = c.local(I32);
    const pixel = c.local(I32);
    const base = c.local(I32);
    const off = c.local(I32);
    const at = c.local(I32);
    const col = Array.from({ length: a }, () => c.local(V128));
    const t = Array.from({ length: a * a }, () => c.local(V128));
    const consts = constants(c, [program.temps, program.rows]);
    const temps = Array.from({ length: program.temps.length }, () => c.local(V128));
    c.get(channels).i32(2).i32Shl().set(pixel);
    c.i32(0).set(tile);
    forLoop(
      c,
      n,
      (c) => c.i32(0),
      (c) => c.get(batch),
      1,
      () => {
        forLoop(
          c,
          ty,
          (c) => c.i32(0),
          (c) => c.get(tilesY),
          1,
          () => {
            forLoop(
              c,
              tx,
              (c) => c.i32(0),
              (c) => c.get(tilesX),
              1,
              () => {
                c.get(out).get(n).get(imageBytes).i32Mul().i32Add();
                c.get(ty).i32(4).i32Mul().get(rowBytes).i32Mul().i32Add();
                c.get(tx).i32(4).i32Mul().get(pixel).i32Mul().i32Add().set(base);
                forLoop(
                  c,
                  ch,
                  (c) => c.i32(0),
                  (c) => c.get(channels),
                  4,
                  () => {
                    c.get(tile).get(channels).i32Mul().get(ch).i32Add().i32(2).i32Shl().set(off);
                    // B·M down each column j
                    for (let j = 0; j < a; j++) {
                      for (let i = 0; i < a; i++) {
                        c.get(table)
                          .i32Load(4 * (i * a + j))
                          .get(off)
                          .i32Add()
                          .v128Load()
                          .set(col[i] as number);
                      }
                      const all = computeTemps(c, program, col, temps, consts);
                      program.rows.forEach((row, xi) => {
                        combination(c, row, all, consts);
                        c.set(t[xi * a + j] as number);
                      });
                    }
                    // (B·M)·Bᵀ along each row ξ, added into the output patch
                    for (let xi = 0; xi < a; xi++) {
                      const all = computeTemps(c, program, t.slice(xi * a, (xi + 1) * a), temps, consts);
                      program.rows.forEach((row, nu) => {
                        c.get(base);
                        if (xi > 0) c.get(rowBytes).i32(xi).i32Mul().i32Add();
                        if (nu > 0) c.get(pixel).i32(nu).i32Mul().i32Add();
                        c.get(ch).i32(2).i32Shl().i32Add().tee(at);
                        c.get(at).v128Load();
                        combination(c, row, all, consts);
                        c.f32x4Add().v128Store();
                      });
                    }
                  },
                );
                c.get(tile).i32(1).i32Add().set(tile);
              },
            );
          },
        );
      },
    );
  },
};

/** All kernels of the module, in export order. */

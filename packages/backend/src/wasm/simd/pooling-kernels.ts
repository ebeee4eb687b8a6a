import type { FunctionSpec } from './assembler.js';
import { I32, V128 } from './assembler.js';
import { forLoop } from './loops.js';

// The gradient of 2×2, stride-2 max pooling.

/**
 * maxPoolGrad2x2(x, dy, dx, batch, inHeight, inWidth, outHeight, outWidth, channels): the gradient of a 2×2,
 * stride-2, unpadded max pooling, channels a multiple of 4. Each window's dy goes to its first largest input
 * (row-major, as on the cpu backend: a running maximum that only a strictly larger value replaces, so NaN and
 * −∞ windows receive nothing); the window's other inputs get 0. Rows and columns outside every window are not
 * written (the caller zeroes dx).
 */
export const maxPoolGrad2x2: FunctionSpec = {
  name: 'maxPoolGrad2x2',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
  body: (c) => {
    const [x, dy, dx, batch, inHeight, inWidth, outHeight, outWidth, channels] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const n = c.local(I32);
    const oh = c.local(I32);
    const ow = c.local(I32);
    const ch = c.local(I32);
    const pixel = c.local(I32); // bytes per input pixel
    const row = c.local(I32); // bytes per input row
    const corner = c.local(I32); // byte offset of the window's top-left input, channel group ch
    const dyAt = c.local(I32);
    const taps = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
    const sel = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
    const best = c.local(V128);
    const g = c.local(V128);
    const later = c.local(V128);
    const offsets = (k: number) => {
      // tap k: (k >> 1) rows down, (k & 1) pixels right
      c.get(corner);
      if (k & 2) c.get(row).i32Add();
      if (k & 1) c.get(pixel).i32Add();
    };
    c.get(channels).i32(2).i32Shl().set(pixel);
    c.get(inWidth).get(pixel).i32Mul().set(row);
    c.get(dy).set(dyAt);
    forLoop(
      c,
      n,
      (c) => c.i32(0),
      (c) => c.get(batch),
      1,
      () => {
        forLoop(
          c,
          oh,
          (c) => c.i32(0),
          (c) => c.get(outHeight),
          1,
          () => {
            forLoop(
              c,
              ow,
              (c) => c.i32(0),
              (c) => c.get(outWidth),
              1,
              () => {
                forLoop(
                  c,
                  ch,
                  (c) => c.i32(0),
                  (c) => c.get(channels),
                  4,
                  () => {
                    // corner = ((n·inHeight + 2·oh)·inWidth + 2·ow)·pixel + 4·ch
                    c.get(n).get(inHeight).i32Mul().get(oh).i32(1).i32Shl().i32Add().get(row).i32Mul();
                    c.get(ow).i32(1).i32Shl().get(pixel).i32Mul().i32Add();
                    c.get(ch).i32(2).i32Shl().i32Add().set(corner);
                    c.f32(Number.NEGATIVE_INFINITY).f32x4Splat().set(best);
                    for (let k = 0; k < 4; k++) {
                      offsets(k);
                      c.get(x)
                        .i32Add()
                        .v128Load()
                        .tee(taps[k] as number)
                        .get(best)
                        .f32x4Gt()
                        .set(sel[k] as number);
                      c.get(taps[k] as number)
                        .get(best)
                        .get(sel[k] as number)
                        .v128Bitselect()
                        .set(best);
                    }
                    c.get(dyAt).v128Load().set(g);
                    // The winner is the last tap that raised the running maximum.
                    c.get(sel[3] as number).set(later);
                    for (let k = 3; k >= 0; k--) {
                      offsets(k);
                      c.get(dx).i32Add();
                      c.get(g)
                        .get(sel[k] as number)
                        .v128And();
                      if (k < 3) c.get(later).v128AndNot();
                      c.v128Store();
                      if (k < 3 && k > 0)
                        c.get(later)
                          .get(sel[k] as number)
                          .v128Or()
                          .set(later);
                    }
                    c.get(dyAt).i32(16).i32Add().set(dyAt);
                  },
                );
              },
            );
          },
        );
      },
    );
  },
};

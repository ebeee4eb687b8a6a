import { describe, expect, it } from 'vitest';
import { forwardFlops } from '../src/bench/flops.js';
import { buildModel } from '../src/integrations/models.js';
import '@tensorflow/tfjs-backend-cpu';

describe('forward FLOPs', () => {
  it('counts the forward FLOPs of P4CNN and Z2CNN from the paper shapes', () => {
    /** 2 x multiply-adds of a k x k conv with `cIn` input and `cOut` output planes at `out` x `out`. */
    const conv = (out: number, k: number, cIn: number, cOut: number) => 2 * out * out * k * k * cIn * cOut;
    // six layers: 26 and 24 before the 2x2 pool, then 10, 8, 6, 4, and a 4x4 conv to the output planes
    const net = (planes: number, last: number) =>
      conv(26, 3, 1, planes) +
      conv(24, 3, planes, planes) +
      [10, 8, 6, 4].reduce((s, out) => s + conv(out, 3, planes, planes), 0) +
      conv(1, 4, planes, last);
    for (const [name, flops] of [
      ['p4cnn', net(40, 40)],
      ['z2cnn', net(20, 10)],
    ] as const) {
      const model = buildModel(name, 0);
      expect(forwardFlops(model), name).toBe(flops);
      model.dispose();
    }
  });
});

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  equivarianceError,
  GConv2D,
  GroupBatchNormalization,
  GroupMaxPool,
  type GroupPadding,
  type LayerGroup,
  type OutputGroup,
  planes,
} from '../src/index.js';
import { EQUIVARIANCE_TOLERANCE } from './helpers.js';

const CASES: [LayerGroup, OutputGroup][] = [
  ['Z2', 'p4'],
  ['p4', 'p4'],
  ['Z2', 'p4m'],
  ['p4m', 'p4m'],
];

interface Geometry {
  size: number;
  kernelSize: number;
  padding: GroupPadding;
  strides: number;
}

// Every geometry satisfies the exactness rule: (size + 2p − k) divisible by the stride.
const GEOMETRIES: Geometry[] = [
  { size: 9, kernelSize: 3, padding: 'valid', strides: 1 },
  { size: 8, kernelSize: 3, padding: 1, strides: 1 },
  { size: 9, kernelSize: 3, padding: 1, strides: 2 },
  { size: 9, kernelSize: 3, padding: 'valid', strides: 2 },
  { size: 9, kernelSize: 5, padding: 2, strides: 2 },
  { size: 7, kernelSize: 1, padding: 'valid', strides: 1 },
  { size: 7, kernelSize: 3, padding: 'same', strides: 1 },
];
const EVEN_KERNEL_GEOMETRIES: Geometry[] = [
  { size: 8, kernelSize: 4, padding: 'valid', strides: 1 },
  { size: 7, kernelSize: 4, padding: 'valid', strides: 1 },
  { size: 8, kernelSize: 4, padding: 1, strides: 2 },
  { size: 4, kernelSize: 4, padding: 'valid', strides: 1 },
];

function describeGeometry(g: Geometry): string {
  return `${g.size}×${g.size}, k=${g.kernelSize}, padding ${JSON.stringify(g.padding)}, stride ${g.strides}`;
}

function gconv(inGroup: LayerGroup, outGroup: OutputGroup, g: Geometry, filters = 3): GConv2D {
  return new GConv2D({
    inGroup,
    outGroup,
    filters,
    kernelSize: g.kernelSize,
    padding: g.padding,
    strides: g.strides,
    biasInitializer: 'randomNormal',
  });
}

describe('GConv2D is exactly equivariant', () => {
  for (const [inGroup, outGroup] of CASES) {
    const geometries = outGroup === 'p4' ? [...GEOMETRIES, ...EVEN_KERNEL_GEOMETRIES] : GEOMETRIES;
    for (const g of geometries) {
      it(`${inGroup}->${outGroup}, ${describeGeometry(g)}`, () => {
        const layer = gconv(inGroup, outGroup, g);
        const report = equivarianceError((x) => layer.apply(x) as tf.Tensor, {
          inGroup,
          outGroup,
          inputShape: [2, g.size, g.size, planes(2, inGroup)],
        });
        expect(report.perElement).toHaveLength(outGroup === 'p4' ? 4 : 8);
        expect(report.scale).toBeGreaterThan(0.1);
        expect(report.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
        layer.dispose();
      });
    }
  }

  it('is not equivariant when (size + 2p − k) is odd with stride 2 (the rule is needed)', () => {
    const layer = gconv('Z2', 'p4', { size: 8, kernelSize: 3, padding: 1, strides: 2 });
    const report = equivarianceError((x) => layer.apply(x) as tf.Tensor, {
      inGroup: 'Z2',
      outGroup: 'p4',
      inputShape: [2, 8, 8, 2],
    });
    expect(report.maxRelativeError).toBeGreaterThan(1e-2);
    // The identity always commutes; the quarter turn does not.
    expect(report.perElement[0]?.absError).toBe(0);
    expect(report.perElement[1]?.relativeError).toBeGreaterThan(1e-2);
    layer.dispose();
  });
});

describe('GroupMaxPool, GroupBatchNormalization and spatial max pooling are exactly equivariant', () => {
  for (const group of ['p4', 'p4m'] as const) {
    const inputShape: [number, number, number, number] = [3, 6, 6, planes(3, group)];

    it(`${group}: GroupMaxPool maps a ${group} map to a Z2 map equivariantly`, () => {
      const pool = new GroupMaxPool({ group });
      const report = equivarianceError((x) => pool.apply(x) as tf.Tensor, {
        inGroup: group,
        outGroup: 'Z2',
        inputShape,
      });
      expect(report.maxAbsError).toBe(0); // a max picks values, it does not round
    });

    for (const training of [true, false]) {
      it(`${group}: GroupBatchNormalization (${training ? 'batch statistics' : 'moving statistics'})`, () => {
        const bn = new GroupBatchNormalization({
          group,
          gammaInitializer: 'randomNormal',
          betaInitializer: 'randomNormal',
          movingMeanInitializer: 'randomNormal',
          movingVarianceInitializer: 'ones',
        });
        const report = equivarianceError((x) => bn.apply(x, { training }) as tf.Tensor, {
          inGroup: group,
          outGroup: group,
          inputShape,
        });
        expect(report.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
        bn.dispose();
      });
    }

    it(`${group}: tf.layers.maxPooling2d on the C·n planes (2×2, stride 2, even size)`, () => {
      const pool = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 });
      const report = equivarianceError((x) => pool.apply(x) as tf.Tensor, {
        inGroup: group,
        outGroup: group,
        inputShape,
      });
      expect(report.maxAbsError).toBe(0);
    });
  }
});

describe('stacks of layers', () => {
  function p4Stack(): tfl.Sequential {
    return tfl.sequential({
      layers: [
        new GConv2D({ inputShape: [12, 12, 1], inGroup: 'Z2', outGroup: 'p4', filters: 4, kernelSize: 3 }), // 10
        new GroupBatchNormalization({ group: 'p4' }),
        tfl.layers.reLU(),
        tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }), // 5
        new GConv2D({
          inGroup: 'p4',
          outGroup: 'p4',
          filters: 4,
          kernelSize: 3,
          padding: 1,
          activation: 'relu',
        }), // 5
        new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 3, kernelSize: 4 }), // 2, even kernel as in P4CNN's top
        new GroupMaxPool({ group: 'p4' }),
      ],
    });
  }

  function p4mStack(): tfl.Sequential {
    return tfl.sequential({
      layers: [
        new GConv2D({ inputShape: [12, 12, 3], inGroup: 'Z2', outGroup: 'p4m', filters: 2, kernelSize: 3 }), // 10
        new GroupBatchNormalization({ group: 'p4m' }),
        tfl.layers.reLU(),
        tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }), // 5
        new GConv2D({ inGroup: 'p4m', outGroup: 'p4m', filters: 3, kernelSize: 3, padding: 1, strides: 2 }), // 3
        new GroupBatchNormalization({ group: 'p4m' }),
        tfl.layers.reLU(),
        new GConv2D({ inGroup: 'p4m', outGroup: 'p4m', filters: 2, kernelSize: 3, padding: 1 }), // 3
        new GroupMaxPool({ group: 'p4m' }),
      ],
    });
  }

  it('p4: lifting conv, BN, ReLU, spatial pool, G-convs (k3 padded, k4) and coset pooling', () => {
    const model = p4Stack();
    for (const training of [true, false]) {
      const fn = (x: tf.Tensor4D) => model.apply(x, { training }) as tf.Tensor;
      const report = equivarianceError(fn, {
        inGroup: 'Z2',
        outGroup: 'Z2',
        group: 'p4',
        inputShape: [2, 12, 12, 1],
      });
      expect(report.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
    }
    model.dispose();
  });

  it('p4m: the same with a stride-2 G-conv, invariant after global average pooling', () => {
    const model = p4mStack();
    const fn = (x: tf.Tensor4D) => model.apply(x) as tf.Tensor;
    const equivariant = equivarianceError(fn, {
      inGroup: 'Z2',
      outGroup: 'Z2',
      group: 'p4m',
      inputShape: [2, 12, 12, 3],
    });
    expect(equivariant.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
    const pooled = (x: tf.Tensor4D) => tf.mean(model.apply(x) as tf.Tensor, [1, 2]);
    const invariant = equivarianceError(pooled, {
      inGroup: 'Z2',
      outGroup: 'invariant',
      group: 'p4m',
      inputShape: [2, 12, 12, 3],
    });
    expect(invariant.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
    model.dispose();
  });
});

describe('rotation invariance of a lifting conv followed by GroupMaxPool', () => {
  for (const group of ['p4', 'p4m'] as const) {
    it(`${group}: a 5×5 input and a 5×5 filter give a 1×1 output that no ${group === 'p4' ? 'rotation' : 'rotation or flip'} changes`, () => {
      const conv = new GConv2D({ inGroup: 'Z2', outGroup: group, filters: 6, kernelSize: 5 });
      const pool = new GroupMaxPool({ group });
      const fn = (x: tf.Tensor4D) => pool.apply(conv.apply(x)) as tf.Tensor;
      const report = equivarianceError(fn, {
        inGroup: 'Z2',
        outGroup: 'invariant',
        group,
        inputShape: [4, 5, 5, 2],
      });
      expect(report.perElement).toHaveLength(group === 'p4' ? 4 : 8);
      expect(report.maxRelativeError).toBeLessThan(EQUIVARIANCE_TOLERANCE);
      // Without the coset pooling the output is not invariant (it permutes the planes).
      const unpooled = equivarianceError((x) => conv.apply(x) as tf.Tensor, {
        inGroup: 'Z2',
        outGroup: 'invariant',
        group,
        inputShape: [4, 5, 5, 2],
      });
      expect(unpooled.maxRelativeError).toBeGreaterThan(1e-2);
      conv.dispose();
    });
  }
});

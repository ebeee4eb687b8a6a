// Prints the measured equivariance errors (largest over the stabiliser, float32, cpu backend) of each layer for
// docs/layers.md. Run with `pnpm --filter @gcnn/layers equivariance`.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
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

await tf.setBackend('cpu');

interface Case {
  name: string;
  fn: (x: tf.Tensor4D) => tf.Tensor;
  inGroup: LayerGroup;
  outGroup: LayerGroup | 'invariant';
  group: OutputGroup;
  inputShape: [number, number, number, number];
}

function conv(
  inGroup: LayerGroup,
  outGroup: OutputGroup,
  size: number,
  kernelSize: number,
  padding: GroupPadding,
  strides: number,
): Case {
  const layer = new GConv2D({
    inGroup,
    outGroup,
    filters: 8,
    kernelSize,
    padding,
    strides,
    biasInitializer: 'randomNormal',
  });
  return {
    name: `GConv2D ${inGroup}->${outGroup}, ${size}×${size}, k${kernelSize}, pad ${padding}, stride ${strides}`,
    fn: (x) => layer.apply(x) as tf.Tensor,
    inGroup,
    outGroup,
    group: outGroup,
    inputShape: [4, size, size, planes(inGroup === 'Z2' ? 3 : 8, inGroup)],
  };
}

const cases: Case[] = [
  conv('Z2', 'p4', 28, 3, 'valid', 1),
  conv('p4', 'p4', 26, 3, 'valid', 1),
  conv('p4', 'p4', 4, 4, 'valid', 1),
  conv('Z2', 'p4m', 32, 3, 1, 1),
  conv('p4m', 'p4m', 15, 3, 1, 2),
  conv('p4m', 'p4m', 8, 1, 'valid', 1),
  conv('p4', 'p4', 16, 3, 1, 2), // (16 + 2 − 3) = 15 is odd: not exact, shown for contrast
];
for (const group of ['p4', 'p4m'] as const) {
  const pool = new GroupMaxPool({ group });
  const bn = new GroupBatchNormalization({
    group,
    gammaInitializer: 'randomNormal',
    betaInitializer: 'randomNormal',
  });
  const inputShape: [number, number, number, number] = [4, 12, 12, planes(8, group)];
  cases.push(
    {
      name: `GroupMaxPool ${group}`,
      fn: (x) => pool.apply(x) as tf.Tensor,
      inGroup: group,
      outGroup: 'Z2',
      group,
      inputShape,
    },
    {
      name: `GroupBatchNormalization ${group} (training)`,
      fn: (x) => bn.apply(x, { training: true }) as tf.Tensor,
      inGroup: group,
      outGroup: group,
      group,
      inputShape,
    },
  );
}
const p4cnn = tfl.sequential({
  layers: [
    new GConv2D({ inputShape: [28, 28, 1], inGroup: 'Z2', outGroup: 'p4', filters: 10, kernelSize: 3 }),
    new GroupBatchNormalization({ group: 'p4' }),
    tfl.layers.reLU(),
    new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 10, kernelSize: 3 }),
    tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    ...[0, 1, 2, 3].map(
      () => new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 10, kernelSize: 3, activation: 'relu' }),
    ),
    new GConv2D({ inGroup: 'p4', outGroup: 'p4', filters: 10, kernelSize: 4 }),
    new GroupMaxPool({ group: 'p4' }),
    tfl.layers.flatten(),
  ],
});
cases.push({
  name: 'P4CNN-shaped stack 28×28 -> 10 logits (invariant)',
  fn: (x) => p4cnn.apply(x) as tf.Tensor,
  inGroup: 'Z2',
  outGroup: 'invariant',
  group: 'p4',
  inputShape: [4, 28, 28, 1],
});

console.log('| function | max abs error | max relative error | worst element |');
console.log('|---|---|---|---|');
for (const c of cases) {
  const report = equivarianceError(c.fn, c);
  const worst = report.perElement.reduce((a, b) => (b.relativeError > a.relativeError ? b : a));
  console.log(
    `| ${c.name} | ${report.maxAbsError.toExponential(1)} | ${report.maxRelativeError.toExponential(1)} | ${worst.element} |`,
  );
}

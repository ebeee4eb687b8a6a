import { groupMaxPool } from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, type ConvContext, conv, dropout, type Node, output, relu } from './blocks.js';
import { SeedSequence } from './initializers.js';
import type { ModelOptions } from './options.js';

// The rotated-MNIST networks of paper-spec §4.1: seven valid convolutions (3x3, the last 4x4), batch norm and
// ReLU after the first six, a 2x2 max pooling after layer 2, and the 1x1 map of the top layer as logits.

/** Options of the rotated-MNIST models. */
export interface MnistModelOptions extends ModelOptions {
  /** G-channels per hidden layer. Default: 20 (Z2CNN, P4CNNRotationPooling) or 10 (P4CNN, 20/√4). */
  channels?: number;
  /** Hidden 3x3 layers after the pooling (layers 3–6 in the paper). Default 4. */
  hiddenLayersAfterPool?: number;
}

const MNIST_INPUT: [number, number, number] = [28, 28, 1];

function start(options: MnistModelOptions) {
  const input = tfl.input({ shape: options.inputShape ?? MNIST_INPUT, name: 'input' });
  // Chainer's and GrouPy's default init for these models: N(0, 1/fanIn).
  const context: ConvContext = { seeds: new SeedSequence(options.seed), init: { kind: 'fanIn', wscale: 1 } };
  return {
    input,
    context,
    classes: options.classes ?? 10,
    layersAfterPool: options.hiddenLayersAfterPool ?? 4,
  };
}

function pool(x: Node): Node {
  // On a G-map this pools each of the C·n planes, which is the plane-group spatial max pooling of GrouPy.
  return tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2, strides: 2 }).apply(x) as Node;
}

function finish(input: tfl.SymbolicTensor, logits: Node, options: MnistModelOptions, name: string) {
  const flat = tfl.layers.flatten({ name: 'logits' }).apply(logits) as Node;
  return tfl.model({
    inputs: input,
    outputs: output(flat, options.outputActivation),
    name: options.name ?? name,
  });
}

/**
 * Z2CNN: the planar baseline. Seven convolutions with 20 channels, batch norm, ReLU, dropout 0.3 after layers 1
 * and 3–6, max pooling after layer 2, and a 4x4 top convolution to the class logits. 21,750 parameters.
 */
export function z2cnn(options: MnistModelOptions = {}): tfl.LayersModel {
  const { input, context, classes, layersAfterPool } = start(options);
  const c = options.channels ?? 20;
  const layer = (x: Node, i: number, inChannels: number, withDropout: boolean): Node => {
    let h = conv(
      x,
      { name: `l${i}/conv`, inGroup: 'Z2', outGroup: 'Z2', inChannels, filters: c, kernelSize: 3 },
      context,
    );
    h = relu(batchNorm(h, `l${i}/bn`, 'Z2'), `l${i}/relu`);
    return withDropout ? dropout(h, `l${i}/dropout`, 0.3) : h;
  };
  let x = layer(input, 1, (options.inputShape ?? MNIST_INPUT)[2], true);
  x = pool(layer(x, 2, c, false));
  for (let i = 3; i < 3 + layersAfterPool; i += 1) x = layer(x, i, c, true);
  const top = conv(
    x,
    { name: 'top/conv', inGroup: 'Z2', outGroup: 'Z2', inChannels: c, filters: classes, kernelSize: 4 },
    context,
  );
  return finish(input, top, options, 'Z2CNN');
}

/**
 * P4CNN: every layer a p4 convolution on p4 feature maps (10 G-channels = 40 planes), batch norm per G-channel,
 * no dropout (the paper found it better without), and max pooling over rotations after the 4x4 top layer.
 * Its logits are invariant to 90° rotations of the input. 24,680 parameters.
 */
export function p4cnn(options: MnistModelOptions = {}): tfl.LayersModel {
  const { input, context, classes, layersAfterPool } = start(options);
  const c = options.channels ?? 10;
  const layer = (x: Node, i: number): Node => {
    const lifting = i === 1;
    const h = conv(
      x,
      {
        name: `l${i}/gconv`,
        inGroup: lifting ? 'Z2' : 'p4',
        outGroup: 'p4',
        inChannels: lifting ? (options.inputShape ?? MNIST_INPUT)[2] : c,
        filters: c,
        kernelSize: 3,
      },
      context,
    );
    return relu(batchNorm(h, `l${i}/bn`, 'p4'), `l${i}/relu`);
  };
  let x = pool(layer(layer(input, 1), 2));
  for (let i = 3; i < 3 + layersAfterPool; i += 1) x = layer(x, i);
  const top = conv(
    x,
    { name: 'top/gconv', inGroup: 'p4', outGroup: 'p4', inChannels: c, filters: classes, kernelSize: 4 },
    context,
  );
  const pooled = groupMaxPool({ name: 'top/rotation-pool', group: 'p4' }).apply(top) as Node;
  return finish(input, pooled, options, 'P4CNN');
}

/**
 * P4CNNRotationPooling: every layer lifts a planar map to p4 and max-pools over rotations straight away, so all
 * feature maps are planar (20 channels) but rotation-invariant locally. 21,750 parameters, like Z2CNN.
 */
export function p4cnnRotationPooling(options: MnistModelOptions = {}): tfl.LayersModel {
  const { input, context, classes, layersAfterPool } = start(options);
  const c = options.channels ?? 20;
  const layer = (x: Node, i: number, inChannels: number): Node => {
    const h = conv(
      x,
      { name: `l${i}/gconv`, inGroup: 'Z2', outGroup: 'p4', inChannels, filters: c, kernelSize: 3 },
      context,
    );
    const a = relu(batchNorm(h, `l${i}/bn`, 'p4'), `l${i}/relu`);
    return groupMaxPool({ name: `l${i}/rotation-pool`, group: 'p4' }).apply(a) as Node;
  };
  let x = pool(layer(layer(input, 1, (options.inputShape ?? MNIST_INPUT)[2]), 2, c));
  for (let i = 3; i < 3 + layersAfterPool; i += 1) x = layer(x, i, c);
  const top = conv(
    x,
    { name: 'top/gconv', inGroup: 'Z2', outGroup: 'p4', inChannels: c, filters: classes, kernelSize: 4 },
    context,
  );
  const pooled = groupMaxPool({ name: 'top/rotation-pool', group: 'p4' }).apply(top) as Node;
  return finish(input, pooled, options, 'P4CNNRotationPooling');
}

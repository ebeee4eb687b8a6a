import type { LayerGroup } from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, type ConvContext, conv, type Node, output, relu } from './blocks.js';
import { fanInGaussian, SeedSequence } from './initializers.js';
import type { ModelOptions } from './options.js';

/** Options of the pre-activation ResNet builder. */
export interface ResNetOptions extends ModelOptions {
  /** 'Z2' (planar), 'p4' or 'p4m'. */
  group: LayerGroup;
  /** Residual blocks per stage (n; depth 6n + 2). */
  blocksPerStage: number;
  /** G-channels of the three stages (k1, k2, k3). */
  widths: [number, number, number];
}

const CIFAR_INPUT: [number, number, number] = [32, 32, 3];

interface Stage {
  readonly context: ConvContext;
  readonly group: LayerGroup;
}

/** One pre-activation block: x + conv2(relu(bn2(conv1(relu(bn1(x)))))), with a strided 1x1 shortcut when it downsamples. */
function block(
  x: Node,
  name: string,
  inChannels: number,
  filters: number,
  strides: number,
  stage: Stage,
): Node {
  const { context, group } = stage;
  const g = group === 'Z2' ? 'conv' : 'gconv';
  let h = relu(batchNorm(x, `${name}/bn1`, group), `${name}/relu1`);
  h = conv(
    h,
    {
      name: `${name}/${g}1`,
      inGroup: group,
      outGroup: group,
      inChannels,
      filters,
      kernelSize: 3,
      strides,
      padding: 1,
    },
    context,
  );
  h = relu(batchNorm(h, `${name}/bn2`, group), `${name}/relu2`);
  h = conv(
    h,
    {
      name: `${name}/${g}2`,
      inGroup: group,
      outGroup: group,
      inChannels: filters,
      filters,
      kernelSize: 3,
      padding: 1,
    },
    context,
  );
  const shortcut =
    strides === 1 && inChannels === filters
      ? x
      : conv(
          x,
          {
            name: `${name}/shortcut`,
            inGroup: group,
            outGroup: group,
            inChannels,
            filters,
            kernelSize: 1,
            strides,
          },
          context,
        );
  return tfl.layers.add({ name: `${name}/add` }).apply([shortcut, h]) as Node;
}

/**
 * The pre-activation ResNet of the paper's CIFAR-10 experiments (paper-spec §4.3): a 3x3 convolution, three
 * stages of `blocksPerStage` blocks (the first block of stages 2 and 3 halves the size with stride 2 and a 1x1
 * strided shortcut), then batch norm, ReLU, global average pooling over space and a fully connected layer. For
 * p4/p4m the pooled features keep their C·n planes, so (as in the paper) the classifier is not invariant.
 */
export function resnet(options: ResNetOptions): tfl.LayersModel {
  const { group, blocksPerStage, widths } = options;
  if (!Number.isInteger(blocksPerStage) || blocksPerStage < 1) {
    throw new RangeError(`resnet: blocksPerStage must be a positive integer, got ${blocksPerStage}`);
  }
  if (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => Number.isInteger(w) && w > 0)) {
    throw new RangeError(`resnet: widths must be three positive integers, got ${JSON.stringify(widths)}`);
  }
  const classes = options.classes ?? 10;
  const inputShape = options.inputShape ?? CIFAR_INPUT;
  // wscale √2: He-normal with respect to the fan-in C_in·n_in·k².
  const context: ConvContext = {
    seeds: new SeedSequence(options.seed),
    init: { kind: 'fanIn', wscale: Math.SQRT2 },
  };
  const stage: Stage = { context, group };
  const input = tfl.input({ shape: inputShape, name: 'input' });
  let x = conv(
    input,
    {
      name: group === 'Z2' ? 'conv0' : 'gconv0',
      inGroup: 'Z2',
      outGroup: group,
      inChannels: inputShape[2],
      filters: widths[0],
      kernelSize: 3,
      padding: 1,
    },
    context,
  );
  let channels = widths[0];
  widths.forEach((filters, s) => {
    for (let b = 0; b < blocksPerStage; b += 1) {
      const strides = s > 0 && b === 0 ? 2 : 1;
      x = block(x, `stage${s + 1}/block${b + 1}`, channels, filters, strides, stage);
      channels = filters;
    }
  });
  x = relu(batchNorm(x, 'head/bn', group), 'head/relu');
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'head/pool' }).apply(x) as Node;
  const features = pooled.shape[1] as number;
  const logits = tfl.layers
    .dense({
      name: 'head/fc',
      units: classes,
      kernelInitializer: fanInGaussian(features, Math.SQRT2, context.seeds.take()),
    })
    .apply(pooled) as Node;
  const depth = 6 * blocksPerStage + 2;
  return tfl.model({
    inputs: input,
    outputs: output(logits, options.outputActivation),
    name: options.name ?? `ResNet${depth}-${group}`,
  });
}

/** Options of the paper's ResNet presets. */
export interface ResNetPresetOptions extends ModelOptions {
  /** 'Z2' or 'p4m', as in the paper. */
  group: 'Z2' | 'p4m';
}

/** ResNet44 (n = 7) with the paper's widths: (32, 64, 128) for Z2 (2,639,434 parameters), (11, 23, 45) for p4m (2,622,878). */
export function resnet44(options: ResNetPresetOptions): tfl.LayersModel {
  const widths: [number, number, number] = options.group === 'Z2' ? [32, 64, 128] : [11, 23, 45];
  return resnet({ ...options, blocksPerStage: 7, widths });
}

/** ResNet26 (n = 4) with the authors' widths: (71, 142, 284) for Z2, (25, 50, 100) for p4m. */
export function resnet26(options: ResNetPresetOptions): tfl.LayersModel {
  const widths: [number, number, number] = options.group === 'Z2' ? [71, 142, 284] : [25, 50, 100];
  return resnet({ ...options, blocksPerStage: 4, widths });
}

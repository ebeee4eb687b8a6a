import type { LayerGroup } from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNorm, type ConvContext, conv, dropout, type Node, output, relu } from './blocks.js';
import { groupAveragePool } from './heads.js';
import { SeedSequence } from './initializers.js';
import type { ModelOptions } from './options.js';

/** Options of `allCnnC`. */
export interface AllCnnCOptions extends ModelOptions {
  /** 'Z2' (planar), 'p4' or 'p4m'. */
  group: LayerGroup;
  /**
   * G-channels of layers 1–3 and 4–8. Default: the paper's (96, 192) for Z2, (48, 96) for p4 and (32, 64) for
   * p4m, which keep the parameter count near 1.37M / 1.37M / 1.22M.
   */
  widths?: [number, number];
  /** Dropout (0.2 on the input, 0.5 after layers 3 and 6). Default true. */
  dropout?: boolean;
}

const PAPER_WIDTHS: Record<LayerGroup, [number, number]> = { Z2: [96, 192], p4: [48, 96], p4m: [32, 64] };
const CIFAR_INPUT: [number, number, number] = [32, 32, 3];

/**
 * All-CNN-C (Springenberg et al. 2015) as in the authors' CIFAR-10 scripts (paper-spec §4.2): nine
 * convolutions, each followed by batch norm and ReLU, strides of 2 in layers 3 and 6, and global average pooling
 * over space (and, for p4/p4m, over the stabiliser, which makes the logits invariant).
 */
export function allCnnC(options: AllCnnCOptions): tfl.LayersModel {
  const group = options.group;
  const [w1, w2] = options.widths ?? PAPER_WIDTHS[group];
  const classes = options.classes ?? 10;
  const useDropout = options.dropout ?? true;
  const inputShape = options.inputShape ?? CIFAR_INPUT;
  // The scripts overwrite the weights with N(0, 0.05²) (Z2) or N(0, 0.035²) (p4, p4m).
  const context: ConvContext = {
    seeds: new SeedSequence(options.seed),
    init: { kind: 'fixed', stddev: group === 'Z2' ? 0.05 : 0.035 },
  };
  const input = tfl.input({ shape: inputShape, name: 'input' });
  const plan: { filters: number; kernelSize: number; strides: number; dropoutAfter?: boolean }[] = [
    { filters: w1, kernelSize: 3, strides: 1 },
    { filters: w1, kernelSize: 3, strides: 1 },
    { filters: w1, kernelSize: 3, strides: 2, dropoutAfter: true },
    { filters: w2, kernelSize: 3, strides: 1 },
    { filters: w2, kernelSize: 3, strides: 1 },
    { filters: w2, kernelSize: 3, strides: 2, dropoutAfter: true },
    { filters: w2, kernelSize: 3, strides: 1 },
    { filters: w2, kernelSize: 1, strides: 1 },
    { filters: classes, kernelSize: 1, strides: 1 },
  ];
  let x: Node = useDropout ? dropout(input, 'input/dropout', 0.2) : input;
  let inGroup: LayerGroup = 'Z2';
  let inChannels = inputShape[2];
  plan.forEach((layer, index) => {
    const name = `l${index + 1}`;
    x = conv(
      x,
      {
        name: `${name}/${group === 'Z2' ? 'conv' : 'gconv'}`,
        inGroup,
        outGroup: group,
        inChannels,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: (layer.kernelSize - 1) / 2,
      },
      context,
    );
    x = relu(batchNorm(x, `${name}/bn`, group), `${name}/relu`);
    if (useDropout && layer.dropoutAfter) x = dropout(x, `${name}/dropout`, 0.5);
    inGroup = group;
    inChannels = layer.filters;
  });
  const logits = groupAveragePool(x, 'head', group, classes);
  return tfl.model({
    inputs: input,
    outputs: output(logits, options.outputActivation),
    name: options.name ?? `AllCNNC-${group}`,
  });
}

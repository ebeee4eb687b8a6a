/**
 * The one place where the app meets @gcnn/models: the model registry (CLI name -> builder) and the paper's
 * numbers.
 *
 * STAND-IN until @gcnn/models lands: Z2CNN is built here from plain tfjs-layers (it needs no group layers);
 * the other models say that they need the package. Replace `buildModel` and `PAPER_NUMBERS` with the
 * package's `z2cnn()`, `p4cnn()`, ... and `PAPER`.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { CifarFamily } from '../engine/protocol.js';
import { UserError } from '../errors.js';

/** A model the CLI knows. */
export interface ModelEntry {
  /** CLI name, e.g. 'p4cnn'. */
  readonly name: string;
  /** The paper's name, e.g. 'P4CNN'. */
  readonly paperName: string;
  readonly dataset: 'mnist-rot' | 'cifar10';
  /** CIFAR models train with their family's protocol. */
  readonly family?: CifarFamily;
  /** The group whose stabiliser the model is built for ('Z2': a plain CNN). */
  readonly group: 'Z2' | 'p4' | 'p4m';
}

/** The paper's figures for one model (paper-spec §4.4, §7). Errors in percent. */
export interface PaperNumbers {
  readonly parameters?: number;
  /** Parameter count as printed in the paper, e.g. '1.37M'. */
  readonly parametersPrinted?: string;
  readonly error: number;
  /** The spread printed beside the error (Table 1 prints it as a fraction, e.g. 0.0020). */
  readonly errorSpread?: number;
  /** CIFAR10+ (augmented) error. */
  readonly errorAugmented?: number;
}

/** Every model of the paper, in table order. */
export const MODELS: readonly ModelEntry[] = [
  { name: 'z2cnn', paperName: 'Z2CNN', dataset: 'mnist-rot', group: 'Z2' },
  { name: 'p4cnn-rp', paperName: 'P4CNNRotationPooling', dataset: 'mnist-rot', group: 'p4' },
  { name: 'p4cnn', paperName: 'P4CNN', dataset: 'mnist-rot', group: 'p4' },
  { name: 'allcnnc-z2', paperName: 'All-CNN-C', dataset: 'cifar10', family: 'allcnnc', group: 'Z2' },
  { name: 'allcnnc-p4', paperName: 'P4-All-CNN-C', dataset: 'cifar10', family: 'allcnnc', group: 'p4' },
  { name: 'allcnnc-p4m', paperName: 'P4M-All-CNN-C', dataset: 'cifar10', family: 'allcnnc', group: 'p4m' },
  { name: 'resnet44-z2', paperName: 'ResNet44', dataset: 'cifar10', family: 'resnet', group: 'Z2' },
  { name: 'resnet44-p4m', paperName: 'P4M-ResNet44', dataset: 'cifar10', family: 'resnet', group: 'p4m' },
];

/** The paper's numbers per CLI model name. */
export const PAPER_NUMBERS: Readonly<Record<string, PaperNumbers>> = {
  z2cnn: { parameters: 21_750, error: 5.03, errorSpread: 0.002 },
  'p4cnn-rp': { parameters: 21_750, error: 3.21, errorSpread: 0.0012 },
  p4cnn: { parameters: 24_680, error: 2.28, errorSpread: 0.0004 },
  'allcnnc-z2': { parameters: 1_372_254, parametersPrinted: '1.37M', error: 9.44, errorAugmented: 8.86 },
  'allcnnc-p4': { parameters: 1_371_006, parametersPrinted: '1.37M', error: 8.84, errorAugmented: 7.67 },
  'allcnnc-p4m': { parameters: 1_219_678, parametersPrinted: '1.22M', error: 7.59, errorAugmented: 7.04 },
  'resnet44-z2': { parameters: 2_639_434, parametersPrinted: '2.64M', error: 9.45, errorAugmented: 5.61 },
  'resnet44-p4m': { parameters: 2_622_878, parametersPrinted: '2.62M', error: 6.46, errorAugmented: 4.94 },
};

/** Earlier results the paper's Table 1 lists for comparison (test error %). */
export const TABLE1_PRIOR_WORK: ReadonlyArray<{ name: string; error: number; spread?: number }> = [
  { name: 'Larochelle et al. (2007)', error: 10.38, spread: 0.27 },
  { name: 'Sohn & Lee (2012)', error: 4.2 },
  { name: 'Schmidt & Roth (2012)', error: 3.98 },
];

/** The registry entry for a CLI name (accepting the paper's name too); a UserError naming the choices. */
export function findModel(name: string): ModelEntry {
  const key = name.toLowerCase();
  const entry = MODELS.find((m) => m.name === key || m.paperName.toLowerCase() === key);
  if (!entry) {
    throw new UserError(`unknown model '${name}' (known: ${MODELS.map((m) => m.name).join(', ')})`);
  }
  return entry;
}

/** True when this build can construct the model. */
export function isModelAvailable(name: string): boolean {
  return name === 'z2cnn';
}

/**
 * Builds a fresh, untrained model that outputs logits. Its initial weights come from tfjs' random ops,
 * which the caller seeds (see engine/seeded-random.ts).
 */
export function buildModel(name: string): tfl.LayersModel {
  const entry = findModel(name);
  if (entry.name === 'z2cnn') return z2cnnStandIn();
  throw new UserError(`model '${entry.name}' needs @gcnn/models, which this build does not include yet`);
}

/** Z2CNN (paper-spec §4.1) from plain tfjs-layers: 7 valid 3x3/4x4 convs, BN, ReLU, dropout 0.3. */
function z2cnnStandIn(): tfl.LayersModel {
  const model = tfl.sequential({ name: 'z2cnn' });
  const block = (index: number, dropout: boolean, first = false) => {
    model.add(
      tfl.layers.conv2d({
        name: `l${index}/conv`,
        filters: 20,
        kernelSize: 3,
        padding: 'valid',
        kernelInitializer: 'heNormal',
        ...(first ? { inputShape: [28, 28, 1] } : {}),
      }),
    );
    model.add(tfl.layers.batchNormalization({ name: `l${index}/bn`, epsilon: 2e-5 }));
    model.add(tfl.layers.reLU({ name: `l${index}/relu` }));
    if (dropout) model.add(tfl.layers.dropout({ name: `l${index}/dropout`, rate: 0.3 }));
  };
  block(1, true, true);
  block(2, false);
  model.add(tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2, strides: 2 }));
  for (let i = 3; i <= 6; i++) block(i, true);
  model.add(
    tfl.layers.conv2d({ name: 'top/conv', filters: 10, kernelSize: 4, kernelInitializer: 'heNormal' }),
  );
  model.add(tfl.layers.flatten({ name: 'logits' }));
  return model;
}

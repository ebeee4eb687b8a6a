/**
 * The one place where the app meets @gcnn/models: the model registry (CLI name -> builder) and the paper's
 * numbers. Every model is built with logits out (`outputActivation: 'linear'`); the training step applies
 * the softmax cross-entropy itself.
 */
import { buildModel as buildPaperModel, PAPER, type PaperModel } from '@gcnn/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CifarFamily } from '../engine/protocol.js';
import { UserError } from '../errors.js';

/** A model the CLI knows. */
export interface ModelEntry {
  /** CLI name, e.g. 'p4cnn'. */
  readonly name: string;
  /** The id in @gcnn/models' registry and PAPER table. */
  readonly id: PaperModel;
  /** The paper's name, e.g. 'P4CNN' or 'All-CNN-C (p4m)'. */
  readonly paperName: string;
  readonly dataset: 'mnist-rot' | 'cifar10';
  /** CIFAR models train with their family's protocol. */
  readonly family?: CifarFamily;
  /** The group whose stabiliser the model is built for ('Z2': a plain CNN). */
  readonly group: 'Z2' | 'p4' | 'p4m';
}

/** The paper's figures for one model (paper-spec §4.4, §7). Errors in percent. */
export interface PaperNumbers {
  /** Exact trainable parameter count derived from the authors' code. */
  readonly parameters: number;
  /** Parameter count as printed in the paper, e.g. '1.37M' (none for rotated MNIST). */
  readonly parametersPrinted?: string;
  readonly error: number;
  /** Table 1: standard deviation over seeds in percentage points (the paper prints 0.20 as ±0.0020). */
  readonly errorStd?: number;
  /** CIFAR10+ (augmented) error. */
  readonly errorAugmented?: number;
}

const entry = (
  name: string,
  id: PaperModel,
  dataset: ModelEntry['dataset'],
  group: ModelEntry['group'],
  family?: CifarFamily,
): ModelEntry => ({ name, id, paperName: PAPER[id].label, dataset, group, ...(family ? { family } : {}) });

/** Every model of the paper, in table order (ResNet26 comes from the authors' README, not the paper). */
export const MODELS: readonly ModelEntry[] = [
  entry('z2cnn', 'z2cnn', 'mnist-rot', 'Z2'),
  entry('p4cnn-rp', 'p4cnnRotationPooling', 'mnist-rot', 'p4'),
  entry('p4cnn', 'p4cnn', 'mnist-rot', 'p4'),
  entry('allcnnc-z2', 'allCnnC-Z2', 'cifar10', 'Z2', 'allcnnc'),
  entry('allcnnc-p4', 'allCnnC-p4', 'cifar10', 'p4', 'allcnnc'),
  entry('allcnnc-p4m', 'allCnnC-p4m', 'cifar10', 'p4m', 'allcnnc'),
  entry('resnet44-z2', 'resnet44-Z2', 'cifar10', 'Z2', 'resnet'),
  entry('resnet44-p4m', 'resnet44-p4m', 'cifar10', 'p4m', 'resnet'),
  entry('resnet26-z2', 'resnet26-Z2', 'cifar10', 'Z2', 'resnet'),
  entry('resnet26-p4m', 'resnet26-p4m', 'cifar10', 'p4m', 'resnet'),
];

/** The models of the paper's Table 2 (CIFAR-10), the default of `gcnn table2`. */
export const TABLE2_MODELS = [
  'allcnnc-z2',
  'allcnnc-p4',
  'allcnnc-p4m',
  'resnet44-z2',
  'resnet44-p4m',
] as const;

/** The paper's numbers per CLI model name. */
export const PAPER_NUMBERS: Readonly<Record<string, PaperNumbers>> = Object.fromEntries(
  MODELS.map((m) => {
    const p = PAPER[m.id];
    return [
      m.name,
      {
        parameters: p.params,
        ...(p.paramsPrinted === null ? {} : { parametersPrinted: p.paramsPrinted }),
        error: p.testError,
        ...(p.testErrorStd === undefined ? {} : { errorStd: p.testErrorStd }),
        ...(p.testErrorAugmented === undefined ? {} : { errorAugmented: p.testErrorAugmented }),
      },
    ];
  }),
);

/** Earlier results the paper's Table 1 lists for comparison (test error %). */
export const TABLE1_PRIOR_WORK: ReadonlyArray<{ name: string; error: number; spread?: number }> = [
  { name: 'Larochelle et al. (2007)', error: 10.38, spread: 0.27 },
  { name: 'Sohn & Lee (2012)', error: 4.2 },
  { name: 'Schmidt & Roth (2012)', error: 3.98 },
];

/** The registry entry for a CLI name (accepting the paper's name or registry id too); a UserError otherwise. */
export function findModel(name: string): ModelEntry {
  const key = name.toLowerCase();
  const found = MODELS.find(
    (m) => m.name === key || m.id.toLowerCase() === key || m.paperName.toLowerCase() === key,
  );
  if (!found) {
    throw new UserError(`unknown model '${name}' (known: ${MODELS.map((m) => m.name).join(', ')})`);
  }
  return found;
}

/**
 * Builds a fresh, untrained model that outputs logits, its weights initialised from `seed` (the models'
 * own seeded initialisers; without a seed they draw from tfjs' random ops).
 */
export function buildModel(name: string, seed?: number): tfl.LayersModel {
  return buildPaperModel(findModel(name).id, {
    outputActivation: 'linear',
    ...(seed === undefined ? {} : { seed }),
  });
}

/**
 * The export of worker-models.ts that builds model `id` in a data-parallel worker (workers receive a module
 * and an export name, not a function): the id without hyphens, e.g. 'allCnnC-p4m' -> 'allCnnCP4m'.
 */
export function workerModelExport(id: PaperModel): string {
  return id.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}

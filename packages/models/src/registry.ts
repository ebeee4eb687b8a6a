import type * as tfl from '@tensorflow/tfjs-layers';
import { allCnnC } from './all-cnn-c.js';
import { p4cnn, p4cnnRotationPooling, z2cnn } from './mnist.js';
import type { ModelOptions } from './options.js';
import type { PaperEntry, PaperModel } from './paper.js';
import { resnet26, resnet44 } from './resnet.js';

/** The data set a model of the paper is trained on. */
export type ModelDataset = 'mnist-rot' | 'cifar10';

/** Families train differently: the rotated-MNIST nets, All-CNN-C and the ResNets (paper-spec §5). */
export type ModelFamily = 'mnist' | 'allcnnc' | 'resnet';

/** One network of the registry: how to name it, what it is, how the paper scored it, and how to build it. */
export interface ModelEntry {
  /** Registry id, e.g. 'p4cnn' or 'allCnnC-p4m'. */
  readonly id: PaperModel;
  /** Other names it answers to; the first is the command-line name (e.g. 'p4cnn-rp', 'allcnnc-p4m'). */
  readonly aliases: readonly string[];
  /** The paper's name, e.g. 'P4CNN' or 'All-CNN-C (p4m)'. */
  readonly paperName: string;
  readonly dataset: ModelDataset;
  /** The group whose stabiliser the model is built for ('Z2': a plain CNN). */
  readonly group: 'Z2' | 'p4' | 'p4m';
  readonly family: ModelFamily;
  /** False for models the paper's tables do not list (ResNet26 comes from the authors' README). */
  readonly inPaperTable: boolean;
  /** The paper's figures for this network. */
  readonly paper: PaperEntry;
  /** Builds a fresh, untrained model. */
  readonly build: (options?: ModelOptions) => tfl.LayersModel;
}

const mnist = (
  id: PaperModel,
  alias: string,
  group: ModelEntry['group'],
  paper: Omit<PaperEntry, 'table' | 'paramsPrinted'>,
  build: ModelEntry['build'],
): ModelEntry => ({
  id,
  aliases: [alias],
  paperName: paper.label,
  dataset: 'mnist-rot',
  group,
  family: 'mnist',
  inPaperTable: true,
  paper: { ...paper, table: 'table1', paramsPrinted: null },
  build,
});

const cifar = (
  id: PaperModel,
  family: 'allcnnc' | 'resnet',
  group: ModelEntry['group'],
  paper: Omit<PaperEntry, 'table'>,
  build: ModelEntry['build'],
  inPaperTable = true,
): ModelEntry => ({
  id,
  aliases: [id.toLowerCase()],
  paperName: paper.label,
  dataset: 'cifar10',
  group,
  family,
  inPaperTable,
  paper: { ...paper, table: 'table2' },
  build,
});

/**
 * Every network of the paper, in table order, with the paper's numbers (Cohen & Welling 2016, Tables 1 and 2;
 * ResNet26 from the authors' experiment README). Table 1 prints its standard deviations as fractions (±0.0020),
 * given here in percent (0.20). Parameter counts are exact (paper-spec §4.4). This is the one list of models:
 * `PAPER`, `MODEL_IDS`, `buildModel` and the `gcnn` command all read it.
 */
export const MODEL_REGISTRY: readonly ModelEntry[] = Object.freeze([
  mnist('z2cnn', 'z2cnn', 'Z2', { label: 'Z2CNN', params: 21_750, testError: 5.03, testErrorStd: 0.2 }, (o) =>
    z2cnn(o),
  ),
  mnist(
    'p4cnnRotationPooling',
    'p4cnn-rp',
    'p4',
    { label: 'P4CNNRotationPooling', params: 21_750, testError: 3.21, testErrorStd: 0.12 },
    (o) => p4cnnRotationPooling(o),
  ),
  mnist(
    'p4cnn',
    'p4cnn',
    'p4',
    { label: 'P4CNN', params: 24_680, testError: 2.28, testErrorStd: 0.04 },
    (o) => p4cnn(o),
  ),
  cifar(
    'allCnnC-Z2',
    'allcnnc',
    'Z2',
    {
      label: 'All-CNN-C (Z2)',
      params: 1_372_254,
      paramsPrinted: '1.37M',
      testError: 9.44,
      testErrorAugmented: 8.86,
    },
    (o) => allCnnC({ ...o, group: 'Z2' }),
  ),
  cifar(
    'allCnnC-p4',
    'allcnnc',
    'p4',
    {
      label: 'All-CNN-C (p4)',
      params: 1_371_006,
      paramsPrinted: '1.37M',
      testError: 8.84,
      testErrorAugmented: 7.67,
    },
    (o) => allCnnC({ ...o, group: 'p4' }),
  ),
  cifar(
    'allCnnC-p4m',
    'allcnnc',
    'p4m',
    {
      label: 'All-CNN-C (p4m)',
      params: 1_219_678,
      paramsPrinted: '1.22M',
      testError: 7.59,
      testErrorAugmented: 7.04,
    },
    (o) => allCnnC({ ...o, group: 'p4m' }),
  ),
  cifar(
    'resnet44-Z2',
    'resnet',
    'Z2',
    {
      label: 'ResNet44 (Z2)',
      params: 2_639_434,
      paramsPrinted: '2.64M',
      testError: 9.45,
      testErrorAugmented: 5.61,
    },
    (o) => resnet44({ ...o, group: 'Z2' }),
  ),
  cifar(
    'resnet44-p4m',
    'resnet',
    'p4m',
    {
      label: 'ResNet44 (p4m)',
      params: 2_622_878,
      paramsPrinted: '2.62M',
      testError: 6.46,
      testErrorAugmented: 4.94,
    },
    (o) => resnet44({ ...o, group: 'p4m' }),
  ),
  cifar(
    'resnet26-Z2',
    'resnet',
    'Z2',
    {
      label: 'ResNet26 (Z2)',
      params: 7_236_046,
      paramsPrinted: '7.24M',
      testError: 8.95,
      testErrorAugmented: 5.27,
    },
    (o) => resnet26({ ...o, group: 'Z2' }),
    false,
  ),
  cifar(
    'resnet26-p4m',
    'resnet',
    'p4m',
    {
      label: 'ResNet26 (p4m)',
      params: 7_173_110,
      paramsPrinted: '7.17M',
      testError: 5.74,
      testErrorAugmented: 4.19,
    },
    (o) => resnet26({ ...o, group: 'p4m' }),
    false,
  ),
]);

/** The registry ids, in table order. */
export const MODEL_IDS: readonly PaperModel[] = MODEL_REGISTRY.map((entry) => entry.id);

/** The paper's numbers per registry id, for printing results beside them. */
export const PAPER: Readonly<Record<PaperModel, PaperEntry>> = Object.freeze(
  Object.fromEntries(MODEL_REGISTRY.map((entry) => [entry.id, entry.paper])) as Record<
    PaperModel,
    PaperEntry
  >,
);

/**
 * The registry entry for a name: the id, an alias or the paper's name, in any letter case (e.g. 'p4cnn-rp',
 * 'P4CNNRotationPooling', 'All-CNN-C (p4m)'). Throws a RangeError listing the known names otherwise.
 */
export function findModel(name: string): ModelEntry {
  const key = name.toLowerCase();
  const found = MODEL_REGISTRY.find(
    (entry) =>
      entry.id.toLowerCase() === key ||
      entry.paperName.toLowerCase() === key ||
      entry.aliases.some((alias) => alias.toLowerCase() === key),
  );
  if (found === undefined) {
    const known = MODEL_REGISTRY.map((entry) => entry.aliases[0] ?? entry.id).join(', ');
    throw new RangeError(`unknown model ${JSON.stringify(name)}; expected one of ${known}`);
  }
  return found;
}

/**
 * Builds a paper model by id, alias or paper name, e.g. `buildModel('p4cnn')`. Also the entry point for the
 * data-parallel workers of @gcnn/train, which receive this module and the arguments instead of a function.
 */
export function buildModel(name: string, options?: ModelOptions): tfl.LayersModel {
  return findModel(name).build(options);
}

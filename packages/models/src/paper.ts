/** Identifiers of the networks in the paper's tables. */
export type PaperModel =
  | 'z2cnn'
  | 'p4cnnRotationPooling'
  | 'p4cnn'
  | 'allCnnC-Z2'
  | 'allCnnC-p4'
  | 'allCnnC-p4m'
  | 'resnet44-Z2'
  | 'resnet44-p4m'
  | 'resnet26-Z2'
  | 'resnet26-p4m';

/** What the paper (or the authors' experiment README) reports for one network. */
export interface PaperEntry {
  /** Human-readable name as in the paper's tables. */
  readonly label: string;
  /** 'table1' (rotated MNIST) or 'table2' (CIFAR-10). */
  readonly table: 'table1' | 'table2';
  /**
   * Exact trainable parameter count (conv weights and biases, BN gamma and beta), derived in paper-spec §4.4
   * from the authors' code; the paper prints them rounded (e.g. 1.37M) or, for rotated MNIST, not at all.
   */
  readonly params: number;
  /** The count as printed in the paper (e.g. '1.37M'), or null for rotated MNIST, where it prints none. */
  readonly paramsPrinted: string | null;
  /** Test error in percent. Table 1: mean over 5 seeds. Table 2: without augmentation (CIFAR10). */
  readonly testError: number;
  /** Table 1: standard deviation over seeds in percent. */
  readonly testErrorStd?: number;
  /** Table 2: test error in percent with augmentation (CIFAR10+). */
  readonly testErrorAugmented?: number;
}

/**
 * The paper's numbers (Cohen & Welling 2016, Tables 1 and 2; ResNet26 from the authors' experiment README),
 * for printing our results beside them. Table 1 prints its standard deviations as fractions (±0.0020), given here
 * in percent (0.20).
 */
export const PAPER: Readonly<Record<PaperModel, PaperEntry>> = Object.freeze({
  z2cnn: {
    label: 'Z2CNN',
    table: 'table1',
    params: 21_750,
    paramsPrinted: null,
    testError: 5.03,
    testErrorStd: 0.2,
  },
  p4cnnRotationPooling: {
    label: 'P4CNNRotationPooling',
    table: 'table1',
    params: 21_750,
    paramsPrinted: null,
    testError: 3.21,
    testErrorStd: 0.12,
  },
  p4cnn: {
    label: 'P4CNN',
    table: 'table1',
    params: 24_680,
    paramsPrinted: null,
    testError: 2.28,
    testErrorStd: 0.04,
  },
  'allCnnC-Z2': {
    label: 'All-CNN-C (Z2)',
    table: 'table2',
    params: 1_372_254,
    paramsPrinted: '1.37M',
    testError: 9.44,
    testErrorAugmented: 8.86,
  },
  'allCnnC-p4': {
    label: 'All-CNN-C (p4)',
    table: 'table2',
    params: 1_371_006,
    paramsPrinted: '1.37M',
    testError: 8.84,
    testErrorAugmented: 7.67,
  },
  'allCnnC-p4m': {
    label: 'All-CNN-C (p4m)',
    table: 'table2',
    params: 1_219_678,
    paramsPrinted: '1.22M',
    testError: 7.59,
    testErrorAugmented: 7.04,
  },
  'resnet44-Z2': {
    label: 'ResNet44 (Z2)',
    table: 'table2',
    params: 2_639_434,
    paramsPrinted: '2.64M',
    testError: 9.45,
    testErrorAugmented: 5.61,
  },
  'resnet44-p4m': {
    label: 'ResNet44 (p4m)',
    table: 'table2',
    params: 2_622_878,
    paramsPrinted: '2.62M',
    testError: 6.46,
    testErrorAugmented: 4.94,
  },
  'resnet26-Z2': {
    label: 'ResNet26 (Z2)',
    table: 'table2',
    params: 7_236_046,
    paramsPrinted: '7.24M',
    testError: 8.95,
    testErrorAugmented: 5.27,
  },
  'resnet26-p4m': {
    label: 'ResNet26 (p4m)',
    table: 'table2',
    params: 7_173_110,
    paramsPrinted: '7.17M',
    testError: 5.74,
    testErrorAugmented: 4.19,
  },
});

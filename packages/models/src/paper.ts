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

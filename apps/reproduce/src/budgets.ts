/**
 * How much Table 1 trains. `paper` is the paper's protocol; `quick` is what `pnpm reproduce` runs by default.
 *
 * TUNE HERE: `quick` should be the largest run that finishes in about 20 minutes on a 2-core machine with the
 * default training path (wasm, data-parallel on 2 workers). Its wall time is about Σ over models of
 *   epochs × 12,000 / (training images/s) + (BN finetune over 12,000 + evaluation of 50,000 images) + start-up
 * (`gcnn bench` gives the speeds; one finetune and one evaluation per model with evaluation after the last
 * epoch only). Measured on the 2-core reference machine, shared with another job (load average 2.3 to 4.5):
 * `gcnn table1` with 7 epochs of each model took 16 min 15 s, of which
 *   Z2CNN                 17 s per epoch (707 img/s), 19 s finetune + evaluation
 *   P4CNNRotationPooling  64 s per epoch (189 img/s), 94 s
 *   P4CNN                 28 s per epoch (421 img/s), 87 s
 * and 12 s of start-up; epochs were up to 1.5x slower when the other job was busiest. P4CNNRotationPooling is
 * the slowest to train, so it gets half the epochs of the two models the table compares first: 10 / 5 / 10
 * epochs, estimated at 16.5 minutes and measured at 16 min 18 s (same machine and load; Z2CNN 644, P4CNN 367,
 * P4CNNRotationPooling 242 training img/s; test errors 10.44%, 3.38%, 6.82%); about 22 at the slowest speeds seen.
 */

/** A Table 1 budget: epochs per model, seeds, and how often to evaluate. */
export interface Table1Budget {
  readonly description: string;
  /** Epochs per CLI model name. */
  readonly epochs: Readonly<Record<string, number>>;
  readonly seeds: readonly number[];
  /** Evaluate every this many epochs (0: only after the last epoch). */
  readonly evalEvery: number;
}

/** The paper's epochs for the MNIST-rot models (paper-spec §5.1). */
export const PAPER_EPOCHS: Readonly<Record<string, number>> = { z2cnn: 300, 'p4cnn-rp': 100, p4cnn: 100 };

/** The Table 1 models in the paper's order. */
export const TABLE1_MODELS = ['z2cnn', 'p4cnn-rp', 'p4cnn'] as const;

export const TABLE1_BUDGETS = {
  paper: {
    description: 'the paper protocol: 300 / 100 / 100 epochs, seeds 0-4, evaluation every 25 epochs',
    epochs: PAPER_EPOCHS,
    seeds: [0, 1, 2, 3, 4],
    evalEvery: 25,
  },
  quick: {
    description:
      'a ~20-minute run on a 2-core machine: Z2CNN and P4CNN 10 epochs, P4CNNRotationPooling 5 (data-parallel on 2 workers), one seed',
    epochs: { z2cnn: 10, 'p4cnn-rp': 5, p4cnn: 10 },
    seeds: [0],
    evalEvery: 0,
  },
} as const satisfies Record<string, Table1Budget>;

export type Table1BudgetName = keyof typeof TABLE1_BUDGETS;

/** Table 2 budgets: `paper` uses each family's protocol length; `quick` a few epochs (CPU smoke run). */
export const TABLE2_BUDGETS = {
  paper: {
    description: 'the paper protocol (All-CNN-C 350 epochs, ResNet44 300 epochs), one seed',
    epochs: undefined,
    seeds: [0],
  },
  quick: {
    description: 'two epochs per model, one seed (checks the pipeline, not the numbers)',
    epochs: 2,
    seeds: [0],
  },
} as const;

export type Table2BudgetName = keyof typeof TABLE2_BUDGETS;

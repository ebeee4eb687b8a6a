/**
 * How much Table 1 trains. `paper` is the paper's protocol; `quick` is what `pnpm reproduce` runs by default.
 *
 * TUNE HERE: `quick` should be the largest run that finishes in about 20 minutes on a 2-core machine with the
 * default backend. Its wall time is roughly Σ over models of epochs × 12,000 / (training images/s) plus one
 * BN finetune pass and one 50,000-image evaluation per model (`gcnn bench` gives the images/s).
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
    description: 'a ~20-minute run on a 2-core machine: the same few epochs for every model, one seed',
    epochs: { z2cnn: 3, 'p4cnn-rp': 3, p4cnn: 3 },
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

/**
 * How much Table 1 trains. `paper` is the paper's protocol; `quick` is what `pnpm reproduce` runs by default.
 *
 * TUNE HERE: `quick` should be the largest run that finishes in about 20 minutes on a 2-core machine with the
 * default backend. Its wall time is about Σ over models of
 *   epochs × 12,000 / (training images/s) + 12,000 / (finetune images/s) + 50,000 / (inference images/s)
 * (one BN finetune pass and one 50,000-image evaluation per model; `gcnn bench --backend wasm` gives the
 * speeds). Measured with the wasm backend (2 XNNPACK threads) on the 2-core reference machine, batch 128:
 *   Z2CNN 406 train / 3,405 inference img/s   -> ~30 s per epoch + ~20 s finetune and evaluation
 *   P4CNN 236 train / 1,355 inference img/s   -> ~51 s per epoch + ~45 s
 *   P4CNNRotationPooling 34 / 752 img/s       -> ~350 s per epoch + ~80 s (the gradient of its rotation
 *   pooling is slow on wasm; give it the same epochs as the others once that is fixed)
 * so 6 / 1 / 6 epochs take about 17 minutes.
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
      'a ~20-minute run on a 2-core machine: a few epochs (the same for Z2CNN and P4CNN), one seed',
    epochs: { z2cnn: 6, 'p4cnn-rp': 1, p4cnn: 6 },
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

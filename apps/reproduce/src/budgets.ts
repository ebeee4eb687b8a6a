/**
 * How much Table 1 trains. `paper` is the paper's protocol; `quick` is what `pnpm reproduce` runs by default.
 *
 * TUNE HERE: `quick` should be the largest run that finishes in about 20 minutes on a 2-core machine with the
 * default training path (wasm, data-parallel on 2 workers). Its wall time is about Σ over models of
 *   epochs × 12,000 / (training images/s) + (BN finetune over 12,000 + evaluation of 50,000 images) + start-up
 * (`gcnn bench` gives the speeds; one finetune and one evaluation per model with evaluation after the last
 * epoch only). Measured on the 2-core reference machine (shared with other work, load average 2.5 to 3.3),
 * real one-epoch `gcnn train` runs, batch 128, 2 workers:
 *   Z2CNN                 457 train img/s   -> ~26 s per epoch, ~29 s finetune + evaluation
 *   P4CNN                 213 train img/s   -> ~56 s per epoch, ~48 s
 *   P4CNNRotationPooling  194 train img/s   -> ~62 s per epoch, ~83 s
 * (`gcnn bench` medians in the same conditions: 577 / 356 / 228 img/s), i.e. ~144 s per epoch of all three
 * models plus ~3 minutes of finetune, evaluation and start-up, so 7 epochs of each take about 20 minutes
 * (15 at the bench's speeds). All three get the same epochs, so the table compares like with like.
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
      'a ~20-minute run on a 2-core machine: 7 epochs of each model (data-parallel on 2 workers), one seed',
    epochs: { z2cnn: 7, 'p4cnn-rp': 7, p4cnn: 7 },
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

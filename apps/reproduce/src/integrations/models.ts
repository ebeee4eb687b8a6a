/**
 * The one place where the app meets @gcnn/models: its registry (CLI names are the entries' first alias), the
 * paper's numbers, and how the data-parallel workers build a model. Every model is built with logits out
 * (`outputActivation: 'linear'`); the training step applies the softmax cross-entropy itself.
 */
import { createRequire } from 'node:module';
import {
  buildModel as buildRegisteredModel,
  findModel as findRegisteredModel,
  MODEL_REGISTRY,
  type ModelEntry,
} from '@gcnn/models';
import type { ReplicaSpec } from '@gcnn/train';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../errors.js';

export type { ModelEntry };

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

/** The command-line name of a model, e.g. 'p4cnn-rp' or 'allcnnc-p4m'. */
export function cliName(entry: ModelEntry): string {
  return entry.aliases[0] ?? entry.id;
}

/** The CLI names of the models, in table order, optionally of one data set. */
export function modelNames(dataset?: ModelEntry['dataset']): string[] {
  return MODEL_REGISTRY.filter((m) => dataset === undefined || m.dataset === dataset).map(cliName);
}

/** The models of the paper's Table 2 (CIFAR-10), the default of `gcnn table2`. */
export const TABLE2_MODELS: readonly string[] = MODEL_REGISTRY.filter(
  (m) => m.dataset === 'cifar10' && m.inPaperTable,
).map(cliName);

/** Earlier results the paper's Table 1 lists for comparison (test error %). */
export const TABLE1_PRIOR_WORK: ReadonlyArray<{ name: string; error: number; spread?: number }> = [
  { name: 'Larochelle et al. (2007)', error: 10.38, spread: 0.27 },
  { name: 'Sohn & Lee (2012)', error: 4.2 },
  { name: 'Schmidt & Roth (2012)', error: 3.98 },
];

/** The registry entry for a CLI name, id or paper name; a UserError otherwise. */
export function findModel(name: string): ModelEntry {
  try {
    return findRegisteredModel(name);
  } catch {
    throw new UserError(`unknown model '${name}' (known: ${modelNames().join(', ')})`);
  }
}

/** The paper's numbers for a model. */
export function paperNumbers(name: string): PaperNumbers {
  const p = findModel(name).paper;
  return {
    parameters: p.params,
    ...(p.paramsPrinted === null ? {} : { parametersPrinted: p.paramsPrinted }),
    error: p.testError,
    ...(p.testErrorStd === undefined ? {} : { errorStd: p.testErrorStd }),
    ...(p.testErrorAugmented === undefined ? {} : { errorAugmented: p.testErrorAugmented }),
  };
}

/** Options every model of the app is built with, here and in the workers. */
const modelOptions = (seed: number | undefined) => ({
  outputActivation: 'linear' as const,
  ...(seed === undefined ? {} : { seed }),
});

/**
 * Builds a fresh, untrained model that outputs logits, its weights initialised from `seed` (the models' own
 * seeded initialisers; without a seed they draw from tfjs' random ops).
 */
export function buildModel(name: string, seed?: number): tfl.LayersModel {
  return buildRegisteredModel(findModel(name).id, modelOptions(seed));
}

/**
 * How a data-parallel worker builds the same model: @gcnn/models' `buildModel` with the registry id. The weights
 * do not matter (the main thread sends its own); seed 0 only keeps the build deterministic.
 */
export function replicaFor(name: string): ReplicaSpec {
  return {
    module: createRequire(import.meta.url).resolve('@gcnn/models'),
    export: 'buildModel',
    args: [findModel(name).id, modelOptions(0)],
  };
}

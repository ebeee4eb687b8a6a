import { checkpointName } from './checkpoint-name.js';
import { RANDOM_SCHEMES } from './random-scheme.js';
import {
  finite,
  fraction,
  integer,
  isRecord,
  nullable,
  object,
  oneOf,
  optional,
  problemOf,
  text,
} from './read-back.js';

/** Upper bounds shared with the CLI's flags (see commands/limits.ts): a larger value was not written by gcnn. */
const MAX_EPOCHS = 100_000;
const MAX_SEED = 2 ** 32 - 1;

const protocol = object({
  optimizer: (v) => {
    if (!isRecord(v)) return 'expected an object';
    if (v.kind === 'adam') {
      return problemOf(v, { learningRate: finite, beta1: finite, beta2: finite, epsilon: finite });
    }
    if (v.kind === 'momentum') {
      if (!Array.isArray(v.schedule)) return 'schedule: expected a list';
      for (const step of v.schedule) {
        const problem = problemOf(step, { epoch: integer(1), factor: finite });
        if (problem !== undefined) return `schedule: ${problem}`;
      }
      return problemOf(v, { learningRate: finite, momentum: finite });
    }
    return `kind: expected 'adam' or 'momentum', found ${JSON.stringify(v.kind)}`;
  },
  batchSize: integer(1, 1_000_000),
  epochs: integer(1, MAX_EPOCHS),
  evalEvery: integer(0, MAX_EPOCHS),
  weightDecay: finite,
  finetuneBatchNorm: oneOf(true, false),
});

const data = (v: unknown): string | undefined => {
  if (!isRecord(v)) return 'expected an object';
  const limits = { trainLimit: optional(integer(1)), testLimit: optional(integer(1)) };
  if (v.dataset === 'mnist-rot') {
    return problemOf(v, {
      source: oneOf('generated', 'amat'),
      amatDir: optional(text),
      generatorSeed: optional(integer(0)),
      jitter: optional(oneOf(true, false)),
      ...limits,
    });
  }
  if (v.dataset === 'cifar10') {
    return problemOf(v, { cifarDir: text, augment: oneOf(true, false), ...limits });
  }
  return `dataset: expected 'mnist-rot' or 'cifar10', found ${JSON.stringify(v.dataset)}`;
};

/** The first problem of a parsed config.json, or undefined. */
export function checkConfig(value: unknown): string | undefined {
  return problemOf(value, {
    format: oneOf('gcnn-run/1'),
    model: text,
    seed: integer(0, MAX_SEED),
    protocol,
    data,
    backend: text,
    workers: optional(integer(1, 1024)),
  });
}

const evaluation = object({ epoch: integer(1, MAX_EPOCHS), testError: fraction, testLoss: finite });

/**
 * The first problem of a parsed state.json of a run of `epochs` epochs, or undefined. Beyond the fields,
 * the checkpoint must be the one of the recorded epoch, so a hand-edited epoch is caught here.
 */
export function checkState(value: unknown, epochs: number): string | undefined {
  const problem = problemOf(value, {
    format: oneOf('gcnn-state/1'),
    status: oneOf('running', 'interrupted', 'failed', 'complete'),
    epoch: integer(0, epochs),
    iterations: integer(0),
    checkpoint: nullable(text),
    lastEvaluation: nullable(evaluation),
    random: object({ scheme: oneOf(...RANDOM_SCHEMES), seed: integer(0, MAX_SEED) }),
  });
  if (problem !== undefined) return problem;
  const state = value as { epoch: number; checkpoint: string | null; status: string };
  const expected = state.epoch === 0 ? null : checkpointName(state.epoch);
  if (state.checkpoint !== expected) {
    return `epoch ${state.epoch} does not match checkpoint ${JSON.stringify(state.checkpoint)}`;
  }
  if (state.status === 'complete' && state.epoch !== epochs) {
    return `status is complete after ${state.epoch} of ${epochs} epochs`;
  }
  return undefined;
}

/** The first problem of one parsed log.jsonl record that should be epoch `epoch`, or undefined. */
export function checkLogRecord(value: unknown, epoch: number): string | undefined {
  return problemOf(value, {
    epoch: (v) => (v === epoch ? undefined : `expected epoch ${epoch}, found ${JSON.stringify(v)}`),
    loss: finite,
    trainError: fraction,
    testError: optional(fraction),
    testLoss: optional(finite),
    learningRate: finite,
    trainSeconds: finite,
    evalSeconds: finite,
    imagesPerSecond: finite,
    backend: text,
    workers: optional(integer(1, 1024)),
  });
}

/** The first problem of a parsed metrics.json, or undefined. */
export function checkMetrics(value: unknown): string | undefined {
  return problemOf(value, {
    format: oneOf('gcnn-metrics/1'),
    model: text,
    seed: integer(0, MAX_SEED),
    epochs: integer(1, MAX_EPOCHS),
    testError: fraction,
    testLoss: finite,
    finalTrainLoss: finite,
    finalTrainError: fraction,
    parameters: integer(0),
    backend: text,
    workers: optional(integer(1, 1024)),
    imagesPerSecond: finite,
    seconds: finite,
  });
}

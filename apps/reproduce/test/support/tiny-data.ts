import { applyNormalization, normalizationStats } from '@gcnn/data';
import type { TrainingData } from '../../src/integrations/data.js';
import { mnistRotProtocol, type TrainingProtocol } from '../../src/run/protocol.js';
import type { RunConfig } from '../../src/run/run-config.js';
import { syntheticDigits } from './synthetic.js';

/** Synthetic MNIST-rot-shaped data, normalised like the paper's protocol. */
export function tinyData(trainCount: number, testCount: number): TrainingData {
  const train = syntheticDigits(trainCount, 1);
  const test = syntheticDigits(testCount, 2);
  const stats = normalizationStats(train);
  const { mean, std } = stats;
  return {
    train: applyNormalization(train, stats),
    test: applyNormalization(test, stats),
    classes: 10,
    description: 'synthetic digits',
    preprocessing: { normalization: { mean, std } },
  };
}

/** A Z2CNN run config for tiny tests: batch 16, evaluation after every epoch, in one process by default. */
export function tinyConfig(
  epochs: number,
  overrides: Partial<TrainingProtocol> = {},
  workers = 1,
): RunConfig {
  return {
    format: 'gcnn-run/1',
    model: 'z2cnn',
    seed: 3,
    protocol: mnistRotProtocol(epochs, { batchSize: 16, evalEvery: 1, ...overrides }),
    data: { dataset: 'mnist-rot', source: 'amat', amatDir: 'synthetic' },
    backend: 'cpu',
    workers,
  };
}

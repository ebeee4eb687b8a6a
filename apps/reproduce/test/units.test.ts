import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { learningRateAt } from '@gcnn/train';
import { InvalidArgumentError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  backendChoice,
  integerIn,
  modelList,
  positiveNumberUpTo,
  seedList,
} from '../src/commands/options.js';
import { budgetLabel } from '../src/commands/table-runner.js';
import { UserError } from '../src/errors.js';
import { learningCurvesSvg } from '../src/report/plot.js';
import { sampleStd } from '../src/report/stats.js';
import {
  dataSplit,
  formatOurs,
  formatPaper,
  type RunResult,
  splitWarning,
  tableRows,
} from '../src/report/tables.js';
import { cifarProtocol, evaluatesAfter, mnistRotProtocol } from '../src/run/protocol.js';
import { RunDirectory } from '../src/run/run-dir.js';
import { tinyConfig } from './support/tiny-data.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('protocols', () => {
  it("follow the paper's MNIST-rot and CIFAR settings", () => {
    const mnist = mnistRotProtocol(100);
    expect(mnist).toMatchObject({ batchSize: 128, evalEvery: 25, weightDecay: 0, finetuneBatchNorm: true });
    expect([1, 24, 25, 26, 50, 99, 100].filter((e) => evaluatesAfter(mnist, e))).toEqual([25, 50, 100]);
    const resnet = cifarProtocol('resnet');
    expect(resnet.epochs).toBe(300);
    const rates = [1, 50, 51, 100, 101, 151, 300].map((e) => learningRateAt(resnet.optimizer, e));
    [0.05, 0.05, 0.005, 0.005, 0.0005, 0.00005, 0.00005].forEach((rate, i) => {
      expect(rates[i]).toBeCloseTo(rate, 12);
    });
    expect(cifarProtocol('allcnnc', 3).epochs).toBe(3);
    expect(evaluatesAfter(mnistRotProtocol(3, { evalEvery: 0 }), 2)).toBe(false);
  });
});

describe('option parsers', () => {
  it('accept good values and reject bad ones with a message', () => {
    expect(seedList('0-4')).toEqual([0, 1, 2, 3, 4]);
    expect(seedList('3,1')).toEqual([3, 1]);
    expect(() => seedList('1,1')).toThrow(InvalidArgumentError);
    expect(() => seedList('a')).toThrow('expected seeds like');
    expect(integerIn(0, 5)('0')).toBe(0);
    expect(() => integerIn(1, 5)('1.5')).toThrow(InvalidArgumentError);
    expect(modelList('mnist-rot')('Z2CNN,p4cnn')).toEqual(['z2cnn', 'p4cnn']);
    expect(() => modelList('cifar10')('p4cnn')).toThrow(/unknown model 'p4cnn' here/);
    expect(backendChoice('wasm')).toBe('wasm');
    expect(() => backendChoice('metal')).toThrow(InvalidArgumentError);
  });
});

describe('every numeric flag has an upper bound', () => {
  it('refuses huge values before they are used', () => {
    // 0-99999999999 once expanded into a list of 10^11 seeds and crashed V8
    expect(() => seedList('0-99999999999')).toThrow(/expected an integer from 0 to 4294967295/);
    expect(() => seedList('0-5000')).toThrow(/at most 1000 seeds/);
    expect(seedList('4294967295')).toEqual([4294967295]);
    const epochs = integerIn(1, 100_000);
    expect(() => epochs('99999999999999999999')).toThrow('expected an integer from 1 to 100000');
    // 2^53 + 1 parses to 2^53: the digit count is checked, not only the rounded number
    expect(() => integerIn(0, Number.MAX_SAFE_INTEGER)('9007199254740993')).toThrow(InvalidArgumentError);
    expect(epochs('100000')).toBe(100_000);
    expect(() => positiveNumberUpTo(100)('1e300')).toThrow('expected a number > 0 and ≤ 100');
  });
});

describe('RunDirectory', () => {
  it('refuses foreign files and other runs, and names config differences on resume', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-rundir-'));
    const dir = path.join(root, 'run');
    await RunDirectory.open(dir, tinyConfig(2), { resume: false });
    await expect(RunDirectory.open(dir, tinyConfig(2), { resume: false })).rejects.toThrow(
      /already holds a run/,
    );
    await expect(RunDirectory.open(dir, tinyConfig(3), { resume: true })).rejects.toThrow(
      'protocol.epochs 2 (saved) vs 3 (now)',
    );
    const resumed = await RunDirectory.open(dir, { ...tinyConfig(2), backend: 'wasm' }, { resume: true });
    expect(resumed.config.backend).toBe('cpu');
    await fs.writeFile(path.join(root, 'other.txt'), 'x');
    await expect(RunDirectory.open(root, tinyConfig(2), { resume: false })).rejects.toThrow(UserError);
    await expect(
      RunDirectory.open(path.join(root, 'other.txt'), tinyConfig(2), { resume: false }),
    ).rejects.toThrow(/is a file/);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps only the log lines a checkpoint covers, dropping a torn last line', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-log-'));
    const run = await RunDirectory.open(root, tinyConfig(3), { resume: false });
    const record = (epoch: number) => ({
      epoch,
      loss: 1,
      trainError: 0.5,
      learningRate: 0.001,
      trainSeconds: 1,
      evalSeconds: 0,
      imagesPerSecond: 10,
      backend: 'cpu',
      time: 'now',
    });
    for (const epoch of [1, 2, 3]) await run.appendLog(record(epoch));
    await fs.appendFile(run.file('log.jsonl'), '{"epoch": 4, "lo');
    expect((await run.readLog()).map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect((await run.truncateLog(2)).map((r) => r.epoch)).toEqual([1, 2]);
    expect(await fs.readFile(run.file('log.jsonl'), 'utf8')).toBe(
      `${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\n`,
    );
    await fs.rm(root, { recursive: true, force: true });
  });
});

describe('data split of a table', () => {
  it("warns only when the images are not the paper's split", () => {
    expect(splitWarning({ data: dataSplit('table1', 12_000, 50_000) })).toBeUndefined();
    expect(splitWarning({ data: dataSplit('table2', 50_000, 10_000) })).toBeUndefined();
    expect(splitWarning({ data: dataSplit('table1', 11_999, 50_000) })).toMatch(
      /trained on 11,999 and tested on 50,000 images \(the paper: 12,000 \/ 50,000\)/,
    );
    expect(splitWarning({})).toBeUndefined();
  });
});

describe('tables', () => {
  const run = (model: string, seed: number, testError: number): RunResult => ({
    model,
    seed,
    directory: `runs/${model}-seed${seed}`,
    metrics: {
      format: 'gcnn-metrics/1',
      model,
      seed,
      epochs: 100,
      testError,
      testLoss: 0.1,
      finalTrainLoss: 0.05,
      finalTrainError: 0.01,
      parameters: 24_680,
      backend: 'cpu',
      imagesPerSecond: 400,
      seconds: 10,
      completedAt: '',
    },
    history: [],
  });

  it('name the budget, and the flags that overrode it', () => {
    expect(budgetLabel('quick', 'about 20 minutes', { '--epochs': undefined })).toEqual({
      budget: 'quick',
      budgetDescription: 'about 20 minutes',
    });
    expect(
      budgetLabel('quick', 'about 20 minutes', {
        '--epochs': 100,
        '--seeds': [0, 1],
        '--eval-every': undefined,
      }),
    ).toEqual({
      budget: 'quick with overrides',
      budgetDescription: '--epochs 100 --seeds 0,1 from the command line, the rest as in the quick budget',
    });
  });

  it('give mean ± sample std over seeds in percent beside the paper as printed', () => {
    const rows = tableRows(
      ['z2cnn', 'p4cnn'],
      [run('p4cnn', 1, 0.024), run('p4cnn', 0, 0.022), run('z2cnn', 0, 0.05)],
    );
    expect(rows.map((r) => r.model)).toEqual(['z2cnn', 'p4cnn']);
    expect(rows[1]!.seeds).toEqual([0, 1]);
    expect(rows[1]!.errors[0]).toBeCloseTo(2.2, 12);
    expect(rows[1]!.errors[1]).toBeCloseTo(2.4, 12);
    expect(rows[1]!.mean).toBeCloseTo(2.3, 12);
    expect(rows[1]!.std).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(formatOurs(rows[1]!)).toBe('2.30 ± 0.14');
    expect(formatOurs(rows[0]!)).toBe('5.00');
    expect(formatPaper(rows[1]!)).toBe('2.28 ± 0.04');
    expect(sampleStd([1])).toBeNull();
  });

  it('render learning curves to SVG', async () => {
    const svg = await learningCurvesSvg({
      title: 'test',
      points: [1, 2, 3].flatMap((epoch) => [
        { model: 'P4CNN', seed: 0, epoch, loss: 1 / epoch, error: 10 / epoch, split: 'train' as const },
      ]),
      references: [{ model: 'P4CNN', error: 2.28 }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/P4CNN/);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

let root: string;
let empty: string;
let cluttered: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-cli-errors-'));
  empty = path.join(root, 'empty');
  cluttered = path.join(root, 'cluttered');
  await fs.mkdir(empty);
  await fs.mkdir(cluttered);
  await fs.writeFile(path.join(cluttered, 'notes.txt'), 'not a run');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Bad input: exit code 2, and stderr holds one line (plus commander's "Did you mean" hint), no stack. */
async function expectUserError(args: string[], message: RegExp): Promise<void> {
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('(Did you mean'));
  expect(lines.at(-1)).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('gcnn: bad input gives one line and exit code 2', () => {
  it.each([
    [['train', '--model', 'resnet9000'], /unknown model 'resnet9000' \(known: z2cnn, p4cnn-rp, p4cnn/],
    [
      ['train', '--model', 'z2cnn', '--epochs', 'ten'],
      /--epochs <n>' argument 'ten' is invalid\. expected an integer from 1 to 100000/,
    ],
    [
      ['train', '--model', 'z2cnn', '--epochs', '99999999999999999999'],
      /--epochs <n>' argument '99999999999999999999' is invalid\. expected an integer from 1 to 100000/,
    ],
    [['table1', '--seeds', '0-99999999999'], /expected an integer from 0 to 4294967295/],
    [['table1', '--seeds', '0-100000'], /at most 1000 seeds can be listed/],
    [['train', '--model', 'z2cnn', '--batch-size', '1000000'], /expected an integer from 1 to 65536/],
    [['train', '--model', 'z2cnn', '--lr', '-1'], /--lr <x>' argument '-1' is invalid/],
    [['train', '--model', 'z2cnn', '--backend', 'gpu'], /expected one of auto, tensorflow, wasm, cpu/],
    [['train', '--model', 'z2cnn', '--frobnicate'], /unknown option '--frobnicate'/],
    [['trian'], /unknown command 'trian'/],
    [['train'], /--model is required/],
    [['train', '--resume'], /--resume needs --out/],
    [
      ['table1', '--models', 'z2cnn,allcnnc-z2'],
      /unknown model 'allcnnc-z2' here \(known: z2cnn, p4cnn-rp, p4cnn\)/,
    ],
    [['table1', '--seeds', '3-1'], /range 3-1 is empty/],
    [['table1', '--budget', 'huge'], /Allowed choices are quick, paper/],
    [['table2'], /required option '--cifar-dir <dir>' not specified/],
  ])('gcnn %j', async (args, message) => {
    await expectUserError(args as string[], message);
  });

  it('checks the backend and worker settings before loading any data', async () => {
    // the data directory does not exist either, but the settings are refused first (CIFAR's ZCA takes minutes)
    await expectUserError(
      [
        'train',
        '--model',
        'z2cnn',
        '--amat-dir',
        path.join(root, 'nowhere'),
        '--backend',
        'cpu',
        '--workers',
        '2',
      ],
      /--workers 2 needs the wasm backend/,
    );
  });

  it('names an unreadable data directory and where to get the files', async () => {
    await expectUserError(
      ['train', '--model', 'z2cnn', '--amat-dir', path.join(root, 'nowhere'), '--backend', 'cpu'],
      /MNIST-rot directory .*nowhere does not exist; get http.*mnist_rotation_new\.zip/,
    );
    await expectUserError(
      ['train', '--model', 'z2cnn', '--amat-dir', empty, '--backend', 'cpu'],
      /missing mnist_all_rotation_normalized_float_train_valid\.amat and .*_test\.amat .*or leave out --amat-dir to regenerate MNIST-rot$/,
    );
    // the folder the archive was unpacked in is accepted, as by @gcnn/data: the batches are looked for inside
    const unpacked = path.join(root, 'unpacked');
    await fs.mkdir(path.join(unpacked, 'cifar-10-batches-bin'), { recursive: true });
    await fs.writeFile(path.join(unpacked, 'cifar-10-batches-bin', 'test_batch.bin'), '');
    await expectUserError(
      ['table2', '--cifar-dir', unpacked, '--backend', 'cpu'],
      /CIFAR-10: .*unpacked\/cifar-10-batches-bin lacks data_batch_1\.bin/,
    );
    await expectUserError(
      ['table2', '--cifar-dir', empty, '--backend', 'cpu'],
      /CIFAR-10: .* lacks data_batch_1\.bin.*cifar-10-binary\.tar\.gz/,
    );
  });

  it('refuses an output directory that holds other files', async () => {
    await expectUserError(
      ['train', '--model', 'z2cnn', '--out', cluttered, '--backend', 'cpu'],
      /cluttered is not empty and holds no gcnn run \(found notes\.txt\)/,
    );
    await expectUserError(
      ['table1', '--out', cluttered, '--backend', 'cpu'],
      /cluttered is not empty and holds no table1 run/,
    );
    await expectUserError(['train', '--resume', '--out', empty], /empty holds no gcnn run/);
    await expectUserError(['eval', cluttered], /cluttered holds no gcnn run/);
  });

  it('prints help and the version with exit code 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/table1.*\n.*table2/s);
    const trainHelp = await runCli(['train', '--help']);
    expect(trainHelp.stdout).toMatch(/--resume/);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

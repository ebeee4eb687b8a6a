import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { verifyCheckpointFiles, writeChecksums } from '../src/run/checksums.js';
import { RunDirectory } from '../src/run/run-dir.js';
import { tinyConfig } from './support/tiny-data.js';

// The read-back checks of a run directory, in process (the CLI's view of them is fault-injection.test.ts).
let root: string;
let count = 0;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-run-files-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const record = (epoch: number) => ({
  epoch,
  loss: 2.3,
  trainError: 0.9,
  learningRate: 0.001,
  trainSeconds: 1,
  evalSeconds: 0,
  imagesPerSecond: 16,
  backend: 'cpu',
  time: '2026-01-01T00:00:00.000Z',
});
const state = (epoch: number) => ({
  format: 'gcnn-state/1',
  status: 'interrupted',
  epoch,
  iterations: 2 * epoch,
  checkpoint: epoch === 0 ? null : `checkpoints/epoch-${String(epoch).padStart(4, '0')}`,
  lastEvaluation: null,
  random: { scheme: 'derived-per-epoch', seed: 3 },
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A fresh run directory of a 2-epoch tiny config. */
async function freshRun(): Promise<RunDirectory> {
  return RunDirectory.open(path.join(root, `run-${count++}`), tinyConfig(2), { resume: false });
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const message = (error as UserError).message;
  expect(message.includes('\n')).toBe(false);
  return error as UserError;
}

describe('state.json, config.json and metrics.json are checked when read back', () => {
  it.each([
    ['not JSON', '{"format": "gcnn-st', /state\.json is damaged: not valid JSON/],
    [
      'a negative epoch',
      JSON.stringify({ ...state(1), epoch: -1 }),
      /epoch: expected an integer in \[0, 2\]/,
    ],
    ['a fractional epoch', JSON.stringify({ ...state(1), epoch: 1.5 }), /epoch: expected an integer/],
    [
      'an epoch beyond the protocol',
      JSON.stringify(state(3)),
      /epoch: expected an integer in \[0, 2\], found 3/,
    ],
    ['an unknown status', JSON.stringify({ ...state(1), status: 'done' }), /status: expected one of/],
    [
      'an epoch that does not match the checkpoint',
      JSON.stringify({ ...state(1), epoch: 2 }),
      /epoch 2 does not match checkpoint "checkpoints\/epoch-0001"/,
    ],
    [
      'a complete status before the last epoch',
      JSON.stringify({ ...state(1), status: 'complete' }),
      /status is complete after 1 of 2 epochs/,
    ],
  ])('state.json with %s', async (_, source, message) => {
    const run = await freshRun();
    await fs.writeFile(run.file('state.json'), source);
    const error = await rejection(run.readState());
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/; delete it to train this run again from epoch 0, or restore it$/);
  });

  it('accepts the state it writes', async () => {
    const run = await freshRun();
    await run.writeState(state(1) as never);
    expect(await run.readState()).toEqual(state(1));
  });

  it('config.json: a damaged file is named on load and on resume', async () => {
    const run = await freshRun();
    const file = run.file('config.json');
    const saved = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...saved, protocol: { ...saved.protocol, epochs: 1e20 } }));
    expect((await rejection(RunDirectory.load(run.dir))).message).toMatch(
      /config\.json is damaged: protocol: epochs: expected an integer in \[1, 100000\], found 1000+/,
    );
    await fs.writeFile(file, '[]');
    expect(
      (await rejection(RunDirectory.validate(run.dir, tinyConfig(2), { resume: true }))).message,
    ).toMatch(/config\.json is damaged: expected an object, found \[\]; restore it, or choose another --out/);
  });

  it('metrics.json: a damaged file says how to write it again', async () => {
    const run = await freshRun();
    await fs.writeFile(
      run.file('metrics.json'),
      JSON.stringify({ format: 'gcnn-metrics/1', model: 'z2cnn' }),
    );
    expect((await rejection(run.readMetrics())).message).toMatch(
      /metrics\.json is damaged: seed: expected an integer .*; delete it and run the same command with --resume/,
    );
  });
});

describe('log.jsonl', () => {
  const lines = (...records: unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

  it('skips only a torn last line (a crash mid-append)', async () => {
    const run = await freshRun();
    const full = lines(record(1), record(2));
    await fs.writeFile(run.file('log.jsonl'), full.slice(0, full.length - 20));
    expect((await run.readLog()).map((r) => r.epoch)).toEqual([1]);
  });

  it('refuses a damaged line in the middle instead of dropping every later record', async () => {
    const run = await freshRun();
    await fs.writeFile(run.file('log.jsonl'), `${lines(record(1)).slice(3)}${lines(record(2), record(3))}`);
    expect((await rejection(run.readLog())).message).toMatch(/log\.jsonl line 1 is damaged: not valid JSON/);
  });

  it('refuses records out of order and records with bad fields', async () => {
    const run = await freshRun();
    await fs.writeFile(run.file('log.jsonl'), lines(record(1), record(3)));
    expect((await rejection(run.readLog())).message).toMatch(/line 2 is damaged: epoch: expected epoch 2/);
    await fs.writeFile(run.file('log.jsonl'), lines(record(1), { ...record(2), loss: 'NaN' }));
    expect((await rejection(run.readLog())).message).toMatch(/line 2 is damaged: loss: expected a finite/);
  });

  it('a fresh start (state.json deleted, as the errors suggest) replaces a damaged log', async () => {
    const run = await freshRun();
    await fs.writeFile(run.file('log.jsonl'), `{"epo\n${lines(record(2))}`);
    await expect(run.readLog()).rejects.toThrow(UserError);
    expect(await run.truncateLog(0)).toEqual([]);
    expect(await run.readLog()).toEqual([]);
  });

  it('refuses a log shorter than the epochs state.json says are done', async () => {
    const run = await freshRun();
    await fs.writeFile(run.file('log.jsonl'), lines(record(1)));
    expect((await rejection(run.truncateLog(2))).message).toMatch(
      /log\.jsonl is damaged: it records 1 epochs but state\.json says 2 are done/,
    );
  });
});

describe('checkpoint checksums', () => {
  async function checkpoint(): Promise<string> {
    const dir = path.join(root, `checkpoint-${count++}`);
    await fs.mkdir(dir);
    const manifest = [{ paths: ['weights.bin'], weights: [] }];
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ weightsManifest: manifest }));
    await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(64).fill(7));
    await writeChecksums(dir);
    return dir;
  }

  it('accepts an intact checkpoint and names the file with a flipped bit', async () => {
    const dir = await checkpoint();
    await verifyCheckpointFiles(dir);
    const bytes = await fs.readFile(path.join(dir, 'weights.bin'));
    bytes[5] = (bytes[5] ?? 0) ^ 0x80;
    await fs.writeFile(path.join(dir, 'weights.bin'), bytes);
    expect((await rejection(verifyCheckpointFiles(dir))).message).toMatch(
      /weights\.bin is damaged: its SHA-256 differs/,
    );
  });

  it('names a missing weights file, a missing listing and a missing checkpoint', async () => {
    const a = await checkpoint();
    await fs.rm(path.join(a, 'weights.bin'));
    expect((await rejection(verifyCheckpointFiles(a))).message).toMatch(
      /weights\.bin is missing or unreadable/,
    );
    const b = await checkpoint();
    await fs.rm(path.join(b, 'checksums.json'));
    expect((await rejection(verifyCheckpointFiles(b))).message).toMatch(
      /checksums\.json is damaged: the file is missing/,
    );
    expect((await rejection(verifyCheckpointFiles(path.join(root, 'nowhere')))).message).toMatch(
      /checkpoint .*nowhere is missing/,
    );
  });
});

describe('lock and leftovers', () => {
  it('removes temporary files of a killed writer when the run is locked', async () => {
    const run = await freshRun();
    await fs.writeFile(run.file('.state.json.tmp-123-0123abcd'), '{');
    await fs.mkdir(run.file('checkpoints/.epoch-0001.tmp-123-0123abcd'), { recursive: true });
    await fs.writeFile(run.file('.notes'), 'kept');
    const release = await run.lock();
    await release();
    expect((await fs.readdir(run.dir)).sort()).toEqual(['.notes', 'checkpoints', 'config.json']);
    expect(await fs.readdir(run.file('checkpoints'))).toEqual([]);
  });

  it('names the live process that holds run.lock and says what to do if its PID was reused', async () => {
    const run = await freshRun();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await fs.writeFile(run.file('run.lock'), `${other.pid}\n`);
      expect((await rejection(run.lock())).message).toMatch(
        new RegExp(
          `in use by process ${other.pid} \\(.*node.*\\); if that is not a gcnn run .*delete .*run\\.lock`,
        ),
      );
    } finally {
      other.kill();
    }
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './support/cli.js';

// Crash and corruption tests of a run directory, on a tiny z2cnn run (1 batch of 16 per epoch, cpu).
// The kills are `kill -9` at exact points: GCNN_FAULT_KILL makes the CLI SIGKILL itself there.
let root: string;
let cache: string;
const tiny = () => [
  '--train-limit',
  '16',
  '--test-limit',
  '16',
  '--batch-size',
  '16',
  '--backend',
  'cpu',
  '--cache-dir',
  cache,
];
const train = (out: string) => ['train', '--model', 'z2cnn', '--epochs', '2', '--out', out, ...tiny()];
const resume = (out: string) => ['train', '--resume', '--out', out, '--backend', 'cpu', '--cache-dir', cache];
const killedAt = (args: string[], point: string) => runCli(args, { env: { GCNN_FAULT_KILL: point } });

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-faults-'));
  cache = path.join(root, 'cache');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** The weights file of the run's current checkpoint. */
async function weights(run: string): Promise<Buffer> {
  const state = await readJson(path.join(run, 'state.json'));
  return fs.readFile(path.join(run, state.checkpoint as string, 'weights.bin'));
}

/** Every `.name.tmp-*` entry left anywhere in the run directory. */
async function temporaries(run: string): Promise<string[]> {
  const entries = await fs.readdir(run, { recursive: true });
  return entries.filter((e) => /(^|\/)\.[^/]+\.tmp-[^/]*$/.test(e));
}

/** The CLI refused with exit code 2 and one line (no stack trace) matching `message`. */
function expectOneLine(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error|This is a bug/);
}

/** A copy of the run `from` for one corruption. */
async function copyRun(from: string, name: string): Promise<string> {
  const to = path.join(root, name);
  await fs.cp(from, to, { recursive: true });
  return to;
}

describe('fault injection: kill -9 and damaged files (end to end, cpu)', () => {
  let straight: string;
  let snapshot: string;

  it('a run killed at four points of its writes resumes to the weights of an uninterrupted run', async () => {
    straight = path.join(root, 'straight');
    const crashed = path.join(root, 'crashed');
    const reference = runCli([...train(straight), '--keep-checkpoints']);

    // 1. killed while the epoch-1 checkpoint is filled, before its directory is renamed into place
    const first = await killedAt(train(crashed), 'checkpoint-filled');
    expect(first.signal).toBe('SIGKILL');
    expect(await temporaries(crashed)).toEqual([expect.stringMatching(/^checkpoints\/\.epoch-0001\.tmp-/)]);
    expect(await readJson(path.join(crashed, 'state.json'))).toMatchObject({ epoch: 0, checkpoint: null });

    // 2. resumed (the leftover is removed on start) and killed half-way through appending epoch 1's log line
    const second = await killedAt(resume(crashed), 'log-append');
    expect(second.signal).toBe('SIGKILL');
    expect(await fs.readdir(path.join(crashed, 'checkpoints'))).toEqual([]);
    const torn = await fs.readFile(path.join(crashed, 'log.jsonl'), 'utf8');
    expect(torn.length).toBeGreaterThan(0);
    expect(torn.endsWith('\n')).toBe(false);

    // 3. resumed and killed after the epoch-2 checkpoint, with state.json's replacement written but not
    //    renamed (the 1st state write marks the run as running, the 2nd records epoch 1)
    const third = await killedAt(resume(crashed), 'before-rename:state.json#3');
    expect(third.signal).toBe('SIGKILL');
    expect(await readJson(path.join(crashed, 'state.json'))).toMatchObject({ epoch: 1 });
    expect((await temporaries(crashed)).some((e) => e.startsWith('.state.json.tmp-'))).toBe(true);
    snapshot = await copyRun(crashed, 'snapshot');

    // 4. the last resume completes; nothing temporary is left and the weights are those of the straight run
    const last = await runCli(resume(crashed));
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toMatch(/resuming at epoch 2/);
    expect(await temporaries(crashed)).toEqual([]);
    const log = (await fs.readFile(path.join(crashed, 'log.jsonl'), 'utf8')).trim().split('\n');
    expect(log.map((l) => JSON.parse(l).epoch)).toEqual([1, 2]);
    expect((await reference).code).toBe(0);
    expect((await weights(crashed)).equals(await weights(straight))).toBe(true);
  });

  it('refuses damaged files on resume and eval with one line naming the file', async () => {
    expect(snapshot, 'needs the run of the previous test').toBeDefined();
    const cases: Array<[string, (run: string) => Promise<void>, (run: string) => string[], RegExp]> = [
      [
        'one flipped bit in the weights',
        async (run) => {
          const file = path.join(run, 'checkpoints/epoch-0001/weights.bin');
          const bytes = await fs.readFile(file);
          bytes[1000] = (bytes[1000] ?? 0) ^ 0x10;
          await fs.writeFile(file, bytes);
        },
        resume,
        /weights\.bin is damaged: its SHA-256 differs from the one saved with the checkpoint; restore/,
      ],
      [
        'a truncated state.json',
        async (run) => {
          const file = path.join(run, 'state.json');
          const source = await fs.readFile(file, 'utf8');
          await fs.writeFile(file, source.slice(0, source.length >> 1));
        },
        resume,
        /state\.json is damaged: not valid JSON .*; delete it to train this run again from epoch 0/,
      ],
      [
        'a hand-edited epoch',
        async (run) => {
          const file = path.join(run, 'state.json');
          await fs.writeFile(file, JSON.stringify({ ...(await readJson(file)), epoch: 2 }));
        },
        resume,
        /state\.json is damaged: epoch 2 does not match checkpoint "checkpoints\/epoch-0001"/,
      ],
      [
        'a corrupt line in the middle of log.jsonl',
        async (run) => {
          const file = path.join(run, 'log.jsonl');
          const lines = (await fs.readFile(file, 'utf8')).split('\n');
          lines[0] = lines[0]?.slice(5) ?? '';
          await fs.writeFile(file, lines.join('\n'));
        },
        resume,
        /log\.jsonl line 1 is damaged: not valid JSON/,
      ],
      [
        'a truncated checkpoint manifest',
        async (run) => {
          const file = path.join(run, 'checkpoints/epoch-0001/model.json');
          await fs.truncate(file, 100);
        },
        resume,
        /model\.json is damaged: its SHA-256 differs/,
      ],
      [
        'eval of a checkpoint with a flipped bit',
        async (run) => {
          const state = await readJson(path.join(run, 'state.json'));
          const file = path.join(run, state.checkpoint as string, 'weights.bin');
          const bytes = await fs.readFile(file);
          bytes[0] = (bytes[0] ?? 0) ^ 0x01;
          await fs.writeFile(file, bytes);
        },
        (run) => ['eval', run, '--backend', 'cpu', '--cache-dir', cache],
        /weights\.bin is damaged: its SHA-256 differs/,
      ],
    ];
    // Two at a time: each is a short CLI start that stops before any training. More damaged files are
    // checked in process by run-files.test.ts.
    for (let i = 0; i < cases.length; i += 2) {
      await Promise.all(
        cases.slice(i, i + 2).map(async ([name, damage, command, message], j) => {
          const source = name.startsWith('eval') ? straight : snapshot;
          const run = await copyRun(source, `damaged-${i + j}`);
          await damage(run);
          const result = await runCli(command(run));
          expectOneLine(result, message);
        }),
      );
    }
  });
});

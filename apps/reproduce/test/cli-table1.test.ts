import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { writeAmatPair } from './support/synthetic.js';

let root: string;
let amat: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gcnn-table1-'));
  amat = path.join(root, 'amat');
  await writeAmatPair(amat, 40, 24);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('gcnn table1 (end to end on tiny .amat files, cpu)', () => {
  it('writes table1.json, table1.md and the learning-curve SVG beside the paper numbers, and resumes', async () => {
    const out = path.join(root, 'table');
    const args = [
      'table1',
      '--models',
      'z2cnn',
      '--epochs',
      '1',
      '--amat-dir',
      amat,
      '--backend',
      'cpu',
      '--out',
      out,
    ];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Z2CNN\s+1\s+0\s+\d+\.\d\d\s+5\.03 ± 0\.20/);
    // a partial .amat file is not the paper's split: said on the terminal and in both reports
    const notPaper =
      /not the paper's data: trained on \d+ and tested on \d+ images \(the paper: 12,000 \/ 50,000\)/;
    expect(first.stdout).toMatch(notPaper);
    expect(first.stderr).toMatch(notPaper);
    expect((await fs.readdir(out)).sort()).toEqual([
      'runs',
      'table1-curves.svg',
      'table1-plan.json',
      'table1.json',
      'table1.md',
    ]);
    const report = JSON.parse(await fs.readFile(path.join(out, 'table1.json'), 'utf8'));
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      model: 'z2cnn',
      epochs: 1,
      seeds: [0],
      std: null,
      paper: { error: 5.03 },
    });
    expect(report.rows[0].mean).toBeCloseTo(report.runs[0].metrics.testError * 100, 10);
    expect(report.runs[0].history).toHaveLength(1);
    const markdown = await fs.readFile(path.join(out, 'table1.md'), 'utf8');
    expect(markdown).toMatch(/\| Z2CNN \| 1 \| 0 \| \d+\.\d\d \| 5\.03 ± 0\.20 \| 21,750 \|/);
    expect(markdown).toMatch(/Command: `gcnn table1 --models z2cnn/);
    expect(markdown).toMatch(/\*\*Warning: not the paper's data: trained on/);
    expect(report.data).toMatchObject({ paperTrain: 12_000, paperTest: 50_000, paperSplit: false });
    expect(markdown).toMatch(/!\[learning curves\]\(table1-curves\.svg\)/);
    const svg = await fs.readFile(path.join(out, 'table1-curves.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/training loss/);

    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a table1 run; pass --resume/);
    const resumed = await runCli([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/\[z2cnn seed 0\] already complete/);
    const other = await runCli([...args.map((a) => (a === '1' ? '2' : a)), '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/started with a different plan/);
  });
});

// Renders docs/group.md from the code: every formula, table and example on the page is computed here, so the
// page cannot drift from the package (test/docs.test.ts fails when the file differs from this output).
import { type Group, type GroupName, p4, p4m } from '../src/index.js';
import { compositionLaw, describeLaws, inverseLaw, LAW_SYMBOLS } from '../src/symbolic-index.js';

const ARRAY_EFFECT = [
  'identity',
  '`rot90(a, 1)`: 90° counter-clockwise as displayed',
  '`rot90(a, 2)`',
  '`rot90(a, 3)`: 90° clockwise',
  'flip rows (up-down)',
  'flip rows ∘ rot90 = transpose',
  'flip rows ∘ rot90² = flip columns (left-right)',
  'flip rows ∘ rot90³ = anti-transpose',
];

const code = (text: string | number) => `\`${text}\``;

/** A Markdown table with padded columns, the way the repository's formatter (Biome) writes them. */
function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, j) => Math.max(3, ...cells.map((row) => row[j]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, j) => cell.padEnd(widths[j]!)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

function matrixBlock(rows: readonly (readonly string[])[]): string {
  const width = Math.max(...rows.flat().map((entry) => entry.length));
  const body = rows.map((row) => `  [ ${row.map((entry) => entry.padStart(width)).join('  ')} ]`);
  return ['```text', ...body, '```'].join('\n');
}

function groupSection(group: Group): string {
  const name: GroupName = group.name;
  const composition = compositionLaw(group);
  const inverse = inverseLaw(group);
  const first = name === 'p4' ? '(r1, u1, v1)' : '(m1, r1, u1, v1)';
  const caseLabel = (m: number, r: number) => (name === 'p4' ? `r = ${r}` : `m = ${m}, r = ${r}`);
  return [
    `## ${name}`,
    '',
    name === 'p4'
      ? 'Elements (r, u, v): a rotation by r quarter turns, then a translation by (u, v). Matrix T(u, v)·R(r):'
      : 'Elements (m, r, u, v): rotate by r quarter turns, flip the row axis if m = 1, translate by (u, v). ' +
        'Matrix T(u, v)·M(m)·R(r):',
    '',
    matrixBlock(inverse.element),
    '',
    '### Composition g1·g2 (g2 acts first)',
    '',
    'The symbolic product of the two element matrices, as mathjs simplified it:',
    '',
    matrixBlock(composition.product),
    '',
    'In closed form (mathjs syntax; `mod(x, n)` is in 0..n-1):',
    '',
    table(
      ['parameter', 'closed form'],
      [
        ...(name === 'p4m' ? [['m', code(composition.m)]] : []),
        ['r', code(composition.r)],
        ['u', code(composition.u)],
        ['v', code(composition.v)],
      ],
    ),
    '',
    `The translation depends only on the stabiliser part of g1 = ${first}; case by case:`,
    '',
    table(
      ['index of g1', 'g1', 'u of g1·g2', 'v of g1·g2'],
      composition.cases.map((c) => [c.index, caseLabel(c.m, c.r), code(c.u), code(c.v)]),
    ),
    '',
    '### Inverse',
    '',
    `Derived as ${name === 'p4' ? 'R(r)⁻¹·T(u, v)⁻¹' : 'R(r)⁻¹·M(m)⁻¹·T(u, v)⁻¹'} and checked on both sides ` +
      '(g·g⁻¹ = g⁻¹·g = identity) for every stabiliser element:',
    '',
    matrixBlock(inverse.inverse),
    '',
    table(
      ['parameter', 'closed form'],
      [
        ...(name === 'p4m' ? [['m', code(inverse.m)]] : []),
        ['r', code(inverse.r)],
        ['u', code(inverse.u)],
        ['v', code(inverse.v)],
      ],
    ),
    '',
    table(
      ['index of g', 'g', 'index of g⁻¹', 'u of g⁻¹', 'v of g⁻¹'],
      inverse.cases.map((c) => [c.index, caseLabel(c.m, c.r), c.inverseIndex, code(c.u), code(c.v)]),
    ),
    '',
    '### Summary (`describeLaws`)',
    '',
    '```text',
    describeLaws(group),
    '```',
  ].join('\n');
}

function stabilizerSection(): string {
  const rows = p4m.stabilizer().map((h, index) => {
    const m = p4m.matrix(h);
    return [
      index,
      `(${h.m}, ${h.r})`,
      code(`[[${m[0]![0]}, ${m[0]![1]}], [${m[1]![0]}, ${m[1]![1]}]]`),
      ARRAY_EFFECT[index]!,
    ];
  });
  const cayley = (group: Group) =>
    table(
      ['a·b', ...group.stabilizer().map((_, b) => `b = ${b}`)],
      group.cayleyTable().map((row, a) => [`**a = ${a}**`, ...row]),
    );
  const inverses = (group: Group) =>
    `[${group
      .stabilizer()
      .map((h) => group.stabilizerIndex(group.inverse(h)))
      .join(', ')}]`;
  return [
    '## The stabiliser of the origin',
    '',
    'C4 in p4 (indices 0..3) and D4 in p4m (indices 0..7); the index of (m, r) is 4·m + r. The same index orders ' +
      'the group axis of feature maps and filters. The last column is the array transform L_h (row = u, ' +
      'column = v, `(L_h a)[x] = a[h⁻¹x]`) with numpy’s `rot90`, displayed with row 0 at the top.',
    '',
    table(['index', '(m, r)', '2x2 matrix on (u, v)', 'effect on a k×k array'], rows),
    '',
    '### Cayley tables',
    '',
    'Entry [a][b] is the index of a·b (b applied first).',
    '',
    'C4 (`p4.cayleyTable()`), inverses ' + code(inverses(p4)) + ':',
    '',
    cayley(p4),
    '',
    'D4 (`p4m.cayleyTable()`), inverses ' + code(inverses(p4m)) + ' (every mirror is its own inverse):',
    '',
    cayley(p4m),
  ].join('\n');
}

function cosetSection(): string {
  const examples: [string, number[][]][] = [
    ['p4m.stabilizerCosets(p4)', p4m.stabilizerCosets(p4)],
    ['p4m.stabilizerCosets([0, 1, 2, 3])', p4m.stabilizerCosets([0, 1, 2, 3])],
    ['p4m.stabilizerCosets([0, 2, 4, 6])', p4m.stabilizerCosets([0, 2, 4, 6])],
    ['p4m.stabilizerCosets([0, 4])', p4m.stabilizerCosets([0, 4])],
    ['p4.stabilizerCosets([0, 2])', p4.stabilizerCosets([0, 2])],
  ];
  return [
    '## Cosets',
    '',
    '- `leftCoset(g)` is g·H for the stabiliser H (all elements with g’s translation); `cosetRepresentative(g)` is ' +
      'the pure translation T(u, v) in it.',
    '- `stabilizerCosets(K)` lists the left cosets h·K of a subgroup K of the stabiliser as index lists (each as ' +
      'h·k for k in K, h its smallest index). Pooling a G-feature map over each list is coset pooling over K.',
    '- p4 is the subgroup of p4m with m = 0 (index 2: the cosets p4 and mirror·p4); `p4m.cast(g)` and `p4.cast(g)` ' +
      'move an element between the two.',
    '',
    table(
      ['call', 'result'],
      examples.map(([call, result]) => [code(call), code(JSON.stringify(result).replaceAll(',', ', '))]),
    ),
  ].join('\n');
}

/** The whole page. */
export function renderGroupDoc(): string {
  return [
    '# @gcnn/group: the algebra of p4 and p4m',
    '',
    '<!-- Generated by `pnpm --filter @gcnn/group docs` (packages/group/scripts/docs.ts). Do not edit by hand:',
    '     test/docs.test.ts fails when this page differs from what the code derives. -->',
    '',
    'Every formula and table below is computed by the package: the closed forms are derived with mathjs from ' +
      'symbolic matrices (`compositionLaw`, `inverseLaw`, `describeLaws`), and the tests check each of them against ' +
      'exact integer matrix products on thousands of random elements.',
    '',
    `Conventions (the same as the authors’ GrouPy): u is the row axis (tfjs H), v the column axis (W); ` +
      'M(1) = diag(-1, 1, 1) flips the row axis; R(1) sends (u, v) to (-v, u); the product g1·g2 applies g2 first. ' +
      `Symbols: ${LAW_SYMBOLS}.`,
    '',
    groupSection(p4),
    '',
    groupSection(p4m),
    '',
    stabilizerSection(),
    '',
    cosetSection(),
    '',
  ].join('\n');
}

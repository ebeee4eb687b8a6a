// Draws docs/figures/layers-filter-transforms.svg from the package's own index maps: a 3×3 filter under the four
// slices of a Z2->p4 expansion, the eight of Z2->p4m, and a p4->p4 filter whose planes roll as they rotate.
// Run with `pnpm --filter @gcnn/layers docs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FilterIndexMap, filterIndexMap } from '../src/index-map.js';

const CELL = 22;
const GAP = 18;
const K = 3;
const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '..', '..', '..', 'docs', 'figures', 'layers-filter-transforms.svg');

// Each base cell gets a number (1..9) and a colour; plane s of a G-filter gets its own hue family.
const PLANE_HUES = [210, 20, 120, 280];
function cellColour(plane: number, index: number): string {
  const hue = PLANE_HUES[plane % PLANE_HUES.length] as number;
  return `hsl(${hue}, 70%, ${88 - index * 5}%)`;
}

interface Cell {
  plane: number;
  i: number;
  j: number;
}

/** The base cell that slice t of the expanded filter reads at (s, i, j). */
function sourceCell(map: FilterIndexMap, t: number, s: number, i: number, j: number): Cell {
  const at = (((t * map.inStabilizerSize + s) * K + i) * K + j) * 3;
  return {
    plane: map.source[at] as number,
    i: map.source[at + 1] as number,
    j: map.source[at + 2] as number,
  };
}

function grid(x: number, y: number, cell: (i: number, j: number) => Cell, showPlane: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const c = cell(i, j);
      const index = c.i * K + c.j;
      const label = showPlane ? `${'abcd'[c.plane]}${index + 1}` : String(index + 1);
      const cx = x + j * CELL;
      const cy = y + i * CELL;
      parts.push(
        `<rect x="${cx}" y="${cy}" width="${CELL}" height="${CELL}" fill="${cellColour(c.plane, index)}" stroke="#555" stroke-width="0.6"/>`,
        `<text x="${cx + CELL / 2}" y="${cy + CELL / 2 + 4}" text-anchor="middle" font-size="${showPlane ? 9 : 11}">${label}</text>`,
      );
    }
  }
  return parts.join('\n');
}

function text(x: number, y: number, content: string, size = 11, weight = 'normal'): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}">${content}</text>`;
}

const ROTATION_NAMES = ['e', 'r', 'r²', 'r³'];
function elementName(t: number): string {
  const r = ROTATION_NAMES[t % 4] as string;
  return t < 4 ? r : r === 'e' ? 'm' : `m${r}`;
}

const parts: string[] = [];
let y = 20;
const left = 10;
const block = K * CELL + GAP;

parts.push(text(left, y, 'Z2 → p4: slice t of the expanded filter is L_t W (numpy rot90 for r)', 12, 'bold'));
y += 12;
const z2p4 = filterIndexMap({ inGroup: 'Z2', outGroup: 'p4', kernelSize: K });
for (let t = 0; t < 4; t++) {
  parts.push(grid(left + t * block, y, (i, j) => sourceCell(z2p4, t, 0, i, j), false));
  parts.push(text(left + t * block, y + K * CELL + 13, `t = ${t} (${elementName(t)})`));
}
y += K * CELL + 40;

parts.push(text(left, y, 'Z2 → p4m: rotations first, then the up–down flip m (index 4·m + r)', 12, 'bold'));
y += 12;
const z2p4m = filterIndexMap({ inGroup: 'Z2', outGroup: 'p4m', kernelSize: K });
for (let t = 0; t < 8; t++) {
  const row = Math.floor(t / 4);
  const col = t % 4;
  const gy = y + row * (K * CELL + 28);
  parts.push(grid(left + col * block, gy, (i, j) => sourceCell(z2p4m, t, 0, i, j), false));
  parts.push(text(left + col * block, gy + K * CELL + 13, `t = ${t} (${elementName(t)})`));
}
y += 2 * (K * CELL + 28) + 22;

parts.push(
  text(
    left,
    y,
    'p4 → p4: planes a–d (s = 0–3); under t = r every plane rotates and the planes roll',
    12,
    'bold',
  ),
);
y += 12;
const p4p4 = filterIndexMap({ inGroup: 'p4', outGroup: 'p4', kernelSize: K });
for (const [row, t] of [0, 1].entries()) {
  const gy = y + row * (K * CELL + 30);
  for (let s = 0; s < 4; s++) {
    parts.push(grid(left + s * block, gy, (i, j) => sourceCell(p4p4, t, s, i, j), true));
    parts.push(text(left + s * block, gy + K * CELL + 13, `t = ${t}, s = ${s}`));
  }
}
y += 2 * (K * CELL + 30);

const width = left + 4 * block + 300;
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">`,
  `<rect width="100%" height="100%" fill="white"/>`,
  ...parts,
  '</svg>',
  '',
].join('\n');
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, svg);
console.log(`wrote ${output}`);

import { p4, p4m } from '@gcnn/group';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FilterIndexMap, filterIndexMap, type LayerGroup, type OutputGroup } from '../src/index.js';

const CASES: [LayerGroup, OutputGroup, number[]][] = [
  ['Z2', 'p4', [1, 2, 3, 4, 5]],
  ['p4', 'p4', [1, 2, 3, 4, 5]],
  ['Z2', 'p4m', [1, 3, 5]],
  ['p4m', 'p4m', [1, 3, 5]],
];

/** The source cell (s, i, j) that slice t reads at cell (s, i, j). */
function sourceOf(map: FilterIndexMap, t: number, cell: [number, number, number]): [number, number, number] {
  const k = map.kernelSize;
  const [s, i, j] = cell;
  const at = (((t * map.inStabilizerSize + s) * k + i) * k + j) * 3;
  return [map.source[at] as number, map.source[at + 1] as number, map.source[at + 2] as number];
}

describe('filterIndexMap', () => {
  for (const [inGroup, outGroup, sizes] of CASES) {
    for (const k of sizes) {
      const map = filterIndexMap({ inGroup, outGroup, kernelSize: k });
      const cayley = (outGroup === 'p4' ? p4 : p4m).cayleyTable();
      const cell = fc.tuple(
        fc.integer({ min: 0, max: map.inStabilizerSize - 1 }),
        fc.integer({ min: 0, max: k - 1 }),
        fc.integer({ min: 0, max: k - 1 }),
      );
      const element = fc.integer({ min: 0, max: map.outStabilizerSize - 1 });

      it(`${inGroup}->${outGroup} k=${k}: slice 0 is the identity and every slice is a bijection`, () => {
        const seen = new Set<string>();
        for (let s = 0; s < map.inStabilizerSize; s++) {
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) expect(sourceOf(map, 0, [s, i, j])).toEqual([s, i, j]);
          }
        }
        for (let t = 0; t < map.outStabilizerSize; t++) {
          seen.clear();
          for (let s = 0; s < map.inStabilizerSize; s++) {
            for (let i = 0; i < k; i++) {
              for (let j = 0; j < k; j++) seen.add(sourceOf(map, t, [s, i, j]).join());
            }
          }
          expect(seen.size).toBe(map.inStabilizerSize * k * k);
        }
      });

      it(`${inGroup}->${outGroup} k=${k}: L_a L_b = L_ab (the map is a left action)`, () => {
        fc.assert(
          fc.property(element, element, cell, (a, b, c) => {
            // (L_a L_b W)(h) = (L_b W)(a⁻¹h) = W(b⁻¹a⁻¹h): read through a's map, then b's.
            const twoSteps = sourceOf(map, b, sourceOf(map, a, c));
            expect(twoSteps).toEqual(sourceOf(map, cayley[a]?.[b] as number, c));
          }),
          { numRuns: 200 },
        );
      });
    }
  }

  it('rejects even kernels for p4m, unsupported group pairs and bad sizes', () => {
    expect(() => filterIndexMap({ inGroup: 'p4m', outGroup: 'p4m', kernelSize: 4 })).toThrow(
      /odd kernelSize/,
    );
    expect(() => filterIndexMap({ inGroup: 'p4', outGroup: 'p4m', kernelSize: 3 })).toThrow(
      /inGroup 'p4' with outGroup 'p4m'/,
    );
    expect(() => filterIndexMap({ inGroup: 'Z2', outGroup: 'Z2' as OutputGroup, kernelSize: 3 })).toThrow(
      /'p4' or 'p4m'/,
    );
    expect(() => filterIndexMap({ inGroup: 'Z2', outGroup: 'p4', kernelSize: 0 })).toThrow(
      /positive integer/,
    );
  });
});

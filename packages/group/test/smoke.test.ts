import { describe, expect, it } from 'vitest';
import { p4m } from '../src/index.js';

describe('p4m', () => {
  it('has the D4 Cayley table of paper-spec §1.3', () => {
    expect(p4m.cayleyTable()).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [1, 2, 3, 0, 7, 4, 5, 6],
      [2, 3, 0, 1, 6, 7, 4, 5],
      [3, 0, 1, 2, 5, 6, 7, 4],
      [4, 5, 6, 7, 0, 1, 2, 3],
      [5, 6, 7, 4, 3, 0, 1, 2],
      [6, 7, 4, 5, 2, 3, 0, 1],
      [7, 4, 5, 6, 1, 2, 3, 0],
    ]);
  });
});

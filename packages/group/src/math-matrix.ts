import { type Matrix, matrix } from 'mathjs';
import type { Element } from './element.js';
import type { Group } from './group.js';

/**
 * The exact 3x3 integer matrix T(u, v)·M(m)·R(r) of g as a mathjs matrix: `group.matrix(g)` (plain nested arrays,
 * checked the same way) wrapped for mathjs arithmetic.
 *
 * @example multiply(mathMatrix(p4, a), mathMatrix(p4, b)) // the matrix of p4.compose(a, b)
 */
export function mathMatrix(group: Group, g: Element): Matrix {
  return matrix(group.matrix(g));
}

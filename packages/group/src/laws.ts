import { compile, type MathNode } from 'mathjs';
import type { GroupName, Mirror, Rotation } from './element.js';
import { readMatrix } from './from-matrix.js';
import { mod4, rotation } from './linear.js';
import {
  formatAffine,
  formatExpression,
  formatLeading,
  formatMatrix,
  isSymbolicIdentity,
  multiplySymbolic,
  type SymbolicMatrix,
  substitute,
  substituteMatrix,
  symbolicMatrix,
} from './symbolic.js';
import { GroupError } from './validate.js';

// The laws are derived, not typed in: each element matrix is the symbolic product of its factors
// T(u, v)·M(mu)·R(c, s), with mu = (-1)^m, c = cos(r·π/2), s = sin(r·π/2) kept as symbols, and mathjs
// multiplies and simplifies. Only the mod-4 summaries of the rotation part are stated by hand, and each is
// checked against every case the symbolic product gives (an internal Error means the two disagree).

/** How to read the symbols of the formulas. */
export const LAW_SYMBOLS =
  'mu = (-1)^m, c = cos(r·π/2), s = sin(r·π/2); a trailing 1 or 2 names the first or second factor';

/** The translation part of a law for one stabiliser element (one value of m and r). */
export interface LawCase {
  /** Stabiliser index 4·m + r of the element the case is about. */
  readonly index: number;
  readonly m: Mirror;
  readonly r: Rotation;
  /** u of the result as a formula in the remaining symbols, e.g. `u1 - v2`. */
  readonly u: string;
  /** v of the result, e.g. `u2 + v1`. */
  readonly v: string;
}

/** Closed form of the product g1·g2 (g2 acts first), derived from symbolic matrices. */
export interface CompositionLaw {
  readonly group: GroupName;
  /** Symbolic matrix of g1 = g(m1, r1, u1, v1). */
  readonly left: string[][];
  /** Symbolic matrix of g2 = g(m2, r2, u2, v2). */
  readonly right: string[][];
  /** Their product, entry by entry, as mathjs simplified it. */
  readonly product: string[][];
  /** m of g1·g2 as a mathjs expression in m1, m2 (always `0` for p4). */
  readonly m: string;
  /** r of g1·g2 as a mathjs expression in m2, r1, r2. */
  readonly r: string;
  /** u of g1·g2 in the symbols of LAW_SYMBOLS. */
  readonly u: string;
  /** v of g1·g2 in the symbols of LAW_SYMBOLS. */
  readonly v: string;
  /** u and v for each stabiliser part (m1, r1) of g1: the translation does not depend on (m2, r2). */
  readonly cases: readonly LawCase[];
}

/** Closed form of the inverse of g = g(m, r, u, v), derived from symbolic matrices. */
export interface InverseLaw {
  readonly group: GroupName;
  /** Symbolic matrix of g. */
  readonly element: string[][];
  /** Symbolic matrix of g⁻¹ = R(r)⁻¹·M(m)⁻¹·T(u, v)⁻¹. */
  readonly inverse: string[][];
  readonly m: string;
  readonly r: string;
  readonly u: string;
  readonly v: string;
  /** u and v of g⁻¹ for each stabiliser part (m, r) of g; `index` is g's stabiliser index. */
  readonly cases: readonly (LawCase & { readonly inverseIndex: number })[];
}

/** A numbered stabiliser element with the values of its symbols. */
interface StabilizerValues {
  readonly index: number;
  readonly m: Mirror;
  readonly r: Rotation;
  readonly mu: number;
  readonly c: number;
  readonly s: number;
}

function stabilizerValues(group: GroupName): StabilizerValues[] {
  return Array.from({ length: group === 'p4' ? 4 : 8 }, (_, index) => {
    const m = (index >> 2) as Mirror;
    const r = mod4(index);
    const [c, , s] = rotation(r);
    return { index, m, r, mu: m === 1 ? -1 : 1, c, s };
  });
}

function values(v: StabilizerValues, suffix: string, group: GroupName): Record<string, number> {
  const scope: Record<string, number> = { [`c${suffix}`]: v.c, [`s${suffix}`]: v.s };
  if (group === 'p4m') scope[`mu${suffix}`] = v.mu;
  return scope;
}

/** T(u, v)·M(mu)·R(c, s) with symbolic entries (p4 has no mirror factor). */
function elementMatrix(suffix: string, group: GroupName): SymbolicMatrix {
  const [u, v, mu, c, s] = ['u', 'v', 'mu', 'c', 's'].map((name) => name + suffix) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const translation = symbolicMatrix([
    [1, 0, u],
    [0, 1, v],
    [0, 0, 1],
  ]);
  const mirror = symbolicMatrix([
    [mu, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const turn = symbolicMatrix([
    [c, `-${s}`, 0],
    [s, c, 0],
    [0, 0, 1],
  ]);
  return group === 'p4'
    ? multiplySymbolic(translation, turn)
    : multiplySymbolic(multiplySymbolic(translation, mirror), turn);
}

/** (A·B)⁻¹ = B⁻¹·A⁻¹ with T(u, v)⁻¹ = T(-u, -v), M⁻¹ = M and R(c, s)⁻¹ = R(c, -s). */
function inverseMatrix(group: GroupName): SymbolicMatrix {
  const untranslate = symbolicMatrix([
    [1, 0, '-u'],
    [0, 1, '-v'],
    [0, 0, 1],
  ]);
  const mirror = symbolicMatrix([
    ['mu', 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const unturn = symbolicMatrix([
    ['c', 's', 0],
    ['-s', 'c', 0],
    [0, 0, 1],
  ]);
  return group === 'p4'
    ? multiplySymbolic(unturn, untranslate)
    : multiplySymbolic(multiplySymbolic(unturn, mirror), untranslate);
}

/** (m, r) of the linear block of a symbolic matrix once every symbol in it has a value. */
function readLinearPart(m: SymbolicMatrix, scope: Record<string, number>, group: GroupName) {
  const entry = (i: number, j: number): number => {
    const value = m[i]![j]!.evaluate(scope);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new Error(`laws: entry [${i}][${j}] did not evaluate to an integer: ${String(value)}`);
    }
    return value + 0;
  };
  const linear = [
    [entry(0, 0), entry(0, 1), 0],
    [entry(1, 0), entry(1, 1), 0],
    [0, 0, 1],
  ];
  return readMatrix(linear, group);
}

function lawCase(v: StabilizerValues, u: MathNode, w: MathNode, symbols: readonly string[]): LawCase {
  return { index: v.index, m: v.m, r: v.r, u: formatAffine(u, symbols), v: formatAffine(w, symbols) };
}

function deriveComposition(group: GroupName): CompositionLaw {
  const left = elementMatrix('1', group);
  const right = elementMatrix('2', group);
  const product = multiplySymbolic(left, right);
  const law = {
    m: group === 'p4' ? '0' : 'mod(m1 + m2, 2)',
    r: group === 'p4' ? 'mod(r1 + r2, 4)' : 'mod((-1)^m2 * r1 + r2, 4)',
  };
  const stabilizer = stabilizerValues(group);
  const [lawM, lawR] = [compile(law.m), compile(law.r)];
  // Every pair of stabiliser parts: the symbolic product's linear block must be what the stated summary gives.
  for (const a of stabilizer) {
    for (const b of stabilizer) {
      const got = readLinearPart(product, { ...values(a, '1', group), ...values(b, '2', group) }, group);
      const scope = { m1: a.m, r1: a.r, m2: b.m, r2: b.r };
      if (got.m !== lawM.evaluate(scope) || got.r !== lawR.evaluate(scope)) {
        throw new Error(`laws: ${group} composition of cases ${a.index}·${b.index} disagrees with ${law.r}`);
      }
    }
  }
  const cases = stabilizer.map((a) => {
    const scope = values(a, '1', group);
    const [u, v] = [substitute(product[0]![2]!, scope), substitute(product[1]![2]!, scope)];
    return lawCase(a, u, v, ['u1', 'v1', 'u2', 'v2']);
  });
  return {
    group,
    left: formatMatrix(left),
    right: formatMatrix(right),
    product: formatMatrix(product),
    ...law,
    // Written as t1 + (the part that g1's linear block makes of t2).
    u: formatLeading(product[0]![2]!, 'u1', ['u1', 'v1']),
    v: formatLeading(product[1]![2]!, 'v1', ['u1', 'v1']),
    cases,
  };
}

function deriveInverse(group: GroupName): InverseLaw {
  const element = elementMatrix('', group);
  const inverse = inverseMatrix(group);
  const law = { m: group === 'p4' ? '0' : 'm', r: group === 'p4' ? 'mod(-r, 4)' : 'mod(-(-1)^m * r, 4)' };
  const [lawM, lawR] = [compile(law.m), compile(law.r)];
  const cases = stabilizerValues(group).map((g) => {
    const scope = values(g, '', group);
    const gInverse = substituteMatrix(inverse, scope);
    const gItself = substituteMatrix(element, scope);
    // Both sides: g·g⁻¹ and g⁻¹·g must be the identity as polynomials in u and v.
    for (const [name, product] of [
      ['g·g⁻¹', multiplySymbolic(gItself, gInverse)],
      ['g⁻¹·g', multiplySymbolic(gInverse, gItself)],
    ] as const) {
      if (!isSymbolicIdentity(product)) {
        throw new Error(`laws: ${group} ${name} is not the identity for case ${g.index}`);
      }
    }
    const got = readLinearPart(gInverse, {}, group);
    if (got.m !== lawM.evaluate(g) || got.r !== lawR.evaluate(g)) {
      throw new Error(`laws: ${group} inverse of case ${g.index} disagrees with ${law.r}`);
    }
    const inverseIndex = 4 * got.m + got.r;
    return { ...lawCase(g, gInverse[0]![2]!, gInverse[1]![2]!, ['u', 'v']), inverseIndex };
  });
  return {
    group,
    element: formatMatrix(element),
    inverse: formatMatrix(inverse),
    ...law,
    u: formatExpression(inverse[0]![2]!),
    v: formatExpression(inverse[1]![2]!),
    cases,
  };
}

const compositionCache = new Map<GroupName, CompositionLaw>();
const inverseCache = new Map<GroupName, InverseLaw>();

function nameOf(group: GroupName | { readonly name: GroupName }): GroupName {
  const name = typeof group === 'string' ? group : group?.name;
  if (name !== 'p4' && name !== 'p4m') {
    throw new GroupError(`laws: unknown group ${JSON.stringify(name)}: expected p4, p4m or their name`);
  }
  return name;
}

/**
 * The closed-form composition law of p4 or p4m, derived with mathjs from the symbolic product of two element
 * matrices (the first call takes a fraction of a second; the result is cached).
 *
 * @example compositionLaw(p4).u // 'c1 * u2 - s1 * v2 + u1'
 */
export function compositionLaw(group: GroupName | { readonly name: GroupName }): CompositionLaw {
  const name = nameOf(group);
  let law = compositionCache.get(name);
  if (law === undefined) {
    law = deriveComposition(name);
    compositionCache.set(name, law);
  }
  return law;
}

/**
 * The closed-form inverse law of p4 or p4m, derived with mathjs from R(r)⁻¹·M(m)⁻¹·T(u, v)⁻¹ and checked on
 * both sides (g·g⁻¹ = g⁻¹·g = identity) for every stabiliser element, symbolically in u and v.
 */
export function inverseLaw(group: GroupName | { readonly name: GroupName }): InverseLaw {
  const name = nameOf(group);
  let law = inverseCache.get(name);
  if (law === undefined) {
    law = deriveInverse(name);
    inverseCache.set(name, law);
  }
  return law;
}

function matrixText(rows: readonly (readonly string[])[]): string {
  return `[${rows.map((row) => `[${row.join(', ')}]`).join(', ')}]`;
}

/**
 * A readable, multi-line summary of the group's element matrix, composition law and inverse law, all
 * derived symbolically (see `compositionLaw` and `inverseLaw`).
 */
export function describeLaws(group: GroupName | { readonly name: GroupName }): string {
  const name = nameOf(group);
  const composition = compositionLaw(name);
  const inverse = inverseLaw(name);
  const element = name === 'p4' ? 'g(r, u, v) = T(u, v)·R(r)' : 'g(m, r, u, v) = T(u, v)·M(m)·R(r)';
  const symbols = name === 'p4' ? LAW_SYMBOLS.replace('mu = (-1)^m, ', '') : LAW_SYMBOLS;
  const lines = [
    `${name}: ${element} = ${matrixText(inverse.element)}`,
    `  where ${symbols}`,
    'composition g1·g2 (g2 acts first):',
    ...(name === 'p4m' ? [`  m = ${composition.m}`] : []),
    `  r = ${composition.r}`,
    `  u = ${composition.u}`,
    `  v = ${composition.v}`,
    'inverse g⁻¹:',
    ...(name === 'p4m' ? [`  m = ${inverse.m}`] : []),
    `  r = ${inverse.r}`,
    `  u = ${inverse.u}`,
    `  v = ${inverse.v}`,
  ];
  return lines.join('\n');
}

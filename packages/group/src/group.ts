import { checkStabilizerSubgroup, leftCosetsOf } from './cosets.js';
import { Element, type ElementInput, type ElementParams, type GroupName, type Mirror } from './element.js';
import { type MatrixInput, readMatrix } from './from-matrix.js';
import { apply, linearPart, mod4 } from './linear.js';
import { GroupError, isElementLike, validateParams } from './validate.js';

/** A point of the square lattice Z^2 as (u, v) = (row, column). */
export type Point = readonly [number, number];

/**
 * A wallpaper group of the square lattice: p4 (translations and quarter turns) or p4m (also mirrors).
 * Elements are (m, r, u, v) with matrix T(u, v)·M(m)·R(r); composition is the matrix product, so in
 * `compose(a, b)` b acts first.
 */
export interface Group {
  readonly name: GroupName;
  /** Order of the stabiliser of the origin: 4 (C4) for p4, 8 (D4) for p4m. */
  readonly stabilizerSize: 4 | 8;
  readonly identity: Element;
  /** An element from its parameters; m, u and v default to 0. Throws on invalid input. */
  element(params: ElementInput): Element;
  /** The element whose matrix is `m` (nested arrays or a mathjs matrix); throws if it is not a member. */
  fromMatrix(m: MatrixInput): Element;
  /**
   * The exact 3x3 integer matrix T(u, v)·M(m)·R(r) as nested arrays (rows); a fresh copy each call.
   * `mathMatrix` of `@gcnn/group/symbolic` gives it as a mathjs matrix.
   */
  matrix(g: Element): number[][];
  /** The (m, r, u, v) parameters of g. */
  params(g: Element): ElementParams;
  /** Whether g lies in this group (p4 holds exactly the elements with m = 0). */
  contains(g: Element): boolean;
  /** The product a·b: apply b, then a. */
  compose(a: Element, b: Element): Element;
  /** The element g⁻¹ with g·g⁻¹ = g⁻¹·g = identity. */
  inverse(g: Element): Element;
  /** Whether a and b are the same transformation (a p4 and a p4m element can be equal). */
  equals(a: Element, b: Element): boolean;
  /** The image g·x = M(m)R(r)x + (u, v) of a lattice point. */
  act(g: Element, x: Point): [number, number];
  /** The stabiliser of the origin in index order (index 4·m + r). */
  stabilizer(): readonly Element[];
  /** Index 4·m + r of g's stabiliser part h, where g = T(u, v)·h. */
  stabilizerIndex(g: Element): number;
  /** Cayley table of the stabiliser: entry [a][b] is the index of a·b. */
  cayleyTable(): number[][];
  /** The left coset g·H of the stabiliser H, in the order of `stabilizer()`. */
  leftCoset(g: Element): Element[];
  /** The pure translation T(u, v) that represents g's left coset g·H. */
  cosetRepresentative(g: Element): Element;
  /**
   * The left cosets g·K of a subgroup K of the stabiliser, as lists of stabiliser indices (each listed as
   * g·k for k in K, g its smallest index). K is a list of indices or a group whose stabiliser is inside this
   * one: `p4m.stabilizerCosets(p4)` gives [[0, 1, 2, 3], [4, 5, 6, 7]]. Throws if K is not a subgroup.
   */
  stabilizerCosets(subgroup: Group | readonly number[]): number[][];
  /** g as an element of this group (p4 elements are p4m elements); throws if g is not a member. */
  cast(g: Element): Element;
}

class SquareLatticeGroup implements Group {
  readonly stabilizerSize: 4 | 8;
  readonly identity: Element;
  readonly #stabilizer: readonly Element[];

  constructor(readonly name: GroupName) {
    this.stabilizerSize = name === 'p4' ? 4 : 8;
    this.identity = new Element(name, { m: 0, r: 0, u: 0, v: 0 });
    this.#stabilizer = Object.freeze(
      Array.from(
        { length: this.stabilizerSize },
        (_, index) => new Element(name, { m: (index >> 2) as Mirror, r: mod4(index), u: 0, v: 0 }),
      ),
    );
  }

  element(params: ElementInput): Element {
    return new Element(this.name, validateParams(params, this.name));
  }

  fromMatrix(m: MatrixInput): Element {
    return new Element(this.name, readMatrix(m, this.name));
  }

  matrix(g: Element): number[][] {
    this.#check(g, 'matrix');
    const [a, b, c, d] = linearPart(g.m, g.r);
    return [
      [a, b, g.u],
      [c, d, g.v],
      [0, 0, 1],
    ];
  }

  params(g: Element): ElementParams {
    this.#check(g, 'params');
    return paramsOf(g);
  }

  contains(g: Element): boolean {
    return isElementLike(g) && (this.name === 'p4m' || g.m === 0);
  }

  compose(a: Element, b: Element): Element {
    this.#check(a, 'compose');
    this.#check(b, 'compose');
    // M(m1)R(r1)M(m2)R(r2) = M(m1 xor m2) R((-1)^m2 r1 + r2); the translation is t1 + M(m1)R(r1) t2.
    const [du, dv] = apply(linearPart(a.m, a.r), b.u, b.v);
    return new Element(this.name, {
      m: (a.m ^ b.m) as Mirror,
      r: mod4((b.m === 1 ? -a.r : a.r) + b.r),
      u: a.u + du,
      v: a.v + dv,
    });
  }

  inverse(g: Element): Element {
    this.#check(g, 'inverse');
    // (M R)^-1 = R(-r) M(m) = M(m) R((-1)^(m+1) r); the translation is -(M R)^-1 t.
    const r = mod4(g.m === 1 ? g.r : -g.r);
    const [u, v] = apply(linearPart(g.m, r), -g.u, -g.v);
    return new Element(this.name, { m: g.m, r, u, v });
  }

  equals(a: Element, b: Element): boolean {
    this.#check(a, 'equals');
    this.#check(b, 'equals');
    return a.m === b.m && a.r === b.r && a.u === b.u && a.v === b.v;
  }

  act(g: Element, x: Point): [number, number] {
    this.#check(g, 'act');
    if (!Array.isArray(x) || x.length !== 2 || !x.every((c) => Number.isSafeInteger(c))) {
      throw new GroupError(
        `${this.name}.act: the point must be [u, v] with safe integers, got ${describe(x)}`,
      );
    }
    const [u, v] = apply(linearPart(g.m, g.r), x[0], x[1]);
    return [u + g.u, v + g.v];
  }

  stabilizer(): readonly Element[] {
    return this.#stabilizer;
  }

  stabilizerIndex(g: Element): number {
    this.#check(g, 'stabilizerIndex');
    return 4 * g.m + g.r;
  }

  cayleyTable(): number[][] {
    // A fresh copy each time: callers may modify it.
    return this.#stabilizer.map((a) => this.#stabilizer.map((b) => this.stabilizerIndex(this.compose(a, b))));
  }

  leftCoset(g: Element): Element[] {
    return this.#stabilizer.map((h) => this.compose(g, h));
  }

  cosetRepresentative(g: Element): Element {
    this.#check(g, 'cosetRepresentative');
    return new Element(this.name, { m: 0, r: 0, u: g.u, v: g.v });
  }

  stabilizerCosets(subgroup: Group | readonly number[]): number[][] {
    const table = this.cayleyTable();
    let indices: readonly number[];
    if (isGroupLike(subgroup)) {
      if (!subgroup.stabilizer().every((h) => this.contains(h))) {
        throw new GroupError(
          `${this.name}.stabilizerCosets: ${subgroup.name} is not a subgroup of ${this.name}`,
        );
      }
      indices = subgroup.stabilizer().map((h) => this.stabilizerIndex(h));
    } else if (Array.isArray(subgroup)) {
      indices = subgroup;
    } else {
      throw new GroupError(
        `${this.name}.stabilizerCosets: expected p4, p4m or a list of stabiliser indices, got ${describe(subgroup)}`,
      );
    }
    checkStabilizerSubgroup(indices, table, this.name);
    return leftCosetsOf(indices, table);
  }

  cast(g: Element): Element {
    this.#check(g, 'cast');
    return g.group === this.name && g instanceof Element ? g : new Element(this.name, paramsOf(g));
  }

  #check(g: Element, operation: string): void {
    // Structural, not instanceof: an Element made by another copy of this package is still an element.
    if (!isElementLike(g)) {
      throw new GroupError(`${this.name}.${operation}: expected a group element, got ${describe(g)}`);
    }
    if (!this.contains(g)) {
      throw new GroupError(
        `${this.name}.${operation}: ${String(g)} has a mirror, so it is not in p4; use p4m`,
      );
    }
  }
}

// Read field by field: the element may come from another copy of this package.
function paramsOf(g: ElementParams): ElementParams {
  return { m: g.m, r: g.r, u: g.u, v: g.v };
}

function isGroupLike(x: unknown): x is Group {
  return x !== null && typeof x === 'object' && typeof (x as Partial<Group>).stabilizer === 'function';
}

function describe(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  // String(NaN) rather than JSON's null, so the message names the bad number.
  if (Array.isArray(x)) return `[${x.map((item) => describe(item)).join(', ')}]`;
  return JSON.stringify(x) ?? String(x);
}

/** The group p4: translations of Z^2 and rotations by multiples of 90°. */
export const p4: Group = new SquareLatticeGroup('p4');

/** The group p4m: p4 plus mirrors; M(1) flips the row axis u. */
export const p4m: Group = new SquareLatticeGroup('p4m');

/** The group with the given name. */
export function groupByName(name: GroupName): Group {
  if (name === 'p4') return p4;
  if (name === 'p4m') return p4m;
  throw new GroupError(`unknown group ${JSON.stringify(name)}: expected 'p4' or 'p4m'`);
}

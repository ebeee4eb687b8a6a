import { type Matrix, matrix as mathMatrix } from 'mathjs';
import { Element, type ElementInput, type ElementParams, type GroupName, type Mirror } from './element.js';
import { readMatrix } from './from-matrix.js';
import { apply, linearPart, mod4 } from './linear.js';
import { GroupError, validateParams } from './validate.js';

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
  /** The element whose matrix is `m` (mathjs matrix or nested array); throws if it is not a member. */
  fromMatrix(m: Matrix | readonly (readonly number[])[]): Element;
  /** The exact 3x3 integer matrix T(u, v)·M(m)·R(r) as a mathjs matrix. */
  matrix(g: Element): Matrix;
  params(g: Element): ElementParams;
  /** Whether g lies in this group (p4 holds exactly the elements with m = 0). */
  contains(g: Element): boolean;
  /** The product a·b: apply b, then a. */
  compose(a: Element, b: Element): Element;
  inverse(g: Element): Element;
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

  fromMatrix(m: Matrix | readonly (readonly number[])[]): Element {
    return new Element(this.name, readMatrix(m, this.name));
  }

  matrix(g: Element): Matrix {
    this.#check(g, 'matrix');
    const [a, b, c, d] = linearPart(g.m, g.r);
    return mathMatrix([
      [a, b, g.u],
      [c, d, g.v],
      [0, 0, 1],
    ]);
  }

  params(g: Element): ElementParams {
    this.#check(g, 'params');
    return g.params();
  }

  contains(g: Element): boolean {
    return g instanceof Element && (this.name === 'p4m' || g.m === 0);
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
        `${this.name}.act: the point must be [u, v] with safe integers, got ${JSON.stringify(x)}`,
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
    return this.#stabilizer.map((a) => this.#stabilizer.map((b) => this.stabilizerIndex(this.compose(a, b))));
  }

  leftCoset(g: Element): Element[] {
    return this.#stabilizer.map((h) => this.compose(g, h));
  }

  cosetRepresentative(g: Element): Element {
    this.#check(g, 'cosetRepresentative');
    return new Element(this.name, { m: 0, r: 0, u: g.u, v: g.v });
  }

  #check(g: Element, operation: string): void {
    if (!(g instanceof Element)) {
      throw new GroupError(`${this.name}.${operation}: expected a group element, got ${String(g)}`);
    }
    if (!this.contains(g)) {
      throw new GroupError(
        `${this.name}.${operation}: ${g.toString()} has a mirror, so it is not in p4; use p4m`,
      );
    }
  }
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

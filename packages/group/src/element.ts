/** Name of a wallpaper group implemented here. */
export type GroupName = 'p4' | 'p4m';

/** A mirror bit: 0 keeps the row axis, 1 flips it (M(1) = diag(-1, 1, 1)). */
export type Mirror = 0 | 1;

/** A number of quarter turns, counter-clockwise as displayed. */
export type Rotation = 0 | 1 | 2 | 3;

/** The (m, r, u, v) parameters of an element: matrix T(u, v)·M(m)·R(r). */
export interface ElementParams {
  readonly m: Mirror;
  readonly r: Rotation;
  readonly u: number;
  readonly v: number;
}

/** Parameters as a user writes them: m, u and v default to 0. */
export interface ElementInput {
  readonly m?: number;
  readonly r: number;
  readonly u?: number;
  readonly v?: number;
}

/**
 * An immutable element of p4 or p4m. `group` names the group that made it; p4 elements always have m = 0,
 * so every p4 element is also a p4m element (p4 is a subgroup of p4m).
 */
export class Element implements ElementParams {
  readonly group: GroupName;
  readonly m: Mirror;
  readonly r: Rotation;
  readonly u: number;
  readonly v: number;

  /** Use `p4.element(...)` or `p4m.element(...)`: they validate the parameters. */
  constructor(group: GroupName, params: ElementParams) {
    this.group = group;
    this.m = params.m;
    this.r = params.r;
    // `+ 0` turns -0 into 0 so that equal elements also compare equal with Object.is.
    this.u = params.u + 0;
    this.v = params.v + 0;
    Object.freeze(this);
  }

  /** The parameters as a plain object. */
  params(): ElementParams {
    return { m: this.m, r: this.r, u: this.u, v: this.v };
  }

  /** e.g. `p4(r=1, u=2, v=-3)` or `p4m(m=1, r=0, u=0, v=0)`. */
  toString(): string {
    const mirror = this.group === 'p4m' ? `m=${this.m}, ` : '';
    return `${this.group}(${mirror}r=${this.r}, u=${this.u}, v=${this.v})`;
  }
}

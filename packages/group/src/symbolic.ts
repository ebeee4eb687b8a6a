import {
  ConstantNode,
  isConstantNode,
  isSymbolNode,
  type MathNode,
  parse,
  rationalize,
  simplify,
} from 'mathjs';

/** A matrix whose entries are mathjs expression trees over named symbols (u1, c1, mu1, ...). */
export type SymbolicMatrix = readonly (readonly MathNode[])[];

/** Parses a matrix written with strings (expressions) and numbers. */
export function symbolicMatrix(rows: readonly (readonly (string | number)[])[]): SymbolicMatrix {
  return rows.map((row) => row.map((entry) => simplify(parse(String(entry)))));
}

/** The product a·b, each entry simplified by mathjs. */
export function multiplySymbolic(a: SymbolicMatrix, b: SymbolicMatrix): SymbolicMatrix {
  const inner = b.length;
  if (a.some((row) => row.length !== inner)) {
    throw new Error(`multiplySymbolic: cannot multiply ${a.length}x${a[0]?.length} by ${inner}x?`);
  }
  const columns = b[0]?.length ?? 0;
  return a.map((row) =>
    Array.from({ length: columns }, (_, j) => {
      const terms = row.map((entry, k) => `(${entry.toString()}) * (${b[k]![j]!.toString()})`);
      return simplify(terms.join(' + '));
    }),
  );
}

/** Replaces symbols by numbers (e.g. c1 = 0, s1 = 1) and simplifies what is left. */
export function substitute(node: MathNode, values: Readonly<Record<string, number>>): MathNode {
  const replaced = node.transform((child) =>
    isSymbolNode(child) && child.name in values ? new ConstantNode(values[child.name]!) : child,
  );
  return simplify(replaced);
}

/** `substitute` applied to every entry. */
export function substituteMatrix(
  m: SymbolicMatrix,
  values: Readonly<Record<string, number>>,
): SymbolicMatrix {
  return m.map((row) => row.map((entry) => substitute(entry, values)));
}

/** Whether an expression is identically zero as a polynomial in its symbols. */
export function isIdenticallyZero(node: MathNode): boolean {
  const simplified = simplify(node);
  if (isZeroConstant(simplified)) return true;
  // simplify does not always cancel a product of sums; expanding the polynomial first does.
  try {
    return isZeroConstant(simplify(rationalize(simplified)));
  } catch {
    return false;
  }
}

/** Whether two symbolic matrices are equal entry by entry, as polynomials. */
export function symbolicEquals(a: SymbolicMatrix, b: SymbolicMatrix): boolean {
  return (
    a.length === b.length &&
    a.every(
      (row, i) =>
        row.length === b[i]!.length &&
        row.every((entry, j) => isIdenticallyZero(parse(`(${entry}) - (${b[i]![j]!})`))),
    )
  );
}

/** A short readable form: `mu1 * (c1 * u2 - s1 * v2) + u1`. */
export function formatExpression(node: MathNode): string {
  return node.toString({ parenthesis: 'auto', implicit: 'show' });
}

/** Every entry in readable form. */
export function formatMatrix(m: SymbolicMatrix): string[][] {
  return m.map((row) => row.map(formatExpression));
}

function isZeroConstant(node: MathNode): boolean {
  return isConstantNode(node) && Number(node.value) === 0;
}

/** Whether a square symbolic matrix is the identity, as polynomials in its symbols. */
export function isSymbolicIdentity(m: SymbolicMatrix): boolean {
  return m.every(
    (row, i) =>
      row.length === m.length &&
      row.every((entry, j) => isIdenticallyZero(parse(`(${entry.toString()}) - ${i === j ? 1 : 0}`))),
  );
}

/**
 * An affine expression with integer coefficients (e.g. `v2 + u1`) written in a fixed symbol order
 * (`u1 + v2`). The rewrite is checked: it throws if the expression is not such a form.
 */
export function formatAffine(node: MathNode, symbols: readonly string[]): string {
  const at = (scope: Record<string, number>): number => {
    const value = node.evaluate(scope);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new Error(`formatAffine: ${node.toString()} is not affine with integer coefficients`);
    }
    return value;
  };
  const zero = Object.fromEntries(symbols.map((name) => [name, 0]));
  const constant = at(zero);
  let text = '';
  for (const name of symbols) {
    const coefficient = at({ ...zero, [name]: 1 }) - constant;
    if (coefficient === 0) continue;
    const size = Math.abs(coefficient) === 1 ? name : `${Math.abs(coefficient)} * ${name}`;
    text += coefficient < 0 ? (text ? ` - ${size}` : `-${size}`) : text ? ` + ${size}` : size;
  }
  if (text === '') text = String(constant);
  else if (constant !== 0) text += ` ${constant < 0 ? '-' : '+'} ${Math.abs(constant)}`;
  return checkedRewrite(node, text);
}

/** `lead + rest` where rest is the expression with the `zeroed` symbols set to 0; checked like formatAffine. */
export function formatLeading(node: MathNode, lead: string, zeroed: readonly string[]): string {
  const rest = formatExpression(substitute(node, Object.fromEntries(zeroed.map((name) => [name, 0]))));
  const text = rest.startsWith('-') ? `${lead} - ${rest.slice(1)}` : `${lead} + ${rest}`;
  return checkedRewrite(node, text);
}

function checkedRewrite(node: MathNode, text: string): string {
  if (!isIdenticallyZero(parse(`(${node.toString()}) - (${text})`))) {
    throw new Error(`rewrite of ${node.toString()} as ${text} changed its value`);
  }
  return text;
}

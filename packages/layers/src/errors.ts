/**
 * The error thrown for misuse of the layers and ops of this package: a bad group name, a feature map of the
 * wrong rank or plane count, a kernel size the group does not allow. The message names the operation or layer,
 * what it expected and what it got.
 */
export class GroupLayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroupLayerError';
  }
}

/** Formats a shape for an error message, e.g. `[null, 28, 28, 40]`. */
export function formatShape(shape: readonly (number | null | undefined)[]): string {
  return `[${shape.map((d) => (d == null ? 'null' : String(d))).join(', ')}]`;
}

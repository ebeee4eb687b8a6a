/** Thrown when a model cannot be exported: names the layer (and its class) or the setting that is the problem. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** A step's loss was NaN or infinite: training stopped before the update, the weights are those before it. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';

  constructor(
    /** 0-based epoch. */
    readonly epoch: number,
    /** 0-based batch of the epoch. */
    readonly batch: number,
    readonly loss: number,
  ) {
    super(`the loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; stopped before the update`);
  }
}

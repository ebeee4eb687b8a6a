/** Options every model builder takes. */
export interface ModelOptions {
  /** Seed of the weight initialisation; the same seed builds the same weights. Default: random. */
  seed?: number;
  /**
   * Input [height, width, channels]. Defaults to the paper's ([28, 28, 1] for rotated MNIST, [32, 32, 3] for
   * CIFAR-10). Other sizes work where the layers allow them, e.g. odd sizes for exact equivariance with stride 2.
   */
  inputShape?: [number, number, number];
  /** Number of classes. Default 10. */
  classes?: number;
  /**
   * Last activation: 'softmax' (default; probabilities for `categoricalCrossentropy`) or 'linear' (logits, for
   * `tf.losses.softmaxCrossEntropy`).
   */
  outputActivation?: 'softmax' | 'linear';
  /** Model name. Defaults to the builder's name. */
  name?: string;
}

/**
 * tfjs-layers classes that `toPlainModel` copies as they are (they load without gcnn). Other classes, such as a
 * user's own custom layers, are refused with a clear error, because the exported model would not load without them.
 */
export const STOCK_LAYER_CLASSES: ReadonlySet<string> = new Set([
  'Activation',
  'Add',
  'Average',
  'AveragePooling1D',
  'AveragePooling2D',
  'BatchNormalization',
  'Concatenate',
  'Conv1D',
  'Conv2D',
  'Cropping2D',
  'Dense',
  'DepthwiseConv2D',
  'ELU',
  'Flatten',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'LayerNormalization',
  'LeakyReLU',
  'MaxPooling1D',
  'MaxPooling2D',
  'Maximum',
  'Minimum',
  'Multiply',
  'Permute',
  'ReLU',
  'Rescaling',
  'Reshape',
  'SeparableConv2D',
  'Softmax',
  'UpSampling2D',
  'ZeroPadding2D',
]);

/** Layers that do nothing at inference and are left out of the exported model. */
export const INFERENCE_IDENTITY_CLASSES: ReadonlySet<string> = new Set([
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

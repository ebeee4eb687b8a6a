// @gcnn/export: deploy G-CNNs without gcnn, as plain tfjs-layers models or ONNX. Browser-safe: no Node imports.
export { ExportError } from './errors.js';
export { INFERENCE_IDENTITY_CLASSES, STOCK_LAYER_CLASSES } from './stock-layers.js';
export { type PlainModelOptions, toPlainModel } from './to-plain-model.js';

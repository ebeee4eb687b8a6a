// @gcnn/export: deploy G-CNNs without gcnn, as plain tfjs-layers models or ONNX. Browser-safe: no Node imports.
export { ExportError } from './errors.js';
export { ONNX_CONVERTERS } from './onnx/convert-layers.js';
export { INFERENCE_IDENTITY_CLASSES, STOCK_LAYER_CLASSES } from './stock-layers.js';
export { MAX_OPSET, type OnnxOptions, toOnnx } from './to-onnx.js';
export { type PlainModelOptions, toPlainModel } from './to-plain-model.js';

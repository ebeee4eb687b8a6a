import * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from './errors.js';
import { type Application, applications, consumerCounts, consumersOf } from './graph.js';
import { isBatchNorm, planeBatchNorm } from './plain/batch-norm-params.js';
import { conv2dWeights, foldBatchNorm, gconvWeights, type PlainConvWeights } from './plain/conv-weights.js';
import {
  type ConvSettings,
  conv2dSettings,
  gconvSettings,
  placeBatchNorm,
  placeConv,
  placeCopy,
  placeStabilizerMax,
} from './plain/convert-layers.js';
import { PlainGraph } from './plain/plain-graph.js';
import { INFERENCE_IDENTITY_CLASSES, STOCK_LAYER_CLASSES } from './stock-layers.js';

/** Options of `toPlainModel`. */
export interface PlainModelOptions {
  /** Fold an inference batch norm into the convolution before it where that is exact. Default true. */
  foldBatchNorm?: boolean;
  /** Name of the plain model. Default: the model's name. */
  name?: string;
}

/**
 * Converts a model built from gcnn layers (GConv2D, GroupBatchNormalization, GroupMaxPool) and stock tfjs layers
 * into a `tf.LayersModel` made only of stock tfjs-layers classes, with the same inference outputs:
 * - GConv2D -> Conv2D with the expanded filter computed once (ZeroPadding2D + 'valid' for numeric padding);
 * - a batch norm that is the only reader of a linear convolution's output is folded into that convolution,
 *   any other GroupBatchNormalization becomes a stock BatchNormalization with per-plane parameters;
 * - GroupMaxPool -> Reshape + MaxPooling2D (1×n window) + Reshape;
 * - Dropout and other training-only noise layers are left out; stock layers are copied with their weights.
 * The result loads with `tf.loadLayersModel` in a program that never imports gcnn. Throws an `ExportError`
 * naming the first layer it cannot convert.
 */
export function toPlainModel(model: tfl.LayersModel, options: PlainModelOptions = {}): tfl.LayersModel {
  const fold = options.foldBatchNorm ?? true;
  const apps = applications(model);
  const counts = consumerCounts(model, apps);
  const graph = new PlainGraph();
  const mapped = new Map<number, tfl.SymbolicTensor>();
  const inputs = model.inputs.map((t) => {
    const input = tfl.input({
      batchShape: t.shape,
      dtype: t.dtype,
      name: graph.unique(t.sourceLayer.name),
    });
    mapped.set(t.id, input);
    return input;
  });
  const folded = new Set<Application['node']>();

  /** The batch norm to fold into the convolution applied at `app`, if that is exact. */
  const foldable = (app: Application, activation: string): Application | undefined => {
    if (!fold || activation !== 'linear') return undefined;
    const out = app.node.outputTensors[0];
    if (out === undefined || counts.get(out.id) !== 1) return undefined;
    const [reader] = consumersOf(out.id, apps);
    if (reader === undefined || !isBatchNorm(reader.layer) || reader.node.inputTensors.length !== 1)
      return undefined;
    return reader;
  };

  const convolve = (
    app: Application,
    x: tfl.SymbolicTensor,
    settings: ConvSettings,
    weights: PlainConvWeights,
  ) => {
    const bn = foldable(app, settings.activation);
    if (bn === undefined) return placeConv(graph, x, settings, weights);
    folded.add(bn.node);
    const y = placeConv(graph, x, settings, foldBatchNorm(weights, planeBatchNorm(bn.layer)));
    const bnOut = bn.node.outputTensors[0];
    if (bnOut !== undefined) mapped.set(bnOut.id, y);
    return y;
  };

  for (const app of apps) {
    if (folded.has(app.node)) continue;
    const { layer, node } = app;
    const className = layer.getClassName();
    const xs = node.inputTensors.map((t) => mapped.get(t.id) as tfl.SymbolicTensor);
    const x = xs[0] as tfl.SymbolicTensor;
    let y: tfl.SymbolicTensor;
    if (className === 'GConv2D') {
      y = convolve(app, x, gconvSettings(layer), gconvWeights(layer));
    } else if (className === 'Conv2D') {
      const settings = conv2dSettings(layer);
      y = foldable(app, settings.activation)
        ? convolve(app, x, settings, conv2dWeights(layer))
        : placeCopy(graph, layer, xs);
    } else if (className === 'GroupBatchNormalization') {
      y = placeBatchNorm(graph, x, layer.name, planeBatchNorm(layer));
    } else if (className === 'GroupMaxPool') {
      y = placeStabilizerMax(graph, x, layer);
    } else if (INFERENCE_IDENTITY_CLASSES.has(className)) {
      y = x;
    } else if (STOCK_LAYER_CLASSES.has(className)) {
      y = placeCopy(graph, layer, xs);
    } else {
      throw new ExportError(
        `toPlainModel: cannot convert layer '${layer.name}' of class ${className} (neither a gcnn layer nor a ` +
          'stock tfjs-layers class in STOCK_LAYER_CLASSES)',
      );
    }
    const out = node.outputTensors[0];
    if (out !== undefined) mapped.set(out.id, y);
  }
  const outputs = model.outputs.map((t) => {
    const y = mapped.get(t.id);
    if (y === undefined)
      throw new ExportError(`toPlainModel: output '${t.name}' is not reachable from the inputs`);
    return y;
  });
  return tfl.model({ inputs, outputs, name: options.name ?? model.name });
}

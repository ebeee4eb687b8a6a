import type * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from './errors.js';
import { applications } from './graph.js';
import { ONNX_CONVERTERS } from './onnx/convert-layers.js';
import { OnnxGraph, type Value } from './onnx/onnx-graph.js';
import { FLOAT, type OnnxTypes, onnx } from './onnx/proto.js';
import { type PlainModelOptions, toPlainModel } from './to-plain-model.js';

/** The newest opset whose changes to the operators used here are handled (ReduceMean/ReduceMax axes in 18). */
export const MAX_OPSET = 21;

/** Options of `toOnnx`. */
export interface OnnxOptions extends PlainModelOptions {
  /** ONNX opset version, 13 to `MAX_OPSET`. Default 13. */
  opset?: number;
  /** Name of the symbolic batch axis of the input and output. Default 'batch'. */
  batchAxisName?: string;
  /** Written into the model's `producer_name`. Default '@gcnn/export'. */
  producerName?: string;
}

function valueInfo(
  name: string,
  shape: readonly (number | null)[],
  batchAxis: string,
): OnnxTypes.IValueInfoProto {
  const dim = shape.map((d, i) =>
    d == null ? { dimParam: i === 0 ? batchAxis : `${batchAxis}_dim${i}` } : { dimValue: d },
  );
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

/**
 * Writes a model (gcnn layers and stock tfjs layers) as ONNX bytes: the model is first made plain with
 * `toPlainModel`, then each stock layer becomes ONNX nodes (Conv with pads, BatchNormalization, Relu, MaxPool,
 * GlobalAveragePool, Gemm, Sum, Softmax, Reshape, ...). The input stays NHWC float32 with a symbolic batch axis
 * (one Transpose to NCHW inside the graph), and each output has the model's output shape. Throws an
 * `ExportError` naming the first layer it cannot convert.
 */
export function toOnnx(model: tfl.LayersModel, options: OnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? 13;
  if (!Number.isInteger(opset) || opset < 13 || opset > MAX_OPSET) {
    throw new ExportError(
      `toOnnx: opset must be an integer from 13 to ${MAX_OPSET}, got ${JSON.stringify(options.opset)}`,
    );
  }
  const batchAxis = options.batchAxisName ?? 'batch';
  const plain = toPlainModel(model, options);
  try {
    const graph = new OnnxGraph(opset);
    const values = new Map<number, Value>();
    const graphInputs = plain.inputs.map((t) => {
      if (t.dtype !== 'float32')
        throw new ExportError(`toOnnx: input '${t.name}' must be float32, got ${t.dtype}`);
      const name = graph.unique(t.sourceLayer.name);
      values.set(t.id, { name, layout: 'tfjs', rank: t.shape.length });
      return valueInfo(name, t.shape, batchAxis);
    });
    for (const { layer, node } of applications(plain)) {
      const converter = ONNX_CONVERTERS[layer.getClassName()];
      if (converter === undefined) {
        throw new ExportError(
          `toOnnx: cannot convert layer '${layer.name}' of class ${layer.getClassName()} (no ONNX conversion)`,
        );
      }
      const inputs = node.inputTensors.map((t) => values.get(t.id) as Value);
      const out = node.outputTensors[0];
      if (out !== undefined) values.set(out.id, converter(graph, layer, inputs));
    }
    const graphOutputs = plain.outputs.map((t) => {
      const value = graph.inLayout(values.get(t.id) as Value, 'tfjs');
      const name = graph.node('Identity', [value.name], t.sourceLayer.name);
      return valueInfo(name, t.shape, batchAxis);
    });
    const proto = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: opset }],
      producerName: options.producerName ?? '@gcnn/export',
      graph: {
        name: model.name,
        node: graph.nodes,
        initializer: graph.initializers,
        input: graphInputs,
        output: graphOutputs,
      },
    });
    return onnx.ModelProto.encode(proto).finish();
  } finally {
    plain.dispose();
  }
}

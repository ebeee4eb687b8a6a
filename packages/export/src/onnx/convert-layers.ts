import type * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from '../errors.js';
import type { OnnxGraph, Value } from './onnx-graph.js';
import { float, int, ints, string } from './proto.js';

/** Converts one application of a stock layer to ONNX nodes. */
export type LayerConverter = (graph: OnnxGraph, layer: tfl.layers.Layer, inputs: Value[]) => Value;

function pair(value: unknown): [number, number] {
  if (typeof value === 'number') return [value, value];
  return [(value as number[])[0] as number, (value as number[])[1] as number];
}

function only(inputs: Value[]): Value {
  return inputs[0] as Value;
}

function weightsOf(layer: tfl.layers.Layer): { values: Float32Array; shape: number[] }[] {
  return layer.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync()), shape: w.shape }));
}

/** The activation function of a layer config, as ONNX nodes after `x`. */
function activate(graph: OnnxGraph, x: Value, activation: unknown, where: string): Value {
  const name = String(activation ?? 'linear');
  if (name === 'linear') return x;
  const simple: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu' };
  const op = simple[name];
  if (op !== undefined)
    return { ...x, name: graph.node(op, [x.name], `${x.name}/${name}`), pendingPads: undefined };
  if (name === 'softmax') return softmax(graph, x, -1);
  if (name === 'relu6') {
    const lo = graph.floats(`${x.name}/min`, [0], []);
    const hi = graph.floats(`${x.name}/max`, [6], []);
    return { ...x, name: graph.node('Clip', [x.name, lo, hi], `${x.name}/relu6`) };
  }
  throw new ExportError(`${where}: activation '${name}' has no ONNX conversion`);
}

function softmax(graph: OnnxGraph, x: Value, axis: number): Value {
  return {
    ...x,
    name: graph.node('Softmax', [x.name], `${x.name}/softmax`, [int('axis', graph.physicalAxis(x, axis))]),
  };
}

/** The tfjs 'same' padding of pools and convs: extra row/column at the end, as ONNX SAME_UPPER. */
function padAttributes(padding: unknown, where: string) {
  if (padding === 'valid') return [];
  if (padding === 'same') return [string('auto_pad', 'SAME_UPPER')];
  throw new ExportError(`${where}: padding ${JSON.stringify(padding)} has no ONNX conversion`);
}

const conv2d: LayerConverter = (graph, layer, inputs) => {
  const where = `Conv2D '${layer.name}'`;
  const config = layer.getConfig();
  let x = only(inputs);
  let pads = [0, 0, 0, 0];
  // A ZeroPadding2D right before a 'valid' convolution becomes the Conv's own pads.
  if (x.pendingPads !== undefined && config.padding === 'valid') {
    const [top, bottom, left, right] = x.pendingPads.pads;
    pads = [top, left, bottom, right];
    x = x.pendingPads.value;
  }
  x = graph.inLayout(x, 'nchw');
  const [kernel, bias] = weightsOf(layer);
  if (kernel === undefined) throw new ExportError(`${where}: has no kernel (is the model built?)`);
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  // tfjs [kh, kw, in, out] -> ONNX [out, in, kh, kw].
  const w = new Float32Array(kernel.values.length);
  for (let i = 0; i < kh; i += 1)
    for (let j = 0; j < kw; j += 1)
      for (let c = 0; c < cin; c += 1)
        for (let o = 0; o < cout; o += 1)
          w[((o * cin + c) * kh + i) * kw + j] = kernel.values[((i * kw + j) * cin + c) * cout + o] as number;
  const inputNames = [x.name, graph.floats(`${layer.name}/W`, w, [cout, cin, kh, kw])];
  if (bias !== undefined) inputNames.push(graph.floats(`${layer.name}/B`, bias.values, [cout]));
  const attributes = [
    ints('kernel_shape', [kh, kw]),
    ints('strides', pair(config.strides)),
    ints('dilations', pair(config.dilationRate ?? 1)),
    ...(config.padding === 'valid' ? [ints('pads', pads)] : padAttributes(config.padding, where)),
  ];
  const y: Value = { name: graph.node('Conv', inputNames, layer.name, attributes), layout: 'nchw', rank: 4 };
  return activate(graph, y, config.activation, where);
};

const zeroPadding2d: LayerConverter = (graph, layer, inputs) => {
  const padding = layer.getConfig().padding as [[number, number], [number, number]];
  const [[top, bottom], [left, right]] = padding;
  return {
    name: graph.unique(layer.name),
    layout: 'nchw',
    rank: 4,
    pendingPads: { value: only(inputs), pads: [top, bottom, left, right] },
  };
};

const batchNormalization: LayerConverter = (graph, layer, inputs) => {
  const config = layer.getConfig();
  const x = graph.materialize(only(inputs));
  const axis = Number(config.axis ?? -1);
  if (axis !== -1 && axis !== x.rank - 1) {
    throw new ExportError(`BatchNormalization '${layer.name}': only the last axis is supported, got ${axis}`);
  }
  const v = x.rank === 4 ? graph.inLayout(x, 'nchw') : x;
  if (v.rank !== 2 && v.rank !== 4) {
    throw new ExportError(`BatchNormalization '${layer.name}': inputs of rank ${v.rank} are not supported`);
  }
  const byName = new Map(
    layer.weights.map((w) => [
      w.originalName.split('/').pop() as string,
      Float32Array.from(w.read().dataSync()),
    ]),
  );
  const mean = byName.get('moving_mean') as Float32Array;
  const channels = mean.length;
  const gamma = byName.get('gamma') ?? new Float32Array(channels).fill(1);
  const beta = byName.get('beta') ?? new Float32Array(channels);
  const names = [
    v.name,
    graph.floats(`${layer.name}/scale`, gamma, [channels]),
    graph.floats(`${layer.name}/B`, beta, [channels]),
    graph.floats(`${layer.name}/mean`, mean, [channels]),
    graph.floats(`${layer.name}/var`, byName.get('moving_variance') as Float32Array, [channels]),
  ];
  const attributes = [float('epsilon', Number(config.epsilon))];
  return { ...v, name: graph.node('BatchNormalization', names, layer.name, attributes) };
};

const pool =
  (op: 'MaxPool' | 'AveragePool'): LayerConverter =>
  (graph, layer, inputs) => {
    const config = layer.getConfig();
    const where = `${layer.getClassName()} '${layer.name}'`;
    const x = graph.inLayout(only(inputs), 'nchw');
    const attributes = [
      ints('kernel_shape', pair(config.poolSize)),
      ints('strides', pair(config.strides ?? config.poolSize)),
      ...padAttributes(config.padding, where),
    ];
    return { ...x, name: graph.node(op, [x.name], layer.name, attributes) };
  };

const globalPool2d =
  (op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter =>
  (graph, layer, inputs) => {
    if (layer.getConfig().keepDims === true) {
      throw new ExportError(`${layer.getClassName()} '${layer.name}': keepDims is not supported`);
    }
    const x = graph.inLayout(only(inputs), 'nchw');
    const pooled = graph.node(op, [x.name], `${layer.name}/pool`);
    return { name: graph.node('Flatten', [pooled], layer.name, [int('axis', 1)]), layout: 'tfjs', rank: 2 };
  };

const globalPool1d =
  (op: 'ReduceMean' | 'ReduceMax'): LayerConverter =>
  (graph, layer, inputs) => {
    const x = graph.inLayout(only(inputs), 'tfjs');
    // Opset 18 moved the reduced axes of ReduceMean/ReduceMax from an attribute to a second input.
    if (graph.opset >= 18) {
      const axes = graph.int64s(`${layer.name}/axes`, [1]);
      const name = graph.node(op, [x.name, axes], layer.name, [int('keepdims', 0)]);
      return { name, layout: 'tfjs', rank: x.rank - 1 };
    }
    const attributes = [ints('axes', [1]), int('keepdims', 0)];
    return { name: graph.node(op, [x.name], layer.name, attributes), layout: 'tfjs', rank: x.rank - 1 };
  };

const reshape: LayerConverter = (graph, layer, inputs) => {
  const x = graph.inLayout(only(inputs), 'tfjs');
  const target = layer.getConfig().targetShape as number[];
  // 0 copies the batch size from the input (ONNX Reshape with allowzero = 0).
  const shape = graph.int64s(`${layer.name}/shape`, [0, ...target]);
  return {
    name: graph.node('Reshape', [x.name, shape], layer.name),
    layout: 'tfjs',
    rank: target.length + 1,
  };
};

const flatten: LayerConverter = (graph, layer, inputs) => {
  const x = graph.inLayout(only(inputs), 'tfjs');
  return { name: graph.node('Flatten', [x.name], layer.name, [int('axis', 1)]), layout: 'tfjs', rank: 2 };
};

const permute: LayerConverter = (graph, layer, inputs) => {
  const x = graph.inLayout(only(inputs), 'tfjs');
  const dims = layer.getConfig().dims as number[];
  const attributes = [ints('perm', [0, ...dims])];
  return { ...x, name: graph.node('Transpose', [x.name], layer.name, attributes) };
};

const dense: LayerConverter = (graph, layer, inputs) => {
  const config = layer.getConfig();
  const x = graph.inLayout(only(inputs), 'tfjs');
  const [kernel, bias] = weightsOf(layer);
  if (kernel === undefined)
    throw new ExportError(`Dense '${layer.name}': has no kernel (is the model built?)`);
  const w = graph.floats(`${layer.name}/W`, kernel.values, kernel.shape);
  let y: string;
  if (x.rank === 2) {
    const names = [x.name, w];
    if (bias !== undefined) names.push(graph.floats(`${layer.name}/B`, bias.values, bias.shape));
    y = graph.node('Gemm', names, layer.name);
  } else {
    y = graph.node('MatMul', [x.name, w], bias === undefined ? layer.name : `${layer.name}/matmul`);
    if (bias !== undefined)
      y = graph.node('Add', [y, graph.floats(`${layer.name}/B`, bias.values, bias.shape)], layer.name);
  }
  return activate(
    graph,
    { name: y, layout: 'tfjs', rank: x.rank },
    config.activation,
    `Dense '${layer.name}'`,
  );
};

const merge =
  (op: 'Sum' | 'Mul' | 'Max' | 'Min' | 'Mean'): LayerConverter =>
  (graph, layer, inputs) => {
    const first = graph.materialize(inputs[0] as Value);
    const xs = inputs.map((v) => graph.inLayout(v, first.layout));
    return {
      ...first,
      name: graph.node(
        op,
        xs.map((v) => v.name),
        layer.name,
      ),
    };
  };

const concatenate: LayerConverter = (graph, layer, inputs) => {
  const first = graph.materialize(inputs[0] as Value);
  const xs = inputs.map((v) => graph.inLayout(v, first.layout));
  const axis = graph.physicalAxis(first, Number(layer.getConfig().axis ?? -1));
  return {
    ...first,
    name: graph.node(
      'Concat',
      xs.map((v) => v.name),
      layer.name,
      [int('axis', axis)],
    ),
  };
};

const reLU: LayerConverter = (graph, layer, inputs) => {
  const x = graph.materialize(only(inputs));
  const maxValue = layer.getConfig().maxValue;
  if (maxValue == null) return { ...x, name: graph.node('Relu', [x.name], layer.name) };
  const lo = graph.floats(`${layer.name}/min`, [0], []);
  const hi = graph.floats(`${layer.name}/max`, [Number(maxValue)], []);
  return { ...x, name: graph.node('Clip', [x.name, lo, hi], layer.name) };
};

const leakyReLU: LayerConverter = (graph, layer, inputs) => {
  const x = graph.materialize(only(inputs));
  const alpha = Number(layer.getConfig().alpha ?? 0.3);
  return { ...x, name: graph.node('LeakyRelu', [x.name], layer.name, [float('alpha', alpha)]) };
};

/** The stock tfjs-layers classes `toOnnx` converts, by class name. */
export const ONNX_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: conv2d,
  ZeroPadding2D: zeroPadding2d,
  BatchNormalization: batchNormalization,
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling2D: globalPool2d('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool2d('GlobalMaxPool'),
  GlobalAveragePooling1D: globalPool1d('ReduceMean'),
  GlobalMaxPooling1D: globalPool1d('ReduceMax'),
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  Dense: dense,
  Add: merge('Sum'),
  Multiply: merge('Mul'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Average: merge('Mean'),
  Concatenate: concatenate,
  ReLU: reLU,
  LeakyReLU: leakyReLU,
  Activation: (graph, layer, inputs) =>
    activate(
      graph,
      graph.materialize(only(inputs)),
      layer.getConfig().activation,
      `Activation '${layer.name}'`,
    ),
  Softmax: (graph, layer, inputs) =>
    softmax(graph, graph.materialize(only(inputs)), Number(layer.getConfig().axis ?? -1)),
};

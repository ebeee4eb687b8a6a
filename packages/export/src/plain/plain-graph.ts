import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ExportError } from '../errors.js';

/** The weights to give a new layer, by the name it gives each weight ('kernel', 'bias', 'gamma', ...). */
export type NamedWeights = Record<string, { values: ArrayLike<number>; shape: number[] }>;

/** Places new stock layers into the plain model under unique names and gives them their weights. */
export class PlainGraph {
  private readonly names = new Set<string>();

  /** A name not yet used in the plain model: `wanted`, or `wanted_1`, `wanted_2`, ... */
  unique(wanted: string): string {
    let name = wanted;
    for (let i = 1; this.names.has(name); i += 1) name = `${wanted}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Applies `layer` to `inputs` and, if given, sets its weights (matched by weight name, in the layer's order). */
  place(
    layer: tfl.layers.Layer,
    inputs: tfl.SymbolicTensor[],
    weights?: NamedWeights | tf.Tensor[],
  ): tfl.SymbolicTensor {
    const output = layer.apply(inputs.length === 1 ? (inputs[0] as tfl.SymbolicTensor) : inputs);
    if (Array.isArray(output)) {
      throw new ExportError(
        `${layer.getClassName()} '${layer.name}': layers with several outputs are not supported`,
      );
    }
    if (weights === undefined) return output as tfl.SymbolicTensor;
    if (Array.isArray(weights)) {
      layer.setWeights(weights);
      return output as tfl.SymbolicTensor;
    }
    const tensors = layer.weights.map((w) => {
      const value = weights[w.originalName.split('/').pop() as string];
      if (value === undefined) {
        throw new ExportError(`internal: no value for weight '${w.originalName}' of '${layer.name}'`);
      }
      return tf.tensor(Float32Array.from(value.values), value.shape, 'float32');
    });
    try {
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
    return output as tfl.SymbolicTensor;
  }

  /** A fresh copy of a stock tfjs-layers layer, made from its config the way `tf.loadLayersModel` makes it. */
  copyOf(layer: tfl.layers.Layer, config: tf.serialization.ConfigDict): tfl.layers.Layer {
    const className = layer.getClassName();
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
    if (entry === undefined) throw new ExportError(`${className} '${layer.name}': class is not registered`);
    const [cls, fromConfig] = entry;
    return fromConfig(cls, {
      ...config,
      name: this.unique(String(config.name ?? layer.name)),
    }) as tfl.layers.Layer;
  }
}

import type * as tfl from '@tensorflow/tfjs-layers';

/** A fixed shape without the batch axis, or undefined when a dimension is unknown. */
function fixed(shape: unknown): number[] | undefined {
  if (!Array.isArray(shape) || shape.length < 2) return undefined;
  const dims = (shape as (number | null)[]).slice(1);
  return dims.every((d): d is number => typeof d === 'number') ? dims : undefined;
}

/**
 * Forward FLOPs of one image (2 × multiply-adds) through the model's convolutions (planar and group ones:
 * a G-convolution is one convolution over all input planes to all output planes) and dense layers; the
 * element-wise layers are left out. The benchmark reports speeds as shares of the matmul peak with it.
 */
export function forwardFlops(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as { kernelSize?: number | number[]; units?: number };
    let input: number[] | undefined;
    let output: number[] | undefined;
    try {
      input = fixed((layer.input as tfl.SymbolicTensor).shape);
      output = fixed(layer.outputShape);
    } catch {
      continue; // a layer used more than once has no single input
    }
    if (input === undefined || output === undefined) continue;
    if (config.kernelSize !== undefined && input.length === 3 && output.length === 3) {
      const [kh, kw] = Array.isArray(config.kernelSize)
        ? [config.kernelSize[0]!, config.kernelSize[1] ?? config.kernelSize[0]!]
        : [config.kernelSize, config.kernelSize];
      flops += 2 * output[0]! * output[1]! * output[2]! * kh * kw * input[2]!;
    } else if (config.units !== undefined) {
      flops += 2 * input.reduce((a, b) => a * b, 1) * config.units;
    }
  }
  return flops;
}

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GroupLayerError } from '../errors.js';
import { checkOutputGroup, type LayerGroup, type OutputGroup, stabilizerSize } from '../groups.js';
import { type ApplyInputs, type ApplyOutputs, checkInputProvenance, tagOutputs } from '../provenance.js';
import { stabilizerMax } from '../stabilizer-max.js';
import { checkGroupMapShape, type Kwargs, type LayerArgs, singleShape, singleTensor } from './layer-utils.js';

/** Configuration of a `GroupMaxPool` layer. */
export interface GroupMaxPoolArgs extends LayerArgs {
  /** Group of the input G-map: 'p4' (max over 4 rotations) or 'p4m' (over 8 rotations and mirrors). */
  group: OutputGroup;
}

/**
 * Max over the stabiliser axis (the paper's coset pooling over rotations, or rotations and mirrors): a G-map
 * `[N, H, W, C·n]` becomes a Z2 map `[N, H, W, C]` that is equivariant to rotations (and flips) of the input.
 * For spatial pooling of a G-map use the ordinary `tf.layers.maxPooling2d` on the C·n planes.
 */
export class GroupMaxPool extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'GroupMaxPool';
  readonly group: OutputGroup;

  constructor(args: GroupMaxPoolArgs) {
    super(args);
    if (args == null) throw new GroupLayerError(`GroupMaxPool '${this.name}': config is required`);
    this.group = checkOutputGroup(args.group, `GroupMaxPool '${this.name}'`);
  }

  private describe(): string {
    return `GroupMaxPool '${this.name}' (${this.group})`;
  }

  private planes(shape: readonly (number | null)[]): number {
    const n = stabilizerSize(this.group);
    return checkGroupMapShape(shape, this.group, n, this.describe(), `[batch, height, width, C·${n}]`);
  }

  /** The group of this layer's output, read by the provenance check of the next gcnn layer. */
  outputGroup(): LayerGroup {
    return 'Z2';
  }

  /** Refuses an input known to live on another group (see provenance.ts), then records the output's group. */
  override apply(inputs: ApplyInputs, kwargs?: Kwargs): ApplyOutputs {
    checkInputProvenance(inputs, this.group, this.describe());
    const outputs = super.apply(inputs, kwargs);
    tagOutputs(outputs, 'Z2', this.describe());
    return outputs;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    this.planes(singleShape(inputShape, this.describe()));
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape, this.describe());
    const planes = this.planes(shape);
    return [shape[0] ?? null, shape[1] ?? null, shape[2] ?? null, planes / stabilizerSize(this.group)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.describe());
      this.planes(x.shape); // checks rank 4 and a plane count divisible by n
      return stabilizerMax(x as tf.Tensor4D, stabilizerSize(this.group));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), group: this.group };
  }
}
tf.serialization.registerClass(GroupMaxPool);

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatShape, GroupLayerError } from '../errors.js';
import { gconv2d } from '../gconv2d.js';
import { type LayerGroup, type OutputGroup, stabilizerSize } from '../groups.js';
import { checkGroupPair, checkKernelSize } from '../index-map.js';
import { checkPadding, checkStrides, convOutputSize, type GroupPadding } from '../padding.js';
import { type ApplyInputs, type ApplyOutputs, checkInputProvenance, tagOutputs } from '../provenance.js';
import {
  type Constraint,
  getConstraint,
  getInitializer,
  getRegularizer,
  type Identifier,
  type Initializer,
  type Regularizer,
  serialize,
} from './config-objects.js';
import {
  checkGroupMapShape,
  fromSavedGroupName,
  type Kwargs,
  type LayerArgs,
  singleShape,
  singleTensor,
} from './layer-utils.js';

/** Configuration of a `GConv2D` layer. */
export interface GConv2DArgs extends LayerArgs {
  /** Group of the input: 'Z2' for a lifting convolution (P4ConvZ2, P4MConvZ2), else the same as `outGroup`. */
  inGroup: LayerGroup;
  /** Group of the output G-map: 'p4' or 'p4m'. */
  outGroup: OutputGroup;
  /** Number of output G-channels C_out; the output has C_out·n_out planes. */
  filters: number;
  /** Filter size k (square). Odd, or even for the C4 cases (Z2->p4, p4->p4). */
  kernelSize: number | [number, number];
  /** Stride, a number or [rows, columns]. Default 1. */
  strides?: number | [number, number];
  /** 'valid' (default), 'same' or a symmetric number of zero rows/columns (exactly equivariant). */
  padding?: GroupPadding;
  /** Whether to add one bias per output G-channel. Default true (as in GrouPy). */
  useBias?: boolean;
  /** Activation fused into the convolution: 'linear' (default) or 'relu'. */
  activation?: 'linear' | 'relu';
  /**
   * Initializer of the base filter [k, k, C_in·n_in, C_out]. Default 'heNormal', whose fan-in is C_in·n_in·k²
   * (GrouPy's default with wscale √2).
   */
  kernelInitializer?: Identifier<Initializer>;
  /** Initializer of the bias. Default 'zeros'. */
  biasInitializer?: Identifier<Initializer>;
  /** Regularizer of the base filter. */
  kernelRegularizer?: Identifier<Regularizer>;
  /** Regularizer of the bias. */
  biasRegularizer?: Identifier<Regularizer>;
  /** Constraint on the base filter. */
  kernelConstraint?: Identifier<Constraint>;
  /** Constraint on the bias. */
  biasConstraint?: Identifier<Constraint>;
}

/**
 * A G-convolution layer (lifting Z2->G or group G->G) for p4 and p4m. Input NHWC with C_in·n_in planes, output
 * NHWC with `filters`·n_out planes (plane o·n_out + t). The trainable weights are the base filter
 * `kernel` [k, k, C_in·n_in, filters] and `bias` [filters]; each call expands the filter with one gather and
 * runs one conv2d.
 */
export class GConv2D extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'GConv2D';
  readonly inGroup: LayerGroup;
  readonly outGroup: OutputGroup;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: [number, number];
  readonly padding: GroupPadding;
  readonly useBias: boolean;
  readonly activation: 'linear' | 'relu';
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: GConv2DArgs) {
    super(args);
    const where = `GConv2D '${this.name}'`;
    if (args == null) throw new GroupLayerError(`${where}: config is required`);
    [this.inGroup, this.outGroup] = checkGroupPair(fromSavedGroupName(args.inGroup), args.outGroup, where);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new GroupLayerError(
        `${where}: filters must be a positive integer, got ${JSON.stringify(args.filters)}`,
      );
    }
    this.filters = args.filters;
    const k = Array.isArray(args.kernelSize) ? args.kernelSize : [args.kernelSize, args.kernelSize];
    if (k[0] !== k[1]) {
      throw new GroupLayerError(
        `${where}: G-convolution filters are square, got kernelSize ${JSON.stringify(args.kernelSize)}`,
      );
    }
    this.kernelSize = checkKernelSize(k[0], this.inGroup, this.outGroup, where);
    this.strides = checkStrides(args.strides ?? 1, where);
    this.padding = checkPadding(args.padding ?? 'valid', where);
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? 'linear';
    if (this.activation !== 'linear' && this.activation !== 'relu') {
      throw new GroupLayerError(
        `${where}: activation must be 'linear' or 'relu', got ${JSON.stringify(args.activation)}`,
      );
    }
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'heNormal', where);
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros', where);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, where);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, where);
    this.kernelConstraint = getConstraint(args.kernelConstraint, where);
    this.biasConstraint = getConstraint(args.biasConstraint, where);
  }

  private describe(): string {
    return `GConv2D '${this.name}' (${this.inGroup}->${this.outGroup})`;
  }

  private expectedInput(): string {
    const n = stabilizerSize(this.inGroup);
    return n === 1 ? '[batch, height, width, channels]' : `[batch, height, width, C_in·${n}]`;
  }

  /** The group of this layer's output, read by the provenance check of the next gcnn layer. */
  outputGroup(): LayerGroup {
    return this.outGroup;
  }

  /** Refuses an input known to live on another group (see provenance.ts), then records the output's group. */
  override apply(inputs: ApplyInputs, kwargs?: Kwargs): ApplyOutputs {
    checkInputProvenance(inputs, this.inGroup, this.describe());
    const outputs = super.apply(inputs, kwargs);
    tagOutputs(outputs, this.outGroup, this.describe());
    return outputs;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleShape(inputShape, this.describe());
    const planes = checkGroupMapShape(
      shape,
      this.inGroup,
      stabilizerSize(this.inGroup),
      this.describe(),
      this.expectedInput(),
    );
    this.checkSpatial(shape);
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, this.kernelSize, planes, this.filters],
      'float32',
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [this.filters],
        'float32',
        this.biasInitializer,
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
    }
    this.built = true;
  }

  private checkSpatial(shape: readonly (number | null)[]): void {
    for (const axis of [1, 2] as const) {
      const out = convOutputSize(
        shape[axis] ?? null,
        this.kernelSize,
        this.strides[axis - 1] as number,
        this.padding,
      );
      if (out != null && out < 1) {
        throw new GroupLayerError(
          `${this.describe()}: input ${formatShape(shape)} is too small for a ${this.kernelSize}×${this.kernelSize}` +
            ` filter with padding ${JSON.stringify(this.padding)}`,
        );
      }
    }
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape, this.describe());
    checkGroupMapShape(
      shape,
      this.inGroup,
      stabilizerSize(this.inGroup),
      this.describe(),
      this.expectedInput(),
    );
    return [
      shape[0] ?? null,
      convOutputSize(shape[1] ?? null, this.kernelSize, this.strides[0], this.padding),
      convOutputSize(shape[2] ?? null, this.kernelSize, this.strides[1], this.padding),
      this.filters * stabilizerSize(this.outGroup),
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.describe());
      const planes = checkGroupMapShape(
        x.shape,
        this.inGroup,
        stabilizerSize(this.inGroup),
        this.describe(),
        this.expectedInput(),
      );
      const kernel = (this.kernel as tfl.LayerVariable).read() as tf.Tensor4D;
      if (planes !== kernel.shape[2]) {
        throw new GroupLayerError(
          `${this.describe()}: was built for ${kernel.shape[2]} input planes, got ${formatShape(x.shape)}`,
        );
      }
      return gconv2d(x as tf.Tensor4D, kernel, {
        inGroup: this.inGroup,
        outGroup: this.outGroup,
        strides: this.strides,
        padding: this.padding,
        bias: this.bias ? (this.bias.read() as tf.Tensor1D) : undefined,
        activation: this.activation,
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      inGroup: this.inGroup,
      outGroup: this.outGroup,
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      activation: this.activation,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      biasConstraint: serialize(this.biasConstraint),
    };
    return { ...super.getConfig(), ...config };
  }
}
tf.serialization.registerClass(GConv2D);

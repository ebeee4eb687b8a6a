import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { groupBatchNormInference, groupBatchNormTraining } from '../batch-norm.js';
import { formatShape, GroupLayerError } from '../errors.js';
import { checkLayerGroup, type LayerGroup, stabilizerSize } from '../groups.js';
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

/** Configuration of a `GroupBatchNormalization` layer. */
export interface GroupBatchNormalizationArgs extends LayerArgs {
  /** Group of the input map: 'p4', 'p4m', or 'Z2' (then this is an ordinary per-channel batch norm). */
  group: LayerGroup;
  /** Weight of the old value in the moving averages: moving = moving·momentum + batch·(1 − momentum). Default 0.9 (Chainer's decay). */
  momentum?: number;
  /** Added to the variance before the square root. Default 2e-5 (Chainer's default). */
  epsilon?: number;
  /** Whether to learn an offset beta per G-channel. Default true. */
  center?: boolean;
  /** Whether to learn a scale gamma per G-channel. Default true. */
  scale?: boolean;
  betaInitializer?: Identifier<Initializer>;
  gammaInitializer?: Identifier<Initializer>;
  movingMeanInitializer?: Identifier<Initializer>;
  movingVarianceInitializer?: Identifier<Initializer>;
  betaRegularizer?: Identifier<Regularizer>;
  gammaRegularizer?: Identifier<Regularizer>;
  betaConstraint?: Identifier<Constraint>;
  gammaConstraint?: Identifier<Constraint>;
}

/**
 * Batch normalisation of a G-map `[N, H, W, C·n]` with one mean, variance, gamma and beta per G-channel: the
 * statistics are taken over batch, space and the n stabiliser planes of the channel, so the layer commutes with
 * the group action. With `{ training: true }` (as `model.fit` passes) it normalises with the batch statistics and
 * updates the moving averages (the moving variance uses the unbiased batch variance, as Chainer does); otherwise it
 * uses the moving averages.
 */
export class GroupBatchNormalization extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'GroupBatchNormalization';
  readonly group: LayerGroup;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;
  private movingMean: tfl.LayerVariable | null = null;
  private movingVariance: tfl.LayerVariable | null = null;

  constructor(args: GroupBatchNormalizationArgs) {
    super(args);
    const where = `GroupBatchNormalization '${this.name}'`;
    if (args == null) throw new GroupLayerError(`${where}: config is required`);
    this.group = checkLayerGroup(fromSavedGroupName(args.group), where);
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 2e-5;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new GroupLayerError(`${where}: momentum must lie in [0, 1], got ${args.momentum}`);
    }
    if (!(this.epsilon > 0))
      throw new GroupLayerError(`${where}: epsilon must be positive, got ${args.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer, 'zeros', where);
    this.gammaInitializer = getInitializer(args.gammaInitializer, 'ones', where);
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer, 'zeros', where);
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer, 'ones', where);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, where);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, where);
    this.betaConstraint = getConstraint(args.betaConstraint, where);
    this.gammaConstraint = getConstraint(args.gammaConstraint, where);
  }

  private describe(): string {
    return `GroupBatchNormalization '${this.name}' (${this.group})`;
  }

  private planes(shape: readonly (number | null)[]): number {
    const n = stabilizerSize(this.group);
    const expected = n === 1 ? '[batch, height, width, channels]' : `[batch, height, width, C·${n}]`;
    return checkGroupMapShape(shape, this.group, n, this.describe(), expected);
  }

  /** The group of this layer's output, read by the provenance check of the next gcnn layer. */
  outputGroup(): LayerGroup {
    return this.group;
  }

  /** Refuses an input known to live on another group (see provenance.ts), then records the output's group. */
  override apply(inputs: ApplyInputs, kwargs?: Kwargs): ApplyOutputs {
    checkInputProvenance(inputs, this.group, this.describe());
    const outputs = super.apply(inputs, kwargs);
    tagOutputs(outputs, this.group, this.describe());
    return outputs;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const channels = this.planes(singleShape(inputShape, this.describe())) / stabilizerSize(this.group);
    if (this.scale) {
      this.gamma = this.addWeight(
        'gamma',
        [channels],
        'float32',
        this.gammaInitializer,
        this.gammaRegularizer,
        true,
        this.gammaConstraint,
      );
    }
    if (this.center) {
      this.beta = this.addWeight(
        'beta',
        [channels],
        'float32',
        this.betaInitializer,
        this.betaRegularizer,
        true,
        this.betaConstraint,
      );
    }
    this.movingMean = this.addWeight(
      'moving_mean',
      [channels],
      'float32',
      this.movingMeanInitializer,
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      this.movingVarianceInitializer,
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape, this.describe());
    this.planes(shape);
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const training = kwargs?.training === true;
    return tf.tidy(() => {
      const x = singleTensor(inputs, this.describe());
      const planes = this.planes(x.shape);
      const n = stabilizerSize(this.group);
      const channels = planes / n;
      const movingMean = (this.movingMean as tfl.LayerVariable).read() as tf.Tensor1D;
      const movingVariance = (this.movingVariance as tfl.LayerVariable).read() as tf.Tensor1D;
      if (movingMean.shape[0] !== channels) {
        throw new GroupLayerError(
          `${this.describe()}: was built for ${movingMean.shape[0]} G-channels, got ${formatShape(x.shape)}`,
        );
      }
      const gamma = this.gamma ? (this.gamma.read() as tf.Tensor1D) : tf.ones([channels]);
      const beta = this.beta ? (this.beta.read() as tf.Tensor1D) : tf.zeros([channels]);
      if (!training) {
        return groupBatchNormInference(
          x,
          movingMean,
          movingVariance,
          gamma as tf.Tensor1D,
          beta as tf.Tensor1D,
          n,
          this.epsilon,
        );
      }
      const rows = x.size / planes;
      const { y, moments } = groupBatchNormTraining(
        tf.reshape(x, [rows, planes]),
        gamma as tf.Tensor1D,
        beta as tf.Tensor1D,
        n,
        this.epsilon,
      );
      try {
        const unbiased = moments.count > 1 ? moments.count / (moments.count - 1) : 1;
        this.updateMovingAverage(this.movingMean as tfl.LayerVariable, moments.mean);
        this.updateMovingAverage(
          this.movingVariance as tfl.LayerVariable,
          tf.mul(moments.variance, unbiased),
        );
      } finally {
        moments.mean.dispose();
        moments.variance.dispose();
      }
      return tf.reshape(y, x.shape);
    });
  }

  private updateMovingAverage(variable: tfl.LayerVariable, value: tf.Tensor): void {
    tf.tidy(() => {
      const old = variable.read();
      variable.write(tf.add(tf.mul(old, this.momentum), tf.mul(value, 1 - this.momentum)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      group: this.group,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialize(this.betaInitializer),
      gammaInitializer: serialize(this.gammaInitializer),
      movingMeanInitializer: serialize(this.movingMeanInitializer),
      movingVarianceInitializer: serialize(this.movingVarianceInitializer),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
    return { ...super.getConfig(), ...config };
  }
}
tf.serialization.registerClass(GroupBatchNormalization);

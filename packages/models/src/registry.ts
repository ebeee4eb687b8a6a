import type * as tfl from '@tensorflow/tfjs-layers';
import { allCnnC } from './all-cnn-c.js';
import { p4cnn, p4cnnRotationPooling, z2cnn } from './mnist.js';
import type { ModelOptions } from './options.js';
import type { PaperModel } from './paper.js';
import { resnet26, resnet44 } from './resnet.js';

/** Builds a paper model by its id (as in `PAPER`), e.g. `buildModel('p4cnn')`. */
export const MODEL_BUILDERS: Readonly<Record<PaperModel, (options?: ModelOptions) => tfl.LayersModel>> =
  Object.freeze({
    z2cnn: (options?: ModelOptions) => z2cnn(options),
    p4cnnRotationPooling: (options?: ModelOptions) => p4cnnRotationPooling(options),
    p4cnn: (options?: ModelOptions) => p4cnn(options),
    'allCnnC-Z2': (options?: ModelOptions) => allCnnC({ ...options, group: 'Z2' }),
    'allCnnC-p4': (options?: ModelOptions) => allCnnC({ ...options, group: 'p4' }),
    'allCnnC-p4m': (options?: ModelOptions) => allCnnC({ ...options, group: 'p4m' }),
    'resnet44-Z2': (options?: ModelOptions) => resnet44({ ...options, group: 'Z2' }),
    'resnet44-p4m': (options?: ModelOptions) => resnet44({ ...options, group: 'p4m' }),
    'resnet26-Z2': (options?: ModelOptions) => resnet26({ ...options, group: 'Z2' }),
    'resnet26-p4m': (options?: ModelOptions) => resnet26({ ...options, group: 'p4m' }),
  });

/** The ids `buildModel` accepts. */
export const MODEL_IDS = Object.keys(MODEL_BUILDERS) as PaperModel[];

/** Builds the paper model `id`; throws a clear error for an unknown id. */
export function buildModel(id: string, options?: ModelOptions): tfl.LayersModel {
  const builder = (MODEL_BUILDERS as Record<string, (options?: ModelOptions) => tfl.LayersModel>)[id];
  if (builder === undefined) {
    throw new RangeError(`unknown model ${JSON.stringify(id)}; expected one of ${MODEL_IDS.join(', ')}`);
  }
  return builder(options);
}

/**
 * Imported by the data-parallel workers of @gcnn/backend (built to dist/worker-models.js): one export per
 * model, named by `workerModelExport(id)`, that builds it with logits out exactly as the main thread does.
 * The weights do not matter (the main thread sends its own before the first step); seed 0 only keeps the
 * build deterministic. Imports nothing of the app, so a worker loads little.
 */
import { buildModel, type PaperModel } from '@gcnn/models';
import type * as tfl from '@tensorflow/tfjs-layers';

const logits = (id: PaperModel) => (): tfl.LayersModel =>
  buildModel(id, { outputActivation: 'linear', seed: 0 });

export const z2cnn = logits('z2cnn');
export const p4cnnRotationPooling = logits('p4cnnRotationPooling');
export const p4cnn = logits('p4cnn');
export const allCnnCZ2 = logits('allCnnC-Z2');
export const allCnnCP4 = logits('allCnnC-p4');
export const allCnnCP4m = logits('allCnnC-p4m');
export const resnet44Z2 = logits('resnet44-Z2');
export const resnet44P4m = logits('resnet44-p4m');
export const resnet26Z2 = logits('resnet26-Z2');
export const resnet26P4m = logits('resnet26-p4m');

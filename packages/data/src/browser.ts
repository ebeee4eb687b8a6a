// @gcnn/data, browser-safe part: everything that needs no file system or other Node module (random numbers,
// data sets from arrays, batching, rotation, augmentation, normalisation, ZCA, IDX / MNIST / CIFAR-10 parsing from
// bytes). Bundlers pick it through the "browser" export condition; Node gets src/index.ts, which adds file loading.

export type {
  BatchTransform,
  Cifar10AugmentationOptions,
  ImageBatch,
  RandomRotationOptions,
} from './augment.js';
export { cifar10Augmentation, randomRotation } from './augment.js';
export type { Batch, BatchOptions, HostBatch, HostBatchOptions } from './batches.js';
export { batchCount, batches, epochOrder, gatherBatch, hostBatches } from './batches.js';
export type { Cifar10Splits, ParseCifar10Options } from './cifar10-records.js';
export { CIFAR10_CLASSES, CIFAR10_FILES, CIFAR10_URL, parseCifar10 } from './cifar10-records.js';
export { GCN_MIN_STD, globalContrastNormalize } from './contrast.js';
export type { ImageDataset } from './dataset.js';
export { concatDatasets, createDataset, floatPixels, imageSize, sliceDataset } from './dataset.js';
export type { SymmetricEigen, SymmetricEigenOptions } from './eigen.js';
export { symmetricEigen } from './eigen.js';
export { DataFileError } from './errors.js';
export type { IdxArray, IdxDataType, IdxExpectation } from './idx.js';
export { parseIdx } from './idx.js';
export type { MnistIdxNames } from './mnist-idx.js';
export { parseMnist } from './mnist-idx.js';
export type { NormalizationStats } from './normalize.js';
export { applyNormalization, normalizationStats } from './normalize.js';
export { hashWords, permutation, Rng, seedWords } from './random.js';
export type { ImageShape } from './rotate.js';
export { rotateImage } from './rotate.js';
export { sinCos, sinCosTurns } from './trig.js';
export type { ApplyZcaOptions, FitZcaOptions, ZcaProgress, ZcaWhitening } from './zca.js';
export { applyZca, fitZca } from './zca.js';

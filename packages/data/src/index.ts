// @gcnn/data: MNIST, MNIST-rot and CIFAR-10 from local files, deterministic and cached; never downloads.

export type { LoadMnistRotAmatOptions, MnistRotSplits, ReadAmatOptions } from './amat.js';
export { loadMnistRotAmat, MNIST_ROT_AMAT_FILES, MNIST_ROT_AMAT_URL, readAmat } from './amat.js';
export type {
  BatchTransform,
  Cifar10AugmentationOptions,
  ImageBatch,
  RandomRotationOptions,
} from './augment.js';
export { cifar10Augmentation, randomRotation } from './augment.js';
export type { Batch, BatchOptions, HostBatch, HostBatchOptions } from './batches.js';
export { batchCount, batches, epochOrder, gatherBatch, hostBatches } from './batches.js';
export { defaultCacheDir } from './cache.js';
export type { Cifar10Splits, LoadCifar10Options } from './cifar10.js';
export { CIFAR10_CLASSES, CIFAR10_FILES, CIFAR10_URL, loadCifar10 } from './cifar10.js';
export type {
  Cifar10PreprocessProgress,
  PreprocessCifar10Options,
  PreprocessedCifar10,
} from './cifar10-preprocess.js';
export { preprocessCifar10 } from './cifar10-preprocess.js';
export { GCN_MIN_STD, globalContrastNormalize } from './contrast.js';
export type { ImageDataset } from './dataset.js';
export { concatDatasets, createDataset, floatPixels, imageSize, sliceDataset } from './dataset.js';
export type { SymmetricEigen, SymmetricEigenOptions } from './eigen.js';
export { symmetricEigen } from './eigen.js';
export { DataFileError } from './errors.js';
export type { IdxArray, IdxDataType, IdxExpectation } from './idx.js';
export { parseIdx, readIdx } from './idx.js';
export type { LoadMnistOptions, MnistSplits } from './mnist.js';
export { defaultMnistDir, loadMnist, MNIST_FILES, mnistPaths } from './mnist.js';
export type { NormalizationStats } from './normalize.js';
export { applyNormalization, normalizationStats } from './normalize.js';
export { hashWords, permutation, Rng, seedWords } from './random.js';
export type { ImageShape } from './rotate.js';
export { rotateImage } from './rotate.js';
export type {
  GenerateRotatedMnistOptions,
  RotatedMnist,
  RotatedMnistCacheInfo,
  RotatedMnistCounts,
  RotatedMnistProgress,
} from './rotated-mnist.js';
export { generateRotatedMnist, ROTATED_MNIST_COUNTS } from './rotated-mnist.js';
export { sinCos, sinCosTurns } from './trig.js';
export type { ApplyZcaOptions, FitZcaOptions, ZcaProgress, ZcaWhitening } from './zca.js';
export { applyZca, fitZca } from './zca.js';

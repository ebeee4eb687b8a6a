// @gcnn/data for Node: the browser-safe part (./browser.ts) plus loading MNIST, MNIST-rot and CIFAR-10 from local
// files, deterministic and cached; never downloads.

export type { LoadMnistRotAmatOptions, MnistRotSplits, ReadAmatOptions } from './amat.js';
export { loadMnistRotAmat, MNIST_ROT_AMAT_FILES, MNIST_ROT_AMAT_URL, readAmat } from './amat.js';
export * from './browser.js';
export { defaultCacheDir } from './cache.js';
export type { LoadCifar10Options } from './cifar10.js';
export { loadCifar10 } from './cifar10.js';
export type {
  Cifar10PreprocessProgress,
  PreprocessCifar10Options,
  PreprocessedCifar10,
} from './cifar10-preprocess.js';
export { preprocessCifar10 } from './cifar10-preprocess.js';
export { readIdx } from './idx-file.js';
export type { LoadMnistOptions, MnistSplits } from './mnist.js';
export { defaultMnistDir, loadMnist, MNIST_FILES, mnistPaths } from './mnist.js';
export type {
  GenerateRotatedMnistOptions,
  RotatedMnist,
  RotatedMnistCacheInfo,
  RotatedMnistCounts,
  RotatedMnistProgress,
} from './rotated-mnist.js';
export { generateRotatedMnist, ROTATED_MNIST_COUNTS } from './rotated-mnist.js';

import { createDataset, type ImageDataset } from './dataset.js';
import { DataFileError } from './errors.js';
import { type IdxArray, parseIdx } from './idx.js';

/** The names used in error messages for the two files of an MNIST split. */
export interface MnistIdxNames {
  readonly images?: string;
  readonly labels?: string;
}

/**
 * One MNIST split from the bytes of its two IDX files (not gzipped), with no file system: e.g. in a browser from
 * `fetch(...).then((r) => r.arrayBuffer())`. Checks the files as `loadMnist` does (28x28 uint8 images, uint8
 * labels 0-9, equal counts) and returns 28x28x1 byte images; a bad file gives a DataFileError naming it.
 */
export function parseMnist(
  images: Uint8Array | ArrayBuffer,
  labels: Uint8Array | ArrayBuffer,
  names: MnistIdxNames = {},
): ImageDataset {
  const imagesName = names.images ?? 'MNIST images';
  const labelsName = names.labels ?? 'MNIST labels';
  return mnistFromIdx(
    parseIdx(images, imagesName, { dtype: 'uint8', shape: [null, 28, 28] }),
    parseIdx(labels, labelsName, { dtype: 'uint8', shape: [null] }),
    imagesName,
    labelsName,
  );
}

/** The split from decoded IDX arrays (already checked for type and shape). */
export function mnistFromIdx(
  images: IdxArray,
  labels: IdxArray,
  imagesName: string,
  labelsName: string,
): ImageDataset {
  const count = images.shape[0]!;
  if (labels.shape[0] !== count) {
    throw new DataFileError(
      labelsName,
      `has ${labels.shape[0]} labels but ${imagesName} has ${count} images`,
    );
  }
  const labelBytes = labels.data as Uint8Array;
  for (let i = 0; i < count; i++) {
    if (labelBytes[i]! > 9)
      throw new DataFileError(labelsName, `label ${labelBytes[i]} at index ${i} is not a digit 0-9`);
  }
  return createDataset({
    images: images.data as Uint8Array,
    labels: labelBytes,
    height: 28,
    width: 28,
    channels: 1,
  });
}

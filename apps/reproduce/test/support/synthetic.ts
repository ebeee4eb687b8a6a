import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createDataset, type ImageDataset } from '@gcnn/data';
import { seededUniform } from '@gcnn/train';
import { AMAT_FILES } from '../../src/integrations/data.js';

/**
 * A tiny learnable stand-in for MNIST-rot: class k is a fixed random 28x28 template rotated by a random
 * multiple of 90° plus noise, pixels in [0, 1]. Deterministic in `seed`.
 */
export function syntheticDigits(count: number, seed: number): ImageDataset {
  const templates = Array.from({ length: 10 }, (_, k) => {
    const random = seededUniform(1000 + k);
    return Float32Array.from({ length: 784 }, () => (random() < 0.25 ? 1 : 0));
  });
  const random = seededUniform(seed);
  const images = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    const template = templates[label]!;
    const turns = Math.floor(random() * 4);
    for (let u = 0; u < 28; u++) {
      for (let v = 0; v < 28; v++) {
        // rotate (u, v) back by `turns` quarter turns to find the source pixel
        let su = u;
        let sv = v;
        for (let t = 0; t < turns; t++) [su, sv] = [sv, 27 - su];
        const value = template[su * 28 + sv]! * 0.8 + random() * 0.2;
        images[i * 784 + u * 28 + v] = value;
      }
    }
    labels[i] = label;
  }
  return createDataset({ images, labels, height: 28, width: 28, channels: 1 });
}

/** Writes a train/test pair of .amat files (785 numbers per line, label last) into `dir`. */
export async function writeAmatPair(dir: string, trainCount: number, testCount: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const write = async (file: string, set: ImageDataset) => {
    const lines: string[] = [];
    for (let i = 0; i < set.count; i++) {
      const pixels = Array.from(set.images.subarray(i * 784, (i + 1) * 784), (x: number) => x.toFixed(4));
      lines.push(`${pixels.join(' ')} ${set.labels[i]!.toFixed(1)}`);
    }
    await fs.writeFile(path.join(dir, file), `${lines.join('\n')}\n`);
  };
  await write(AMAT_FILES.train, syntheticDigits(trainCount, 1));
  await write(AMAT_FILES.test, syntheticDigits(testCount, 2));
}

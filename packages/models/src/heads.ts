import { type LayerGroup, stabilizerSize } from '@gcnn/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Node } from './blocks.js';

/**
 * Global average pooling over space and, for a G-map, over the n stabiliser planes of each channel: [N, H, W, C·n]
 * -> [N, C]. Averaging over the whole group orbit makes the result invariant to the stabiliser.
 */
export function groupAveragePool(x: Node, name: string, group: LayerGroup, channels: number): Node {
  const pooled = tfl.layers.globalAveragePooling2d({ name: `${name}/space-pool` }).apply(x) as Node;
  const n = stabilizerSize(group);
  if (n === 1) return pooled;
  // Plane c·n + s: view as [C, n], move the stabiliser axis first and average it away.
  const byChannel = tfl.layers
    .reshape({ name: `${name}/planes`, targetShape: [channels, n] })
    .apply(pooled) as Node;
  const byPlane = tfl.layers.permute({ name: `${name}/transpose`, dims: [2, 1] }).apply(byChannel) as Node;
  return tfl.layers.globalAveragePooling1d({ name: `${name}/group-pool` }).apply(byPlane) as Node;
}

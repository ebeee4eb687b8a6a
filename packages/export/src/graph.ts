import type * as tfl from '@tensorflow/tfjs-layers';

/** One application of a layer in a functional graph (tfjs-layers' internal `Node`). */
export type LayerNode = tfl.layers.Layer['inboundNodes'][number];

/** A layer application with the layer it belongs to. */
export interface Application {
  readonly layer: tfl.layers.Layer;
  readonly node: LayerNode;
}

/**
 * The layer applications of `model` in an order where every input is produced before it is used, starting from
 * the model's inputs. `model.layers` is sorted by depth, so one pass over it finds every node whose inputs are
 * reachable; nodes of other models that share a layer but not the inputs are left out.
 */
export function applications(model: tfl.LayersModel): Application[] {
  const known = new Set<number>(model.inputs.map((t) => t.id));
  const result: Application[] = [];
  let progress = true;
  const done = new Set<LayerNode>();
  // A second pass only matters for graphs whose layer order is not topological (never for tfjs-built models).
  while (progress) {
    progress = false;
    for (const layer of model.layers) {
      for (const node of layer.inboundNodes) {
        if (done.has(node) || node.inputTensors.length === 0 || layer.getClassName() === 'InputLayer')
          continue;
        if (!node.inputTensors.every((t) => known.has(t.id))) continue;
        done.add(node);
        result.push({ layer, node });
        for (const t of node.outputTensors) known.add(t.id);
        progress = true;
      }
    }
  }
  return result;
}

/** How many layer applications (plus model outputs) read each symbolic tensor, by tensor id. */
export function consumerCounts(model: tfl.LayersModel, apps: readonly Application[]): Map<number, number> {
  const counts = new Map<number, number>();
  const bump = (id: number) => counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const { node } of apps) for (const t of node.inputTensors) bump(t.id);
  for (const t of model.outputs) bump(t.id);
  return counts;
}

/** The layer applications among `apps` that read tensor `id`. */
export function consumersOf(id: number, apps: readonly Application[]): Application[] {
  return apps.filter(({ node }) => node.inputTensors.some((t) => t.id === id));
}

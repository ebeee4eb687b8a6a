import { ExportError } from '../errors.js';
import { type Attribute, FLOAT, INT64, ints, type OnnxTypes } from './proto.js';

/**
 * How a value's axes are stored. tfjs feature maps are NHWC; ONNX convolutions and pools want NCHW, so rank-4
 * maps are kept as NCHW between such ops ('nchw') and transposed back only where a layer depends on the memory
 * order (Reshape, Flatten, Permute, Dense, outputs): 'tfjs' means the same axis order as in tfjs.
 */
export type Layout = 'tfjs' | 'nchw';

/** A tensor in the ONNX graph. */
export interface Value {
  readonly name: string;
  readonly layout: Layout;
  /** The rank of the tensor (the same in both layouts). */
  readonly rank: number;
  /** Zero padding not yet applied (a ZeroPadding2D whose Pad a following Conv can absorb): [top, bottom, left, right]. */
  readonly pendingPads?: { readonly value: Value; readonly pads: readonly [number, number, number, number] };
}

/** The physical position in an NCHW value of each tfjs (NHWC) axis. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;

/** Builds the nodes and initializers of an ONNX graph. */
export class OnnxGraph {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly converted = new Map<string, Value>();

  /** @param opset the ONNX opset the graph is written for (some operators changed their inputs over versions). */
  constructor(readonly opset: number) {}

  /** A tensor or node name not used yet. */
  unique(wanted: string): string {
    let name = wanted;
    for (let i = 1; this.used.has(name); i += 1) name = `${wanted}_${i}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer; returns its name. */
  floats(name: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const unique = this.unique(name);
    const data = Float32Array.from(values);
    this.initializers.push({
      name: unique,
      dataType: FLOAT,
      dims: [...dims],
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return unique;
  }

  /** An int64 initializer (shapes, pads); returns its name. */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dataType: INT64, dims: [values.length], int64Data: [...values] });
    return unique;
  }

  /** Adds a node with one output; returns the output's name. */
  node(opType: string, inputs: readonly string[], name: string, attributes: Attribute[] = []): string {
    const output = this.unique(name);
    this.nodes.push({ opType, input: [...inputs], output: [output], name: output, attribute: attributes });
    return output;
  }

  /** Applies a pending zero padding with a Pad node. */
  materialize(value: Value): Value {
    if (value.pendingPads === undefined) return value;
    const source = this.inLayout(value.pendingPads.value, 'nchw');
    const [top, bottom, left, right] = value.pendingPads.pads;
    const pads = this.int64s(`${value.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
    return { name: this.node('Pad', [source.name, pads], value.name), layout: 'nchw', rank: 4 };
  }

  /** The value in the wanted layout, with a Transpose when needed (each conversion made once). */
  inLayout(value: Value, layout: Layout): Value {
    const v = this.materialize(value);
    if (v.layout === layout) return v;
    if (v.rank !== 4) throw new ExportError(`internal: layout change of a rank-${v.rank} value ${v.name}`);
    const key = `${v.name}->${layout}`;
    const cached = this.converted.get(key);
    if (cached !== undefined) return cached;
    const perm = layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const out: Value = {
      name: this.node('Transpose', [v.name], `${v.name}/${layout}`, [ints('perm', perm)]),
      layout,
      rank: 4,
    };
    this.converted.set(key, out);
    return out;
  }

  /** The physical axis of tfjs axis `axis` (negative counts from the end) in `value`. */
  physicalAxis(value: Value, axis: number): number {
    const a = axis < 0 ? value.rank + axis : axis;
    return value.layout === 'nchw' ? (NHWC_TO_NCHW_AXIS[a] as number) : a;
  }
}

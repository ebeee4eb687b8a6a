import type { onnx as OnnxTypes } from 'onnx-proto';
import * as onnxModule from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader exposes it only as `default`, bundlers may expose the names too.
const root = (onnxModule as unknown as { default?: typeof onnxModule }).default ?? onnxModule;

/** The generated ONNX protobuf classes (onnx-proto, protobufjs). */
export const onnx: typeof OnnxTypes = root.onnx;
export type { OnnxTypes };

/** ONNX element type of float32 tensors. */
export const FLOAT = 1;
/** ONNX element type of int64 tensors. */
export const INT64 = 7;

/** A node attribute. */
export type Attribute = OnnxTypes.IAttributeProto;

/** Integer-list attribute. */
export function ints(name: string, values: readonly number[]): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] };
}

/** Integer attribute. */
export function int(name: string, value: number): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** Float attribute. */
export function float(name: string, value: number): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

/** String attribute. */
export function string(name: string, value: string): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) };
}

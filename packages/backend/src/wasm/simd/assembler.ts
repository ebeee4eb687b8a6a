// A minimal WebAssembly binary writer for the few SIMD kernels of this package. The kernels are written as
// instruction sequences in TypeScript (see simd-kernels.ts) and assembled when the wasm backend starts, so the
// package ships no binary and needs no compiler. Opcodes: the WebAssembly core and fixed-width SIMD specs.

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

/** Emits the body of one function; methods return `this` so that code reads top to bottom. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(private readonly paramCount: number) {}

  /** Declares a local of `type` and returns its index. */
  local(type: ValueType): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsignedLeb(opcode), ...immediates);
  }

  // Control. Blocks and loops have no result; br depths count enclosing blocks from 0.
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...unsignedLeb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...unsignedLeb(depth));
  }

  // Locals and constants.
  get(index: number): this {
    return this.op(0x20, ...unsignedLeb(index));
  }
  set(index: number): this {
    return this.op(0x21, ...unsignedLeb(index));
  }
  tee(index: number): this {
    return this.op(0x22, ...unsignedLeb(index));
  }
  i32(value: number): this {
    return this.op(0x41, ...signedLeb(value));
  }
  f32(value: number): this {
    return this.op(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
  }
  f64(value: number): this {
    return this.op(0x44, ...new Uint8Array(new Float64Array([value]).buffer));
  }

  // Memory (alignment hints as log2 bytes; offsets in bytes).
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...unsignedLeb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...unsignedLeb(offset));
  }
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...unsignedLeb(offset));
  }
  i32Store(offset = 0): this {
    return this.op(0x36, 2, ...unsignedLeb(offset));
  }
  i32Load8(offset = 0): this {
    return this.op(0x2d, 0, ...unsignedLeb(offset));
  }
  i32Store8(offset = 0): this {
    return this.op(0x3a, 0, ...unsignedLeb(offset));
  }
  f64Load(offset = 0): this {
    return this.op(0x2b, 3, ...unsignedLeb(offset));
  }
  f64Store(offset = 0): this {
    return this.op(0x39, 3, ...unsignedLeb(offset));
  }
  /** memory.copy (dst, src, bytes). */
  memoryCopy(): this {
    return this.op(0xfc, 10, 0, 0);
  }
  /** memory.fill (dst, byte, bytes). */
  memoryFill(): this {
    return this.op(0xfc, 11, 0);
  }

  // i32 arithmetic and comparisons.
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  select(): this {
    return this.op(0x1b);
  }
  drop(): this {
    return this.op(0x1a);
  }

  // Scalar floats.
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Max(): this {
    return this.op(0x97);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Ge(): this {
    return this.op(0x60);
  }
  f32Eq(): this {
    return this.op(0x5b);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }

  // SIMD.
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...unsignedLeb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...unsignedLeb(offset));
  }
  /** v128.load64_zero: two f32 lanes loaded, two zero. */
  v128Load64Zero(offset = 0): this {
    return this.simd(0x5d, 3, ...unsignedLeb(offset));
  }
  /** i8x16.shuffle with f32 lane indices (0–3 from the first operand, 4–7 from the second). */
  shuffle32(lanes: [number, number, number, number]): this {
    const bytes = lanes.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3]);
    return this.simd(0x0d, ...bytes);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** v128.andnot: a & ~b. */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  /** f64x2.promote_low_f32x4. */
  f64x2PromoteLow(): this {
    return this.simd(0x5f);
  }
  f64x2ExtractLane(lane: number): this {
    return this.simd(0x21, lane);
  }
}

/** One exported function: its signature and body. */
export interface FunctionSpec {
  name: string;
  params: ValueType[];
  results?: ValueType[];
  body: (code: Code) => void;
}

/**
 * Assembles a module that imports `env.memory` (shared when the memory is, as in the threaded backend) and
 * exports `functions`.
 */
export function assembleModule(functions: FunctionSpec[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector((f.results ?? []).map((t) => [t])),
  ]);
  // Limits: flags 0 = min only; 3 = min and max, shared (a shared memory must declare a maximum).
  const limits = sharedMemory ? [0x03, ...unsignedLeb(1), ...unsignedLeb(65536)] : [0x00, ...unsignedLeb(1)];
  const imports = vector([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const bodies = functions.map((f) => {
    const code = new Code(f.params.length);
    f.body(code);
    code.end();
    const localTypes = (code as unknown as { localTypes: ValueType[] }).localTypes;
    const locals = vector(localTypes.map((t) => [1, t]));
    const body = [...locals, ...code.bytes];
    return [...unsignedLeb(body.length), ...body];
  });
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(bodies)),
  ];
  return new Uint8Array(bytes);
}

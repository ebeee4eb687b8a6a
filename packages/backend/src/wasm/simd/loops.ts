import type { Code } from './assembler.js';

// Structured loops for the SIMD kernels (simd-kernels.ts and the files it gathers).

export function forLoop(
  c: Code,
  counter: number,
  start: (c: Code) => void,
  limit: (c: Code) => void,
  step: number,
  body: () => void,
): void {
  start(c);
  c.set(counter);
  c.block().loop();
  c.get(counter);
  limit(c);
  c.i32GeS().brIf(1);
  body();
  c.get(counter).i32(step).i32Add().set(counter);
  c.br(0).end().end();
}

import type { FunctionSpec } from './assembler.js';
import { maxPoolGrad2x2 } from './pooling-kernels.js';
import { affineColumns, columnSumsKernel, productSums } from './reduction-kernels.js';
import { copyRows, transpose4, transposeScalar } from './transpose-kernels.js';
import {
  combineRows,
  gemmAtB,
  plainProgram,
  tileTransform,
  WINOGRAD_MATRICES,
  WINOGRAD_PROGRAMS,
  winogradOutput,
  winogradScatter4,
} from './winograd-kernels.js';

// The SIMD kernels, as WebAssembly functions on the wasm backend's own heap (addresses are byte offsets into
// it). JS loops over typed arrays move about 2 ns per element on the development machine; these move 4 floats
// per instruction. Conventions: sizes are element counts, strides are in elements, all elements are 4 bytes.
// The functions live in files by topic; this list fixes the module's exports (simd-module.ts names them).

export { programMatrix, transposed, WINOGRAD_MATRICES, WINOGRAD_PROGRAMS } from './winograd-kernels.js';

export const SIMD_FUNCTIONS: FunctionSpec[] = [
  transpose4,
  transposeScalar,
  copyRows,
  columnSumsKernel(false),
  columnSumsKernel(true),
  productSums,
  affineColumns,
  maxPoolGrad2x2,
  tileTransform('winogradInput2', plainProgram(WINOGRAD_MATRICES[2].bt), 2),
  winogradOutput(2),
  tileTransform('winogradInput4', WINOGRAD_PROGRAMS.bt4, 4),
  winogradOutput(4),
  tileTransform('winogradGradientTiles4', WINOGRAD_PROGRAMS.a4, 4),
  gemmAtB,
  combineRows,
  winogradScatter4,
];

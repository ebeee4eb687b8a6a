// The benchmarks as functions, so that the reproduction app can run them on the real models.

export { type RunOptions, type Stats, summarize } from './measure.js';
export { benchmarkDataParallel, benchmarkModel, type ModelResult } from './models.js';
export { type ConvResult, type ConvShape, convLayer, matmulPeak, P4CNN_CONV_SHAPES } from './ops.js';
export { type BenchReport, formatReport, TARGETS } from './report.js';
export { type BenchOptions, runBench } from './run.js';
export { P4CNN_FLOPS, p4cnnStandIn, Z2CNN_FLOPS, z2cnnStandIn } from './standin-models.js';

import { gcnnBuild } from '../../tsup.base.js';

export default gcnnBuild(
  {
    index: 'src/index.ts',
    node: 'src/node.ts',
    // Loaded by `new Worker(new URL('./data-parallel-worker.js', import.meta.url))`: must sit next to the chunks.
    'data-parallel-worker': 'src/data-parallel/worker.ts',
  },
  { dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } } },
);

import { gcnnBuild } from '../../tsup.base.js';

// Two entries: the main one must not import mathjs (see src/index.ts); the symbolic one does.
export default gcnnBuild({ index: 'src/index.ts', symbolic: 'src/symbolic-index.ts' });

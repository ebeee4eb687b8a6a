import { gcnnBuild } from '../../tsup.base.js';

// `pretrained` is its own entry (the subpath @gcnn/models/pretrained), so the shipped weights stay out of bundles
// that only need the architectures.
export default gcnnBuild({ index: 'src/index.ts', pretrained: 'src/pretrained.ts' });

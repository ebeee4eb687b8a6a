import { gcnnBuild } from '../../tsup.base.js';

export default gcnnBuild(['src/index.ts']);

import { gcnnBuild } from '../../tsup.base.js';

// Two entries: `browser` imports no Node module (the "browser" export condition); `index` adds file loading.
export default gcnnBuild({ index: 'src/index.ts', browser: 'src/browser.ts' });

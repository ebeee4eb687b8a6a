import { gcnnBuild } from '../../tsup.base.js';

export default gcnnBuild(['src/cli.ts', 'src/index.ts'], {
  dts: { entry: 'src/index.ts' },
  banner: { js: '#!/usr/bin/env node' },
});

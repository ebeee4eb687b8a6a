import { createRequire } from 'node:module';
import { main } from './main.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

// `gcnn ... | head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), version);
// Timers and worker threads of tfjs backends (wasm threads) must not keep a finished command alive.
setImmediate(() => process.exit(process.exitCode));

import fc from 'fast-check';

// Every property runs at least 1000 times with a fixed seed, so a failure reproduces on any machine. To explore
// other inputs, run e.g. `FC_SEED=7 FC_RUNS=20000 npx vitest run`; fast-check prints the seed and path of a failure.
const seed = Number(process.env.FC_SEED ?? 20160211);
const numRuns = Math.max(1000, Number(process.env.FC_RUNS ?? 1000));

fc.configureGlobal({ seed, numRuns });

// Throughput of the group operations and the one-off cost of deriving the symbolic laws (`pnpm bench`).
// The layers package calls these only while building index maps, so they need to be fast, not fastest.
import { p4m } from '../src/index.js';
import { compositionLaw, inverseLaw } from '../src/symbolic-index.js';

function measure(name: string, iterations: number, work: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) work(i); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < iterations; i++) work(i);
  const ms = performance.now() - start;
  const perSecond = (iterations / ms) * 1000;
  console.log(
    `${name.padEnd(28)} ${perSecond.toExponential(2).padStart(9)} ops/s  (${iterations} in ${ms.toFixed(0)} ms)`,
  );
}

const elements = Array.from({ length: 1024 }, (_, i) =>
  p4m.element({ m: i & 1, r: (i >> 1) & 3, u: (i * 7919) % 101, v: (i * 104729) % 97 }),
);
const at = (i: number) => elements[i & 1023]!;

const start = performance.now();
compositionLaw(p4m);
inverseLaw(p4m);
console.log(`derive p4m laws (cold)        ${(performance.now() - start).toFixed(0)} ms`);

measure('compose', 1_000_000, (i) => p4m.compose(at(i), at(i + 1)));
measure('inverse', 1_000_000, (i) => p4m.inverse(at(i)));
measure('act', 1_000_000, (i) => p4m.act(at(i), [i & 63, 5]));
measure('matrix (nested arrays)', 200_000, (i) => p4m.matrix(at(i)));
measure('fromMatrix (nested arrays)', 200_000, (i) =>
  p4m.fromMatrix([
    [0, 1, i & 63],
    [1, 0, 3],
    [0, 0, 1],
  ]),
);
measure('cayleyTable (D4)', 20_000, () => p4m.cayleyTable());

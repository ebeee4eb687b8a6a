// Placeholder until the `gcnn` commands land (issue 7): `pnpm reproduce` shows the exact group algebra they build on.
import { describeLaws, p4m } from '@gcnn/group';

console.log("gcnn: the paper's experiments are not wired up yet; here is the p4m algebra they build on.\n");
console.log(describeLaws(p4m));
console.log('\nD4 Cayley table (entry [a][b] is the stabiliser index of a·b):');
for (const row of p4m.cayleyTable()) console.log(`  ${row.join(' ')}`);

/**
 * Fault injection for the crash tests: when GCNN_FAULT_KILL is `point` or `point#n`, the process kills
 * itself with SIGKILL the first (or n-th) time it reaches `point`, exactly as `kill -9` would at that
 * instant. Unset (always, outside the tests), a fault point does nothing.
 */
const wanted = parse(process.env.GCNN_FAULT_KILL);
let hits = 0;

function parse(value: string | undefined): { point: string; hit: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const [point = '', hit = '1'] = value.split('#');
  return { point, hit: Number.parseInt(hit, 10) };
}

/** Marks a point where a crash must leave the run directory resumable. */
export function faultPoint(point: string): void {
  if (wanted === undefined || wanted.point !== point) return;
  hits += 1;
  if (hits === wanted.hit) process.kill(process.pid, 'SIGKILL');
}

/** Small formatting helpers shared by logs and tables. */

/** A fraction as a percentage with two decimals, e.g. 0.0228 -> "2.28". */
export function percent(fraction: number, digits = 2): string {
  return (fraction * 100).toFixed(digits);
}

/** Seconds as "1h 02m", "3m 05s" or "12.3s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(rest).padStart(2, '0')}s`;
}

/** An integer with thousands separators, e.g. 24680 -> "24,680". */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 epoch", "3 epochs", "2 batches": the noun with its plural (regular "s" unless given). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time under `dir` (recursively), 0 when it does not exist. */
function newest(dir: string): number {
  let latest = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    latest = Math.max(latest, stat.isDirectory() ? newest(full) : stat.mtimeMs);
  }
  return latest;
}

/** The CLI tests run dist/cli.js: rebuild it first when src/ is newer. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const cli = path.join(root, 'dist', 'cli.js');
  const built = (() => {
    try {
      return statSync(cli).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built < newest(path.join(root, 'src')) || built < statSync(path.join(root, 'package.json')).mtimeMs) {
    try {
      execFileSync('npx', ['tsup'], { cwd: root, stdio: 'pipe' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`building dist/cli.js failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
    }
  }
}

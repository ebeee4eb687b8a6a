// Building and packing the workspace's publishable packages into tarballs, as the registry would serve them;
// shared by the pack check and the browser check.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PNPM = ['-y', 'pnpm@10.34.9'];

/** Runs a command with inherited output; throws (non-zero exit) when it fails. */
export function run(command, args, cwd, env = {}) {
  execFileSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_loglevel: 'error', ...env },
  });
}

/** The packages under packages/ that are not private, with their directory and manifest. */
export function publishablePackages(root) {
  return readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => ({
      dir: join(root, 'packages', dir),
      manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** Builds `packages` (in dependency order, unless build is false) and packs each into `destination`. */
export function buildAndPack(root, packages, destination, { build = true } = {}) {
  if (build) {
    // pnpm runs the builds in dependency order; it works whether or not pnpm itself is on the PATH.
    const filters = packages.map(({ manifest }) => `--filter=${manifest.name}`);
    run('npx', [...PNPM, ...filters, '--reporter=append-only', 'run', 'build'], root);
  }
  for (const { dir } of packages) run('npx', [...PNPM, 'pack', '--pack-destination', destination], dir);
  return readdirSync(destination).map((f) => join(destination, f));
}

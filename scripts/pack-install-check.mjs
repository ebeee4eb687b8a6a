// Packs every publishable package with pnpm, installs the tarballs with npm into an empty directory outside the
// workspace, imports each package and runs the ```js examples of its README there. This is what a user gets
// from the registry, so it catches a missing `files` entry, a broken `exports` map or an undeclared dependency.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pnpm = ['-y', 'pnpm@10.34.9'];
// Peer dependencies a user brings: the tfjs core, layers and a backend that installs everywhere.
const peers = [
  '@tensorflow/tfjs-core@4.22.0',
  '@tensorflow/tfjs-layers@4.22.0',
  '@tensorflow/tfjs-backend-cpu@4.22.0',
];

function run(command, args, cwd) {
  execFileSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const work = mkdtempSync(join(tmpdir(), 'gcnn-pack-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');
try {
  for (const { dir } of packages) run('npx', [...pnpm, 'pack', '--pack-destination', tarballs], dir);
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...files, ...peers], consumer);

  let examples = 0;
  for (const { dir, manifest } of packages) {
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(manifest.name)}); console.log('imported ${manifest.name}');`,
      ],
      consumer,
    );
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    if (blocks.length === 0) throw new Error(`${manifest.name}: README.md has no runnable \`\`\`js example`);
    blocks.forEach((code, i) => {
      const file = join(consumer, `example-${manifest.name.replace(/\W/g, '_')}-${i}.mjs`);
      writeFileSync(file, code);
      console.log(`running the README example ${i + 1} of ${manifest.name}`);
      run('node', [file], consumer);
      examples += 1;
    });
  }
  console.log(
    `pack check: ${packages.length} packages installed from tarballs, ${examples} README examples ran`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Packs every publishable package with pnpm, installs the tarballs with npm into an empty directory outside the
// workspace, imports each package and runs the ```js examples of its README there. This is what a user gets
// from the registry, so it catches a missing `files` entry, a broken `exports` map or an undeclared dependency.
// Only blocks fenced exactly ```js are Node examples and run; browser examples are fenced ```js browser.
//
//   node scripts/pack-install-check.mjs                  every package under packages/
//   node scripts/pack-install-check.mjs @gcnn/group      only these (their @gcnn dependencies are packed too)
//   pnpm pack:check @gcnn/group @gcnn/layers            the same through the root script
//   --no-build                                           skip building the packed packages first
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAndPack, publishablePackages, run } from './lib/pack.mjs';

const started = Date.now();
const root = resolve(import.meta.dirname, '..');
// Peer dependencies a user brings: the tfjs core, layers and backends that install everywhere (the README examples
// use wasm in Node, which prints no notice suggesting tfjs-node).
const tfjsPeers = [
  '@tensorflow/tfjs-core@4.22.0',
  '@tensorflow/tfjs-layers@4.22.0',
  '@tensorflow/tfjs-backend-cpu@4.22.0',
  '@tensorflow/tfjs-backend-wasm@4.22.0',
];

const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

const publishable = publishablePackages(root);
const byName = new Map(publishable.map((p) => [p.manifest.name, p]));

// Which packages to check: the names given as arguments, else all.
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const requested = args.filter((a) => !a.startsWith('--'));
for (const name of requested) {
  if (!byName.has(name)) {
    throw new Error(`pack check: unknown package ${name}; publishable: ${[...byName.keys()].join(', ')}`);
  }
}
const checked = requested.length > 0 ? requested.map((name) => byName.get(name)) : publishable;

// A checked package's workspace dependencies must come from tarballs too, or npm would look for them online.
const packed = new Set();
const addWithDependencies = (name) => {
  if (packed.has(name)) return;
  packed.add(name);
  for (const dep of Object.keys(byName.get(name).manifest.dependencies ?? {})) {
    if (byName.has(dep)) addWithDependencies(dep);
  }
};
// README examples may also import workspace packages a library only develops against (e.g. @gcnn/models).
for (const { manifest } of checked) {
  addWithDependencies(manifest.name);
  for (const dep of Object.keys(manifest.devDependencies ?? {}))
    if (byName.has(dep)) addWithDependencies(dep);
}
const packages = publishable.filter(({ manifest }) => packed.has(manifest.name));
const needsTfjs = packages.some(({ manifest }) =>
  Object.keys(manifest.peerDependencies ?? {}).some((dep) => dep.startsWith('@tensorflow/')),
);

const work = mkdtempSync(join(tmpdir(), 'gcnn-pack-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');
try {
  mkdirSync(tarballs, { recursive: true });
  const files = buildAndPack(root, packages, tarballs, { build });
  mkdirSync(consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const peers = needsTfjs ? tfjsPeers : [];
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...files, ...peers], consumer);
  console.log(
    `installed ${files.length} tarballs${peers.length ? ' and the tfjs peers' : ''} (${seconds()})`,
  );

  let examples = 0;
  for (const { dir, manifest } of checked) {
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
    `pack check: ${checked.length} of ${publishable.length} packages checked (${packages.length} installed ` +
      `from tarballs), ${examples} README examples ran, ${seconds()}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

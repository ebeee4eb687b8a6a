// The browser check: packs the libraries, installs them with npm into a fresh Vite 7 app outside the workspace
// (no aliases, no shims), builds it, serves it with `vite preview` and runs its pages in headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core; never a downloaded browser). It asserts:
//   - P4CNN on STOCK tfjs-backend-wasm (no @gcnn/backend) is invariant to 90° turns (1e-4 relative);
//   - with @gcnn/backend, selectBackend('wasm') gives wasm with no configuration, and batch-64 P4CNN training
//     steps (@gcnn/train's trainStep) lower the loss and beat the stock cpu backend by far (see CPU_BATCH);
//   - a P4CNN saved in Node with the file:// router loads in a page importing only @tensorflow/tfjs and
//     @gcnn/layers with Node's outputs, and survives an indexeddb:// round trip;
//   - no page logs a console error.
// It prints the step times per backend and the bundle size, and exits non-zero with one line on any failure.
//
//   node scripts/browser-check.mjs [--no-build] [--keep]   (CHROMIUM=/path/to/chromium to use another binary;
//                                                            --keep leaves the temp app for debugging)
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAndPack, publishablePackages, run } from './lib/pack.mjs';

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const root = resolve(import.meta.dirname, '..');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TOLERANCE = 1e-4;
// The stock cpu backend takes 25-44 s for one batch-64 P4CNN step in Chromium: one step at batch 8 (an eighth of
// the work) is timed instead, and a batch-64 wasm step must be faster than it, i.e. at least 8× faster per image.
const CPU_BATCH = 8;
const PAGE_TIMEOUT_MS = 180_000;

const APP_DEPENDENCIES = [
  '@tensorflow/tfjs@4.22.0',
  '@tensorflow/tfjs-core@4.22.0',
  '@tensorflow/tfjs-layers@4.22.0',
  '@tensorflow/tfjs-backend-cpu@4.22.0',
  '@tensorflow/tfjs-backend-wasm@4.22.0',
  'vite@7',
  'playwright-core@1',
];

class CheckFailure extends Error {}
const fail = (message) => {
  throw new CheckFailure(message);
};

/** Starts `vite preview` on `port` and resolves once it answers. */
async function preview(app, port, isolated) {
  const child = spawn(
    join(app, 'node_modules', '.bin', 'vite'),
    ['preview', '--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: app,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GCNN_ISOLATED: isolated ? '1' : '0' },
    },
  );
  child.stdout.resume();
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode != null) fail(`vite preview on port ${port} exited with code ${child.exitCode}`);
    try {
      await fetch(url); // any answer (even a 404 for the missing index) means it listens
      return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  return fail(`vite preview on port ${port} did not answer within 20 s`);
}

/** Opens `url` in a fresh page, waits for window.__result and fails on a failed check or any console error. */
async function runPage(context, url, name) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: PAGE_TIMEOUT_MS });
    const result = await page.evaluate(() => window.__result);
    if (errors.length > 0) fail(`${name}: console error: ${errors[0].split('\n')[0]}`);
    if (!result.ok) fail(`${name}: ${result.error}`);
    return result;
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    return fail(`${name}: ${error.message.split('\n')[0]}${errors.length ? ` (console: ${errors[0]})` : ''}`);
  } finally {
    await page.close();
  }
}

const ms = (times) => times.map((t) => t.toFixed(0)).join(', ');
const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/** Bytes of JavaScript and of other assets that the page `html` loads (static and dynamic imports), from Vite's manifest. */
function pageSize(dist, html) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (chunk == null || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const asset of chunk.assets ?? []) files.add(asset);
    for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
  };
  visit(html);
  const sizes = { js: 0, wasm: 0 };
  for (const file of files) sizes[file.endsWith('.wasm') ? 'wasm' : 'js'] += statSync(join(dist, file)).size;
  return sizes;
}

/** Fails if a built chunk imports a Node module (tfjs-backend-wasm's Emscripten glue only tests for Node). */
function assertNoNodeImports(dist) {
  const assets = join(dist, 'assets');
  for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(assets, file), 'utf8');
    const hit = code.match(
      /(?:from\s*|import\s*\(\s*)["'](?:node:[\w/]+|fs|fs\/promises|os|path|url|module|crypto|worker_threads)["']|createRequire/,
    );
    if (hit) fail(`the bundle imports a Node module: ${hit[0]} in ${file}`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'gcnn-browser-'));
const servers = [];
let context;
try {
  if (!existsSync(chromiumPath)) {
    fail(
      `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM); a browser is never downloaded`,
    );
  }
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const files = buildAndPack(root, publishablePackages(root), tarballs, {
    build: !process.argv.includes('--no-build'),
  });
  const app = join(work, 'app');
  cpSync(join(import.meta.dirname, 'browser-check'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'gcnn-browser-check', private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...files, ...APP_DEPENDENCIES], app);
  console.log(`installed ${files.length} tarballs, tfjs 4.22.0, vite@7 and playwright-core (${seconds()})`);

  run('node', ['save-model.mjs'], app);
  run(join(app, 'node_modules', '.bin', 'vite'), ['build'], app);
  assertNoNodeImports(join(app, 'dist'));
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  for (const page of ['train.html', 'load.html']) {
    const size = pageSize(join(app, 'dist'), page);
    console.log(
      `vite build, ${page}: ${mib(size.js)} of JavaScript, ${mib(size.wasm)} of .wasm (minified, not compressed)`,
    );
  }
  console.log(`vite build: no Node module in the bundle (${seconds()})`);

  const isolated = await preview(app, 4391, true);
  servers.push(isolated.child);
  const plain = await preview(app, 4392, false);
  servers.push(plain.child);

  const { chromium } = await import(join(app, 'node_modules', 'playwright-core', 'index.mjs'));
  const userDataDir = join(work, 'chromium-profile');
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  console.log(`Chromium ${context.browser()?.version() ?? ''} started (${seconds()})`);

  const stock = await runPage(context, `${isolated.url}stock-wasm.html`, 'stock wasm');
  if (stock.backend !== 'wasm') fail(`stock wasm: the backend is ${stock.backend}`);
  if (!(stock.maxRelativeError <= TOLERANCE && stock.scale > 0.01)) {
    fail(`stock wasm: P4CNN is not invariant to 90° turns (relative error ${stock.maxRelativeError})`);
  }
  console.log(
    `stock wasm: P4CNN invariant to 90° turns, relative error ${stock.maxRelativeError.toExponential(2)}`,
  );

  const steps = [];
  for (const [name, url, cpu] of [
    ['wasm, threads (COOP/COEP)', `${isolated.url}train.html`, false],
    ['wasm, not isolated', `${plain.url}train.html`, false],
    [
      `stock cpu, batch ${CPU_BATCH}`,
      `${isolated.url}train.html?backend=cpu&batch=${CPU_BATCH}&steps=1`,
      true,
    ],
  ]) {
    const result = await runPage(context, url, name);
    steps.push({ name, cpu, ...result });
    console.log(
      `${name}: backend ${result.backend} (${result.report.reason}), batch ${result.batch}, step ms ${ms(result.times)}; ` +
        `losses ${result.losses.map((l) => l.toFixed(3)).join(', ')}`,
    );
  }
  for (const s of steps.filter((s) => !s.cpu)) {
    if (s.backend !== 'wasm') fail(`${s.name}: selectBackend('wasm') gave ${s.backend}`);
    if (!(s.report.kernels > 0)) fail(`${s.name}: no training kernels were registered`);
    if (/SIMD training kernels off/.test(s.report.reason)) fail(`${s.name}: ${s.report.reason}`);
    const [first, last] = [s.losses[0], s.losses.at(-1)];
    if (!(last < first))
      fail(`${s.name}: the loss did not fall over ${s.losses.length} steps (${first} -> ${last})`);
  }
  const [threaded, single, cpu] = steps;
  if (!threaded.crossOriginIsolated || single.crossOriginIsolated) {
    fail('the COOP/COEP headers did not make the first server (only) cross-origin isolated');
  }
  if (threaded.report.threads < Math.min(2, threaded.hardwareConcurrency)) {
    fail(`wasm, threads: ${threaded.report.threads} thread(s) on ${threaded.hardwareConcurrency} cores`);
  }
  // Steps after the first (which compiles and allocates) against the one timed cpu step at an eighth of the batch.
  for (const s of [threaded, single]) {
    const steady = median(s.times.slice(1));
    if (!(steady < cpu.times[0])) {
      fail(
        `${s.name}: a batch-64 step (${steady.toFixed(0)} ms) is not faster than a batch-${CPU_BATCH} step on stock cpu (${cpu.times[0].toFixed(0)} ms)`,
      );
    }
  }

  const load = await runPage(context, `${isolated.url}load.html`, 'load');
  console.log(
    `load: the Node-saved P4CNN gives Node's outputs in the page (relative error ${load.fromNode.toExponential(2)}), indexeddb:// round trip ${load.roundTrip.toExponential(2)}`,
  );

  console.log('\nChromium, P4CNN training step at batch 64 (median of the steps after the first):');
  for (const s of steps) {
    const steady = s.cpu ? s.times[0] : median(s.times.slice(1));
    console.log(
      `  ${s.name.padEnd(28)} ${steady.toFixed(0).padStart(6)} ms  (${s.report.threads} thread(s), batch ${s.batch})`,
    );
  }
  console.log(`browser check passed (${seconds()})`);
} catch (error) {
  console.error(`browser check FAILED: ${error instanceof CheckFailure ? error.message : error.stack}`);
  process.exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  for (const child of servers) child.kill();
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

// `npm run size`: what an app that uses nnplay downloads, measured the way a user ships it.
//
// It builds a tiny app, `import * as nn from 'nnplay'` plus the README's XOR model trained with
// fit() and predicted (see APP below), with Vite's defaults, as an app's `vite build` would,
// against the built package (dist/lib: `npm run build` first), and reports every file the build
// emits with its gzip -9 (and brotli) size, in these groups:
//   - start:  the page's JS that loads with the page (the entry chunk and its static imports);
//   - engine: the .wasm, fetched by the first call that needs the engine (here: sequential());
//   - extra:  the engine's second part (nnplay-extra.wasm: conv, pooling, recurrent, embedding,
//             batch-normalization and autoencoder layers, the rarer activations, initializers,
//             losses, metrics, optimizers and the schedules (the rows of part 'extra'), the
//             data-set generators and readers, and whatever else the library's workloads never
//             call, scripts/profile-engine.mjs), fetched when a model first names such a row, a
//             data set is first made, a call first runs its code, or by nn.ready(); this app's
//             dense model never fetches it;
//   - glue:   the engine's JavaScript glue (dist/lib/nnplay-glue.js), imported with the .wasm by
//             the page and again by the fit worker, which gets it from the browser's cache;
//   - worker: the fit worker's JS, loaded when fit() first trains on a page's main thread;
//   - lazy:   chunks behind import() that only load when their function is first called
//             (nn.exportCode(), the TF.js format of model.save()/nn.loadLayersModel());
//   - threads: the threaded engine (nnplay-threads glue .mjs, pthread worker .js, .wasm), fetched
//             instead of the engine's .wasm only where the page is cross-origin isolated;
//   - data:   the bundled data sets (MNIST, Fashion-MNIST, text), fetched only by nn.datasets.*;
//             listed, never summed (they are data, not code).
// "Training app" = start + engine + glue + worker: what this app fetches to train and predict. The
// lazy chunks and the threaded engine are shipped (in dist) but never fetched by this app on a
// page that is not isolated.
//
// Output: a table on stdout; `--json FILE` also writes the figures. Exits non-zero when the
// build emits a file of an unknown kind, so a new asset cannot silently escape the count.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

// The app: the library's typical first program (README "The library"): build, compile, fit, predict.
export const APP = `import * as nn from 'nnplay';
const model = nn.sequential({ layers: [
  nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
  nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const ys = nn.tensor2d([[0], [1], [1], [0]]);
await model.fit(xs, ys, { epochs: 200, batchSize: 4 });
model.predict(xs).print();
document.getElementById('out').textContent = 'done';
`;

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const br = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Builds the app into `workDir` and returns { files: [{file, group, bytes, gzip, brotli}], totals }.
 * `app` is the app's main.js text (default APP).
 */
export async function measureSize({ workDir = join(root, 'build', 'size-app'), app = APP } = {}) {
  if (!existsSync(join(root, 'dist', 'lib', 'nnplay.js'))) throw new Error('size: dist/lib/nnplay.js is missing: run npm run build first');
  const { build } = await import('vite');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'node_modules'), { recursive: true });
  // The package as installed: node_modules/nnplay is this repository (its package.json "exports").
  symlinkSync(root, join(workDir, 'node_modules', 'nnplay'), 'dir');
  writeFileSync(join(workDir, 'package.json'), JSON.stringify({ name: 'nnplay-size-app', private: true, type: 'module' }));
  writeFileSync(join(workDir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>size</title></head><body><pre id="out"></pre><script type="module" src="/main.js"></script></body></html>\n');
  writeFileSync(join(workDir, 'main.js'), app);
  const outDir = join(workDir, 'dist');
  await build({ root: workDir, configFile: false, logLevel: 'silent', build: { outDir, manifest: true } });

  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const byKey = new Map(Object.entries(manifest));
  // Start: the entries and their static imports; lazy: everything reached through an import().
  const reach = (keys, follow) => {
    const out = new Set();
    const todo = [...keys];
    while (todo.length) {
      const key = todo.pop();
      const chunk = byKey.get(key);
      if (!chunk || out.has(chunk.file)) continue;
      out.add(chunk.file);
      for (const k of follow(chunk)) todo.push(k);
    }
    return out;
  };
  const byFile = new Map([...byKey.values()].map((c) => [c.file, c]));
  const entries = [...byKey].filter(([, c]) => c.isEntry).map(([k]) => k);
  const start = reach(entries, (c) => c.imports ?? []);
  const lazy = reach(entries, (c) => [...(c.imports ?? []), ...(c.dynamicImports ?? [])]);
  for (const f of start) lazy.delete(f);

  const files = [];
  for (const path of listFiles(outDir)) {
    const file = relative(outDir, path);
    if (file.startsWith('.vite/') || file.endsWith('.html')) continue;
    let group;
    // First: the threaded engine's wasm is a .wasm too, but not the one every page fetches.
    if (/(^|\/)nnplay-threads[.-][^/]*\.(mjs|js|wasm)$/.test(file)) group = 'threads';
    else if (/(^|\/)nnplay-extra[.-][^/]*\.wasm$/.test(file)) group = 'extra';
    else if (file.endsWith('.wasm')) group = 'engine';
    else if (/(^|\/)nnplay-glue-[^/]*\.js$/.test(file)) group = 'glue';
    else if (/(^|\/)fit-worker-[^/]*\.js$/.test(file)) group = 'worker';
    else if (start.has(file)) group = 'start';
    // A dynamic entry the app's code no longer reaches (its caller was tree-shaken) is still
    // emitted; it is never fetched, but shipped: counted as lazy.
    else if (lazy.has(file) || (file.endsWith('.js') && byFile.get(file)?.isDynamicEntry)) group = 'lazy';
    else if (/\.(gz|json)$/.test(file)) group = 'data';
    else throw new Error(`size: ${file} is neither start JS, lazy JS, the fit worker, the wasm, its glue nor the threaded engine; classify it in scripts/size.mjs`);
    const bytes = group === 'data' ? null : readFileSync(path);
    // Data sets are listed with their size only (compressing 36 MB at brotli 11 takes minutes).
    const data = group === 'data';
    files.push({ file, group, bytes: statSync(path).size, gzip: data ? 0 : gz(bytes), brotli: data ? 0 : br(bytes) });
  }
  const sum = (groups, key) => files.filter((f) => groups.includes(f.group)).reduce((s, f) => s + f[key], 0);
  const totals = {};
  for (const [name, groups] of Object.entries({ start: ['start'], engine: ['engine'], glue: ['glue'], worker: ['worker'], lazy: ['lazy'], extra: ['extra'], threads: ['threads'], trainingApp: ['start', 'engine', 'glue', 'worker'], everything: ['start', 'engine', 'glue', 'worker', 'lazy', 'extra'] })) {
    totals[name] = { bytes: sum(groups, 'bytes'), gzip: sum(groups, 'gzip'), brotli: sum(groups, 'brotli') };
  }
  return { files, totals };
}

const kb = (n) => (n / 1024).toFixed(1).padStart(7);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, totals } = await measureSize();
  const order = ['start', 'engine', 'glue', 'worker', 'extra', 'lazy', 'threads', 'data'];
  files.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || b.gzip - a.gzip);
  console.log(`${'file'.padEnd(44)} ${'group'.padEnd(7)} ${'raw KB'.padStart(7)} ${'gzip -9'.padStart(7)} ${'brotli'.padStart(7)}`);
  for (const f of files) if (f.group !== 'data') console.log(`${f.file.padEnd(44)} ${f.group.padEnd(7)} ${kb(f.bytes)} ${kb(f.gzip)} ${kb(f.brotli)}`);
  const data = files.filter((f) => f.group === 'data');
  console.log(`(${data.length} data set files, ${kb(data.reduce((s, f) => s + f.bytes, 0))} KB, fetched only by nn.datasets.*: not counted)\n`);
  for (const [name, t] of Object.entries(totals)) console.log(`${name.padEnd(52)} ${kb(t.bytes)} ${kb(t.gzip)} ${kb(t.brotli)}`);
  console.log(`\ntraining app (start + engine + glue + worker), gzip -9: ${(totals.trainingApp.gzip / 1024).toFixed(1)} KB; loaded only when called (lazy): ${(totals.lazy.gzip / 1024).toFixed(1)} KB`);
  console.log(`the engine's second part (fetched by the first model that names a row of the extra part: a conv, pooling, recurrent, ... layer, a rarer activation, loss, optimizer, ...; the first data set, or the first call that runs its code), gzip -9: ${(totals.extra.gzip / 1024).toFixed(1)} KB`);
  console.log(`threaded engine (fetched instead of the engine on cross-origin isolated pages), gzip -9: ${(totals.threads.gzip / 1024).toFixed(1)} KB`);
  const at = process.argv.indexOf('--json');
  if (at > 0) {
    const out = process.argv[at + 1];
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), files, totals }, null, 2)}\n`);
  }
}

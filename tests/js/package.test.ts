// The npm package as a user gets it: `npm pack`, `npm install <tarball>` into a fresh project
// (offline: nnplay has no runtime dependencies), then
//   - the README's library example, verbatim, as an ES module in Node;
//   - a TypeScript consumer type-checked with tsc for moduleResolution bundler and nodenext;
//   - a Vite app whose page runs the example (fit() in the library's worker), built with
//     `vite build` and served, and run on Vite's dev server (dependency pre-bundling), both in
//     headless Chromium: the numbers must appear in the DOM, equal Node's, with no console error.
// Uses the built dist/lib (scripts/test.sh builds it first), this repo's typescript and vite.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchChromium } from '../chromium';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let tmp = '';
let app = '';
let tarball: string[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`);
  }
}

/** The README's library example: the first js block of its "The library" section. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no ```js block in "The library"');
  return block[1];
}

beforeAll(() => {
  return (async () => {
    tmp = await mkdtemp(join(tmpdir(), 'nnplay-package-'));
    // npm writes the tarball's name last on stdout.
    const name = run('npm', ['pack', '--silent', '--pack-destination', tmp], root).trim().split('\n').pop()!;
    tarball = run('tar', ['tzf', join(tmp, name)], tmp).trim().split('\n');
    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(tmp, name)], app);
  })();
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the tarball holds the JS, the two engines, the fit worker and the types, and no source maps', () => {
  const files = tarball.map((f) => f.replace(/^package\//, ''));
  expect(files).toContain('dist/lib/nnplay.js');
  expect(files).toContain('dist/lib/nnplay.wasm');
  expect(files).toContain('dist/lib/index.d.ts');
  expect(files.filter((f) => /^dist\/lib\/assets\/fit-worker-[^/]+\.js$/.test(f))).toHaveLength(1);
  // The single-threaded engine in its two parts, and the threaded one beside it (loaded where
  // threads can run).
  expect(files.filter((f) => f.endsWith('.wasm')).sort()).toEqual(['dist/lib/nnplay-extra.wasm', 'dist/lib/nnplay-threads.wasm', 'dist/lib/nnplay.wasm']);
  expect(files).toContain('dist/lib/nnplay-threads.mjs');
  expect(files).toContain('dist/lib/nnplay-threads.worker.js');
  // nnplay/playground: the element bundle, its two workers and its types; it uses dist/lib's wasm.
  expect(files).toContain('dist/playground/nnplay-playground.js');
  expect(files).toContain('dist/playground/nnplay-playground.d.ts');
  expect(files.filter((f) => /^dist\/playground\/assets\/(playground|images)-worker-[^/]+\.js$/.test(f))).toHaveLength(2);
  expect(files.filter((f) => f.startsWith('dist/playground/') && f.endsWith('.gz'))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  // Every .d.ts that index.d.ts reaches is shipped (tsc below checks they resolve).
  expect(files.filter((f) => f.endsWith('.d.ts')).length).toBeGreaterThan(5);
});

// Result lines the examples print, and the values Node printed (the browser must match them).
type XorResult = { epochs: number; loss: number[]; acc: number[] };
let nodeXor: XorResult | null = null;

test('the README example runs as an ES module in Node', () => {
  // The example's CNN part trains on `pixels`, `labels` and `n`, which the README leaves to
  // the reader: a small deterministic batch here.
  const data = `const n = 32;
const pixels = Float32Array.from({ length: n * 28 * 28 }, (_, i) => ((i * 7919) % 256) / 255);
const labels = Float32Array.from({ length: n }, (_, i) => i % 10);
`;
  const report = `
console.log(JSON.stringify({ xor: { epochs: history.history.loss.length, loss: history.history.loss, acc: history.history.acc },
  cnn: { predShape: cnn.predict(nn.tensor4d(pixels, [n, 28, 28, 1])).shape } }));
`;
  writeFileSync(join(app, 'example.mjs'), data + readmeExample() + report);
  const out = JSON.parse(run(process.execPath, ['example.mjs'], app).trim().split('\n').pop()!) as {
    xor: XorResult;
    cnn: { predShape: number[] };
  };
  const { loss, acc } = out.xor;
  expect(out.xor.epochs).toBe(200);
  expect(loss.every(Number.isFinite)).toBe(true);
  expect(loss[loss.length - 1]).toBeLessThan(loss[0] / 10);
  expect(acc[acc.length - 1]).toBe(1);
  expect(out.cnn.predShape).toEqual([32, 10]);
  nodeXor = { epochs: out.xor.epochs, loss, acc };
});

describe('TypeScript consumer: import * as nn from "nnplay" type-checks', () => {
  const source = `import * as nn from 'nnplay';

await nn.ready();
const model: nn.Sequential = nn.sequential({ layers: [
  nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
  nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const xs: nn.Tensor = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const history: nn.History = await model.fit(xs, nn.tensor2d([[0], [1], [1], [0]]), { epochs: 5,
  callbacks: { onEpochEnd: (epoch: number, logs?: nn.Logs) => {} } });
export const loss: number[] = history.history.loss;
export const prediction: Float32Array = model.predict(xs).dataSync();
// The types are real, not any: these must be errors.
// @ts-expect-error: not an activation
nn.layers.dense({ units: 1, activation: 'nope' });
// @ts-expect-error: units is a number
nn.layers.dense({ units: '1' });
`;
  for (const [moduleResolution, module] of [
    ['bundler', 'esnext'],
    ['nodenext', 'nodenext'],
  ]) {
    test(`moduleResolution ${moduleResolution}`, () => {
      const dir = join(app, `ts-${moduleResolution}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'consumer.ts'), source);
      const compilerOptions = { target: 'es2022', module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, lib: ['es2022', 'dom'], types: [] };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
      run(process.execPath, [tsc, '--noEmit', '-p', dir], dir);
    });
  }
});

describe.skipIf(!hasChromium)('a Vite app using the package, in headless Chromium', () => {
  const index = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>nnplay consumer</title></head><body><pre id="out">training</pre><script type="module" src="/main.js"></script></body></html>`;
  // The README's XOR example on the page's main thread, so fit() trains in the library's worker.
  const main = `import * as nn from 'nnplay';
let workers = 0;
const RealWorker = window.Worker;
window.Worker = class extends RealWorker { constructor(...a) { super(...a); workers++; } };
const out = document.getElementById('out');
try {
  await nn.ready();
  const model = nn.sequential({ layers: [
    nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = nn.tensor2d([[0], [1], [1], [0]]);
  const history = await model.fit(xs, ys, { epochs: 200, batchSize: 4 });
  const prediction = Array.from(model.predict(xs).dataSync());
  model.dispose();
  out.textContent = JSON.stringify({ epochs: history.history.loss.length, loss: history.history.loss,
    acc: history.history.acc, prediction, workers });
} catch (e) {
  out.textContent = 'error: ' + String(e && e.stack || e);
}
`;

  beforeAll(() => {
    writeFileSync(join(app, 'index.html'), index);
    writeFileSync(join(app, 'main.js'), main);
  });

  /** Opens `url`, waits for the page's result in #out and returns it, with every console error. */
  async function runPage(url: string): Promise<{ text: string; errors: string[] }> {
    const browser = await launchChromium('nnplay-package-chromium-');
    const context = browser.context;
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
      });
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'training', null, { timeout: 60_000 });
      return { text: (await page.textContent('#out')) ?? '', errors };
    } finally {
      await browser.close();
    }
  }

  function checkResult({ text, errors }: { text: string; errors: string[] }): void {
    expect(errors).toEqual([]);
    expect(text.startsWith('error:'), text).toBe(false);
    const result = JSON.parse(text) as XorResult & { prediction: number[]; workers: number };
    expect(result.workers).toBe(1);
    expect(result.epochs).toBe(200);
    expect(result.prediction.map(Math.round)).toEqual([0, 1, 1, 0]);
    expect(result.acc[result.acc.length - 1]).toBe(1);
    // Same seed, same engine: the worker's run equals Node's, bit for bit.
    if (nodeXor) {
      expect(result.loss).toEqual(nodeXor.loss);
      expect(result.acc).toEqual(nodeXor.acc);
    }
  }

  test('vite build, served statically', async () => {
    const outDir = join(app, 'dist');
    await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir } });
    const assets = readdirSync(join(outDir, 'assets'));
    // The engine once, its second part (fetched by the first model that needs it, which this
    // dense app's never does), and the threaded engine's glue, worker script and wasm (hashed;
    // fetched only by a cross-origin isolated page, which this one is not).
    expect(assets.filter((f) => f.endsWith('.wasm') && !/^nnplay-(threads|extra)-/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /^nnplay-extra-[\w-]{8,}\.wasm$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => f.startsWith('nnplay-threads')).sort()).toEqual([
      expect.stringMatching(/^nnplay-threads-[\w-]{8,}\.(mjs|wasm)$/),
      expect.stringMatching(/^nnplay-threads-[\w-]{8,}\.(mjs|wasm)$/),
      expect.stringMatching(/^nnplay-threads\.worker-[\w-]{8,}\.js$/),
    ]);
    expect(assets.filter((f) => f.startsWith('fit-worker-') && f.endsWith('.js'))).toHaveLength(1);

    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
    const server = createHttpServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
      if (!file.startsWith(outDir) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      checkResult(await runPage(`http://127.0.0.1:${(server.address() as { port: number }).port}/`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('vite dev server (dependencies pre-bundled), no configuration', async () => {
    const server = await createViteServer({
      root: app,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    });
    try {
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      expect(url).toBeTruthy();
      checkResult(await runPage(url!));
      // The page really used the pre-bundled copy (the case that can lose the assets).
      expect(existsSync(join(app, 'node_modules/.vite/deps/nnplay.js'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

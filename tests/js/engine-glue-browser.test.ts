// The engine's glue in a browser when nn.ready(url) names a wasm served elsewhere (the package
// itself at /pkg/, a copy of dist/lib's engine files at another path):
//  - the glue beside that wasm (nnplay-glue.js, the same build as the wasm) is the one the page
//    imports, and the library's fit worker imports the same URL (told it in 'init');
//  - with only nnplay.wasm copied there, the page falls back to the package's own glue, and the
//    worker imports that one directly.
// Both train to the same numbers as the package's own engine.
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, serveDirectory } from './browser';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'build', 'engine-glue-browser-test');
const server = serveDirectory(dir);

const page = (wasm: string | null) => `<!doctype html><meta charset="utf-8"><title>nnplay glue</title>
<script type="module">
  try {
    const nn = await import('/pkg/nnplay.js');
    await nn.ready(${wasm === null ? '' : JSON.stringify(wasm)});
    const model = nn.sequential({ layers: [
      nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
    model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy' });
    const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const h = await model.fit(xs, nn.tensor2d([[0], [1], [1], [0]]), { epochs: 30, batchSize: 4 });
    window.__result = { loss: h.history.loss, prediction: Array.from(model.predict(xs).dataSync()) };
  } catch (e) {
    window.__result = { error: String((e && e.stack) || e) };
  }
</script>`;

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  mkdirSync(join(dir, 'wasm-only'), { recursive: true });
  // The package without its data sets (36 MB this test never reads).
  cpSync(join(root, 'dist/lib'), join(dir, 'pkg'), { recursive: true, filter: (src) => !src.endsWith('.gz') });
  // The engine's files: its two wasm modules (nn.ready() loads both) and the glue.
  for (const f of ['nnplay.wasm', 'nnplay-extra.wasm', 'nnplay-glue.js']) copyFileSync(join(root, 'dist/lib', f), join(dir, 'elsewhere', f));
  for (const f of ['nnplay.wasm', 'nnplay-extra.wasm']) copyFileSync(join(root, 'dist/lib', f), join(dir, 'wasm-only', f));
  writeFileSync(join(dir, 'index.html'), page(null));
  writeFileSync(join(dir, 'elsewhere.html'), page('/elsewhere/nnplay.wasm'));
  writeFileSync(join(dir, 'wasm-only.html'), page('/wasm-only/nnplay.wasm'));
});

type Run = { loss: number[]; prediction: number[] };

test.skipIf(!hasChromium)('a wasm named by nn.ready(url) is run by the glue beside it, else by the package\'s; the fit worker imports the page\'s', async () => {
  const glueRequests = () => server.requested.filter((p) => p.endsWith('/nnplay-glue.js'));
  const own = (await pageResultInChromium(server.url, 'nnplay-glue-own-')) as unknown as Run;
  // The page and its fit worker: the one file, twice (the server says no-store; a browser's cache
  // would answer the second).
  expect(glueRequests()).toEqual(['/pkg/nnplay-glue.js', '/pkg/nnplay-glue.js']);

  server.requested.length = 0;
  const elsewhere = (await pageResultInChromium(`${server.url}elsewhere.html`, 'nnplay-glue-elsewhere-')) as unknown as Run;
  expect(glueRequests()).toEqual(['/elsewhere/nnplay-glue.js', '/elsewhere/nnplay-glue.js']);
  // The page (nn.ready(): both modules) and the fit worker (a dense model: the first).
  expect(server.requested.filter((p) => p.endsWith('.wasm')).sort()).toEqual(['/elsewhere/nnplay-extra.wasm', '/elsewhere/nnplay.wasm', '/elsewhere/nnplay.wasm']);

  server.requested.length = 0;
  const wasmOnly = (await pageResultInChromium(`${server.url}wasm-only.html`, 'nnplay-glue-wasm-only-')) as unknown as Run;
  // The page tried the missing neighbour once; the worker was told the glue the page ended up with.
  expect(glueRequests()).toEqual(['/wasm-only/nnplay-glue.js', '/pkg/nnplay-glue.js', '/pkg/nnplay-glue.js']);
  expect(server.requested.filter((p) => p.endsWith('.wasm')).sort()).toEqual(['/wasm-only/nnplay-extra.wasm', '/wasm-only/nnplay.wasm', '/wasm-only/nnplay.wasm']);

  expect(own.loss).toHaveLength(30);
  expect(elsewhere).toEqual(own);
  expect(wasmOnly).toEqual(own);
}, 180_000);

// The built package in a real browser: a page imports dist/lib/nnplay.js, and fit() on the
// page's main thread trains in the library's module worker (dist/lib/assets/fit-worker-*.js,
// which loads the engine from dist/lib/nnplay.wasm and its glue from dist/lib/nnplay-glue.js, the
// URLs the page sends it: the package ships each once). The numbers must equal in-process training.
// Driven from Node with playwright-core and Debian's Chromium (docs/BUILDING.md; tests/js/browser.ts).
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const page = `<!doctype html><meta charset="utf-8"><title>nnplay dist check</title>
<script type="module">
  // Count workers the library starts.
  let workers = 0;
  const RealWorker = window.Worker;
  window.Worker = class extends RealWorker { constructor(...a) { super(...a); workers++; } };
  const nn = await import('/dist/lib/nnplay.js');
  await nn.ready();
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = nn.tensor2d([[0], [1], [1], [0]]);
  async function train() {
    const model = nn.sequential({ layers: [
      nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
    model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const epochs = [];
    const h = await model.fit(xs, ys, { epochs: 200, batchSize: 4,
      callbacks: { onEpochEnd: (e) => { epochs.push(e); } } });
    clearInterval(timer);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const prediction = Array.from(model.predict(xs).dataSync());
    model.dispose();
    return { history: h.history, weights, prediction, epochs: epochs.length, ticks };
  }
  try {
    const inWorker = await train();
    const workersAfterFit = workers;
    nn.setFitWorker('never');
    const inPage = await train();
    window.__result = { inWorker, inPage, workersAfterFit };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('dist trains in its module worker in Chromium, equal to in-page training', async () => {
  const result = await pageResultInChromium(server.url, 'nnplay-lib-');
  const { inWorker, inPage, workersAfterFit } = result as {
    inWorker: { history: Record<string, number[]>; weights: number[][]; prediction: number[]; epochs: number; ticks: number };
    inPage: typeof inWorker;
    workersAfterFit: number;
  };
  expect(workersAfterFit).toBe(1);
  // The worker script came from the package, and both realms (page, then worker) loaded the
  // one shipped engine: the page, which called nn.ready(), both its modules; the worker, whose
  // dense model needs no more, nnplay.wasm alone.
  expect(server.requested.filter((p) => /\/dist\/lib\/assets\/fit-worker-[^/]*\.js$/.test(p))).toHaveLength(1);
  expect(server.requested.filter((p) => p.endsWith('.wasm')).sort()).toEqual(['/dist/lib/nnplay-extra.wasm', '/dist/lib/nnplay.wasm', '/dist/lib/nnplay.wasm']);
  // So did the engine's glue: one file, imported by both (not a copy in each realm's JS).
  expect(server.requested.filter((p) => p.endsWith('/nnplay-glue.js'))).toEqual(['/dist/lib/nnplay-glue.js', '/dist/lib/nnplay-glue.js']);
  expect(inWorker.epochs).toBe(200);
  expect(inWorker.history).toEqual(inPage.history);
  expect(inWorker.weights).toEqual(inPage.weights);
  expect(inWorker.prediction.map(Math.round)).toEqual([0, 1, 1, 0]);
  // The page kept running timers while the worker trained.
  expect(inWorker.ticks).toBeGreaterThan(0);
});

// A CNN with the built package in a real browser: a page imports dist/lib/nnplay.js, builds
// conv2d → maxPooling2d → flatten → dense on [n, 8, 8, 1] images, and trains it on the page's
// main thread (so in the library's module worker) and then in-page; both must give the same
// numbers, and the model must learn the task. (browser-dist.test.ts does the same for a dense
// net and checks the worker and wasm files; tests/js/conv.test.ts covers the API in Node.)
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const page = `<!doctype html><meta charset="utf-8"><title>nnplay conv check</title>
<script type="module">
  const nn = await import('/dist/lib/nnplay.js');
  await nn.ready();
  // Horizontal (0) or vertical (1) bars of length 5 on weak noise, 8×8×1, NHWC.
  let s = 12345;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const n = 160;
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    for (let p = 0; p < 64; p++) x[i * 64 + p] = rand() * 0.2;
    const a = Math.floor(rand() * 8);
    const b = Math.floor(rand() * 4);
    for (let k = 0; k < 5; k++) x[i * 64 + (label ? (b + k) * 8 + a : a * 8 + b + k)] = 1;
    y[i] = label;
  }
  const xs = nn.tensor4d(x, [n, 8, 8, 1]);
  const ys = nn.tensor(y, [n, 1]);
  async function train() {
    const model = nn.sequential({ layers: [
      nn.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.conv2d({ filters: 8, kernelSize: 2, strides: 2, activation: 'relu' }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 2, activation: 'softmax' }) ], seed: 3 });
    model.compile({ optimizer: nn.train.adam(0.02), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(xs, ys, { epochs: 12, batchSize: 16, validationSplit: 0.25 });
    const weights = model.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
    const prediction = Array.from(model.predict(xs).dataSync());
    const summary = model.summary();
    model.dispose();
    return { history: h.history, weights, prediction, summary };
  }
  try {
    const inWorker = await train();
    nn.setFitWorker('never');
    const inPage = await train();
    window.__result = { inWorker, inPage };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('a CNN trains in the fit worker in Chromium, equal to in-page training', async () => {
  const result = await pageResultInChromium(server.url, 'nnplay-conv-');
  type Run = { history: Record<string, number[]>; weights: { shape: number[]; values: number[] }[]; prediction: number[]; summary: string };
  const { inWorker, inPage } = result as { inWorker: Run; inPage: Run };
  // The main-thread fit really went through the worker.
  expect(server.requested.some((p) => /\/dist\/lib\/assets\/fit-worker-[^/]*\.js$/.test(p))).toBe(true);
  expect(inWorker.weights.map((w) => w.shape)).toEqual([[3, 3, 1, 4], [4], [2, 2, 4, 8], [8], [32, 2], [2]]);
  expect(inWorker.summary).toMatch(/maxPooling2d_2 \(MaxPooling2\s+\[\[null,\d+,\d+,4\]\]\s+\[null,4,4,4\]/);
  expect(inWorker.history).toEqual(inPage.history);
  expect(inWorker.weights).toEqual(inPage.weights);
  expect(inWorker.prediction).toEqual(inPage.prediction);
  expect(inWorker.history.val_acc.at(-1)).toBeGreaterThanOrEqual(0.9);
});

// The Keras MNIST quickstart as TF.js programs write it, in a real browser page that never
// calls nn.ready(): the model is built and compiled while the engine is still loading (a page
// cannot load it synchronously, so add() and compile() defer their engine work), fit() waits for
// the engine, predict() follows. The same program as tests/js/programs/keras-mnist-quickstart.ts.
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const page = `<!doctype html><meta charset="utf-8"><title>nnplay lazy engine</title>
<script type="module">
  const tf = await import('/dist/lib/nnplay.js');
  function data(n, seed) {
    let s = seed >>> 0;
    const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const pixels = new Float32Array(n * 784), labels = [];
    for (let i = 0; i < n; i++) {
      const k = i % 10; labels.push(k);
      const r0 = 2 + Math.floor(k / 5) * 12, c0 = 2 + (k % 5) * 5;
      for (let p = 0; p < 784; p++) pixels[i * 784 + p] = 0.3 * rand();
      for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) pixels[i * 784 + r * 28 + c] = 0.7 + 0.3 * rand();
    }
    return { xs: tf.tensor3d(pixels, [n, 28, 28]), ys: tf.tensor1d(labels), labels };
  }
  try {
    const readyAtImport = tf.isReady();
    const train = data(300, 1), test = data(100, 2);
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [28, 28] }));
    model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const readyAfterCompile = tf.isReady();
    // A synchronous call that needs the engine now says what to do.
    let summaryError = '';
    try { model.summary(); } catch (e) { summaryError = String(e.message); }
    // A bad name is still caught synchronously (the engine's tables are in the bundle).
    let lossError = '';
    try { tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] }).compile({ optimizer: 'sgd', loss: 'meanSquaredErr' }); }
    catch (e) { lossError = String(e.message); }
    const h = await model.fit(train.xs, train.ys, { epochs: 5, batchSize: 32 });
    const probs = model.predict(test.xs);
    const v = probs.dataSync();
    let right = 0;
    for (let i = 0; i < 100; i++) {
      let best = 0;
      for (let j = 1; j < 10; j++) if (v[i * 10 + j] > v[i * 10 + best]) best = j;
      if (best === test.labels[i]) right++;
    }
    window.__result = { readyAtImport, readyAfterCompile, summaryError, lossError, loss: h.history.loss,
                        accuracy: right / 100, shape: probs.shape, summary: model.summary() };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('a page runs the Keras MNIST quickstart without nn.ready()', async () => {
  const r = (await pageResultInChromium(server.url, 'nnplay-lazy-')) as {
    readyAtImport: boolean;
    readyAfterCompile: boolean;
    summaryError: string;
    lossError: string;
    loss: number[];
    accuracy: number;
    shape: number[];
    summary: string;
  };
  expect(r.readyAtImport).toBe(false);
  expect(r.readyAfterCompile).toBe(false); // add() and compile() ran before the engine was there
  expect(r.summaryError).toMatch(/engine is still loading.*await nn\.ready\(\)/);
  expect(r.lossError).toMatch(/unknown loss "meanSquaredErr"/);
  expect(r.loss).toHaveLength(5);
  expect(r.loss[4]).toBeLessThan(r.loss[0]);
  expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(r.shape).toEqual([100, 10]);
  expect(r.summary).toMatch(/Total params: 101770/);
  // One engine for the page and one for the fit worker, both the shipped file.
  expect(server.requested.filter((p) => p.endsWith('.wasm'))).toEqual(['/dist/lib/nnplay.wasm', '/dist/lib/nnplay.wasm']);
});

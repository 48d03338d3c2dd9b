// nn.datasets in a real browser, from the built package: the page fetches the gzipped files
// with progress, gunzips them with DecompressionStream, keeps them in the Cache API, and the
// engine checks them; a second module instance (a fresh memo) is served from the cache without
// a request; a module worker loads the same set. Headless Chromium (tests/js/browser.ts).
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const page = `<!doctype html><meta charset="utf-8"><title>nnplay datasets</title>
<script type="module">
  try {
    const nn = await import('/dist/lib/nnplay.js');
    await nn.ready();
    const progress = [];
    const d = await nn.datasets.mnist({ onProgress: (a, b) => progress.push([a, b]) });
    let sum = 0;
    for (const v of d.test.xs.values()) sum += v;
    const first = { train: d.train.n, test: d.test.n, shape: d.test.xs.shape, sum, label0: d.test.labels[0],
      y0: d.test.ys.values()[0], progress: progress.length, last: progress[progress.length - 1] };
    const cached = (await (await caches.open('nnplay-datasets-v1')).keys()).length;
    // A second instance of the library: no memo, so the bytes must come from the Cache API.
    const nn2 = await import('/dist/lib/nnplay.js?again');
    await nn2.ready();
    const again = await nn2.datasets.mnist();
    let sum2 = 0;
    for (const v of again.test.xs.values()) sum2 += v;
    // A module worker, as the playground's: the same API there.
    const worker = new Worker(URL.createObjectURL(new Blob([\`
      const nn = await import(location.origin + '/dist/lib/nnplay.js?worker');
      await nn.ready();
      const d = await nn.datasets.fashionMnist({ subset: true });
      postMessage({ train: d.train.n, test: d.test.n, classes: d.classNames.length });
    \`], { type: 'text/javascript' })), { type: 'module' });
    const inWorker = await new Promise((resolve, reject) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => reject(new Error(e.message)); });
    window.__result = { first, cached, sum2, inWorker };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('the page and a worker load the bundled data sets: fetched with progress, cached, checked', async () => {
  const r = (await pageResultInChromium(server.url, 'nnplay-datasets-')) as {
    first: { train: number; test: number; shape: number[]; sum: number; label0: number; y0: number; progress: number; last: [number, number] };
    cached: number;
    sum2: number;
    inWorker: { train: number; test: number; classes: number };
  };
  expect(r.first.train).toBe(8000);
  expect(r.first.test).toBe(2000);
  expect(r.first.shape).toEqual([2000, 28, 28, 1]);
  expect(r.first.y0).toBe(r.first.label0);
  expect(r.first.progress).toBeGreaterThan(1);
  expect(r.first.last[0]).toBe(r.first.last[1]);
  expect(r.cached).toBe(4);
  expect(r.sum2).toBe(r.first.sum);
  const gz = server.requested.filter((p) => p.endsWith('.gz'));
  // MNIST's four files once (the second instance read the cache), then the Fashion subset's
  // four (its train pair and the test pair) from the worker.
  expect(gz.filter((p) => p.includes('/mnist-'))).toHaveLength(4);
  expect(gz.filter((p) => p.includes('fashion-mnist-'))).toHaveLength(4);
  expect(r.inWorker).toEqual({ train: 10000, test: 10000, classes: 10 });
}, 120_000);

// The threaded engine (nnplay-threads.wasm) against the single-threaded one, with the built
// package: the ConvNetJS demo net of bench/workloads.mjs (conv 8 5x5 same relu, maxpool 2,
// conv 16 5x5 same relu, maxpool 3, dense 10 softmax; momentum SGD, batch 20) trained a few steps
// from the same seed
//  - on a cross-origin isolated page (COOP + COEP): the engine says threads are on, with 2 or
//    more of them, and fit() runs in the library's fit worker, whose engine threads are nested
//    workers;
//  - on the same page without the headers: one thread, the plain engine;
//  - in Node: one thread (no threaded build there; see wasm-loader.ts threadsAvailable).
// All three end with the same weights, bit for bit. Also: setThreadsCount's errors, and the
// shared memory growing under a running pool (growSource): the same net trained in a worker of
// the page, then a set large enough to grow the engine's heap predicted and trained on, with the
// same bits as the single-threaded engine's.
import { expect, test } from 'vitest';
import * as nn from 'nnplay';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';
import { convNetSource, randomImagesSource } from './conv-net-source';

const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

// The training, as a function body shared by the page and Node (nn in scope).
const trainSource = `${randomImagesSource(12345)}
  const n = 60;
  const { x, y } = images(n);
  const model = ${convNetSource(17)};
  const h = await model.fit(nn.tensor4d(x, [n, 28, 28, 1]), nn.tensor(y, [n, 1]), { epochs: 2, batchSize: 20, shuffle: true });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  return { loss: h.history.loss, weights };
`;

const page = `<!doctype html><meta charset="utf-8"><title>nnplay threads check</title>
<script type="module">
  try {
    const nn = await import('/dist/lib/nnplay.js');
    const train = async () => { ${trainSource} };
    await nn.ready();
    const run = await train();
    const wasm = performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm'));
    window.__result = { ...run, backend: nn.backend(), threadsCount: nn.getThreadsCount(), isolated: self.crossOriginIsolated, wasm };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

// Memory growth with the pool running: the threaded engine's heap is one SharedArrayBuffer, grown
// on the thread that calls the engine while the pool's threads exist (they sleep between jobs)
// and then read by them. The net trains on 60 images, then 12,000 images (37.6 MB, more than the
// 16 MB heap the engine starts with) are predicted (predict copies them into the engine, which
// grows its memory, and the conv layers' chunks then run over them on the pool) and trained on
// (fit copies them again: training on 5 %, the rest the validation set, forward on the pool).
// Returned: the losses, the weights, a checksum of every predicted float's bits and the heap
// size at each point.
const growSource = `${randomImagesSource(2024)}
  const tensors = (n) => {
    const { x, y } = images(n);
    return [nn.tensor4d(x, [n, 28, 28, 1]), nn.tensor(y, [n, 1])];
  };
  const model = ${convNetSource(5)};
  const [x, y] = tensors(60);
  const first = await model.fit(x, y, { epochs: 1, batchSize: 20, shuffle: true });
  const heap = [nn.memory().wasmHeapBytes];
  const [xBig, yBig] = tensors(12000);
  const predicted = model.predict(xBig).dataSync();
  heap.push(nn.memory().wasmHeapBytes);
  const bits = new Uint32Array(predicted.buffer, predicted.byteOffset, predicted.length);
  let checksum = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) checksum = Math.imul(checksum ^ bits[i], 16777619) >>> 0;
  const second = await model.fit(xBig, yBig, { epochs: 1, batchSize: 20, shuffle: true, validationSplit: 0.95 });
  heap.push(nn.memory().wasmHeapBytes);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  return { loss: [...first.history.loss, ...second.history.loss], valLoss: second.history.val_loss,
    predicted: { count: predicted.length, checksum, head: Array.from(predicted.subarray(0, 20)) }, weights, heap };
`;

// The page starts a module worker (as the playground's Images mode trains in one) that loads the
// package and runs growSource there: in a worker fit() trains in-process, so nn.memory() reports
// the heap of the engine that trains.
const growWorker = `
  self.onmessage = async (event) => {
    try {
      const nn = await import(event.data + '/dist/lib/nnplay.js');
      await nn.ready();
      const run = await (async () => { ${growSource} })();
      self.postMessage({ ...run, backend: nn.backend(), isolated: self.crossOriginIsolated });
    } catch (e) {
      self.postMessage({ error: String(e && e.stack || e) });
    }
  };`;
const growPage = `<!doctype html><meta charset="utf-8"><title>nnplay threads memory growth</title>
<script type="module">
  const source = ${JSON.stringify(growWorker)};
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
  worker.onmessage = (event) => { window.__result = event.data; };
  worker.onerror = (event) => { window.__result = { error: 'the worker failed: ' + event.message }; };
  worker.postMessage(location.origin);
</script>`;

const isolatedServer = servePageAndPackage(page, isolation);
const plainServer = servePageAndPackage(page);
// Isolated, but the threads' worker script cannot be loaded (a proxy blocking it, a partial copy).
const blockedServer = servePageAndPackage(page, isolation, { block: /\/nnplay-threads\.worker\.js$/ });
// Isolated, and the threads' worker script loads but never starts a thread (Emscripten waits
// for each pool worker's 'loaded' message, which this script never sends): only the start
// timeout, shortened here from its 30 s, lets the load go on, with the single-threaded engine.
const stalledStartMs = 1500;
const stalledPage = page
  .replace(
    'await nn.ready();',
    `nn.setThreadsCount(2, { startTimeoutMs: ${stalledStartMs} });
    const loadStarted = performance.now();
    await nn.ready();
    const loadMs = performance.now() - loadStarted;`,
  )
  .replace('{ ...run,', '{ ...run, loadMs, totalMs: performance.now() - loadStarted,');
const stalledServer = servePageAndPackage(stalledPage, isolation, {
  replace: { path: /\/nnplay-threads\.worker\.js$/, script: '// a thread script that never reports itself loaded\n' },
});
const growIsolatedServer = servePageAndPackage(growPage, isolation);
const growPlainServer = servePageAndPackage(growPage);

type GrowRun = {
  loss: number[];
  valLoss: number[];
  predicted: { count: number; checksum: number; head: number[] };
  weights: number[][];
  heap: number[];
  backend: { threads: boolean; threadsCount: number };
  isolated: boolean;
};

type Run = { loss: number[]; weights: number[][]; backend: { threads: boolean; threadsCount: number }; threadsCount: number; isolated: boolean; wasm: string[] };

async function trainInNode(): Promise<{ loss: number[]; weights: number[][] }> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const train = new Function('nn', `return (async () => { ${trainSource} })();`) as (lib: typeof nn) => Promise<{ loss: number[]; weights: number[][] }>;
  return train(nn);
}

test('setThreadsCount refuses counts outside 1..16, and Node runs one thread', async () => {
  for (const bad of [0, -1, 17, 2.5, Number.NaN]) expect(() => nn.setThreadsCount(bad)).toThrow(/from 1 to 16/);
  // The bound is the engine's (core/parallel.h kMaxThreads, through its tables), not a copy.
  expect(nn.engineTables().threads).toEqual({ max: 16 });
  expect(() => nn.setThreadsCount(16)).not.toThrow(); // Node: asked for, never started
  await nn.ready();
  expect(() => nn.setThreadsCount(2)).toThrow(/before the engine loads/);
  expect(nn.getThreadsCount()).toBe(1);
  expect(nn.backend()).toMatchObject({ threads: false, threadsCount: 1 });
});

test.skipIf(!hasChromium)(
  'the ConvNetJS net trains to the same bits with threads (isolated page, fit worker), without, and in Node',
  async () => {
    const threaded = (await pageResultInChromium(isolatedServer.url, 'nnplay-threads-')) as unknown as Run;
    const single = (await pageResultInChromium(plainServer.url, 'nnplay-nothreads-')) as unknown as Run;
    expect(threaded.isolated).toBe(true);
    expect(threaded.backend.threads).toBe(true);
    expect(threaded.threadsCount).toBeGreaterThanOrEqual(2);
    // The fit ran in the library's worker, which loaded the threaded engine and its pthread workers.
    expect(isolatedServer.requested.some((p) => p.endsWith('/nnplay-threads.worker.js'))).toBe(true);
    expect(isolatedServer.requested.some((p) => /\/fit-worker-[^/]*\.js$/.test(p))).toBe(true);
    expect(single.isolated).toBe(false);
    expect(single.backend.threads).toBe(false);
    expect(single.threadsCount).toBe(1);
    expect(plainServer.requested.some((p) => p.includes('nnplay-threads'))).toBe(false);

    const node = await trainInNode();
    expect(threaded.loss.every(Number.isFinite)).toBe(true);
    expect(threaded.loss).toEqual(single.loss);
    expect(threaded.weights).toEqual(single.weights); // exact: numbers from float32 values
    expect(node.weights).toEqual(single.weights);
    expect(node.loss).toEqual(single.loss);
  },
  180_000,
);

test.skipIf(!hasChromium)(
  'an isolated page whose thread workers cannot start trains on one thread, to the same bits',
  async () => {
    const fallback = (await pageResultInChromium(blockedServer.url, 'nnplay-threads-blocked-')) as unknown as Run & { error?: string };
    expect(fallback.error).toBeUndefined();
    expect(fallback.isolated).toBe(true);
    expect(fallback.backend.threads).toBe(false);
    expect(blockedServer.requested.some((p) => p.endsWith('/nnplay-threads.worker.js'))).toBe(true);
    const node = await trainInNode();
    expect(fallback.weights).toEqual(node.weights);
  },
  180_000,
);

test('setThreadsCount checks its start timeout option', () => {
  for (const bad of [0, -5, Number.NaN, Infinity, 2 ** 31, '100']) {
    expect(() => nn.setThreadsCount(2, { startTimeoutMs: bad as number })).toThrow(/startTimeoutMs must be a number of milliseconds above 0/);
  }
  expect(() => nn.setThreadsCount(2, { timeout: 5 } as never)).toThrow(/unknown option 'timeout'; allowed: startTimeoutMs/);
  expect(() => nn.setThreadsCount(2, 5 as never)).toThrow(/options must be an object/);
  // The engine is loaded in this file by now: a valid call still says it comes too late.
  expect(() => nn.setThreadsCount(2, { startTimeoutMs: 5000 })).toThrow(/before the engine loads/);
});

test.skipIf(!hasChromium)(
  'a threaded start that never finishes falls back to one thread after the start timeout, to the same bits',
  async () => {
    const fallback = (await pageResultInChromium(stalledServer.url, 'nnplay-threads-stalled-')) as unknown as Run & { loadMs: number; totalMs: number };
    expect(fallback.isolated).toBe(true);
    expect(fallback.backend.threads).toBe(false);
    expect(fallback.threadsCount).toBe(1);
    // The page's load waited for the timeout, not for the default 30 s, and so did the fit
    // worker's (told the page's timeout), which then trained on one thread.
    expect(fallback.loadMs).toBeGreaterThanOrEqual(stalledStartMs - 50);
    expect(fallback.loadMs).toBeLessThan(20_000);
    expect(fallback.totalMs).toBeLessThan(25_000);
    expect(stalledServer.requested.filter((p) => p.endsWith('/nnplay-threads.worker.js')).length).toBeGreaterThanOrEqual(2);
    const node = await trainInNode();
    expect(fallback.weights).toEqual(node.weights);
    expect(fallback.loss).toEqual(node.loss);
  },
  180_000,
);

test.skipIf(!hasChromium)(
  'the threaded engine\'s shared memory grows under its running pool and training keeps the single-threaded bits',
  async () => {
    const threaded = (await pageResultInChromium(growIsolatedServer.url, 'nnplay-threads-grow-')) as unknown as GrowRun;
    const single = (await pageResultInChromium(growPlainServer.url, 'nnplay-nothreads-grow-')) as unknown as GrowRun;
    expect(threaded.isolated).toBe(true);
    expect(threaded.backend.threads).toBe(true);
    expect(threaded.backend.threadsCount).toBeGreaterThanOrEqual(2);
    expect(growIsolatedServer.requested.some((p) => p.endsWith('/nnplay-threads.worker.js'))).toBe(true);
    expect(single.backend).toMatchObject({ threads: false, threadsCount: 1 });
    // The heap grew in both engines: by the predicted set, then by the trained one.
    for (const run of [threaded, single]) {
      expect(run.heap[1]).toBeGreaterThan(run.heap[0] + 12000 * 784 * 4 * 0.5);
      expect(run.heap[2]).toBeGreaterThan(run.heap[1]);
    }
    expect(threaded.predicted.count).toBe(12000 * 10);
    expect(threaded.predicted.head.every(Number.isFinite)).toBe(true);
    expect(threaded.loss.every(Number.isFinite)).toBe(true);
    expect(threaded.predicted).toEqual(single.predicted);
    expect(threaded.loss).toEqual(single.loss);
    expect(threaded.valLoss).toEqual(single.valLoss);
    expect(threaded.weights).toEqual(single.weights);

    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const grow = new Function('nn', `return (async () => { ${growSource} })();`) as (lib: typeof nn) => Promise<GrowRun>;
    const node = await grow(nn);
    expect(node.predicted).toEqual(single.predicted);
    expect(node.loss).toEqual(single.loss);
    expect(node.weights).toEqual(single.weights);
  },
  300_000,
);

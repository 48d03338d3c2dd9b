// The threaded engine (nnplay-threads.wasm) against the single-threaded one, with the built
// package: the ConvNetJS demo net of bench/workloads.mjs (conv 8 5x5 same relu, maxpool 2,
// conv 16 5x5 same relu, maxpool 3, dense 10 softmax; momentum SGD, batch 20) trained a few steps
// from the same seed
//  - on a cross-origin isolated page (COOP + COEP): the engine says threads are on, with 2 or
//    more of them, and fit() runs in the library's fit worker, whose engine threads are nested
//    workers;
//  - on the same page without the headers: one thread, the plain engine;
//  - in Node: one thread (no threaded build there; see wasm-loader.ts threadsAvailable).
// All three end with the same weights, bit for bit. Also: setThreadsCount's errors.
import { expect, test } from 'vitest';
import * as nn from 'nnplay';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

// The training, as a function body shared by the page and Node (nn in scope).
const trainSource = `
  let s = 12345;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const n = 60;
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = rand();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 10;
  const model = nn.sequential({ seed: 17, layers: [
    nn.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }),
    nn.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    nn.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }),
    nn.layers.maxPooling2d({ poolSize: 3, strides: 3 }),
    nn.layers.flatten(),
    nn.layers.dense({ units: 10, activation: 'softmax' }) ] });
  model.compile({ optimizer: nn.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy' });
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

const isolatedServer = servePageAndPackage(page, isolation);
const plainServer = servePageAndPackage(page);
// Isolated, but the threads' worker script cannot be loaded (a proxy blocking it, a partial copy).
const blockedServer = servePageAndPackage(page, isolation, { block: /\/nnplay-threads\.worker\.js$/ });

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

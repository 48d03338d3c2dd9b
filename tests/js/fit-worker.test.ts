// fit() through the library's worker protocol (what a page's main thread uses), compared with
// in-process training. Node has no Web Worker, so the "worker" here is the real worker-side
// code (nn.serveFitWorker) on the far end of a MessageChannel: every message is structured-
// cloned and its buffers transferred exactly as with a Worker; only the thread is missing.
// (tests/e2e runs the real module worker in Chromium.)
import * as nn from 'nnplay';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { blobs, disposeAll, weightsOf, channelFitWorker, channelWorkers } from './helpers';



beforeAll(async () => {
  await nn.ready();
});

afterEach(() => {
  nn.setFitWorker('auto');
});

function makeModel(seed: number): nn.Sequential {
  const model = nn.sequential({
    layers: [
      nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    seed,
  });
  model.compile({ optimizer: nn.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function scenario(mode: 'worker' | 'in-process') {
  nn.setFitWorker(mode === 'worker' ? { create: channelFitWorker } : 'never');
  const { x, y } = blobs(60, 21);
  const xs = nn.tensor(x, [60, 2]);
  const ys = nn.tensor(y, [60, 1]);
  const model = makeModel(17);
  const events: string[] = [];
  const predictions: number[] = [];
  const probe = nn.tensor2d([[0.5, -0.5]]);
  const h1 = await model.fit(xs, ys, {
    epochs: 5,
    batchSize: 7,
    validationSplit: 0.2,
    callbacks: {
      onEpochBegin: (e) => void events.push(`begin ${e}`),
      onBatchEnd: (b) => void events.push(`batch ${b}`),
      onEpochEnd: (e, logs) => {
        events.push(`end ${e}`);
        // The model seen from callbacks is the one being trained, in both modes.
        const p = model.predict(probe);
        predictions.push(p.dataSync()[0]);
        p.dispose();
        expect(Object.keys(logs)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
      },
    },
  });
  // A second fit continues (optimizer state, epoch count); setWeights in between is honoured.
  const h2 = await model.fit(xs, ys, { epochs: 3, batchSize: 7 });
  const ws = model.getWeights();
  const scaled = ws.map((w) => nn.tensor(w.dataSync().map((v) => v * 0.5), w.shape));
  model.setWeights(scaled);
  const h3 = await model.fit(xs, ys, { epochs: 2, batchSize: 7 });
  const final = weightsOf(model);
  disposeAll(ws, scaled, xs, ys, probe, model);
  return { h1: h1.history, h2: h2.history, h3: h3.history, final, events, predictions };
}

test('training in the worker gives exactly the in-process numbers', async () => {
  const local = await scenario('in-process');
  const started = channelWorkers.started;
  const remote = await scenario('worker');
  expect(channelWorkers.started).toBe(started + 1); // one worker, reused by the three fits
  expect(remote.h1).toEqual(local.h1);
  expect(remote.h2).toEqual(local.h2);
  expect(remote.h3).toEqual(local.h3);
  expect(remote.final).toEqual(local.final);
  expect(remote.predictions).toEqual(local.predictions);
  expect(remote.events).toEqual(local.events);
  expect(local.events.slice(0, 2)).toEqual(['begin 0', 'batch 0']);
});

test('disposing the last model stops the worker and frees its replica', async () => {
  nn.setFitWorker({ create: channelFitWorker });
  const terminated = channelWorkers.terminated;
  const { x, y } = blobs(20, 2);
  const xs = nn.tensor(x, [20, 2]);
  const ys = nn.tensor(y, [20, 1]);
  const a = makeModel(1);
  const b = makeModel(2);
  await a.fit(xs, ys, { epochs: 2 });
  await b.fit(xs, ys, { epochs: 2 });
  // Two main-thread models + two replicas on the worker side of the channel.
  expect(nn.memory().liveWasmObjects).toBe(4);
  a.dispose();
  expect(channelWorkers.terminated).toBe(terminated);
  b.dispose();
  expect(channelWorkers.terminated).toBe(terminated + 1);
  await new Promise((r) => setTimeout(r, 30));
  expect(nn.memory().liveWasmObjects).toBe(0);
  disposeAll(xs, ys);
});

test('a diverging run in the worker rejects with the engine message', async () => {
  nn.setFitWorker({ create: channelFitWorker });
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 1 });
  model.compile({ optimizer: nn.train.sgd(1e6), loss: 'meanSquaredError' });
  const xs = nn.tensor2d([[10, -20], [30, 40], [-50, 60], [70, 80]]);
  const ys = nn.tensor2d([[100], [-200], [300], [400]]);
  await expect(model.fit(xs, ys, { epochs: 20, batchSize: 2 })).rejects.toThrow(/diverged.*smaller learning rate/s);
  // The worker stays usable for the next fit.
  model.compile({ optimizer: nn.train.sgd(1e-6), loss: 'meanSquaredError' });
  const fresh = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 1 });
  const ws = fresh.getWeights();
  model.setWeights(ws);
  const h = await model.fit(xs, ys, { epochs: 1 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
  disposeAll(ws, fresh, xs, ys, model);
  await new Promise((r) => setTimeout(r, 30));
  expect(nn.memory().liveWasmObjects).toBe(0);
});

test('a worker that fails to start rejects fit with a clear message', async () => {
  nn.setFitWorker({
    create: () => {
      const listeners: Array<(e: Event) => void> = [];
      return {
        postMessage: () => {
          setTimeout(() => listeners.forEach((l) => l(Object.assign(new Event('error'), { message: 'script not found' }))), 0);
        },
        addEventListener: (type, l) => {
          if (type === 'error') listeners.push(l);
        },
        terminate: () => {},
      };
    },
  });
  const model = makeModel(3);
  const xs = nn.tensor2d([[0, 1]]);
  const ys = nn.tensor2d([[1]]);
  await expect(model.fit(xs, ys)).rejects.toThrow(/the fit worker failed .*: script not found/);
  disposeAll(xs, ys, model);
  expect(() => nn.setFitWorker('sometimes' as 'auto')).toThrow(/expected 'auto', 'never' or \{create: \(\) => Worker\}/);
});

test("the worker is first told the page's wasm URL, and needs it unless its engine is loaded", async () => {
  // What the library's worker gets before any request: it names no wasm itself (one .wasm ships).
  const sent: unknown[] = [];
  nn.setFitWorker({
    create: () => {
      const w = channelFitWorker();
      return { ...w, postMessage: (m, t) => (sent.push(m), w.postMessage(m, t)) };
    },
  });
  const model = makeModel(4);
  const xs = nn.tensor2d([[0, 1]]);
  const ys = nn.tensor2d([[1]]);
  await model.fit(xs, ys, { epochs: 1 });
  const first = sent[0] as { type: string; wasmUrl: string };
  expect(first.type).toBe('init');
  expect(first.wasmUrl).toMatch(/^file:\/\/.*\/dist\/lib\/nnplay\.wasm/);
  expect((sent[1] as { type: string }).type).toBe('begin');
  disposeAll(xs, ys, model);

  // Without 'init', a realm whose engine is already loaded (an app's worker that called
  // nn.ready()) serves requests; the library's own worker would reply with a clear error instead.
  const { port1, port2 } = new MessageChannel();
  nn.serveFitWorker(port2 as unknown as nn.MessagePortLike);
  port1.start();
  port2.start();
  const reply = new Promise<{ type: string; message?: string }>((resolve) =>
    port1.addEventListener('message', (e) => resolve(e.data), { once: true }),
  );
  port1.postMessage({ type: 'end', req: 1, modelId: 12345 });
  expect(await reply).toEqual({ type: 'ok', req: 1 });
  port1.close();
});

// The training utilities (classWeight, trainOnBatch, fitDataset) go through the same
// FitSession in the worker: the sample weights travel with the data, every batch of a
// dataset is one begin / epoch / end, and the numbers equal in-process training bit for bit.
test('classWeight, trainOnBatch and fitDataset train the same in the worker as in-process', async () => {
  const run = async (mode: 'worker' | 'in-process') => {
    nn.setFitWorker(mode === 'worker' ? { create: channelFitWorker } : 'never');
    const { x, y } = blobs(40, 9);
    const xs = nn.tensor(x, [40, 2]);
    const ys = nn.tensor(y, [40, 1]);
    const model = makeModel(23);
    const h = await model.fit(xs, ys, { epochs: 2, batchSize: 8, classWeight: { 0: 0.5, 1: 2 } });
    const step = await model.trainOnBatch(xs, ys);
    const ds = nn.data.zip({ xs: nn.data.array(Array.from({ length: 40 }, (_, i) => [x[2 * i], x[2 * i + 1]])), ys: nn.data.array(Array.from(y, (v) => [v])) }).batch(10);
    const hd = await model.fitDataset(ds, { epochs: 2, classWeight: { 0: 1, 1: 3 } });
    const weights = weightsOf(model);
    disposeAll(xs, ys, model);
    return { loss: h.history.loss, step, datasetLoss: hd.history.loss, weights };
  };
  const inProcess = await run('in-process');
  const started = channelWorkers.started;
  const worker = await run('worker');
  expect(channelWorkers.started).toBeGreaterThan(started);
  expect(worker).toEqual(inProcess);
});

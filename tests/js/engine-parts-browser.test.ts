// The engine in two wasm modules (scripts/split-engine.mjs, then scripts/profile-engine.mjs):
// nnplay.wasm, and nnplay-extra.wasm with the code typical dense programs never call, among it the
// layer families the layer table marks part "extra". In a real page that never calls nn.ready():
//  - a model of every "core" layer type trains (in the fit worker), predicts and evaluates with
//    the second module unreachable (blocked): none of the code they run was moved out of nnplay.wasm;
//  - a model with an "extra" layer loads the second module by itself, in the page and in the fit
//    worker, before it needs it, and then trains; a synchronous call before that loads it on the
//    spot (a synchronous request) and runs;
//  - where the second module cannot be fetched, such a model fails with an error naming it;
//  - the same for a dense model naming extra rows of the other tables (gelu, adagrad, huberLoss):
//    the page and the fit worker each load the second module by themselves, or fail naming it;
//  - the data sets (their generators and readers are in the second module too): after the
//    README's dense XOR app, which fetches the first module only, a synchronous data set loads the
//    second module on the spot, an asynchronous one waits for it, and where it cannot be fetched
//    each fails naming it.
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

// A functional model of every core layer type, checked against the table on the page.
const corePage = (withConv: boolean) => `<!doctype html><meta charset="utf-8"><title>nnplay engine parts</title>
<script type="module">
  const nn = await import('/dist/lib/nnplay.js');
  const out = {};
  try {
    // A functional model's symbolic checks need the engine: any asynchronous call loads its first
    // part (nn.ready() would load both).
    await nn.setBackend('wasm');
    out.coreTypes = nn.engineTables().layers.filter((r) => r.part === 'core').map((r) => r.name).sort();
    const input = nn.input({ shape: [4] });
    const h = nn.layers.dense({ units: 6, activation: 'tanh' }).apply(input);
    const r = nn.layers.reshape({ targetShape: [2, 3] }).apply(h);
    const f = nn.layers.flatten().apply(r);
    const a = nn.layers.activation({ activation: 'relu' }).apply(f);
    const d = nn.layers.dropout({ rate: 0.1 }).apply(a);
    const sum = nn.layers.add().apply([d, h]);
    const cat = nn.layers.concatenate().apply([sum, input]);
    const y = nn.layers.dense({ units: 1 }).apply(cat);
    const model = nn.model({ inputs: input, outputs: y, seed: 5 });
    out.usedTypes = [...new Set(model.layers.map((l) => l.type))].sort();
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const xs = nn.randomUniform([64, 4], -1, 1, 'float32', 3);
    const ys = xs.sum(1, true);
    const hist = await model.fit(xs, ys, { epochs: 5, batchSize: 16 });
    out.loss = hist.history.loss;
    out.predictShape = model.predict(xs).shape;
    out.evaluated = Number(model.evaluate(xs, ys).dataSync()[0]);
    out.readyAfterDense = nn.isReady();
    if (${withConv}) {
      const conv = nn.sequential({ layers: [
        nn.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
        nn.layers.maxPooling2d({ poolSize: 2 }), nn.layers.flatten(), nn.layers.dense({ units: 1 }) ], seed: 7 });
      conv.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const images = nn.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 9);
      out.readyAfterConv = nn.isReady();
      // Synchronous, before the background load can have finished: it loads the second module
      // on the spot (a synchronous request) and predicts.
      try { out.syncConvShape = conv.predict(images).shape; } catch (e) { out.syncConvError = String(e.message); }
      try {
        const ch = await conv.fit(images, nn.ones([8, 1]), { epochs: 2, batchSize: 4 });
        out.convLoss = ch.history.loss;
        out.convPredictShape = conv.predict(images).shape;
      } catch (e) { out.convFitError = String(e.message); }
    }
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  window.__result = out;
</script>`;

type Result = {
  error?: string;
  coreTypes: string[];
  usedTypes: string[];
  loss: number[];
  predictShape: number[];
  evaluated: number;
  readyAfterDense: boolean;
  readyAfterConv: boolean;
  syncConvError?: string;
  syncConvShape?: number[];
  convLoss?: number[];
  convPredictShape?: number[];
  convFitError?: string;
};

const wasmRequests = (requested: string[]) => requested.filter((p) => p.endsWith('.wasm'));

const blocked = servePageAndPackage(corePage(true), {}, { block: /nnplay-extra\.wasm$/ });
const open = servePageAndPackage(corePage(true));

test.skipIf(!hasChromium)('every core layer type trains with the second module blocked; an extra one then fails clearly', async () => {
  const r = (await pageResultInChromium(blocked.url, 'nnplay-parts-blocked-')) as Result;
  expect(r.error).toBeUndefined();
  // Every core type of the table is in the model above (a new core row needs a case here).
  expect(r.usedTypes).toEqual(r.coreTypes);
  expect(r.loss).toHaveLength(5);
  expect(r.loss[4]).toBeLessThan(r.loss[0]);
  expect(r.predictShape).toEqual([64, 1]);
  expect(Number.isFinite(r.evaluated)).toBe(true);
  expect(r.readyAfterDense).toBe(true);
  // The conv model asks for the second module, which cannot be had here.
  expect(r.readyAfterConv).toBe(false);
  expect(r.syncConvError).toMatch(/could not load the engine's second part \(nnplay-extra\.wasm\)/);
  expect(r.convFitError).toMatch(/could not load the engine's second part \(nnplay-extra\.wasm\)/);
});

test.skipIf(!hasChromium)('a conv model loads the second module by itself, in the page and in the fit worker', async () => {
  const r = (await pageResultInChromium(open.url, 'nnplay-parts-open-')) as Result;
  expect(r.error).toBeUndefined();
  expect(r.loss).toHaveLength(5);
  expect(r.readyAfterConv).toBe(false);
  expect(r.syncConvError).toBeUndefined();
  expect(r.syncConvShape).toEqual([8, 1]);
  expect(r.convFitError).toBeUndefined();
  expect(r.convLoss).toHaveLength(2);
  expect(r.convPredictShape).toEqual([8, 1]);
  // The dense model's page and worker fetched nnplay.wasm only; the conv model then the second
  // module: in the page by the background load the model started and (had that not finished) by
  // the synchronous predict, and once in the fit worker.
  const wasm = wasmRequests(open.requested);
  expect(wasm.slice(0, 2)).toEqual(['/dist/lib/nnplay.wasm', '/dist/lib/nnplay.wasm']);
  expect(new Set(wasm.slice(2))).toEqual(new Set(['/dist/lib/nnplay-extra.wasm']));
  expect(wasm.length - 2).toBeGreaterThanOrEqual(2);
  expect(wasm.length - 2).toBeLessThanOrEqual(3);
});

// The README's XOR app, then one data set of each family: the synchronous ones first (points:
// the playground generator; sine: the sequence tasks), then the asynchronous ones (text: the
// text reader; mnist: the IDX reader), then the synchronous ones again.
const datasetsPage = `<!doctype html><meta charset="utf-8"><title>nnplay engine parts: data sets</title>
<script type="module">
  const nn = await import('/dist/lib/nnplay.js');
  const out = {};
  const attempt = async (name, make) => {
    try { out[name] = await make(); } catch (e) { out[name + 'Error'] = String(e.message); }
  };
  try {
    const model = nn.sequential({ layers: [
      nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 42 });
    model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = nn.tensor2d([[0], [1], [1], [0]]);
    out.xorEpochs = (await model.fit(xs, ys, { epochs: 50, batchSize: 4 })).history.loss.length;
    out.xorPredictShape = model.predict(xs).shape;
    out.wasmAfterXor = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm'));
    out.readyAfterXor = nn.isReady();
    await attempt('points', () => nn.datasets.points({ dataset: 'moons', numPoints: 50, seed: 3 }).train.n);
    await attempt('sine', () => nn.datasets.sine({ numTrain: 8, numTest: 2, steps: 5 }).train.n);
    await attempt('text', async () => (await nn.datasets.text({ seqLength: 8, stride: 512 })).train.n);
    await attempt('mnist', async () => (await nn.datasets.mnist()).test.n);
    await attempt('pointsAfter', () => nn.datasets.points({ dataset: 'moons', numPoints: 50, seed: 3 }).train.n);
    await attempt('sineAfter', () => nn.datasets.sine({ numTrain: 8, numTest: 2, steps: 5 }).train.n);
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  window.__result = out;
</script>`;

type DatasetsResult = {
  xorEpochs: number;
  xorPredictShape: number[];
  wasmAfterXor: string[];
  readyAfterXor: boolean;
} & Record<string, unknown>;

const datasetsOpen = servePageAndPackage(datasetsPage);
const datasetsBlocked = servePageAndPackage(datasetsPage, {}, { block: /nnplay-extra\.wasm$/ });

test.skipIf(!hasChromium)('the dense XOR app fetches the first module only; each data set family then needs the second', async () => {
  const r = (await pageResultInChromium(datasetsOpen.url, 'nnplay-parts-datasets-')) as DatasetsResult;
  expect(r.xorEpochs).toBe(50);
  expect(r.xorPredictShape).toEqual([4, 1]);
  expect(r.wasmAfterXor).toEqual(['/dist/lib/nnplay.wasm']);
  expect(r.readyAfterXor).toBe(true);
  // Synchronous: the first loads the second module on the spot; asynchronous: they wait for it.
  expect(r.pointsError).toBeUndefined();
  expect(r.points).toBe(40);
  expect(r.sineError).toBeUndefined();
  expect(r.sine).toBe(8);
  expect(r.textError).toBeUndefined();
  expect(r.text).toBeGreaterThan(0);
  expect(r.mnistError).toBeUndefined();
  expect(r.mnist).toBe(2000);
  expect(r.pointsAfter).toBe(40);
  expect(r.sineAfter).toBe(8);
  // The page fetched the second module once, for the data sets; the XOR model's fit worker never.
  const wasm = wasmRequests(datasetsOpen.requested);
  expect(wasm.filter((p) => p.endsWith('/nnplay-extra.wasm'))).toEqual(['/dist/lib/nnplay-extra.wasm']);
  expect(wasm.indexOf('/dist/lib/nnplay-extra.wasm')).toBe(wasm.length - 1);
});

test.skipIf(!hasChromium)('with the second module blocked, the XOR app still runs and every data set fails naming it', async () => {
  const r = (await pageResultInChromium(datasetsBlocked.url, 'nnplay-parts-datasets-blocked-')) as DatasetsResult;
  expect(r.xorEpochs).toBe(50);
  expect(r.wasmAfterXor).toEqual(['/dist/lib/nnplay.wasm']);
  // Each, synchronous or not, says it could not load the second module; none runs a placeholder.
  for (const name of ['points', 'sine', 'text', 'mnist', 'pointsAfter', 'sineAfter']) {
    expect(r[`${name}Error`], name).toMatch(/could not load the engine's second part \(nnplay-extra\.wasm\)/);
  }
});

// A dense model that names extra rows of the other tables (an activation, an optimizer, a loss):
// the page and the fit worker each load the second module by themselves before they need it.
const rowsPage = `<!doctype html><meta charset="utf-8"><title>nnplay engine parts: table rows</title>
<script type="module">
  const nn = await import('/dist/lib/nnplay.js');
  const out = {};
  try {
    await nn.setBackend('wasm'); // the engine's first part only
    out.parts = {
      gelu: nn.engineTables().activations.find((r) => r.name === 'gelu').part,
      adagrad: nn.engineTables().optimizers.find((r) => r.name === 'adagrad').part,
      huberLoss: nn.engineTables().losses.find((r) => r.name === 'huberLoss').part,
    };
    const model = nn.sequential({ layers: [
      nn.layers.dense({ inputShape: [3], units: 6, activation: 'gelu' }),
      nn.layers.dense({ units: 1 }) ], seed: 4 });
    model.compile({ optimizer: 'adagrad', loss: 'huberLoss' });
    const xs = nn.randomUniform([32, 3], -1, 1, 'float32', 6);
    const ys = xs.sum(1, true);
    try {
      out.loss = (await model.fit(xs, ys, { epochs: 4, batchSize: 8 })).history.loss;
      out.predictShape = model.predict(xs).shape;
    } catch (e) { out.fitError = String(e.message); }
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  window.__result = out;
</script>`;

type RowsResult = { error?: string; parts: Record<string, string>; loss?: number[]; predictShape?: number[]; fitError?: string };

const rowsOpen = servePageAndPackage(rowsPage);
const rowsBlocked = servePageAndPackage(rowsPage, {}, { block: /nnplay-extra\.wasm$/ });

test.skipIf(!hasChromium)('a dense model naming extra rows loads the second module in the page and the fit worker, and trains', async () => {
  const r = (await pageResultInChromium(rowsOpen.url, 'nnplay-parts-rows-')) as RowsResult;
  expect(r.error).toBeUndefined();
  expect(r.parts).toEqual({ gelu: 'extra', adagrad: 'extra', huberLoss: 'extra' });
  expect(r.fitError).toBeUndefined();
  expect(r.loss).toHaveLength(4);
  expect(r.loss![3]).toBeLessThan(r.loss![0]);
  expect(r.predictShape).toEqual([32, 1]);
  // Each of the page and the fit worker fetched both modules, the second once each.
  const wasm = wasmRequests(rowsOpen.requested);
  expect(wasm.filter((p) => p.endsWith('/nnplay.wasm'))).toHaveLength(2);
  expect(wasm.filter((p) => p.endsWith('/nnplay-extra.wasm'))).toHaveLength(2);
});

test.skipIf(!hasChromium)('where the second module cannot be fetched, such a model fails naming it', async () => {
  const r = (await pageResultInChromium(rowsBlocked.url, 'nnplay-parts-rows-blocked-')) as RowsResult;
  expect(r.error).toBeUndefined();
  expect(r.fitError).toMatch(/could not load the engine's second part \(nnplay-extra\.wasm\)/);
});

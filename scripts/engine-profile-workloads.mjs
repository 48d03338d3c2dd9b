// The programs whose engine calls decide what nnplay.wasm, the engine's first module, holds
// (scripts/profile-engine.mjs runs them on an instrumented engine; wasm-split keeps in the first
// module every function they call and moves the rest to nnplay-extra.wasm).
//
// What belongs here: what a typical dense program does, the way TF.js's guides write one, so that
// such a program never fetches the second module. It walks the engine's own tables (every core
// layer type, activation, initializer, loss, metric, optimizer and schedule), so a new entry is
// covered without a change here. Rows of the "extra" part are left out on purpose: a
// model that names one fetches the second module anyway (web/lib/engine-tables.ts,
// memory.ts needExtraPart), so their code moves there. Error paths are left
// out too: a call that fails fetches the second module for its message (a page waits for it
// synchronously once), which costs less than carrying every message's code in the first.
//
// Every model and random tensor here is seeded. With a random seed (a model's default), the split
// could differ from build to build, and a model could diverge: an unseeded activation model once
// went to weights of 2.7e10 in CI, and its predict() failed the build.
//
// Usage: node scripts/engine-profile-workloads.mjs LIBDIR (a copy of dist/lib; Node only).
import { pathToFileURL } from 'node:url';

const libDir = process.argv[2];
if (!libDir) throw new Error('engine-profile-workloads: give the library directory');
const nn = await import(pathToFileURL(`${libDir}/nnplay.js`).href);
const tables = nn.engineTables();
const core = (rows) => rows.filter((r) => r.part === 'core').map((r) => r.name);

// The README's first program: build, compile, fit, predict, print.
async function xor() {
  const model = nn.sequential({ layers: [
    nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' })], seed: 42 });
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = nn.tensor2d([[0], [1], [1], [0]]);
  await model.fit(xs, ys, { epochs: 20, batchSize: 4 });
  // With callbacks, as tfjs-vis and the guides' progress logs use them.
  await model.fit(xs, ys, { epochs: 3, batchSize: 2, callbacks: { onEpochEnd: () => undefined, onBatchEnd: () => undefined } });
  model.getWeights().map((w) => w.dataSync());
  model.predict(xs).dataSync();
  model.dispose();
}

// The Keras MNIST quickstart's shape of model, at its sizes (the engine formats and checks
// numbers of every length, shapes and counts in the hundreds of thousands).
async function mnistQuickstart() {
  const model = nn.sequential({ seed: 1 });
  model.add(nn.layers.flatten({ inputShape: [28, 28] }));
  model.add(nn.layers.dense({ units: 128, activation: 'relu' }));
  model.add(nn.layers.dropout({ rate: 0.2 }));
  model.add(nn.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = nn.randomUniform([1200, 28, 28], 0, 1, 'float32', 1);
  const ys = nn.tensor1d(Array.from({ length: 1200 }, (_, i) => i % 10));
  await model.fit(xs, ys, { epochs: 1, batchSize: 32, validationData: [xs.slice([0, 0, 0], [100, 28, 28]), ys.slice([0], [100])] });
  model.predict(xs, { batchSize: 256 }).argMax(-1).dataSync();
  model.evaluate(xs, ys);
  model.summary(undefined, undefined, () => undefined);
}

const x = (n, f, seed) => nn.randomNormal([n, f], 0, 1, 'float32', seed);
const classes = (n, k) => nn.oneHot(nn.tensor1d(Array.from({ length: n }, (_, i) => i % k), 'int32'), k);

// A classifier the way the guides train one: validation split, callbacks, evaluate, summary,
// weights in and out, saving and loading, predict with a batch size.
async function classifier(optimizer, loss, metrics) {
  const m = nn.sequential({ seed: 2 });
  m.add(nn.layers.dense({ inputShape: [6], units: 12, activation: 'relu', kernelRegularizer: nn.regularizers.l2({ l2: 1e-3 }) }));
  m.add(nn.layers.dropout({ rate: 0.2 }));
  m.add(nn.layers.dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer, loss, metrics });
  const xs = x(48, 6, 1);
  const ys = classes(48, 3);
  await m.fit(xs, ys, { epochs: 3, batchSize: 16, validationSplit: 0.25, shuffle: true,
    callbacks: [nn.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true })] });
  const ev = m.evaluate(xs, ys, { batchSize: 16 });
  for (const t of Array.isArray(ev) ? ev : [ev]) t.dataSync();
  m.predict(xs, { batchSize: 8 }).argMax(-1).dataSync();
  return m;
}

async function everyTableEntry() {
  const coreLayers = core(tables.layers);
  for (const activation of core(tables.activations)) {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4, activation }), nn.layers.dense({ units: 2 })], seed: 3 });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await m.fit(x(8, 3, 2), x(8, 2, 3), { epochs: 1, batchSize: 4 });
    m.predict(x(2, 3, 4)).dataSync();
  }
  for (const init of core(tables.initializers)) {
    // identity needs a square kernel (4 inputs, 4 units); it and orthogonal need a 2-D one, so
    // they initialize no bias.
    const biasInitializer = init === 'identity' || init === 'orthogonal' ? 'zeros' : init;
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [4], units: 4, kernelInitializer: init, biasInitializer })], seed: 4 });
    m.predict(x(1, 4, 5)).dataSync();
  }
  const twoClass = nn.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
  for (const loss of core(tables.losses)) {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 2, activation: loss.includes('rossentropy') || loss === 'kullbackLeiblerDivergence' ? 'softmax' : 'sigmoid' })], seed: 5 });
    const metrics = core(tables.metrics).filter((name) => loss !== 'sparseCategoricalCrossentropy' || name === 'accuracy');
    m.compile({ optimizer: 'adam', loss, metrics });
    const ys = loss === 'sparseCategoricalCrossentropy' ? nn.tensor2d([[0], [1], [0], [1]]) : twoClass;
    await m.fit(x(4, 3, 6), ys, { epochs: 2, batchSize: 2 });
    m.evaluate(x(4, 3, 6), ys);
  }
  for (const opt of core(tables.optimizers)) await classifier(opt, 'categoricalCrossentropy', ['accuracy']);
  const schedules = {
    exponentialDecay: () => nn.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
    cosineDecay: () => nn.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 4 }),
    stepDecay: () => nn.train.stepDecay({ initialLearningRate: 0.1, stepSize: 2 }),
  };
  for (const name of core(tables.schedules)) {
    if (!schedules[name]) throw new Error(`engine-profile-workloads: schedule ${name} of the engine's table has no workload`);
    await classifier(nn.train.sgd(schedules[name]()), 'categoricalCrossentropy', ['accuracy']);
  }
  // The core layer types a functional model joins: flatten, reshape, activation, add, concatenate.
  const input = nn.input({ shape: [2, 3] });
  const flat = nn.layers.flatten().apply(input);
  const a = nn.layers.dense({ units: 4, name: 'a' }).apply(flat);
  const b = nn.layers.activation({ activation: 'relu' }).apply(nn.layers.dense({ units: 4 }).apply(flat));
  const joined = nn.layers.concatenate().apply([nn.layers.add().apply([a, b]), a]);
  const out = nn.layers.dense({ units: 6 }).apply(joined);
  const fm = nn.model({ inputs: input, outputs: nn.layers.reshape({ targetShape: [2, 3] }).apply(out), seed: 6 });
  const seen = new Set(['input', 'dense', 'dropout', 'flatten', 'activation', 'add', 'concatenate', 'reshape']);
  for (const type of coreLayers) if (!seen.has(type)) throw new Error(`engine-profile-workloads: core layer type ${type} has no workload`);
  fm.compile({ optimizer: nn.train.rmsprop(0.01), loss: 'meanSquaredError', metrics: ['mae'] });
  fm.summary(undefined, undefined, () => undefined);
  await fm.fit(nn.randomNormal([8, 2, 3], 0, 1, 'float32', 13), nn.randomNormal([8, 2, 3], 0, 1, 'float32', 14), { epochs: 2, batchSize: 4 });
  await fm.trainOnBatch(nn.randomNormal([4, 2, 3], 0, 1, 'float32', 15), nn.randomNormal([4, 2, 3], 0, 1, 'float32', 16));
  nn.model({ inputs: fm.inputs, outputs: fm.getLayer('a').output }).predict(nn.randomNormal([2, 2, 3], 0, 1, 'float32', 17)).dataSync();
  return fm;
}

// Weights, saving and loading (nnplay's format and TF.js's), the layers' weights, fitDataset.
async function saveAndLoad(m) {
  m.setWeights(m.getWeights());
  for (const layer of m.layers) layer.setWeights(layer.getWeights());
  let artifacts;
  await m.save(nn.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const loaded = await nn.loadLayersModel(nn.io.fromMemory(artifacts));
  loaded.predict(x(2, 6, 7)).dataSync();
  nn.models.fromJSON(m.toJSON()).predict(x(2, 6, 7)).dataSync();
  const ds = nn.data.zip({ xs: nn.data.array(Array.from({ length: 16 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i + j)))),
    ys: nn.data.array(Array.from({ length: 16 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0])) }).batch(4);
  await m.fitDataset(ds, { epochs: 1 });
}

// The tensor guide and a hand-written loop: ops on the engine's kernels, gradients through a model.
async function opsAndGradients(m) {
  const a = nn.randomNormal([24, 16], 0, 1, 'float32', 8);
  nn.tidy(() => nn.matMul(a, a, false, true).sum().dataSync());
  nn.dot(a, nn.ones([16])).dataSync();
  const v = nn.variable(nn.randomNormal([6, 3], 0, 1, 'float32', 9));
  const opt = nn.train.adam(0.01);
  for (let i = 0; i < 2; i++) opt.minimize(() => nn.matMul(x(5, 6, 10), v).square().mean());
  const { value, grads } = nn.variableGrads(() => m.apply(x(4, 6, 11), { training: true }).square().mean());
  value.dataSync();
  for (const g of Object.values(grads)) g.dataSync();
  nn.grad((t) => m.predict(t).sum())(x(2, 6, 12)).dataSync();
}

// A page trains in the library's fit worker, whose engine calls differ from in-process fit(): the
// same protocol, served here on a MessageChannel in this thread (so on this same engine).
function channelFitWorker() {
  const { port1, port2 } = new MessageChannel();
  nn.serveFitWorker(port2);
  port2.start();
  port1.start();
  return {
    postMessage: (m, transfer) => port1.postMessage(m, transfer ?? []),
    addEventListener: (type, listener) => port1.addEventListener(type, listener),
    terminate: () => setTimeout(() => port1.close(), 10),
  };
}

for (const fitWorker of ['never', { create: channelFitWorker }]) {
  nn.setFitWorker(fitWorker);
  await xor();
  await mnistQuickstart();
}
const trained = await classifier('adam', 'categoricalCrossentropy', ['accuracy', 'categoricalAccuracy']);
await everyTableEntry();
await saveAndLoad(trained);
await opsAndGradients(trained);

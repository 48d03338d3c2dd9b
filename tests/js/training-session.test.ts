// TrainingSession, the one training object under fit(), the fit worker and the playground
// worker: data validated once at load (not per call, epoch or batch), structured error kinds,
// node payloads of any layer, weights as one view, and divergence that leaves finite weights
// in Node and through the worker protocol alike.
import * as nn from 'nnplay';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { blobs, disposeAll, weightsOf, channelFitWorker } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

afterEach(() => {
  nn.setFitWorker('auto');
});

const SPEC = JSON.stringify({
  inputShape: [2],
  seed: 4,
  layers: [
    { type: 'dense', units: 3, activation: 'tanh' },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ],
});
const COMPILE = JSON.stringify({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'binaryCrossentropy', metrics: ['accuracy'] });

function caught(fn: () => unknown): nn.SessionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(nn.SessionError);
    return err as nn.SessionError;
  }
  throw new Error('expected a SessionError');
}

test('validates a dataset once at load: NaN is rejected there, 100 trainSteps calls scan nothing', () => {
  const s = nn.trainingSession(SPEC, COMPILE);
  try {
    const { x, y } = blobs(40, 3);
    const bad = x.slice();
    bad[9] = NaN;
    const err = caught(() => s.loadDataset({ x: bad, y, n: 40, xSize: 2, ySize: 1 }));
    expect(err.kind).toBe('invalid');
    expect(err.field).toBe('x');
    expect(err.index).toBe(9);
    expect(err.message).toMatch(/NaN at sample 4, column 1/);
    expect(s.numDatasets).toBe(0);

    const id = s.loadDataset({ x, y, n: 40, xSize: 2, ySize: 1 });
    const scans = s.contentScans;
    for (let i = 0; i < 100; i++) s.trainSteps(id, 2, 8, true);
    expect(s.contentScans).toBe(scans);
    expect(s.stepsDone).toBe(200);
    expect(s.epochsDone).toBe(40);
    // The data is in wasm: changing the JS array afterwards changes nothing.
    x.fill(NaN);
    expect(Number.isFinite(s.evaluate(id, 40).loss)).toBe(true);
  } finally {
    s.dispose();
  }
  expect(nn.memory().liveWasmObjects).toBe(0);
});

test('fit() loads its data once per call and never re-scans it per epoch or batch', async () => {
  nn.setFitWorker('never');
  const { x, y } = blobs(50, 5);
  const xs = nn.tensor(x, [50, 2]);
  const ys = nn.tensor(y, [50, 1]);
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'tanh' }), nn.layers.dense({ units: 1, activation: 'sigmoid' })], seed: 2 });
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const session = model.trainingSession();
  const before = session.contentScans;
  await model.fit(xs, ys, { epochs: 30, batchSize: 5, validationSplit: 0.2, callbacks: { onBatchEnd: () => {} } });
  expect(session.contentScans - before).toBe(2); // the training and the validation part, once each
  expect(session.numDatasets).toBe(0); // freed at the end of fit()
  disposeAll(model, xs, ys);
});

test('predict returns node payloads {name, type, shape, values} of a hidden layer', () => {
  const s = nn.trainingSession(SPEC);
  try {
    const x = Float32Array.from([0.5, -1, 2, 0.25]);
    const id = s.loadDataset({ x, y: null, n: 2, xSize: 2, ySize: 0 });
    const [hidden, out] = s.predict(id, ['dense_1', 1]);
    expect(hidden.name).toBe('dense_1');
    expect(hidden.type).toBe('dense');
    expect(hidden.shape).toEqual([2, 3]);
    const { table, values } = s.weights();
    expect(table.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    const [k, b] = table;
    for (let r = 0; r < 2; r++) {
      for (let u = 0; u < 3; u++) {
        let z = values[b.offset + u];
        for (let c = 0; c < 2; c++) z += x[r * 2 + c] * values[k.offset + c * 3 + u];
        expect(hidden.values[r * 3 + u]).toBeCloseTo(Math.tanh(z), 6);
      }
    }
    expect(out.shape).toEqual([2, 1]);
    expect(caught(() => s.predict(id, ['dense_9'])).kind).toBe('invalid');
    // Training needs targets and a compile: clear, structured refusals.
    expect(caught(() => s.trainSteps(id, 1, 1, false)).message).toMatch(/not compiled/);
    s.compile(COMPILE);
    expect(caught(() => s.trainSteps(id, 1, 1, false)).message).toMatch(/inputs only/);
  } finally {
    s.dispose();
  }
});

test('weights are one flat view; setWeights rejects a non-finite value before changing anything', () => {
  const s = nn.trainingSession(SPEC);
  try {
    const w = s.weights();
    expect(w.values.length).toBe(2 * 3 + 3 + 3 + 1);
    const next = w.values.map((_, i) => i / 10);
    s.setWeights(next);
    expect(Array.from(s.weights().values)).toEqual(Array.from(next));
    const bad = next.slice();
    bad[11] = Infinity;
    const err = caught(() => s.setWeights(bad));
    expect(err.kind).toBe('invalid');
    expect(err.field).toBe('weights');
    expect(err.message).toMatch(/dense_2\/kernel holds Infinity at index 2/);
    expect(Array.from(s.weights().values)).toEqual(Array.from(next));
  } finally {
    s.dispose();
  }
});

// A regression that blows up within a few steps.
function diverging(): { model: nn.Sequential; xs: nn.Tensor; ys: nn.Tensor } {
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 1 });
  model.compile({ optimizer: nn.train.sgd(1e6), loss: 'meanSquaredError' });
  const xs = nn.tensor2d([[10, -20], [30, 40], [-50, 60], [70, 80]]);
  const ys = nn.tensor2d([[100], [-200], [300], [400]]);
  return { model, xs, ys };
}


for (const mode of ['in-process', 'worker'] as const) {
  test(`a diverging fit() (${mode}) rejects with kind 'diverged' and leaves the same finite weights`, async () => {
    nn.setFitWorker(mode === 'worker' ? { create: channelFitWorker } : 'never');
    const { model, xs, ys } = diverging();
    const start = weightsOf(model);
    let err: unknown = null;
    await model.fit(xs, ys, { epochs: 20, batchSize: 2 }).catch((e: unknown) => (err = e));
    expect(err).toBeInstanceOf(nn.SessionError);
    expect((err as nn.SessionError).kind).toBe('diverged');
    expect((err as Error).message).toMatch(/diverged.*smaller learning rate/s);
    const after = weightsOf(model);
    expect(after.every((w) => w.every(Number.isFinite))).toBe(true);
    // The epoch that diverged is undone: the weights of its start (here, of the fit's start).
    expect(after).toEqual(start);
    const p = model.predict(nn.tensor2d([[1, 2]]));
    expect(Number.isFinite(p.values()[0])).toBe(true);
    disposeAll(p, model, xs, ys);
    await new Promise((r) => setTimeout(r, 30)); // the worker side frees its replica
    expect(nn.memory().liveWasmObjects).toBe(0);
  });
}

test('error kinds cross the boundary as kinds, not messages', () => {
  const s = nn.trainingSession(SPEC, COMPILE);
  try {
    expect(caught(() => s.loadDataset({ x: new Float32Array(2), y: null, n: 1, xSize: 0, ySize: 0 })).kind).toBe('invalid');
    // 2^28 + 1 floats: over the stated per-tensor budget, refused before any allocation.
    expect(caught(() => s.loadDataset({ x: new Float32Array(0), y: null, n: 2 ** 27 + 1, xSize: 2, ySize: 0 })).kind).toBe('invalid');
  } finally {
    s.dispose();
  }
  const d = nn.trainingSession(
    JSON.stringify({ inputShape: [2], seed: 1, layers: [{ type: 'dense', units: 1, activation: 'linear' }] }),
    JSON.stringify({ optimizer: { name: 'sgd', learningRate: 1e6 }, loss: 'meanSquaredError', metrics: [] }),
  );
  try {
    const id = d.loadDataset({ x: Float32Array.from([10, -20, 30, 40]), y: Float32Array.from([100, -200]), n: 2, xSize: 2, ySize: 1 });
    const start = d.weights().values;
    let err: nn.SessionError | null = null;
    for (let i = 0; i < 50 && !err; i++) {
      try {
        d.trainSteps(id, 1, 2, false);
      } catch (e) {
        err = e as nn.SessionError;
      }
    }
    expect(err?.kind).toBe('diverged');
    expect(d.weights().values.every(Number.isFinite)).toBe(true);
    expect(start.every(Number.isFinite)).toBe(true);
  } finally {
    d.dispose();
  }
  expect(nn.memory().liveWasmObjects).toBe(0);
});

// Saving and loading models: model.toJSON() / nn.models.fromJSON(), model.save() /
// nn.loadLayersModel(), on the built wasm. Round trips must give bit-identical predictions;
// bad files must fail with a clear message and leave nothing behind.
//
// Node 20 has no localStorage, so the localstorage:// tests install a small in-memory
// Storage on globalThis (only when none exists) and remove it afterwards; the playground's
// browser tests (tests/e2e/persistence.test.ts) use the real one.
import * as nn from 'nnplay';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { blobs, disposeAll, weightsOf, XOR_X, XOR_Y, xorModel } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

afterAll(() => {
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

/** Fails the test if `fn` leaves a model, tensor or engine object behind. */
function expectNoLeak(fn: () => void): void {
  const before = nn.memory();
  fn();
  const after = nn.memory();
  expect(after.numModels).toBe(before.numModels);
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.liveWasmObjects).toBe(before.liveWasmObjects);
}

function predictValues(model: nn.LayersModel, xs: nn.Tensor): Float32Array {
  const p = model.predict(xs) as nn.Tensor;
  const v = p.dataSync();
  p.dispose();
  return v;
}

async function trainedXor(): Promise<{ model: nn.Sequential; xs: nn.Tensor; ys: nn.Tensor }> {
  const model = xorModel(7);
  const xs = nn.tensor2d(XOR_X);
  const ys = nn.tensor2d(XOR_Y);
  await model.fit(xs, ys, { epochs: 30, batchSize: 4 });
  return { model, xs, ys };
}

describe('toJSON / models.fromJSON', () => {
  test('the JSON is plain, versioned data with the spec, compile settings and base64 weights', async () => {
    const { model, xs, ys } = await trainedXor();
    const json = model.toJSON();
    expect(json.format).toBe('nnplay-layers-model');
    expect(json.version).toBe(2);
    expect(json.modelClass).toBe('Sequential');
    expect(json.seed).toBe(7);
    expect(json.graph.inputs).toEqual(['input']);
    expect(json.graph.outputs).toEqual(['dense_2']);
    expect(json.graph.layers[0]).toEqual({ name: 'input', type: 'input', config: { shape: [2] } });
    expect(json.graph.layers.slice(1).map((l) => [l.name, l.type, l.config.units, l.config.activation, l.config.useBias, l.inbound])).toEqual([
      ['dense_1', 'dense', 8, 'tanh', true, [['input']]],
      ['dense_2', 'dense', 1, 'sigmoid', true, [['dense_1']]],
    ]);
    expect(json.compile).toEqual({
      optimizer: { name: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    });
    expect(json.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dense_1/kernel', [2, 8]],
      ['dense_1/bias', [8]],
      ['dense_2/kernel', [8, 1]],
      ['dense_2/bias', [1]],
    ]);
    // The data is little-endian float32, decodable without nnplay.
    const kernel = Buffer.from(json.weights[0].data, 'base64');
    expect(kernel.length).toBe(2 * 8 * 4);
    const decoded = Array.from({ length: 16 }, (_, i) => kernel.readFloatLE(4 * i));
    expect(decoded).toEqual(Array.from(weightsOf(model)[0]));
    // JSON.stringify uses toJSON(): a model serialises directly.
    expect(JSON.parse(JSON.stringify(model))).toEqual(json);
    disposeAll(model, xs, ys);
  });

  test('round trip: same weights, bit-identical predictions, compiled, trains on', async () => {
    const { model, xs, ys } = await trainedXor();
    const text = JSON.stringify(model.toJSON());
    const copy = nn.models.fromJSON(JSON.parse(text));
    expect(copy.seed).toBe(model.seed);
    expect(copy.compiledWith).toEqual(model.compiledWith);
    const a = weightsOf(model);
    const b = weightsOf(copy);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(Array.from(b[i])).toEqual(Array.from(a[i]));
    const big = blobs(300, 3);
    const grid = nn.tensor(big.x, [300, 2]);
    expect(Array.from(predictValues(copy, grid))).toEqual(Array.from(predictValues(model, grid)));
    expect(Array.from(predictValues(copy, xs))).toEqual(Array.from(predictValues(model, xs)));
    // Compiled: evaluate gives the same loss, fit runs without another compile().
    const [lossA, accA] = model.evaluate(xs, ys) as nn.Tensor[];
    const [lossB, accB] = copy.evaluate(xs, ys) as nn.Tensor[];
    expect(lossB.dataSync()[0]).toBe(lossA.dataSync()[0]);
    const h = await copy.fit(xs, ys, { epochs: 3, batchSize: 4 });
    expect(h.history.loss).toHaveLength(3);
    // The JSON text form is accepted too.
    const fromText = nn.models.fromJSON(text);
    expect(Array.from(predictValues(fromText, xs))).toEqual(Array.from(predictValues(model, xs)));
    disposeAll(model, copy, fromText, xs, ys, grid, lossA, accA, lossB, accB);
  });

  test('an uncompiled model round-trips uncompiled; names, regularizers and options survive', () => {
    const model = nn.sequential({
      name: 'net',
      seed: 3,
      layers: [
        nn.layers.dense({ inputShape: [3], units: 4, activation: 'relu', name: 'hidden', kernelRegularizer: nn.regularizers.l2({ l2: 0.003 }) }),
        nn.layers.dense({ units: 2, activation: 'softmax', useBias: false, kernelInitializer: 'heNormal' }),
      ],
    });
    const json = model.toJSON();
    expect(json.compile).toBeNull();
    expect(json.name).toBe('net');
    // Weights are named after their layer (Keras): a named layer's too.
    expect(json.weights.map((w) => w.name)).toEqual(['hidden/kernel', 'hidden/bias', 'dense_2/kernel']);
    const copy = nn.models.fromJSON(json);
    expect(copy.compiledWith).toBeNull();
    expect(copy.name).toBe('net');
    expect(copy.layers[0].name).toBe('hidden');
    expect(copy.layers.map((l) => l.spec)).toEqual(model.layers.map((l) => l.spec));
    expect(copy.toJSON()).toEqual(json);
    disposeAll(model, copy);
  });

  test('every optimizer config round-trips', () => {
    for (const optimizer of [
      nn.train.sgd(0.1),
      nn.train.momentum(0.02, 0.8, true),
      nn.train.adam(0.003, 0.8, 0.99, 1e-6),
      nn.train.rmsprop(0.004, 0.95, 0.1, 1e-5),
      nn.train.adagrad(0.05, 0.2),
    ]) {
      const model = xorModel(1);
      model.compile({ optimizer, loss: 'meanSquaredError', metrics: ['mse'] });
      const copy = nn.models.fromJSON(JSON.parse(JSON.stringify(model)));
      expect(copy.compiledWith).toEqual(model.compiledWith);
      disposeAll(model, copy);
    }
  });
});

describe('bad files: a clear error, nothing created', () => {
  let good: nn.ModelJSON;
  beforeAll(() => {
    const model = xorModel(5);
    good = model.toJSON();
    model.dispose();
  });
  const variant = (edit: (j: Record<string, any>) => void): unknown => {
    const j = JSON.parse(JSON.stringify(good));
    edit(j);
    return j;
  };

  const cases: [string, () => unknown, RegExp][] = [
    ['not an object', () => 42, /expected a model object \(format 'nnplay-layers-model'\), got 42/],
    ['no format', () => variant((j) => delete j.format), /format must be 'nnplay-layers-model', got no format field/],
    ['a TF.js model.json', () => ({ modelTopology: {}, weightsManifest: [] }), /looks like a TensorFlow.js model.json/],
    ['a newer version', () => variant((j) => (j.version = 3)), /version 3 is not supported \(the file was written by a newer nnplay\); this nnplay reads versions 1 and 2/],
    ['an unknown field', () => variant((j) => (j.extra = 1)), /unknown field "extra"/],
    ['a bad seed', () => variant((j) => (j.seed = -1)), /seed must be an integer in \[0, 2\^53 - 1\], got -1/],
    ['a bad input shape', () => variant((j) => (j.graph.layers[0].config.shape = [3])), /weights\[0\] \(dense_1\/kernel\) must have shape \[3,8\]/],
    ['no layers', () => variant((j) => (j.graph.layers = [])), /graph\.layers must be a non-empty array/],
    ['an unknown activation', () => variant((j) => (j.graph.layers[1].config.activation = 'swoosh')), /layer "dense_1" \(dense\).*"swoosh"/],
    ['a bad layer type', () => variant((j) => (j.graph.layers[2].type = 'transformer')), /unknown layer type "transformer"; allowed: dense/],
    ['a cycle', () => variant((j) => (j.graph.layers[1].inbound = [['dense_2']])), /cycle/],
    ['a duplicate name', () => variant((j) => (j.graph.layers[2].name = 'dense_1')), /dense_1/],
    ['an unknown optimizer', () => variant((j) => (j.compile.optimizer.name = 'lamb')), /compile\.optimizer\.name must be one of 'sgd'/],
    ['a bad learning rate', () => variant((j) => (j.compile.optimizer.learningRate = 0)), /compile\.optimizer: learningRate must be a finite number > 0, got 0/],
    ['an unknown loss', () => variant((j) => (j.compile.loss = 'sparseCategoricalHinge')), /does not make a valid model: compile\(\): unknown loss "sparseCategoricalHinge"/],
    ['a missing weight', () => variant((j) => j.weights.pop()), /weights: 3 of 4 tensors given, missing dense_2\/bias/],
    ['an extra weight', () => variant((j) => j.weights.push(j.weights[3])), /weights: 5 tensors given, but the layers have 4/],
    ['weights out of order', () => variant((j) => ([j.weights[0], j.weights[1]] = [j.weights[1], j.weights[0]])), /weights\[0\] is named "dense_1\/bias", expected 'dense_1\/kernel'/],
    ['a wrong shape', () => variant((j) => (j.weights[2].shape = [1, 8])), /weights\[2\] \(dense_2\/kernel\) must have shape \[8,1\] to fit the layers, got \[1,8\]/],
    ['corrupt base64', () => variant((j) => (j.weights[0].data = j.weights[0].data.replace(/^..../, '!@#$'))), /weights\[0\] \(dense_1\/kernel\): data is not valid base64/],
    ['too few values', () => variant((j) => (j.weights[0].data = Buffer.from(new Float32Array([1]).buffer).toString('base64'))), /weights\[0\] \(dense_1\/kernel\) holds 1 float32 values, shape \[2,8\] needs 16/],
    ['NaN weights', () => variant((j) => (j.weights[3].data = Buffer.from(new Float32Array([NaN]).buffer).toString('base64'))), /weights\[3\] \(dense_2\/bias\) contains NaN at index 0/],
    ['a loss that does not fit the output', () => variant((j) => (j.compile.loss = 'categoricalCrossentropy')), /does not make a valid model: compile\(\)/],
  ];
  for (const [name, make, message] of cases) {
    test(name, () => {
      const json = make();
      expectNoLeak(() => expect(() => nn.models.fromJSON(json)).toThrow(message));
    });
  }

  test('errors start with nnplay: and name the call', async () => {
    expect(() => nn.models.fromJSON('{oops')).toThrow(/^nnplay: models\.fromJSON\(\): the text is not valid JSON/);
    await expect(nn.loadLayersModel('{"format": 1}')).rejects.toThrow(/^nnplay: loadLayersModel\(\): format must be/);
    await expect(nn.loadLayersModel('ftp://x/model.json')).rejects.toThrow(/unsupported scheme 'ftp:\/\/'/);
    await expect(nn.loadLayersModel('downloads://m')).rejects.toThrow(/pass the File/);
    await expect(nn.loadLayersModel(7)).rejects.toThrow(/expected a URL \('localstorage:\/\/name'.*a model object/);
  });
});

describe('save / loadLayersModel', () => {
  const g = globalThis as { localStorage?: Storage };
  let stubbed = false;
  beforeAll(() => {
    if (g.localStorage) return;
    const items = new Map<string, string>();
    stubbed = true;
    g.localStorage = {
      get length() {
        return items.size;
      },
      key: (i: number) => [...items.keys()][i] ?? null,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, String(v)),
      removeItem: (k: string) => void items.delete(k),
      clear: () => items.clear(),
    };
  });
  afterAll(() => {
    if (stubbed) delete g.localStorage;
  });
  afterEach(() => g.localStorage?.clear());

  test("localstorage:// round trip gives bit-identical predictions", async () => {
    const { model, xs, ys } = await trainedXor();
    const result = await model.save('localstorage://xor');
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(4 * (16 + 8 + 8 + 1));
    expect(nn.io.listModels()).toEqual(['localstorage://xor']);
    const loaded = await nn.loadLayersModel('localstorage://xor');
    expect(Array.from(predictValues(loaded, xs))).toEqual(Array.from(predictValues(model, xs)));
    expect(loaded.compiledWith).toEqual(model.compiledWith);
    nn.io.removeModel('localstorage://xor');
    expect(nn.io.listModels()).toEqual([]);
    await expect(nn.loadLayersModel('localstorage://xor')).rejects.toThrow(/no model saved as 'localstorage:\/\/xor'; saved: none/);
    disposeAll(model, loaded, xs, ys);
  });

  test("localstorage:// uses TF.js's keys; a corrupt stored model fails cleanly", async () => {
    const model = xorModel(2);
    await model.save('localstorage://m');
    const ls = g.localStorage!;
    const keys = ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'].map((k) => `tensorflowjs_models/m/${k}`);
    for (const k of keys) expect(ls.getItem(k)).not.toBeNull();
    expect(JSON.parse(ls.getItem(keys[1])!).class_name).toBe('Sequential');
    // A truncated weight_data: 4 bytes short.
    const data = Buffer.from(ls.getItem(keys[3])!, 'base64');
    ls.setItem(keys[3], data.subarray(0, data.length - 4).toString('base64'));
    const before = nn.memory();
    await expect(nn.loadLayersModel('localstorage://m')).rejects.toThrow(/the weight data holds 128 bytes but the manifest needs 132: weight "dense_2\/bias"/);
    expect(nn.memory()).toEqual(before);
    model.dispose();
  });

  test("nnplay's older localstorage:// entries (its own JSON) still load", async () => {
    const { model, xs, ys } = await trainedXor();
    g.localStorage!.setItem('nnplay_models/old', JSON.stringify(model.toJSON()));
    expect(nn.io.listModels()).toEqual(['localstorage://old']);
    const loaded = await nn.loadLayersModel('localstorage://old');
    expect(Array.from(predictValues(loaded, xs))).toEqual(Array.from(predictValues(model, xs)));
    nn.io.removeModel('localstorage://old');
    expect(nn.io.listModels()).toEqual([]);
    disposeAll(model, loaded, xs, ys);
  });

  test('loads from JSON text, a Blob, and a playground export', async () => {
    const { model, xs, ys } = await trainedXor();
    const json = model.toJSON();
    const expected = Array.from(predictValues(model, xs));
    const fromText = await nn.loadLayersModel(JSON.stringify(json));
    const fromBlob = await nn.loadLayersModel(new Blob([JSON.stringify(json)], { type: 'application/json' }));
    const fromPlayground = await nn.loadLayersModel({ format: 'nnplay-playground', version: 1, model: json });
    for (const m of [fromText, fromBlob, fromPlayground]) expect(Array.from(predictValues(m, xs))).toEqual(expected);
    disposeAll(model, fromText, fromBlob, fromPlayground, xs, ys);
  });

  test('save checks its URL; downloads:// needs a browser', async () => {
    const model = xorModel(2);
    await expect(model.save('indexeddb://m')).rejects.toThrow(/indexeddb:\/\/ needs IndexedDB \(a browser page or worker\); in Node use 'file:\/\/path'/);
    await expect(model.save('ftp://m')).rejects.toThrow(/unsupported scheme 'ftp:\/\/'; allowed: 'localstorage:\/\/name', 'indexeddb:\/\/name', 'downloads:\/\/name', 'file:\/\/path'/);
    await expect(model.save('m')).rejects.toThrow(/expected a URL like 'localstorage:\/\/my-model'/);
    await expect(model.save('localstorage://')).rejects.toThrow(/needs a name/);
    await expect(model.save('downloads://m')).rejects.toThrow(/downloads:\/\/ needs a browser page/);
    model.dispose();
    expect(() => model.toJSON()).toThrow(/disposed/);
  });
});

// The functional API (nn.input, layer.apply, nn.model) on the built wasm: graphs with several
// inputs and outputs, sub-models that share weights, format 2 files, the engine's tables as the
// source of the library's name lists, and the errors a user meets while wiring a graph.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, weightsOf, xorshift } from './helpers';

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

function random(shape: number[], seed: number): nn.Tensor {
  const next = xorshift(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return nn.tensor(Float32Array.from({ length: size }, () => next() * 2 - 1), shape);
}

/** Two inputs, a shared trunk per input, two heads: a [3] regression and a [2] softmax. */
function twoByTwo(seed = 5): nn.LayersModel {
  const a = nn.input({ shape: [4], name: 'a' });
  const b = nn.input({ shape: [3], name: 'b' });
  const ha = nn.layers.dense({ units: 6, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = nn.layers.dense({ units: 6, activation: 'relu', name: 'hb' }).apply(b);
  const reg = nn.layers.dense({ units: 3, name: 'reg' }).apply(ha);
  const cls = nn.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(hb);
  return nn.model({ inputs: [a, b], outputs: [reg, cls], seed, name: 'two_by_two' });
}

describe('a two-input, two-output model', () => {
  test('symbolic shapes, layers, inputs and outputs', () => {
    const model = twoByTwo();
    expect(model.inputs.map((t) => t.shape)).toEqual([[null, 4], [null, 3]]);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 3], [null, 2]]);
    expect(model.outputNames).toEqual(['reg', 'cls']);
    expect(model.layers.map((l) => `${l.name}:${l.getClassName()}`)).toEqual(['a:InputLayer', 'b:InputLayer', 'ha:Dense', 'hb:Dense', 'reg:Dense', 'cls:Dense']);
    expect(model.getLayer('reg').output.shape).toEqual([null, 3]);
    expect(model.getLayer({ index: 2 }).name).toBe('ha');
    expect(() => model.getLayer('nope')).toThrow(/getLayer\(\): no layer is named "nope"; the layers are a, b, ha, hb, reg, cls/);
    model.dispose();
  });

  test('predict returns one tensor per output, of the right shapes and values', () => {
    const model = twoByTwo();
    const xa = random([5, 4], 1);
    const xb = random([5, 3], 2);
    const out = model.predict([xa, xb]) as nn.Tensor[];
    expect(Array.isArray(out)).toBe(true);
    expect(out.map((t) => t.shape)).toEqual([[5, 3], [5, 2]]);
    // By hand from the weights (Keras order: ha, hb, reg, cls; kernel then bias).
    const [haK, haB, hbK, hbB, regK, regB, clsK, clsB] = model.getWeights();
    const dense = (x: number[][], k: nn.Tensor, bias: nn.Tensor, f: (v: number) => number) => {
      const kv = k.arraySync() as number[][];
      const bv = bias.arraySync() as number[];
      return x.map((row) => bv.map((b0, j) => f(row.reduce((s, xi, i) => s + xi * kv[i][j], b0))));
    };
    const reg = dense(dense(xa.arraySync() as number[][], haK, haB, Math.tanh), regK, regB, (v) => v);
    const hb = dense(xb.arraySync() as number[][], hbK, hbB, (v) => Math.max(0, v));
    const logits = dense(hb, clsK, clsB, (v) => v);
    const cls = logits.map((r) => {
      const e = r.map((v) => Math.exp(v - Math.max(...r)));
      return e.map((v) => v / e.reduce((s, x) => s + x, 0));
    });
    const got = out.map((t) => t.arraySync() as number[][]);
    got[0].forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(reg[i][j], 5)));
    got[1].forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(cls[i][j], 5)));
    // One input tensor where two are needed is an error that lists the inputs.
    expect(() => model.predict(xa)).toThrow(
      /predict\(\): xs: the model has 2 inputs \(a \[4\], b \[3\]\); give a list of 2 tensors \(model.inputs order\) or an object \{a: \.\.\., b: \.\.\.\} by input name, got one tensor/,
    );
    // The map form by input name gives the same outputs.
    const byName = model.predict({ b: xb, a: xa }) as nn.Tensor[];
    expect(Array.from(byName[1].dataSync())).toEqual(Array.from(out[1].dataSync()));
    expect(() => model.predict({ a: xa, c: xb })).toThrow(/xs names input "c", which the model does not have; its inputs: a, b/);
    expect(() => model.predict({ a: xa })).toThrow(/xs gives no tensor for input "b"; give one per input \(a, b\)/);
    disposeAll(...byName);
    expect(() => model.predict([xa, xa])).toThrow(/xs\[1\] \(input "b"\) must have shape \[samples, 3\], got \[5,4\]/);
    disposeAll(xa, xb, ...out, haK, haB, hbK, hbB, regK, regB, clsK, clsB, model);
  });

  test('summary lists both inputs and both outputs with the engine counts', () => {
    const model = twoByTwo();
    const text = model.summary();
    expect(text).toMatch(/a \(InputLayer\)\s+\[\[null,4\]\]\s+\[null,4\]\s+0 /);
    expect(text).toMatch(/b \(InputLayer\)\s+\[\[null,3\]\]\s+\[null,3\]\s+0 /);
    expect(text).toMatch(/reg \(Dense\)\s+\[\[null,\d+\]\]\s+\[null,3\]\s+21\s+\w+\[0\]\[0\]/);
    expect(text).toMatch(/cls \(Dense\)\s+\[\[null,6\]\]\s+\[null,2\]\s+14\s+hb\[0\]\[0\]/);
    expect(text).toContain(`Total params: ${(4 * 6 + 6) + (3 * 6 + 6) + 21 + 14}`);
    model.dispose();
  });

  test('toJSON → fromJSON keeps the graph and predictions bit for bit', () => {
    const model = twoByTwo(8);
    const json = model.toJSON();
    expect(json.version).toBe(2);
    expect(json.modelClass).toBe('LayersModel');
    expect(json.graph.inputs).toEqual(['a', 'b']);
    expect(json.graph.outputs).toEqual(['reg', 'cls']);
    const copy = nn.models.fromJSON(JSON.stringify(json));
    expect(copy).toBeInstanceOf(nn.LayersModel);
    expect(copy).not.toBeInstanceOf(nn.Sequential);
    expect(copy.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(weightsOf(copy)).toEqual(weightsOf(model));
    const xs = [random([7, 4], 3), random([7, 3], 4)];
    const p1 = model.predict(xs) as nn.Tensor[];
    const p2 = copy.predict(xs) as nn.Tensor[];
    for (let j = 0; j < 2; j++) expect(Array.from(p2[j].dataSync())).toEqual(Array.from(p1[j].dataSync()));
    expect(copy.toJSON()).toEqual(json);
    disposeAll(...xs, ...p1, ...p2, model, copy);
  });

  test('setWeights checks names and shapes; compile checks the loss forms', () => {
    const model = twoByTwo();
    const ws = model.getWeights();
    expect(() => model.setWeights(ws.slice(1))).toThrow(/expected an array of 8 tensors \(ha\/kernel \[4,6\]/);
    model.setWeights(ws);
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(/loss is a list of 1, but the model has 2 outputs \(reg, cls\)/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { reg: 'mse', nope: 'mse' } })).toThrow(/loss names output "nope", which the model does not have; outputs: reg, cls/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { reg: 'mse' } })).toThrow(/loss gives no loss for output "cls"/);
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse', 'sparseCategoricalHinge'] })).toThrow(/unknown loss "sparseCategoricalHinge" for output 1 \(cls\); allowed: 'meanSquaredError'/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1] })).toThrow(/lossWeights has 1 entries, the model has 2 outputs/);
    disposeAll(...ws, model);
  });
});

describe('single-output functional models train like a Sequential', () => {
  test('same graph as a chain: same weights, same training, bit for bit', async () => {
    const x = nn.input({ shape: [2] });
    const h = nn.layers.dense({ units: 8, activation: 'tanh', name: 'dense_1' }).apply(x);
    const y = nn.layers.dense({ units: 1, activation: 'sigmoid', name: 'dense_2' }).apply(h);
    const functional = nn.model({ inputs: x, outputs: y, seed: 42 });
    const chain = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }), nn.layers.dense({ units: 1, activation: 'sigmoid' })], seed: 42 });
    for (const m of [functional, chain]) m.compile({ optimizer: nn.train.adam(0.05), loss: { name: 'binaryCrossentropy' }, metrics: ['acc'] });
    const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = nn.tensor2d([[0], [1], [1], [0]]);
    const h1 = await functional.fit(xs, ys, { epochs: 20, batchSize: 2 });
    const h2 = await chain.fit(xs, ys, { epochs: 20, batchSize: 2 });
    expect(h1.history).toEqual(h2.history);
    expect(weightsOf(functional)).toEqual(weightsOf(chain));
    disposeAll(xs, ys, functional, chain);
  });
});

describe('sub-models share weights', () => {
  test('an encoder cut out of an autoencoder follows its training', async () => {
    const input = nn.input({ shape: [4], name: 'x' });
    const encoded = nn.layers.dense({ units: 2, activation: 'tanh', name: 'enc' }).apply(input);
    const decoded = nn.layers.dense({ units: 4, name: 'dec' }).apply(encoded);
    const ae = nn.model({ inputs: input, outputs: decoded, seed: 3 });
    const encoder = nn.model({ inputs: ae.inputs, outputs: encoded });
    expect(encoder.layers.map((l) => l.name)).toEqual(['x', 'enc']);
    const xs = random([16, 4], 7);
    const before = encoder.predict(xs) as nn.Tensor;
    ae.compile({ optimizer: nn.train.adam(0.05), loss: 'mse' });
    await ae.fit(xs, xs, { epochs: 10, batchSize: 4 });
    const after = encoder.predict(xs) as nn.Tensor;
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(before.dataSync()));
    // The encoder's output is the AE's first half with the AE's trained weights.
    const aeWeights = ae.getWeights();
    const [k, b] = aeWeights;
    const kv = k.arraySync() as number[][];
    const bv = b.arraySync() as number[];
    const rows = xs.arraySync() as number[][];
    const got = after.arraySync() as number[][];
    rows.forEach((r, i) => bv.forEach((b0, j) => expect(got[i][j]).toBeCloseTo(Math.tanh(r.reduce((s, v, q) => s + v * kv[q][j], b0)), 6)));
    expect(weightsOf(encoder)).toEqual(weightsOf(ae).slice(0, 2));
    // Writing the encoder's weights changes the autoencoder too.
    const zero = [nn.tensor(new Float32Array(8), [4, 2]), nn.tensor(new Float32Array(2), [2])];
    encoder.setWeights(zero);
    expect(Array.from(weightsOf(ae)[0])).toEqual(new Array(8).fill(0));
    // Either model may go first.
    ae.dispose();
    const still = encoder.predict(xs) as nn.Tensor;
    expect(Array.from(still.dataSync())).toEqual(new Array(32).fill(0));
    disposeAll(xs, before, after, still, ...aeWeights, ...zero, encoder);
  });
});

describe('wiring errors', () => {
  test('a layer applied to the wrong shape says which layer and why (the engine)', () => {
    const img = nn.input({ shape: [8, 8, 1] });
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: 9, name: 'big' }).apply(img)).toThrow(
      /Conv2D\.apply\(\): layer "big" \(conv2d\): kernelSize \[9, 9\] is larger than its input \[8, 8, 1\]/,
    );
    const flat = nn.input({ shape: [5] });
    expect(() => nn.layers.maxPooling2d({ name: 'pool' }).apply(flat)).toThrow(/layer "pool" \(maxPooling2d\) needs an image input/);
    expect(() => nn.layers.dense({ units: 2, name: 'two' }).apply([flat, flat])).toThrow(/layer "two" \(dense\) takes 1 input per call, got 2/);
  });

  test('apply on a non-symbolic value, and on a concrete Tensor', () => {
    const t = nn.tensor2d([[1, 2]]);
    expect(() => nn.layers.dense({ units: 1 }).apply(t as unknown as nn.SymbolicTensor)).toThrow(
      /Dense\.apply\(\): applying a layer to a concrete Tensor \(eager mode\) is not supported yet/,
    );
    expect(() => nn.layers.dense({ units: 1 }).apply([1, 2] as unknown as nn.SymbolicTensor)).toThrow(
      /Dense\.apply\(\): inputs\[0\] must be a SymbolicTensor \(from nn\.input\(\{shape\}\) or another layer's apply\(\)\), got 1/,
    );
    expect(() => nn.model({ inputs: t as unknown as nn.SymbolicTensor, outputs: [] })).toThrow(/model\(\): inputs must be a SymbolicTensor/);
    t.dispose();
  });

  test('duplicate names, inputs that are not inputs, outputs from an unlisted input', () => {
    const x = nn.input({ shape: [2] });
    const a = nn.layers.dense({ units: 2, name: 'same' }).apply(x);
    expect(() => nn.layers.dense({ units: 2, name: 'same' }).apply(a)).toThrow(/Dense\.apply\(\): two different layers are named "same"; layer names must be unique/);
    const b = nn.layers.dense({ units: 2, name: 'other_same' }).apply(a);
    // Two graphs each fine alone, joined: the model sees both names.
    const c = nn.layers.dense({ units: 2, name: 'other_same' }).apply(x);
    expect(() => nn.model({ inputs: x, outputs: [b, c] })).toThrow(/model\(\): two different layers are named "other_same"/);
    expect(() => nn.model({ inputs: a, outputs: b })).toThrow(/inputs\[0\] comes from layer "same" \(dense\); inputs must be nn\.input\(\) tensors/);
    const other = nn.input({ shape: [2], name: 'other' });
    expect(() => nn.model({ inputs: other, outputs: a })).toThrow(/the outputs depend on input "input_\d+", which is not in inputs \("other"\)/);
    expect(() => nn.input({ shape: [2], name: 'a/b' })).toThrow(/name must be a string of 1\.\.100 characters without "\/"/);
    expect(() => nn.input({} as { shape: number[] })).toThrow(/input\(\): shape is required/);
  });

  test('a shared layer (two calls) trains one set of weights and names its calls', () => {
    const x1 = nn.input({ shape: [3] });
    const x2 = nn.input({ shape: [3] });
    const shared = nn.layers.dense({ units: 2, name: 'shared' });
    const y1 = shared.apply(x1);
    const y2 = shared.apply(x2);
    expect(y2.name).toBe('shared_1');
    expect(() => shared.output).toThrow(/it is applied 2 times \(shared\)/);
    const model = nn.model({ inputs: [x1, x2], outputs: [y1, y2] });
    expect(model.getWeights().map((w) => { const s = w.shape; w.dispose(); return s; })).toEqual([[3, 2], [2]]);
    const a = random([2, 3], 5);
    const [p1, p2] = model.predict([a, a]) as nn.Tensor[];
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    expect(model.toJSON().graph.layers.find((l) => l.name === 'shared')!.inbound).toEqual([[expect.any(String)], [expect.any(String)]]);
    disposeAll(a, p1, p2, model);
  });
});

describe('format 1 files still load', () => {
  test('a file written by format-1 code (tests/js/fixtures/model-v1-dense.json)', () => {
    const text = readFileSync(new URL('./fixtures/model-v1-dense.json', import.meta.url), 'utf8');
    const file = JSON.parse(text) as nn.ModelJSONv1;
    expect(file.version).toBe(1);
    const model = nn.models.fromJSON(text);
    expect(model).toBeInstanceOf(nn.Sequential);
    expect(model.layers.map((l) => l.name)).toEqual(['dense_1', 'out']);
    expect(model.compiledWith?.loss).toBe('binaryCrossentropy');
    const stored = file.weights.map((w) => Array.from(new Float32Array(Uint8Array.from(atob(w.data), (c) => c.charCodeAt(0)).buffer)));
    expect(weightsOf(model).map((w) => Array.from(w))).toEqual(stored);
    // It predicts with those weights: tanh(x·K1 + b1)·K2 + b2, then sigmoid.
    const x = nn.tensor2d([[0.5, -1]]);
    const prediction = model.predict(x) as nn.Tensor;
    const p = prediction.dataSync()[0];
    const [k1, b1, k2, b2] = stored;
    const h = [0, 1, 2].map((j) => Math.tanh(0.5 * k1[j] - 1 * k1[3 + j] + b1[j]));
    const z = h.reduce((s, v, j) => s + v * k2[j], b2[0]);
    expect(p).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
    // Saved again, it is a format 2 file.
    expect(model.toJSON().version).toBe(2);
    disposeAll(x, prediction, model);
  });
});

describe('the TS name lists are the engine tables', () => {
  test('activations, initializers, losses, metrics, optimizers, layer types', () => {
    const t = nn.engineTables();
    expect([...nn.activations]).toEqual(t.activations.map((r) => r.name));
    expect([...nn.kernelInitializers]).toEqual(t.initializers.map((r) => r.name));
    expect([...nn.lossNames]).toEqual(t.losses.map((r) => r.name));
    expect([...nn.metricNames]).toEqual(t.metrics.map((r) => r.name));
    expect([...nn.optimizerNames].sort()).toEqual(t.optimizers.map((r) => r.name).sort());
    expect([...nn.layerTypes]).toEqual(t.layers.map((r) => r.name));
    // Every row has a factory (nn.layers.<type>, the input row as nn.layers.inputLayer).
    for (const name of nn.layerTypes) expect(typeof (nn.layers as Record<string, unknown>)[name === 'input' ? 'inputLayer' : name]).toBe('function');
  });
});

describe('layer factories', () => {
  test('the Keras quickstart: flatten({inputShape: [28, 28]})', () => {
    const model = nn.sequential({
      layers: [nn.layers.flatten({ inputShape: [28, 28] }), nn.layers.dense({ units: 16, activation: 'relu' }), nn.layers.dense({ units: 10, activation: 'softmax' })],
      seed: 1,
    });
    expect(model.outputShape).toEqual([10]);
    expect(model.layers[1].getConfig()).toMatchObject({ name: 'dense_2', units: 16, activation: 'relu', useBias: true });
    const x = random([3, 28, 28], 2);
    const p = model.predict(x);
    expect(p.shape).toEqual([3, 10]);
    disposeAll(x, p, model);
  });

  test('activation and inputLayer (engine rows present)', () => {
    const model = nn.sequential({ layers: [nn.layers.inputLayer({ inputShape: [3] }), nn.layers.activation({ activation: 'sigmoid' })], seed: 1 });
    const x = nn.tensor2d([[0, 1, -1]]);
    const p = model.predict(x);
    expect(Array.from(p.dataSync())).toEqual(Array.from(Float32Array.from([0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1))])));
    expect(() => nn.layers.activation({ activation: 'swoosh' as 'relu' })).toThrow(/layers\.activation\(\): unknown activation "swoosh"/);
    disposeAll(x, p, model);
  });

  test.each([
    [() => nn.layers.dropout({} as { rate: number }), /layers\.dropout\(\): rate is required/],
    [() => nn.layers.dropout({ rate: 1 }), /rate must be a number in \[0, 1\), got 1/],
    [() => nn.layers.dropout({ rate: 0.5, noiseShape: [0] }), /noiseShape must be a non-empty array of integers/],
    [() => nn.layers.batchNormalization({ axis: 1 }), /axis must be -1 \(the last axis\), got 1/],
    [() => nn.layers.batchNormalization({ momentum: 2 }), /momentum must be a number in \[0, 1\], got 2/],
    [() => nn.layers.batchNormalization({ epsilon: 0 }), /epsilon must be a number > 0, got 0/],
    [() => nn.layers.batchNormalization({ center: 'yes' as unknown as boolean }), /center must be true or false, got the string "yes"/],
    [() => nn.layers.reshape({} as { targetShape: number[] }), /targetShape is required/],
    [() => nn.layers.concatenate({ axis: 0 }), /axis must be a non-zero integer \(-1 is the last axis; 0 is the batch\), got 0/],
    [() => nn.layers.averagePooling2d({ poolSize: 0 }), /poolSize must be an integer in \[1, 2\^28\]/],
    [() => nn.layers.add({ units: 2 } as { name?: string }), /layers\.add\(\): unknown option "units"; allowed: inputShape, name/],
  ])('%#: bad options: %s', (make, message) => {
    expect(make).toThrow(message);
  });

  test("TF.js's snake_case initializer names are the engine rows' aliases", () => {
    const l = nn.layers.dense({ units: 2, kernelInitializer: 'he_normal' as nn.KernelInitializer, biasInitializer: 'Zeros' as nn.BiasInitializer });
    expect(l.config).toMatchObject({ kernelInitializer: 'heNormal', biasInitializer: 'zeros' });
    expect(() => nn.layers.dense({ units: 2, kernelInitializer: 'he_normall' as nn.KernelInitializer })).toThrow(/unknown kernelInitializer "he_normall"; allowed: 'glorotUniform'/);
  });

  test('new layers build engine specs with the table keys', () => {
    const l = nn.layers.batchNormalization({ momentum: 0.9, name: 'bn' });
    expect(l.spec).toEqual({ type: 'batchNormalization', momentum: 0.9 });
    expect(nn.layers.dropout({ rate: 0.25, seed: 3 }).config).toEqual({ rate: 0.25, seed: 3 });
    expect(nn.layers.averagePooling2d({ poolSize: 3 }).config).toEqual({ poolSize: [3, 3] });
  });

  // These need the engine rows of the new layers; without them they skip (with this reason).
  test('concatenate/add branch: shapes, predictions and TF.js 4.22 parity', () => {
    const x = nn.input({ shape: [3], name: 'x' });
    const a = nn.layers.dense({ units: 4, activation: 'tanh', name: 'a' }).apply(x);
    const b = nn.layers.dense({ units: 4, activation: 'relu', name: 'b' }).apply(x);
    const sum = nn.layers.add({ name: 'sum' }).apply([a, b]);
    const cat = nn.layers.concatenate({ name: 'cat' }).apply([sum, x]);
    expect(cat.shape).toEqual([null, 7]);
    const y = nn.layers.dense({ units: 2, name: 'y' }).apply(cat);
    const model = nn.model({ inputs: x, outputs: y, seed: 4 });
    const tx = tf.input({ shape: [3] });
    const ta = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(tx) as tf.SymbolicTensor;
    const tb = tf.layers.dense({ units: 4, activation: 'relu' }).apply(tx) as tf.SymbolicTensor;
    const tsum = tf.layers.add().apply([ta, tb]) as tf.SymbolicTensor;
    const tcat = tf.layers.concatenate().apply([tsum, tx]) as tf.SymbolicTensor;
    const ty = tf.layers.dense({ units: 2 }).apply(tcat) as tf.SymbolicTensor;
    const tmodel = tf.model({ inputs: tx, outputs: ty });
    const ws = model.getWeights();
    tmodel.setWeights(ws.map((w) => tf.tensor(w.dataSync(), w.shape as number[])));
    const xs = random([6, 3], 9);
    const prediction = model.predict(xs) as nn.Tensor;
    const mine = prediction.dataSync();
    const theirs = (tmodel.predict(tf.tensor(xs.dataSync(), [6, 3])) as tf.Tensor).dataSync();
    Array.from(mine).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 5));
    disposeAll(xs, prediction, ...ws, model);
    tmodel.dispose();
  });

  test('multiply, average, maximum and minimum: predictions and 3 epochs of training as TF.js 4.22', async () => {
    // Three branches, each merge over all three, joined and read out; with equal weights and
    // shuffle off, both libraries must reach the same weights (the merges' gradients, ties
    // included, are TF.js's).
    const build = (L: typeof nn | typeof tf) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const l = L.layers as any;
      const x = L.input({ shape: [3] });
      const branches = ['tanh', 'sigmoid', 'linear'].map((activation) => l.dense({ units: 4, activation }).apply(x));
      const merged = ['multiply', 'average', 'maximum', 'minimum'].map((m) => l[m]().apply(branches));
      const y = l.dense({ units: 2 }).apply(l.concatenate().apply(merged));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (L as any).model({ inputs: x, outputs: y, ...(L === nn ? { seed: 8 } : {}) });
    };
    const model = build(nn) as nn.LayersModel;
    const tmodel = build(tf) as tf.LayersModel;
    expect(model.layers.map((layer) => layer.getClassName())).toEqual(tmodel.layers.map((layer) => layer.getClassName()));
    const ws = model.getWeights();
    tmodel.setWeights(ws.map((w) => tf.tensor(w.dataSync(), w.shape as number[])));
    const xs = random([8, 3], 11);
    const ys = random([8, 2], 12);
    const prediction = model.predict(xs) as nn.Tensor;
    const theirs = (tmodel.predict(tf.tensor(xs.dataSync(), [8, 3])) as tf.Tensor).dataSync();
    Array.from(prediction.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 5));
    model.compile({ optimizer: nn.train.sgd(0.2), loss: 'meanSquaredError' });
    tmodel.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    const h = await model.fit(xs, ys, { epochs: 3, batchSize: 4, shuffle: false });
    const th = await tmodel.fit(tf.tensor(xs.dataSync(), [8, 3]), tf.tensor(ys.dataSync(), [8, 2]), { epochs: 3, batchSize: 4, shuffle: false });
    h.history.loss.forEach((v, i) => expect(v).toBeCloseTo(th.history.loss[i] as number, 5));
    const after = model.getWeights();
    const tafter = tmodel.getWeights();
    after.forEach((w, i) => Array.from(w.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(tafter[i].dataSync()[j], 5)));
    const p = nn.input({ shape: [3] });
    const q = nn.input({ shape: [4] });
    expect(() => nn.layers.multiply({ name: 'm' }).apply([p, q])).toThrow(/Multiply\.apply\(\): layer "m" \(multiply\): all inputs must have the same shape \(no broadcasting\), got \[3\], \[4\]/);
    expect(() => nn.layers.maximum({ name: 'one' }).apply([p])).toThrow(/layer "one" \(maximum\) takes 2 or more inputs per call, got 1/);
    disposeAll(xs, ys, prediction, ...ws, ...after, model);
    tmodel.dispose();
  });

  test('gaussianNoise and gaussianDropout: the identity at inference as in TF.js 4.22, seeded noise in training', async () => {
    const layers = (L: typeof nn | typeof tf) => [
      L.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }),
      L.layers.gaussianNoise({ stddev: 0.3 }),
      L.layers.gaussianDropout({ rate: 0.2 }),
      L.layers.dense({ units: 2 }),
    ];
    const model = nn.sequential({ layers: layers(nn) as nn.Layer[], seed: 6 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const tmodel = tf.sequential({ layers: layers(tf) as any });
    const ws = model.getWeights();
    tmodel.setWeights(ws.map((w) => tf.tensor(w.dataSync(), w.shape as number[])));
    const xs = random([6, 3], 21);
    const ys = random([6, 2], 22);
    const prediction = model.predict(xs) as nn.Tensor;
    const theirs = (tmodel.predict(tf.tensor(xs.dataSync(), [6, 3])) as tf.Tensor).dataSync();
    Array.from(prediction.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 5));
    // Training: the same seed gives the same noise, so the same weights bit for bit; the noise is on
    // (the training loss is not the loss of the same weights at inference).
    const train = async () => {
      const m = nn.sequential({ layers: layers(nn) as nn.Layer[], seed: 6 });
      m.compile({ optimizer: nn.train.sgd(0.1), loss: 'mse' });
      const h = await m.fit(xs, ys, { epochs: 1, batchSize: 6, shuffle: false });
      const w = m.getWeights();
      const values = w.map((t) => Array.from(t.dataSync()));
      disposeAll(...w, m);
      return { loss: h.history.loss[0], values };
    };
    const a = await train();
    const b = await train();
    expect(b.values).toEqual(a.values);
    model.compile({ optimizer: nn.train.sgd(0.1), loss: 'mse' });
    const clean = model.evaluate(xs, ys) as nn.Tensor;
    expect(a.loss).not.toBeCloseTo(clean.dataSync()[0], 6);
    expect(() => nn.layers.gaussianDropout({ rate: 1 })).toThrow(/layers\.gaussianDropout\(\): rate must be a number in \[0, 1\), got 1/);
    expect(() => nn.layers.gaussianNoise({} as never)).toThrow(/stddev is required/);
    disposeAll(xs, ys, prediction, clean, ...ws, model);
    tmodel.dispose();
  });

  test('dropout and batchNormalization in inference match TF.js 4.22', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4 }), nn.layers.batchNormalization({}), nn.layers.dropout({ rate: 0.5 })], seed: 2 });
    // Non-trivial statistics (moving_variance > 0), so inference really uses them.
    const init = model.getWeights();
    const ws = init.map((w, i) => (i === 5 ? nn.tensor(Float32Array.from(w.dataSync(), (_, j) => 0.5 + j * 0.3), w.shape) : i >= 2 ? random(w.shape, 20 + i) : w));
    model.setWeights(ws);
    expect(ws.map((w) => w.shape)).toEqual([[3, 4], [4], [4], [4], [4], [4]]);
    const tmodel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.batchNormalization({}), tf.layers.dropout({ rate: 0.5 })] });
    tmodel.setWeights(ws.map((w) => tf.tensor(w.dataSync(), w.shape as number[])));
    const xs = random([5, 3], 3);
    const prediction = model.predict(xs);
    const mine = prediction.dataSync();
    const theirs = (tmodel.predict(tf.tensor(xs.dataSync(), [5, 3])) as tf.Tensor).dataSync();
    Array.from(mine).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 5));
    disposeAll(xs, prediction, ...init, ...ws.slice(2), model);
    tmodel.dispose();
  });

  test('batchNormalization in training (one SGD epoch) matches TF.js 4.22, moving statistics included', async () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4 }), nn.layers.batchNormalization({ momentum: 0.9 }), nn.layers.dense({ units: 1 })], seed: 6 });
    model.compile({ optimizer: nn.train.sgd(0.1), loss: 'meanSquaredError' });
    const tmodel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.batchNormalization({ momentum: 0.9 }), tf.layers.dense({ units: 1 })] });
    tmodel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const ws = model.getWeights();
    tmodel.setWeights(ws.map((w) => tf.tensor(w.dataSync(), w.shape as number[])));
    const xs = random([8, 3], 11);
    const ys = random([8, 1], 12);
    const h = await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
    const th = await tmodel.fit(tf.tensor(xs.dataSync(), [8, 3]), tf.tensor(ys.dataSync(), [8, 1]), { epochs: 2, batchSize: 4, shuffle: false });
    h.history.loss.forEach((v, i) => expect(v).toBeCloseTo(th.history.loss[i] as number, 5));
    const after = model.getWeights();
    const tafter = tmodel.getWeights();
    after.forEach((w, i) => Array.from(w.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(tafter[i].dataSync()[j], 5)));
    disposeAll(xs, ys, ...ws, ...after, model);
    tmodel.dispose();
  });

  // TF.js draws its masks from another generator, so no bit-for-bit comparison is possible; what
  // must agree is the distribution. Through a sum (dense of ones, no bias) over 16 inputs
  // of 1, each sample's output is K / (1 - rate) with K ~ Binomial(16, 1 - rate) kept inputs, so
  // the MSE loss against 0 of one full batch (before its update) estimates
  // E[K^2] / (1 - rate)^2 = 16 rate / (1 - rate) + 256: it checks the kept fraction, the scaling
  // and that mask entries are independent (correlated masks change the variance of K).
  test.each([0.3, 0.5])('dropout(%s) in training: the loss distribution matches TF.js 4.22 and the Binomial law', async (rate) => {
    const n = 4000;
    const d = 16;
    const expected = (d * rate) / (1 - rate) + d * d;
    // Standard error of the mean of y^2 over n samples, from the Binomial's moments.
    const p = 1 - rate;
    const moments = [1, 2, 3, 4].map((k) => {
      let m = 0;
      let c = 1; // binomial coefficient C(d, j)
      for (let j = 0; j <= d; j++) {
        if (j > 0) c = (c * (d - j + 1)) / j;
        m += c * p ** j * (1 - p) ** (d - j) * j ** k;
      }
      return m;
    });
    const sd = Math.sqrt(moments[3] - moments[1] ** 2) / p ** 2;
    const tolerance = 5 * (sd / Math.sqrt(n));

    const ones = new Float32Array(n * d).fill(1);
    const model = nn.sequential({
      seed: 9,
      layers: [nn.layers.dropout({ inputShape: [d], rate }), nn.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })],
    });
    model.compile({ optimizer: nn.train.sgd(0.1), loss: 'meanSquaredError' });
    const xs = nn.tensor2d(ones, [n, d]);
    const ys = nn.tensor2d(new Float32Array(n), [n, 1]);

    const tmodel = tf.sequential({
      layers: [tf.layers.dropout({ inputShape: [d], rate, seed: 9 }), tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })],
    });
    tmodel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    // Inference (before training moves the weights): no dropout, the plain sum, in both.
    const one = nn.tensor2d(ones.subarray(0, d), [1, d]);
    const out = model.predict(one) as nn.Tensor;
    const tout = tmodel.predict(tf.ones([1, d])) as tf.Tensor;
    expect(out.dataSync()[0]).toBe(d);
    expect(tout.dataSync()[0]).toBe(d);
    const txs = tf.ones([n, d]);
    const tys = tf.zeros([n, 1]);
    const mine = (await model.fit(xs, ys, { epochs: 1, batchSize: n, shuffle: false })).history.loss[0];
    const theirs = (await tmodel.fit(txs, tys, { epochs: 1, batchSize: n, shuffle: false })).history.loss[0] as number;

    expect(Math.abs(mine - expected)).toBeLessThan(tolerance);
    expect(Math.abs(theirs - expected)).toBeLessThan(tolerance);
    expect(Math.abs(mine - theirs)).toBeLessThan(tolerance * Math.SQRT2);
    disposeAll(model, xs, ys, one, out);
    tf.dispose([txs, tys, tout]);
    tmodel.dispose();
  });
});

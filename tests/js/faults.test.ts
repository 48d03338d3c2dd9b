// Regression tests for the faults of issue 6 §4 that the library owns (found by fuzzing the
// package): messages that recursed on user values, misleading type messages, unbounded counts,
// NaN returned silently by predict/evaluate, and NaN weights left by a diverging fit().
import * as nn from 'nnplay';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { XOR_X, XOR_Y, disposeAll, weightsOf, xorModel, channelFitWorker, channelWorkers } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

afterEach(() => {
  nn.setFitWorker('auto');
  expect(nn.memory().numTensors).toBe(0);
  expect(nn.memory().numModels).toBe(0);
});

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** The nnplay Error fn throws (fails the test on any other outcome, e.g. a RangeError). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('Error'); // not RangeError: Maximum call stack size exceeded
    expect((err as Error).message).toMatch(/^nnplay: /);
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('messages quote user values bounded in depth and length', () => {
  const deep = nested(100_000);
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);

  const cases: [string, () => unknown, RegExp][] = [
    ['a deep inputShape', () => nn.layers.dense({ units: 2, inputShape: deep as number[] }), /inputShape\[0\] must be .*got \[\[\[\[…\]\]\]\] \(inputShape \[\[\[\[…\]\]\]\]\)$/],
    ['a deep conv inputShape', () => nn.layers.conv2d({ filters: 1, kernelSize: 1, inputShape: deep as number[] }), /inputShape must be \[height, width, channels\].*got \[\[\[\[…\]\]\]\]$/],
    ['deep units', () => nn.layers.dense({ units: deep as number }), /units must be an integer in \[1, 2\^28\], got \[\[\[\[…\]\]\]\]$/],
    ['a cyclic kernelSize', () => nn.layers.conv2d({ filters: 1, kernelSize: cyclic as unknown as number }), /kernelSize must be .*got \[\[\[\[…\]\]\]\]$/],
    ['deep tensor values', () => nn.tensor(deep as number[]), /tensor\(\): values are nested more than 32 arrays deep/],
    ['cyclic tensor values', () => nn.tensor(cyclic as number[]), /values are nested more than 32 arrays deep/],
    ['a deep tensor shape', () => nn.tensor([1], deep as number[]), /shape\[0\] is \[\[\[\[…\]\]\]\]; each dimension must be a non-negative integer/],
    ['a deep optimizer rate', () => nn.train.adam(deep as number), /learningRate must be a finite number > 0, got \[\[\[\[…\]\]\]\]$/],
    ['deep regularizer options', () => nn.regularizers.l2(deep as { l2: number }), /expected an object like \{l2\}, got \[\[\[\[…\]\]\]\]$/],
    ['a long string', () => nn.layers.dense({ units: 'x'.repeat(100_000) as unknown as number }), /got the string "x{10,60}…$/],
    ['a deep sequential seed', () => nn.sequential({ seed: deep as number }), /seed must be an integer in \[0, 2\^53 - 1\], got \[\[\[\[…\]\]\]\]$/],
  ];
  for (const [name, fn, message] of cases) {
    test(name, () => {
      const err = errorOf(fn);
      expect(err.message).toMatch(message);
      expect(err.message.length).toBeLessThan(300);
    });
  }

  test('a model file nested 100,000 deep in any field', () => {
    const model = xorModel(1);
    const good = model.toJSON();
    model.dispose();
    const variants: [string, object, RegExp][] = [
      ['graph', { ...good, graph: deep }, /graph must be \{layers, inputs, outputs\}, got \[\[\[\[…\]\]\]\]$/],
      ['graph.layers', { ...good, graph: { ...good.graph, layers: deep } }, /graph\.layers\[0\] must be \{name, type, config, inbound\}, got \[\[\[\[…\]\]\]\]$/],
      ['name', { ...good, name: deep }, /name must be a string, got \[\[\[\[…\]\]\]\]$/],
      ['version', { ...good, version: deep }, /version \[\[\[\[…\]\]\]\] is not supported/],
      ['metrics', { ...good, compile: { ...good.compile!, metrics: deep } }, /compile\.metrics must be .*got \[\[\[\[…\]\]\]\]$/],
      ['a weight shape', { ...good, weights: [{ ...good.weights[0], shape: deep }, ...good.weights.slice(1)] }, /weights\[0\] \(dense_1\/kernel\) must have shape \[2,8\] to fit the layers, got \[\[\[\[…\]\]\]\]$/],
    ];
    for (const [, json, message] of variants) {
      expect(errorOf(() => nn.models.fromJSON(json)).message).toMatch(message);
    }
    expect(nn.memory().liveWasmObjects).toBe(0);
  });

  test('a deeply nested JSON text is an Error', async () => {
    const text = `{"format": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expect(nn.loadLayersModel(text)).rejects.toThrow(/^nnplay: loadLayersModel\(\): format must be 'nnplay-layers-model', got \[\[\[\[…\]\]\]\]$/);
    await expect(nn.loadLayersModel(new Blob([text]))).rejects.toThrow(/got \[\[\[\[…\]\]\]\]$/);
    // (The engine's own JSON parser has the same guard: tests/engine/json_depth_test.cpp.)
  });
});

function withScalar(fn: (t: nn.Tensor) => unknown): unknown {
  const t = nn.scalar(8);
  try {
    return fn(t);
  } finally {
    t.dispose();
  }
}

describe('wrongly typed options say the type that was given', () => {
  const model = () => xorModel(3);
  const cases: [string, () => unknown, RegExp][] = [
    ["units: '8'", () => nn.layers.dense({ units: '8' as unknown as number }), /units must be an integer in \[1, 2\^28\], got the string "8"$/],
    ['units: {}', () => nn.layers.dense({ units: {} as unknown as number }), /units must be an integer in \[1, 2\^28\], got an object \{\}$/],
    ['units: {a: 1}', () => nn.layers.dense({ units: { a: 1 } as unknown as number }), /got an object \{a:1\}$/],
    ['units: null', () => nn.layers.dense({ units: null as unknown as number }), /got null$/],
    ['units: a function', () => nn.layers.dense({ units: (() => 8) as unknown as number }), /got a function$/],
    ['units: a tensor', () => withScalar((t) => nn.layers.dense({ units: t as unknown as number })), /got a Tensor$/],
    ['add(a model)', () => withScalar(() => {
      const outer = nn.sequential();
      const inner = nn.sequential();
      try {
        outer.add(inner as unknown as nn.Layer);
      } finally {
        disposeAll(outer, inner);
      }
    }), /add\(\): expected a layer made by .*got a Sequential$/],
    ["useBias: 'true'", () => nn.layers.dense({ units: 1, useBias: 'true' as unknown as boolean }), /useBias must be true or false, got the string "true"$/],
    ["activation: {}", () => nn.layers.dense({ units: 1, activation: {} as unknown as 'relu' }), /unknown activation \{\}; allowed/],
    ['an options array', () => nn.layers.conv2d([] as never), /expected an options object like .*got \[\]$/],
    ["momentum: '0.9'", () => nn.train.momentum(0.1, '0.9' as unknown as number), /momentum must be a number in \[0, 1\), got the string "0.9"$/],
    ["l2: '0.1'", () => nn.regularizers.l2({ l2: '0.1' as unknown as number }), /l2 must be a finite number >= 0, got the string "0.1"$/],
  ];
  for (const [name, fn, message] of cases) test(name, () => expect(errorOf(fn).message).toMatch(message));

  test('fit and evaluate options', async () => {
    const m = model();
    const xs = nn.tensor2d(XOR_X);
    const ys = nn.tensor2d(XOR_Y);
    await expect(m.fit(xs, ys, { batchSize: '4' as unknown as number })).rejects.toThrow(/batchSize must be an integer in \[1, 2\^28\], got the string "4"$/);
    await expect(m.fit(xs, ys, { shuffle: 0 as unknown as boolean })).rejects.toThrow(/shuffle must be true or false, got 0$/);
    await expect(m.fit(xs, ys, { validationSplit: '0.5' as unknown as number })).rejects.toThrow(/validationSplit must be .*got the string "0.5"$/);
    await expect(m.fit(xs, ys, { verbose: true as unknown as 0 })).rejects.toThrow(/verbose must be 0 or 1, got true$/);
    await expect(m.fit(xs, ys, { callbacks: { onEpochEnd: 1 as unknown as () => void } })).rejects.toThrow(/callback onEpochEnd must be a function, got 1$/);
    expect(() => m.evaluate(xs, { toString: () => 'ys' } as unknown as nn.Tensor)).toThrow(/ys must be a Tensor .*got an object \{toString:function\}$/);
    expect(() => m.predict(new Float32Array(2) as unknown as nn.Tensor)).toThrow(/xs must be a Tensor .*got a Float32Array\(2\) \[0,0\]$/);
    disposeAll(m, xs, ys);
  });
});

describe('every count is bounded to what can finish, and the bound is said', () => {
  test('fit: epochs, initialEpoch, batchSize', async () => {
    const m = xorModel(4);
    const xs = nn.tensor2d(XOR_X);
    const ys = nn.tensor2d(XOR_Y);
    const before = weightsOf(m);
    await expect(m.fit(xs, ys, { epochs: 1e300 })).rejects.toThrow(/^nnplay: fit\(\): epochs must be an integer in \[1, 1000000\], got 1e\+300$/);
    await expect(m.fit(xs, ys, { epochs: 1_000_001 })).rejects.toThrow(/epochs must be an integer in \[1, 1000000\]/);
    await expect(m.fit(xs, ys, { epochs: Infinity })).rejects.toThrow(/epochs must be an integer in \[1, 1000000\], got Infinity$/);
    await expect(m.fit(xs, ys, { epochs: 3, initialEpoch: 3 })).rejects.toThrow(/initialEpoch \(below epochs 3\) must be an integer in \[0, 2\], got 3$/);
    await expect(m.fit(xs, ys, { epochs: 3, initialEpoch: -1 })).rejects.toThrow(/initialEpoch .*got -1$/);
    await expect(m.fit(xs, ys, { batchSize: 2 ** 31 })).rejects.toThrow(/batchSize must be an integer in \[1, 2\^28\], got 2147483648$/);
    expect(() => m.evaluate(xs, ys, { batchSize: 1e300 })).toThrow(/evaluate\(\): batchSize must be an integer in \[1, 2\^28\], got 1e\+300$/);
    // Nothing trained, nothing changed.
    expect(weightsOf(m)).toEqual(before);
    // The bounds themselves are allowed.
    await m.fit(xs, ys, { epochs: 2, initialEpoch: 1, batchSize: 2 ** 28 });
    disposeAll(m, xs, ys);
  });

  test('seeds and layer sizes', () => {
    expect(() => nn.sequential({ seed: 2 ** 60 })).toThrow(/seed must be an integer in \[0, 2\^53 - 1\], got 1152921504606847000$/);
    expect(() => nn.layers.dense({ units: 1e300 })).toThrow(/units must be an integer in \[1, 2\^28\], got 1e\+300$/);
    expect(() => nn.layers.conv2d({ filters: 1, kernelSize: [3, 2 ** 29] })).toThrow(/kernelSize must be an integer in \[1, 2\^28\] or \[height, width\] of such integers, got \[3,536870912\]$/);
    expect(() => nn.layers.flatten({ inputShape: [2 ** 40] })).toThrow(/inputShape\[0\] must be an integer in \[1, 2\^28\], got 1099511627776/);
    const m = xorModel(5);
    const json = m.toJSON();
    m.dispose();
    expect(() => nn.models.fromJSON({ ...json, seed: 1e300 })).toThrow(/seed must be an integer in \[0, 2\^53 - 1\], got 1e\+300$/);
  });
});

describe('predict and evaluate report non-finite results instead of returning NaN', () => {
  function bigModel(activation: 'linear' | 'relu' = 'linear'): nn.Sequential {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 2, activation }), nn.layers.dense({ units: 1 })], seed: 1 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const ws = model.getWeights();
    const big = ws.map((w) => nn.tensor(new Float32Array(w.size).fill(3e38), w.shape));
    model.setWeights(big);
    disposeAll(ws, big);
    return model;
  }

  test('predict: finite inputs and weights near 3e38 overflow', () => {
    const model = bigModel();
    const xs = nn.tensor2d([[0, 0], [3e38, 3e38]]);
    const err = errorOf(() => model.predict(xs));
    expect(err.message).toMatch(
      /^nnplay: predict\(\): the output of sample 0 \(unit 0\) is Infinity although xs is finite: a value overflowed float32 .*largest \|xs\| 3\.00e\+38, largest \|weight\| 3\.00e\+38\); scale the inputs down/,
    );
    // A finite prediction is still returned, and the model keeps working.
    const small = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })], seed: 2 });
    const one = nn.tensor2d([[1, 2]]);
    const ok = small.predict(one);
    expect(Number.isFinite(ok.dataSync()[0])).toBe(true);
    disposeAll(ok, one, small, xs, model);
  });

  test('evaluate: an overflowing output names the sample', () => {
    const model = bigModel();
    const xs = nn.tensor2d([[0, 0], [1, 1]]);
    const ys = nn.tensor2d([[0], [0]]);
    expect(() => model.evaluate(xs, ys)).toThrow(/^nnplay: evaluate\(\): the output of sample 0 \(unit 0\) is Infinity although xs is finite/);
    disposeAll(xs, ys, model);
  });

  test('evaluate: categorical cross-entropy of an all-zero output', () => {
    const model = nn.sequential({
      layers: [nn.layers.dense({ inputShape: [2], units: 3, kernelInitializer: 'zeros' })],
      seed: 1,
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = nn.tensor2d([[1, 2]]);
    const ys = nn.tensor2d([[0, 1, 0]]);
    expect(() => model.evaluate(xs, ys)).toThrow(
      /^nnplay: evaluate\(\): the loss is not finite: the outputs of sample 0 sum to 0, and categoricalCrossentropy divides each output by the sum of its row; end the model with activation 'softmax'/,
    );
    expect(nn.memory().liveWasmObjects).toBe(1); // only the model; the dataset was freed
    disposeAll(xs, ys, model);
  });
});

// ------------------------------------------------------------------ divergence


// sgd(0.02) on this data grows the weights by orders of magnitude per epoch: epochs 1-4 end
// finite, epoch 5 diverges.
async function divergingRun(mode: 'worker' | 'in-process') {
  nn.setFitWorker(mode === 'worker' ? { create: channelFitWorker } : 'never');
  const model = nn.sequential({
    layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })],
    seed: 1,
  });
  model.compile({ optimizer: nn.train.sgd(0.02), loss: 'meanSquaredError' });
  const xs = nn.tensor2d([[1, -2], [3, 4], [-5, 6], [7, 8]]);
  const ys = nn.tensor2d([[1], [-2], [3], [4]]);
  const atEpochEnd: Float32Array[][] = [];
  const fit = model.fit(xs, ys, { epochs: 50, batchSize: 1, shuffle: false, callbacks: { onEpochEnd: () => void atEpochEnd.push(weightsOf(model)) } });
  await expect(fit).rejects.toThrow(/^nnplay: fit\(\): training diverged: .* at epoch 5, step \d+; try a smaller learning rate/);
  const afterDivergence = weightsOf(model);
  const probe = nn.tensor2d([[0.5, -0.5]]);
  const out = model.predict(probe);
  const prediction = out.dataSync()[0];
  out.dispose();
  const json = model.toJSON();
  // A later fit starts from the restored weights in both paths (the worker's replica held NaN).
  model.compile({ optimizer: nn.train.sgd(1e-9), loss: 'meanSquaredError' });
  const h = await model.fit(xs, ys, { epochs: 1, batchSize: 4 });
  const afterRefit = weightsOf(model);
  disposeAll(xs, ys, probe, model);
  return { atEpochEnd, afterDivergence, prediction, json, refitLoss: h.history.loss[0], afterRefit };
}

test('a diverging fit leaves the last good weights, identically in-process and in the fit worker', async () => {
  const local = await divergingRun('in-process');
  const started = channelWorkers.started;
  const remote = await divergingRun('worker');
  expect(channelWorkers.started).toBe(started + 1);
  // The weights after the last completed epoch (epoch 4), finite, not the NaN of epoch 5.
  expect(local.atEpochEnd).toHaveLength(4);
  expect(local.afterDivergence).toEqual(local.atEpochEnd[3]);
  for (const w of local.afterDivergence) expect(w.every(Number.isFinite)).toBe(true);
  expect(Number.isFinite(local.prediction)).toBe(true);
  // Node and the browser's worker path end identically.
  expect(remote.atEpochEnd).toEqual(local.atEpochEnd);
  expect(remote.afterDivergence).toEqual(local.afterDivergence);
  expect(remote.prediction).toBe(local.prediction);
  expect(remote.json).toEqual(local.json);
  expect(Number.isFinite(local.refitLoss)).toBe(true);
  expect(remote.refitLoss).toBe(local.refitLoss);
  expect(remote.afterRefit).toEqual(local.afterRefit);
  // The saved file loads again, with the same weights.
  const loaded = nn.models.fromJSON(local.json);
  expect(weightsOf(loaded)).toEqual(local.afterDivergence);
  loaded.dispose();
  await new Promise((r) => setTimeout(r, 30));
  expect(nn.memory().liveWasmObjects).toBe(0);
});

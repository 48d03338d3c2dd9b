// Convolutional models through the library: nn.layers.conv2d / maxPooling2d / flatten, image
// tensors [n, height, width, channels] (NHWC), shapes as the engine builds them, the errors a
// bad stack or bad data gets, training on a small synthetic image task, determinism, the fit
// worker path and save/load. TF.js-identical math is checked in tfjs-parity.test.ts.
import * as nn from 'nnplay';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, weightsOf, xorshift, channelFitWorker } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

afterEach(() => {
  nn.setFitWorker('auto');
});

afterAll(() => {
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

/** Workload 5 of issue 3, on a smaller image so the tests stay fast. */
function w5Model(seed = 11, size = 28): nn.Sequential {
  return nn.sequential({
    layers: [
      nn.layers.conv2d({ inputShape: [size, size, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
    seed,
  });
}

/**
 * Bars: 8×8 one-channel images with one bright horizontal (class 0) or vertical (class 1) bar
 * of length 5 at a random place, on weak noise. A dense net on raw pixels needs many samples
 * for it; a 3×3 conv + max-pool sees "a horizontal edge somewhere" directly.
 */
function bars(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rand = xorshift(seed);
  const S = 8;
  const x = new Float32Array(n * S * S);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const img = x.subarray(i * S * S, (i + 1) * S * S);
    for (let p = 0; p < img.length; p++) img[p] = rand() * 0.2;
    const a = Math.floor(rand() * S);
    const b = Math.floor(rand() * (S - 4));
    for (let k = 0; k < 5; k++) {
      const [r, c] = label === 0 ? [a, b + k] : [b + k, a];
      img[r * S + c] = 1;
    }
    y[i] = label;
  }
  return { x, y };
}

function barsModel(seed: number): nn.Sequential {
  const model = nn.sequential({
    layers: [
      nn.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.conv2d({ filters: 8, kernelSize: [2, 2], strides: 2, activation: 'relu' }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 2, activation: 'softmax' }),
    ],
    seed,
  });
  model.compile({ optimizer: nn.train.adam(0.02), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('shapes', () => {
  test('workload 5: per-layer output shapes, weight shapes and names, summary', () => {
    const model = w5Model();
    expect(model.inputShape).toEqual([28, 28, 1]);
    expect(model.outputShape).toEqual([10]);
    expect(model.inputSize).toBe(784);
    expect(model.outputSize).toBe(10);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);

    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[3, 3, 1, 8], [8], [1352, 10], [10]]);
    disposeAll(ws);
    const json = model.toJSON();
    expect(json.weights.map((w) => w.name)).toEqual(['conv2d_1/kernel', 'conv2d_1/bias', 'dense_4/kernel', 'dense_4/bias']);
    expect(json.graph.layers[0]).toEqual({ name: 'input', type: 'input', config: { shape: [28, 28, 1] } });

    // Output shapes in the summary come from the engine (layerShapeJson), counts from its weights.
    const text = model.summary();
    expect(text).toMatch(/conv2d_1 \(Conv2D\)\s+\[\[null,28,28,1\]\]\s+\[null,26,26,8\]\s+80 /);
    // Cut at the column, as TF.js cuts it.
    expect(text).toMatch(/maxPooling2d_2 \(MaxPooling2\s+\[\[null,26,26,8\]\]\s+\[null,13,13,8\]\s+0 /);
    expect(text).toMatch(/flatten_3 \(Flatten\)\s+\[\[null,13,13,8\]\]\s+\[null,1352\]\s+0 /);
    expect(text).toMatch(/dense_4 \(Dense\)\s+\[\[null,1352\]\]\s+\[null,10\]\s+13530 /);
    expect(text).toContain('Total params: 13610');
    model.dispose();
  });

  test.each([
    // [input, layer, expected output]: TF's rules (valid: floor((H−k)/s)+1; same: ceil(H/s)).
    [[7, 7, 2], (inputShape: number[]) => nn.layers.conv2d({ inputShape, filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [4, 4, 3]],
    [[7, 7, 2], (inputShape: number[]) => nn.layers.conv2d({ inputShape, filters: 3, kernelSize: 3, strides: 2 }), [3, 3, 3]],
    [[6, 9, 1], (inputShape: number[]) => nn.layers.conv2d({ inputShape, filters: 2, kernelSize: [2, 4], strides: [1, 2] }), [5, 3, 2]],
    [[5, 5, 3], (inputShape: number[]) => nn.layers.maxPooling2d({ inputShape, poolSize: 2, padding: 'same' }), [3, 3, 3]],
    [[5, 5, 3], (inputShape: number[]) => nn.layers.maxPooling2d({ inputShape, poolSize: 3, strides: 1 }), [3, 3, 3]],
    [[5, 5, 3], (inputShape: number[]) => nn.layers.maxPooling2d({ inputShape, poolSize: [2, 3], strides: null }), [2, 1, 3]],
    [[5, 4, 3], (inputShape: number[]) => nn.layers.flatten({ inputShape }), [60]],
  ] as [number[], (s: number[]) => nn.Layer, number[]][])('%j → case %#', (input, make, expected) => {
    const model = nn.sequential({ layers: [make(input)], seed: 1 });
    expect(model.outputShape).toEqual(expected);
    expect(model.summary()).toContain(`[null,${expected.join(',')}]`); // the engine's shape
    const x = nn.tensor(new Float32Array(2 * input.reduce((a, b) => a * b, 1)).fill(0.5), [2, ...input]);
    const p = model.predict(x);
    expect(p.shape).toEqual([2, ...expected]);
    disposeAll(x, p, model);
  });

  test('a model that ends on an image layer predicts [n, h, w, c]', () => {
    const model = nn.sequential({ layers: [nn.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2 })], seed: 3 });
    const x = nn.tensor4d(new Float32Array(3 * 16).fill(1), [3, 4, 4, 1]);
    const p = model.predict(x);
    expect(p.shape).toEqual([3, 3, 3, 2]);
    // All-ones input: every position sees the same window, so each channel is constant.
    const v = p.dataSync();
    for (let i = 0; i < v.length; i++) expect(v[i]).toBe(v[i % 2]);
    disposeAll(x, p, model);
  });

  test('tensor4d / tensor3d and nested image arrays', () => {
    const t = nn.tensor4d([[[[1], [2]], [[3], [4]]]]);
    expect(t.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    const u = nn.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    expect(u.arraySync()).toEqual([[[[1, 2, 3], [4, 5, 6]]]]);
    const v = nn.tensor3d([1, 2, 3, 4], [2, 2, 1]);
    expect(v.shape).toEqual([2, 2, 1]);
    const w = nn.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    expect(w.rank).toBe(4);
    disposeAll(t, u, v, w);
    expect(() => nn.tensor4d([[1, 2]])).toThrow(/tensor4d\(\): values must be nested 4 deep .*got rank 2/);
    expect(() => nn.tensor4d([1, 2, 3], [1, 3] as unknown as [number, number, number, number])).toThrow(
      /tensor4d\(\): shape must be \[n, height, width, channels\], got \[1,3\]/,
    );
    expect(() => nn.tensor4d([1, 2, 3], [1, 2, 2, 1])).toThrow(/shape \[1,2,2,1\] needs 4 values but 3 were given/);
    expect(nn.memory().numTensors).toBe(0);
  });
});

describe('errors', () => {
  test.each([
    [() => nn.layers.conv2d({ filters: 0, kernelSize: 3 }), /layers\.conv2d\(\): filters must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.conv2d({ filters: 2 } as nn.Conv2DLayerArgs), /layers\.conv2d\(\): kernelSize is required/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: [3] as unknown as number }), /kernelSize must be an integer in \[1, 2\^28\] or \[height, width\].*got \[3\]/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, strides: 0 }), /strides must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /unknown padding "full"; allowed: 'valid', 'same'/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'swoosh' as 'relu' }), /layers\.conv2d\(\): unknown activation "swoosh"/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 } as nn.Conv2DLayerArgs), /unknown option "dilationRate"; allowed: filters, kernelSize/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as 'channelsLast' }), /dataFormat must be 'channelsLast'/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [28, 28] }), /inputShape must be \[height, width, channels\] \(NHWC\)/],
    [() => nn.layers.conv2d({ filters: 2, kernelSize: 3, kernelRegularizer: 'l3' as 'l1' }), /unknown kernelRegularizer "l3"/],
    [() => nn.layers.maxPooling2d({ poolSize: 0 }), /layers\.maxPooling2d\(\): poolSize must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.maxPooling2d({ pool: 2 } as nn.MaxPooling2DLayerArgs), /unknown option "pool"; allowed: poolSize/],
    [() => nn.layers.flatten({ inputShape: [2, 0] }), /layers\.flatten\(\): inputShape\[1\] must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.dense({ units: 4, inputShape: [28, 28, 1], inputDim: 3 }), /inputShape \[28,28,1\] and inputDim 3 disagree/],
  ])('%#: %s', (make, message) => {
    expect(make).toThrow(message);
  });

  test('a stack that does not fit fails in add() and says why', () => {
    const conv = () => nn.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 });
    // Shape rules are the engine's (inspect): its messages name the layer and say why.
    expect(() =>
      nn.sequential({ layers: [nn.layers.dense({ inputShape: [4], units: 2 }), nn.layers.conv2d({ filters: 2, kernelSize: 1 })] }),
    ).toThrow(/add\(\): layer "conv2d_2" \(conv2d\) needs an image input \[height, width, channels\], but the output of layer "dense_1" \(dense\) is \[2\]/);
    expect(() => nn.sequential({ layers: [nn.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 5 })] })).toThrow(
      /layer "conv2d_1" \(conv2d\): kernelSize \[5, 5\] is larger than its input \[4, 4, 1\] with padding "valid"/,
    );
    expect(() => nn.sequential({ layers: [conv(), nn.layers.maxPooling2d({ poolSize: 7 })] })).toThrow(
      /layer "maxPooling2d_2" \(maxPooling2d\): poolSize \[7, 7\] is larger than its input \[6, 6, 2\]/,
    );
    // Dense works on the last axis of any rank (Keras), so it may follow an image layer.
    const onImages = nn.sequential({ layers: [conv(), nn.layers.dense({ units: 2 })] });
    expect(onImages.outputShape).toEqual([6, 6, 2]);
    onImages.dispose();
    expect(() => nn.sequential({ layers: [nn.layers.conv2d({ filters: 2, kernelSize: 3 })] })).toThrow(
      /the first layer needs an inputShape, e.g. nn\.layers\.conv2d\(\{inputShape: \[28, 28, 1\]/,
    );
    expect(() => nn.sequential({ layers: [conv(), nn.layers.flatten({ inputShape: [8, 8, 1] })] })).toThrow(
      /layer 1 declares inputShape \[8,8,1\] but the layer before it outputs \[6,6,2\]/,
    );
    // A failed add() leaves the model as it was.
    const model = nn.sequential({ layers: [conv()], seed: 1 });
    expect(() => model.add(nn.layers.conv2d({ filters: 1, kernelSize: 9 }))).toThrow(/larger than its input/);
    model.add(nn.layers.flatten());
    model.add(nn.layers.dense({ units: 3 }));
    expect(model.outputShape).toEqual([3]);
    model.dispose();
  });

  test('data must be [n, ...inputShape]; bad values are located in the image', async () => {
    const model = w5Model(1, 6);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const flat = nn.tensor(new Float32Array(2 * 36), [2, 36]);
    const ys = nn.tensor([1, 2], [2, 1]);
    expect(() => model.predict(flat)).toThrow(
      /predict\(\): xs must have shape \[samples, 6, 6, 1\] \(this model's inputShape is \[6,6,1\]\), got \[2,36\]; make it with nn\.tensor\(values, \[2, 6, 6, 1\]\)/,
    );
    await expect(model.fit(flat, ys)).rejects.toThrow(/fit\(\): xs must have shape \[samples, 6, 6, 1\]/);
    const wrong = nn.tensor4d(new Float32Array(2 * 36), [2, 6, 3, 2]);
    expect(() => model.evaluate(wrong, ys)).toThrow(/evaluate\(\): xs must have shape \[samples, 6, 6, 1\].*got \[2,6,3,2\]$/);
    const values = new Float32Array(2 * 36);
    values[36 + 2 * 6 + 4] = NaN; // sample 1, row 2, column 4
    const nan = nn.tensor4d(values, [2, 6, 6, 1]);
    expect(() => model.predict(nan)).toThrow(/predict\(\): xs contains NaN at index 52 \(sample 1, position \[2,4,0\]\)/);
    await expect(model.fit(nan, ys)).rejects.toThrow(/fit\(\): xs contains NaN at index 52 \(sample 1, position \[2,4,0\]\)/);
    const badY = nn.tensor([1, 10], [2, 1]);
    const ok = nn.tensor4d(new Float32Array(2 * 36), [2, 6, 6, 1]);
    await expect(model.fit(ok, badY)).rejects.toThrow(/ys\[1\] is 10; sparseCategoricalCrossentropy needs class indices 0..9/);
    disposeAll(flat, ys, wrong, nan, badY, ok, model);
  });

  test('setWeights checks conv kernel shapes', () => {
    const model = w5Model(1, 6);
    const ws = model.getWeights();
    const transposed = nn.tensor(ws[0].dataSync(), [8, 1, 3, 3]);
    expect(() => model.setWeights([transposed, ws[1], ws[2], ws[3]])).toThrow(
      /weight 0 \(conv2d_1\/kernel\) must have shape \[3,3,1,8\], got \[8,1,3,3\]/,
    );
    disposeAll(ws, transposed, model);
  });
});

describe('training', () => {
  test('a small CNN learns horizontal vs vertical bars', async () => {
    const train = bars(200, 5);
    const test_ = bars(100, 77);
    const xs = nn.tensor4d(train.x, [200, 8, 8, 1]);
    const ys = nn.tensor(train.y, [200, 1]);
    const xt = nn.tensor4d(test_.x, [100, 8, 8, 1]);
    const yt = nn.tensor(test_.y, [100, 1]);
    const model = barsModel(3);
    const h = await model.fit(xs, ys, { epochs: 15, batchSize: 16 });
    const loss = h.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
    const [testLoss, testAcc] = model.evaluate(xt, yt) as nn.Tensor[];
    expect(testAcc.dataSync()[0]).toBeGreaterThanOrEqual(0.98); // 1.0 for seeds 1..8
    // predict agrees with evaluate's accuracy: argmax of the softmax rows.
    const p = model.predict(xt);
    expect(p.shape).toEqual([100, 2]);
    const pv = p.dataSync();
    let correct = 0;
    for (let i = 0; i < 100; i++) if ((pv[2 * i + 1] > pv[2 * i] ? 1 : 0) === test_.y[i]) correct++;
    expect(correct / 100).toBeCloseTo(testAcc.dataSync()[0], 6);
    disposeAll(xs, ys, xt, yt, testLoss, testAcc, p, model);
  });

  test('same seed, same run bit for bit; another seed, another run', async () => {
    const data = bars(64, 9);
    const run = async (seed: number) => {
      const xs = nn.tensor4d(data.x, [64, 8, 8, 1]);
      const ys = nn.tensor(data.y, [64, 1]);
      const model = barsModel(seed);
      const h = await model.fit(xs, ys, { epochs: 3, batchSize: 10 });
      const w = weightsOf(model);
      disposeAll(xs, ys, model);
      return { loss: h.history.loss, w };
    };
    const a = await run(21);
    const b = await run(21);
    const c = await run(22);
    expect(b.loss).toEqual(a.loss);
    expect(b.w).toEqual(a.w);
    expect(c.w[0]).not.toEqual(a.w[0]);
  });

  test('glorotUniform conv kernels use fan in kh·kw·cin and fan out kh·kw·filters (TF.js)', () => {
    const model = nn.sequential({
      layers: [nn.layers.conv2d({ inputShape: [9, 9, 4], filters: 16, kernelSize: 5 })],
      seed: 2,
    });
    const [k, b] = model.getWeights();
    const limit = Math.sqrt(6 / (5 * 5 * 4 + 5 * 5 * 16));
    const v = k.dataSync();
    let max = 0;
    let sumSq = 0;
    for (const x of v) {
      max = Math.max(max, Math.abs(x));
      sumSq += x * x;
    }
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.95 * limit);
    // Uniform(−L, L) has variance L²/3; 1,600 draws give it within a few percent.
    expect(sumSq / v.length / (limit * limit / 3)).toBeGreaterThan(0.9);
    expect(sumSq / v.length / (limit * limit / 3)).toBeLessThan(1.1);
    expect(Array.from(b.dataSync())).toEqual(new Array(16).fill(0));
    disposeAll(k, b, model);
  });

  test('the fit worker path gives exactly the in-process numbers for a CNN', async () => {
    const data = bars(48, 4);
    const run = async (mode: 'worker' | 'never') => {
      if (mode === 'worker') {
        nn.setFitWorker({ create: channelFitWorker });
      } else nn.setFitWorker('never');
      const xs = nn.tensor4d(data.x, [48, 8, 8, 1]);
      const ys = nn.tensor(data.y, [48, 1]);
      const model = barsModel(8);
      const h = await model.fit(xs, ys, { epochs: 3, batchSize: 8, validationSplit: 0.25 });
      const probe = nn.tensor4d(data.x.subarray(0, 2 * 64), [2, 8, 8, 1]);
      const p = model.predict(probe);
      const out = { h: h.history, w: weightsOf(model), p: Array.from(p.dataSync()) };
      disposeAll(xs, ys, probe, p, model);
      return out;
    };
    const local = await run('never');
    const remote = await run('worker');
    expect(Object.keys(local.h)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
    expect(remote.h).toEqual(local.h);
    expect(remote.w).toEqual(local.w);
    expect(remote.p).toEqual(local.p);
  });
});

/** The same model as a version 1 file (what nnplay wrote before the graph format). */
function toV1(json: nn.ModelJSON): nn.ModelJSONv1 {
  const [input, ...rest] = json.graph.layers;
  return {
    format: json.format,
    version: 1,
    seed: json.seed,
    inputShape: input.config.shape as number[],
    layers: rest.map((l) => ({ type: l.type, ...l.config }) as unknown as nn.LayerJSON),
    compile: json.compile,
    weights: json.weights,
  };
}

describe('save and load', () => {
  test('toJSON → fromJSON round-trips a CNN bit for bit (layers, weights, predictions, training)', async () => {
    const data = bars(40, 12);
    const xs = nn.tensor4d(data.x, [40, 8, 8, 1]);
    const ys = nn.tensor(data.y, [40, 1]);
    const model = barsModel(5);
    await model.fit(xs, ys, { epochs: 2, batchSize: 8 });
    const json = model.toJSON();
    expect(json.version).toBe(2);
    expect(json.modelClass).toBe('Sequential');
    const layers = json.graph.layers;
    expect(layers[0]).toEqual({ name: 'input', type: 'input', config: { shape: [8, 8, 1] } });
    expect(layers.slice(1).map((l) => l.type)).toEqual(['conv2d', 'maxPooling2d', 'conv2d', 'flatten', 'dense']);
    expect(layers[1].config).toMatchObject({ filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' });
    expect(layers[2]).toEqual({ name: 'maxPooling2d_2', type: 'maxPooling2d', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }, inbound: [['conv2d_1']] });
    expect(layers[3].config).toMatchObject({ filters: 8, kernelSize: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(json.weights.map((w) => [w.name, w.shape])).toEqual([
      ['conv2d_1/kernel', [3, 3, 1, 4]],
      ['conv2d_1/bias', [4]],
      ['conv2d_3/kernel', [2, 2, 4, 8]],
      ['conv2d_3/bias', [8]],
      ['dense_5/kernel', [32, 2]],
      ['dense_5/bias', [2]],
    ]);
    // Through text, as a file would go.
    const copy = nn.models.fromJSON(JSON.stringify(json));
    expect(copy.layers.map((l) => l.spec)).toEqual(model.layers.map((l) => l.spec));
    expect(copy.inputShape).toEqual([8, 8, 1]);
    expect(weightsOf(copy)).toEqual(weightsOf(model));
    const p1 = model.predict(xs);
    const p2 = copy.predict(xs) as nn.Tensor;
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
    expect(copy.compiledWith).toEqual(model.compiledWith);
    // The copy trains (fresh optimizer state), with the same number of weights.
    const h = await copy.fit(xs, ys, { epochs: 1, batchSize: 8 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    disposeAll(p1, p2, xs, ys, model, copy);
  });

  test('a bad CNN file is refused before anything is built', () => {
    // A version 1 file (the format before the graph), checked by the engine's inspect().
    const model = w5Model(1, 6);
    const good = toV1(model.toJSON());
    model.dispose();
    const variant = (edit: (j: Record<string, any>) => void): unknown => {
      const j = JSON.parse(JSON.stringify(good));
      edit(j);
      return j;
    };
    const cases: [() => unknown, RegExp][] = [
      [() => variant((j) => (j.inputShape = [6, 6])), /layers\[0\]: inputShape must be \[height, width, channels\] \(NHWC\)/],
      [() => variant((j) => j.layers.splice(2, 1)), /weights\[2\] is named "dense_4\/kernel", expected 'dense_3\/kernel'/],
      [() => variant((j) => (j.layers[0].kernelSize = [7, 7])), /layer 0 \(conv2d\): kernelSize \[7, 7\] is larger than its input \[6, 6, 1\]/],
      [() => variant((j) => (j.layers[0].padding = 'causal')), /layers\[0\]: unknown padding "causal"; allowed: 'valid', 'same'/],
      [() => variant((j) => (j.layers[1].units = 3)), /layers\[1\] has an unknown field "units"; allowed: type, poolSize, strides, padding, name/],
      [() => variant((j) => (j.weights[0].shape = [8, 1, 3, 3])), /weights\[0\] \(conv2d_1\/kernel\) must have shape \[3,3,1,8\] to fit the layers/],
      [() => variant((j) => (j.weights[2].name = 'dense_3/kernel')), /weights\[2\] is named "dense_3\/kernel", expected 'dense_4\/kernel'/],
      [() => variant((j) => (j.layers[0].filters = 4)), /weights\[0\] \(conv2d_1\/kernel\) must have shape \[3,3,1,4\]/],
    ];
    for (const [make, message] of cases) {
      const before = nn.memory();
      expect(() => nn.models.fromJSON(make())).toThrow(message);
      const after = nn.memory();
      expect(after.numModels).toBe(before.numModels);
      expect(after.liveWasmObjects).toBe(before.liveWasmObjects);
    }
  });
});

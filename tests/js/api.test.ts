// The public API on the built wasm: tensors, building, compile, fit, predict, evaluate,
// weights, summary, optimizers and regularizers.
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
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

describe('tensors', () => {
  test('from Float32Array with a shape', async () => {
    const t = nn.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await t.array()).toEqual(t.arraySync());
    t.dispose();
    expect(t.isDisposed).toBe(true);
  });

  test('from nested arrays and flat arrays', () => {
    const a = nn.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(a.shape).toEqual([3, 2]);
    const b = nn.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const c = nn.tensor([1, 2, 3]);
    expect(c.shape).toEqual([3]);
    const d = nn.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(d.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const s = nn.scalar(3.5);
    expect(s.shape).toEqual([]);
    expect(s.arraySync()).toBe(3.5);
    disposeAll(a, b, c, d, s);
  });

  test('copies its input and hands out copies', () => {
    const src = new Float32Array([1, 2]);
    const t = nn.tensor(src, [1, 2]);
    src[0] = 99;
    const out = t.dataSync();
    out[1] = 42;
    expect(Array.from(t.dataSync())).toEqual([1, 2]);
    t.dispose();
  });

  test('counts live tensors', () => {
    const before = nn.memory().numTensors;
    const t = nn.tensor([1]);
    expect(nn.memory().numTensors).toBe(before + 1);
    t.dispose();
    t.dispose(); // idempotent
    expect(nn.memory().numTensors).toBe(before);
  });
});

describe('training XOR with the README example', () => {
  test('learns XOR and reports TF.js-named history', async () => {
    const model = xorModel(42);
    const xs = nn.tensor2d(XOR_X);
    const ys = nn.tensor2d(XOR_Y);
    const epochsSeen: number[] = [];
    const history = await model.fit(xs, ys, {
      epochs: 200,
      batchSize: 4,
      shuffle: true,
      validationData: [xs, ys],
      callbacks: { onEpochEnd: (epoch) => void epochsSeen.push(epoch) },
    });
    expect(Object.keys(history.history)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
    expect(history.epoch).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(epochsSeen).toEqual(history.epoch);
    for (const values of Object.values(history.history)) expect(values).toHaveLength(200);
    expect(history.history.loss[199]).toBeLessThan(0.05);
    expect(history.history.loss[199]).toBeLessThan(history.history.loss[0] / 10);
    expect(history.history.acc[199]).toBe(1);
    expect(history.history.val_acc[199]).toBe(1);

    const p = model.predict(xs);
    expect(p.shape).toEqual([4, 1]);
    expect(Array.from(p.dataSync()).map(Math.round)).toEqual([0, 1, 1, 0]);

    const ev = model.evaluate(xs, ys) as nn.Tensor[];
    expect(Array.isArray(ev)).toBe(true);
    expect(ev).toHaveLength(2);
    expect(ev[0].shape).toEqual([]);
    expect(ev[0].dataSync()[0]).toBeCloseTo(history.history.val_loss[199], 5);
    expect(ev[1].dataSync()[0]).toBe(1);
    // verbose: 0 as TF.js programs pass it; 1 prints the figures once, as Keras does.
    const quiet = model.evaluate(xs, ys, { verbose: 0, batchSize: 2 }) as nn.Tensor[];
    expect(quiet[0].dataSync()[0]).toBeCloseTo(ev[0].dataSync()[0], 6);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const loud = model.evaluate(xs, ys, { verbose: 1 }) as nn.Tensor[];
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^Evaluation: loss=\d\.\d{3}e?-?\d* acc=1\.000$/)]);
    log.mockRestore();
    expect(() => model.evaluate(xs, ys, { verbose: 2 as 1 })).toThrow(/evaluate\(\): verbose must be 0 or 1, got 2/);
    expect(() => model.evaluate(xs, ys, { steps: 2 } as never)).toThrow(/evaluate\(\): unknown option "steps"; allowed: batchSize, verbose/);
    disposeAll(p, ev, quiet, loud, xs, ys, model);
  });
});

describe('model', () => {
  test('add() builds the same model as the layers option', () => {
    const a = nn.sequential({ seed: 3 });
    a.add(nn.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }));
    a.add(nn.layers.dense({ units: 2, activation: 'softmax' }));
    const b = nn.sequential({
      seed: 3,
      layers: [
        nn.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }),
        nn.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    disposeAll(a, b);
  });

  test('getWeights: kernel [in, units] and bias [units] per dense layer', () => {
    const model = xorModel(1);
    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[2, 8], [8], [8, 1], [1]]);
    // Default bias initializer is zeros; glorotUniform kernels are bounded by sqrt(6/(in+out)).
    expect(Array.from(ws[1].dataSync()).every((v) => v === 0)).toBe(true);
    const limit = Math.sqrt(6 / (2 + 8));
    expect(Array.from(ws[0].dataSync()).every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(new Set(ws[0].dataSync()).size).toBeGreaterThan(1);
    disposeAll(ws, model);
  });

  test('useBias: false drops the bias tensor and its parameters', () => {
    const model = nn.sequential({
      layers: [nn.layers.dense({ inputShape: [3], units: 2, useBias: false }), nn.layers.dense({ units: 1 })],
      seed: 1,
    });
    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[3, 2], [2, 1], [1]]);
    expect(model.summary()).toContain('Total params: 9');
    disposeAll(ws, model);
  });

  test('setWeights / getWeights round trip, and predict computes x·W + b', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 2 })], seed: 0 });
    const kernel = nn.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const bias = nn.tensor([0.5, -1]);
    model.setWeights([kernel, bias]);
    const back = model.getWeights();
    expect(back[0].arraySync()).toEqual(kernel.arraySync());
    expect(back[1].arraySync()).toEqual(bias.arraySync());
    const x = nn.tensor2d([
      [1, 0, 0],
      [1, 1, 1],
      [0, -1, 2],
    ]);
    const y = model.predict(x);
    // Row-major, kernel [inputs, units]: y = x · W + b.
    expect(y.arraySync()).toEqual([
      [1.5, 1],
      [9.5, 11],
      [7.5, 7],
    ]);
    disposeAll(kernel, bias, back, x, y, model);
  });

  test('one SGD step on mean squared error matches the hand-computed update', async () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })], seed: 0 });
    const w = nn.tensor2d([[0.5], [-0.25]]);
    const b = nn.tensor([0.1]);
    model.setWeights([w, b]);
    model.compile({ optimizer: nn.train.sgd(0.1), loss: 'meanSquaredError' });
    const xData = [
      [1, 2],
      [3, -1],
      [0, 1],
    ];
    const yData = [1, 0, 2];
    const xs = nn.tensor2d(xData);
    const ys = nn.tensor2d(yData.map((v) => [v]));
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: 3, shuffle: false });
    // By hand: loss = mean((x·w + b - y)²), dL/dw = 2/n Σ e·x, dL/db = 2/n Σ e.
    const wv = [0.5, -0.25];
    let loss = 0;
    const gw = [0, 0];
    let gb = 0;
    xData.forEach((x, i) => {
      const e = x[0] * wv[0] + x[1] * wv[1] + 0.1 - yData[i];
      loss += (e * e) / 3;
      gw[0] += ((2 * e) / 3) * x[0];
      gw[1] += ((2 * e) / 3) * x[1];
      gb += (2 * e) / 3;
    });
    expect(history.history.loss[0]).toBeCloseTo(loss, 5);
    const [nw, nb] = weightsOf(model);
    expect(nw[0]).toBeCloseTo(wv[0] - 0.1 * gw[0], 6);
    expect(nw[1]).toBeCloseTo(wv[1] - 0.1 * gw[1], 6);
    expect(nb[0]).toBeCloseTo(0.1 - 0.1 * gb, 6);
    disposeAll(w, b, xs, ys, model);
  });

  test('evaluate without metrics returns one scalar tensor', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [1], units: 1 })], seed: 0 });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const w = [nn.tensor2d([[2]]), nn.tensor([0])];
    model.setWeights(w);
    const xs = nn.tensor2d([[1], [2]]);
    const ys = nn.tensor([0, 0]); // rank-1 targets are accepted for a single output
    const loss = model.evaluate(xs, ys) as nn.Tensor;
    expect(loss).toBeInstanceOf(nn.Tensor);
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo((4 + 16) / 2, 5);
    disposeAll(w, xs, ys, loss, model);
  });

  test('summary lists layers, output shapes and parameter counts', () => {
    const model = xorModel();
    const lines: string[] = [];
    const text = model.summary((l) => lines.push(l));
    expect(lines.join('\n')).toBe(text);
    // TF.js's columns: layer (type), input shape, output shape, param # (training-utils.test.ts compares the text with TF.js's).
    expect(text).toMatch(/dense_1 \(Dense\)\s+\[\[null,2\]\]\s+\[null,8\]\s+24/);
    expect(text).toMatch(/dense_2 \(Dense\)\s+\[\[null,8\]\]\s+\[null,1\]\s+9/);
    expect(text).toContain('Total params: 33');
    model.dispose();
  });

  test('metrics "mse" and validationSplit give mse and val_ keys', async () => {
    const model = nn.sequential({
      layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })],
      seed: 5,
    });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mse'] });
    const { x, y } = blobs(40, 9);
    const xs = nn.tensor(x, [40, 2]);
    const ys = nn.tensor(y, [40, 1]);
    const h = await model.fit(xs, ys, { epochs: 3, validationSplit: 0.25 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mse', 'val_loss', 'val_mse']);
    expect(h.params.samples).toBe(30);
    // Without regularization, the MSE loss and the mse metric are the same figure.
    h.history.loss.forEach((l, i) => expect(h.history.mse[i]).toBeCloseTo(l, 5));
    disposeAll(xs, ys, model);
  });

  test('softmax + sparse and one-hot categorical crossentropy train a 3-class problem', async () => {
    const n = 60;
    const x = new Float32Array(n * 2);
    const labels = new Float32Array(n);
    const oneHot = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      const angle = (2 * Math.PI * c) / 3 + ((i * 7) % 5) * 0.05;
      x[2 * i] = 2 * Math.cos(angle);
      x[2 * i + 1] = 2 * Math.sin(angle);
      labels[i] = c;
      oneHot[i * 3 + c] = 1;
    }
    const xs = nn.tensor(x, [n, 2]);
    for (const [loss, target] of [
      ['sparseCategoricalCrossentropy', nn.tensor(labels, [n, 1])],
      ['categoricalCrossentropy', nn.tensor(oneHot, [n, 3])],
    ] as const) {
      const model = nn.sequential({
        layers: [nn.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), nn.layers.dense({ units: 3, activation: 'softmax' })],
        seed: 11,
      });
      model.compile({ optimizer: nn.train.adam(0.05), loss, metrics: 'accuracy' });
      const h = await model.fit(xs, target, { epochs: 40, batchSize: 16 });
      expect(h.history.acc.at(-1)).toBeGreaterThan(0.95);
      const p = model.predict(xs);
      const rows = p.arraySync() as number[][];
      rows.forEach((r) => expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
      disposeAll(p, target, model);
    }
    xs.dispose();
  });

  test('every optimizer, given as a string or an object, trains', async () => {
    const { x, y } = blobs(64, 3);
    const xs = nn.tensor(x, [64, 2]);
    const ys = nn.tensor(y, [64, 1]);
    const optimizers: Array<string | nn.Optimizer> = [
      'sgd', 'momentum', 'adam', 'rmsprop', 'adagrad',
      nn.train.sgd(0.1), nn.train.momentum(0.05, 0.9), nn.train.momentum(0.05, 0.9, true),
      nn.train.adam(0.01, 0.8, 0.99, 1e-6), nn.train.rmsprop(0.01, 0.95, 0.1), nn.train.adagrad(0.1, 0.2),
    ];
    for (const optimizer of optimizers) {
      const model = xorModel(2);
      model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const h = await model.fit(xs, ys, { epochs: 15, batchSize: 8 });
      const name = typeof optimizer === 'string' ? optimizer : optimizer.name;
      expect(h.history.loss.at(-1), name).toBeLessThan(h.history.loss[0]);
      model.dispose();
    }
    disposeAll(xs, ys);
  });

  test('string optimizers use TF.js default learning rates', () => {
    const model = xorModel();
    const expected: Record<string, number> = { sgd: 0.01, adam: 0.001, rmsprop: 0.001, adagrad: 0.01, momentum: 0.01 };
    for (const [name, lr] of Object.entries(expected)) {
      model.compile({ optimizer: name, loss: 'binaryCrossentropy' });
      expect(model.compiledWith?.optimizer.learningRate).toBe(lr);
    }
    const adam = nn.train.adam();
    expect(adam.config).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(nn.train.rmsprop(0.01).config).toMatchObject({ decay: 0.9, momentum: 0, epsilon: 1e-7 });
    expect(nn.train.adagrad(0.01).config).toMatchObject({ initialAccumulatorValue: 0.1 });
    model.dispose();
  });

  test('an L2 kernel regularizer shrinks the weights', async () => {
    const { x, y } = blobs(64, 4);
    const xs = nn.tensor(x, [64, 2]);
    const ys = nn.tensor(y, [64, 1]);
    const norm = async (kernelRegularizer?: nn.Regularizer) => {
      const model = nn.sequential({
        layers: [
          nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelRegularizer }),
          nn.layers.dense({ units: 1, activation: 'sigmoid', kernelRegularizer }),
        ],
        seed: 8,
      });
      model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy' });
      await model.fit(xs, ys, { epochs: 30, batchSize: 16 });
      const [k1, , k2] = weightsOf(model);
      model.dispose();
      return [...k1, ...k2].reduce((s, v) => s + v * v, 0);
    };
    const free = await norm();
    const l2 = await norm(nn.regularizers.l2({ l2: 0.05 }));
    const l1 = await norm(nn.regularizers.l1({ l1: 0.05 }));
    expect(l2).toBeLessThan(free * 0.7);
    expect(l1).toBeLessThan(free * 0.7);
    const both = nn.regularizers.l1l2({ l1: 0.1, l2: 0.2 });
    expect([both.l1, both.l2]).toEqual([0.1, 0.2]);
    disposeAll(xs, ys);
  });

  test('callbacks fire in order; onBatchEnd gets each batch; stopTraining stops', async () => {
    const model = xorModel(3);
    const xs = nn.tensor2d(XOR_X);
    const ys = nn.tensor2d(XOR_Y);
    const events: string[] = [];
    const h = await model.fit(xs, ys, {
      epochs: 5,
      batchSize: 3,
      callbacks: {
        onTrainBegin: () => void events.push('trainBegin'),
        onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
        onBatchEnd: (b, logs) => void events.push(`batch ${b} size ${logs.size}`),
        onEpochEnd: async (e, logs) => {
          await new Promise((r) => setTimeout(r, 1)); // async callbacks are awaited
          events.push(`epochEnd ${e} ${typeof logs.loss}`);
          if (e === 1) model.stopTraining = true;
        },
        onTrainEnd: () => void events.push('trainEnd'),
      },
    });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0', 'batch 0 size 3', 'batch 1 size 1', 'epochEnd 0 number',
      'epochBegin 1', 'batch 0 size 3', 'batch 1 size 1', 'epochEnd 1 number',
      'trainEnd',
    ]);
    expect(h.epoch).toEqual([0, 1]);
    disposeAll(xs, ys, model);
  });

  test('fit yields to the event loop between epochs', async () => {
    const model = xorModel(4);
    const xs = nn.tensor2d(XOR_X);
    const ys = nn.tensor2d(XOR_Y);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await model.fit(xs, ys, { epochs: 300, batchSize: 4 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    disposeAll(xs, ys, model);
  });
});

// Per-step class predictions against TensorFlow.js 4.22: a returnSequences recurrent layer and a
// dense softmax on its last axis give [batch, steps, classes]; sparseCategoricalCrossentropy with
// a class index per step (TF.js takes y [batch, steps, 1]; nnplay also [batch, steps]) and
// categoricalCrossentropy with one-hot [batch, steps, classes] give TF.js's loss and accuracy
// (means over batch and steps) and its SGD step. Then the messages for labels of the wrong shape.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, expectClose, xorshift } from './helpers';

const N = 6;
const STEPS = 5;
const FEATURES = 3;
const CLASSES = 4;
const LR = 0.5;

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

function data(seed: number, n: number): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}


const labels = Float32Array.from({ length: N * STEPS }, (_, i) => (i * 7 + 3) % CLASSES);
const oneHot = Float32Array.from({ length: N * STEPS * CLASSES }, (_, i) => (labels[Math.floor(i / CLASSES)] === i % CLASSES ? 1 : 0));

describe('parity with TF.js 4.22', () => {
  test.each([
    ['sparseCategoricalCrossentropy', 'lstm'],
    ['sparseCategoricalCrossentropy', 'gru'],
    ['categoricalCrossentropy', 'simpleRNN'],
  ] as const)('%s over [batch, steps, classes] (%s): loss, accuracy and one SGD step', async (loss, cell) => {
    const rnn = { simpleRNN: nn.layers.simpleRNN, lstm: nn.layers.lstm, gru: nn.layers.gru }[cell];
    const tfRnn = { simpleRNN: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru }[cell];
    const rnnOptions = { units: 6, returnSequences: true, ...(cell === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' as const }) };
    const model = nn.sequential({
      layers: [rnn({ inputShape: [STEPS, FEATURES], ...rnnOptions }), nn.layers.dense({ units: CLASSES, activation: 'softmax', biasInitializer: 'glorotUniform' })],
      seed: 17,
    });
    expect(model.outputShape).toEqual([STEPS, CLASSES]);
    model.compile({ optimizer: nn.train.sgd(LR), loss, metrics: ['accuracy'] });
    const tmodel = tf.sequential({
      layers: [tfRnn({ inputShape: [STEPS, FEATURES], ...rnnOptions }), tf.layers.dense({ units: CLASSES, activation: 'softmax' })],
    });
    const initial = model.getWeights();
    const tInitial = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
    tmodel.setWeights(tInitial);
    tmodel.compile({ optimizer: tf.train.sgd(LR), loss, metrics: ['accuracy'] });

    const x = data(5, N * STEPS * FEATURES).map((v) => v * 2);
    const yShape = loss === 'categoricalCrossentropy' ? [N, STEPS, CLASSES] : [N, STEPS, 1];
    const yValues = loss === 'categoricalCrossentropy' ? oneHot : labels;
    const nx = nn.tensor(x, [N, STEPS, FEATURES]);
    const ny = nn.tensor(yValues, yShape);
    const tx = tf.tensor(x, [N, STEPS, FEATURES]);
    const ty = tf.tensor(yValues, yShape);

    const evaluated = model.evaluate(nx, ny) as nn.Tensor[];
    const [nLoss, nAcc] = evaluated.map((t) => t.dataSync()[0]);
    const [tLoss, tAcc] = (tmodel.evaluate(tx, ty) as tf.Tensor[]).map((t) => t.dataSync()[0]);
    expect(nLoss).toBeCloseTo(tLoss, 5);
    expect(nAcc).toBeCloseTo(tAcc, 6);
    expect(tAcc).toBeGreaterThan(0); // a figure between 0 and 1: per (sample, step), not per sample
    expect(tAcc).toBeLessThan(1);

    const nh = await model.fit(nx, ny, { epochs: 1, batchSize: N, shuffle: false });
    const th = await tmodel.fit(tx, ty, { epochs: 1, batchSize: N, shuffle: false });
    expect(nh.history.loss[0]).toBeCloseTo(th.history.loss[0] as number, 5);
    const after = model.getWeights();
    const tAfter = tmodel.getWeights();
    after.forEach((w, i) => {
      const before = initial[i].dataSync();
      const nd = w.dataSync().map((v, j) => v - before[j]);
      const td = (tAfter[i].dataSync() as Float32Array).map((v, j) => v - before[j]);
      expect(Math.max(...td.map(Math.abs)), `weight ${i} moves`).toBeGreaterThan(1e-4);
      expectClose(nd, td, `${loss} ${cell}: change of weight ${i}`, 2e-3, 2e-6);
    });
    disposeAll(model, nx, ny, ...evaluated, ...initial, ...after);
    tf.dispose([tx, ty, ...tInitial]);
    tmodel.dispose();
  });
});

describe('library', () => {
  test('labels [batch, steps] and [batch, steps, 1] are the same; wrong shapes and labels are named', async () => {
    const make = () => {
      const m = nn.sequential({
        layers: [nn.layers.gru({ inputShape: [STEPS, FEATURES], units: 4, returnSequences: true }), nn.layers.dense({ units: CLASSES, activation: 'softmax' })],
        seed: 3,
      });
      m.compile({ optimizer: nn.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const a = make();
    const b = make();
    const x = nn.tensor(data(8, N * STEPS * FEATURES), [N, STEPS, FEATURES]);
    const y2 = nn.tensor(labels, [N, STEPS]);
    const y3 = nn.tensor(labels, [N, STEPS, 1]);
    const ha = await a.fit(x, y2, { epochs: 2, batchSize: 4 });
    const hb = await b.fit(x, y3, { epochs: 2, batchSize: 4 });
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(ha.history.acc).toEqual(hb.history.acc);
    const wrong = nn.tensor(labels.slice(0, N), [N, 1]);
    await expect(a.fit(x, wrong, { epochs: 1 })).rejects.toThrow(/ys must have shape \[6, 5\] \(a class index per step\), got \[6,1\]/);
    const bad = nn.tensor(labels.map((v, i) => (i === 7 ? 9 : v)), [N, STEPS]);
    await expect(a.fit(x, bad, { epochs: 1 })).rejects.toThrow(/ys\[1, 2\] is 9; sparseCategoricalCrossentropy needs class indices 0..3/);
    disposeAll(a, b, x, y2, y3, wrong, bad);
  });
});

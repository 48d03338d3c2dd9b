// Recurrent layers (nn.layers.simpleRNN / lstm / gru) against TensorFlow.js 4.22 (cpu backend):
// the same layer with nnplay's initial weights copied into TF.js gives the same outputs, and one
// SGD step moves every weight by the same amount (the gradients through time agree), with
// returnSequences on and off and goBackwards. The recurrent activation is set explicitly
// ('sigmoid' on both; one case keeps TF.js's default hardSigmoid on both). Then the library
// surface: weights in Keras layout, summary's parameter counts, save / load, the sequence
// output as a node payload, and the messages for inputs that are not sequences.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, expectClose, xorshift } from './helpers';

const STEPS = 5;
const FEATURES = 3;
const UNITS = 4;
const N = 6;
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

type Cell = 'simpleRNN' | 'lstm' | 'gru';
interface Case {
  cell: Cell;
  returnSequences: boolean;
  goBackwards?: boolean;
  /** Left out: both libraries' default (hardSigmoid). */
  recurrentActivation?: 'sigmoid';
}

const cases: Case[] = [];
for (const cell of ['simpleRNN', 'lstm', 'gru'] as const) {
  for (const returnSequences of [false, true]) {
    cases.push({ cell, returnSequences, ...(cell === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' as const }) });
  }
}
cases.push({ cell: 'lstm', returnSequences: true, goBackwards: true, recurrentActivation: 'sigmoid' });
cases.push({ cell: 'gru', returnSequences: false, goBackwards: true, recurrentActivation: 'sigmoid' });
cases.push({ cell: 'lstm', returnSequences: false });
cases.push({ cell: 'gru', returnSequences: true });

function data(seed: number, n: number, size: number): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n * size }, () => rand() * 2 - 1);
}


function label(c: Case): string {
  return `${c.cell} returnSequences ${c.returnSequences}${c.goBackwards ? ' goBackwards' : ''} ${c.recurrentActivation ?? 'hardSigmoid (default)'}`;
}

describe('parity with TF.js 4.22', () => {
  test.each(cases.map((c) => [label(c), c] as const))('%s: outputs and one SGD step', async (_, c) => {
    const options = {
      units: UNITS,
      returnSequences: c.returnSequences,
      goBackwards: c.goBackwards ?? false,
      ...(c.recurrentActivation ? { recurrentActivation: c.recurrentActivation } : {}),
    };
    const layer = { simpleRNN: nn.layers.simpleRNN, lstm: nn.layers.lstm, gru: nn.layers.gru }[c.cell];
    const model = nn.sequential({ layers: [layer({ inputShape: [STEPS, FEATURES], ...options })], seed: 31 });
    model.compile({ optimizer: nn.train.sgd(LR), loss: 'meanSquaredError' });
    const initial = model.getWeights();

    const tfLayer = { simpleRNN: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru }[c.cell];
    const tmodel = tf.sequential({ layers: [tfLayer({ inputShape: [STEPS, FEATURES], ...options })] });
    expect(initial.map((w) => w.shape)).toEqual(tmodel.getWeights().map((w) => w.shape)); // Keras layout
    const tInitial = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
    tmodel.setWeights(tInitial);
    tmodel.compile({ optimizer: tf.train.sgd(LR), loss: 'meanSquaredError' });

    const x = data(5, N, STEPS * FEATURES);
    const outShape = c.returnSequences ? [N, STEPS, UNITS] : [N, UNITS];
    const y = data(9, N, (c.returnSequences ? STEPS : 1) * UNITS).map((v) => v * 0.8);
    const nx = nn.tensor(x, [N, STEPS, FEATURES]);
    const ny = nn.tensor(y, outShape);
    const tx = tf.tensor(x, [N, STEPS, FEATURES]);
    const ty = tf.tensor(y, outShape);

    const np = model.predict(nx) as nn.Tensor;
    const tp = tmodel.predict(tx) as tf.Tensor;
    expect(np.shape).toEqual(tp.shape);
    expectClose(np.dataSync(), tp.dataSync(), `${label(c)}: predict`, 1e-5, 1e-6);

    // One step on the whole batch: w' − w = −LR·∂L/∂w, compared as the change itself.
    await model.fit(nx, ny, { epochs: 1, batchSize: N, shuffle: false });
    await tmodel.fit(tx, ty, { epochs: 1, batchSize: N, shuffle: false });
    const after = model.getWeights();
    const tAfter = tmodel.getWeights();
    after.forEach((w, i) => {
      const before = initial[i].dataSync();
      const nd = w.dataSync().map((v, j) => v - before[j]);
      const td = (tAfter[i].dataSync() as Float32Array).map((v, j) => v - before[j]);
      expect(Math.max(...td.map(Math.abs)), `${label(c)}: weight ${i} moves`).toBeGreaterThan(1e-4);
      expectClose(nd, td, `${label(c)}: change of weight ${i}`, 2e-3, 2e-6);
    });

    disposeAll(model, nx, ny, np, ...initial, ...after);
    tf.dispose([tx, ty, tp, ...tInitial]);
    tmodel.dispose();
  });
});

describe('library', () => {
  test('weights in Keras layout and order, summary counts from the engine', () => {
    const model = nn.sequential({
      layers: [nn.layers.lstm({ inputShape: [28, 1], units: 32 }), nn.layers.dense({ units: 10, activation: 'softmax' })],
    });
    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[1, 128], [32, 128], [128], [32, 10], [10]]);
    const bias = ws[2].dataSync();
    expect(Array.from(bias.slice(32, 64)).every((v) => v === 1)).toBe(true); // unitForgetBias
    expect(Array.from(bias.slice(0, 32)).every((v) => v === 0)).toBe(true);
    const text = model.summary(() => {});
    expect(text).toMatch(/lstm_1 \(LSTM\)\s+\[\[null,\d+,1\]\]\s+\[null,32\]\s+4352/); // TF.js's columns: input shape, output shape, params
    expect(text).toMatch(/Total params: 4682/);
    const gru = nn.sequential({ layers: [nn.layers.gru({ inputShape: [5, 3], units: 4, resetAfter: true })] });
    const gws = gru.getWeights();
    expect(gws.map((w) => w.shape)).toEqual([[3, 12], [4, 12], [2, 12]]);
    disposeAll(model, gru, ...ws, ...gws);
  });

  test('save / load round trip keeps the config and the numbers', () => {
    const model = nn.sequential({
      layers: [
        nn.layers.gru({ inputShape: [4, 2], units: 3, returnSequences: true, resetAfter: true, recurrentActivation: 'sigmoid', kernelRegularizer: nn.regularizers.l2({ l2: 0.01 }) }),
        nn.layers.simpleRNN({ units: 2, goBackwards: true, activation: 'relu' }),
      ],
      seed: 4,
    });
    const x = nn.tensor(data(3, 2, 8), [2, 4, 2]);
    const copy = nn.models.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const a = model.predict(x) as nn.Tensor;
    const b = copy.predict(x) as nn.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const config = copy.layers[0].getConfig();
    expect(config).toMatchObject({ units: 3, returnSequences: true, resetAfter: true, recurrentActivation: 'sigmoid' });
    expect((config.kernelRegularizer as { l2: number }).l2).toBeCloseTo(0.01, 7); // the engine keeps rates in float32
    expect(copy.layers[1].getConfig()).toMatchObject({ goBackwards: true, activation: 'relu', recurrentInitializer: 'orthogonal' });
    expect(copy.layers[0].getClassName()).toBe('GRU');
    disposeAll(model, copy, x, a, b);
  });

  test('the per-step h of a returnSequences layer is a node payload', () => {
    const s = nn.trainingSession(
      JSON.stringify({ inputShape: [3, 2], seed: 2, layers: [{ type: 'lstm', units: 2, returnSequences: true }, { type: 'lstm', units: 2 }] }),
    );
    try {
      const x = data(7, 2, 6);
      const id = s.loadDataset({ x, y: null, n: 2, xSize: 6, ySize: 0 });
      const [seq, last] = s.predict(id, ['lstm_1', 'lstm_2']);
      expect(seq.shape).toEqual([2, 3, 2]);
      expect(seq.type).toBe('lstm');
      expect(last.shape).toEqual([2, 2]);
      expect(seq.values.every(Number.isFinite)).toBe(true);
    } finally {
      s.dispose();
    }
  });
});

describe('bad input', () => {
  test('an input that is not a sequence names the layer and the allowed shape', () => {
    expect(() => nn.sequential({ layers: [nn.layers.lstm({ inputShape: [8], units: 4 })] })).toThrow(
      /lstm.*needs a sequence input \[steps, features\] per sample \(batches \[batch, steps, features\]\), but .*\[8\]/,
    );
    const input = nn.input({ shape: [4, 4, 1] });
    expect(() => nn.layers.gru({ units: 2 }).apply(input)).toThrow(/gru.*needs a sequence input \[steps, features\].*\[4, 4, 1\]/);
  });

  test('zero-length sequences, returnState, dropout rates and bad options', () => {
    expect(() => nn.layers.simpleRNN({ inputShape: [0, 3], units: 2 })).toThrow(/inputShape\[0\] must be an integer in \[1,/);
    expect(() => nn.layers.lstm({ units: 2, returnState: 1 as unknown as boolean })).toThrow(/layers.lstm\(\): returnState must be/);
    expect(() => nn.layers.gru({ units: 2, dropout: 1.5 })).toThrow(/layers.gru\(\): dropout must be a number in \[0, 1\)/);
    expect(() => nn.layers.lstm({} as nn.LSTMLayerArgs)).toThrow(/units is required/);
    expect(() => nn.layers.lstm({ units: 2, recurrentActivation: 'swoosh' as nn.Activation })).toThrow(/unknown recurrentActivation "swoosh"/);
    expect(() => nn.layers.simpleRNN({ units: 2, unitForgetBias: true } as nn.SimpleRNNLayerArgs)).toThrow(/unknown option "unitForgetBias"/);
    const model = nn.sequential({ layers: [nn.layers.lstm({ inputShape: [5, 3], units: 2 })] });
    const flat = nn.tensor(new Float32Array(10), [2, 5]);
    expect(() => model.predict(flat)).toThrow(/predict\(\): xs must have shape \[samples, 5, 3\]/);
    disposeAll(model, flat);
  });
});

// Sequence layers around the recurrent ones, against TensorFlow.js 4.22 (cpu backend): embedding,
// conv1d, globalAveragePooling1d and dense on the last axis of a sequence give TF.js's outputs and
// its change of every weight after one SGD step, from the same weights. Then the state per step
// as node payloads ("lstm_1:c"), checked against a hand-unrolled LSTM and the returnSequences
// output; save / load, summary counts, and the messages for bad ids and wrong ranks.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, xorshift } from './helpers';

const LR = 0.3;

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

function data(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n }, () => lo + rand() * (hi - lo));
}

function ids(seed: number, n: number, dim: number): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n }, () => Math.min(dim - 1, Math.floor(rand() * dim)));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol: number, atol: number): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.abs(expected[i]) + atol;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`${what}[${i}]: nnplay ${actual[i]} vs expected ${expected[i]} (|diff| ${Math.abs(actual[i] - expected[i])} > ${tol})`);
    }
  }
}

interface ParityCase {
  name: string;
  nn: () => nn.Layer[];
  tf: () => tf.layers.Layer[];
  x: Float32Array;
  xShape: number[];
  yShape: number[];
}

const N = 5;
const cases: ParityCase[] = [
  {
    name: 'embedding → globalAveragePooling1d → dense',
    nn: () => [nn.layers.embedding({ inputDim: 7, outputDim: 4, inputLength: 6 }), nn.layers.globalAveragePooling1d(), nn.layers.dense({ units: 2 })],
    tf: () => [tf.layers.embedding({ inputDim: 7, outputDim: 4, inputLength: 6 }), tf.layers.globalAveragePooling1d(), tf.layers.dense({ units: 2 })],
    x: ids(3, N * 6, 7),
    xShape: [N, 6],
    yShape: [N, 2],
  },
  {
    name: 'conv1d valid stride 2 relu → conv1d same tanh → globalAveragePooling1d',
    nn: () => [
      nn.layers.conv1d({ inputShape: [9, 3], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', biasInitializer: 'glorotUniform' }),
      nn.layers.conv1d({ filters: 2, kernelSize: 2, padding: 'same', activation: 'tanh' }),
      nn.layers.globalAveragePooling1d(),
    ],
    tf: () => [
      tf.layers.conv1d({ inputShape: [9, 3], filters: 4, kernelSize: 3, strides: 2, activation: 'relu' }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2, padding: 'same', activation: 'tanh' }),
      tf.layers.globalAveragePooling1d(),
    ],
    x: data(5, N * 27),
    xShape: [N, 9, 3],
    yShape: [N, 2],
  },
  {
    name: 'conv1d same stride 2 (odd padding) → dense on the last axis of [steps, filters]',
    nn: () => [nn.layers.conv1d({ inputShape: [8, 2], filters: 3, kernelSize: 4, strides: 2, padding: 'same' }), nn.layers.dense({ units: 2, activation: 'sigmoid' })],
    tf: () => [tf.layers.conv1d({ inputShape: [8, 2], filters: 3, kernelSize: 4, strides: 2, padding: 'same' }), tf.layers.dense({ units: 2, activation: 'sigmoid' })],
    x: data(6, N * 16),
    xShape: [N, 8, 2],
    yShape: [N, 4, 2],
  },
  {
    name: 'embedding → lstm (returnSequences) → dense on every step',
    nn: () => [
      nn.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [4], embeddingsInitializer: 'glorotUniform' }),
      nn.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
      nn.layers.dense({ units: 2 }),
    ],
    tf: () => [
      tf.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [4] }),
      tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: 2 }),
    ],
    x: ids(8, N * 4, 5),
    xShape: [N, 4],
    yShape: [N, 4, 2],
  },
  {
    name: 'bidirectional(lstm, concat, returnSequences) → dense on every step',
    nn: () => [
      nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }), inputShape: [4, 2] }),
      nn.layers.dense({ units: 2 }),
    ],
    tf: () => [
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN, inputShape: [4, 2] }),
      tf.layers.dense({ units: 2 }),
    ],
    x: data(11, N * 8),
    xShape: [N, 4, 2],
    yShape: [N, 4, 2],
  },
  {
    name: 'bidirectional(gru, sum), last state',
    nn: () => [nn.layers.bidirectional({ layer: nn.layers.gru({ units: 3, inputShape: [5, 2], recurrentActivation: 'sigmoid' }), mergeMode: 'sum' })],
    tf: () => [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }) as tf.RNN, mergeMode: 'sum', inputShape: [5, 2] })],
    x: data(12, N * 10),
    xShape: [N, 5, 2],
    yShape: [N, 3],
  },
  {
    name: 'bidirectional(simpleRNN, mul, returnSequences)',
    nn: () => [nn.layers.bidirectional({ layer: nn.layers.simpleRNN({ units: 2, returnSequences: true }), mergeMode: 'mul', inputShape: [3, 2] })],
    tf: () => [tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2, returnSequences: true }) as tf.RNN, mergeMode: 'mul', inputShape: [3, 2] })],
    x: data(13, N * 6),
    xShape: [N, 3, 2],
    yShape: [N, 3, 2],
  },
  {
    name: 'embedding → conv1d → globalMaxPooling1d (a text CNN)',
    nn: () => [
      nn.layers.embedding({ inputDim: 8, outputDim: 3, inputShape: [6] }),
      nn.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'tanh' }),
      nn.layers.globalMaxPooling1d(),
      nn.layers.dense({ units: 2 }),
    ],
    tf: () => [
      tf.layers.embedding({ inputDim: 8, outputDim: 3, inputShape: [6] }),
      tf.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'tanh' }),
      tf.layers.globalMaxPooling1d({}),
      tf.layers.dense({ units: 2 }),
    ],
    x: ids(15, N * 6, 8),
    xShape: [N, 6],
    yShape: [N, 2],
  },
  {
    // averagePooling1d 'valid' here: with 'same', TF.js 4.22's gradient of an edge window is not
    // its forward's (docs/API.md, differences); the engine's finite-difference test covers 'same'.
    name: 'conv1d → maxPooling1d → conv1d → averagePooling1d → flatten (1-D pooling)',
    nn: () => [
      nn.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'tanh', inputShape: [9, 2] }),
      nn.layers.maxPooling1d({ poolSize: 2 }),
      nn.layers.conv1d({ filters: 2, kernelSize: 2, activation: 'tanh' }),
      nn.layers.averagePooling1d({ poolSize: [2], strides: 1 }),
      nn.layers.flatten(),
    ],
    tf: () => [
      tf.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'tanh', inputShape: [9, 2] }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2, activation: 'tanh' }),
      tf.layers.averagePooling1d({ poolSize: [2], strides: 1 }),
      tf.layers.flatten(),
    ],
    x: data(17, N * 18),
    xShape: [N, 9, 2],
    yShape: [N, 4],
  },
  {
    name: 'an LSTM autoencoder: lstm → repeatVector → lstm(returnSequences) → dense on every step',
    nn: () => [
      nn.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', inputShape: [5, 2] }),
      nn.layers.repeatVector({ n: 5 }),
      nn.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
      nn.layers.dense({ units: 2 }),
    ],
    tf: () => [
      tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', inputShape: [5, 2] }),
      tf.layers.repeatVector({ n: 5 }),
      tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: 2 }),
    ],
    x: data(18, N * 10),
    xShape: [N, 5, 2],
    yShape: [N, 5, 2],
  },
  {
    name: 'conv2d → zeroPadding2d → conv2d → cropping2D → flatten (image margins)',
    nn: () => [
      nn.layers.conv2d({ filters: 2, kernelSize: 2, activation: 'tanh', inputShape: [4, 4, 1] }),
      nn.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }),
      nn.layers.conv2d({ filters: 2, kernelSize: 2, activation: 'tanh' }),
      nn.layers.cropping2D({ cropping: [1, 2] }),
      nn.layers.flatten(),
    ],
    tf: () => [
      tf.layers.conv2d({ filters: 2, kernelSize: 2, activation: 'tanh', inputShape: [4, 4, 1] }),
      tf.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }),
      tf.layers.conv2d({ filters: 2, kernelSize: 2, activation: 'tanh' }),
      tf.layers.cropping2D({ cropping: [1, 2] }),
      tf.layers.flatten(),
    ],
    x: data(19, N * 16),
    xShape: [N, 4, 4, 1],
    yShape: [N, 2],
  },
  {
    name: 'permute [2, 1] between a dense on steps and an LSTM (time and features swapped)',
    nn: () => [nn.layers.permute({ dims: [2, 1], inputShape: [3, 4] }), nn.layers.dense({ units: 2, activation: 'tanh' }), nn.layers.lstm({ units: 2, recurrentActivation: 'sigmoid' })],
    tf: () => [tf.layers.permute({ dims: [2, 1], inputShape: [3, 4] }), tf.layers.dense({ units: 2, activation: 'tanh' }), tf.layers.lstm({ units: 2, recurrentActivation: 'sigmoid' })],
    x: data(20, N * 12),
    xShape: [N, 3, 4],
    yShape: [N, 2],
  },
  {
    // (center: false is not here: TF.js 4.22 fails to train it, its gradient asks for the missing beta.)
    name: 'lstm(returnSequences) → layerNormalization → dense, and a layerNormalization on vectors',
    nn: () => [
      nn.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [3, 2] }),
      nn.layers.layerNormalization({ epsilon: 0.01 }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 3, activation: 'tanh' }),
      nn.layers.layerNormalization({ gammaInitializer: 'randomUniform' }),
    ],
    tf: () => [
      tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [3, 2] }),
      tf.layers.layerNormalization({ epsilon: 0.01 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'tanh' }),
      tf.layers.layerNormalization({ gammaInitializer: 'randomUniform' }),
    ],
    x: data(21, N * 6),
    xShape: [N, 3, 2],
    yShape: [N, 3],
  },
  {
    name: 'conv2d → globalMaxPooling2d (TF.js also globalMaxPool2d)',
    nn: () => [nn.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', inputShape: [4, 4, 2] }), nn.layers.globalMaxPool2d(), nn.layers.dense({ units: 2 })],
    tf: () => [tf.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', inputShape: [4, 4, 2] }), tf.layers.globalMaxPool2d({}), tf.layers.dense({ units: 2 })],
    x: data(16, N * 32),
    xShape: [N, 4, 4, 2],
    yShape: [N, 2],
  },
  {
    name: 'bidirectional(lstm, ave) with TF.js default gates (hardSigmoid)',
    nn: () => [nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2 }), mergeMode: 'ave', inputShape: [3, 2] })],
    tf: () => [tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN, mergeMode: 'ave', inputShape: [3, 2] })],
    x: data(14, N * 6),
    xShape: [N, 3, 2],
    yShape: [N, 2],
  },
];

describe('parity with TF.js 4.22', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s: outputs and one SGD step', async (_, c) => {
    const model = nn.sequential({ layers: c.nn(), seed: 12 });
    model.compile({ optimizer: nn.train.sgd(LR), loss: 'meanSquaredError' });
    const initial = model.getWeights();
    const tmodel = tf.sequential({ layers: c.tf() });
    expect(initial.map((w) => w.shape)).toEqual(tmodel.getWeights().map((w) => w.shape)); // Keras layouts
    const tInitial = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
    tmodel.setWeights(tInitial);
    tmodel.compile({ optimizer: tf.train.sgd(LR), loss: 'meanSquaredError' });

    const size = c.yShape.slice(1).reduce((a, b) => a * b, 1);
    const y = data(9, N * size, -0.8, 0.8);
    const nx = nn.tensor(c.x, c.xShape);
    const ny = nn.tensor(y, c.yShape);
    const tx = tf.tensor(c.x, c.xShape);
    const ty = tf.tensor(y, c.yShape);
    const np = model.predict(nx) as nn.Tensor;
    const tp = tmodel.predict(tx) as tf.Tensor;
    expect(np.shape).toEqual(tp.shape);
    expectClose(np.dataSync(), tp.dataSync() as Float32Array, `${c.name}: predict`, 1e-5, 1e-6);

    await model.fit(nx, ny, { epochs: 1, batchSize: N, shuffle: false });
    await tmodel.fit(tx, ty, { epochs: 1, batchSize: N, shuffle: false });
    const after = model.getWeights();
    const tAfter = tmodel.getWeights();
    after.forEach((w, i) => {
      const before = initial[i].dataSync();
      const nd = w.dataSync().map((v, j) => v - before[j]);
      const td = (tAfter[i].dataSync() as Float32Array).map((v, j) => v - before[j]);
      expect(Math.max(...td.map(Math.abs)), `${c.name}: weight ${i} moves`).toBeGreaterThan(1e-5);
      expectClose(nd, td, `${c.name}: change of weight ${i}`, 2e-3, 2e-7);
    });
    disposeAll(model, nx, ny, np, ...initial, ...after);
    tf.dispose([tx, ty, tp, ...tInitial]);
    tmodel.dispose();
  });
});

describe('the state per step as node payloads', () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  test('lstm h, c and gates equal a hand-unrolled LSTM; h equals the returnSequences output', () => {
    const [steps, features, units, n] = [4, 2, 3, 3];
    const spec = (returnSequences: boolean) =>
      JSON.stringify({ inputShape: [steps, features], seed: 5, layers: [{ type: 'lstm', units, returnSequences, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }] });
    const s = nn.trainingSession(spec(false));
    const seq = nn.trainingSession(spec(true));
    try {
      expect(s.nodes[0].states).toEqual([
        { name: 'h', shape: [steps, units] },
        { name: 'c', shape: [steps, units] },
        { name: 'gates', shape: [steps, 4 * units] },
      ]);
      const x = data(4, n * steps * features);
      const id = s.loadDataset({ x, y: null, n, xSize: steps * features, ySize: 0 });
      const [h, c, gates, out] = s.predict(id, ['lstm_1:h', 'lstm_1:c', 'lstm_1:gates', 'lstm_1']);
      expect(h.name).toBe('lstm_1:h');
      expect(h.shape).toEqual([n, steps, units]);
      expect(gates.shape).toEqual([n, steps, 4 * units]);
      expect(out.shape).toEqual([n, units]);

      const w = s.weights();
      const [kernel, rec, bias] = w.table.map((e) => w.values.subarray(e.offset, e.offset + e.size));
      const k4 = 4 * units;
      for (let i = 0; i < n; i++) {
        let hp = new Array<number>(units).fill(0);
        let cp = new Array<number>(units).fill(0);
        for (let t = 0; t < steps; t++) {
          const z = Array.from({ length: k4 }, (_, j) => {
            let a = bias[j];
            for (let f = 0; f < features; f++) a += x[(i * steps + t) * features + f] * kernel[f * k4 + j];
            for (let u = 0; u < units; u++) a += hp[u] * rec[u * k4 + j];
            return a;
          });
          const g = z.map((v, j) => (j >= 2 * units && j < 3 * units ? Math.tanh(v) : sig(v)));
          const cn = cp.map((cv, u) => g[units + u] * cv + g[u] * g[2 * units + u]);
          const hn = cn.map((cv, u) => g[3 * units + u] * Math.tanh(cv));
          const at = (i * steps + t) * units;
          expectClose(gates.values.subarray((i * steps + t) * k4, (i * steps + t + 1) * k4), g, `gates ${i},${t}`, 1e-5, 1e-6);
          expectClose(c.values.subarray(at, at + units), cn, `c ${i},${t}`, 1e-5, 1e-6);
          expectClose(h.values.subarray(at, at + units), hn, `h ${i},${t}`, 1e-5, 1e-6);
          hp = hn;
          cp = cn;
        }
        // The output is h after the last step.
        expect(Array.from(out.values.subarray(i * units, (i + 1) * units))).toEqual(Array.from(h.values.subarray(((i + 1) * steps - 1) * units, (i + 1) * steps * units)));
      }
      const sid = seq.loadDataset({ x, y: null, n, xSize: steps * features, ySize: 0 });
      expect(Array.from(seq.predict(sid, ['lstm_1'])[0].values)).toEqual(Array.from(h.values));
    } finally {
      s.dispose();
      seq.dispose();
    }
  });

  test('gru gates, states listed per layer, and unknown states named', () => {
    const s = nn.trainingSession(
      JSON.stringify({ inputShape: [3, 2], seed: 2, layers: [{ type: 'gru', units: 2, returnSequences: true }, { type: 'simpleRNN', units: 2 }, { type: 'dense', units: 1 }] }),
    );
    try {
      expect(s.nodes.map((nd) => nd.states.map((st) => st.name))).toEqual([['h', 'gates'], ['h'], []]);
      const id = s.loadDataset({ x: data(2, 12), y: null, n: 2, xSize: 6, ySize: 0 });
      const [gates, h, rnn] = s.predict(id, ['gru_1:gates', 'gru_1:h', 'simpleRNN_2:h']);
      expect(gates.shape).toEqual([2, 3, 6]);
      expect(rnn.shape).toEqual([2, 3, 2]);
      // z and r are gates in [0, 1] (hardSigmoid); h̃ is a tanh.
      for (let r = 0; r < 6; r++) for (let j = 0; j < 4; j++) expect(gates.values[r * 6 + j]).toBeGreaterThanOrEqual(0);
      const [out] = s.predict(id, ['gru_1']);
      expect(Array.from(out.values)).toEqual(Array.from(h.values));
      expect(() => s.predict(id, ['gru_1:c'])).toThrow(/layer gru_1 has no state "c"; its states are gru_1:h, gru_1:gates/);
      expect(() => s.predict(id, ['dense_3:h'])).toThrow(/layer dense_3 has no state "h"; it exposes no states/);
      expect(() => s.predict(id, ['nope:h'])).toThrow(/no node "nope:h"/);
    } finally {
      s.dispose();
    }
  });
});

describe('library', () => {
  test('summary counts, save / load round trip', () => {
    const model = nn.sequential({
      layers: [
        nn.layers.embedding({ inputDim: 50, outputDim: 8, inputLength: 10, embeddingsRegularizer: nn.regularizers.l2({ l2: 0.01 }) }),
        nn.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
        nn.layers.globalAveragePooling1d(),
        nn.layers.dense({ units: 1 }),
      ],
      seed: 3,
    });
    const text = model.summary(() => {});
    expect(text).toMatch(/embedding_1 \(Embedding\)\s+\[\[null,10\]\]\s+\[null,10,8\]\s+400/);
    expect(text).toMatch(/conv1d_2 \(Conv1D\)\s+\[\[null,10,8\]\]\s+\[null,10,6\]\s+150/);
    // TF.js's columns, the name cut at its column as TF.js cuts it.
    expect(text).toMatch(/globalAveragePooling1d_3 \(G\s+\[\[null,10,6\]\]\s+\[null,6\]\s+0/);
    expect(text).toMatch(/Total params: 557/);
    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[50, 8], [3, 8, 6], [6], [6, 1], [1]]);
    expect(Array.from(ws[0].dataSync()).every((v) => Math.abs(v) <= 0.05)).toBe(true);
    const x = nn.tensor(ids(1, 20, 50), [2, 10]);
    const copy = nn.models.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const a = model.predict(x) as nn.Tensor;
    const b = copy.predict(x) as nn.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(copy.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'Conv1D', 'GlobalAveragePooling1D', 'Dense']);
    expect(copy.layers[0].getConfig()).toMatchObject({ inputDim: 50, outputDim: 8, inputLength: 10 });
    expect(copy.layers[1].getConfig()).toMatchObject({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' });
    disposeAll(model, copy, x, a, b, ...ws);
  });
});

test('bidirectional: weight names and order, summary, save / load, states', () => {
  const model = nn.sequential({
    layers: [nn.layers.bidirectional({ layer: nn.layers.gru({ units: 3, returnSequences: true, resetAfter: true }), inputShape: [4, 2], mergeMode: 'concat' }), nn.layers.globalAveragePooling1d()],
    seed: 9,
  });
  const s = model.trainingSession();
  expect(s.weightsTable.map((w) => w.name)).toEqual([
    'bidirectional_1/forward_gru/kernel', 'bidirectional_1/forward_gru/recurrent_kernel', 'bidirectional_1/forward_gru/bias',
    'bidirectional_1/backward_gru/kernel', 'bidirectional_1/backward_gru/recurrent_kernel', 'bidirectional_1/backward_gru/bias',
  ]);
  expect(s.nodes[0].states.map((st) => st.name)).toEqual(['forward_h', 'forward_gates', 'backward_h', 'backward_gates']);
  expect(model.summary(() => {})).toMatch(/bidirectional_1 \(Bidirectio\s+\[\[null,4,2\]\]\s+\[null,4,6\]\s+126/); // 2 · 3·3·(2 + 3 + 2)
  const x = nn.tensor(data(2, 16), [2, 4, 2]);
  const copy = nn.models.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  const a = model.predict(x) as nn.Tensor;
  const b = copy.predict(x) as nn.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  expect(copy.layers[0].getClassName()).toBe('Bidirectional');
  expect(copy.layers[0].getConfig()).toMatchObject({ layer: 'gru', units: 3, resetAfter: true, mergeMode: 'concat' });
  expect(() => nn.layers.bidirectional({ layer: nn.layers.dense({ units: 2 }) as unknown as nn.LSTM })).toThrow(/layer must be a recurrent layer .* got Dense/);
  expect(() => nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2 }), mergeMode: 'max' as nn.MergeMode })).toThrow(/unknown mergeMode "max"/);
  disposeAll(model, copy, x, a, b);
});

describe('bad input', () => {
  test('ids outside [0, inputDim) or fractional name the layer, the id and the range', async () => {
    const model = nn.sequential({ layers: [nn.layers.embedding({ inputDim: 10, outputDim: 2, inputLength: 3, name: 'words' }), nn.layers.globalAveragePooling1d()] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const bad = nn.tensor([1, 2, 3, 4, 12, 5], [2, 3]);
    const frac = nn.tensor([1, 2.5, 3], [1, 3]);
    const y = nn.tensor(new Float32Array(4), [2, 2]);
    expect(() => model.predict(bad)).toThrow(/layer "words" \(embedding\): sample 1 has id 12 at position 1; ids must be integers in \[0, 10\)/);
    expect(() => model.predict(frac)).toThrow(/id 2\.5 at position 1; ids must be integers in \[0, 10\)/);
    await expect(model.fit(bad, y, { epochs: 1 })).rejects.toThrow(/layer "words" \(embedding\): sample 1 has id 12/);
    disposeAll(model, bad, frac, y);
  });

  test('wrong ranks and options name the layer and the allowed shapes', () => {
    expect(() => nn.sequential({ layers: [nn.layers.conv1d({ inputShape: [8], filters: 2, kernelSize: 3 })] })).toThrow(
      /conv1d.*needs a sequence input \[steps, channels\] per sample \(batches \[batch, steps, channels\]\), but .*\[8\]/,
    );
    expect(() => nn.sequential({ layers: [nn.layers.globalAveragePooling1d({ inputShape: [4, 4, 1] })] })).toThrow(/globalAveragePooling1d.*needs a sequence input \[steps, features\].*\[4, 4, 1\]/);
    expect(() => nn.sequential({ layers: [nn.layers.conv1d({ inputShape: [2, 1], filters: 2, kernelSize: 3 })] })).toThrow(/kernelSize 3 is longer than its input's 2 steps/);
    expect(() => nn.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2 })).toThrow(/dilationRate must be 1/);
    expect(() => nn.layers.conv1d({ filters: 2, kernelSize: [3, 3] as unknown as [number] })).toThrow(/kernelSize must be a number or \[number\]/);
    expect(() => nn.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true })).toThrow(/maskZero is not supported yet/);
    expect(() => nn.layers.embedding({ outputDim: 2 } as nn.EmbeddingLayerArgs)).toThrow(/inputDim is required/);
    expect(() => nn.sequential({ layers: [nn.layers.embedding({ inputShape: [3], inputDim: 5, outputDim: 2, inputLength: 4 })] })).toThrow(/inputLength is 4/);
  });
});

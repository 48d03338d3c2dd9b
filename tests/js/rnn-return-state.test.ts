// returnState (TF.js / Keras): layer.apply(x) on a simpleRNN / lstm / gru made with
// returnState: true returns [output, h] ([output, h, c] for lstm), usable as model outputs and
// as inputs to further layers. Against TensorFlow.js 4.22 (cpu): a functional model with the
// same weights, outputs [output, dense(h), (c)], predicts the same and one SGD step on all
// outputs moves every weight the same (so the gradients through h_T and c_T match); the model
// saved in the TF.js format loads in TF.js and back with the same predictions; the refusals.
// (exportCode's code with returnState runs in tests/js/code-export.test.ts.)
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
});

function data(seed: number, n: number, size: number, scale = 1): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n * size }, () => (rand() * 2 - 1) * scale);
}


type Cell = 'simpleRNN' | 'lstm' | 'gru';
const cases: { cell: Cell; returnSequences: boolean; goBackwards: boolean }[] = [
  { cell: 'lstm', returnSequences: true, goBackwards: false },
  { cell: 'lstm', returnSequences: false, goBackwards: true },
  { cell: 'gru', returnSequences: false, goBackwards: false },
  { cell: 'simpleRNN', returnSequences: true, goBackwards: false },
];

/** The same graph in both libraries: x -> cell -> [out, h(, c)]; outputs [out, dense(h), (c)]. */
function nnModel(cell: Cell, options: Record<string, unknown>): nn.LayersModel {
  const x = nn.input({ shape: [STEPS, FEATURES] });
  const layer = cell === 'lstm' ? nn.layers.lstm(options as unknown as nn.LSTMLayerArgs) : cell === 'gru' ? nn.layers.gru(options as unknown as nn.GRULayerArgs) : nn.layers.simpleRNN(options as unknown as nn.SimpleRNNLayerArgs);
  const outs = layer.apply(x) as unknown as nn.SymbolicTensor[];
  expect(Array.isArray(outs)).toBe(true);
  expect(outs.length).toBe(cell === 'lstm' ? 3 : 2);
  expect(outs[1].shape).toEqual([null, UNITS]);
  const head = nn.layers.dense({ units: 2, activation: 'tanh' }).apply(outs[1]);
  // TF.js 4.22's fit cannot add the per-sample losses of outputs of different ranks ("could not
  // be broadcast"), so a sequence output is flattened in both models.
  const first = outs[0].rank === 3 ? nn.layers.flatten().apply(outs[0]) : outs[0];
  return nn.model({ inputs: x, outputs: [first, head, ...outs.slice(2)], seed: 17 });
}
function tfModel(cell: Cell, options: Record<string, unknown>): tf.LayersModel {
  const x = tf.input({ shape: [STEPS, FEATURES] });
  const make = { simpleRNN: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru }[cell];
  const outs = make(options as never).apply(x) as tf.SymbolicTensor[];
  const head = tf.layers.dense({ units: 2, activation: 'tanh' }).apply(outs[1]) as tf.SymbolicTensor;
  const first = outs[0].rank === 3 ? (tf.layers.flatten().apply(outs[0]) as tf.SymbolicTensor) : outs[0];
  return tf.model({ inputs: x, outputs: [first, head, ...outs.slice(2)] });
}

describe('returnState: parity with TF.js 4.22', () => {
  test.each(cases.map((c) => [`${c.cell} returnSequences ${c.returnSequences}${c.goBackwards ? ' goBackwards' : ''}`, c] as const))(
    '%s: outputs and one SGD step through the states',
    async (label, c) => {
      const options: Record<string, unknown> = { units: UNITS, returnSequences: c.returnSequences, goBackwards: c.goBackwards, returnState: true };
      if (c.cell !== 'simpleRNN') options.recurrentActivation = 'sigmoid';
      const model = nnModel(c.cell, options);
      model.compile({ optimizer: nn.train.sgd(LR), loss: 'meanSquaredError' });
      const tmodel = tfModel(c.cell, options);
      const initial = model.getWeights();
      expect(initial.map((w) => w.shape)).toEqual(tmodel.getWeights().map((w) => w.shape));
      const tInitial = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
      tmodel.setWeights(tInitial);
      tmodel.compile({ optimizer: tf.train.sgd(LR), loss: 'meanSquaredError' });

      const x = data(5, N, STEPS * FEATURES);
      const shapes = [c.returnSequences ? [N, STEPS * UNITS] : [N, UNITS], [N, 2], ...(c.cell === 'lstm' ? [[N, UNITS]] : [])];
      const ys = shapes.map((s, k) => data(20 + k, N, s.slice(1).reduce((a, b) => a * b, 1), 0.8));
      const nx = nn.tensor(x, [N, STEPS, FEATURES]);
      const tx = tf.tensor(x, [N, STEPS, FEATURES]);
      const nys = ys.map((y, k) => nn.tensor(y, shapes[k]));
      const tys = ys.map((y, k) => tf.tensor(y, shapes[k]));

      const np = model.predict(nx) as nn.Tensor[];
      const tp = tmodel.predict(tx) as tf.Tensor[];
      expect(np.length).toBe(shapes.length);
      np.forEach((p, k) => {
        expect(p.shape).toEqual(tp[k].shape);
        expectClose(p.dataSync(), tp[k].dataSync(), `${label}: output ${k}`, 1e-5, 1e-6);
      });

      await model.fit(nx, nys, { epochs: 1, batchSize: N, shuffle: false });
      await tmodel.fit(tx, tys, { epochs: 1, batchSize: N, shuffle: false });
      const after = model.getWeights();
      const tAfter = tmodel.getWeights();
      after.forEach((w, i) => {
        const before = initial[i].dataSync();
        const nd = w.dataSync().map((v, j) => v - before[j]);
        const td = (tAfter[i].dataSync() as Float32Array).map((v, j) => v - before[j]);
        expect(Math.max(...td.map(Math.abs)), `${label}: weight ${i} moves`).toBeGreaterThan(1e-4);
        expectClose(nd, td, `${label}: change of weight ${i}`, 2e-3, 2e-6);
      });
      disposeAll(model, nx, ...nys, ...np, ...initial, ...after);
      tf.dispose([tx, ...tys, ...tp, ...tInitial]);
      tmodel.dispose();
    },
  );
});

describe('returnState: the TF.js format', () => {
  test('an lstm with its states as outputs saves, loads in TF.js and back with the same predictions', async () => {
    const model = nnModel('lstm', { units: UNITS, returnSequences: false, returnState: true, recurrentActivation: 'sigmoid' });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      nn.io.withSaveHandler(async (a) => {
        saved = a as unknown as tf.io.ModelArtifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: 0, weightSpecsBytes: 0, weightDataBytes: 0 } };
      }),
    );
    // The summary names the state a layer reads (Keras's layer[node][tensor]).
    expect(model.summary(() => undefined)).toMatch(/dense_\d+ \(Dense\)\s+\[\[null,4\]\]\s+\[null,2\]\s+10\s+lstm_\d+\[0\]\[1\]/);
    const topology = JSON.stringify(saved!.modelTopology);
    expect(topology).toContain('"return_state":true');
    expect(topology).toMatch(/\["lstm_\d+",0,1,\{\}\]/);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = data(8, N, STEPS * FEATURES);
    const nx = nn.tensor(x, [N, STEPS, FEATURES]);
    const tx = tf.tensor(x, [N, STEPS, FEATURES]);
    const np = model.predict(nx) as nn.Tensor[];
    const tp = tm.predict(tx) as tf.Tensor[];
    expect(tp.length).toBe(3);
    np.forEach((p, k) => expectClose(p.dataSync(), tp[k].dataSync(), `loaded in TF.js: output ${k}`, 1e-5, 1e-6));
    // TF.js's own save of it, back into nnplay.
    let tsaved: tf.io.ModelArtifacts | undefined;
    await tm.save(
      tf.io.withSaveHandler(async (a) => {
        tsaved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const back = await nn.loadLayersModel(nn.io.fromMemory(tsaved!));
    const bp = back.predict(nx) as nn.Tensor[];
    bp.forEach((p, k) => expectClose(p.dataSync(), tp[k].dataSync(), `back in nnplay: output ${k}`, 1e-5, 1e-6));
    // nnplay's own format keeps the tensor indices too.
    const again = await nn.loadLayersModel(nn.io.fromMemory(saved!));
    const ap = again.predict(nx) as nn.Tensor[];
    ap.forEach((p, k) => expectClose(p.dataSync(), np[k].dataSync(), `nnplay -> nnplay: output ${k}`, 0, 0));
    disposeAll(model, back, again, nx, ...np, ...bp, ...ap);
    tf.dispose([tx, ...tp]);
    tm.dispose();
  });
});

describe('returnState: refusals', () => {
  test('sequential models and bidirectional layers say why; code export writes the states', async () => {
    const seq = () => nn.sequential({ layers: [nn.layers.lstm({ inputShape: [STEPS, FEATURES], units: 2, returnState: true })] });
    expect(() => seq().summary(() => undefined)).toThrow(/returnState gives it several output tensors; a sequential model's layers have one each/);
    expect(() => nn.layers.bidirectional({ layer: nn.layers.gru({ units: 2, returnState: true }) })).toThrow(
      /layers.bidirectional\(\): returnState is not supported on a bidirectional layer yet/,
    );
    // A TF.js file with return_state on a Bidirectional's wrapped layer.
    const tm = tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN, inputShape: [STEPS, FEATURES] })] });
    let art: tf.io.ModelArtifacts | undefined;
    await tm.save(
      tf.io.withSaveHandler(async (a) => {
        art = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    tm.dispose();
    const topology = JSON.parse(JSON.stringify(art!.modelTopology).replace('"return_state":false', '"return_state":true'));
    await expect(nn.loadLayersModel(nn.io.fromMemory(topology, art!.weightSpecs, art!.weightData as ArrayBuffer))).rejects.toThrow(
      /return_state true on the wrapped LSTM is not supported/,
    );
    // Code export writes the states (run against nnplay's predictions in code-export.test.ts).
    const model = nnModel('gru', { units: UNITS, returnState: true });
    expect((await nn.exportCode(model, 'tfjs')).code).toMatch(/const \[gru_\d+, gru_\d+_h\] = .*\.apply\(/);
    expect((await nn.exportCode(model, 'keras')).code).toContain('return_state=True');
    model.dispose();
  });
});

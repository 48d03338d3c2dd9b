// Recurrent dropout (dropout on x_t, recurrentDropout on h_{t−1}) against TensorFlow.js 4.22:
// inference is the layer without masks in both (predict equals TF.js's with the same weights);
// the training path with rates so small that nothing drops gives TF.js's one SGD step (the masked
// code path computes the same gradients); with real rates the two libraries' masks come from
// different random streams, so their training losses are compared as statistics: the mean over
// many sequences agrees, and it is far from the inference loss. Then the library surface:
// seeded (same seed, same weights after training), config round trip, bad rates.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, expectClose, xorshift } from './helpers';

const STEPS = 5;
const FEATURES = 3;
const UNITS = 4;

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
const cells: Cell[] = ['simpleRNN', 'lstm', 'gru'];

function data(seed: number, n: number, size: number): Float32Array {
  const rand = xorshift(seed);
  return Float32Array.from({ length: n * size }, () => rand() * 2 - 1);
}


const nnLayer = { simpleRNN: nn.layers.simpleRNN, lstm: nn.layers.lstm, gru: nn.layers.gru };
const tfLayer = { simpleRNN: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru };

/** The same one-layer model in both libraries, TF.js holding nnplay's initial weights. */
function pair(cell: Cell, options: Record<string, unknown>, seed: number, lr: number) {
  const opts = { units: UNITS, ...(cell === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' }), ...options };
  const model = nn.sequential({ layers: [nnLayer[cell]({ inputShape: [STEPS, FEATURES], ...opts } as nn.LSTMLayerArgs)], seed });
  model.compile({ optimizer: nn.train.sgd(lr), loss: 'meanSquaredError' });
  const tmodel = tf.sequential({ layers: [tfLayer[cell]({ inputShape: [STEPS, FEATURES], ...opts } as Parameters<typeof tf.layers.lstm>[0])] });
  const initial = model.getWeights();
  const tInitial = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
  tmodel.setWeights(tInitial);
  tmodel.compile({ optimizer: tf.train.sgd(lr), loss: 'meanSquaredError' });
  const dispose = () => {
    disposeAll(model, ...initial);
    tf.dispose(tInitial);
    tmodel.dispose();
  };
  return { model, tmodel, initial, dispose };
}

describe('parity with TF.js 4.22', () => {
  test.each(cells)('%s: inference with dropout and recurrentDropout is the layer without masks', (cell) => {
    const { model, tmodel, dispose } = pair(cell, { dropout: 0.3, recurrentDropout: 0.4, returnSequences: true }, 3, 0.1);
    const n = 6;
    const x = data(5, n, STEPS * FEATURES);
    const nx = nn.tensor(x, [n, STEPS, FEATURES]);
    const tx = tf.tensor(x, [n, STEPS, FEATURES]);
    const np = model.predict(nx) as nn.Tensor;
    const tp = tmodel.predict(tx) as tf.Tensor;
    expectClose(np.dataSync(), tp.dataSync(), `${cell}: predict`, 1e-5, 1e-6);
    // and evaluate (inference too) twice gives the same figure: nothing random at inference
    const ny = nn.tensor(new Float32Array(n * STEPS * UNITS), [n, STEPS, UNITS]);
    const r1 = model.evaluate(nx, ny) as nn.Tensor;
    const r2 = model.evaluate(nx, ny) as nn.Tensor;
    expect(r2.dataSync()[0]).toBe(r1.dataSync()[0]);
    disposeAll(nx, np, ny, r1, r2);
    tf.dispose([tx, tp]);
    dispose();
  });

  // Rates of 1e-7: the masks are drawn and applied (the training path with masks runs, scale
  // 1 / (1 − 1e-7)) but drop nothing in either library, so one SGD step must agree exactly.
  test.each(cells)('%s: the masked training path takes TF.js\'s SGD step when nothing is dropped', async (cell) => {
    const { model, tmodel, initial, dispose } = pair(cell, { dropout: 1e-7, recurrentDropout: 1e-7 }, 31, 0.5);
    const n = 6;
    const x = data(5, n, STEPS * FEATURES);
    const y = data(9, n, UNITS).map((v) => v * 0.8);
    const nx = nn.tensor(x, [n, STEPS, FEATURES]);
    const ny = nn.tensor(y, [n, UNITS]);
    const tx = tf.tensor(x, [n, STEPS, FEATURES]);
    const ty = tf.tensor(y, [n, UNITS]);
    await model.fit(nx, ny, { epochs: 1, batchSize: n, shuffle: false });
    await tmodel.fit(tx, ty, { epochs: 1, batchSize: n, shuffle: false });
    const after = model.getWeights();
    const tAfter = tmodel.getWeights();
    after.forEach((w, i) => {
      const before = initial[i].dataSync();
      const nd = w.dataSync().map((v, j) => v - before[j]);
      const td = (tAfter[i].dataSync() as Float32Array).map((v, j) => v - before[j]);
      expect(Math.max(...td.map(Math.abs)), `${cell}: weight ${i} moves`).toBeGreaterThan(1e-4);
      expectClose(nd, td, `${cell}: change of weight ${i}`, 2e-3, 2e-6);
    });
    disposeAll(nx, ny, ...after);
    tf.dispose([tx, ty]);
    dispose();
  });

  // Real rates: the training loss (before the step; learning rate ~0) over 20,000 sequences in
  // one batch is an average over 20,000 draws of the masks, in both libraries; the two means
  // agree to a few percent (run to run, TF.js's moves by about 1 %), and dropout moves them away
  // from the inference loss.
  test.each(cells)('%s: training loss with dropout 0.5 / recurrentDropout 0.5 matches TF.js in the mean', async (cell) => {
    const { model, tmodel, dispose } = pair(cell, { dropout: 0.5, recurrentDropout: 0.5, biasInitializer: 'glorotUniform' }, 8, 1e-12);
    const n = 20000;
    const x = data(15, n, STEPS * FEATURES).map((v) => v * 2);
    const y = new Float32Array(n * UNITS).fill(0.5);
    const nx = nn.tensor(x, [n, STEPS, FEATURES]);
    const ny = nn.tensor(y, [n, UNITS]);
    const tx = tf.tensor(x, [n, STEPS, FEATURES]);
    const ty = tf.tensor(y, [n, UNITS]);
    const evaluated = model.evaluate(nx, ny) as nn.Tensor;
    const inference = evaluated.dataSync()[0];
    const nTrain = (await model.fit(nx, ny, { epochs: 1, batchSize: n, shuffle: false })).history.loss[0];
    const tTrain = (await tmodel.fit(tx, ty, { epochs: 1, batchSize: n, shuffle: false })).history.loss[0] as number;
    expect(Math.abs(nTrain - tTrain) / tTrain, `${cell}: nnplay ${nTrain} vs TF.js ${tTrain}`).toBeLessThan(0.04);
    expect(Math.abs(tTrain - inference) / inference, `${cell}: TF.js training ${tTrain} vs inference ${inference}`).toBeGreaterThan(0.05);
    disposeAll(nx, ny, evaluated);
    tf.dispose([tx, ty]);
    dispose();
  });
});

describe('library', () => {
  test('same seed, same bits after training with dropout; the rates round-trip', async () => {
    const make = () => {
      const m = nn.sequential({
        layers: [
          nn.layers.bidirectional({ layer: nn.layers.gru({ units: 3, dropout: 0.25, recurrentDropout: 0.5, returnSequences: true }), inputShape: [STEPS, FEATURES] }),
          nn.layers.lstm({ units: 2, dropout: 0.2, recurrentDropout: 0.3 }),
        ],
        seed: 12,
      });
      m.compile({ optimizer: nn.train.adam(0.05), loss: 'meanSquaredError' });
      return m;
    };
    const a = make();
    const b = make();
    const x = nn.tensor(data(2, 16, STEPS * FEATURES), [16, STEPS, FEATURES]);
    const y = nn.tensor(data(3, 16, 2), [16, 2]);
    await a.fit(x, y, { epochs: 3, batchSize: 4 });
    await b.fit(x, y, { epochs: 3, batchSize: 4 });
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((w, i) => expect(Array.from(wb[i].dataSync())).toEqual(Array.from(w.dataSync())));
    expect(a.layers[1].getConfig()).toMatchObject({ dropout: 0.2, recurrentDropout: 0.3 });
    const copy = nn.models.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect((copy.layers[1].getConfig().dropout as number)).toBeCloseTo(0.2, 6);
    disposeAll(a, b, copy, x, y, ...wa, ...wb);
  });

  test('rates outside [0, 1) are named', () => {
    expect(() => nn.layers.gru({ units: 2, dropout: 1 })).toThrow(/layers.gru\(\): dropout must be a number in \[0, 1\).*got 1/);
    expect(() => nn.layers.lstm({ units: 2, recurrentDropout: -0.1 })).toThrow(/recurrentDropout must be a number in \[0, 1\)/);
    expect(() => nn.layers.simpleRNN({ units: 2, dropout: 'half' as unknown as number })).toThrow(/dropout must be a number/);
  });
});

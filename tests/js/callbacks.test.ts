// nn.callbacks.earlyStopping: the same stopping epoch as TF.js 4.22's tf.callbacks.earlyStopping
// on the same sequences of logs (min and max monitors, minDelta, patience, baseline), a real
// fit() that stops early with a history as long as the epochs it trained, restoreBestWeights
// (Keras's) leaving the best epoch's weights in-process and through the fit worker, and clear errors.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { channelFitWorker, weightsOf } from './helpers';

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  expect(nn.memory().numTensors).toBe(0);
  expect(nn.memory().numModels).toBe(0);
});

interface Driven {
  setModel(m: { stopTraining: boolean }): void;
  onTrainBegin?(logs?: unknown): unknown;
  onEpochEnd?(epoch: number, logs: Record<string, number>): unknown;
}

/** Runs a callback over per-epoch logs as fit() would; the epoch after which it stopped, or null. */
async function stopEpoch(cb: Driven, logs: Record<string, number>[], model: { stopTraining: boolean } = { stopTraining: false }): Promise<number | null> {
  model.stopTraining = false;
  cb.setModel(model);
  await cb.onTrainBegin?.({});
  for (let e = 0; e < logs.length; e++) {
    await cb.onEpochEnd?.(e, logs[e]);
    if (model.stopTraining) return e;
  }
  return null;
}

const losses = [1.0, 0.8, 0.79, 0.795, 0.7, 0.71, 0.72, 0.705, 0.73, 0.74];
const accs = [0.5, 0.6, 0.65, 0.64, 0.66, 0.66, 0.659, 0.7, 0.69, 0.68];
const cases: [string, nn.EarlyStoppingArgs][] = [
  ['val_loss, patience 0', {}],
  ['val_loss, patience 2', { patience: 2 }],
  ['val_loss, minDelta 0.02, patience 1', { minDelta: 0.02, patience: 1 }],
  ['val_acc (auto: max), patience 1', { monitor: 'val_acc', patience: 1 }],
  ['val_acc, minDelta 0.015, patience 2', { monitor: 'val_acc', minDelta: 0.015, patience: 2 }],
  ['loss, mode max (an odd choice, kept as given)', { monitor: 'val_loss', mode: 'max', patience: 1 }],
  ['val_loss, baseline 0.75, patience 2', { baseline: 0.75, patience: 2 }],
];

describe('earlyStopping', () => {
  for (const [name, args] of cases) {
    test(`stops where TF.js 4.22 stops: ${name}`, async () => {
      const logs = losses.map((l, i) => ({ loss: l, val_loss: l, val_acc: accs[i] }));
      const ours = await stopEpoch(nn.callbacks.earlyStopping(args) as unknown as Driven, logs);
      // TF.js's callback takes only a real LayersModel.
      const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      tfModel.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const theirs = await stopEpoch(tf.callbacks.earlyStopping(args as Parameters<typeof tf.callbacks.earlyStopping>[0]) as unknown as Driven, logs, tfModel);
      tfModel.dispose();
      expect(ours).toBe(theirs);
    });
  }

  test('a fit() stops early: history holds the epochs trained', async () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
    model.compile({ optimizer: nn.train.sgd(0.01), loss: 'meanSquaredError' });
    const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = nn.tensor2d([[0], [1], [1], [2]]);
    // No epoch improves the loss by 10: the first sets the best, two more without, then stop.
    const history = await model.fit(xs, ys, { epochs: 20, batchSize: 4, callbacks: nn.callbacks.earlyStopping({ monitor: 'loss', minDelta: 10, patience: 2 }) });
    expect(history.epoch).toEqual([0, 1, 2]);
    // A plain-object callback beside it still runs, and a second fit() starts afresh.
    const seen: number[] = [];
    const again = await model.fit(xs, ys, { epochs: 5, batchSize: 4, callbacks: [nn.callbacks.earlyStopping({ monitor: 'loss', patience: 10 }), { onEpochEnd: (e) => void seen.push(e) }] });
    expect(again.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    nn.dispose([xs, ys]);
    model.dispose();
  });

  // restoreBestWeights (Keras's; TF.js 4.22 refuses it): a small train set and a big network
  // overfit, the validation loss passes its minimum and earlyStopping stops `patience` epochs
  // later; the weights fit() ends with are a copy taken at the best epoch, in-process and through
  // the fit worker's protocol (the worker sends each epoch's weights back before onEpochEnd).
  for (const where of ['in-process', 'worker'] as const) {
    test(`restoreBestWeights (${where}): the weights after fit() are the best epoch's, the history as long as trained`, async () => {
      nn.setFitWorker(where === 'worker' ? { create: channelFitWorker } : 'never');
      const d = nn.datasets.points({ dataset: 'wave', numPoints: 300, noise: 20, trainRatio: 10, seed: 1 });
      const model = nn.sequential({
        layers: [
          nn.layers.dense({ inputShape: [1], units: 64, activation: 'relu' }),
          nn.layers.dense({ units: 64, activation: 'relu' }),
          nn.layers.dense({ units: 64, activation: 'relu' }),
          nn.layers.dense({ units: 1 }),
        ],
        seed: 1,
      });
      model.compile({ optimizer: nn.train.adam(0.01), loss: 'meanSquaredError' });
      const stopper = nn.callbacks.earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true });
      const snapshots: Float32Array[][] = [];
      const history = await model.fit(d.train.xs, d.train.ys, {
        epochs: 400,
        batchSize: 32,
        validationData: [d.test.xs, d.test.ys],
        // Listed first, so each epoch's snapshot is taken before earlyStopping sees the epoch.
        callbacks: [{ onEpochEnd: () => void snapshots.push(weightsOf(model)) }, stopper],
      });
      const val = history.history.val_loss;
      const best = val.indexOf(Math.min(...val));
      // It stopped: `patience` epochs after the best, well before 400.
      expect(history.epoch.length).toBe(best + 16);
      expect(history.epoch.length).toBeLessThan(400);
      expect(stopper.bestEpoch).toBe(best);
      expect(stopper.restoredEpoch).toBe(best);
      expect(stopper.stoppedEpoch).toBe(best + 15);
      // The weights are the best epoch's, bit for bit, and not the last epoch's.
      const after = weightsOf(model);
      expect(after).toEqual(snapshots[best]);
      expect(after).not.toEqual(snapshots[snapshots.length - 1]);
      // ... and the model computes the best epoch's validation loss again.
      const [again] = [model.evaluate(d.test.xs, d.test.ys) as nn.Tensor];
      expect(again.dataSync()[0]).toBeCloseTo(val[best], 5);
      again.dispose();
      // A further fit() trains on from the restored weights (the worker's replica gets them).
      const more = await model.fit(d.train.xs, d.train.ys, { epochs: 1, batchSize: 32, shuffle: false, validationData: [d.test.xs, d.test.ys] });
      expect(more.history.val_loss[0]).toBeLessThan(val[val.length - 1] + 0.05);
      nn.dispose([d.train.xs, d.train.ys, d.test.xs, d.test.ys]);
      model.dispose();
      nn.setFitWorker('auto');
    });
  }

  test('restoreBestWeights restores nothing when no epoch beats the baseline', async () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
    model.compile({ optimizer: nn.train.sgd(0.01), loss: 'meanSquaredError' });
    const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = nn.tensor2d([[0], [1], [1], [2]]);
    const stopper = nn.callbacks.earlyStopping({ monitor: 'loss', baseline: -1, patience: 1, restoreBestWeights: true });
    const history = await model.fit(xs, ys, { epochs: 10, batchSize: 4, callbacks: [stopper] });
    expect(history.epoch).toEqual([0]);
    expect(stopper.bestEpoch).toBe(-1);
    expect(stopper.restoredEpoch).toBe(-1);
    nn.dispose([xs, ys]);
    model.dispose();
  });

  test('bad options are named', () => {
    expect(() => nn.callbacks.earlyStopping({ patience: -1 })).toThrow(/patience must be a whole number of epochs from 0, got -1/);
    expect(() => nn.callbacks.earlyStopping({ restoreBestWeights: 'yes' as unknown as boolean })).toThrow(/restoreBestWeights must be true or false, got the string "yes"/);
    expect(() => nn.callbacks.earlyStopping({ monitor: 'val_loss', pateince: 2 } as nn.EarlyStoppingArgs)).toThrow(/unknown option "pateince"; allowed: monitor, minDelta, patience/);
    expect(() => nn.callbacks.earlyStopping({ mode: 'up' as 'max' })).toThrow(/mode must be 'auto', 'min' or 'max'/);
  });
});

// fit() keeps the data it loaded from tensors for the next fit() on the same tensors (a loop of
// short fits, as TF.js programs and the TensorFlow Playground protocol train), and lets it go
// when a tensor is disposed, the model is recompiled or disposed. Keeping it must not change a
// single bit of the training.
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';
import { blobs, disposeAll, weightsOf } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

function net(): nn.Sequential {
  const model = nn.sequential({
    seed: 11,
    layers: [nn.layers.dense({ inputShape: [2], units: 5, activation: 'tanh' }), nn.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  model.compile({ optimizer: nn.train.sgd(0.2), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('repeated fit() on the same tensors loads them once and trains exactly as on fresh copies', async () => {
  const { x, y } = blobs(60, 5);
  const xs = nn.tensor2d(x, [60, 2]);
  const ys = nn.tensor2d(y, [60, 1]);
  const kept = net();
  const fresh = net();
  const session = kept.trainingSession();
  const keptLosses: number[] = [];
  const freshLosses: number[] = [];
  for (let call = 0; call < 4; call++) {
    const h = await kept.fit(xs, ys, { epochs: 3, batchSize: 8 });
    keptLosses.push(...h.history.loss);
    // The one dataset stays loaded between calls (not one per call, not reloaded).
    expect(session.datasetCount).toBe(1);
    const fx = nn.tensor2d(x.slice(), [60, 2]);
    const fy = nn.tensor2d(y.slice(), [60, 1]);
    const g = await fresh.fit(fx, fy, { epochs: 3, batchSize: 8 });
    freshLosses.push(...g.history.loss);
    disposeAll(fx, fy);
  }
  expect(keptLosses).toEqual(freshLosses);
  const a = weightsOf(kept);
  const b = weightsOf(fresh);
  a.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b[i])));
  // Fresh tensors were disposed after each call, so their copies were freed.
  expect(fresh.trainingSession().datasetCount).toBe(0);

  xs.dispose();
  expect(session.datasetCount).toBe(0);
  disposeAll(ys, kept, fresh);
});

test('validation data is kept too; recompiling and disposing the model free what was kept', async () => {
  const { x, y } = blobs(40, 6);
  const xs = nn.tensor2d(x.subarray(0, 60), [30, 2]);
  const ys = nn.tensor2d(y.subarray(0, 30), [30, 1]);
  const xv = nn.tensor2d(x.subarray(60), [10, 2]);
  const yv = nn.tensor2d(y.subarray(30), [10, 1]);
  const model = net();
  const session = model.trainingSession();
  const first = await model.fit(xs, ys, { epochs: 2, validationData: [xv, yv] });
  expect(session.datasetCount).toBe(2);
  const second = await model.fit(xs, ys, { epochs: 2, validationData: [xv, yv] });
  expect(session.datasetCount).toBe(2);
  expect(second.history.val_loss.length).toBe(2);
  expect(first.history.val_loss[0]).not.toBe(second.history.val_loss[0]); // the model trained on

  // validationSplit cuts the tensors per call: nothing kept beyond the call.
  model.compile({ optimizer: nn.train.sgd(0.2), loss: 'binaryCrossentropy' });
  expect(session.datasetCount).toBe(0);
  await model.fit(xs, ys, { epochs: 1, validationSplit: 0.2 });
  expect(session.datasetCount).toBe(0);

  await model.fit(xs, ys, { epochs: 1 });
  expect(session.datasetCount).toBe(1);
  const before = nn.memory().numTensors;
  model.dispose();
  expect(nn.memory().numTensors).toBe(before);
  disposeAll(xs, ys, xv, yv);
});

test('a disposed tensor that was kept is an error in the next fit(), not stale data', async () => {
  const { x, y } = blobs(20, 7);
  const xs = nn.tensor2d(x, [20, 2]);
  const ys = nn.tensor2d(y, [20, 1]);
  const model = net();
  await model.fit(xs, ys, { epochs: 1 });
  xs.dispose();
  await expect(model.fit(xs, ys, { epochs: 1 })).rejects.toThrow(/disposed/);
  expect(model.trainingSession().datasetCount).toBe(0);
  disposeAll(ys, model);
});

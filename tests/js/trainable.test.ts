// layer.trainable = false (Keras / TF.js): a frozen layer's weights do not change during fit
// while the others do; they stay in getWeights() and saved files; the change takes effect at
// compile (TF.js semantics) and survives a save / load.
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';
import { disposeAll, weightsOf } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

function data() {
  const n = 32;
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = Math.sin(i);
    x[2 * i + 1] = Math.cos(1.3 * i);
    y[i] = x[2 * i] * x[2 * i + 1];
  }
  return { xs: nn.tensor(x, [n, 2]), ys: nn.tensor(y, [n, 1]) };
}

test('a frozen layer keeps its weights during fit while the others train', async () => {
  const hidden = nn.layers.dense({ inputShape: [2], units: 6, activation: 'tanh', name: 'hidden' });
  const out = nn.layers.dense({ units: 1, name: 'out' });
  const model = nn.sequential({ layers: [hidden, out], seed: 4 });
  const { xs, ys } = data();
  hidden.trainable = false;
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'meanSquaredError' });
  expect(model.inspection.trainableParams).toBe(7);
  expect(model.inspection.nonTrainableParams).toBe(18);
  expect(model.summary()).toMatch(/Non-trainable params: 18/);
  const before = weightsOf(model);
  const h = await model.fit(xs, ys, { epochs: 5, batchSize: 8 });
  expect(h.history.loss[4]).toBeLessThan(h.history.loss[0]);
  const after = weightsOf(model);
  // Keras order: trainable (out/kernel, out/bias) first, then the frozen hidden/kernel, hidden/bias.
  const names = nn.parseModelJSON(model.toJSON(), 'test').weights.map((w) => w.name);
  expect(names).toEqual(['out/kernel', 'out/bias', 'hidden/kernel', 'hidden/bias']);
  expect(after[2]).toEqual(before[2]);
  expect(after[3]).toEqual(before[3]);
  expect(after[0]).not.toEqual(before[0]);
  // Saved and loaded: still frozen, same weights.
  const json = model.toJSON();
  expect(json.graph.layers.find((l) => l.name === 'hidden')?.config).toMatchObject({ trainable: false });
  const copy = nn.models.fromJSON(JSON.stringify(json));
  expect(copy.getLayer('hidden').trainable).toBe(false);
  expect(weightsOf(copy)).toEqual(after);
  // Unfrozen: takes effect at the next compile, keeping the weights; then every layer trains.
  hidden.trainable = true;
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'meanSquaredError' });
  // Same values; in Keras order hidden's weights are trainable, so first, again.
  expect(weightsOf(model)).toEqual([after[2], after[3], after[0], after[1]]);
  await model.fit(xs, ys, { epochs: 2, batchSize: 8 });
  expect(weightsOf(model)[0]).not.toEqual(after[2]);
  expect(() => {
    (hidden as unknown as { trainable: unknown }).trainable = 'no';
  }).toThrow(/Dense\.trainable: must be true or false, got the string "no"/);
  disposeAll(xs, ys, model, copy);
});

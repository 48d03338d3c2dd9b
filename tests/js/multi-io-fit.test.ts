// Training a functional model with two inputs and two outputs: a loss per output, lossWeights,
// Keras's log names, TF.js's data forms (arrays in model order, maps by layer name), the same
// numbers in-process and through the fit worker protocol, and errors that say what is expected.
import * as nn from 'nnplay';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, weightsOf, channelFitWorker } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

afterEach(() => {
  nn.setFitWorker('auto');
});


// a [4] → tanh → reg [2] (regression of a's first features); b [3] → relu → cls [1] sigmoid
// (is b's sum positive?); both heads also see the other input through a concatenate.
function twoByTwo(seed = 9): nn.LayersModel {
  const a = nn.input({ shape: [4], name: 'a' });
  const b = nn.input({ shape: [3], name: 'b' });
  const ha = nn.layers.dense({ units: 8, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = nn.layers.dense({ units: 8, activation: 'relu', name: 'hb' }).apply(b);
  const both = nn.layers.concatenate({ name: 'both' }).apply([ha, hb]);
  const reg = nn.layers.dense({ units: 2, name: 'reg' }).apply(both);
  const cls = nn.layers.dense({ units: 1, activation: 'sigmoid', name: 'cls' }).apply(both);
  return nn.model({ inputs: [a, b], outputs: [reg, cls], seed, name: 'two_by_two' });
}

function data(n: number, seed: number) {
  const va = new Float32Array(n * 4);
  const vb = new Float32Array(n * 3);
  const vr = new Float32Array(n * 2);
  const vc = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) va[i * 4 + j] = Math.sin(seed + i * 4 + j);
    for (let j = 0; j < 3; j++) vb[i * 3 + j] = Math.cos(seed * 3 + i * 3 + j * 1.7);
    vr[i * 2] = 0.5 * va[i * 4] - va[i * 4 + 1];
    vr[i * 2 + 1] = va[i * 4 + 2] * va[i * 4 + 3];
    vc[i] = vb[i * 3] + vb[i * 3 + 1] + vb[i * 3 + 2] > 0 ? 1 : 0;
  }
  return {
    a: nn.tensor(va, [n, 4]),
    b: nn.tensor(vb, [n, 3]),
    reg: nn.tensor(vr, [n, 2]),
    cls: nn.tensor(vc, [n, 1]),
  };
}

function compiled(seed = 9): nn.LayersModel {
  const model = twoByTwo(seed);
  model.compile({
    optimizer: nn.train.adam(0.02),
    loss: { reg: 'meanSquaredError', cls: 'binaryCrossentropy' },
    lossWeights: { reg: 1, cls: 0.5 },
    metrics: ['mae'],
  });
  return model;
}

describe('fit / evaluate / predict with two inputs and two outputs', () => {
  test('trains with a loss per output and lossWeights: Keras log names, the loss falls', async () => {
    const model = compiled();
    const d = data(64, 1);
    const v = data(16, 2);
    const epochEnds: string[][] = [];
    const history = await model.fit([d.a, d.b], [d.reg, d.cls], {
      epochs: 12,
      batchSize: 8,
      validationData: [{ a: v.a, b: v.b }, { cls: v.cls, reg: v.reg }],
      callbacks: { onEpochEnd: (_e, logs) => void epochEnds.push(Object.keys(logs)) },
    });
    const names = ['loss', 'reg_loss', 'cls_loss', 'reg_mae', 'cls_mae'];
    expect(Object.keys(history.history)).toEqual([...names, ...names.map((k) => `val_${k}`)]);
    expect(epochEnds[0]).toEqual(Object.keys(history.history));
    const loss = history.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(0.6 * loss[0]);
    expect(history.history.val_loss[11]).toBeLessThan(history.history.val_loss[0]);
    // Each epoch's total is the weighted sum of the per-output losses (means over the samples).
    for (let e = 0; e < 12; e++) {
      expect(loss[e]).toBeCloseTo(history.history.reg_loss[e] + 0.5 * history.history.cls_loss[e], 5);
    }
    disposeAll(...Object.values(d), ...Object.values(v), model);
  });

  test('evaluate returns [loss, reg_loss, cls_loss, metrics...]; the total is the weighted sum', async () => {
    const model = compiled();
    const d = data(40, 3);
    await model.fit({ a: d.a, b: d.b }, { reg: d.reg, cls: d.cls }, { epochs: 2, batchSize: 10 });
    const result = model.evaluate([d.a, d.b], [d.reg, d.cls], { batchSize: 7 }) as nn.Tensor[];
    expect(result).toHaveLength(5);
    const [total, reg, cls] = result.map((t) => t.dataSync()[0]);
    expect(total).toBeCloseTo(reg + 0.5 * cls, 5);
    // The per-output losses computed by hand from predict().
    const [pr, pc] = (model.predict({ a: d.a, b: d.b }) as nn.Tensor[]).map((t) => t);
    const r = pr.dataSync();
    const c = pc.dataSync();
    const yr = d.reg.dataSync();
    const yc = d.cls.dataSync();
    let mse = 0;
    for (let i = 0; i < yr.length; i++) mse += (r[i] - yr[i]) ** 2;
    mse /= yr.length;
    let bce = 0;
    const eps = 1e-7;
    for (let i = 0; i < yc.length; i++) {
      const p = Math.min(Math.max(c[i], eps), 1 - eps);
      bce -= yc[i] * Math.log(p) + (1 - yc[i]) * Math.log(1 - p);
    }
    bce /= yc.length;
    expect(reg).toBeCloseTo(mse, 4);
    expect(cls).toBeCloseTo(bce, 4);
    disposeAll(...result, pr, pc, ...Object.values(d), model);
  });

  test('in-process and worker fit give identical histories and weights', async () => {
    const run = async (mode: 'worker' | 'in-process') => {
      nn.setFitWorker(mode === 'worker' ? { create: channelFitWorker } : 'never');
      const model = compiled(21);
      const d = data(50, 4);
      const h1 = await model.fit([d.a, d.b], [d.reg, d.cls], { epochs: 3, batchSize: 6, validationSplit: 0.2 });
      const h2 = await model.fit({ b: d.b, a: d.a }, [d.reg, d.cls], { epochs: 2, batchSize: 6 });
      const weights = weightsOf(model);
      disposeAll(...Object.values(d), model);
      return { h1: h1.history, h2: h2.history, weights };
    };
    const local = await run('in-process');
    const remote = await run('worker');
    expect(remote.h1).toEqual(local.h1);
    expect(remote.h2).toEqual(local.h2);
    expect(remote.weights).toEqual(local.weights);
    expect(Object.keys(local.h1)).toContain('val_cls_loss');
  });

  test('wrong numbers of tensors, unknown or missing names, bad shapes and values say what is expected', async () => {
    const model = compiled();
    const d = data(8, 5);
    await expect(model.fit(d.a, [d.reg, d.cls])).rejects.toThrow(
      /fit\(\): xs: the model has 2 inputs \(a \[4\], b \[3\]\); give a list of 2 tensors \(model\.inputs order\) or an object \{a: \.\.\., b: \.\.\.\} by input name, got one tensor/,
    );
    await expect(model.fit([d.a], [d.reg, d.cls])).rejects.toThrow(/xs: the model has 2 inputs .* got a list of 1/);
    await expect(model.fit([d.a, d.b], [d.reg])).rejects.toThrow(/ys: the model has 2 outputs \(reg \[2\], cls \[1\]\); give a list of 2 tensors \(model\.outputs order\) or an object \{reg: \.\.\., cls: \.\.\.\} by output name, got a list of 1/);
    await expect(model.fit({ a: d.a, c: d.b }, [d.reg, d.cls])).rejects.toThrow(/xs names input "c", which the model does not have; its inputs: a, b/);
    await expect(model.fit([d.a, d.b], { reg: d.reg })).rejects.toThrow(/ys gives no tensor for output "cls"; give one per output \(reg, cls\)/);
    await expect(model.fit([d.a, d.b], { reg: d.reg, cls: d.cls, out: d.cls })).rejects.toThrow(/ys names output "out", which the model does not have; its outputs: reg, cls/);
    await expect(model.fit([d.b, d.a], [d.reg, d.cls])).rejects.toThrow(/xs\[0\] \(input "a"\) must have shape \[samples, 4\], got \[8,3\]/);
    await expect(model.fit([d.a, d.b], [d.cls, d.reg])).rejects.toThrow(/ys\[0\] \(output "reg"\) must have shape \[8, 2\], got \[8,1\] \(output "reg" has 2 units\)/);
    const short = nn.tensor(new Float32Array(7 * 3), [7, 3]);
    await expect(model.fit([d.a, short], [d.reg, d.cls])).rejects.toThrow(/xs\[1\] \(input "b"\) has 7 samples, xs\[0\] \(input "a"\) has 8; they must match/);
    await expect(model.fit([d.a, d.b], [d.reg, d.cls], { validationData: [[d.a, d.b], d.reg] })).rejects.toThrow(/validationData\[1\]: the model has 2 outputs/);
    // A non-finite value is named by its tensor, sample and feature (the engine finds it at load).
    const bad = d.b.dataSync().slice();
    bad[5] = NaN;
    const tb = nn.tensor(bad, [8, 3]);
    await expect(model.fit([d.a, tb], [d.reg, d.cls])).rejects.toThrow(/xs\[1\] \(input "b"\) contains NaN at index 5 \(sample 1, feature 2\)/);
    const badY = d.reg.dataSync().slice();
    badY[3] = Infinity;
    const ty = nn.tensor(badY, [8, 2]);
    expect(() => model.evaluate([d.a, d.b], [ty, d.cls])).toThrow(/ys\[0\] \(output "reg"\) contains Infinity at index 3 \(sample 1\); targets must be finite/);
    disposeAll(short, tb, ty, ...Object.values(d), model);
  });

  test('toJSON → fromJSON keeps the loss per output and lossWeights, so the reloaded model evaluates the same', async () => {
    const model = compiled(4);
    const d = data(20, 6);
    await model.fit([d.a, d.b], [d.reg, d.cls], { epochs: 2, batchSize: 5 });
    const json = model.toJSON();
    expect(json.compile).toMatchObject({ loss: ['meanSquaredError', 'binaryCrossentropy'], lossWeights: [1, 0.5] });
    const copy = nn.models.fromJSON(JSON.stringify(json));
    expect(copy.compiledWith).toEqual(model.compiledWith);
    const e1 = (model.evaluate([d.a, d.b], [d.reg, d.cls]) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    const e2 = (copy.evaluate([d.a, d.b], [d.reg, d.cls]) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    expect(e2).toEqual(e1);
    disposeAll(...Object.values(d), model, copy);
  });

  test('one-input, one-output models still take a plain tensor, a list of one or a map', async () => {
    const x = nn.input({ shape: [2], name: 'x' });
    const y = nn.layers.dense({ units: 1, name: 'y' }).apply(x);
    const model = nn.model({ inputs: x, outputs: y, seed: 3 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = nn.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ys = nn.tensor2d([[1], [2], [3]]);
    const h = await model.fit({ x: xs }, { y: ys }, { epochs: 1 });
    expect(Object.keys(h.history)).toEqual(['loss']);
    const p1 = model.predict(xs) as nn.Tensor;
    const p2 = model.predict({ x: xs }) as nn.Tensor;
    const p3 = model.predict([xs]) as nn.Tensor;
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
    expect(Array.from(p3.dataSync())).toEqual(Array.from(p1.dataSync()));
    const e1 = model.evaluate([xs], [ys]) as nn.Tensor;
    const e2 = model.evaluate(xs, ys) as nn.Tensor;
    expect(e1.dataSync()[0]).toBe(e2.dataSync()[0]);
    disposeAll(xs, ys, p1, p2, p3, e1, e2, model);
  });
});

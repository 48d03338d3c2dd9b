// Gradients through a model's forward pass: model.apply() / predict() inside nn.grad(s),
// variableGrads and optimizer.minimize is one tape entry whose backward the engine computes
// (TrainingSession.vectorJacobian). Checked against central differences of the model's own
// predictions (float forward, difference in double), against TF.js 4.22 for one SGD step from
// the same weights (to 1e-5), for tensor counts, for model weights as variables (no varList:
// every trainable variable, model weights included; an explicit varList: only those), for the
// next fit/predict seeing the new weights, for determinism with dropout, and for clear errors.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { xorshift } from './helpers';

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});

afterAll(() => {
  expect(nn.memory().numTensors).toBe(0);
});

afterEach((ctx) => {
  // Every test disposes what it made (models take their weights' variables with them).
  expect(nn.memory().numTensors, ctx.task.name).toBe(0);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;

function values(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = xorshift(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

// a [3] -> shared (dense 4, tanh) --------------------------------------> out0
// b [2] -> proj (dense 3) -> shared (its 2nd call) -> head (dense 2, sigmoid) -> out1
function branching(lib: typeof nn, seed = 7): nn.LayersModel {
  const a = lib.input({ shape: [3], name: 'a' });
  const b = lib.input({ shape: [2], name: 'b' });
  const shared = lib.layers.dense({ units: 4, activation: 'tanh', name: 'shared', biasInitializer: 'glorotUniform' });
  const out0 = shared.apply(a) as nn.SymbolicTensor;
  const proj = lib.layers.dense({ units: 3, name: 'proj' }).apply(b) as nn.SymbolicTensor;
  const out1 = lib.layers.dense({ units: 2, activation: 'sigmoid', name: 'head' }).apply(shared.apply(proj) as nn.SymbolicTensor) as nn.SymbolicTensor;
  return lib.model({ inputs: [a, b], outputs: [out0, out1], seed });
}

// f(a, b) = Σ c0 ⊙ out0 + Σ out1², a scalar of both outputs.
function objective(outs: nn.Tensor[], c0: nn.Tensor): nn.Tensor {
  return nn.add(nn.sum(nn.mul(outs[0], c0)), nn.sum(nn.square(outs[1])));
}

/** A model's weights as arrays (nnplay's getWeights() copies are disposed; TF.js's are its own). */
function weightValues(model: Lib): number[][] {
  const ws = model.getWeights();
  const out = ws.map((t: nn.Tensor) => Array.from(t.dataSync()));
  if (model instanceof nn.LayersModel) nn.dispose(ws);
  return out;
}

function centralDifference(x: Float32Array, f: () => number, h = 1e-2): number[] {
  const g: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = Math.fround(old + h);
    const xp = x[i];
    const fp = f();
    x[i] = Math.fround(old - h);
    const xm = x[i];
    const fm = f();
    x[i] = old;
    g.push((fp - fm) / (xp - xm));
  }
  return g;
}

function expectClose(analytic: ArrayLike<number>, numeric: number[], rtol = 2e-2, atol = 2e-4): void {
  expect(analytic.length).toBe(numeric.length);
  for (let i = 0; i < numeric.length; i++) {
    if (!(Math.abs(analytic[i] - numeric[i]) <= atol + rtol * Math.abs(numeric[i]))) {
      throw new Error(`index ${i}: analytic ${analytic[i]} vs numeric ${numeric[i]}`);
    }
  }
}

describe('gradients through a model', () => {
  test('nn.grads through a two-input, two-output model with a shared layer match finite differences of predict', () => {
    const model = branching(nn);
    const a = values(5 * 3, 1), b = values(5 * 2, 2);
    const c0 = nn.tensor(values(5 * 4, 3), [5, 4]);
    const f = (x: nn.Tensor, y: nn.Tensor) => objective(model.apply([x, y]) as nn.Tensor[], c0);
    const args = [nn.tensor(a, [5, 3]), nn.tensor(b, [5, 2])];
    const [da, db] = nn.grads(f)(args);
    const value = () =>
      nn.tidy(() => {
        const outs = model.predict([nn.tensor(a, [5, 3]), nn.tensor(b, [5, 2])]) as nn.Tensor[];
        return objective(outs, c0).dataSync()[0];
      });
    expectClose(da.dataSync(), centralDifference(a, value));
    expectClose(db.dataSync(), centralDifference(b, value));
    nn.dispose([da, db, c0, ...args]);
    model.dispose();
  });

  test('variableGrads of the trainable weights match finite differences (each weight read back after setWeights)', () => {
    const model = branching(nn);
    const a = nn.tensor(values(4 * 3, 4), [4, 3]);
    const b = nn.tensor(values(4 * 2, 5), [4, 2]);
    const c0 = nn.tensor(values(4 * 4, 6), [4, 4]);
    const f = () => objective(model.apply([a, b]) as nn.Tensor[], c0);
    const { value, grads } = nn.variableGrads(f, model.trainableWeights);
    expect(Object.keys(grads).sort()).toEqual(['head/bias', 'head/kernel', 'proj/bias', 'proj/kernel', 'shared/bias', 'shared/kernel']);
    const weights = model.getWeights();
    const flat = weights.map((w) => w.dataSync());
    const evaluate = () =>
      nn.tidy(() => {
        model.setWeights(flat.map((v, i) => nn.tensor(v, weights[i].shape)));
        return objective(model.predict([a, b]) as nn.Tensor[], c0).dataSync()[0];
      });
    // getWeights() order is trainableWeights order here (no non-trainable weights).
    model.trainableWeights.forEach((w, i) => {
      expect(w.originalName).toBe(['shared/kernel', 'shared/bias', 'proj/kernel', 'proj/bias', 'head/kernel', 'head/bias'][i]);
      expectClose(grads[w.name].dataSync(), centralDifference(flat[i], evaluate));
    });
    nn.dispose([value, ...Object.values(grads), ...weights, a, b, c0]);
    model.dispose();
  });

  test('model.predict inside nn.grad is differentiable too (TF.js records it): the saliency form', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }), nn.layers.dense({ units: 2, activation: 'softmax' })], seed: 3 });
    const x = nn.tensor(values(2 * 3, 8), [2, 3]);
    const viaPredict = nn.grad((t) => (model.predict(t) as nn.Tensor).gather([1], 1).sum())(x);
    const viaApply = nn.grad((t) => (model.apply(t) as nn.Tensor).gather([1], 1).sum())(x);
    expect(Array.from(viaPredict.dataSync())).toEqual(Array.from(viaApply.dataSync()));
    // The engine's own saliency (TrainingSession.inputGradients) agrees.
    const session = model.trainingSession();
    const id = session.loadDataset({ x: x.dataSync(), y: null, n: 2, xSize: 3, ySize: 0 });
    const direct = session.inputGradients(id, [0, 1], 1);
    session.freeDataset(id);
    expectClose(viaPredict.dataSync(), Array.from(direct[0]), 1e-5, 1e-7);
    nn.dispose([x, viaPredict, viaApply]);
    model.dispose();
  });
});

// The same model in both libraries, nnplay's initial weights copied into TF.js's.
function twinModels(): { ours: nn.Sequential; theirs: tf.Sequential } {
  const ours = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 5, activation: 'tanh' }), nn.layers.dense({ units: 2 })], seed: 11 });
  const theirs = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 5, activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
  const initial = ours.getWeights();
  theirs.setWeights(initial.map((w) => tf.tensor(w.dataSync(), w.shape)));
  nn.dispose(initial);
  return { ours, theirs };
}

describe('optimizer.minimize through a model, against TF.js 4.22', () => {
  const x = values(6 * 3, 21);
  const y = values(6 * 2, 22);

  for (const [name, through] of [['model.apply', 'apply'], ['model.predict', 'predict']] as const) {
    test(`one SGD step through ${name} gives TF.js's weights and cost (1e-5)`, () => {
      const { ours, theirs } = twinModels();
      const step = (lib: Lib, model: Lib) => {
        const xs = lib.tensor2d(x, [6, 3]);
        const ys = lib.tensor2d(y, [6, 2]);
        const opt = lib.train.sgd(0.1);
        const cost = opt.minimize(() => {
          const out = through === 'apply' ? model.apply(xs) : model.predict(xs);
          return lib.mean(lib.square(lib.sub(out, ys)));
        }, true);
        const c = cost.dataSync()[0];
        const w = weightValues(model);
        lib.dispose([xs, ys, cost]);
        return { c, w };
      };
      const a = step(nn, ours);
      const b = step(tf, theirs);
      expect(Math.abs(a.c - b.c)).toBeLessThan(1e-5);
      a.w.forEach((w: number[], i: number) => expectClose(w, b.w[i], 0, 1e-5));
      ours.dispose();
      theirs.dispose();
    });
  }

  test('Adam steps with a plain variable beside the model: no varList trains both, as in TF.js', () => {
    const { ours, theirs } = twinModels();
    const run = (lib: Lib, model: Lib) => {
      const l = lib;
      const init = l.scalar(0.5);
      const scale = l.variable(init, true, `scale_${lib === nn ? 'nn' : 'tf'}`);
      init.dispose();
      const xs = l.tensor2d(x, [6, 3]);
      const ys = l.tensor2d(y, [6, 2]);
      const opt = l.train.adam(0.01);
      for (let k = 0; k < 3; k++) opt.minimize(() => l.mean(l.square(l.sub(l.mul(model.apply(xs), scale), ys))));
      const out = { scale: scale.dataSync()[0], w: weightValues(model) };
      l.dispose([scale, xs, ys]);
      return out;
    };
    const a = run(nn, ours);
    const b = run(tf, theirs);
    expect(Math.abs(a.scale - b.scale)).toBeLessThan(1e-5);
    expect(a.scale).not.toBe(0.5);
    a.w.forEach((w: number[], i: number) => expectClose(w, b.w[i], 0, 1e-5));
    ours.dispose();
    theirs.dispose();
  });

  test('an explicit varList updates only those variables; the next predict and fit see the new weights', async () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4, activation: 'tanh', name: 'hidden' }), nn.layers.dense({ units: 2, name: 'out' })], seed: 5 });
    const xs = nn.tensor2d(x, [6, 3]);
    const ys = nn.tensor2d(y, [6, 2]);
    const before = weightValues(model);
    const predictedBefore = nn.tidy(() => (model.predict(xs) as nn.Tensor).dataSync());
    const outLayer = model.getLayer('out');
    expect(outLayer.trainableWeights.map((w) => w.name)).toEqual(['out/kernel', 'out/bias']);
    const opt = nn.train.sgd(0.5);
    const loss = () => nn.mean(nn.square(nn.sub(model.apply(xs) as nn.Tensor, ys)));
    opt.minimize(loss, false, outLayer.trainableWeights);
    const after = weightValues(model);
    expect(after[0]).toEqual(before[0]); // hidden/kernel untouched
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).not.toEqual(before[2]); // out/kernel stepped
    // The variable reads the engine: its values are what getWeights() says.
    expect(Array.from(outLayer.trainableWeights[0].dataSync())).toEqual(after[2]);
    const predictedAfter = model.predict(xs) as nn.Tensor;
    expect(predictedAfter.dataSync()).not.toEqual(predictedBefore);
    // fit trains from the stepped weights, and the variables follow fit.
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(xs, ys, { epochs: 1, batchSize: 6 });
    const fitted = weightValues(model);
    expect(Array.from(model.trainableWeights[0].dataSync())).toEqual(fitted[0]);
    expect(fitted[0]).not.toEqual(after[0]);
    nn.dispose([xs, ys, predictedAfter]);
    model.dispose();
  });
});

describe('model weights as variables', () => {
  test('name, shape, trainable, read(), write(); layer.trainable false leaves them out of trainableWeights', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3, name: 'd1' }), nn.layers.batchNormalization({ name: 'bn' }), nn.layers.dense({ units: 1, name: 'd2' })], seed: 1 });
    expect(model.trainableWeights.map((w) => [w.name, w.shape])).toEqual([
      ['d1/kernel', [2, 3]],
      ['d1/bias', [3]],
      ['bn/gamma', [3]],
      ['bn/beta', [3]],
      ['d2/kernel', [3, 1]],
      ['d2/bias', [1]],
    ]);
    expect(model.nonTrainableWeights.map((w) => w.name)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    expect(model.weights.length).toBe(8);
    const kernel = model.trainableWeights[0];
    expect(kernel.read()).toBe(kernel);
    kernel.write([[1, 2, 3], [4, 5, 6]]);
    expect(weightValues(model)[0]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => kernel.assign([[1, 2], [3, 4]])).toThrow(/shape \[2,3\]/);
    expect(() => kernel.assign([[NaN, 2, 3], [4, 5, 6]])).toThrow(/NaN/);
    expect(Array.from(kernel.dataSync())).toEqual([1, 2, 3, 4, 5, 6]); // the refused write changed nothing
    model.getLayer('d1').trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta', 'd2/kernel', 'd2/bias']);
    model.dispose();
    expect(kernel.isDisposed).toBe(true); // the mirrors go with the last model holding them
  });

  test('a training-mode apply moves batch-norm moving statistics and draws a dropout mask; same seed, same bits', () => {
    const run = () => {
      const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 6, activation: 'relu' }), nn.layers.dropout({ rate: 0.5 }), nn.layers.batchNormalization(), nn.layers.dense({ units: 1 })], seed: 9 });
      const xs = nn.tensor2d(x6(), [6, 3]);
      const movingBefore = model.nonTrainableWeights[0].dataSync();
      const opt = nn.train.adam(0.05);
      for (let k = 0; k < 3; k++) opt.minimize(() => nn.mean(nn.square(model.apply(xs, { training: true }) as nn.Tensor)));
      const moving = model.nonTrainableWeights[0].dataSync();
      const inference = nn.tidy(() => (model.apply(xs) as nn.Tensor).dataSync());
      const again = nn.tidy(() => (model.apply(xs) as nn.Tensor).dataSync());
      const weights = weightValues(model);
      nn.dispose(xs);
      model.dispose();
      return { movingBefore, moving, inference, again, weights };
    };
    const x6 = () => values(18, 31);
    const first = run();
    const second = run();
    expect(first.moving).not.toEqual(first.movingBefore);
    expect(first.inference).toEqual(first.again); // inference draws no mask
    expect(second.weights).toEqual(first.weights);
    expect(second.moving).toEqual(first.moving);
  });

  test('tensor counts: steps after the first leave nn.memory().numTensors where it was (no leak)', () => {
    const model = branching(nn, 3);
    const a = nn.tensor(values(4 * 3, 41), [4, 3]);
    const b = nn.tensor(values(4 * 2, 42), [4, 2]);
    const opt = nn.train.adam(0.01);
    const step = () => opt.minimize(() => nn.tidy(() => {
      const [o0, o1] = model.apply([a, b]) as nn.Tensor[];
      return nn.add(nn.mean(nn.square(o0)), nn.mean(o1));
    }), true)!;
    step().dispose();
    const settled = nn.memory().numTensors;
    for (let k = 0; k < 4; k++) step().dispose();
    expect(nn.memory().numTensors).toBe(settled);
    const g = nn.grads((p: nn.Tensor, q: nn.Tensor) => nn.sum((model.apply([p, q]) as nn.Tensor[])[1]))([a, b]);
    expect(nn.memory().numTensors).toBe(settled + 2);
    nn.dispose([...g, a, b]);
    model.dispose();
  });
});

describe('clear errors', () => {
  test('apply on a disposed model, wrong input shapes and counts inside minimize, symbolic inputs, bad kwargs', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 2 })], seed: 1 });
    const opt = nn.train.sgd(0.1);
    const before = nn.memory().numTensors;
    const wrong = nn.tensor2d([[1, 2]]);
    expect(() => opt.minimize(() => nn.sum(model.apply(wrong) as nn.Tensor))).toThrow(/apply\(\): the input must have shape \[samples, 3\], got \[1,2\]/);
    const xs = nn.tensor2d([[1, 2, 3]]);
    expect(() => model.apply(xs, { training: 'yes' } as never)).toThrow(/training must be true or false/);
    expect(() => model.apply(xs, { train: true } as never)).toThrow(/unknown option "train"/);
    expect(() => model.apply(nn.input({ shape: [3] }) as never)).toThrow(/symbolic tensors .* not supported yet/);
    const two = branching(nn);
    expect(() => two.apply(xs)).toThrow(/the model has 2 inputs/);
    two.dispose();
    model.dispose();
    expect(() => model.apply(xs)).toThrow(/disposed/);
    expect(() => opt.minimize(() => nn.sum(model.predict(xs) as nn.Tensor))).toThrow(/disposed/);
    nn.dispose([wrong, xs]);
    expect(nn.memory().numTensors).toBe(before); // a throwing minimize leaves nothing behind
  });

  test('a model disposed between apply and the backward pass is named', () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })], seed: 2 });
    const x = nn.tensor2d([[1, 2]]);
    expect(() =>
      nn.grad((t: nn.Tensor) => {
        const y = nn.sum(model.apply(t) as nn.Tensor);
        model.dispose();
        return y;
      })(x),
    ).toThrow(/disposed .* before the gradient/);
    x.dispose();
  });
});

describe('compile with a loss function (yTrue, yPred) => tensor', () => {
  const x = values(6 * 3, 51);
  const y = values(6 * 2, 52);

  test("fit (with validation) and evaluate give TF.js's losses and weights from the same weights", async () => {
    const { ours, theirs } = twinModels();
    const run = async (lib: Lib, model: Lib) => {
      const xs = lib.tensor2d(x, [6, 3]);
      const ys = lib.tensor2d(y, [6, 2]);
      // Mean absolute plus squared error per sample, in ops.
      const loss = (yTrue: Lib, yPred: Lib) => lib.mean(lib.add(lib.abs(lib.sub(yTrue, yPred)), lib.square(lib.sub(yTrue, yPred))), -1);
      model.compile({ optimizer: lib.train.sgd(0.1), loss });
      const h = await model.fit(xs, ys, { epochs: 3, batchSize: 4, shuffle: false, validationData: [xs, ys] });
      const ev = model.evaluate(xs, ys);
      const out = { loss: h.history.loss as number[], val: h.history.val_loss as number[], evaluated: ev.dataSync()[0], w: weightValues(model) };
      lib.dispose([xs, ys, ev]);
      return out;
    };
    const a = await run(nn, ours);
    const b = await run(tf, theirs);
    expectClose(a.loss, b.loss, 0, 1e-5);
    expectClose(a.val, b.val, 0, 1e-5);
    expect(Math.abs(a.evaluated - b.evaluated)).toBeLessThan(1e-5);
    expect(a.loss[2]).toBeLessThan(a.loss[0]);
    a.w.forEach((w: number[], i: number) => expectClose(w, b.w[i], 0, 1e-5));
    ours.dispose();
    theirs.dispose();
  });

  test("trainOnBatch and fitDataset train with the function too (TF.js's losses and weights); classWeight with it is refused", async () => {
    const { ours, theirs } = twinModels();
    const run = async (lib: Lib, model: Lib) => {
      const loss = (yTrue: Lib, yPred: Lib) => lib.mean(lib.abs(lib.sub(yTrue, yPred)), -1);
      model.compile({ optimizer: lib.train.sgd(0.1), loss });
      const xs = lib.tensor2d(x, [6, 3]);
      const ys = lib.tensor2d(y, [6, 2]);
      const batchLosses = [(await model.trainOnBatch(xs, ys)) as number, (await model.trainOnBatch(xs, ys)) as number];
      const rows = Array.from({ length: 6 }, (_, i) => ({ xs: Array.from(x.slice(i * 3, i * 3 + 3)), ys: Array.from(y.slice(i * 2, i * 2 + 2)) }));
      const ds = lib.data.array(rows).map((r: { xs: number[]; ys: number[] }) => ({ xs: lib.tensor1d(r.xs), ys: lib.tensor1d(r.ys) })).batch(3);
      const h = await model.fitDataset(ds, { epochs: 2 });
      lib.dispose([xs, ys]);
      return { batchLosses, datasetLosses: h.history.loss as number[], w: weightValues(model) };
    };
    const a = await run(nn, ours);
    const b = await run(tf, theirs);
    expectClose(a.batchLosses, b.batchLosses, 0, 1e-5);
    expectClose(a.datasetLosses, b.datasetLosses, 0, 1e-5);
    expect(a.batchLosses[1]).toBeLessThan(a.batchLosses[0]);
    a.w.forEach((w: number[], i: number) => expectClose(w, b.w[i], 0, 1e-5));
    const xs = nn.tensor2d(x, [6, 3]);
    const ys = nn.tensor2d(y, [6, 2]);
    await expect(ours.fit(xs, ys, { epochs: 1, classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(/classWeight is not supported with a loss function/);
    nn.dispose([xs, ys]);
    ours.dispose();
    theirs.dispose();
  });

  test('what it does not take yet is named: several outputs, metrics, a regularizer', () => {
    const loss = (yTrue: nn.Tensor, yPred: nn.Tensor) => nn.mean(nn.square(nn.sub(yTrue, yPred)));
    const two = branching(nn);
    expect(() => two.compile({ optimizer: 'sgd', loss })).toThrow(/one output yet; this model has 2/);
    two.dispose();
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1, kernelRegularizer: 'l2' })], seed: 1 });
    expect(() => m.compile({ optimizer: 'sgd', loss })).toThrow(/adds a loss of its own \(kernelRegularizer\)/);
    m.dispose();
    const k = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })], seed: 1 });
    expect(() => k.compile({ optimizer: 'sgd', loss, metrics: ['mse'] })).toThrow(/metrics with a loss function are not supported yet/);
    k.dispose();
  });
});

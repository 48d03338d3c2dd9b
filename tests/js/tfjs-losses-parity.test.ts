// Issue 10's "names users type", against TensorFlow.js 4.22 (cpu): every added loss by name
// (value and one SGD step), the added metrics as TF.js logs them, adadelta / adamax over several
// steps, the constant initializer, and nn.losses / nn.metrics on tensors against tf.losses /
// tfjs-layers' functions. Same tolerances as tfjs-parity.test.ts (float32 in a different order).
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, xorshift } from './helpers';

const RTOL = 1e-4;
const ATOL = 1e-6;

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

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = RTOL): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = ATOL + rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) throw new Error(`${what}[${i}]: nnplay ${actual[i]}, TF.js ${expected[i]} (tolerance ${tol})`);
  }
}

const N = 12;
const IN = 3;
type Target = 'real' | 'positive' | 'sign' | 'distribution' | 'counts' | 'onehot';
function data(target: Target, k: number, seed: number): { x: number[]; y: number[] } {
  const r = xorshift(seed);
  const x = Array.from({ length: N * IN }, () => r() * 2 - 1);
  const y: number[] = [];
  for (let i = 0; i < N; i++) {
    const row = Array.from({ length: k }, () => r());
    if (target === 'distribution') {
      const s = row.reduce((a, b) => a + b, 0);
      y.push(...row.map((v) => v / s));
    } else if (target === 'onehot') {
      const hot = row.indexOf(Math.max(...row));
      y.push(...row.map((_, j) => (j === hot ? 1 : 0)));
    } else {
      y.push(...row.map((v) => (target === 'real' ? v * 4 - 2 : target === 'positive' ? v + 0.5 : target === 'sign' ? (v < 0.5 ? -1 : 1) : Math.floor(v * 4))));
    }
  }
  return { x, y };
}

interface Run {
  k: number;
  activation: 'linear' | 'tanh' | 'softmax' | 'softplus' | 'sigmoid';
  target: Target;
  nnLoss: nn.LossArg;
  tfLoss: string | ((yt: tf.Tensor, yp: tf.Tensor) => tf.Tensor);
  nnOpt?: () => nn.Optimizer;
  tfOpt?: () => tf.Optimizer;
  metrics?: string[];
  tfMetrics?: (string | ((yt: tf.Tensor, yp: tf.Tensor) => tf.Tensor))[];
  epochs?: number;
  batchSize?: number;
}

/** Builds both models from nnplay's initial weights, fits both, compares history and weights. */
async function compareFit(run: Run, seed = 7): Promise<Record<string, number[]>> {
  const { x, y } = data(run.target, run.k, seed);
  const model = nn.sequential({
    layers: [nn.layers.dense({ inputShape: [IN], units: 4, activation: 'tanh' }), nn.layers.dense({ units: run.k, activation: run.activation })],
    seed: 99,
  });
  model.compile({ optimizer: run.nnOpt?.() ?? nn.train.sgd(0.1), loss: run.nnLoss, metrics: run.metrics });
  const tmodel = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [IN], units: 4, activation: 'tanh' }), tf.layers.dense({ units: run.k, activation: run.activation })],
  });
  const initial = model.getWeights();
  const ws = initial.map((w) => tf.tensor(w.dataSync(), w.shape));
  tmodel.setWeights(ws);
  tf.dispose(ws);
  disposeAll(initial);
  tmodel.compile({ optimizer: run.tfOpt?.() ?? tf.train.sgd(0.1), loss: run.tfLoss as string, metrics: (run.tfMetrics ?? run.metrics) as string[] });
  const nx = nn.tensor(x, [N, IN]);
  const ny = nn.tensor(y, [N, run.k]);
  const tx = tf.tensor(x, [N, IN]);
  const ty = tf.tensor(y, [N, run.k]);
  const fitArgs = { epochs: run.epochs ?? 1, batchSize: run.batchSize ?? N, shuffle: false };
  try {
    const h = await model.fit(nx, ny, fitArgs);
    const th = (await tmodel.fit(tx, ty, { ...fitArgs, verbose: 0 })).history as Record<string, number[]>;
    expect(Object.keys(h.history).sort()).toEqual(Object.keys(th).sort());
    for (const key of Object.keys(th)) expectClose(h.history[key], th[key], `history.${key}`);
    const nw = model.getWeights();
    const tw = tmodel.getWeights();
    nw.forEach((w, i) => expectClose(w.dataSync(), tw[i].dataSync(), `weights[${i}]`));
    disposeAll(nw);
    return h.history;
  } finally {
    nx.dispose();
    ny.dispose();
    tf.dispose([tx, ty]);
    model.dispose();
    tmodel.dispose();
  }
}

describe('losses by name: the loss before the step and the weights after one SGD step match TF.js', () => {
  const cases: [string, Omit<Run, 'nnLoss' | 'tfLoss'>, nn.LossArg, Run['tfLoss']][] = [
    ['meanAbsoluteError', { k: 2, activation: 'linear', target: 'real' }, 'meanAbsoluteError', 'meanAbsoluteError'],
    ['mae (alias)', { k: 2, activation: 'linear', target: 'real' }, 'mae', 'meanAbsoluteError'],
    ['meanAbsolutePercentageError', { k: 2, activation: 'linear', target: 'positive' }, 'mean_absolute_percentage_error', 'meanAbsolutePercentageError'],
    ['huberLoss (delta 1)', { k: 2, activation: 'linear', target: 'real' }, 'huberLoss', (yt, yp) => tf.losses.huberLoss(yt, yp)],
    ['huberLoss (delta 0.3)', { k: 2, activation: 'linear', target: 'real' }, { name: 'huber_loss', delta: 0.3 }, (yt, yp) => tf.losses.huberLoss(yt, yp, undefined, 0.3)],
    ['hinge', { k: 2, activation: 'tanh', target: 'sign' }, 'hinge', 'hinge'],
    ['squaredHinge', { k: 2, activation: 'tanh', target: 'sign' }, 'squared_hinge', 'squaredHinge'],
    ['logCosh', { k: 2, activation: 'linear', target: 'real' }, 'logCosh', 'logcosh'],
    ['kullbackLeiblerDivergence', { k: 3, activation: 'softmax', target: 'distribution' }, 'kld', 'kullbackLeiblerDivergence'],
    ['cosineProximity', { k: 3, activation: 'linear', target: 'real' }, 'cosine_proximity', 'cosineProximity'],
    ['poisson', { k: 2, activation: 'softplus', target: 'counts' }, 'poisson', 'poisson'],
    ['meanSquaredLogarithmicError (linear: some predictions clipped)', { k: 2, activation: 'linear', target: 'positive' }, 'msle', 'meanSquaredLogarithmicError'],
    ['meanSquaredLogarithmicError (softplus)', { k: 2, activation: 'softplus', target: 'counts' }, 'mean_squared_logarithmic_error', 'meanSquaredLogarithmicError'],
    ['categoricalHinge', { k: 3, activation: 'linear', target: 'onehot' }, 'categorical_hinge', 'categoricalHinge'],
    ['categoricalHinge (softmax)', { k: 3, activation: 'softmax', target: 'onehot' }, 'categoricalHinge', 'categoricalHinge'],
  ];
  for (const [what, run, nnLoss, tfLoss] of cases) {
    test(what, async () => {
      await compareFit({ ...run, nnLoss, tfLoss });
      // And over three epochs in batches of 5 (a short last batch).
      await compareFit({ ...run, nnLoss, tfLoss, epochs: 3, batchSize: 5 }, 8);
    });
  }
});

describe('metrics in logs under the names TF.js reports', () => {
  test("mae, mape (regression) and precision, recall, binaryAccuracy (binary)", async () => {
    const h = await compareFit({ k: 2, activation: 'linear', target: 'positive', nnLoss: 'mse', tfLoss: 'meanSquaredError', metrics: ['mae', 'mape'], batchSize: 5, epochs: 2 });
    expect(Object.keys(h).sort()).toEqual(['loss', 'mae', 'mape']);
    // TF.js has no 'recall' string: the function, whose name the logs use.
    const b = await compareFit({
      k: 1, activation: 'sigmoid', target: 'counts', nnLoss: 'binaryCrossentropy', tfLoss: 'binaryCrossentropy',
      metrics: ['binaryAccuracy', 'precision', 'recall'], tfMetrics: ['binaryAccuracy', 'precision', tf.metrics.recall], batchSize: 5,
    }, 3).catch((e: Error) => { throw e; });
    expect(Object.keys(b).sort()).toEqual(['binaryAccuracy', 'loss', 'precision', 'recall']);
  });
  test("cosine (TF.js's −cos(y, p) figure)", async () => {
    const h = await compareFit({ k: 3, activation: 'linear', target: 'real', nnLoss: 'mse', tfLoss: 'meanSquaredError', metrics: ['cosine'], batchSize: 5, epochs: 2 });
    expect(Object.keys(h).sort()).toEqual(['cosine', 'loss']);
    expect(h.cosine.every((v) => v >= -1 && v <= 1)).toBe(true);
  });
  test('categoricalAccuracy', async () => {
    await compareFit({ k: 3, activation: 'softmax', target: 'distribution', nnLoss: 'categoricalCrossentropy', tfLoss: 'categoricalCrossentropy', metrics: ['categoricalAccuracy'], batchSize: 4, epochs: 2 });
  });
});

describe('adadelta and adamax over several steps', () => {
  test('nn.train.adadelta / adamax and the string forms match tf.train', async () => {
    const base = { k: 2, activation: 'linear' as const, target: 'real' as const, nnLoss: 'mse', tfLoss: 'meanSquaredError', epochs: 3, batchSize: 4 };
    await compareFit({ ...base, nnOpt: () => nn.train.adadelta(0.5, 0.9), tfOpt: () => tf.train.adadelta(0.5, 0.9) });
    await compareFit({ ...base, nnOpt: () => nn.train.adamax(0.05, 0.8, 0.99, 1e-7, 0.01), tfOpt: () => tf.train.adamax(0.05, 0.8, 0.99, 1e-7, 0.01) });
    await compareFit({ ...base, nnOpt: () => nn.train.adamax(), tfOpt: () => tf.train.adamax(0.002, 0.9, 0.999, undefined, 0) });
  });
  test("compile({optimizer: 'adamax' | 'adadelta'}) takes tfjs-layers' string defaults", () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
    m.compile({ optimizer: 'adamax', loss: 'mse' });
    expect(m.compiledWith?.optimizer).toMatchObject({ name: 'adamax', learningRate: 0.002, beta1: 0.9, beta2: 0.999, decay: 0 });
    m.compile({ optimizer: 'adadelta', loss: 'mse' });
    expect(m.compiledWith?.optimizer).toMatchObject({ name: 'adadelta', learningRate: 1, rho: 0.95 });
    m.dispose();
  });
  test('optimizer.minimize with adadelta / adamax matches TF.js', () => nn.tidy(() => {
    for (const [mk, tmk] of [
      [() => nn.train.adamax(0.1), () => tf.train.adamax(0.1)],
      [() => nn.train.adadelta(0.1), () => tf.train.adadelta(0.1)],
    ] as [() => nn.Optimizer, () => tf.Optimizer][]) {
      const v = nn.variable(nn.tensor1d([1, -2, 0.5]));
      const tv = tf.variable(tf.tensor1d([1, -2, 0.5]));
      const opt = mk();
      const topt = tmk();
      for (let s = 0; s < 4; s++) {
        opt.minimize(() => nn.sum(nn.square(nn.sub(v, nn.tensor1d([0.3, 0.1, -0.4])))));
        topt.minimize(() => tf.sum(tf.square(tf.sub(tv, tf.tensor1d([0.3, 0.1, -0.4])))) as tf.Scalar);
      }
      expectClose(v.dataSync(), tv.dataSync(), 'variable');
      v.dispose();
      tv.dispose();
      topt.dispose();
    }
  }));
});

test('initializers.constant({value}) fills the weights as TF.js', () => {
  const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3, kernelInitializer: nn.initializers.constant({ value: 0.25 }), biasInitializer: nn.initializers.constant({ value: -2 }) })] });
  const t = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, kernelInitializer: tf.initializers.constant({ value: 0.25 }), biasInitializer: tf.initializers.constant({ value: -2 }) })] });
  const w = m.getWeights();
  const tw = t.getWeights();
  w.forEach((x, i) => expectClose(x.dataSync(), tw[i].dataSync(), `weights[${i}]`));
  disposeAll(w);
  m.dispose();
  t.dispose();
  expect(() => nn.initializers.constant({ value: Number.NaN })).toThrow(/value must be a finite number/);
});

test('nn.losses and nn.metrics on tensors equal tfjs-layers / tf.losses', () => nn.tidy(() => {
  const r = xorshift(5);
  const a = Array.from({ length: 12 }, () => r() * 2 - 1);
  const b = Array.from({ length: 12 }, () => r() * 2 - 1);
  const p = Array.from({ length: 12 }, () => r() * 0.9 + 0.05);
  const q = Array.from({ length: 12 }, () => r() * 0.9 + 0.05);
  const bin = a.map((v) => (v > 0 ? 1 : 0));
  const hard = b.map((v) => (v > 0 ? 1 : 0));
  const pairs: [string, (x: nn.Tensor, y: nn.Tensor) => nn.Tensor, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor, number[], number[]][] = [
    ['meanAbsoluteError', nn.losses.meanAbsoluteError, tf.metrics.meanAbsoluteError, a, b],
    ['meanAbsolutePercentageError', nn.metrics.mape, tf.metrics.meanAbsolutePercentageError, a, b],
    ['cosineProximity', nn.losses.cosineProximity, tf.metrics.cosineProximity, a, b],
    ['huberLoss', (x, y) => nn.losses.huberLoss(x, y, undefined, 0.5), (x, y) => tf.losses.huberLoss(x, y, undefined, 0.5), a, b],
    ['binaryAccuracy', nn.metrics.binaryAccuracy, tf.metrics.binaryAccuracy, bin, p],
    ['categoricalAccuracy', nn.metrics.categoricalAccuracy, tf.metrics.categoricalAccuracy, p, q],
    ['precision', nn.metrics.precision, tf.metrics.precision, bin, hard],
    ['recall', nn.metrics.recall, tf.metrics.recall, bin, hard],
  ];
  for (const [what, f, tfF, yt, yp] of pairs) {
    const out = f(nn.tensor(yt, [4, 3]), nn.tensor(yp, [4, 3]));
    const tout = tfF(tf.tensor(yt, [4, 3]), tf.tensor(yp, [4, 3]));
    expect(out.shape, what).toEqual(tout.shape);
    expectClose(out.dataSync(), tout.dataSync(), what);
  }
  // The rest against the formulas tfjs-layers' losses.ts uses (not exported by TF.js).
  const yt = tf.tensor(a, [4, 3]);
  const yp = tf.tensor(b, [4, 3]);
  const d = tf.sub(yp, yt);
  const hand: [string, nn.Tensor, tf.Tensor][] = [
    ['hinge', nn.losses.hinge(nn.tensor(bin.map((v) => 2 * v - 1), [4, 3]), nn.tensor(b, [4, 3])), tf.mean(tf.maximum(0, tf.sub(1, tf.mul(tf.tensor(bin.map((v) => 2 * v - 1), [4, 3]), yp))), -1)],
    ['squaredHinge', nn.losses.squaredHinge(nn.tensor(bin.map((v) => 2 * v - 1), [4, 3]), nn.tensor(b, [4, 3])), tf.mean(tf.square(tf.maximum(0, tf.sub(1, tf.mul(tf.tensor(bin.map((v) => 2 * v - 1), [4, 3]), yp)))), -1)],
    ['logcosh', nn.losses.logcosh(nn.tensor(a, [4, 3]), nn.tensor(b, [4, 3])), tf.mean(tf.sub(tf.add(d, tf.softplus(tf.mul(-2, d))), Math.log(2)), -1)],
    ['kullbackLeiblerDivergence', nn.losses.kullbackLeiblerDivergence(nn.tensor(p, [4, 3]), nn.tensor(q, [4, 3])), tf.sum(tf.mul(tf.tensor(p, [4, 3]), tf.log(tf.div(tf.tensor(p, [4, 3]), tf.tensor(q, [4, 3])))), -1)],
    ['poisson', nn.losses.poisson(nn.tensor(a, [4, 3]), nn.tensor(p, [4, 3])), tf.mean(tf.sub(tf.tensor(p, [4, 3]), tf.mul(yt, tf.log(tf.add(1e-7, tf.tensor(p, [4, 3]))))), -1)],
    ['meanSquaredLogarithmicError', nn.losses.meanSquaredLogarithmicError(nn.tensor(a, [4, 3]), nn.tensor(b, [4, 3])), tf.mean(tf.square(tf.sub(tf.log(tf.add(1, tf.clipByValue(yp, 1e-7, Number.MAX_VALUE))), tf.log(tf.add(1, tf.clipByValue(yt, 1e-7, Number.MAX_VALUE))))), -1)],
    ['categoricalHinge', nn.losses.categoricalHinge(nn.tensor(p, [4, 3]), nn.tensor(b, [4, 3])), tf.maximum(0, tf.add(1, tf.sub(tf.max(tf.mul(tf.sub(1, tf.tensor(p, [4, 3])), yp), -1), tf.sum(tf.mul(tf.tensor(p, [4, 3]), yp), -1))))],
  ];
  for (const [what, out, tout] of hand) expectClose(out.dataSync(), tout.dataSync(), what);
  // Differentiable: the gradient of mean(nn.losses.meanAbsoluteError) w.r.t. yPred is sign(yPred − yTrue) / 12.
  const g = nn.grad((x: nn.Tensor) => nn.mean(nn.losses.meanAbsoluteError(nn.tensor(a, [4, 3]), x)))(nn.tensor(b, [4, 3]));
  expectClose(g.dataSync(), b.map((v, i) => Math.sign(v - a[i]) / 12), 'grad of mae');
  tf.disposeVariables();
}));

test('bad loss arguments are clear errors', () => {
  const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
  expect(() => m.compile({ optimizer: 'sgd', loss: { name: 'mae', delta: 1 } })).toThrow(/meanAbsoluteError has no parameter "delta"; it takes none/);
  expect(() => m.compile({ optimizer: 'sgd', loss: { name: 'huberLoss', dleta: 1 } as nn.LossArg })).toThrow(/no parameter "dleta"; allowed: delta/);
  m.dispose();
});

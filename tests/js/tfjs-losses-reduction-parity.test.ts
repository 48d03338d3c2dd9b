// nn.losses.* (TF.js's tf.losses: weights and every Reduction), the per-sample tf.metrics
// functions, nn.Reduction and nn.print, against TensorFlow.js 4.22 (cpu) on the same inputs:
// values to 1e-6 relative (both compute each op in double and store float32), and gradients
// through nn.grad against tf.grad for several.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { xorshift } from './helpers';

const RTOL = 1e-6;
const ATOL = 1e-7;

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  expect(nn.memory().numTensors).toBe(0);
});

function expectClose(actual: nn.Tensor, expected: tf.Tensor, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < e.length; i++) {
    const tol = ATOL + RTOL * Math.abs(e[i]);
    if (!(Math.abs(a[i] - e[i]) <= tol)) throw new Error(`${what}[${i}]: nnplay ${a[i]}, TF.js ${e[i]} (tolerance ${tol})`);
  }
}

const ROWS = 4;
const COLS = 3;
const r = xorshift(11);
const uniform = (lo: number, hi: number): number[] => Array.from({ length: ROWS * COLS }, () => lo + (hi - lo) * r());
const real = uniform(-2, 2);
const real2 = uniform(-2, 2);
const probs = uniform(0.05, 0.95);
const bits = uniform(0, 1).map((v) => (v < 0.5 ? 0 : 1));
const oneHot = Array.from({ length: ROWS }, (_, i) => [0, 1, 2].map((c) => (c === (i * 2) % COLS ? 1 : 0))).flat();

// One weights argument in each of TF.js's forms: none, a scalar, per row (broadcast, one zero), per element (zeros).
const weightCases: [string, number[] | null, number[]][] = [
  ['no weights', null, []],
  ['scalar weight', [0.5], []],
  ['per-row weights', [1, 0, 2, 0.5], [ROWS, 1]],
  ['per-element weights', uniform(0, 2).map((v, i) => (i % 5 === 0 ? 0 : v)), [ROWS, COLS]],
];
const reductions: [string, nn.Reduction | undefined, tf.Reduction | undefined][] = [
  ['default', undefined, undefined],
  ['NONE', nn.Reduction.NONE, tf.Reduction.NONE],
  ['MEAN', nn.Reduction.MEAN, tf.Reduction.MEAN],
  ['SUM', nn.Reduction.SUM, tf.Reduction.SUM],
  ['SUM_BY_NONZERO_WEIGHTS', nn.Reduction.SUM_BY_NONZERO_WEIGHTS, tf.Reduction.SUM_BY_NONZERO_WEIGHTS],
];

type NnLoss = (y: nn.Tensor, p: nn.Tensor, w: nn.Tensor | undefined, red: nn.Reduction | undefined) => nn.Tensor;
type TfLoss = (y: tf.Tensor, p: tf.Tensor, w: tf.Tensor | undefined, red: tf.Reduction | undefined) => tf.Tensor;
// name, nnplay call, TF.js call, labels, predictions, and whether the losses are one per row (weights then [rows]).
const lossCases: [string, NnLoss, TfLoss, number[], number[], boolean?][] = [
  ['meanSquaredError', (y, p, w, red) => nn.losses.meanSquaredError(y, p, w, red), (y, p, w, red) => tf.losses.meanSquaredError(y, p, w, red), real, real2],
  ['absoluteDifference', (y, p, w, red) => nn.losses.absoluteDifference(y, p, w, red), (y, p, w, red) => tf.losses.absoluteDifference(y, p, w, red), real, real2],
  ['cosineDistance (axis 1)', (y, p, w, red) => nn.losses.cosineDistance(y, p, 1, w, red), (y, p, w, red) => tf.losses.cosineDistance(y, p, 1, w, red), real, real2],
  ['cosineDistance (axis 0; weights broadcast the losses)', (y, p, w, red) => nn.losses.cosineDistance(y, p, 0, w, red), (y, p, w, red) => tf.losses.cosineDistance(y, p, 0, w, red), real, real2],
  ['hingeLoss', (y, p, w, red) => nn.losses.hingeLoss(y, p, w, red), (y, p, w, red) => tf.losses.hingeLoss(y, p, w, red), bits, real2],
  ['huberLoss (delta 1)', (y, p, w, red) => nn.losses.huberLoss(y, p, w, undefined, red), (y, p, w, red) => tf.losses.huberLoss(y, p, w, undefined, red), real, real2],
  ['huberLoss (delta 0.5)', (y, p, w, red) => nn.losses.huberLoss(y, p, w, 0.5, red), (y, p, w, red) => tf.losses.huberLoss(y, p, w, 0.5, red), real, real2],
  ['logLoss', (y, p, w, red) => nn.losses.logLoss(y, p, w, undefined, red), (y, p, w, red) => tf.losses.logLoss(y, p, w, undefined, red), bits, probs],
  ['logLoss (epsilon 0.01)', (y, p, w, red) => nn.losses.logLoss(y, p, w, 0.01, red), (y, p, w, red) => tf.losses.logLoss(y, p, w, 0.01, red), probs, probs.slice().reverse()],
  ['sigmoidCrossEntropy', (y, p, w, red) => nn.losses.sigmoidCrossEntropy(y, p, w, undefined, red), (y, p, w, red) => tf.losses.sigmoidCrossEntropy(y, p, w, undefined, red), bits, real.map((v) => 3 * v)],
  ['sigmoidCrossEntropy (labelSmoothing 0.2)', (y, p, w, red) => nn.losses.sigmoidCrossEntropy(y, p, w, 0.2, red), (y, p, w, red) => tf.losses.sigmoidCrossEntropy(y, p, w, 0.2, red), bits, real],
  ['softmaxCrossEntropy', (y, p, w, red) => nn.losses.softmaxCrossEntropy(y, p, w, undefined, red), (y, p, w, red) => tf.losses.softmaxCrossEntropy(y, p, w, undefined, red), oneHot, real, true],
  ['softmaxCrossEntropy (labelSmoothing 0.1)', (y, p, w, red) => nn.losses.softmaxCrossEntropy(y, p, w, 0.1, red), (y, p, w, red) => tf.losses.softmaxCrossEntropy(y, p, w, 0.1, red), oneHot, real, true],
];

describe('nn.losses equal tf.losses with each weights form and each reduction', () => {
  for (const [name, nnF, tfF, labels, predictions, perRow] of lossCases) {
    test(name, () => {
      for (const [wName, wValues, wShape] of weightCases) {
        // Row losses (softmaxCrossEntropy) take weights per row: [rows] rather than [rows, 1]; no per-element form.
        if (perRow && wShape.length === 2 && wShape[1] === COLS) continue;
        const shape = perRow && wShape.length === 2 ? [ROWS] : wShape;
        for (const [rName, nnRed, tfRed] of reductions) {
          nn.tidy(() => {
            const w = wValues ? nn.tensor(wValues, shape) : undefined;
            const tw = wValues ? tf.tensor(wValues, shape) : undefined;
            const out = nnF(nn.tensor(labels, [ROWS, COLS]), nn.tensor(predictions, [ROWS, COLS]), w, nnRed);
            const tout = tf.tidy(() => tfF(tf.tensor(labels, [ROWS, COLS]), tf.tensor(predictions, [ROWS, COLS]), tw, tfRed));
            expectClose(out, tout, `${name}, ${wName}, ${rName}`);
            tf.dispose([tout, tw as tf.Tensor]);
          });
        }
      }
    });
  }

  test('computeWeightedLoss on given losses, and nn.Reduction is tf.Reduction', () => {
    expect({ ...nn.Reduction }).toEqual({ ...tf.Reduction });
    for (const [wName, wValues, wShape] of weightCases) {
      for (const [rName, nnRed, tfRed] of reductions) {
        nn.tidy(() => {
          const out = nn.losses.computeWeightedLoss(nn.tensor(probs, [ROWS, COLS]), wValues ? nn.tensor(wValues, wShape) : undefined, nnRed);
          const tout = tf.tidy(() => tf.losses.computeWeightedLoss(tf.tensor(probs, [ROWS, COLS]), wValues ? tf.tensor(wValues, wShape) : undefined, tfRed));
          expectClose(out, tout, `computeWeightedLoss, ${wName}, ${rName}`);
          tout.dispose();
        });
      }
    }
    // Arrays stand for tensors, as in TF.js.
    nn.tidy(() => {
      const out = nn.losses.meanSquaredError([1, 2, 3], [1.5, 2, 2], [1, 0, 1], nn.Reduction.MEAN);
      const tout = tf.losses.meanSquaredError([1, 2, 3], [1.5, 2, 2], [1, 0, 1], tf.Reduction.MEAN);
      expectClose(out, tout, 'meanSquaredError on arrays');
      tout.dispose();
    });
  });
});

describe('gradients of the losses equal TF.js', () => {
  // d(loss)/d(predictions) (and d/d(weights) for one) through nn.grad and tf.grad.
  const gradCases: [string, (p: nn.Tensor) => nn.Tensor, (p: tf.Tensor) => tf.Tensor][] = [
    ['meanSquaredError, per-element weights, MEAN', (p) => nn.losses.meanSquaredError(nn.tensor(real, [ROWS, COLS]), p, nn.tensor(weightCases[3][1]!, [ROWS, COLS]), nn.Reduction.MEAN),
      (p) => tf.losses.meanSquaredError(tf.tensor(real, [ROWS, COLS]), p, tf.tensor(weightCases[3][1]!, [ROWS, COLS]), tf.Reduction.MEAN)],
    ['absoluteDifference, per-row weights, default', (p) => nn.losses.absoluteDifference(nn.tensor(real, [ROWS, COLS]), p, nn.tensor([1, 0, 2, 0.5], [ROWS, 1])),
      (p) => tf.losses.absoluteDifference(tf.tensor(real, [ROWS, COLS]), p, tf.tensor([1, 0, 2, 0.5], [ROWS, 1]))],
    ['huberLoss delta 0.5, SUM', (p) => nn.losses.huberLoss(nn.tensor(real, [ROWS, COLS]), p, undefined, 0.5, nn.Reduction.SUM),
      (p) => tf.losses.huberLoss(tf.tensor(real, [ROWS, COLS]), p, undefined, 0.5, tf.Reduction.SUM)],
    ['sigmoidCrossEntropy (logits), default', (p) => nn.losses.sigmoidCrossEntropy(nn.tensor(bits, [ROWS, COLS]), p, nn.scalar(0.5)),
      (p) => tf.losses.sigmoidCrossEntropy(tf.tensor(bits, [ROWS, COLS]), p, tf.scalar(0.5))],
    ['softmaxCrossEntropy (logits), labelSmoothing 0.1, per-row weights', (p) => nn.losses.softmaxCrossEntropy(nn.tensor(oneHot, [ROWS, COLS]), p, nn.tensor([1, 0, 2, 0.5]), 0.1),
      (p) => tf.losses.softmaxCrossEntropy(tf.tensor(oneHot, [ROWS, COLS]), p, tf.tensor([1, 0, 2, 0.5]), 0.1)],
    ['cosineDistance, SUM', (p) => nn.losses.cosineDistance(nn.tensor(real, [ROWS, COLS]), p, 1, undefined, nn.Reduction.SUM),
      (p) => tf.losses.cosineDistance(tf.tensor(real, [ROWS, COLS]), p, 1, undefined, tf.Reduction.SUM)],
    ['metrics.binaryCrossentropy (summed)', (p) => nn.sum(nn.metrics.binaryCrossentropy(nn.tensor(bits, [ROWS, COLS]), p)),
      (p) => tf.sum(tf.metrics.binaryCrossentropy(tf.tensor(bits, [ROWS, COLS]), p))],
    ['metrics.r2Score', (p) => nn.metrics.r2Score(nn.tensor(real, [ROWS, COLS]), p), (p) => tf.metrics.r2Score(tf.tensor(real, [ROWS, COLS]), p)],
  ];
  for (const [name, f, tfF] of gradCases) {
    test(name, () => nn.tidy(() => {
      const at = name.includes('binaryCrossentropy') ? probs : real2;
      const g = nn.grad(f)(nn.tensor(at, [ROWS, COLS]));
      const tg = tf.tidy(() => tf.grad(tfF)(tf.tensor(at, [ROWS, COLS])));
      expectClose(g, tg, `grad of ${name}`);
      tg.dispose();
    }));
  }
  test('the gradient with respect to the weights (MEAN) equals TF.js', () => nn.tidy(() => {
    const w = [1, 0, 2, 0.5];
    const g = nn.grad((wt: nn.Tensor) => nn.losses.meanSquaredError(nn.tensor(real, [ROWS, COLS]), nn.tensor(real2, [ROWS, COLS]), wt, nn.Reduction.MEAN))(nn.tensor(w, [ROWS, 1]));
    const tg = tf.tidy(() => tf.grad((wt: tf.Tensor) => tf.losses.meanSquaredError(tf.tensor(real, [ROWS, COLS]), tf.tensor(real2, [ROWS, COLS]), wt, tf.Reduction.MEAN))(tf.tensor(w, [ROWS, 1])));
    expectClose(g, tg, 'grad w.r.t. weights');
    tg.dispose();
  }));
});

describe('the per-sample tf.metrics', () => {
  const sparse = [0, 2, 1, 1];
  const cases: [string, (y: nn.Tensor, p: nn.Tensor) => nn.Tensor, (y: tf.Tensor, p: tf.Tensor) => tf.Tensor, number[], number[], number[]][] = [
    ['meanSquaredError', nn.metrics.meanSquaredError, tf.metrics.meanSquaredError, real, real2, [ROWS, COLS]],
    ['mse', nn.metrics.mse, tf.metrics.mse, real, real2, [ROWS, COLS]],
    ['MSE', nn.metrics.MSE, tf.metrics.MSE, real, real2, [ROWS, COLS]],
    ['binaryCrossentropy', nn.metrics.binaryCrossentropy, tf.metrics.binaryCrossentropy, bits, probs, [ROWS, COLS]],
    ['binaryCrossentropy (soft targets, saturated predictions)', nn.metrics.binaryCrossentropy, tf.metrics.binaryCrossentropy, probs, bits, [ROWS, COLS]],
    ['categoricalCrossentropy', nn.metrics.categoricalCrossentropy, tf.metrics.categoricalCrossentropy, oneHot, probs, [ROWS, COLS]],
    ['r2Score', nn.metrics.r2Score, tf.metrics.r2Score, real, real2, [ROWS, COLS]],
    ['r2Score (rank 1)', nn.metrics.r2Score, tf.metrics.r2Score, real.slice(0, 5), real2.slice(0, 5), [5]],
  ];
  for (const [name, f, tfF, yt, yp, shape] of cases) {
    test(name, () => nn.tidy(() => {
      const tout = tf.tidy(() => tfF(tf.tensor(yt, shape), tf.tensor(yp, shape)));
      expectClose(f(nn.tensor(yt, shape), nn.tensor(yp, shape)), tout, name);
      tout.dispose();
    }));
  }
  test('sparseCategoricalAccuracy with labels [n] and [n, 1]', () => nn.tidy(() => {
    for (const shape of [[ROWS], [ROWS, 1]]) {
      const tout = tf.tidy(() => tf.metrics.sparseCategoricalAccuracy(tf.tensor(sparse, shape), tf.tensor(probs, [ROWS, COLS])));
      const out = nn.metrics.sparseCategoricalAccuracy(nn.tensor(sparse, shape), nn.tensor(probs, [ROWS, COLS]));
      expectClose(out, tout, `sparseCategoricalAccuracy, labels [${shape}]`);
      // Not a constant: some rows right and some wrong.
      expect(new Set(out.dataSync()).size).toBe(2);
      tout.dispose();
    }
  }));
});

test('nn.print(x, verbose) prints what tf.print prints and what x.print() prints', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    for (const verbose of [false, true]) {
      nn.tidy(() => {
        log.mockClear();
        const t = nn.tensor(real, [ROWS, COLS]);
        nn.print(t, verbose);
        t.print(verbose);
        const tt = tf.tensor(real, [ROWS, COLS]);
        tf.print(tt, verbose);
        tt.dispose();
        const [ours, method, theirs] = log.mock.calls.map((c) => c.join(' '));
        expect(ours).toBe(theirs);
        expect(method).toBe(theirs);
        expect(ours).toContain(verbose ? 'dtype: float32' : 'Tensor');
      });
    }
    expect(() => nn.print([1, 2] as unknown as nn.Tensor)).toThrow(/print\(x\): x must be a Tensor, got/);
  } finally {
    log.mockRestore();
  }
});

test('bad arguments are clear errors', () => {
  expect(() => nn.losses.meanSquaredError([1, 2], [1, 2, 3])).toThrow(/losses\.meanSquaredError\(\): labels shape \[2\] and predictions shape \[3\] must be the same/);
  expect(() => nn.losses.absoluteDifference([1], [1], undefined, 7 as nn.Reduction)).toThrow(/reduction must be one of nn\.Reduction\.NONE \(0\), MEAN \(1\), SUM \(2\), SUM_BY_NONZERO_WEIGHTS \(3\), got/);
  expect(() => nn.losses.computeWeightedLoss([1], undefined, 'NONE' as unknown as nn.Reduction)).toThrow(/reduction must be one of .*got the string "NONE"/);
  expect(() => nn.losses.softmaxCrossEntropy([[1, 0]], [[1, 2]], undefined, 2)).toThrow(/labelSmoothing must be a number in \[0, 1\], got/);
  expect(() => nn.losses.huberLoss([1], [2], undefined, 0)).toThrow(/delta must be a finite number > 0, got/);
  expect(() => nn.losses.logLoss([1], [0.5], undefined, -1)).toThrow(/epsilon must be a finite number >= 0, got/);
  expect(() => nn.losses.hingeLoss('a' as unknown as nn.Tensor, [1])).toThrow(/hingeLoss\(\): argument 'labels' must be a Tensor, a number or an array, got/);
  expect(nn.memory().numTensors).toBe(0);
});

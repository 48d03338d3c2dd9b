// The lessons' library pieces on the built wasm: point sets from the engine's generator (shapes,
// class counts, determinism, errors), the tabular set, regressionReport and classificationReport on
// hand-counted cases, and the MSE surface of a line checked against a direct evaluation at grid points and at its minimum.
import * as nn from 'nnplay';
import { beforeAll, describe, expect, test } from 'vitest';

beforeAll(async () => {
  await nn.ready();
});

describe('lesson data and read-outs', () => {
  test('points(): engine sets with shapes, classes and the same bits for the same seed', () => {
    const blobs = nn.datasets.points({ dataset: 'blobs', numPoints: 400, classes: 5, seed: 3 });
    expect(blobs.classes).toBe(5);
    expect(blobs.train.xs.shape).toEqual([320, 2]);
    expect(blobs.test.ys.shape).toEqual([80, 1]);
    expect(Math.max(...blobs.train.ys.dataSync())).toBe(4);
    const line = nn.datasets.points({ dataset: 'line', numPoints: 100, seed: 1 });
    expect(line.classes).toBe(0);
    expect(line.train.xs.shape).toEqual([80, 1]);
    const again = nn.datasets.points({ dataset: 'line', numPoints: 100, seed: 1 });
    expect([...again.train.ys.dataSync()]).toEqual([...line.train.ys.dataSync()]);
    expect(nn.datasets.points({ dataset: 'moons', seed: 1 }).classes).toBe(2);
    expect(() => nn.datasets.points({ dataset: 'moon' })).toThrow(/unknown dataset "moon".*moons/);
    expect(() => nn.datasets.points({ dataset: 'blobs', classes: 9 })).toThrow(/classes must be an integer in \[2, 8\]/);
    expect(() => nn.datasets.points({ dataset: 'xor', colour: 1 } as never)).toThrow(/unknown option "colour"/);
  });

  test('tabular(): 3 inputs in [-1, 1], the documented target, seeded', () => {
    const d = nn.datasets.tabular({ numTrain: 50, numTest: 10, noise: 0, seed: 4 });
    expect(d.train.xs.shape).toEqual([50, 3]);
    expect(d.test.ys.shape).toEqual([10, 1]);
    const x = d.train.xs.dataSync();
    const y = d.train.ys.dataSync();
    for (let i = 0; i < 50; i++) {
      const [a, b, c] = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
      expect(Math.max(Math.abs(a), Math.abs(b), Math.abs(c))).toBeLessThanOrEqual(1);
      expect(y[i]).toBeCloseTo(1.5 * a - 2 * b * b + a * c + 0.5, 5);
    }
    expect(() => nn.datasets.tabular({ noise: 3 })).toThrow(/noise must be a number in \[0, 2\]/);
  });

  test('regressionReport(): R², RMSE and MAE by hand', () => {
    // y = [1, 2, 3, 4], ŷ = [1, 2, 3, 6]: SS_res = 4, SS_tot = 5, so R² = 0.2, RMSE = 1, MAE = 0.5.
    const r = nn.regressionReport([1, 2, 3, 4], nn.tensor2d([1, 2, 3, 6], [4, 1]));
    expect(r.r2).toBeCloseTo(0.2, 12);
    expect(r.rmse).toBeCloseTo(1, 12);
    expect(r.mae).toBeCloseTo(0.5, 12);
    expect(() => nn.regressionReport([1, 2], [1])).toThrow(/yTrue has 2 values, yPred 1/);
    expect(() => nn.regressionReport([1, NaN], [1, 2])).toThrow(/yTrue contains NaN at index 1/);
  });

  test('linearLossSurface(): each grid value is the MSE of its line; the minimum sits at the least-squares fit', () => {
    const d = nn.datasets.points({ dataset: 'line', numPoints: 200, noise: 15, seed: 1 });
    const s = nn.linearLossSurface(d.train.xs, d.train.ys, { w: [-1, 5], b: [-2, 4], steps: 61 });
    const x = d.train.xs.dataSync();
    const y = d.train.ys.dataSync();
    const mse = (w: number, b: number) => x.reduce((acc, xi, i) => acc + (w * xi + b - y[i]) ** 2, 0) / x.length;
    for (const [r, c] of [[0, 0], [30, 30], [60, 12], [5, 47]]) {
      const w = -1 + (6 * c) / 60;
      const b = 4 - (6 * r) / 60;
      expect(s.values[r * 61 + c]).toBeCloseTo(mse(w, b), 3);
    }
    // Grid step 0.1: the smallest value lies within a step of w = 2, b = 1.
    const best = s.values.indexOf(s.min);
    expect(Math.abs(-1 + (6 * (best % 61)) / 60 - 2)).toBeLessThanOrEqual(0.15);
    expect(Math.abs(4 - (6 * Math.floor(best / 61)) / 60 - 1)).toBeLessThanOrEqual(0.15);
    expect(() => nn.linearLossSurface(d.train.xs, d.train.ys, { w: [1, 0], b: [0, 1] })).toThrow(/w must be a range/);
  });
});

describe('classificationReport', () => {
  test('a hand-counted case: ids against scores, confusion, precision, recall, F1, macro', () => {
    // True 0 0 0 1 1 2 2 2 2 3; predicted (argmax of the scores) 0 1 0 1 1 2 0 2 2 0.
    const yTrue = nn.tensor([0, 0, 0, 1, 1, 2, 2, 2, 2, 3], [10, 1]);
    const pred = [0, 1, 0, 1, 1, 2, 0, 2, 2, 0];
    const scores = nn.oneHot(nn.tensor(pred, [10], 'int32'), 4).cast('float32');
    const r = nn.classificationReport(yTrue, scores);
    expect(r.n).toBe(10);
    expect(r.classes).toBe(4);
    expect(r.accuracy).toBeCloseTo(0.7, 12);
    // Rows true class, columns predicted.
    expect([...r.confusion]).toEqual([2, 1, 0, 0, 0, 2, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0]);
    expect(r.confusion.reduce((a, b) => a + b, 0)).toBe(10);
    // Class 0: predicted 4 times, 2 right; 3 samples, 2 found.
    expect(r.perClass[0].precision).toBeCloseTo(2 / 4, 12);
    expect(r.perClass[0].recall).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[0].f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12);
    expect(r.perClass[1]).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
    expect(r.perClass[2].precision).toBe(1);
    expect(r.perClass[2].recall).toBe(0.75);
    // Class 3 is never predicted: precision has no value, recall is 0.
    expect(r.perClass[3].precision).toBeNaN();
    expect(r.perClass[3].recall).toBe(0);
    expect(r.perClass[3].support).toBe(1);
    expect(r.macro.recall).toBeCloseTo((2 / 3 + 1 + 0.75 + 0) / 4, 12);
    expect(r.macro.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    // Ids on both sides give the same report; so do one-hot targets.
    const same = nn.classificationReport([0, 0, 0, 1, 1, 2, 2, 2, 2, 3], pred);
    expect([...same.confusion]).toEqual([...r.confusion]);
    const oneHotTrue = nn.oneHot(nn.tensor([0, 0, 0, 1, 1, 2, 2, 2, 2, 3], [10], 'int32'), 4).cast('float32');
    expect([...nn.classificationReport(oneHotTrue, scores).confusion]).toEqual([...r.confusion]);
    nn.dispose([yTrue, scores, oneHotTrue]);
  });

  test('classes fixes the size; bad input is named', () => {
    expect(nn.classificationReport([0, 1], [0, 1], { classes: 3 }).confusion.length).toBe(9);
    expect(() => nn.classificationReport([0, 1], [0])).toThrow(/yTrue has 2 samples, yPred 1/);
    expect(() => nn.classificationReport([0, 1.5], [0, 1])).toThrow(/yTrue holds 1.5 at index 1; class ids are whole numbers from 0/);
    expect(() => nn.classificationReport([0, 3], [0, 1], { classes: 3 })).toThrow(/sample 1 has class 3, but there are 3 classes/);
    expect(() => nn.classificationReport([0, 1], [0, 1], { classes: 1 })).toThrow(/classes must be a whole number from 2/);
    expect(() => nn.classificationReport([0, NaN], [0, 1])).toThrow(/yTrue contains NaN at index 1/);
  });
});

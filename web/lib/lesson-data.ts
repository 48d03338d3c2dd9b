// What the primers' lessons need from the library beyond layers and fit: their data sets and the
// few figures they show about a model (R², RMSE, an MSE landscape over a line's weights, a
// classifier's confusion matrix with per-class precision and recall).
//
//   const d = nn.datasets.points({ dataset: 'line', noise: 15, seed: 1 });  // x [n, 1], y [n, 1]
//   const s = nn.linearLossSurface(d.train.xs, d.train.ys, { w: [-1, 5], b: [-2, 4], steps: 60 });
//   const r = nn.regressionReport(yTrue, yPred);                            // { r2, rmse, mae }
//   const c = nn.classificationReport(yTrue, model.predict(xs));            // { accuracy, confusion, perClass }
//
// Where the data comes from: points() is the engine's 2-D playground generator
// (engine/data/playground.h: TF Playground's six sets plus moons, blobs, spirals and the 1-D
// line and wave), the same bits in every browser; tabular() is drawn here from the library's
// seeded random ops (xoshiro128**, docs/API.md Random ops), since the engine's playground
// generator makes 2-D points only. linearLossSurface evaluates every (w, b) of the grid at once
// on the engine's GEMM (nn.matMul); the rest are one pass of arithmetic in JS.
//
// What it is not: a metrics framework (compile()'s metrics are the engine's); these are the
// lessons' read-outs, usable by anyone.
import { engineWithExtraPart, own, release } from './memory';
import { matMul } from './ops/matmul';
import { randomNormal, randomUniform } from './ops/random';
import { Tensor } from './tensor';

/** One split of a point set: features xs [n, features], targets ys [n, 1] (class ids or values). */
export interface PointSplit {
  xs: Tensor;
  ys: Tensor;
  n: number;
}

export interface PointDataset {
  name: string;
  train: PointSplit;
  test: PointSplit;
  /** 0 for regression sets (reg-plane, reg-gauss, line, wave), else the number of classes. */
  classes: number;
  /** Raw coordinates [n, 2] (train points first, then test) and their labels, for drawing. */
  points: Float32Array;
  labels: Float32Array;
}

export interface PointOptions {
  /** circle, xor, gauss, spiral, reg-plane, reg-gauss, moons, blobs, spirals, line, wave. */
  dataset: string;
  /** Points in all (default 500). */
  numPoints?: number;
  /** Percent 0..50 (default 0). */
  noise?: number;
  /** Percent of points in train, 10..90 (default 80). */
  trainRatio?: number;
  seed?: number;
  /** Input features (default ['x1', 'x2']; the 1-D sets line and wave use ['x1']). */
  features?: string[];
  /** blobs and spirals: 2..8 classes (default 3). */
  classes?: number;
}

const POINT_KEYS = ['dataset', 'numPoints', 'noise', 'trainRatio', 'seed', 'features', 'classes'];
const ONE_D = new Set(['line', 'wave']);

function checkObject(opts: unknown, where: string, allowed: string[]): Record<string, unknown> {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new Error(`nnplay: ${where}: options must be an object {${allowed.join(', ')}}, got ${String(opts)}`);
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new Error(`nnplay: ${where}: unknown option "${k}"; allowed: ${allowed.join(', ')}`);
  }
  return opts as Record<string, unknown>;
}

/**
 * 2-D (or 1-D) point sets from the engine's playground generator, split and shuffled by seed.
 * Needs the whole engine loaded (await nn.ready() on a page: the generator is in its second part;
 * Node loads it on the spot). Errors name the option and what is allowed.
 */
export function points(opts: PointOptions): PointDataset {
  const o = checkObject(opts, 'datasets.points()', POINT_KEYS);
  if (typeof o.dataset !== 'string') throw new Error('nnplay: datasets.points(): dataset must be a name such as "moons"');
  const features = (o.features as string[] | undefined) ?? (ONE_D.has(o.dataset) ? ['x1'] : ['x1', 'x2']);
  const config = {
    dataset: o.dataset,
    numPoints: o.numPoints ?? 500,
    noise: o.noise ?? 0,
    trainRatio: o.trainRatio ?? 80,
    seed: o.seed ?? 0,
    features,
    classes: o.classes ?? 3,
    gridSize: 2, // the lessons draw their own views; the engine's grid is not needed
  };
  const mod = engineWithExtraPart(); // the generator is in the engine's second part
  const pg = own(new mod.Playground());
  try {
    const failure = pg.configure(JSON.stringify(config));
    if (failure) throw new Error(`nnplay: datasets.points(): ${failure}`);
    const f = features.length;
    const copy = (ptr: number, count: number) => mod.HEAPF32.slice(ptr >>> 2, (ptr >>> 2) + count);
    const numTrain = pg.numTrain();
    const numTest = pg.numTest();
    const split = (xPtr: number, yPtr: number, n: number): PointSplit => ({
      xs: new Tensor(copy(xPtr, n * f), [n, f]),
      ys: new Tensor(copy(yPtr, n), [n, 1]),
      n,
    });
    const regression = ['reg-plane', 'reg-gauss', 'line', 'wave'].includes(config.dataset);
    const classes = regression ? 0 : ['blobs', 'spirals'].includes(config.dataset) ? (config.classes as number) : 2;
    return {
      name: config.dataset,
      train: split(pg.trainXPtr(), pg.trainYPtr(), numTrain),
      test: split(pg.testXPtr(), pg.testYPtr(), numTest),
      classes,
      points: copy(pg.pointsPtr(), (numTrain + numTest) * 2),
      labels: copy(pg.labelsPtr(), numTrain + numTest),
    };
  } finally {
    release(pg);
  }
}

export interface TabularOptions {
  /** Training rows (default 800) and test rows (default 200). */
  numTrain?: number;
  numTest?: number;
  /** Standard deviation of Gaussian noise on the target (default 0.1), 0..2. */
  noise?: number;
  seed?: number;
}

export interface TabularDataset {
  name: 'tabular';
  train: PointSplit;
  test: PointSplit;
  /** Column names of xs and of the target. */
  columns: string[];
  target: string;
}

/**
 * A 3-input regression table: x1, x2, x3 uniform in [-1, 1] and
 * y = 1.5·x1 − 2·x2² + x1·x3 + 0.5 + noise — a linear part, a curved one and an interaction,
 * so a linear model leaves error that a small ReLU MLP removes. Seeded (same seed, same rows).
 */
export function tabular(opts: TabularOptions = {}): TabularDataset {
  const o = checkObject(opts, 'datasets.tabular()', ['numTrain', 'numTest', 'noise', 'seed']);
  const numTrain = (o.numTrain as number | undefined) ?? 800;
  const numTest = (o.numTest as number | undefined) ?? 200;
  const noise = (o.noise as number | undefined) ?? 0.1;
  const seed = (o.seed as number | undefined) ?? 0;
  for (const [k, v, lo] of [['numTrain', numTrain, 1], ['numTest', numTest, 1]] as const) {
    if (!Number.isInteger(v) || v < lo || v > 1_000_000) throw new Error(`nnplay: datasets.tabular(): ${k} must be an integer in [${lo}, 1000000], got ${v}`);
  }
  if (typeof noise !== 'number' || !(noise >= 0 && noise <= 2)) throw new Error(`nnplay: datasets.tabular(): noise must be a number in [0, 2], got ${noise}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`nnplay: datasets.tabular(): seed must be an integer >= 0, got ${seed}`);
  const n = numTrain + numTest;
  const xt = randomUniform([n, 3], -1, 1, 'float32', seed);
  const et = randomNormal([n], 0, 1, 'float32', seed + 1);
  const x = xt.dataSync();
  const e = et.dataSync();
  xt.dispose();
  et.dispose();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
    y[i] = 1.5 * a - 2 * b * b + a * c + 0.5 + noise * e[i];
  }
  const split = (from: number, count: number): PointSplit => ({
    xs: new Tensor(x.slice(3 * from, 3 * (from + count)), [count, 3]),
    ys: new Tensor(y.slice(from, from + count), [count, 1]),
    n: count,
  });
  return { name: 'tabular', train: split(0, numTrain), test: split(numTrain, numTest), columns: ['x1', 'x2', 'x3'], target: 'y' };
}

function valuesOf(t: Tensor | ArrayLike<number>, what: string): ArrayLike<number> {
  const v = t instanceof Tensor ? t.dataSync() : t;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new Error(`nnplay: ${what} contains ${v[i]} at index ${i}`);
  return v;
}

export interface RegressionReport {
  /** Coefficient of determination 1 − SS_res / SS_tot (1 is perfect, 0 is predicting the mean). */
  r2: number;
  /** Root mean squared error, in the target's units. */
  rmse: number;
  /** Mean absolute error. */
  mae: number;
  n: number;
}

/**
 * R², RMSE and MAE of predictions against targets (tensors or arrays of the same length, any
 * shape: compared element by element), computed in double. A constant target has R² 0 when
 * predicted exactly, −Infinity otherwise (scikit-learn's r2_score says 1.0 / 0.0 there; we keep
 * the definition).
 */
export function regressionReport(yTrue: Tensor | ArrayLike<number>, yPred: Tensor | ArrayLike<number>): RegressionReport {
  const t = valuesOf(yTrue, 'regressionReport(): yTrue');
  const p = valuesOf(yPred, 'regressionReport(): yPred');
  if (t.length !== p.length) throw new Error(`nnplay: regressionReport(): yTrue has ${t.length} values, yPred ${p.length}: they must match`);
  if (t.length === 0) throw new Error('nnplay: regressionReport(): needs at least one value');
  const n = t.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const r = t[i] - p[i];
    ssRes += r * r;
    ssTot += (t[i] - mean) * (t[i] - mean);
    abs += Math.abs(r);
  }
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 0 : -Infinity;
  return { r2, rmse: Math.sqrt(ssRes / n), mae: abs / n, n };
}

export interface ClassReport {
  /** Of the samples predicted as this class, the share that are: TP / (TP + FP); NaN if never predicted. */
  precision: number;
  /** Of the samples of this class, the share predicted so: TP / (TP + FN); NaN if it has none. */
  recall: number;
  /** Harmonic mean of precision and recall; NaN if either is, 0 if both are 0. */
  f1: number;
  /** Samples of this class (a row sum of the confusion matrix). */
  support: number;
}

export interface ClassificationReport {
  /** Samples counted and classes. */
  n: number;
  classes: number;
  /** Correct predictions over n. */
  accuracy: number;
  /** Counts [true class, predicted class], row-major classes × classes; its sum is n. */
  confusion: Uint32Array;
  perClass: ClassReport[];
  /** Unweighted means over the classes that have a value (scikit-learn's macro average). */
  macro: { precision: number; recall: number; f1: number };
}

/** Class ids from labels ([n] or [n, 1] ids) or scores ([n, k] probabilities / one-hot: argmax). */
function classIds(t: Tensor | ArrayLike<number>, what: string): { ids: Int32Array; k: number } {
  const v = valuesOf(t, `classificationReport(): ${what}`);
  const shape = t instanceof Tensor ? t.shape : [v.length];
  const width = shape.length === 2 ? shape[1] : 1;
  if (shape.length > 2 || v.length === 0) throw new Error(`nnplay: classificationReport(): ${what} must be class ids [n] / [n, 1] or scores [n, classes], got shape [${shape.join(', ')}]`);
  const n = v.length / width;
  const ids = new Int32Array(n);
  if (width === 1) {
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(v[i]) || v[i] < 0) throw new Error(`nnplay: classificationReport(): ${what} holds ${v[i]} at index ${i}; class ids are whole numbers from 0`);
      ids[i] = v[i];
    }
    let top = 0;
    for (const id of ids) top = Math.max(top, id);
    return { ids, k: top + 1 };
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (v[i * width + c] > v[i * width + best]) best = c;
    ids[i] = best;
  }
  return { ids, k: width };
}

/**
 * Accuracy, the confusion matrix and per-class precision, recall and F1 of a classifier's
 * predictions: yTrue as class ids ([n] or [n, 1]) or one-hot [n, classes], yPred as class ids or
 * scores [n, classes] (the predicted class is the argmax, as model.predict gives them). `classes`
 * fixes the number of classes (default: the score width, or the largest id + 1).
 */
export function classificationReport(yTrue: Tensor | ArrayLike<number>, yPred: Tensor | ArrayLike<number>, opts: { classes?: number } = {}): ClassificationReport {
  const given = opts.classes;
  if (given !== undefined && (!Number.isInteger(given) || given < 2 || given > 10_000)) throw new Error(`nnplay: classificationReport(): classes must be a whole number from 2 to 10000, got ${given}`);
  const t = classIds(yTrue, 'yTrue');
  const p = classIds(yPred, 'yPred');
  if (t.ids.length !== p.ids.length) throw new Error(`nnplay: classificationReport(): yTrue has ${t.ids.length} samples, yPred ${p.ids.length}: they must match`);
  const k = given ?? Math.max(t.k, p.k);
  const n = t.ids.length;
  const confusion = new Uint32Array(k * k);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const [a, b] = [t.ids[i], p.ids[i]];
    if (a >= k || b >= k) throw new Error(`nnplay: classificationReport(): sample ${i} has class ${Math.max(a, b)}, but there are ${k} classes (0 to ${k - 1})`);
    confusion[a * k + b]++;
    if (a === b) correct++;
  }
  const perClass: ClassReport[] = [];
  for (let c = 0; c < k; c++) {
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < k; j++) {
      predicted += confusion[j * k + c];
      support += confusion[c * k + j];
    }
    const tp = confusion[c * k + c];
    const precision = predicted > 0 ? tp / predicted : NaN;
    const recall = support > 0 ? tp / support : NaN;
    const f1 = Number.isNaN(precision) || Number.isNaN(recall) ? NaN : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
  }
  const mean = (key: keyof ClassReport) => {
    const vs = perClass.map((r) => r[key]).filter((x) => !Number.isNaN(x));
    return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN;
  };
  return { n, classes: k, accuracy: correct / n, confusion, perClass, macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') } };
}

export interface LossSurfaceOptions {
  /** Range of the weight (columns, left to right) and of the bias (rows, top = high). */
  w: [number, number];
  b: [number, number];
  /** Grid points per side, 2..200 (default 60). */
  steps?: number;
}

export interface LossSurface {
  /** MSE at [row, column], row-major [steps, steps]: row r has b = b[1] − (b[1]−b[0])·r/(steps−1),
   *  column c has w = w[0] + (w[1]−w[0])·c/(steps−1). */
  values: Float32Array;
  steps: number;
  w: [number, number];
  b: [number, number];
  min: number;
  max: number;
}

/**
 * The mean squared error of the line ŷ = w·x + b on (x, y) for every (w, b) of a grid: the
 * landscape gradient descent walks on in linear regression. xs [n, 1] (or [n]), ys [n, 1] (or [n]).
 * Needs the engine loaded (the predictions of all lines are one matMul on the engine's GEMM).
 */
export function linearLossSurface(xs: Tensor, ys: Tensor, opts: LossSurfaceOptions): LossSurface {
  const steps = opts.steps ?? 60;
  if (!Number.isInteger(steps) || steps < 2 || steps > 200) throw new Error(`nnplay: linearLossSurface(): steps must be an integer in [2, 200], got ${steps}`);
  for (const k of ['w', 'b'] as const) {
    const r = opts[k];
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
      throw new Error(`nnplay: linearLossSurface(): ${k} must be a range [lo, hi] with lo < hi, got ${JSON.stringify(r)}`);
    }
  }
  const x = valuesOf(xs, 'linearLossSurface(): xs');
  const y = valuesOf(ys, 'linearLossSurface(): ys');
  if (x.length !== y.length || x.length === 0) throw new Error(`nnplay: linearLossSurface(): xs has ${x.length} values, ys ${y.length}: one x per y, at least one`);
  const n = x.length;
  const g = steps * steps;
  // Inputs [n, 2] = (x, 1); lines [2, g] = (w; b); predictions [n, g] = inputs · lines.
  const inputs = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    inputs[2 * i] = x[i];
    inputs[2 * i + 1] = 1;
  }
  const lines = new Float32Array(2 * g);
  const [w0, w1] = opts.w;
  const [b0, b1] = opts.b;
  for (let r = 0; r < steps; r++) {
    for (let c = 0; c < steps; c++) {
      lines[r * steps + c] = w0 + ((w1 - w0) * c) / (steps - 1);
      lines[g + r * steps + c] = b1 - ((b1 - b0) * r) / (steps - 1);
    }
  }
  const a = new Tensor(inputs, [n, 2]);
  const l = new Tensor(lines, [2, g]);
  const predT = matMul(a, l);
  const pred = predT.dataSync();
  a.dispose();
  l.dispose();
  predT.dispose();
  const sums = new Float64Array(g);
  for (let i = 0; i < n; i++) {
    const row = i * g;
    const yi = y[i];
    for (let j = 0; j < g; j++) {
      const d = pred[row + j] - yi;
      sums[j] += d * d;
    }
  }
  const values = new Float32Array(g);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < g; j++) {
    values[j] = sums[j] / n;
    min = Math.min(min, values[j]);
    max = Math.max(max, values[j]);
  }
  return { values, steps, w: [w0, w1], b: [b0, b1], min, max };
}

// Reductions (sum, mean, min, max, prod, argMax, argMin), and the ops built on them: moments,
// norm, softmax, logSumExp, topk. They run in JS, accumulating in double.
//
// Dtypes as TF.js: sum and prod of int32 or bool give int32, mean gives float32, min and max
// keep the dtype, argMax / argMin give int32 indices (the first of equal values). Composite ops
// (mean, moments, norm, logSumExp) run their parts in a scope, so only their results count as
// tensors (as TF.js's ops do) and their gradients follow from their parts'.
import { Tensor, shapeSize } from '../tensor';
import type { DataType, TensorInput } from '../tensor';
import { runScoped } from './scope';
import { record } from './tape';
import { allocate, broadcastIndex, fail, makeTensor, normalizeAxes, normalizeAxis, release, requireDtype, toTensor } from './util';
import { abs, div, exp, log, mapFloat, mul, pow, sqrt, square, sub, cast, equal } from './elementwise';
import { broadcastTo, reshape } from './shape';

type Axis = number | number[] | null | undefined;

const isTensor = (v: unknown): boolean => v instanceof Tensor;

/** Runs a composite op's parts in a scope: only what it returns survives. */
export function composite<T>(op: string, fn: () => T): T {
  return runScoped(op, fn, isTensor);
}

function keptShape(shape: readonly number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function outShape(shape: readonly number[], axes: number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

// For each input value, the flat index of the output it reduces into.
function reduceIndex(shape: readonly number[], axes: number[]): Int32Array {
  return broadcastIndex(keptShape(shape, axes), shape);
}

function accumulate(x: Tensor, axes: number[], init: number, step: (acc: number, v: number) => number): Float64Array {
  const kept = keptShape(x.shape, axes);
  const acc = new Float64Array(shapeSize(kept)).fill(init);
  const xv = x.raw();
  const index = reduceIndex(x.shape, axes);
  for (let i = 0; i < xv.length; i++) acc[index[i]] = step(acc[index[i]], xv[i]);
  return acc;
}

/** dy of a reduction (shape without or with kept dims) back to the input's shape. */
function spread(dy: Tensor, x: Tensor, axes: number[]): Tensor {
  return broadcastTo(reshape(dy, keptShape(x.shape, axes)), x.shape);
}

function reduction(
  op: string,
  x: TensorInput,
  axis: Axis,
  keepDims: boolean,
  dtypeOf: (input: DataType) => DataType,
  init: number,
  step: (acc: number, v: number) => number,
  grad: ((dy: Tensor, x: Tensor, y: Tensor, axes: number[]) => Tensor) | null,
): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const axes = normalizeAxes(op, axis, t.rank);
  const acc = accumulate(t, axes, init, step);
  const dtype = dtypeOf(t.dtype);
  const out = allocate(dtype, acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = acc[i];
  const y = makeTensor(out, outShape(t.shape, axes, keepDims), dtype);
  if (grad) record(op, [t], y, ([dy], { inputs: [xs], outputs: [ys] }) => [grad(dy, xs, ys, axes)]);
  release(converted);
  return y;
}

const countingType = (d: DataType): DataType => (d === 'float32' ? 'float32' : 'int32');
const sameType = (d: DataType): DataType => d;

export function sum(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('sum', x, axis, keepDims, countingType, 0, (a, v) => a + v, (dy, xs, _ys, axes) => spread(dy, xs, axes));
}

export function prod(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('prod', x, axis, keepDims, countingType, 1, (a, v) => a * v, () => {
    throw new Error('nnplay: grad(): prod has no gradient rule yet (write it as exp(sum(log(x))) for positive x)');
  });
}

function extremumGrad(dy: Tensor, xs: Tensor, ys: Tensor, axes: number[]): Tensor {
  const yFull = broadcastTo(reshape(ys, keptShape(xs.shape, axes)), xs.shape);
  return mul(spread(dy, xs, axes), cast(equal(xs, yFull), 'float32'));
}

export function max(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('max', x, axis, keepDims, sameType, -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a), extremumGrad);
}

export function min(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('min', x, axis, keepDims, sameType, Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a), extremumGrad);
}

/** The mean (float32 whatever the input dtype, as TF.js). */
export function mean(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'mean', converted);
  const axes = normalizeAxes('mean', axis, t.rank);
  let count = 1;
  for (const a of axes) count *= t.shape[a];
  // An empty reduction has mean 0 in TF.js (not NaN).
  const y = composite('mean', () => div(sum(t.dtype === 'float32' ? t : cast(t, 'float32'), axes, keepDims), Math.max(count, 1)));
  release(converted);
  return y;
}

function argExtremum(op: string, x: TensorInput, axis: number, better: (v: number, best: number) => boolean): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank === 0) fail(op, 'needs a tensor of rank >= 1, got a scalar');
    const a = normalizeAxis(op, axis, t.rank);
    const outer = shapeSize(t.shape.slice(0, a));
    const n = t.shape[a];
    const inner = shapeSize(t.shape.slice(a + 1));
    if (n === 0) fail(op, `axis ${a} has size 0: there is no ${op === 'argMax' ? 'largest' : 'smallest'} value to point to`);
    const xv = t.raw();
    const out = new Int32Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = xv[base];
        let at = 0;
        for (let j = 1; j < n; j++) {
          const v = xv[base + j * inner];
          if (better(v, best)) {
            best = v;
            at = j;
          }
        }
        out[o * inner + i] = at;
      }
    }
    return makeTensor(out, t.shape.filter((_, i) => i !== a), 'int32');
  } finally {
    release(converted);
  }
}

/** Index of the largest value along `axis` (default 0, as TF.js), int32. */
export function argMax(x: TensorInput, axis = 0): Tensor {
  return argExtremum('argMax', x, axis, (v, best) => v > best);
}

/** Index of the smallest value along `axis` (default 0, as TF.js), int32. */
export function argMin(x: TensorInput, axis = 0): Tensor {
  return argExtremum('argMin', x, axis, (v, best) => v < best);
}

/** {mean, variance} over `axis` (all by default); variance is the population variance, as TF.js. */
export function moments(x: TensorInput, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'moments', converted);
  const axes = normalizeAxes('moments', axis, t.rank);
  const result = composite('moments', () => {
    const xf = t.dtype === 'float32' ? t : cast(t, 'float32');
    const m = mean(xf, axes, true);
    const variance = mean(square(sub(xf, m)), axes, keepDims);
    return { mean: keepDims ? m : reshape(m, outShape(t.shape, axes, false)), variance };
  });
  release(converted);
  return result;
}

/**
 * Vector norms over `axis` (all values by default): ord 'euclidean' (= 2), 1, Infinity,
 * -Infinity or any other number p; matrix norms over two axes: 'fro' (= 'euclidean'), 1,
 * Infinity. As TF.js.
 */
export function norm(x: TensorInput, ord: number | 'euclidean' | 'fro' = 'euclidean', axis?: Axis, keepDims = false): Tensor {
  const op = 'norm';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    requireDtype(t, 'x', op, ['float32']);
    const axes = axis === undefined || axis === null ? null : normalizeAxes(op, axis, t.rank);
    if (axes && axes.length > 2) fail(op, `axis names ${axes.length} dimensions; a norm is over 1 (vector) or 2 (matrix)`);
    const y = composite(op, () => {
      if (axes === null || axes.length === 1) return vectorNorm(op, t, ord, axes);
      const [a0, a1] = axis as number[] as [number, number];
      const [r, c] = [normalizeAxis(op, a0, t.rank), normalizeAxis(op, a1, t.rank)];
      if (ord === 'euclidean' || ord === 'fro') return sqrt(sum(square(t), axes));
      if (ord === 1) return max(sum(abs(t), r, true), c, true);
      if (ord === Infinity) return max(sum(abs(t), c, true), r, true);
      if (ord === -Infinity) return min(sum(abs(t), c, true), r, true);
      if (ord === -1) return min(sum(abs(t), r, true), c, true);
      return fail(op, `a matrix norm takes ord 'fro', 'euclidean', 1, -1, Infinity or -Infinity, got ${String(ord)}`);
    });
    if (axes === null && !keepDims) return y;
    const shape = outShape(t.shape, axes ?? normalizeAxes(op, null, t.rank), keepDims);
    if (y.shape.length === shape.length && y.shape.every((d, i) => d === shape[i])) return y;
    const r = reshape(y, shape);
    y.dispose();
    return r;
  } finally {
    release(converted);
  }
}

function vectorNorm(op: string, t: Tensor, ord: number | string, axes: number[] | null): Tensor {
  const all = axes ?? undefined;
  if (ord === 'euclidean' || ord === 2) return sqrt(sum(square(t), all));
  if (ord === 'fro') {
    if (axes === null) return sqrt(sum(square(t)));
    fail(op, "ord 'fro' is a matrix norm: it needs two axes");
  }
  if (ord === 1) return sum(abs(t), all);
  if (ord === Infinity) return max(abs(t), all);
  if (ord === -Infinity) return min(abs(t), all);
  if (typeof ord === 'number' && Number.isFinite(ord) && ord !== 0) return pow(sum(pow(abs(t), ord), all), 1 / ord);
  return fail(op, `a vector norm takes ord 'euclidean', 1, 2, Infinity, -Infinity or another non-zero number, got ${String(ord)}`);
}

/** log(sum(exp(x))) over `axis`, computed stably (max subtracted first). */
export function logSumExp(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'logSumExp', converted);
  requireDtype(t, 'x', 'logSumExp', ['float32']);
  const axes = normalizeAxes('logSumExp', axis, t.rank);
  const y = composite('logSumExp', () => {
    const m = max(t, axes, true);
    const shifted = mapFloat(m, (v) => (Number.isFinite(v) ? v : 0)); // constant: no gradient
    const r = log(sum(exp(sub(t, shifted)), axes, true));
    const out = r.add(shifted);
    return keepDims ? out : reshape(out, outShape(t.shape, axes, false));
  });
  release(converted);
  return y;
}

/** Softmax over the last dimension (TF.js supports only dim -1 too). float32 logits. */
export function softmax(logits: TensorInput, dim = -1): Tensor {
  const op = 'softmax';
  const converted: Tensor[] = [];
  const t = toTensor(logits, 'logits', op, converted);
  try {
    requireDtype(t, 'logits', op, ['float32']);
    if (t.rank === 0) fail(op, 'needs logits of rank >= 1, got a scalar');
    const d = normalizeAxis(op, dim, t.rank, 'dim');
    if (d !== t.rank - 1) fail(op, `works along the last dimension only (dim -1 or ${t.rank - 1}), got dim ${dim}`);
    const n = t.shape[d];
    const xv = t.raw();
    const out = new Float32Array(xv.length);
    for (let base = 0; base < xv.length; base += n) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, xv[base + j]);
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(xv[base + j] - m);
      for (let j = 0; j < n; j++) out[base + j] = Math.exp(xv[base + j] - m) / s;
    }
    const y = makeTensor(out, t.shape, 'float32');
    record(op, [t], y, ([dy], { outputs: [ys] }) => [mul(ys, sub(dy, sum(mul(dy, ys), -1, true)))]);
    return y;
  } finally {
    release(converted);
  }
}

/** The k largest values along the last dimension and their int32 indices (ties: lower index first). */
export function topk(x: TensorInput, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const op = 'topk';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank === 0) fail(op, 'needs a tensor of rank >= 1, got a scalar');
    const n = t.shape[t.rank - 1];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) fail(op, `k must be an integer in [0, ${n}] (the last dimension), got ${String(k)}`);
    void sorted; // results are always sorted, which TF.js allows for sorted: false too
    const rows = n === 0 ? 0 : t.size / n;
    const xv = t.raw();
    const values = allocate(t.dtype, rows * k);
    const indices = new Int32Array(rows * k);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let r = 0; r < rows; r++) {
      const base = r * n;
      order.sort((i, j) => xv[base + j] - xv[base + i] || i - j);
      for (let j = 0; j < k; j++) {
        values[r * k + j] = xv[base + order[j]];
        indices[r * k + j] = order[j];
      }
      for (let i = 0; i < n; i++) order[i] = i;
    }
    const shape = [...t.shape.slice(0, -1), k];
    return { values: makeTensor(values, shape, t.dtype), indices: makeTensor(indices, shape, 'int32') };
  } finally {
    release(converted);
  }
}

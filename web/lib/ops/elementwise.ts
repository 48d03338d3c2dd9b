// Elementwise ops: cast, unary math, binary arithmetic and comparisons with TF.js broadcasting,
// logical ops, where, clipByValue. They run in JS: one pass over the values, in double, stored
// once into the result's array (float32 rounding as TF.js's cpu backend rounds).
//
// Dtypes follow TF.js: arguments are upcast (bool < int32 < float32; a plain number is float32);
// comparisons give bool; int32 / int32 is floor division; sqrt, log, sigmoid and tanh need
// float32 (TF.js refuses int32 there too). Each op's backward rule sits beside its forward.
import { Tensor, checkDtype, shapeSize, toDataArray } from '../tensor';
import type { DataType, TensorInput } from '../tensor';
import { record } from './tape';
import { allocate, broadcastIndex, broadcastShapes, castValues, fail, makeTensor, release, requireDtype, toTensor, upcast } from './util';
import { reshape } from './shape';
import { sum } from './reduce';

// ---- shared forward loops ------------------------------------------------------------------

function mapValues(x: Tensor, outType: DataType, f: (v: number) => number): Tensor {
  const xv = x.raw();
  const n = xv.length;
  if (outType === 'bool') {
    const tmp = new Float64Array(n);
    for (let i = 0; i < n; i++) tmp[i] = f(xv[i]);
    return makeTensor(toDataArray(tmp, 'bool'), x.shape, 'bool');
  }
  const out = allocate(outType, n);
  for (let i = 0; i < n; i++) out[i] = f(xv[i]);
  return makeTensor(out, x.shape, outType);
}

function zipValues(op: string, x: Tensor, y: Tensor, outType: DataType, f: (a: number, b: number) => number): Tensor {
  const shape = broadcastShapes(op, x.shape, y.shape);
  const n = shapeSize(shape);
  const xv = x.raw();
  const yv = y.raw();
  const out = allocate(outType, n);
  if (xv.length === n && yv.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(xv[i], yv[i]);
  } else if (xv.length === n && yv.length === 1) {
    const b = yv[0];
    for (let i = 0; i < n; i++) out[i] = f(xv[i], b);
  } else if (yv.length === n && xv.length === 1) {
    const a = xv[0];
    for (let i = 0; i < n; i++) out[i] = f(a, yv[i]);
  } else {
    const xi = xv.length === n ? null : broadcastIndex(x.shape, shape);
    const yi = yv.length === n ? null : broadcastIndex(y.shape, shape);
    for (let i = 0; i < n; i++) out[i] = f(xv[xi ? xi[i] : i], yv[yi ? yi[i] : i]);
  }
  return makeTensor(out, shape, outType);
}

/** The gradient of a broadcast input: dy summed over the dimensions broadcasting added. */
export function reduceTo(dy: Tensor, shape: readonly number[]): Tensor {
  if (dy.shape.length === shape.length && dy.shape.every((d, i) => d === shape[i])) return dy;
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(dy, axes, true), [...shape]);
}

// ---- cast ------------------------------------------------------------------------------------

/** nn.cast(x, dtype): float -> int32 truncates toward zero; -> bool is (round(v) != 0), as TF.js. */
export function cast(x: TensorInput, dtype: DataType): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'cast', converted);
  checkDtype(dtype, 'cast()');
  const out = makeTensor(castValues(t.raw(), t.dtype, dtype), t.shape, dtype);
  // TF.js: cast to bool is (v != 0) for floats too; toDataArray rounds first, so do it directly.
  if (dtype === 'bool' && t.dtype === 'float32') {
    const v = out.raw();
    const src = t.raw();
    for (let i = 0; i < v.length; i++) v[i] = src[i] !== 0 ? 1 : 0;
  }
  record('cast', [t], out, ([dy]) => [dy]);
  release(converted);
  return out;
}

// ---- unary -------------------------------------------------------------------------------------

export interface UnaryRule {
  /** Which input dtypes the op takes ('same': any; the result keeps it). */
  input: 'float32' | 'any-to-float' | 'same';
  f: (v: number) => number;
  /** d(input) from dy, the input x and the output y (float32 tensors). */
  grad: (dy: Tensor, x: Tensor, y: Tensor) => Tensor;
}

/** One elementwise op of one tensor (ops/math.ts builds on it too). */
export function unary(op: string, x: TensorInput, rule: UnaryRule): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  if (rule.input === 'float32') requireDtype(t, 'x', op, ['float32']);
  const src = rule.input === 'any-to-float' && t.dtype !== 'float32' ? cast(t, 'float32') : t;
  const out = mapValues(src, rule.input === 'same' ? src.dtype : 'float32', rule.f);
  if (src !== t) src.dispose();
  record(op, [t], out, ([dy], { inputs: [xs], outputs: [ys] }) => [rule.grad(dy, xs, ys)]);
  release(converted);
  return out;
}

const sigmoidOf = (v: number): number => 1 / (1 + Math.exp(-v));

export function neg(x: TensorInput): Tensor {
  return unary('neg', x, { input: 'same', f: (v) => -v, grad: (dy) => neg(dy) });
}
export function abs(x: TensorInput): Tensor {
  return unary('abs', x, { input: 'same', f: Math.abs, grad: (dy, xs) => mul(dy, mapValues(xs, 'float32', Math.sign)) });
}
export function sqrt(x: TensorInput): Tensor {
  return unary('sqrt', x, { input: 'float32', f: Math.sqrt, grad: (dy, _xs, ys) => div(dy, mul(ys, 2)) });
}
export function square(x: TensorInput): Tensor {
  return unary('square', x, { input: 'same', f: (v) => v * v, grad: (dy, xs) => mul(dy, mul(xs, 2)) });
}
export function exp(x: TensorInput): Tensor {
  return unary('exp', x, { input: 'any-to-float', f: Math.exp, grad: (dy, _xs, ys) => mul(dy, ys) });
}
export function log(x: TensorInput): Tensor {
  return unary('log', x, { input: 'float32', f: Math.log, grad: (dy, xs) => div(dy, xs) });
}
/** log(1 + x), exact for small x (where log(add(1, x)) loses x to the rounding of 1 + x). */
export function log1p(x: TensorInput): Tensor {
  return unary('log1p', x, { input: 'float32', f: Math.log1p, grad: (dy, xs) => div(dy, add(xs, 1)) });
}
export function sigmoid(x: TensorInput): Tensor {
  return unary('sigmoid', x, {
    input: 'float32',
    f: sigmoidOf,
    grad: (dy, _xs, ys) => mul(dy, mapValues(ys, 'float32', (s) => s * (1 - s))),
  });
}
export function tanh(x: TensorInput): Tensor {
  return unary('tanh', x, { input: 'float32', f: Math.tanh, grad: (dy, _xs, ys) => mul(dy, mapValues(ys, 'float32', (t) => 1 - t * t)) });
}
export function relu(x: TensorInput): Tensor {
  return unary('relu', x, { input: 'same', f: (v) => (v > 0 ? v : 0), grad: (dy, xs) => mul(dy, mapValues(xs, 'float32', (v) => (v > 0 ? 1 : 0))) });
}

// ---- binary ------------------------------------------------------------------------------------

export type BinaryGrad = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

/** One elementwise op of two broadcast tensors, dtype by outType of the upcast common dtype. */
export function binary(
  op: string,
  a: TensorInput,
  b: TensorInput,
  outType: (common: DataType) => DataType,
  f: (x: number, y: number, common: DataType) => number,
  grad: BinaryGrad | null,
): Tensor {
  const converted: Tensor[] = [];
  const ta = toTensor(a, 'a', op, converted);
  const tb = toTensor(b, 'b', op, converted);
  const common = upcast(ta.dtype, tb.dtype);
  const out = zipValues(op, ta, tb, outType(common), (x, y) => f(x, y, common));
  if (grad) {
    record(op, [ta, tb], out, ([dy], { inputs: [xa, xb], outputs: [ys] }) => {
      const [da, db] = grad(dy, xa, xb, ys);
      return [da && reduceTo(da, xa.shape), db && reduceTo(db, xb.shape)];
    });
  }
  release(converted);
  return out;
}

// Arithmetic on two bools is done as int32 (TF.js keeps bool and stores 2 as a bool; no program relies on that).
export const arithmetic = (common: DataType): DataType => (common === 'bool' ? 'int32' : common);
const boolean = (): DataType => 'bool';

export function add(a: TensorInput, b: TensorInput): Tensor {
  return binary('add', a, b, arithmetic, (x, y) => x + y, (dy) => [dy, dy]);
}
export function sub(a: TensorInput, b: TensorInput): Tensor {
  return binary('sub', a, b, arithmetic, (x, y) => x - y, (dy) => [dy, neg(dy)]);
}
export function mul(a: TensorInput, b: TensorInput): Tensor {
  return binary('mul', a, b, arithmetic, (x, y) => x * y, (dy, xa, xb) => [mul(dy, xb), mul(dy, xa)]);
}
/** a / b; two int32 (or bool) tensors divide with floor, as TF.js's div does. */
export function div(a: TensorInput, b: TensorInput): Tensor {
  return binary(
    'div',
    a,
    b,
    arithmetic,
    (x, y, common) => (common === 'float32' ? x / y : Math.floor(x / y)),
    (dy, xa, xb) => [div(dy, xb), neg(div(mul(dy, xa), square(xb)))],
  );
}
export function floorDiv(a: TensorInput, b: TensorInput): Tensor {
  return binary('floorDiv', a, b, () => 'int32', (x, y) => Math.floor(x / y), null);
}
export function pow(base: TensorInput, exponent: TensorInput): Tensor {
  return binary('pow', base, exponent, arithmetic, (x, y) => Math.pow(x, y), (dy, xa, xb, ys) => [
    mul(dy, mul(xb, pow(xa, sub(xb, 1)))),
    mul(dy, mul(ys, zipValues('pow', xa, xa, 'float32', (v) => (v > 0 ? Math.log(v) : 0)))),
  ]);
}
export function minimum(a: TensorInput, b: TensorInput): Tensor {
  return binary('minimum', a, b, arithmetic, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)), (dy, xa, xb) => [
    mul(dy, cast(lessEqual(xa, xb), 'float32')),
    mul(dy, cast(greater(xa, xb), 'float32')),
  ]);
}
export function maximum(a: TensorInput, b: TensorInput): Tensor {
  return binary('maximum', a, b, arithmetic, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)), (dy, xa, xb) => [
    mul(dy, cast(greaterEqual(xa, xb), 'float32')),
    mul(dy, cast(less(xa, xb), 'float32')),
  ]);
}
export function squaredDifference(a: TensorInput, b: TensorInput): Tensor {
  return binary('squaredDifference', a, b, arithmetic, (x, y) => (x - y) * (x - y), (dy, xa, xb) => {
    const d = mul(dy, mul(sub(xa, xb), 2));
    return [d, neg(d)];
  });
}

export function equal(a: TensorInput, b: TensorInput): Tensor {
  return binary('equal', a, b, boolean, (x, y) => (x === y ? 1 : 0), null);
}
export function notEqual(a: TensorInput, b: TensorInput): Tensor {
  return binary('notEqual', a, b, boolean, (x, y) => (x !== y ? 1 : 0), null);
}
export function greater(a: TensorInput, b: TensorInput): Tensor {
  return binary('greater', a, b, boolean, (x, y) => (x > y ? 1 : 0), null);
}
export function greaterEqual(a: TensorInput, b: TensorInput): Tensor {
  return binary('greaterEqual', a, b, boolean, (x, y) => (x >= y ? 1 : 0), null);
}
export function less(a: TensorInput, b: TensorInput): Tensor {
  return binary('less', a, b, boolean, (x, y) => (x < y ? 1 : 0), null);
}
export function lessEqual(a: TensorInput, b: TensorInput): Tensor {
  return binary('lessEqual', a, b, boolean, (x, y) => (x <= y ? 1 : 0), null);
}

export function logical(op: string, a: TensorInput, b: TensorInput, f: (x: number, y: number) => number): Tensor {
  const converted: Tensor[] = [];
  const ta = toTensor(a, 'a', op, converted, typeof a === 'boolean' || Array.isArray(a) ? 'bool' : undefined);
  const tb = toTensor(b, 'b', op, converted, typeof b === 'boolean' || Array.isArray(b) ? 'bool' : undefined);
  try {
    requireDtype(ta, 'a', op, ['bool']);
    requireDtype(tb, 'b', op, ['bool']);
    return zipValues(op, ta, tb, 'bool', f);
  } finally {
    release(converted);
  }
}
export function logicalAnd(a: TensorInput, b: TensorInput): Tensor {
  return logical('logicalAnd', a, b, (x, y) => x & y);
}
export function logicalOr(a: TensorInput, b: TensorInput): Tensor {
  return logical('logicalOr', a, b, (x, y) => x | y);
}
export function logicalNot(x: TensorInput): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'logicalNot', converted, typeof x === 'boolean' || Array.isArray(x) ? 'bool' : undefined);
  try {
    requireDtype(t, 'x', 'logicalNot', ['bool']);
    return mapValues(t, 'bool', (v) => 1 - v);
  } finally {
    release(converted);
  }
}

// ---- where, clipByValue ----------------------------------------------------------------------

/** nn.where(condition, a, b): a where condition is true, else b; all three broadcast (TF.js 4). */
export function where(condition: TensorInput, a: TensorInput, b: TensorInput): Tensor {
  const op = 'where';
  const converted: Tensor[] = [];
  const tc = toTensor(condition, 'condition', op, converted, typeof condition === 'boolean' || Array.isArray(condition) ? 'bool' : undefined);
  const ta = toTensor(a, 'a', op, converted);
  const tb = toTensor(b, 'b', op, converted);
  try {
    requireDtype(tc, 'condition', op, ['bool']);
    const dtype = upcast(ta.dtype, tb.dtype);
    const shape = broadcastShapes(op, broadcastShapes(op, tc.shape, ta.shape), tb.shape);
    const n = shapeSize(shape);
    const ci = broadcastIndex(tc.shape, shape);
    const ai = broadcastIndex(ta.shape, shape);
    const bi = broadcastIndex(tb.shape, shape);
    const cv = tc.raw();
    const av = ta.raw();
    const bv = tb.raw();
    const out = allocate(dtype, n);
    for (let i = 0; i < n; i++) out[i] = cv[ci[i]] ? av[ai[i]] : bv[bi[i]];
    const result = makeTensor(out, shape, dtype);
    record(op, [tc, ta, tb], result, ([dy], { inputs: [xc, xa, xb] }) => {
      const mask = cast(xc, 'float32');
      return [null, reduceTo(mul(dy, mask), xa.shape), reduceTo(mul(dy, sub(1, mask)), xb.shape)];
    });
    return result;
  } finally {
    release(converted);
  }
}

/** Each value clamped into [min, max] (the dtype is kept: an int32 tensor stays int32). */
export function clipByValue(x: TensorInput, min: number, max: number): Tensor {
  const op = 'clipByValue';
  if (typeof min !== 'number' || typeof max !== 'number' || !(min <= max)) {
    fail(op, `needs numbers min <= max, got min ${String(min)} and max ${String(max)}`);
  }
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const out = mapValues(t, t.dtype, (v) => (Number.isNaN(v) ? v : v < min ? min : v > max ? max : v));
  record(op, [t], out, ([dy], { inputs: [xs] }) => [mul(dy, mapValues(xs, 'float32', (v) => (v >= min && v <= max ? 1 : 0)))]);
  release(converted);
  return out;
}

/** Internal: a float32 tensor of f over x's values (backward rules use it for masks and slopes). */
export function mapFloat(x: Tensor, f: (v: number) => number): Tensor {
  return mapValues(x, 'float32', f);
}


// More of TF.js's elementwise and scan ops, the ones its tutorials and guides reach for after
// the core set (elementwise.ts): trigonometry, rounding, the activations as ops, predicates,
// mod / atan2 / divNoNan / logicalXor, cumsum, cumprod, reverse, all / any, logSoftmax, and the small
// composites addN, outerProduct, diag, euclideanNorm, prelu, dropout and unique. They run in JS
// as the core ops do, each backward rule beside its forward.
//
// Plain functions only (nn.sin(x), not x.sin()): a chained method would keep every op in the
// JS an app loads at start whether it calls it or not; as functions, a bundler drops the ones
// an app does not import. docs/API.md's table of names not yet supported lists the chained forms.
//
// Dtypes: the float ops take float32 only. TF.js 4.22 refuses int32 for sin, cos, tan, cosh,
// floor, ceil, rsqrt and elu too; for asin, atan, sinh, reciprocal, expm1, softplus, selu, atan2
// and a few more it returns int32 with the fraction cut off (asin(int32 1) is 1, reciprocal of
// int32 2 is 0), which no program means, so those say "cast it" here instead. round, sign, step,
// mod and divNoNan keep int32; leakyRelu, erf and logSoftmax give float32 for any dtype; cumsum
// of bool counts in int32; all and any take bool, as TF.js. tests/js/ops.test.ts runs each on
// both libraries.
import { Tensor, shapeSize } from '../tensor';
import type { DataArray, DataType, TensorInput } from '../tensor';
import { record } from './tape';
import { allocate, fail, makeTensor, normalizeAxes, normalizeAxis, release, requireDtype, strides, toTensor } from './util';
import { add, arithmetic, binary, cast, div, greater, logical, mapFloat, mul, neg, square, sub, unary, where } from './elementwise';
import { composite, logSumExp, norm } from './reduce';
import { clone, reshape } from './shape';
import { eye } from './create';
import { randomUniform } from './random';

// ---- trigonometry and hyperbolics ---------------------------------------------------------------

export function sin(x: TensorInput): Tensor {
  return unary('sin', x, { input: 'float32', f: Math.sin, grad: (dy, xs) => mul(dy, mapFloat(xs, Math.cos)) });
}
export function cos(x: TensorInput): Tensor {
  return unary('cos', x, { input: 'float32', f: Math.cos, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => -Math.sin(v))) });
}
export function tan(x: TensorInput): Tensor {
  return unary('tan', x, { input: 'float32', f: Math.tan, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / (Math.cos(v) * Math.cos(v)))) });
}
export function asin(x: TensorInput): Tensor {
  return unary('asin', x, { input: 'float32', f: Math.asin, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / Math.sqrt(1 - v * v))) });
}
export function acos(x: TensorInput): Tensor {
  return unary('acos', x, { input: 'float32', f: Math.acos, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => -1 / Math.sqrt(1 - v * v))) });
}
export function atan(x: TensorInput): Tensor {
  return unary('atan', x, { input: 'float32', f: Math.atan, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / (1 + v * v))) });
}
export function sinh(x: TensorInput): Tensor {
  return unary('sinh', x, { input: 'float32', f: Math.sinh, grad: (dy, xs) => mul(dy, mapFloat(xs, Math.cosh)) });
}
export function cosh(x: TensorInput): Tensor {
  return unary('cosh', x, { input: 'float32', f: Math.cosh, grad: (dy, xs) => mul(dy, mapFloat(xs, Math.sinh)) });
}
export function asinh(x: TensorInput): Tensor {
  return unary('asinh', x, { input: 'float32', f: Math.asinh, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / Math.sqrt(v * v + 1))) });
}
export function acosh(x: TensorInput): Tensor {
  return unary('acosh', x, { input: 'float32', f: Math.acosh, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / Math.sqrt(v * v - 1))) });
}
export function atanh(x: TensorInput): Tensor {
  return unary('atanh', x, { input: 'float32', f: Math.atanh, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => 1 / (1 - v * v))) });
}

// ---- rounding, sign, reciprocals ----------------------------------------------------------------

const zeroGrad = (dy: Tensor): Tensor => mul(dy, 0);

/** Round half to even (banker's rounding), as TF.js: round(2.5) = 2, round(-0.5) = -0. */
function roundHalfEven(v: number): number {
  const base = Math.floor(v);
  const rest = v - base;
  if (rest < 0.5) return base;
  if (rest > 0.5) return base + 1;
  return base % 2 === 0 ? base : base + 1;
}

export function floor(x: TensorInput): Tensor {
  return unary('floor', x, { input: 'float32', f: Math.floor, grad: zeroGrad });
}
export function ceil(x: TensorInput): Tensor {
  return unary('ceil', x, { input: 'float32', f: Math.ceil, grad: zeroGrad });
}
export function round(x: TensorInput): Tensor {
  return unary('round', x, { input: 'same', f: roundHalfEven, grad: zeroGrad });
}
/** -1, 0 or 1 (0 for NaN, as TF.js's cpu backend). */
export function sign(x: TensorInput): Tensor {
  return unary('sign', x, { input: 'same', f: (v) => (v < 0 ? -1 : v > 0 ? 1 : 0), grad: zeroGrad });
}
export function reciprocal(x: TensorInput): Tensor {
  return unary('reciprocal', x, { input: 'float32', f: (v) => 1 / v, grad: (dy, xs) => neg(div(dy, square(xs))) });
}
export function rsqrt(x: TensorInput): Tensor {
  return unary('rsqrt', x, { input: 'float32', f: (v) => 1 / Math.sqrt(v), grad: (dy, _xs, ys) => mul(dy, mapFloat(ys, (r) => -0.5 * r * r * r)) });
}
export function expm1(x: TensorInput): Tensor {
  return unary('expm1', x, { input: 'float32', f: Math.expm1, grad: (dy, xs) => mul(dy, mapFloat(xs, Math.exp)) });
}

// ---- activations as ops -----------------------------------------------------------------------

const sigmoidOf = (v: number): number => 1 / (1 + Math.exp(-v));
// TF.js's softplus: x itself above -ln(eps) - 2, exp(x) below ln(eps) + 2 (float32 eps), between
// them log1p(exp(x)); the same cut-offs give the same float32 results at the extremes.
const SOFTPLUS_CUT = Math.log(1.1920928955078125e-7) + 2;
const softplusOf = (v: number): number => (v > -SOFTPLUS_CUT ? v : v < SOFTPLUS_CUT ? Math.exp(v) : Math.log1p(Math.exp(v)));
// Keras's and TF.js's SELU constants (Klambauer et al. 2017).
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

export function softplus(x: TensorInput): Tensor {
  return unary('softplus', x, { input: 'float32', f: softplusOf, grad: (dy, xs) => mul(dy, mapFloat(xs, sigmoidOf)) });
}
/** log(sigmoid(x)) = -softplus(-x), without the underflow of log(sigmoid(x)) for large -x. */
export function logSigmoid(x: TensorInput): Tensor {
  return unary('logSigmoid', x, { input: 'float32', f: (v) => -softplusOf(-v), grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => sigmoidOf(-v))) });
}
export function elu(x: TensorInput): Tensor {
  return unary('elu', x, { input: 'float32', f: (v) => (v >= 0 ? v : Math.expm1(v)), grad: (dy, _xs, ys) => mul(dy, mapFloat(ys, (y) => (y >= 0 ? 1 : y + 1))) });
}
export function selu(x: TensorInput): Tensor {
  return unary('selu', x, {
    input: 'float32',
    f: (v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE_ALPHA * Math.expm1(v)),
    grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => (v > 0 ? SELU_SCALE : SELU_SCALE_ALPHA * Math.exp(v)))),
  });
}
/** x where x > 0, else alpha·x (TF.js's default alpha is 0.2, Keras's layer 0.3). */
export function leakyRelu(x: TensorInput, alpha = 0.2): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) fail('leakyRelu', `alpha must be a finite number, got ${String(alpha)}`);
  return unary('leakyRelu', x, { input: 'any-to-float', f: (v) => (v > 0 ? v : alpha * v), grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => (v > 0 ? 1 : alpha))) });
}
/** 1 where x > 0, else alpha (NaN stays NaN); its gradient is 0. */
export function step(x: TensorInput, alpha = 0): Tensor {
  if (typeof alpha !== 'number' || Number.isNaN(alpha)) fail('step', `alpha must be a number, got ${String(alpha)}`);
  return unary('step', x, { input: 'same', f: (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : alpha), grad: zeroGrad });
}

// The Gauss error function by Abramowitz and Stegun's formula 7.1.26 (|error| < 1.5e-7, under
// float32's resolution near 1), the formula TF.js's cpu backend uses too.
const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];
function erfOf(v: number): number {
  const s = v < 0 ? -1 : 1;
  const a = Math.abs(v);
  const t = 1 / (1 + ERF_P * a);
  const poly = t * (ERF_A[0] + t * (ERF_A[1] + t * (ERF_A[2] + t * (ERF_A[3] + t * ERF_A[4]))));
  return s * (1 - poly * Math.exp(-a * a));
}
export function erf(x: TensorInput): Tensor {
  return unary('erf', x, { input: 'any-to-float', f: erfOf, grad: (dy, xs) => mul(dy, mapFloat(xs, (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v))) });
}

// ---- predicates -------------------------------------------------------------------------------

function predicate(op: string, x: TensorInput, test: (v: number) => boolean): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const xv = t.raw();
  const out = new Uint8Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = test(xv[i]) ? 1 : 0;
  release(converted);
  return makeTensor(out, t.shape, 'bool');
}
export function isNaN(x: TensorInput): Tensor {
  return predicate('isNaN', x, Number.isNaN);
}
export function isFinite(x: TensorInput): Tensor {
  return predicate('isFinite', x, Number.isFinite);
}
export function isInf(x: TensorInput): Tensor {
  return predicate('isInf', x, (v) => v === Infinity || v === -Infinity);
}

// ---- binary -----------------------------------------------------------------------------------

/** a mod b with the sign of b (floor modulo), as TF.js and Python's %. */
export function mod(a: TensorInput, b: TensorInput): Tensor {
  return binary('mod', a, b, arithmetic, (x, y) => {
    const r = x % y;
    return (x < 0 && y < 0) || (x >= 0 && y >= 0) ? r : (r + y) % y;
  }, (dy, xa, xb) => [dy, mul(dy, neg(mapFloat(div(cast(xa, 'float32'), cast(xb, 'float32')), Math.floor)))]);
}
export function atan2(a: TensorInput, b: TensorInput): Tensor {
  const converted: Tensor[] = [];
  const ta = toTensor(a, 'a', 'atan2', converted);
  const tb = toTensor(b, 'b', 'atan2', converted);
  try {
    requireDtype(ta, 'a', 'atan2', ['float32']);
    requireDtype(tb, 'b', 'atan2', ['float32']);
    return binary('atan2', ta, tb, () => 'float32', (x, y) => Math.atan2(x, y), (dy, xa, xb) => {
      const r2 = add(square(xa), square(xb));
      return [mul(dy, div(xb, r2)), neg(mul(dy, div(xa, r2)))];
    });
  } finally {
    release(converted);
  }
}
/** a / b, and 0 where b is 0 (instead of Infinity or NaN); int32 / int32 floors, as div. */
export function divNoNan(a: TensorInput, b: TensorInput): Tensor {
  return binary('divNoNan', a, b, arithmetic, (x, y, common) => (y === 0 ? 0 : common === 'float32' ? x / y : Math.floor(x / y)), (dy, xa, xb) => {
    const safe = mapFloat(xb, (v) => (v === 0 ? 0 : 1 / v));
    return [mul(dy, safe), neg(mul(mul(dy, xa), square(safe)))];
  });
}
export function logicalXor(a: TensorInput, b: TensorInput): Tensor {
  return logical('logicalXor', a, b, (x, y) => x ^ y);
}

// ---- along one axis: cumsum, cumprod, reverse ---------------------------------------------------

// Visits every line along `axis` of a tensor of `shape`: calls line(start, stride, length) with
// the flat index of the line's first element.
function forEachLine(shape: readonly number[], axis: number, line: (start: number, stride: number, length: number) => void): void {
  const stride = strides(shape)[axis];
  const length = shape[axis];
  const total = shapeSize(shape);
  if (length === 0 || total === 0) return;
  const block = stride * length;
  for (let outer = 0; outer < total; outer += block) {
    for (let inner = 0; inner < stride; inner++) line(outer + inner, stride, length);
  }
}

// The running `combine` of the elements of each line along `axis` (from `identity`; exclusive:
// each result leaves its own element out; reverse: from the end), what cumsum and cumprod compute.
function scan(t: Tensor, axis: number, exclusive: boolean, reverse: boolean, dtype: DataType, identity: number, combine: (acc: number, v: number) => number): DataArray {
  const src = t.raw();
  const out = allocate(dtype, src.length);
  forEachLine(t.shape, axis, (start, stride, length) => {
    let acc = identity;
    for (let k = 0; k < length; k++) {
      const i = start + stride * (reverse ? length - 1 - k : k);
      if (exclusive) { out[i] = acc; acc = combine(acc, src[i]); } else { acc = combine(acc, src[i]); out[i] = acc; }
    }
  });
  return out;
}

/** Running sums along `axis` (exclusive: each sum leaves its own element out; reverse: from the end). */
export function cumsum(x: TensorInput, axis = 0, exclusive = false, reverse = false): Tensor {
  const op = 'cumsum';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank === 0) fail(op, 'needs a tensor of rank 1 or more, got a scalar');
    const ax = normalizeAxis(op, axis, t.rank);
    const dtype = t.dtype === 'bool' ? 'int32' : t.dtype;
    const y = makeTensor(scan(t, ax, exclusive, reverse, dtype, 0, (acc, v) => acc + v), t.shape, dtype);
    record(op, [t], y, ([dy]) => [cumsum(dy, ax, exclusive, !reverse)]);
    return y;
  } finally {
    release(converted);
  }
}

/**
 * Running products along `axis` (exclusive: each product leaves its own element out; reverse:
 * from the end), as TF.js's cumprod.
 */
export function cumprod(x: TensorInput, axis = 0, exclusive = false, reverse = false): Tensor {
  const op = 'cumprod';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank === 0) fail(op, 'needs a tensor of rank 1 or more, got a scalar');
    const ax = normalizeAxis(op, axis, t.rank);
    const dtype = t.dtype === 'bool' ? 'int32' : t.dtype;
    const y = makeTensor(scan(t, ax, exclusive, reverse, dtype, 1, (acc, v) => acc * v), t.shape, dtype);
    // d out_i / d x_j is the product of the other factors of out_i: taken directly (not as
    // out_i / x_j), so an element equal to 0 gets its gradient too. O(length^2) per line.
    record(op, [t], y, ([dy], { inputs: [xs] }) => {
      const xv = xs.raw();
      const dv = dy.raw();
      const dx = new Float32Array(xv.length);
      forEachLine(xs.shape, ax, (start, stride, length) => {
        const at = (k: number) => start + stride * (reverse ? length - 1 - k : k);
        for (let j = 0; j < length; j++) {
          // Output k (in scan order) has factors 0..k (0..k-1 when exclusive).
          let sum = 0;
          for (let k = exclusive ? j + 1 : j; k < length; k++) {
            let p = dv[at(k)];
            const last = exclusive ? k - 1 : k;
            for (let m = 0; m <= last; m++) if (m !== j) p *= xv[at(m)];
            sum += p;
          }
          dx[at(j)] = sum;
        }
      });
      return [makeTensor(dx, xs.shape, 'float32')];
    });
    return y;
  } finally {
    release(converted);
  }
}

/** The elements in reverse order along each of `axis` (default: every axis). */
export function reverse(x: TensorInput, axis?: number | number[]): Tensor {
  const op = 'reverse';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const axes = normalizeAxes(op, axis, t.rank);
    let values = t.raw();
    for (const ax of axes) {
      const out = allocate(t.dtype, values.length);
      const from = values;
      forEachLine(t.shape, ax, (start, stride, length) => {
        for (let k = 0; k < length; k++) out[start + stride * k] = from[start + stride * (length - 1 - k)];
      });
      values = out;
    }
    const y = makeTensor(values === t.raw() ? values.slice() : values, t.shape, t.dtype);
    record(op, [t], y, ([dy]) => [reverse(dy, axes)]);
    return y;
  } finally {
    release(converted);
  }
}

// ---- all, any, logSoftmax ---------------------------------------------------------------------

function boolReduction(op: string, x: TensorInput, axis: number | number[] | null | undefined, keepDims: boolean, init: 0 | 1): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted, typeof x === 'boolean' || Array.isArray(x) ? 'bool' : undefined);
  try {
    requireDtype(t, 'x', op, ['bool']);
    const axes = normalizeAxes(op, axis, t.rank);
    const kept = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = new Uint8Array(shapeSize(kept)).fill(init);
    const keptStrides = strides(kept);
    const src = t.raw();
    const inStrides = strides(t.shape);
    for (let i = 0; i < src.length; i++) {
      let o = 0;
      let rest = i;
      for (let d = 0; d < t.rank; d++) {
        const c = Math.floor(rest / inStrides[d]);
        rest -= c * inStrides[d];
        if (!axes.includes(d)) o += c * keptStrides[d];
      }
      out[o] = init === 1 ? out[o] & src[i] : out[o] | src[i];
    }
    const shape = keepDims ? kept : t.shape.filter((_, i) => !axes.includes(i));
    return makeTensor(out, shape, 'bool');
  } finally {
    release(converted);
  }
}
/** True where every element along `axis` is true (a bool tensor, as TF.js). */
export function all(x: TensorInput, axis?: number | number[] | null, keepDims = false): Tensor {
  return boolReduction('all', x, axis, keepDims, 1);
}
/** True where some element along `axis` is true. */
export function any(x: TensorInput, axis?: number | number[] | null, keepDims = false): Tensor {
  return boolReduction('any', x, axis, keepDims, 0);
}

/** log(softmax(logits)) along `axis` (TF.js: the last only), as logits − logSumExp(logits). */
export function logSoftmax(logits: TensorInput, axis = -1): Tensor {
  return composite('logSoftmax', () => {
    const converted: Tensor[] = [];
    const given = toTensor(logits, 'logits', 'logSoftmax', converted);
    const t = given.dtype === 'float32' ? given : cast(given, 'float32');
    return sub(t, logSumExp(t, normalizeAxis('logSoftmax', axis, t.rank), true));
  });
}

// ---- small composites ---------------------------------------------------------------------------

/** The sum of tensors of one shape and dtype (TF.js's addN: no broadcasting). */
export function addN(tensors: TensorInput[]): Tensor {
  const op = 'addN';
  if (!Array.isArray(tensors) || tensors.length === 0) fail(op, 'needs a non-empty array of tensors');
  return composite(op, () => {
    const converted: Tensor[] = [];
    const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, op, converted));
    ts.forEach((t, i) => {
      if (t.dtype !== ts[0].dtype || t.shape.length !== ts[0].shape.length || t.shape.some((d, j) => d !== ts[0].shape[j])) {
        fail(op, `tensors[${i}] is ${t.dtype} [${t.shape.join(',')}], tensors[0] ${ts[0].dtype} [${ts[0].shape.join(',')}]: all must have one shape and dtype`);
      }
    });
    return ts.slice(1).reduce((acc, t) => add(acc, t), clone(ts[0]));
  });
}

/** v1 ⊗ v2 of two vectors: [m] and [n] give [m, n]. */
export function outerProduct(v1: TensorInput, v2: TensorInput): Tensor {
  const op = 'outerProduct';
  return composite(op, () => {
    const converted: Tensor[] = [];
    const a = toTensor(v1, 'v1', op, converted);
    const b = toTensor(v2, 'v2', op, converted);
    if (a.rank !== 1 || b.rank !== 1) fail(op, `needs two vectors (rank 1), got shapes [${a.shape.join(',')}] and [${b.shape.join(',')}]`);
    return mul(reshape(a, [a.shape[0], 1]), reshape(b, [1, b.shape[0]]));
  });
}

/** The tensor with x's values on its diagonal: shape s gives shape [...s, ...s] (TF.js's diag). */
export function diag(x: TensorInput): Tensor {
  const op = 'diag';
  return composite(op, () => {
    const converted: Tensor[] = [];
    const t = toTensor(x, 'x', op, converted);
    if (t.rank === 0) fail(op, 'needs a tensor of rank 1 or more, got a scalar');
    const n = shapeSize(t.shape);
    const flat = reshape(t, [1, n]);
    return reshape(mul(eye(n, n, undefined, t.dtype === 'float32' ? 'float32' : 'int32'), flat), [...t.shape, ...t.shape]);
  });
}

/** The 2-norm along axis (norm(x, 'euclidean', axis, keepDims)). */
export function euclideanNorm(x: TensorInput, axis?: number | number[] | null, keepDims = false): Tensor {
  return norm(x, 'euclidean', axis, keepDims);
}

/** x where x > 0, else alpha·x, with alpha a tensor broadcast against x (a learned slope). */
export function prelu(x: TensorInput, alpha: TensorInput): Tensor {
  return composite('prelu', () => {
    const converted: Tensor[] = [];
    const t = toTensor(x, 'x', 'prelu', converted);
    const a = toTensor(alpha, 'alpha', 'prelu', converted);
    requireDtype(t, 'x', 'prelu', ['float32']);
    return where(greater(t, 0), t, mul(a, t));
  });
}

/**
 * Inverted dropout: each value zeroed with probability rate, the rest scaled by 1 / (1 − rate),
 * as TF.js's tf.dropout; noiseShape (broadcast against x's shape) shares one draw along its
 * 1-dimensions; the same seed gives the same mask.
 */
export function dropout(x: TensorInput, rate: number, noiseShape?: number[], seed?: number): Tensor {
  const op = 'dropout';
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) fail(op, `rate must be a number in [0, 1), got ${String(rate)}`);
  return composite(op, () => {
    const converted: Tensor[] = [];
    const t = toTensor(x, 'x', op, converted);
    requireDtype(t, 'x', op, ['float32']);
    if (rate === 0) return clone(t);
    const shape = noiseShape ?? t.shape;
    if (!Array.isArray(shape) || shape.length !== t.rank || shape.some((d, i) => d !== t.shape[i] && d !== 1)) {
      fail(op, `noiseShape must have x's rank ${t.rank} with each dimension x's or 1, got ${JSON.stringify(noiseShape)} for x [${t.shape.join(',')}]`);
    }
    const keep = mapFloat(randomUniform(shape, 0, 1, 'float32', seed), (u) => (u >= rate ? 1 / (1 - rate) : 0));
    return mul(t, keep);
  });
}

/**
 * The distinct values of a vector in order of first appearance, and for each element the index
 * of its value among them (TF.js's unique of a rank-1 tensor; int32 indices).
 */
export function unique(x: TensorInput): { values: Tensor; indices: Tensor } {
  const op = 'unique';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank !== 1) fail(op, `takes a vector (rank 1) yet, got shape [${t.shape.join(',')}]`);
    const seen = new Map<number, number>();
    const src = t.raw();
    const indices = new Int32Array(src.length);
    const values: number[] = [];
    for (let i = 0; i < src.length; i++) {
      // Map keys compare as SameValueZero: every NaN is one value, and so are 0 and -0.
      let at = seen.get(src[i]);
      if (at === undefined) {
        at = values.length;
        seen.set(src[i], at);
        values.push(src[i]);
      }
      indices[i] = at;
    }
    const out = allocate(t.dtype, values.length);
    values.forEach((v, i) => (out[i] = v));
    return { values: makeTensor(out, [values.length], t.dtype), indices: makeTensor(indices, [src.length], 'int32') };
  } finally {
    release(converted);
  }
}

// Tensors made from a shape or a range: zeros, ones, zerosLike, onesLike, fill, range,
// linspace, eye, oneHot. Defaults as TF.js: float32, except oneHot (int32) and fill (the
// value's dtype: float32 for a number).
import { describe } from '../describe';
import { checkDtype, checkShape, shapeSize } from '../tensor';
import type { DataType, Tensor, TensorInput } from '../tensor';
import { allocate, fail, integerArg, makeTensor, release, requireDtype, toTensor } from './util';

function filled(shape: number[], value: number, dtype: DataType, where: string): Tensor {
  checkDtype(dtype, where);
  const s = checkShape(shape, where);
  const out = allocate(dtype, shapeSize(s));
  out.fill(dtype === 'bool' ? (Math.round(value) !== 0 ? 1 : 0) : value);
  return makeTensor(out, s, dtype);
}

export function zeros(shape: number[], dtype: DataType = 'float32'): Tensor {
  return filled(shape, 0, dtype, 'zeros()');
}

export function ones(shape: number[], dtype: DataType = 'float32'): Tensor {
  return filled(shape, 1, dtype, 'ones()');
}

/** A tensor of `shape` filled with `value` (dtype: float32 for a number, bool for a boolean). */
export function fill(shape: number[], value: number | boolean, dtype?: DataType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') fail('fill', `value must be a number or a boolean, got ${describe(value)}`);
  return filled(shape, Number(value), dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'), 'fill()');
}

function likeOf(op: string, x: TensorInput, value: number): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const y = filled(t.shape, value, t.dtype, `${op}()`);
  release(converted);
  return y;
}

export function zerosLike(x: TensorInput): Tensor {
  return likeOf('zerosLike', x, 0);
}

export function onesLike(x: TensorInput): Tensor {
  return likeOf('onesLike', x, 1);
}

/** start, start + step, … up to (not including) stop; one argument means range(0, stop). */
export function range(start: number, stop?: number, step = 1, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  const op = 'range';
  if (stop === undefined) [start, stop] = [0, start];
  for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(op, `${name} must be a finite number, got ${describe(v)}`);
  }
  if (step === 0) fail(op, 'step must not be 0');
  if (dtype !== 'float32' && dtype !== 'int32') fail(op, `dtype must be 'float32' or 'int32', got ${describe(dtype)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return makeTensor(out, [n], dtype);
}

/** num evenly spaced float32 values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  const op = 'linspace';
  if (typeof start !== 'number' || typeof stop !== 'number') fail(op, `start and stop must be numbers, got ${describe(start)} and ${describe(stop)}`);
  integerArg(op, 'num', num, 1);
  const out = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  return makeTensor(out, [num], 'float32');
}

/** The identity matrix [numRows, numColumns] (square by default), optionally repeated over batchShape. */
export function eye(numRows: number, numColumns?: number, batchShape?: number[], dtype: DataType = 'float32'): Tensor {
  const op = 'eye';
  integerArg(op, 'numRows', numRows);
  const cols = numColumns ?? numRows;
  integerArg(op, 'numColumns', cols);
  const batch = batchShape === undefined ? [] : checkShape(batchShape, 'eye()');
  checkDtype(dtype, 'eye()');
  const per = numRows * cols;
  const count = shapeSize(batch);
  const out = allocate(dtype, per * count);
  for (let b = 0; b < count; b++) for (let i = 0; i < Math.min(numRows, cols); i++) out[b * per + i * cols + i] = 1;
  return makeTensor(out, [...batch, numRows, cols], dtype);
}

/**
 * indices (int32, any shape) as one-hot vectors of length depth: shape indices.shape + [depth].
 * An index outside [0, depth) gives a row of offValue, as TF.js.
 */
export function oneHot(indices: TensorInput, depth: number, onValue = 1, offValue = 0, dtype: DataType = 'int32'): Tensor {
  const op = 'oneHot';
  const converted: Tensor[] = [];
  const t = toTensor(indices, 'indices', op, converted, indices instanceof Object && !Array.isArray(indices) && !ArrayBuffer.isView(indices) ? undefined : 'int32');
  try {
    requireDtype(t, 'indices', op, ['int32']);
    integerArg(op, 'depth', depth, 1);
    checkDtype(dtype, 'oneHot()');
    const iv = t.raw();
    const out = allocate(dtype, iv.length * depth);
    if (offValue !== 0) out.fill(offValue);
    for (let i = 0; i < iv.length; i++) if (iv[i] >= 0 && iv[i] < depth) out[i * depth + iv[i]] = onValue;
    return makeTensor(out, [...t.shape, depth], dtype);
  } finally {
    release(converted);
  }
}

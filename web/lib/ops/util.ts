// What every op shares: turning arguments into tensors (TF.js's convertToTensor rules), dtype
// checks and upcasting, broadcasting, axes, and error messages that name the op.
import { describe, quote } from '../describe';
import { Tensor, shapeSize, tensor, toDataArray } from '../tensor';
import type { DataArray, DataType, TensorInput, TensorLike } from '../tensor';

export function fail(op: string, message: string): never {
  throw new Error(`nnplay: ${op}(): ${message}`);
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * `x` as a Tensor, for argument `arg` of `op`. A number or array becomes a tensor (float32 for
 * numbers, bool for booleans, or `dtype` when given, as TF.js's convertToTensor); such a tensor
 * is the op's own temporary, so it is not counted once the op returns (as in TF.js).
 * `convertedOut` collects the temporaries; call `release()` on them after the op.
 */
export function toTensor(x: TensorInput, arg: string, op: string, convertedOut: Tensor[], dtype?: DataType): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) fail(op, `argument '${arg}' is a disposed tensor (shape ${shapeText(x.shape)})`);
    return x;
  }
  if (typeof x !== 'number' && typeof x !== 'boolean' && !Array.isArray(x) && !ArrayBuffer.isView(x)) {
    fail(op, `argument '${arg}' must be a Tensor, a number or an array, got ${describe(x)}`);
  }
  const t = tensor(x as TensorLike, undefined, dtype, `${op}()`);
  convertedOut.push(t);
  return t;
}

/** Ends the life of the tensors toTensor() made. */
export function release(converted: Tensor[]): void {
  for (const t of converted) t.dispose();
}

const rankOf: Record<DataType, number> = { bool: 0, int32: 1, float32: 2 };

/** TF.js's upcastType: bool < int32 < float32. */
export function upcast(a: DataType, b: DataType): DataType {
  return rankOf[a] >= rankOf[b] ? a : b;
}

export function requireDtype(t: Tensor, arg: string, op: string, allowed: DataType[]): void {
  if (!allowed.includes(t.dtype)) {
    fail(op, `argument '${arg}' must be a ${allowed.join(' or ')} tensor, got a ${t.dtype} tensor (cast it with nn.cast(x, '${allowed[0]}'))`);
  }
}

export function makeTensor(values: DataArray, shape: readonly number[], dtype: DataType): Tensor {
  return new Tensor(values, shape, dtype);
}

export function allocate(dtype: DataType, n: number): DataArray {
  return dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
}

export function castValues(values: DataArray, from: DataType, to: DataType): DataArray {
  if (from === to) return values;
  return toDataArray(values, to);
}

/** The broadcast shape of a and b (numpy / TF.js rules), or an Error naming the op. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      fail(op, `shapes ${shapeText(a)} and ${shapeText(b)} cannot be broadcast together: dimension ${i} of the result is ${da} in one and ${db} in the other; each pair of trailing dimensions must be equal or 1`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * For each flat index of `outShape`, the flat index into an input of `inShape` broadcast to it.
 * A plain array so the callers' loops stay simple; for equal shapes callers skip it.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = shapeSize(outShape);
  const rank = outShape.length;
  const inStrides = strides(inShape);
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < rank; i++) {
    const j = inShape.length - rank + i;
    if (j >= 0 && inShape[j] !== 1) eff[i] = inStrides[j];
  }
  const index = new Int32Array(n);
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let k = 0; k < n; k++) {
    index[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += eff[d];
      if (counter[d] < outShape[d]) break;
      at -= eff[d] * counter[d];
      counter[d] = 0;
    }
  }
  return index;
}

/** An axis in [-rank, rank) as a non-negative one, or an Error naming the op. */
export function normalizeAxis(op: string, axis: unknown, rank: number, what = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    fail(op, `${what} must be an integer in [${-rank}, ${rank}) for a rank-${rank} tensor, got ${describe(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes to reduce (undefined / null: all), sorted, distinct, non-negative. */
export function normalizeAxes(op: string, axis: number | number[] | null | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) fail(op, `axis ${quote(axis)} names a dimension twice`);
  return out.sort((x, y) => x - y);
}

export function integerArg(op: string, what: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    fail(op, `${what} must be an integer >= ${min}, got ${describe(v)}`);
  }
  return v;
}

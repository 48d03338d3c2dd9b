// Tensor: the library's value type, shaped like TensorFlow.js's (shape, dtype, data(),
// dataSync(), array(), dispose(), print(), and the ops as chained methods: t.add(1).mean()).
//
// What it is not: a handle to wasm memory. A Tensor keeps its values in JS (float32, int32 or
// bool, as a Float32Array, Int32Array or Uint8Array) and is immutable (as in TF.js; a Variable's
// assign() replaces its values and notifies as dispose does), so data that crossed into the
// engine can be kept there and referred to again: fit() keeps the session dataset it loaded
// from a set of tensors until one of them is disposed (fit-data-cache.ts), predict copies one
// batch per call. Tensors are counted by nn.memory().numTensors the way TF.js counts them
// (variables included); tensors that share values (reshape, clone) share one data buffer.
//
// The ops live in ops/*.ts as plain functions; the chained methods below call them.
import { describe, quote } from './describe';
import { limits } from './limits';
import { counters } from './memory';
import { forget, newTensorId, track } from './ops/scope';
import * as ew from './ops/elementwise';
import * as rd from './ops/reduce';
import * as sh from './ops/shape';
import * as mm from './ops/matmul';
import { formatTensor } from './ops/format';

export type Shape = readonly number[];
export type DataType = 'float32' | 'int32' | 'bool';
export interface DataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}
export type DataArray = Float32Array | Int32Array | Uint8Array;
export const dataTypes: readonly DataType[] = ['float32', 'int32', 'bool'];

// Internal: what to release when a tensor is disposed (engine copies of its values).
const disposeHooks = new WeakMap<Tensor, (() => void)[]>();
// How many live tensors share each values array (TF.js: numDataBuffers counts buffers, not tensors).
const bufferRefs = new WeakMap<DataArray, number>();

// numBytes counts every tensor's bytes, shared or not (TF.js counts it so too).
function refBuffer(values: DataArray): void {
  const n = bufferRefs.get(values) ?? 0;
  bufferRefs.set(values, n + 1);
  counters.bytes += values.byteLength;
  if (n === 0) counters.dataBuffers++;
}

function unrefBuffer(values: DataArray): void {
  counters.bytes -= values.byteLength;
  const n = (bufferRefs.get(values) ?? 1) - 1;
  if (n > 0) {
    bufferRefs.set(values, n);
    return;
  }
  bufferRefs.delete(values);
  counters.dataBuffers--;
}

/** Internal (not exported by the package): runs `hook` once when `t` is disposed. */
export function whenDisposed(t: Tensor, hook: () => void): void {
  const hooks = disposeHooks.get(t);
  if (hooks) hooks.push(hook);
  else disposeHooks.set(t, [hook]);
}

function runDisposeHooks(t: Tensor): void {
  const hooks = disposeHooks.get(t);
  if (!hooks) return;
  disposeHooks.delete(t);
  for (const hook of hooks) hook();
}

/** Nested arrays of numbers (or booleans), e.g. [[0, 1], [1, 0]]. */
export type NestedArray = number | NestedArray[];
export type TensorLike = DataArray | ArrayLike<number> | NestedArray | boolean | boolean[] | NestedBoolArray;
type NestedBoolArray = boolean | NestedBoolArray[];
/** What an op accepts where a tensor goes: a Tensor, a number, or (nested) arrays. */
export type TensorInput = Tensor | TensorLike;
type Axis = number | number[];

function arrayTypeOf(dtype: DataType): string {
  return dtype === 'float32' ? 'Float32Array' : dtype === 'int32' ? 'Int32Array' : 'Uint8Array';
}

export class Tensor {
  readonly dtype: DataType;
  readonly shape: number[];
  readonly size: number;
  /** Unique in the realm; the gradient tape refers to tensors by it. */
  readonly id: number;
  #values: DataArray | null;

  /**
   * Prefer nn.tensor(). Takes ownership of `values` (no copy): a Float32Array for float32,
   * Int32Array for int32, Uint8Array (0 / 1) for bool. Internal: `untracked` (variables) keeps
   * the tensor out of tidy() scopes.
   */
  constructor(values: DataArray, shape: Shape, dtype: DataType = 'float32', untracked = false) {
    this.shape = checkShape(shape, 'new Tensor()');
    this.size = shapeSize(shape);
    if (!dataTypes.includes(dtype)) {
      throw new Error(`nnplay: new Tensor(): dtype must be one of ${quote(dataTypes)}, got ${describe(dtype)}`);
    }
    const okArray = dtype === 'float32' ? values instanceof Float32Array : dtype === 'int32' ? values instanceof Int32Array : values instanceof Uint8Array;
    if (!okArray) {
      throw new Error(`nnplay: new Tensor(): a ${dtype} tensor keeps its values in a ${arrayTypeOf(dtype)}, got ${describe(values)}`);
    }
    if (values.length !== this.size) {
      throw new Error(`nnplay: a tensor of shape [${this.shape.join(',')}] needs ${this.size} values, got ${values.length}`);
    }
    this.dtype = dtype;
    this.#values = values;
    this.id = newTensorId();
    counters.tensors++;
    refBuffer(values);
    if (!untracked) track(this);
  }

  /** 'Tensor', also in the minified bundle (error messages name it: "got a Tensor"). */
  get [Symbol.toStringTag](): string {
    return 'Tensor';
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.#values === null;
  }

  /** Internal: the values array itself (shared with tensors made by reshape/clone; never modify). */
  raw(): DataArray {
    if (this.#values === null) {
      throw new Error(`nnplay: this tensor (shape [${this.shape.join(',')}]) was disposed and can no longer be used`);
    }
    return this.#values;
  }

  /** Internal (Variable.assign): replaces the values; engine copies of the old ones are dropped. */
  protected replaceValues(values: DataArray): void {
    const old = this.raw();
    unrefBuffer(old);
    refBuffer(values);
    this.#values = values;
    runDisposeHooks(this);
  }

  /**
   * The values as float32, row-major. For a float32 tensor this is its own array: valid until
   * dispose(), do not modify (use dataSync() for a copy). int32 and bool tensors give a copy.
   */
  values(): Float32Array {
    const v = this.raw();
    return v instanceof Float32Array ? v : Float32Array.from(v);
  }

  /** A copy of the values, row-major: Float32Array, Int32Array or Uint8Array by dtype (TF.js). */
  dataSync<D extends DataType = 'float32'>(): DataTypeMap[D] {
    return this.raw().slice() as DataTypeMap[D];
  }

  /** A copy of the values, row-major (async like TF.js, for code written against it). */
  async data<D extends DataType = 'float32'>(): Promise<DataTypeMap[D]> {
    return this.dataSync<D>();
  }

  /** The values as nested arrays following the shape (a number for a scalar; bool as 0 / 1). */
  arraySync(): NestedArray {
    const values = this.raw();
    if (this.shape.length === 0) return values[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      const n = this.shape[dim];
      const stride = shapeSize(this.shape.slice(dim + 1));
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? values[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  async array(): Promise<NestedArray> {
    return this.arraySync();
  }

  /** Frees the values (and any engine copy fit() kept of them). Idempotent; any later use throws. */
  dispose(): void {
    if (this.#values === null) return;
    unrefBuffer(this.#values);
    this.#values = null;
    counters.tensors--;
    forget(this);
    runDisposeHooks(this);
  }

  /** TF.js's text form: "Tensor\n    [[1, 2],\n     [3, 4]]" (verbose adds dtype, rank, shape). */
  toString(verbose = false): string {
    if (this.isDisposed) return `Tensor(disposed, shape [${this.shape.join(',')}])`;
    return formatTensor(this.raw(), this.shape, this.dtype, verbose);
  }

  /** console.log(this.toString(verbose)), as TF.js's print(). */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }

  // ---- chained ops (TF.js: t.add(b) is tf.add(t, b)); the functions live in ops/*.ts ----
  clone(): Tensor { return sh.clone(this); }
  cast(dtype: DataType): Tensor { return ew.cast(this, dtype); }
  reshape(shape: number[]): Tensor { return sh.reshape(this, shape); }
  as1D(): Tensor { return sh.reshape(this, [this.size]); }
  as2D(rows: number, columns: number): Tensor { return sh.reshape(this, [rows, columns]); }
  flatten(): Tensor { return sh.reshape(this, [this.size]); }
  as3D(rows: number, columns: number, depth: number): Tensor { return sh.reshape(this, [rows, columns, depth]); }
  as4D(rows: number, columns: number, depth: number, depth2: number): Tensor { return sh.reshape(this, [rows, columns, depth, depth2]); }
  as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor { return sh.reshape(this, [rows, columns, depth, depth2, depth3]); }
  asScalar(): Tensor { return sh.reshape(this, []); }
  reshapeAs(x: Tensor): Tensor { return sh.reshape(this, x.shape); }
  asType(dtype: DataType): Tensor { return ew.cast(this, dtype); }
  toFloat(): Tensor { return ew.cast(this, 'float32'); }
  toInt(): Tensor { return ew.cast(this, 'int32'); }
  toBool(): Tensor { return ew.cast(this, 'bool'); }
  expandDims(axis = 0): Tensor { return sh.expandDims(this, axis); }
  squeeze(axis?: number[]): Tensor { return sh.squeeze(this, axis); }
  slice(begin: number | number[], size?: number | number[]): Tensor { return sh.slice(this, begin, size); }
  gather(indices: TensorInput, axis = 0): Tensor { return sh.gather(this, indices, axis); }
  concat(others: TensorInput | TensorInput[], axis = 0): Tensor { return sh.concat([this, ...(Array.isArray(others) && others.every((o) => o instanceof Tensor) ? others : [others as TensorInput])], axis); }
  split(numOrSizeSplits: number | number[], axis = 0): Tensor[] { return sh.split(this, numOrSizeSplits, axis); }
  tile(reps: number[]): Tensor { return sh.tile(this, reps); }
  pad(paddings: [number, number][], constantValue = 0): Tensor { return sh.pad(this, paddings, constantValue); }
  transpose(perm?: number[]): Tensor { return sh.transpose(this, perm); }
  add(b: TensorInput): Tensor { return ew.add(this, b); }
  sub(b: TensorInput): Tensor { return ew.sub(this, b); }
  mul(b: TensorInput): Tensor { return ew.mul(this, b); }
  div(b: TensorInput): Tensor { return ew.div(this, b); }
  pow(exp: TensorInput): Tensor { return ew.pow(this, exp); }
  minimum(b: TensorInput): Tensor { return ew.minimum(this, b); }
  maximum(b: TensorInput): Tensor { return ew.maximum(this, b); }
  squaredDifference(b: TensorInput): Tensor { return ew.squaredDifference(this, b); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  square(): Tensor { return ew.square(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  log1p(): Tensor { return ew.log1p(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  relu(): Tensor { return ew.relu(this); }
  clipByValue(min: number, max: number): Tensor { return ew.clipByValue(this, min, max); }
  equal(b: TensorInput): Tensor { return ew.equal(this, b); }
  notEqual(b: TensorInput): Tensor { return ew.notEqual(this, b); }
  greater(b: TensorInput): Tensor { return ew.greater(this, b); }
  greaterEqual(b: TensorInput): Tensor { return ew.greaterEqual(this, b); }
  less(b: TensorInput): Tensor { return ew.less(this, b); }
  lessEqual(b: TensorInput): Tensor { return ew.lessEqual(this, b); }
  logicalAnd(b: TensorInput): Tensor { return ew.logicalAnd(this, b); }
  softmax(dim = -1): Tensor { return rd.softmax(this, dim); }
  sum(axis?: Axis | null, keepDims = false): Tensor { return rd.sum(this, axis, keepDims); }
  mean(axis?: Axis | null, keepDims = false): Tensor { return rd.mean(this, axis, keepDims); }
  min(axis?: Axis | null, keepDims = false): Tensor { return rd.min(this, axis, keepDims); }
  max(axis?: Axis | null, keepDims = false): Tensor { return rd.max(this, axis, keepDims); }
  prod(axis?: Axis | null, keepDims = false): Tensor { return rd.prod(this, axis, keepDims); }
  argMax(axis = 0): Tensor { return rd.argMax(this, axis); }
  argMin(axis = 0): Tensor { return rd.argMin(this, axis); }
  norm(ord: number | 'euclidean' | 'fro' = 'euclidean', axis?: Axis | null, keepDims = false): Tensor { return rd.norm(this, ord, axis, keepDims); }
  matMul(b: TensorInput, transposeA = false, transposeB = false): Tensor { return mm.matMul(this, b, transposeA, transposeB); }
  dot(b: TensorInput): Tensor { return mm.dot(this, b); }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A copy of `shape`, checked: at most limits.tensorRank non-negative integers. */
export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) {
    throw new Error(`nnplay: ${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  if (shape.length > limits.tensorRank) {
    throw new Error(`nnplay: ${where}: shape has ${shape.length} dimensions; at most ${limits.tensorRank} are allowed`);
  }
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(
        `nnplay: ${where}: shape[${i}] is ${describe(d)}; each dimension must be a non-negative integer (shape ${quote(shape)})`,
      );
    }
  });
  return [...(shape as number[])];
}

// Walks nested arrays, checking they are rectangular, and returns their shape. The nesting is
// measured first along the first elements, without recursion, and refused past
// limits.tensorRank (a cyclic array would otherwise never end), so the checking walk and
// flatten() below recurse at most that deep.
function inferShape(values: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    if (shape.length === limits.tensorRank) {
      throw new Error(
        `nnplay: ${where}: values are nested more than ${limits.tensorRank} arrays deep; a tensor has at most ${limits.tensorRank} dimensions`,
      );
    }
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const walk = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) {
        throw new Error(`nnplay: ${where}: values${path} is an array but expected a number: nested arrays must be rectangular`);
      }
      return;
    }
    if (!Array.isArray(v)) {
      throw new Error(`nnplay: ${where}: values${path} is ${describe(v)} but expected an array of length ${shape[dim]}: nested arrays must be rectangular`);
    }
    if (v.length !== shape[dim]) {
      throw new Error(
        `nnplay: ${where}: values${path} has length ${v.length} but the first array at that depth has ${shape[dim]}: nested arrays must be rectangular`,
      );
    }
    v.forEach((item, i) => walk(item, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
  return shape;
}

// Only after inferShape: then the nesting is at most limits.tensorRank deep.
function flatten(values: unknown, out: unknown[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values);
}

/** The values of a flat list in the array type of `dtype`, converted as TF.js converts them. */
export function toDataArray(list: ArrayLike<number>, dtype: DataType): DataArray {
  if (dtype === 'float32') return Float32Array.from(list);
  if (dtype === 'int32') return Int32Array.from(list);
  const out = new Uint8Array(list.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(list[i]) !== 0 ? 1 : 0;
  return out;
}

export function checkDtype(dtype: unknown, where: string): DataType {
  if (!dataTypes.includes(dtype as DataType)) {
    throw new Error(`nnplay: ${where}: dtype must be one of ${quote(dataTypes)}, got ${describe(dtype)}`);
  }
  return dtype as DataType;
}

/**
 * nn.tensor(values, shape?, dtype?): values are a typed array, a flat number (or boolean)
 * array, nested arrays or a number. Without `shape`, a flat input becomes 1-D and nested input
 * takes its nesting as shape. Without `dtype` it is inferred as TF.js does: booleans give bool,
 * an Int32Array or Uint8Array int32, anything else float32. The values are copied; int32
 * truncates toward zero and bool is round(v) != 0 (TF.js's conversions). NaN and Infinity are
 * allowed here (as in TF.js); fit/predict reject them.
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DataType, where = 'tensor()'): Tensor {
  if (dtype !== undefined) checkDtype(dtype, where);
  let list: ArrayLike<number>;
  let inferred: number[];
  let inferredDtype: DataType = 'float32';
  if (values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) {
    list = values;
    inferred = [values.length];
    if (!(values instanceof Float32Array)) inferredDtype = 'int32';
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    list = [Number(values)];
    inferred = [];
    if (typeof values === 'boolean') inferredDtype = 'bool';
  } else if (Array.isArray(values)) {
    inferred = inferShape(values as NestedArray, where);
    const flat: unknown[] = [];
    flatten(values, flat);
    const isBool = flat.length > 0 && typeof flat[0] === 'boolean';
    flat.forEach((v, i) => {
      if (isBool ? typeof v !== 'boolean' : typeof v !== 'number') {
        throw new Error(
          `nnplay: ${where}: value ${i} (flattened) is ${describe(v)}; values must be numbers (or all booleans)`,
        );
      }
    });
    if (isBool) inferredDtype = 'bool';
    list = isBool ? flat.map((v) => (v ? 1 : 0)) : (flat as number[]);
  } else if (values !== null && typeof values === 'object' && ArrayBuffer.isView(values) && typeof (values as ArrayLike<number>).length === 'number') {
    list = values as ArrayLike<number>;
    inferred = [list.length];
  } else {
    throw new Error(
      `nnplay: ${where}: values must be a Float32Array, a number array, nested number arrays or a number (or an Int32Array / Uint8Array, or booleans); got ${describe(values)}`,
    );
  }
  const type = dtype ?? inferredDtype;
  let s = inferred;
  if (shape !== undefined) {
    s = checkShape(shape, where);
    if (shapeSize(s) !== list.length) {
      throw new Error(`nnplay: ${where}: shape [${s.join(',')}] needs ${shapeSize(s)} values but ${list.length} were given`);
    }
  }
  return new Tensor(toDataArray(list, type), s, type);
}

function tensorOfRank(fn: string, rank: number, dims: string, values: TensorLike, shape?: number[], dtype?: DataType): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== rank)) {
    throw new Error(`nnplay: ${fn}(): shape must be [${dims}], got ${describe(shape)}`);
  }
  const t = tensor(values, shape, dtype, `${fn}()`);
  if (t.rank !== rank) {
    const s = t.shape;
    t.dispose();
    throw new Error(
      `nnplay: ${fn}(): values must be nested ${rank === 2 ? 'as rows of columns (rank 2)' : `${rank} deep ([${dims}])`}, got rank ${s.length} (shape [${s.join(',')}]); pass a shape [${dims}] for flat values`,
    );
  }
  return t;
}

/** tensor5d / tensor6d: TF.js's rank-checked constructors of higher rank (tensor4d's rule). */
export function tensor5d(values: TensorLike, shape?: [number, number, number, number, number], dtype?: DataType): Tensor {
  return tensorOfRank('tensor5d', 5, 'd1, d2, d3, d4, d5', values, shape, dtype);
}
export function tensor6d(values: TensorLike, shape?: [number, number, number, number, number, number], dtype?: DataType): Tensor {
  return tensorOfRank('tensor6d', 6, 'd1, d2, d3, d4, d5, d6', values, shape, dtype);
}

/** tf.print(x, verbose?): the function form of x.print(verbose). */
export function print(x: Tensor, verbose = false): void {
  if (!(x instanceof Tensor)) throw new Error(`nnplay: print(x): x must be a Tensor, got ${describe(x)}`);
  x.print(verbose);
}

/** A rank-0 tensor holding one number (or boolean). */
export function scalar(value: number | boolean, dtype?: DataType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`nnplay: scalar(): value must be a number or a boolean, got ${describe(value)}`);
  }
  return tensor(value, [], dtype, 'scalar()');
}

/** nn.tensor1d(values, dtype?). */
export function tensor1d(values: TensorLike, dtype?: DataType): Tensor {
  const t = tensor(values, undefined, dtype, 'tensor1d()');
  if (t.rank !== 1) {
    const s = t.shape;
    t.dispose();
    throw new Error(`nnplay: tensor1d(): values must be a flat array, got shape [${s.join(',')}]`);
  }
  return t;
}

/** nn.tensor2d(nested) or nn.tensor2d(flat, [rows, cols]), optionally with a dtype. */
export function tensor2d(values: TensorLike, shape?: [number, number], dtype?: DataType): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== 2)) {
    throw new Error(`nnplay: tensor2d(): shape must be [rows, columns], got ${describe(shape)}`);
  }
  return tensorOfRank('tensor2d', 2, 'rows, columns', values, shape, dtype);
}

/** nn.tensor3d(nested) or nn.tensor3d(flat, [d0, d1, d2]), e.g. one image [height, width, channels]. */
export function tensor3d(values: TensorLike, shape?: [number, number, number], dtype?: DataType): Tensor {
  return tensorOfRank('tensor3d', 3, 'd0, d1, d2', values, shape, dtype);
}

/** nn.tensor4d(nested) or nn.tensor4d(flat, [n, height, width, channels]): a batch of NHWC images. */
export function tensor4d(values: TensorLike, shape?: [number, number, number, number], dtype?: DataType): Tensor {
  return tensorOfRank('tensor4d', 4, 'n, height, width, channels', values, shape, dtype);
}

// Tensor: the library's value type, shaped like TensorFlow.js's (shape, dtype, data(),
// dataSync(), array(), dispose()).
//
// What it is not: a handle to wasm memory. A Tensor keeps its float32 values in JS and is
// immutable (as in TF.js), so data that crossed into the engine can be kept there and referred
// to again: fit() keeps the session dataset it loaded from a set of tensors until one of them is
// disposed (fit-data-cache.ts), predict copies one batch per call. Tensors are counted by
// nn.memory().numTensors so programs can check they dispose what they make.
import { describe, quote } from './describe';
import { limits } from './limits';
import { counters } from './memory';

export type Shape = readonly number[];

// Internal: what to release when a tensor is disposed (engine copies of its values).
const disposeHooks = new WeakMap<Tensor, (() => void)[]>();

/** Internal (not exported by the package): runs `hook` once when `t` is disposed. */
export function whenDisposed(t: Tensor, hook: () => void): void {
  const hooks = disposeHooks.get(t);
  if (hooks) hooks.push(hook);
  else disposeHooks.set(t, [hook]);
}
/** Nested arrays of numbers, e.g. [[0, 1], [1, 0]]. */
export type NestedArray = number | NestedArray[];
export type TensorLike = Float32Array | ArrayLike<number> | NestedArray;

export class Tensor {
  readonly dtype = 'float32' as const;
  readonly shape: number[];
  readonly size: number;
  #values: Float32Array | null;

  /** Prefer nn.tensor(). Takes ownership of `values` (no copy). */
  constructor(values: Float32Array, shape: Shape) {
    this.shape = checkShape(shape, 'new Tensor()');
    this.size = shapeSize(shape);
    if (values?.length !== this.size) {
      throw new Error(
        `nnplay: a tensor of shape [${this.shape.join(',')}] needs ${this.size} values, got ${ArrayBuffer.isView(values) ? values.length : describe(values)}`,
      );
    }
    this.#values = values;
    counters.tensors++;
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

  /** The values, row-major. Valid until dispose(); do not modify (use dataSync() for a copy). */
  values(): Float32Array {
    if (this.#values === null) {
      throw new Error(`nnplay: this tensor (shape [${this.shape.join(',')}]) was disposed and can no longer be used`);
    }
    return this.#values;
  }

  /** A copy of the values, row-major. */
  dataSync(): Float32Array {
    return this.values().slice();
  }

  /** A copy of the values, row-major (async like TF.js, for code written against it). */
  async data(): Promise<Float32Array> {
    return this.dataSync();
  }

  /** The values as nested arrays following the shape (a number for a scalar). */
  arraySync(): NestedArray {
    const values = this.values();
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
    this.#values = null;
    counters.tensors--;
    const hooks = disposeHooks.get(this);
    if (hooks) {
      disposeHooks.delete(this);
      for (const hook of hooks) hook();
    }
  }

  toString(): string {
    if (this.isDisposed) return `Tensor(disposed, shape [${this.shape.join(',')}])`;
    return `Tensor float32 [${this.shape.join(',')}] ${JSON.stringify(this.arraySync())}`;
  }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A copy of `shape`, checked: at most limits.tensorRank non-negative integers. */
function checkShape(shape: unknown, where: string): number[] {
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
function flatten(values: NestedArray, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(values);
}

/**
 * nn.tensor(values, shape?): values are a Float32Array, a flat number array or nested arrays.
 * Without `shape`, a flat input becomes 1-D and nested input takes its nesting as shape.
 * The values are copied. NaN and Infinity are allowed here (as in TF.js); fit/predict reject them.
 */
export function tensor(values: TensorLike, shape?: Shape): Tensor {
  const where = 'tensor()';
  let flat: Float32Array;
  let inferred: number[];
  if (values instanceof Float32Array) {
    flat = values.slice();
    inferred = [values.length];
  } else if (typeof values === 'number') {
    flat = Float32Array.of(values);
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values as NestedArray, where);
    const list: number[] = [];
    flatten(values as NestedArray, list);
    list.forEach((v, i) => {
      if (typeof v !== 'number') {
        throw new Error(`nnplay: ${where}: value ${i} (flattened) is ${describe(v)}; values must be numbers`);
      }
    });
    flat = Float32Array.from(list);
  } else if (values !== null && typeof values === 'object' && typeof (values as ArrayLike<number>).length === 'number' && ArrayBuffer.isView(values)) {
    flat = Float32Array.from(values as ArrayLike<number>);
    inferred = [flat.length];
  } else {
    throw new Error(
      `nnplay: ${where}: values must be a Float32Array, a number array, nested number arrays or a number; got ${describe(values)}`,
    );
  }
  if (shape === undefined) return new Tensor(flat, inferred);
  const s = checkShape(shape, where);
  if (shapeSize(s) !== flat.length) {
    throw new Error(
      `nnplay: ${where}: shape [${s.join(',')}] needs ${shapeSize(s)} values but ${flat.length} were given`,
    );
  }
  return new Tensor(flat, s);
}

/** nn.tensor2d(nested) or nn.tensor2d(flat, [rows, cols]). */
export function tensor2d(values: TensorLike, shape?: [number, number]): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== 2)) {
    throw new Error(`nnplay: tensor2d(): shape must be [rows, columns], got ${describe(shape)}`);
  }
  const t = tensor(values, shape);
  if (t.rank !== 2) {
    const s = t.shape;
    t.dispose();
    throw new Error(
      `nnplay: tensor2d(): values must be nested as rows of columns (rank 2), got rank ${s.length} (shape [${s.join(',')}]); pass a shape [rows, columns] for flat values`,
    );
  }
  return t;
}

/** nn.tensor1d(values). */
export function tensor1d(values: TensorLike): Tensor {
  const t = tensor(values);
  if (t.rank !== 1) {
    const s = t.shape;
    t.dispose();
    throw new Error(`nnplay: tensor1d(): values must be a flat array, got shape [${s.join(',')}]`);
  }
  return t;
}

/** A rank-0 tensor holding one number. */
export function scalar(value: number): Tensor {
  if (typeof value !== 'number') throw new Error(`nnplay: scalar(): value must be a number, got ${describe(value)}`);
  return new Tensor(Float32Array.of(value), []);
}

function tensorOfRank(fn: string, rank: number, dims: string, values: TensorLike, shape?: number[]): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== rank)) {
    throw new Error(`nnplay: ${fn}(): shape must be [${dims}], got ${describe(shape)}`);
  }
  const t = tensor(values, shape);
  if (t.rank !== rank) {
    const s = t.shape;
    t.dispose();
    throw new Error(
      `nnplay: ${fn}(): values must be nested ${rank} deep ([${dims}]), got rank ${s.length} (shape [${s.join(',')}]); pass a shape [${dims}] for flat values`,
    );
  }
  return t;
}

/** nn.tensor3d(nested) or nn.tensor3d(flat, [d0, d1, d2]), e.g. one image [height, width, channels]. */
export function tensor3d(values: TensorLike, shape?: [number, number, number]): Tensor {
  return tensorOfRank('tensor3d', 3, 'd0, d1, d2', values, shape);
}

/** nn.tensor4d(nested) or nn.tensor4d(flat, [n, height, width, channels]): a batch of NHWC images. */
export function tensor4d(values: TensorLike, shape?: [number, number, number, number]): Tensor {
  return tensorOfRank('tensor4d', 4, 'n, height, width, channels', values, shape);
}

// A minimal tf.data (TF.js's @tensorflow/tfjs-data): lazy, asynchronous datasets of elements
// that model.fitDataset() trains on, batch by batch.
//
//   const xs = nn.data.array([[0, 0], [0, 1], [1, 0], [1, 1]]);
//   const ys = nn.data.array([[0], [1], [1], [0]]);
//   const ds = nn.data.zip({ xs, ys }).shuffle(4, 7).batch(2);
//   await model.fitDataset(ds, { epochs: 10 });
//
// A Dataset is a recipe: iterator() starts a fresh pass over it (fitDataset takes one per
// epoch), and every method returns a new Dataset around the old one. Elements are numbers,
// number arrays, Tensors, or arrays / plain objects of those (nested). batch() stacks
// each leaf along a new first axis, as TF.js does (numbers and number arrays become one tensor).
//
// Tensor lifetimes follow tf.data's, so nn.memory().numTensors counts as TF.js's does: array()
// yields clones of its tensors (the consumer may dispose them), map() disposes the input's
// tensors the output does not pass on, batch() disposes the elements it stacked, skip() and
// filter() dispose what they drop, and fitDataset() disposes each batch after its step.
//
// What differs from TF.js, on purpose: shuffle() draws from nnplay's seeded generator
// (ops/random.ts), so a seed gives the same order on every platform and every run, but not
// TF.js's order (TF.js uses seedrandom's alea); batch() also stacks arrays of Tensors leaf by
// leaf (TF.js's fails on them). Sources beyond array / generator / zip (csv, webcam,
// microphone, func) are not here (docs/API.md lists them).
import { describe } from './describe';
import { dispose } from './ops/lifetime';
import { tensorsIn } from './ops/scope';
import { clone, stack } from './ops/shape';
import { RandomStream } from './ops/random';
import { Tensor, tensor } from './tensor';

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

/** One pass over a dataset: next() resolves {value, done} as TF.js's LazyIterator. */
export class LazyIterator<T> {
  readonly #next: () => Promise<IteratorResult<T>>;

  constructor(next: () => Promise<IteratorResult<T>>) {
    this.#next = next;
  }

  /** The next element, or {value: null, done: true} (TF.js's end marker) after the last. */
  async next(): Promise<IteratorResult<T, null>> {
    const r = await this.#next();
    return r.done ? { value: null, done: true } : r;
  }

  /** Every remaining element. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value as T);
    return out;
  }
}

type Size = number | null;

const isTensor = (v: unknown): boolean => v instanceof Tensor;

/** Disposes the tensors of `input` that `output` does not hold (tf.data's map rule). */
function disposeUnpassed(input: unknown, output: unknown): void {
  const kept = new Set(tensorsIn(output, isTensor));
  for (const t of tensorsIn(input, isTensor)) if (!kept.has(t)) (t as unknown as Tensor).dispose();
}

/** The value with every Tensor in it (arrays, plain objects) cloned (tf.data's deepClone). */
function deepClone<T>(v: T): T {
  if (v instanceof Tensor) return clone(v) as T;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepClone(x)])) as T;
  }
  return v;
}

function countArg(where: string, what: string, v: unknown, allowNegative = false): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || (!allowNegative && v < 0)) {
    fail(where, `${what} must be an integer${allowNegative ? '' : ' >= 0'}, got ${describe(v)}`);
  }
  return v;
}

// On every Dataset (a getter of the class): fitDataset() (fit-dataset.ts, a chunk loaded on
// first use) tells a dataset by it, so an app that never calls it does not download the class.
const datasetBrand: unique symbol = Symbol('nnplay.Dataset');

/** Whether `v` is an nn.data Dataset (of this library), as `v instanceof Dataset`. */
export function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && (v as { [datasetBrand]?: unknown })[datasetBrand] === true;
}

export class Dataset<T = unknown> {
  /** Elements per pass when known (Infinity for an endless repeat()), else null, as TF.js. */
  readonly size: Size;
  readonly #start: () => Promise<LazyIterator<T>>;

  /** @internal */
  get [datasetBrand](): true {
    return true;
  }

  constructor(start: () => Promise<LazyIterator<T>>, size: Size) {
    this.#start = start;
    this.size = size;
  }

  /** A fresh pass over the elements. */
  async iterator(): Promise<LazyIterator<T>> {
    return this.#start();
  }

  /** Every element of one pass, in order (the whole pass is kept in memory). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) fail('Dataset.toArray()', 'the dataset is endless (repeat() without a count); take(n) first');
    return (await this.iterator()).toArray();
  }

  /** Calls f on every element of one pass, awaiting nothing between them but the elements. */
  async forEachAsync(f: (value: T) => void): Promise<void> {
    if (typeof f !== 'function') fail('Dataset.forEachAsync()', `f must be a function, got ${describe(f)}`);
    if (this.size === Infinity) fail('Dataset.forEachAsync()', 'the dataset is endless (repeat() without a count); take(n) first');
    const it = await this.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) f(r.value as T);
  }

  /** Elements transformed by f (synchronously; mapAsync for a Promise). */
  map<O>(f: (value: T) => O): Dataset<O> {
    if (typeof f !== 'function') fail('Dataset.map()', `f must be a function, got ${describe(f)}`);
    return this.#derive(async (it) => new LazyIterator<O>(async () => {
      const r = await it.next();
      if (r.done) return { value: undefined, done: true };
      const value = f(r.value as T);
      disposeUnpassed(r.value, value);
      return { value, done: false };
    }), this.size);
  }

  /** Elements transformed by an async f, one at a time in order. */
  mapAsync<O>(f: (value: T) => Promise<O>): Dataset<O> {
    if (typeof f !== 'function') fail('Dataset.mapAsync()', `f must be a function, got ${describe(f)}`);
    return this.#derive(async (it) => new LazyIterator<O>(async () => {
      const r = await it.next();
      if (r.done) return { value: undefined, done: true };
      const value = await f(r.value as T);
      disposeUnpassed(r.value, value);
      return { value, done: false };
    }), this.size);
  }

  /** The elements for which predicate is true. */
  filter(predicate: (value: T) => boolean): Dataset<T> {
    if (typeof predicate !== 'function') fail('Dataset.filter()', `predicate must be a function, got ${describe(predicate)}`);
    return this.#derive(async (it) => new LazyIterator<T>(async () => {
      for (;;) {
        const r = await it.next();
        if (r.done || predicate(r.value as T)) return r.done ? { value: undefined, done: true } : { value: r.value as T, done: false };
        dispose(r.value);
      }
    }), this.size === Infinity ? Infinity : null);
  }

  /** The first `count` elements (all when count < 0 or beyond the end). */
  take(count: number): Dataset<T> {
    countArg('Dataset.take()', 'count', count, true);
    if (count < 0) return this;
    const size = this.size === null ? null : Math.min(this.size, count);
    return this.#derive(async (it) => {
      let left = count;
      return new LazyIterator<T>(async () => (left-- > 0 ? it.next() : { value: undefined, done: true }));
    }, size);
  }

  /** All but the first `count` elements (none when count < 0). */
  skip(count: number): Dataset<T> {
    countArg('Dataset.skip()', 'count', count, true);
    if (count === 0) return this;
    const size = count < 0 ? 0 : this.size === null ? null : Math.max(0, this.size - count);
    return this.#derive(async (it) => {
      let toSkip = count < 0 ? Infinity : count;
      return new LazyIterator<T>(async () => {
        while (toSkip > 0) {
          toSkip--;
          const skipped = await it.next();
          if (skipped.done) {
            toSkip = 0;
            return { value: undefined, done: true };
          }
          dispose(skipped.value);
        }
        return it.next();
      });
    }, size);
  }

  /** The passes of this dataset one after another, `count` times (endless without a count). */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) countArg('Dataset.repeat()', 'count', count, true);
    const times = count === undefined || count < 0 ? Infinity : count;
    const size = this.size === null ? null : times === Infinity ? (this.size === 0 ? 0 : Infinity) : this.size * times;
    return new Dataset<T>(async () => {
      let done = 0;
      let current: LazyIterator<T> | null = null;
      let yielded = false; // by the current pass
      return new LazyIterator<T>(async () => {
        while (done < times) {
          current ??= await this.iterator();
          const r = await current.next();
          if (!r.done) {
            yielded = true;
            return { value: r.value as T, done: false };
          }
          current = null;
          done++;
          // A pass with no element, repeated forever, would spin: it ends instead.
          if (!yielded) break;
          yielded = false;
        }
        return { value: undefined, done: true };
      });
    }, size);
  }

  /** This dataset's elements, then other's. */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) fail('Dataset.concatenate()', `expected a Dataset, got ${describe(other)}`);
    const size = this.size === null || other.size === null ? null : this.size + other.size;
    return new Dataset<T>(async () => {
      let it: LazyIterator<T> | null = await this.iterator();
      let second = false;
      return new LazyIterator<T>(async () => {
        for (;;) {
          const r = await it!.next();
          if (!r.done) return { value: r.value as T, done: false };
          if (second) return { value: undefined, done: true };
          second = true;
          it = await other.iterator();
        }
      });
    }, size);
  }

  /** The same elements (nnplay reads ahead nothing: elements are made when asked for). */
  prefetch(bufferSize: number): Dataset<T> {
    countArg('Dataset.prefetch()', 'bufferSize', bufferSize);
    return this;
  }

  /**
   * Elements in a random order, drawn from a buffer of `bufferSize` elements read ahead (as
   * TF.js: a window shuffle; bufferSize ≥ the size shuffles the whole pass). `seed` (a number
   * or string) makes the order the same on every run; with reshuffleEachIteration (default)
   * each pass (each iterator()) has its own order, still fixed by the seed.
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    const where = 'Dataset.shuffle()';
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize < 1) {
      fail(where, `bufferSize must be an integer >= 1, got ${describe(bufferSize)}`);
    }
    if (seed !== undefined && !(typeof seed === 'number' && Number.isFinite(seed)) && typeof seed !== 'string') {
      fail(where, `seed must be a number or a string, got ${describe(seed)}`);
    }
    if (typeof reshuffleEachIteration !== 'boolean') fail(where, `reshuffleEachIteration must be true or false, got ${describe(reshuffleEachIteration)}`);
    const base = seed === undefined ? Math.floor(Math.random() * 2 ** 32) : seedNumber(seed);
    let pass = 0;
    return this.#derive(async (it) => {
      const random = new RandomStream(reshuffleEachIteration ? mix(base, pass++) : base);
      const buffer: T[] = [];
      let exhausted = false;
      return new LazyIterator<T>(async () => {
        while (!exhausted && buffer.length < bufferSize) {
          const r = await it.next();
          if (r.done) exhausted = true;
          else buffer.push(r.value as T);
        }
        if (buffer.length === 0) return { value: undefined, done: true };
        const i = Math.floor(random.uniform() * buffer.length);
        const value = buffer[i];
        buffer[i] = buffer[buffer.length - 1];
        buffer.pop();
        return { value, done: false };
      });
    }, this.size);
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking each leaf along a new first axis:
   * numbers and number arrays become a Tensor [batch, ...], Tensors are stacked, plain objects
   * and arrays of Tensors keep their structure. The last batch may be smaller (smallLastBatch,
   * default true) or dropped.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<BatchOf<T>> {
    const where = 'Dataset.batch()';
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) fail(where, `batchSize must be an integer >= 1, got ${describe(batchSize)}`);
    if (typeof smallLastBatch !== 'boolean') fail(where, `smallLastBatch must be true or false, got ${describe(smallLastBatch)}`);
    const size = this.size === null || this.size === Infinity ? this.size : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return this.#derive(async (it) => new LazyIterator<BatchOf<T>>(async () => {
      const rows: T[] = [];
      while (rows.length < batchSize) {
        const r = await it.next();
        if (r.done) break;
        rows.push(r.value as T);
      }
      if (rows.length === 0 || (rows.length < batchSize && !smallLastBatch)) return { value: undefined, done: true };
      const value = batchRows(rows, where) as BatchOf<T>;
      disposeUnpassed(rows, value);
      return { value, done: false };
    }), size);
  }

  #derive<O>(wrap: (it: LazyIterator<T>) => Promise<LazyIterator<O>>, size: Size): Dataset<O> {
    return new Dataset<O>(async () => wrap(await this.iterator()), size);
  }
}

/** What batch() makes of an element type: leaves become Tensors. */
export type BatchOf<T> = T extends number | number[] | Tensor | readonly unknown[] ? (T extends readonly (infer E)[] ? (E extends Tensor ? Tensor[] : Tensor) : Tensor) : { [K in keyof T]: BatchOf<T[K]> };

function seedNumber(seed: number | string): number {
  if (typeof seed === 'number') return Math.floor(seed);
  // FNV-1a over the characters: a string seed names one stream.
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function mix(seed: number, pass: number): number {
  return (Math.imul((seed >>> 0) ^ Math.imul(pass + 1, 0x9e3779b9), 0x85ebca6b) >>> 0) + pass * 2 ** 32;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Stacks rows (elements of one structure) leaf by leaf. */
function batchRows(rows: unknown[], where: string, path = 'element'): unknown {
  const first = rows[0];
  if (first instanceof Tensor) {
    rows.forEach((r, i) => {
      if (!(r instanceof Tensor)) fail(where, `${path} of element ${i} is ${describe(r)}, but the first element's is a Tensor; every element must have the same structure`);
      if (r.shape.length !== first.shape.length || r.shape.some((d, j) => d !== first.shape[j])) {
        fail(where, `${path} of element ${i} has shape [${r.shape.join(',')}], the first element's [${first.shape.join(',')}]; a batch stacks elements of one shape`);
      }
    });
    return stack(rows as Tensor[]);
  }
  if (typeof first === 'number' || typeof first === 'boolean' || (Array.isArray(first) && !first.some((v) => v instanceof Tensor || isPlainObject(v)))) {
    try {
      return tensor(rows as number[]);
    } catch (err) {
      fail(where, `${path}: the elements do not stack into one tensor (${(err as Error).message.replace(/^nnplay: [^:]*: /, '')})`);
    }
  }
  if (Array.isArray(first)) {
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== first.length) fail(where, `${path} of element ${i} is not a list of ${first.length} like the first element's`);
    });
    return first.map((_, j) => batchRows(rows.map((r) => (r as unknown[])[j]), where, `${path}[${j}]`));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    rows.forEach((r, i) => {
      if (!isPlainObject(r) || Object.keys(r).length !== keys.length || keys.some((k) => !(k in r))) {
        fail(where, `${path} of element ${i} does not have the keys of the first element's (${keys.join(', ')})`);
      }
    });
    for (const k of keys) out[k] = batchRows(rows.map((r) => (r as Record<string, unknown>)[k]), where, `${path}.${k}`);
    return out;
  }
  fail(where, `${path} is ${describe(first)}; batch() stacks numbers, number arrays and Tensors (or arrays / objects of them)`);
}

/** A dataset of the array's items, in order (TF.js's tf.data.array). */
export function array<T>(items: T[]): Dataset<T> {
  if (!Array.isArray(items)) fail('data.array()', `items must be an array, got ${describe(items)}`);
  return new Dataset<T>(async () => {
    let i = 0;
    return new LazyIterator<T>(async () => (i < items.length ? { value: deepClone(items[i++]), done: false } : { value: undefined, done: true }));
  }, items.length);
}

/**
 * A dataset read from a generator function (sync or async, or any function returning an
 * iterator), called anew for every pass (TF.js's tf.data.generator). It may yield {value, done}
 * results of its own making too, as TF.js allows.
 */
export function generator<T>(make: () => Iterator<T> | AsyncIterator<T> | Promise<Iterator<T> | AsyncIterator<T>>): Dataset<T> {
  if (typeof make !== 'function') fail('data.generator()', `expected a generator function (function* () {...}), got ${describe(make)}`);
  return new Dataset<T>(async () => {
    const it = await make();
    if (it === null || typeof it !== 'object' || typeof (it as Iterator<T>).next !== 'function') {
      fail('data.generator()', `the function must return an iterator (use function* or async function*), it returned ${describe(it)}`);
    }
    return new LazyIterator<T>(async () => {
      const r = await (it as Iterator<T>).next();
      return r.done ? { value: undefined, done: true } : { value: r.value, done: false };
    });
  }, null);
}

type ZipOf<D> = D extends Dataset<infer E> ? E : { [K in keyof D]: ZipOf<D[K]> };

/**
 * A dataset of the given datasets' elements side by side, in the structure given (an array or
 * object, possibly nested, with Datasets as leaves): zip({xs, ys}) yields {xs, ys}. It ends
 * with the shortest (TF.js).
 */
export function zip<D extends Dataset | readonly unknown[] | Record<string, unknown>>(datasets: D): Dataset<ZipOf<D>> {
  const where = 'data.zip()';
  const leaves: Dataset[] = [];
  const check = (d: unknown, path: string): void => {
    if (d instanceof Dataset) leaves.push(d);
    else if (Array.isArray(d)) d.forEach((v, i) => check(v, `${path}[${i}]`));
    else if (isPlainObject(d)) for (const [k, v] of Object.entries(d)) check(v, `${path}.${k}`);
    else fail(where, `${path} is ${describe(d)}; the leaves of the structure passed to zip() must be Datasets`);
  };
  if (!(Array.isArray(datasets) || isPlainObject(datasets))) fail(where, `expected an array or object of Datasets, got ${describe(datasets)}`);
  check(datasets, 'datasets');
  const sizes = leaves.map((d) => d.size);
  const size = sizes.length === 0 ? 0 : sizes.every((s) => s !== null) ? Math.min(...(sizes as number[])) : null;
  return new Dataset<ZipOf<D>>(async () => {
    const iterators = await Promise.all(leaves.map((d) => d.iterator()));
    return new LazyIterator<ZipOf<D>>(async () => {
      if (iterators.length === 0) return { value: undefined, done: true };
      const values = await Promise.all(iterators.map((it) => it.next()));
      if (values.some((r) => r.done)) return { value: undefined, done: true };
      let k = 0;
      const build = (d: unknown): unknown => {
        if (d instanceof Dataset) return values[k++].value;
        if (Array.isArray(d)) return d.map(build);
        return Object.fromEntries(Object.entries(d as Record<string, unknown>).map(([key, v]) => [key, build(v)]));
      };
      return { value: build(datasets) as ZipOf<D>, done: false };
    });
  }, size);
}

// nn.util: the helpers of TF.js's tf.util that tutorials call (the MNIST tutorial's data loader
// shuffles with createShuffledIndices; programs assert shapes). Exported as a namespace module,
// so a bundler keeps only the helpers an app uses.
import { describe } from './describe';

export { shuffle, shuffleCombo } from './ops/random';
import { shuffle } from './ops/random';

/** [0, 1, …, n − 1] in random order (Math.random, as TF.js). */
export function createShuffledIndices(n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`nnplay: util.createShuffledIndices(): n must be an integer >= 0, got ${describe(n)}`);
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffle(indices as unknown as Int32Array);
  return indices;
}

/** Throws Error(msg()) unless expr holds. */
export function assert(expr: boolean, msg: () => string): void {
  if (!expr) throw new Error(typeof msg === 'function' ? msg() : String(msg));
}

/** The number of elements of a shape (1 for a scalar's []). */
export function sizeFromShape(shape: number[]): number {
  if (!Array.isArray(shape)) throw new Error(`nnplay: util.sizeFromShape(): shape must be an array, got ${describe(shape)}`);
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether two arrays (or typed arrays) hold the same values in the same order. */
export function arraysEqual(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** min(max(x, min), max). */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/** A nested array's (or typed arrays') values in order, flattened into `result`. */
export function flatten<T>(arr: unknown, result: T[] = []): T[] {
  if (Array.isArray(arr) || ArrayBuffer.isView(arr)) {
    const items = arr as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) flatten(items[i], result);
  } else {
    result.push(arr as T);
  }
  return result;
}

/** Milliseconds, with a fraction (performance.now()). */
export function now(): number {
  return performance.now();
}


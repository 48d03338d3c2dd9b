// Random tensors (randomUniform, randomUniformInt, randomNormal, randomStandardNormal,
// truncatedNormal, multinomial) and util.shuffle.
//
// The generator: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded through
// splitmix32 from the seed; uniform floats take the top 24 bits (exact in float32, in [0, 1)).
// Normals are Box-Muller pairs; truncatedNormal redraws values beyond two standard deviations
// (TF.js's rule). Same seed, same values, on every platform. TF.js's own streams differ (it
// uses seedrandom's alea), so nnplay matches TF.js's distributions, not its bits. Without a
// seed each call draws a fresh one from Math.random(), as TF.js does.
import { describe } from '../describe';
import { checkDtype, checkShape, shapeSize } from '../tensor';
import type { DataType, Tensor, TensorInput } from '../tensor';
import { allocate, fail, integerArg, makeTensor, release, requireDtype, toTensor } from './util';

/** A seeded stream of 32-bit words (xoshiro128**). */
export class RandomStream {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0 ^ Math.floor(seed / 2 ** 32) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.#s.every((w) => w === 0)) this.#s[0] = 1;
  }

  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1), 24 random bits. */
  uniform(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }

  /** Standard normal (Box-Muller; the pair's twin is kept for the next call). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function streamFor(op: string, seed: number | undefined): RandomStream {
  if (seed === undefined) return new RandomStream(Math.floor(Math.random() * 2 ** 32));
  if (typeof seed !== 'number' || !Number.isFinite(seed)) fail(op, `seed must be a finite number, got ${describe(seed)}`);
  return new RandomStream(Math.floor(seed));
}

function sample(op: string, shape: number[], dtype: DataType, seed: number | undefined, draw: (r: RandomStream) => number): Tensor {
  const s = checkShape(shape, `${op}()`);
  checkDtype(dtype, `${op}()`);
  if (dtype === 'bool') fail(op, "dtype must be 'float32' or 'int32'");
  const r = streamFor(op, seed);
  const out = allocate(dtype, shapeSize(s));
  for (let i = 0; i < out.length; i++) out[i] = draw(r);
  return makeTensor(out, s, dtype);
}

/** A tensor of `shape` filled by calling `randFunction()` once per element, as TF.js's rand (not seeded: the function decides). */
export function rand(shape: number[], randFunction: () => number, dtype: DataType = 'float32'): Tensor {
  const op = 'rand';
  const s = checkShape(shape, `${op}()`);
  checkDtype(dtype, `${op}()`);
  if (typeof randFunction !== 'function') fail(op, `randFunction must be a function returning a number, got ${describe(randFunction)}`);
  const out = allocate(dtype, shapeSize(s));
  for (let i = 0; i < out.length; i++) out[i] = randFunction();
  return makeTensor(out, s, dtype);
}

/** Uniform in [minval, maxval) (int32: floored). */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DataType = 'float32', seed?: number): Tensor {
  if (!(minval <= maxval)) fail('randomUniform', `needs minval <= maxval, got ${String(minval)} and ${String(maxval)}`);
  return sample('randomUniform', shape, dtype, seed, (r) => {
    const v = minval + (maxval - minval) * r.uniform();
    return dtype === 'int32' ? Math.floor(v) : v;
  });
}

export function randomNormal(shape: number[], mean = 0, stdDev = 1, dtype: DataType = 'float32', seed?: number): Tensor {
  if (!(stdDev >= 0)) fail('randomNormal', `stdDev must be >= 0, got ${String(stdDev)}`);
  return sample('randomNormal', shape, dtype, seed, (r) => mean + stdDev * r.normal());
}

/** Normal values redrawn until within two standard deviations of the mean (TF.js's truncation). */
export function truncatedNormal(shape: number[], mean = 0, stdDev = 1, dtype: DataType = 'float32', seed?: number): Tensor {
  if (!(stdDev >= 0)) fail('truncatedNormal', `stdDev must be >= 0, got ${String(stdDev)}`);
  return sample('truncatedNormal', shape, dtype, seed, (r) => {
    let z = r.normal();
    while (Math.abs(z) > 2) z = r.normal();
    return mean + stdDev * z;
  });
}

/** randomNormal with mean 0 and standard deviation 1. */
export function randomStandardNormal(shape: number[], dtype: DataType = 'float32', seed?: number): Tensor {
  return randomNormal(shape, 0, 1, dtype, seed);
}

/** Integers uniform in [minval, maxval) (int32). */
export function randomUniformInt(shape: number[], minval: number, maxval: number, seed?: number): Tensor {
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || !(minval < maxval)) {
    fail('randomUniformInt', `needs integers minval < maxval, got ${String(minval)} and ${String(maxval)}`);
  }
  return sample('randomUniformInt', shape, 'int32', seed, (r) => minval + Math.floor((maxval - minval) * r.uniform()));
}

/**
 * Draws numSamples class indices per row of logits ([k] or [batch, k]; probabilities when
 * normalized), as TF.js's multinomial: int32 [numSamples] or [batch, numSamples]. Each draw
 * walks the row's cumulative probabilities with one uniform number.
 */
export function multinomial(logits: TensorInput, numSamples: number, seed?: number, normalized = false): Tensor {
  const op = 'multinomial';
  const converted: Tensor[] = [];
  const t = toTensor(logits, 'logits', op, converted);
  try {
    requireDtype(t, 'logits', op, ['float32']);
    if (t.rank !== 1 && t.rank !== 2) fail(op, `logits must be of rank 1 or 2, got shape [${t.shape.join(',')}]`);
    const n = integerArg(op, 'numSamples', numSamples, 1);
    const k = t.shape[t.rank - 1];
    if (k < 2) fail(op, `needs at least 2 classes (the last dimension), got ${k}`);
    const rows = t.rank === 1 ? 1 : t.shape[0];
    const v = t.raw();
    const r = streamFor(op, seed);
    const out = new Int32Array(rows * n);
    const cdf = new Float64Array(k);
    for (let b = 0; b < rows; b++) {
      let peak = -Infinity;
      if (!normalized) for (let j = 0; j < k; j++) peak = Math.max(peak, v[b * k + j]);
      let total = 0;
      for (let j = 0; j < k; j++) {
        const x = v[b * k + j];
        total += normalized ? x : Math.exp(x - peak);
        cdf[j] = total;
      }
      if (!(total > 0) || !Number.isFinite(total)) fail(op, `row ${b} has no positive finite total probability`);
      for (let i = 0; i < n; i++) {
        const u = r.uniform() * total;
        let j = 0;
        while (j < k - 1 && cdf[j] <= u) j++;
        out[b * n + i] = j;
      }
    }
    return makeTensor(out, t.rank === 1 ? [n] : [rows, n], 'int32');
  } finally {
    release(converted);
  }
}

/** Shuffles an array (or typed array) in place (Fisher-Yates with Math.random, as TF.js's util.shuffle). */
export function shuffle<T>(array: T[] | Float32Array | Int32Array | Uint8Array): void {
  if (!Array.isArray(array) && !ArrayBuffer.isView(array)) fail('util.shuffle', `needs an array, got ${describe(array)}`);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
}

/** Shuffles two arrays of one length in place with the same permutation (TF.js util.shuffleCombo). */
export function shuffleCombo<T, U>(a: T[] | Float32Array | Int32Array | Uint8Array, b: U[] | Float32Array | Int32Array | Uint8Array): void {
  if (a.length !== b.length) fail('util.shuffleCombo', `arrays must have one length, got ${a.length} and ${b.length}`);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
    [b[i], b[j]] = [b[j], b[i]];
  }
}

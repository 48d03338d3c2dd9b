// Random tensors (randomUniform, randomNormal, truncatedNormal) and util.shuffle.
//
// The generator: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded through
// splitmix32 from the seed; uniform floats take the top 24 bits (exact in float32, in [0, 1)).
// Normals are Box-Muller pairs; truncatedNormal redraws values beyond two standard deviations
// (TF.js's rule). Same seed, same values, on every platform. TF.js's own streams differ (it
// uses seedrandom's alea), so nnplay matches TF.js's distributions, not its bits. Without a
// seed each call draws a fresh one from Math.random(), as TF.js does.
import { describe } from '../describe';
import { checkDtype, checkShape, shapeSize } from '../tensor';
import type { DataType, Tensor } from '../tensor';
import { allocate, fail, makeTensor } from './util';

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

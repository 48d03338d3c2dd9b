// A hand-drawn digit made to look like an MNIST sample, as LeCun et al. made theirs: the ink's
// bounding box is scaled (keeping its aspect ratio, area-averaged) so its longer side is 20 px,
// and placed in a 28×28 field with its centre of mass at the field's centre. A model trained
// on MNIST sees a drawing the way it saw its training digits.
//
// What it is: plain image resampling on the main thread or in a worker, no engine needed (the
// page calls it on every stroke). What it is not: a general image library; the input is one
// channel of ink intensity, 0 = paper.

import { describe } from './describe';

export const DIGIT_SIZE = 28;
/** The longer side of the ink's box after scaling (MNIST: 20 px in the 28 px field). */
export const DIGIT_BOX = 20;

export interface DigitOptions {
  /** Ink values at or below this are paper when finding the bounding box (default 0.01). */
  threshold?: number;
}

/**
 * The 28×28 MNIST-style image (row-major, values 0..1) of a drawing: `ink` holds width×height
 * values, row-major, 0 = paper, 1 = full ink (e.g. a canvas's alpha channel / 255). A drawing
 * with no ink gives all zeros. Throws an Error naming the argument for a wrong size or value.
 */
export function preprocessDigit(ink: ArrayLike<number>, width: number, height: number, options: DigitOptions = {}): Float32Array {
  const where = 'nnplay: preprocessDigit()';
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1 << 14) throw new Error(`${where}: ${name} must be an integer 1..16384, got ${describe(v)}`);
  }
  if (!ink || typeof ink.length !== 'number') throw new Error(`${where}: ink must be an array of width×height numbers, got ${describe(ink)}`);
  if (ink.length !== width * height) {
    throw new Error(`${where}: ink has ${ink.length} values, a ${width}×${height} image needs ${width * height}`);
  }
  const threshold = options.threshold ?? 0.01;
  if (!Number.isFinite(threshold) || threshold < 0 || threshold >= 1) throw new Error(`${where}: threshold must be a number in [0, 1), got ${describe(threshold)}`);

  // Bounding box of the ink (inclusive), checking every value once.
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x];
      if (!(v >= 0 && v <= 1)) throw new Error(`${where}: ink[${y * width + x}] is ${describe(v)}; values must be in [0, 1]`);
      if (v > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const out = new Float32Array(DIGIT_SIZE * DIGIT_SIZE);
  if (x1 < 0) return out;

  // Scale the box so its longer side is DIGIT_BOX px; both axes by the same factor.
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;
  const scale = DIGIT_BOX / Math.max(boxW, boxH);
  const w = Math.max(1, Math.round(boxW * scale));
  const h = Math.max(1, Math.round(boxH * scale));
  const rows = resampleAxis(ink, width, height, x0, boxW, w, 'x');
  const small = resampleAxis(rows, w, height, y0, boxH, h, 'y');

  // Centre of mass of the scaled box, then the integer shift that puts it at the field's centre.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const left = Math.round(DIGIT_SIZE / 2 - (mass > 0 ? mx / mass : w / 2));
  const top = Math.round(DIGIT_SIZE / 2 - (mass > 0 ? my / mass : h / 2));
  for (let y = 0; y < h; y++) {
    const ty = y + top;
    if (ty < 0 || ty >= DIGIT_SIZE) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + left;
      if (tx >= 0 && tx < DIGIT_SIZE) out[ty * DIGIT_SIZE + tx] = Math.min(1, small[y * w + x]);
    }
  }
  return out;
}

/**
 * Area-average resampling along one axis: source cells [from, from + span) of that axis become
 * `size` cells, each the mean of the source it covers (fractional cells weighted). The other axis
 * is kept. `src` is [srcH, srcW] row-major; the result is [srcH, size] for 'x', [size, srcW] for 'y'.
 */
function resampleAxis(src: ArrayLike<number>, srcW: number, srcH: number, from: number, span: number, size: number, axis: 'x' | 'y'): Float32Array {
  const step = span / size; // source cells per output cell
  const across = axis === 'x' ? srcH : srcW;
  const out = new Float32Array(axis === 'x' ? srcH * size : size * srcW);
  for (let o = 0; o < size; o++) {
    const a = from + o * step;
    const b = a + step;
    for (let s = Math.floor(a); s < Math.ceil(b); s++) {
      const weight = (Math.min(b, s + 1) - Math.max(a, s)) / step;
      if (weight <= 0) continue;
      for (let c = 0; c < across; c++) {
        if (axis === 'x') out[c * size + o] += weight * src[c * srcW + s];
        else out[o * srcW + c] += weight * src[s * srcW + c];
      }
    }
  }
  return out;
}

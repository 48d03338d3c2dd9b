// preprocessDigit: a drawing becomes a 28×28 MNIST-style sample (ink box scaled to 20 px on its
// longer side, centre of mass at the centre), whatever the canvas size and where the ink is.
import * as nn from 'nnplay';
import { describe, expect, test } from 'vitest';

/** A width×height canvas with ink 1 in the rectangle [x0, x1) × [y0, y1). */
function rect(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1;
  return ink;
}

function stats(img: Float32Array) {
  let mass = 0, mx = 0, my = 0, x0 = 28, x1 = -1, y0 = 28, y1 = -1;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = img[y * 28 + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
      if (v > 0.01) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return { mass, cx: mx / mass, cy: my / mass, boxW: x1 - x0 + 1, boxH: y1 - y0 + 1 };
}

describe('preprocessDigit', () => {
  test('a tall stroke anywhere on the canvas: 20 px tall, aspect kept, centred by mass', () => {
    // A "1": a 10×80 bar in the top-left corner of a 280×280 canvas.
    const img = nn.preprocessDigit(rect(280, 280, 5, 3, 15, 83), 280, 280);
    expect(img).toBeInstanceOf(Float32Array);
    expect(img.length).toBe(nn.DIGIT_SIZE * nn.DIGIT_SIZE);
    const s = stats(img);
    expect(s.boxH).toBe(20);
    expect(s.boxW).toBeLessThanOrEqual(4); // 10 × (20/80) = 2.5 px, area-averaged
    expect(s.boxW).toBeGreaterThanOrEqual(2);
    expect(Math.abs(s.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 14)).toBeLessThanOrEqual(0.5);
    // Area averaging: a solid stroke stays solid (every covered cell 1), so the mass is the
    // scaled box's area (10 × 20/80 = 2.5 columns, rounded to 3).
    expect(s.boxW).toBe(3);
    expect(s.mass).toBeCloseTo(s.boxW * s.boxH, 4);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
    expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
  });

  test('the same shape at two places and two canvas sizes gives the same sample', () => {
    const a = nn.preprocessDigit(rect(100, 100, 10, 10, 50, 30), 100, 100);
    const b = nn.preprocessDigit(rect(200, 150, 120, 90, 160, 110), 200, 150);
    expect(Array.from(b)).toEqual(Array.from(a));
    const s = stats(a);
    expect(s.boxW).toBe(20); // the longer side is the width here
    expect(s.boxH).toBe(10);
  });

  test('the centre of mass, not the box, goes to the centre', () => {
    // An "L": heavy bottom bar, so the mass sits below the box's middle.
    const ink = rect(100, 100, 0, 0, 4, 80);
    for (let y = 60; y < 80; y++) for (let x = 0; x < 60; x++) ink[y * 100 + x] = 1;
    const s = stats(nn.preprocessDigit(ink, 100, 100));
    expect(Math.abs(s.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 14)).toBeLessThanOrEqual(0.5);
  });

  test('no ink: all zeros', () => {
    const img = nn.preprocessDigit(new Float32Array(64 * 64), 64, 64);
    expect(img.every((v) => v === 0)).toBe(true);
  });

  test('bad input names the argument', () => {
    expect(() => nn.preprocessDigit(new Float32Array(10), 4, 4)).toThrow(/ink has 10 values, a 4×4 image needs 16/);
    expect(() => nn.preprocessDigit(new Float32Array(16), 4.5, 4)).toThrow(/width must be an integer 1\.\.16384, got 4\.5/);
    expect(() => nn.preprocessDigit([0, 2, 0, 0], 2, 2)).toThrow(/ink\[1\] is 2; values must be in \[0, 1\]/);
    expect(() => nn.preprocessDigit([0, NaN, 0, 0], 2, 2)).toThrow(/ink\[1\] is NaN/);
    expect(() => nn.preprocessDigit(null as unknown as number[], 2, 2)).toThrow(/ink must be an array/);
  });
});

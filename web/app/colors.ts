// Colour scale and pixel painting shared by the heatmap, neuron thumbnails and links:
// TensorFlow Playground's diverging scale, orange (-1) through light grey (0) to blue (+1),
// clamped outside [-1, 1]. Values reach here already computed by the engine; this is drawing.

const NEGATIVE = [245, 147, 34];
const NEUTRAL = [232, 234, 235];
const POSITIVE = [8, 119, 189];

/** RGB for a value in [-1, 1] (clamped; NaN is drawn neutral). */
export function rgb(value: number): [number, number, number] {
  const v = Number.isNaN(value) ? 0 : Math.max(-1, Math.min(1, value));
  const [from, to, t] = v < 0 ? [NEUTRAL, NEGATIVE, -v] : [NEUTRAL, POSITIVE, v];
  return [
    Math.round(from[0] + (to[0] - from[0]) * t),
    Math.round(from[1] + (to[1] - from[1]) * t),
    Math.round(from[2] + (to[2] - from[2]) * t),
  ];
}

export function cssColor(value: number): string {
  const [r, g, b] = rgb(value);
  return `rgb(${r},${g},${b})`;
}

// A 256-entry lookup keeps per-pixel painting cheap (a 100x100 heatmap at 30+ frames/s).
// Built once and only read afterwards: a constant table, not state.
const LUT_SIZE = 256;
const LUT: Readonly<Uint8ClampedArray> = buildLut();

function buildLut(): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = rgb((i / (LUT_SIZE - 1)) * 2 - 1);
    lut[i * 3] = r;
    lut[i * 3 + 1] = g;
    lut[i * 3 + 2] = b;
  }
  return lut;
}

/**
 * Paints size×size values (row-major) into canvases whose pixel size is set to match.
 * `map` turns a raw engine value into display range [-1, 1] (e.g. sigmoid p -> 2p-1);
 * discretize shows only the sign, as the playground's "discretize output" does.
 *
 * An object, not a function over a module cache: each view owns its painter and with it the
 * ImageData it reuses per canvas (thumbnails are repainted many times a second).
 */
export class ValuePainter {
  private readonly images = new WeakMap<HTMLCanvasElement, ImageData>();

  paint(canvas: HTMLCanvasElement, values: Float32Array, size: number, discretize: boolean, map: (v: number) => number = (v) => v): void {
    if (canvas.width !== size) canvas.width = size;
    if (canvas.height !== size) canvas.height = size;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    let image = this.images.get(canvas);
    if (!image || image.width !== size) {
      image = ctx.createImageData(size, size);
      this.images.set(canvas, image);
    }
    const px = image.data;
    const n = Math.min(values.length, size * size);
    for (let i = 0; i < n; i++) {
      let v = map(values[i]);
      if (Number.isNaN(v)) v = 0;
      else if (discretize) v = v > 0 ? 1 : v < 0 ? -1 : 0;
      const k = Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * (LUT_SIZE - 1)) * 3;
      px[i * 4] = LUT[k];
      px[i * 4 + 1] = LUT[k + 1];
      px[i * 4 + 2] = LUT[k + 2];
      px[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }
}

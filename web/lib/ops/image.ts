// nn.image (TF.js tf.image): the image ops a program reaches for between tf.browser.fromPixels
// and a model, e.g. a canvas drawing resized to the 28 × 28 a MNIST net takes. Images are
// [height, width, channels] or a batch [batch, height, width, channels], as TF.js.
//
// A namespace module (index.ts exports it as `image`), so an app that calls none of these does
// not ship them. Each forward is written with its backward beside it. The resizes take the
// exact gradient of what they compute, halfPixelCenters included: TF.js 4.22's gradient kernels
// ignore halfPixelCenters (they give the gradient of the resize without it), so with it set
// nnplay's gradient is the right one and TF.js's is not (docs/API.md, differences).
import { describe } from '../describe';
import { limits } from '../limits';
import { Tensor, shapeSize } from '../tensor';
import type { TensorInput } from '../tensor';
import { record } from './tape';
import { cast } from './elementwise';
import { tile } from './shape';
import { reverse } from './math';
import { fail, makeTensor, release, shapeText, toTensor } from './util';

/** Where output coordinate i reads along one axis: rows (or columns) lo and hi, mixed by frac. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

// TF.js's coordinate rule (its cpu ResizeBilinear kernel): with alignCorners the corner pixels'
// centres line up (scale (in − 1) / (out − 1)); with halfPixelCenters the pixel centres do
// (source (i + 0.5)·scale − 0.5); otherwise output i reads source i·scale.
function scaleOf(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

function bilinearTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Taps {
  const scale = scaleOf(inSize, outSize, alignCorners);
  const taps = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), frac: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const source = halfPixelCenters ? scale * (i + 0.5) - 0.5 : scale * i;
    const lo = Math.max(0, Math.floor(source));
    taps.lo[i] = lo;
    taps.hi[i] = Math.min(inSize - 1, Math.ceil(source));
    taps.frac[i] = source - lo;
  }
  return taps;
}

function nearestTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const scale = scaleOf(inSize, outSize, alignCorners);
  const taps = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const source = halfPixelCenters ? scale * (i + 0.5) : scale * i;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(source) : Math.floor(source));
    taps[i] = halfPixelCenters ? Math.max(0, nearest) : nearest;
  }
  return taps;
}

/** The image as a batch [b, h, w, c] (a view of a rank-3 one), checked as TF.js checks it. */
function batchOf(op: string, images: Tensor): [number, number, number, number] {
  if (images.rank !== 3 && images.rank !== 4) fail(op, `images must be of rank 3 ([height, width, channels]) or 4 ([batch, height, width, channels]), got shape ${shapeText(images.shape)}`);
  if (images.dtype === 'bool') fail(op, `images must be a float32 or int32 tensor, got a bool tensor (cast it with nn.cast(x, 'float32'))`);
  const s = images.rank === 3 ? [1, ...images.shape] : images.shape;
  return [s[0], s[1], s[2], s[3]];
}

interface ResizeArgs {
  images: Tensor;
  converted: Tensor[];
  batch: [number, number, number, number];
  height: number;
  width: number;
  outShape: number[];
}

function resizeArgs(op: string, imagesIn: TensorInput, size: unknown, alignCorners: unknown, halfPixelCenters: unknown): ResizeArgs {
  const converted: Tensor[] = [];
  const images = toTensor(imagesIn, 'images', op, converted);
  const batch = batchOf(op, images);
  if (!Array.isArray(size) || size.length !== 2) fail(op, `size must be [newHeight, newWidth], got ${describe(size)}`);
  const [height, width] = size.map((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > limits.dimension) fail(op, `size[${i}] must be an integer in [0, 2^28], got ${describe(d)}`);
    return d;
  });
  if (typeof alignCorners !== 'boolean') fail(op, `alignCorners must be true or false, got ${describe(alignCorners)}`);
  if (typeof halfPixelCenters !== 'boolean') fail(op, `halfPixelCenters must be true or false, got ${describe(halfPixelCenters)}`);
  if (alignCorners && halfPixelCenters) fail(op, 'alignCorners and halfPixelCenters cannot both be true (two different rules for where a pixel is)');
  const outShape = images.rank === 3 ? [height, width, batch[3]] : [batch[0], height, width, batch[3]];
  // Sizes in doubles: a count past 2^31 would wrap a 32-bit index and is more than a typed array holds.
  if (shapeSize(outShape) > 2 ** 31 - 1) fail(op, `the resized images would hold ${shapeSize(outShape)} values (shape ${shapeText(outShape)}); at most 2^31 - 1 fit in one tensor`);
  return { images, converted, batch, height, width, outShape };
}

/**
 * Bilinear resize to `size` = [newHeight, newWidth] (TF.js tf.image.resizeBilinear). Always
 * float32, whatever the input's dtype, as TF.js.
 */
export function resizeBilinear(images: TensorInput, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const op = 'image.resizeBilinear';
  const a = resizeArgs(op, images, size, alignCorners, halfPixelCenters);
  try {
    const [b, h, w, c] = a.batch;
    const rows = bilinearTaps(h, a.height, alignCorners, halfPixelCenters);
    const cols = bilinearTaps(w, a.width, alignCorners, halfPixelCenters);
    const x = a.images.raw();
    const y = new Float32Array(shapeSize(a.outShape));
    let o = 0;
    for (let n = 0; n < b; n++) {
      for (let r = 0; r < a.height; r++) {
        const top = (n * h + rows.lo[r]) * w;
        const bottom = (n * h + rows.hi[r]) * w;
        const fr = rows.frac[r];
        for (let q = 0; q < a.width; q++) {
          const left = cols.lo[q];
          const right = cols.hi[q];
          const fc = cols.frac[q];
          for (let ch = 0; ch < c; ch++) {
            const tl = x[(top + left) * c + ch];
            const tr = x[(top + right) * c + ch];
            const bl = x[(bottom + left) * c + ch];
            const br = x[(bottom + right) * c + ch];
            const upper = tl + (tr - tl) * fc;
            const lower = bl + (br - bl) * fc;
            y[o++] = upper + (lower - upper) * fr;
          }
        }
      }
    }
    const out = makeTensor(y, a.outShape, 'float32');
    if (a.images.dtype === 'float32') {
      // The transpose of the forward: each output's dy goes back to its four taps with the
      // same weights (a tap counted twice where lo = hi gets both shares).
      record(op, [a.images], out, ([dy]) => {
        const g = dy.raw();
        const dx = new Float32Array(b * h * w * c);
        let i = 0;
        for (let n = 0; n < b; n++) {
          for (let r = 0; r < a.height; r++) {
            const top = (n * h + rows.lo[r]) * w;
            const bottom = (n * h + rows.hi[r]) * w;
            const fr = rows.frac[r];
            for (let q = 0; q < a.width; q++) {
              const left = cols.lo[q];
              const right = cols.hi[q];
              const fc = cols.frac[q];
              for (let ch = 0; ch < c; ch++) {
                const d = g[i++];
                dx[(top + left) * c + ch] += d * (1 - fr) * (1 - fc);
                dx[(top + right) * c + ch] += d * (1 - fr) * fc;
                dx[(bottom + left) * c + ch] += d * fr * (1 - fc);
                dx[(bottom + right) * c + ch] += d * fr * fc;
              }
            }
          }
        }
        return [makeTensor(dx, a.images.shape, 'float32')];
      });
    }
    return out;
  } finally {
    release(a.converted);
  }
}

/**
 * Nearest-neighbour resize to `size` = [newHeight, newWidth] (TF.js
 * tf.image.resizeNearestNeighbor). Keeps the input's dtype, as TF.js.
 */
export function resizeNearestNeighbor(images: TensorInput, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const op = 'image.resizeNearestNeighbor';
  const a = resizeArgs(op, images, size, alignCorners, halfPixelCenters);
  try {
    const [b, h, w, c] = a.batch;
    const rows = nearestTaps(h, a.height, alignCorners, halfPixelCenters);
    const cols = nearestTaps(w, a.width, alignCorners, halfPixelCenters);
    const x = a.images.raw();
    const y = a.images.dtype === 'int32' ? new Int32Array(shapeSize(a.outShape)) : new Float32Array(shapeSize(a.outShape));
    // source[i]: the flat index of output pixel i's source pixel (its first channel).
    const source = new Int32Array(b * a.height * a.width);
    let p = 0;
    for (let n = 0; n < b; n++) for (let r = 0; r < a.height; r++) for (let q = 0; q < a.width; q++) source[p++] = ((n * h + rows[r]) * w + cols[q]) * c;
    for (let i = 0; i < source.length; i++) for (let ch = 0; ch < c; ch++) y[i * c + ch] = x[source[i] + ch];
    const out = makeTensor(y, a.outShape, a.images.dtype);
    if (a.images.dtype === 'float32') {
      record(op, [a.images], out, ([dy]) => {
        const g = dy.raw();
        const dx = new Float32Array(b * h * w * c);
        for (let i = 0; i < source.length; i++) for (let ch = 0; ch < c; ch++) dx[source[i] + ch] += g[i * c + ch];
        return [makeTensor(dx, a.images.shape, 'float32')];
      });
    }
    return out;
  } finally {
    release(a.converted);
  }
}

/** Each image mirrored left to right (TF.js tf.image.flipLeftRight: a float32 batch [b, h, w, c]). */
export function flipLeftRight(image: TensorInput): Tensor {
  const op = 'image.flipLeftRight';
  const converted: Tensor[] = [];
  const t = toTensor(image, 'image', op, converted);
  try {
    if (t.rank !== 4) fail(op, `image must be a batch of rank 4 [batch, height, width, channels], got shape ${shapeText(t.shape)} (add the batch axis with nn.expandDims(image, 0))`);
    if (t.dtype !== 'float32') fail(op, `image must be a float32 tensor, got a ${t.dtype} tensor (cast it with nn.cast(x, 'float32'))`);
    return reverse(t, 2);
  } finally {
    release(converted);
  }
}

// ITU-R BT.601 luma weights, the ones TF.js uses, as float32 (TF.js holds them in a float32
// tensor). Written out rather than computed, so that the module has no top-level call and a
// bundler drops it from apps that do not use it.
const LUMA = [0.29890000820159912, 0.58700001239776611, 0.11400000005960464];

/**
 * RGB to one grey channel, 0.2989 R + 0.5870 G + 0.1140 B (TF.js tf.image.rgbToGrayscale):
 * [..., 3] → [..., 1], computed in float32 and cast back to the input's dtype (int32 truncates).
 */
export function rgbToGrayscale(image: TensorInput): Tensor {
  const op = 'image.rgbToGrayscale';
  const converted: Tensor[] = [];
  const t = toTensor(image, 'image', op, converted);
  try {
    if (t.rank < 2) fail(op, `image must be of rank 2 or more with 3 channels last, got shape ${shapeText(t.shape)}`);
    if (t.shape[t.rank - 1] !== 3) fail(op, `the last dimension of an RGB image must be 3 (red, green, blue), got shape ${shapeText(t.shape)}`);
    if (t.dtype === 'bool') fail(op, `image must be a float32 or int32 tensor, got a bool tensor`);
    const x = t.raw();
    const pixels = x.length / 3;
    const grey = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) grey[p] = Math.fround(x[3 * p]) * LUMA[0] + Math.fround(x[3 * p + 1]) * LUMA[1] + Math.fround(x[3 * p + 2]) * LUMA[2];
    const shape = [...t.shape.slice(0, -1), 1];
    const out = makeTensor(grey, shape, 'float32');
    if (t.dtype !== 'float32') {
      const back = cast(out, t.dtype);
      out.dispose();
      return back;
    }
    record(op, [t], out, ([dy]) => {
      const g = dy.raw();
      const dx = new Float32Array(x.length);
      for (let p = 0; p < pixels; p++) for (let k = 0; k < 3; k++) dx[3 * p + k] = g[p] * LUMA[k];
      return [makeTensor(dx, t.shape, 'float32')];
    });
    return out;
  } finally {
    release(converted);
  }
}

/** One grey channel repeated as R, G and B (TF.js tf.image.grayscaleToRGB): [..., 1] → [..., 3]. */
export function grayscaleToRGB(image: TensorInput): Tensor {
  const op = 'image.grayscaleToRGB';
  const converted: Tensor[] = [];
  const t = toTensor(image, 'image', op, converted);
  try {
    if (t.rank < 2) fail(op, `image must be of rank 2 or more with 1 channel last, got shape ${shapeText(t.shape)}`);
    if (t.shape[t.rank - 1] !== 1) fail(op, `the last dimension of a grayscale image must be 1, got shape ${shapeText(t.shape)}`);
    return tile(t, [...t.shape.slice(0, -1).map(() => 1), 3]);
  } finally {
    release(converted);
  }
}

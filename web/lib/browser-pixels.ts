// nn.browser.fromPixels / toPixels (TF.js tf.browser): images to int32 [height, width, channels]
// tensors and back, for programs that classify a canvas, an <img>, a video frame or an
// ImageData. A page reads the pixels through a 2D canvas; in Node (or a worker without
// OffscreenCanvas) only ImageData-like objects ({data, width, height}, RGBA bytes) can be read.
import { describe } from './describe';
import { Tensor } from './tensor';
import { fail, makeTensor } from './ops/util';

/** Something with RGBA bytes: an ImageData, or TF.js's PixelData {data, width, height}. */
export interface PixelData {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

type Drawable = CanvasImageSource & { width?: number; height?: number; videoWidth?: number; videoHeight?: number; naturalWidth?: number; naturalHeight?: number };

function isPixelData(p: unknown): p is PixelData {
  const o = p as PixelData;
  return typeof o === 'object' && o !== null && typeof o.width === 'number' && typeof o.height === 'number' && (o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray);
}

const DRAWABLE_NAMES = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'ImageBitmap', 'OffscreenCanvas', 'SVGImageElement', 'VideoFrame'];

function rgbaOf(pixels: PixelData | Drawable): PixelData {
  if (isPixelData(pixels)) return pixels;
  const drawable = DRAWABLE_NAMES.some((name) => typeof (globalThis as Record<string, unknown>)[name] === 'function' && pixels instanceof ((globalThis as Record<string, unknown>)[name] as new () => object));
  if (!drawable) fail('browser.fromPixels', `pixels must be an image, canvas, video, ImageBitmap, ImageData or {data, width, height} (data: RGBA bytes), got ${describe(pixels)}`);
  const source = pixels as Drawable;
  const width = source.videoWidth || source.naturalWidth || Number(source.width);
  const height = source.videoHeight || source.naturalHeight || Number(source.height);
  if (!(width > 0) || !(height > 0)) fail('browser.fromPixels', `the image has no size yet (${width} × ${height}): wait for it to load`);
  let context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null = null;
  if (typeof OffscreenCanvas === 'function') context = new OffscreenCanvas(width, height).getContext('2d');
  else if (typeof document === 'object') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    context = canvas.getContext('2d');
  }
  if (!context) fail('browser.fromPixels', 'needs a 2D canvas to read this image; here, pass an ImageData or {data, width, height}');
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

/** The image's pixels as an int32 tensor [height, width, numChannels] (1: red, 3: RGB, 4: RGBA). */
export function fromPixels(pixels: PixelData | Drawable, numChannels = 3): Tensor {
  if (numChannels !== 1 && numChannels !== 3 && numChannels !== 4) fail('browser.fromPixels', `numChannels must be 1, 3 or 4, got ${describe(numChannels)}`);
  if (typeof pixels !== 'object' || pixels === null) fail('browser.fromPixels', `pixels must be an image, canvas, video, ImageBitmap, ImageData or {data, width, height} (data: RGBA bytes), got ${describe(pixels)}`);
  const { width, height, data } = rgbaOf(pixels);
  if (data.length !== width * height * 4) fail('browser.fromPixels', `data holds ${data.length} bytes; ${width} × ${height} RGBA pixels need ${width * height * 4}`);
  const out = new Int32Array(width * height * numChannels);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < numChannels; c++) out[p * numChannels + c] = data[p * 4 + c];
  return makeTensor(out, [height, width, numChannels], 'int32');
}

/** fromPixels, as a promise (TF.js reads an ImageBitmap there; here the same read). */
export async function fromPixelsAsync(pixels: PixelData | Drawable, numChannels = 3): Promise<Tensor> {
  return fromPixels(pixels, numChannels);
}

/**
 * The RGBA bytes of an image tensor [height, width] or [height, width, 1 | 3 | 4] (float32 in
 * [0, 1] or int32 in [0, 255], as TF.js), drawn into `canvas` when one is given.
 */
export async function toPixels(img: Tensor, canvas?: HTMLCanvasElement | OffscreenCanvas): Promise<Uint8ClampedArray> {
  const op = 'browser.toPixels';
  if (!(img instanceof Tensor)) fail(op, `img must be a Tensor, got ${describe(img)}`);
  if (img.rank !== 2 && img.rank !== 3) fail(op, `img must be of rank 2 or 3, got shape [${img.shape.join(',')}]`);
  const [height, width] = img.shape;
  const depth = img.rank === 2 ? 1 : img.shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) fail(op, `img must have 1, 3 or 4 channels, got ${depth}`);
  if (img.dtype !== 'float32' && img.dtype !== 'int32') fail(op, `img must be float32 or int32, got ${img.dtype}`);
  const scale = img.dtype === 'float32' ? 255 : 1;
  const values = img.dataSync();
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    let rgba = [0, 0, 0, 255];
    for (let c = 0; c < depth; c++) {
      const v = values[p * depth + c];
      const ok = img.dtype === 'float32' ? v >= 0 && v <= 1 : v >= 0 && v <= 255;
      if (!ok) fail(op, `${img.dtype} values must be in ${img.dtype === 'float32' ? '[0, 1]' : '[0, 255]'}, got ${v} at pixel ${p}`);
      rgba[c] = Math.round(v * scale);
    }
    if (depth === 1) rgba = [rgba[0], rgba[0], rgba[0], 255];
    bytes.set(rgba, p * 4);
  }
  if (canvas) {
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) fail(op, 'the canvas gives no 2D context');
    context.putImageData(new ImageData(bytes, width, height), 0, 0);
  }
  return bytes;
}

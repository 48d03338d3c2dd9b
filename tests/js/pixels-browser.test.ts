// nn.browser.fromPixels / toPixels in a real page (dist/lib/nnplay.js in Chromium): a canvas the
// page drew on, an ImageBitmap of it and its ImageData give the same tensor, the bytes a canvas
// holds; toPixels draws a tensor into a canvas that reads back the same bytes.
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const page = `<!doctype html><meta charset="utf-8"><title>nnplay pixels</title>
<canvas id="c" width="5" height="3"></canvas>
<script type="module">
  const nn = await import('/dist/lib/nnplay.js');
  try {
    const canvas = document.getElementById('c');
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'rgb(200, 10, 30)';
    ctx.fillRect(0, 0, 5, 3);
    ctx.fillStyle = 'rgb(0, 255, 0)';
    ctx.fillRect(2, 1, 2, 2);
    const imageData = ctx.getImageData(0, 0, 5, 3);
    const fromCanvas = nn.browser.fromPixels(canvas);
    const fromBitmap = nn.browser.fromPixels(await createImageBitmap(canvas), 4);
    const fromData = nn.browser.fromPixels(imageData, 4);
    const gray = nn.browser.fromPixels(canvas, 1);
    const target = document.createElement('canvas');
    const drawn = await nn.browser.toPixels(nn.tensor3d([[[1, 0, 0], [0, 0.5, 1]]]), target);
    const readBack = Array.from(target.getContext('2d').getImageData(0, 0, 2, 1).data);
    window.__result = {
      shape: fromCanvas.shape, dtype: fromCanvas.dtype, canvas: Array.from(fromCanvas.dataSync()),
      bitmap: Array.from(fromBitmap.dataSync()), data: Array.from(fromData.dataSync()), bytes: Array.from(imageData.data),
      gray: Array.from(gray.dataSync()), drawn: Array.from(drawn), readBack, size: [target.width, target.height],
      noSize: (() => { try { nn.browser.fromPixels(new Image()); return 'no error'; } catch (e) { return String(e.message); } })(),
    };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('fromPixels reads a canvas, an ImageBitmap and ImageData alike; toPixels draws into a canvas', async () => {
  const r = (await pageResultInChromium(server.url, 'nnplay-pixels-')) as Record<string, unknown>;
  expect(r.error).toBeUndefined();
  expect(r.shape).toEqual([3, 5, 3]);
  expect(r.dtype).toBe('int32');
  const bytes = r.bytes as number[];
  expect(r.data).toEqual(bytes);
  expect(r.bitmap).toEqual(bytes);
  expect(r.canvas).toEqual(bytes.filter((_, i) => i % 4 !== 3));
  expect(r.gray).toEqual(bytes.filter((_, i) => i % 4 === 0));
  // pixel (row 1, column 2) is green, (0, 0) the red fill
  expect((r.canvas as number[]).slice((1 * 5 + 2) * 3, (1 * 5 + 2) * 3 + 3)).toEqual([0, 255, 0]);
  expect((r.canvas as number[]).slice(0, 3)).toEqual([200, 10, 30]);
  expect(r.drawn).toEqual([255, 0, 0, 255, 0, 128, 255, 255]);
  expect(r.readBack).toEqual(r.drawn);
  expect(r.size).toEqual([2, 1]);
  expect(r.noSize).toMatch(/browser.fromPixels\(\): the image has no size yet \(0 × 0\): wait for it to load/);
});

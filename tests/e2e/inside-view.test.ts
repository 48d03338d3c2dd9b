// The "inside the network" widget (web/app/images/inside-view.ts) on the Keras MNIST CNN, built
// and trained with the library in web/app/test-inside.html: real snapshots from
// TrainingSession.predict over every node and the first conv kernel from weights(). Checks
// what a user sees (one canvas per feature map, capped with a "+N more" that expands, 32 3×3
// filters, 10 labelled probabilities summing to 1 with the top one marked, the dense strips),
// that a repaint with the same shapes keeps the very same canvases while their pixels change
// with training, that a new model rebuilds, and the narrow-screen / touch-size / aria basics.
// Prints update() times (never asserted).
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { usePlayground } from './fixture';

const app = usePlayground();
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

interface InsideHooks {
  update(): void;
  train(steps: number): unknown;
  snapshot(): { nodes: { name: string; type: string; shape: number[]; values: Float32Array }[]; classNames: string[]; image: Float32Array; firstConvKernel: unknown };
  view: { update(s: unknown): void; dispose(): void };
  measure(count: number): Promise<{ count: number; median: number; max: number; longTasks: number[] }>;
  buildTime(): number;
  predictTime(): number;
}
type InsideWindow = Window & { nnplayInside: Promise<InsideHooks> };

async function open(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  if (viewport) await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  await page.goto(`${app.server.url}test-inside.html`);
  await page.evaluate(() => (window as unknown as InsideWindow).nnplayInside.then(() => undefined));
  return page;
}
const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;

/** A section by the start of its heading's text. */
const section = (page: Page, heading: string) => page.locator('.nn-inside-section', { has: page.locator(`:is(h2,h3,h4):text-matches("^${heading}")`) });

/** Every canvas's pixels, as a checksum per canvas (to see them change). */
const checksums = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum = (sum * 31 + data[i]) >>> 0;
      return sum;
    }),
  );

describe('InsideView on the Keras MNIST CNN', () => {
  it('draws every layer of a real snapshot, caps and expands the maps, reuses its canvases', async () => {
    const page = await open();
    const conv = section(page, 'conv2d_1 · conv2d · 26 × 26 × 32');
    const pool = section(page, 'maxPooling2d_2 · maxPooling2d · 13 × 13 × 32');
    await expect.poll(() => conv.count()).toBe(1);

    // The snapshot is what the library returns: five nodes, [1, ...] shapes.
    const shapes = await page.evaluate(async () => {
      const t = await (window as unknown as InsideWindow).nnplayInside;
      return t.snapshot().nodes.map((n) => `${n.type}:${n.shape.join('x')}`);
    });
    expect(shapes).toEqual(['conv2d:1x26x26x32', 'maxPooling2d:1x13x13x32', 'flatten:1x5408', 'dense:1x128', 'dense:1x10']);

    // Input image: one 28×28 canvas.
    const input = page.locator('.nn-inside-input canvas');
    expect(await input.evaluate((c: HTMLCanvasElement) => [c.width, c.height, c.getAttribute('aria-label')])).toEqual([28, 28, expect.stringContaining('28 by 28')]);

    // Feature maps: 16 of 32 shown, a "+16 more" button of at least 44×44 px expands to 32.
    const convMaps = conv.locator('canvas:not([hidden])');
    expect(await convMaps.count()).toBe(16);
    expect(await convMaps.first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([26, 26]);
    expect(await convMaps.first().getAttribute('aria-label')).toBe('conv2d_1, feature map 1 of 32 (26 by 26)');
    const more = conv.locator('.nn-inside-more');
    expect(await more.getAttribute('aria-label')).toBe('Show 16 more feature maps of conv2d_1 (all 32)');
    expect(await more.textContent()).toBe('+16 more');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const box = (await more.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
    await more.click();
    expect(await convMaps.count()).toBe(32);
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await more.textContent()).toBe('Show fewer');
    // The newly shown maps are painted at once (not left blank until the next snapshot).
    const painted = await checksums(page, '.nn-inside-maps[data-node="conv2d_1"] canvas');
    expect(new Set(painted.slice(16)).size).toBeGreaterThan(1);
    expect(await pool.locator('canvas:not([hidden])').count()).toBe(16);
    expect(await pool.locator('canvas').first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([13, 13]);
    // Value range of each layer, shown as text (relu maps: sequential from 0).
    expect(await conv.locator('.nn-inside-legend').textContent()).toMatch(/^range 0 … \d/);

    // Filters of the first conv layer: 32 of 3×3, a diverging range (weights of both signs).
    const filters = section(page, 'Filters of conv2d_1 · 3 × 3 × 1 × 32');
    const filterCanvases = filters.locator('canvas:not([hidden])');
    expect(await filterCanvases.count()).toBe(32);
    expect(await filterCanvases.evaluateAll((cs) => (cs as HTMLCanvasElement[]).every((c) => c.width === 3 && c.height === 3))).toBe(true);
    expect(await filters.locator('.nn-inside-legend').textContent()).toMatch(/^range −[\d.]+ … 0 … [\d.]+$/);
    expect(await filters.getByRole('button').count()).toBe(0);

    // Flatten and dense activations: heat strips, 5408 wrapped into rows of 128.
    const flat = section(page, 'flatten_3 · flatten · 5408').locator('canvas');
    expect(await flat.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([128, 43]);
    const dense = section(page, 'dense_4 · dense · 128').locator('canvas');
    expect(await dense.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([128, 1]);

    // Probabilities: 10 classes named, as text summing to ~100 %, the top one marked and
    // matching the largest value of the snapshot.
    const probs = page.locator('.nn-inside-probs li');
    expect(await probs.count()).toBe(10);
    const read = async () => {
      const rows = await probs.evaluateAll((lis) => lis.map((li) => ({ name: li.querySelector('.nn-inside-class')!.textContent, value: parseFloat(li.querySelector('.nn-inside-value')!.textContent!), top: li.classList.contains('nn-inside-top'), current: li.getAttribute('aria-current') })));
      return rows;
    };
    const rows = await read();
    expect(rows.map((r) => r.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Math.abs(rows.reduce((s, r) => s + r.value, 0) - 100)).toBeLessThan(0.6);
    expect(rows.filter((r) => r.top)).toHaveLength(1);
    expect(rows.filter((r) => r.current === 'true')).toHaveLength(1);
    const topShown = rows.findIndex((r) => r.top);
    expect(rows[topShown].value).toBe(Math.max(...rows.map((r) => r.value)));
    expect(await page.locator('.nn-inside-summary').textContent()).toBe(`Top class: ${topShown} (${rows[topShown].value.toFixed(1)} %)`);
    expect(await page.locator('.nn-inside-probs').getAttribute('aria-label')).toBe('Probability of each of the 10 classes');

    // Every section has a heading; every canvas says what it shows.
    expect(await page.locator('.nn-inside-section').count()).toBe(7);
    expect(await page.locator('.nn-inside-section:not(:has(> h3))').count()).toBe(0);
    expect(await page.locator('.nn-inside canvas:not([aria-label])').count()).toBe(0);

    // Train a little and update: same shapes, so the same elements, repainted.
    const before = await page.evaluate(() => {
      const all = [...document.querySelectorAll('.nn-inside canvas, .nn-inside-section, .nn-inside-probs li')];
      (window as unknown as { kept: Element[] }).kept = all;
      return all.length;
    });
    const filterPixels = await checksums(page, '.nn-inside-filters canvas');
    const convPixels = await checksums(page, '.nn-inside-maps[data-node="conv2d_1"] canvas');
    await page.evaluate(async () => {
      const t = await (window as unknown as InsideWindow).nnplayInside;
      t.train(10);
      t.update();
    });
    const same = await page.evaluate(() => {
      const all = [...document.querySelectorAll('.nn-inside canvas, .nn-inside-section, .nn-inside-probs li')];
      const kept = (window as unknown as { kept: Element[] }).kept;
      return all.length === kept.length && all.every((e, i) => e === kept[i]);
    });
    expect(before).toBeGreaterThan(32 + 32 + 32);
    expect(same).toBe(true);
    expect(await checksums(page, '.nn-inside-filters canvas')).not.toEqual(filterPixels);
    expect(await checksums(page, '.nn-inside-maps[data-node="conv2d_1"] canvas')).not.toEqual(convPixels);
    expect(await convMaps.count()).toBe(32); // still expanded
    const after = await read();
    expect(Math.abs(after.reduce((s, r) => s + r.value, 0) - 100)).toBeLessThan(0.6);
    expect(after.filter((r) => r.top)).toHaveLength(1);

    // Collapsing hides the extra maps again.
    await more.click();
    expect(await convMaps.count()).toBe(16);

    // Timings (printed, not asserted): the DOM build, a repaint with every map shown (32 of
    // 26×26 and 32 of 13×13), the library's predict + weights here on the main thread.
    const closed = page.locator('.nn-inside-more[aria-expanded="false"]');
    while ((await closed.count()) > 0) await closed.first().click();
    expect(await page.locator('.nn-inside-maps canvas:not([hidden])').count()).toBe(64);
    const timing = await page.evaluate(async () => {
      const t = await (window as unknown as InsideWindow).nnplayInside;
      const build = t.buildTime();
      const predict = t.predictTime();
      const repaint = await t.measure(60);
      return { build, predict, repaint };
    });
    console.log(
      `[inside-view] Keras CNN: first update (DOM build) ${timing.build.toFixed(2)} ms; update() repaint (all 64 maps) median ${timing.repaint.median.toFixed(2)} ms, max ${timing.repaint.max.toFixed(2)} ms over ${timing.repaint.count}; ` +
        `long tasks (> 50 ms) during them: ${timing.repaint.longTasks.length ? timing.repaint.longTasks.map((d) => d.toFixed(0)).join(', ') + ' ms' : 'none'}; snapshot via predict + weights on the main thread ${timing.predict.toFixed(2)} ms`,
    );
    expect(errorsOf(page)).toEqual([]);
  });

  it('rebuilds for a new model, notes what it cannot draw, wraps on a phone', async () => {
    const page = await open({ width: 360, height: 740 });
    const result = await page.evaluate(async () => {
      const t = await (window as unknown as InsideWindow).nnplayInside;
      const s = t.snapshot();
      const firstCanvas = document.querySelector('.nn-inside canvas');
      // A different model: a dense layer over 3-D outputs the view cannot draw, maps of two
      // channels, a 4-channel kernel (averaged), logits that are not probabilities.
      const odd = {
        image: s.image,
        classNames: ['a', 'b', 'c'],
        firstConvKernel: { shape: [2, 2, 4, 2], values: Float32Array.from({ length: 32 }, (_, i) => (i % 5) - 2) },
        nodes: [
          { name: 'conv', type: 'conv2d', shape: [1, 4, 4, 2], values: Float32Array.from({ length: 32 }, (_, i) => i - 16) },
          { name: 'odd', type: 'reshape', shape: [1, 2, 2, 2, 2], values: new Float32Array(16) },
          { name: 'short', type: 'dense', shape: [1, 8], values: new Float32Array(3) },
          { name: 'out', type: 'dense', shape: [1, 3], values: Float32Array.from([2, -1, 0.5]) },
        ],
      };
      t.view.update(odd);
      const text = document.querySelector('.nn-inside')!.textContent!;
      return {
        rebuilt: document.querySelector('.nn-inside canvas') !== firstCanvas,
        notes: [...document.querySelectorAll('.nn-inside-note')].map((p) => p.textContent),
        maps: document.querySelectorAll('.nn-inside-maps canvas').length,
        filters: document.querySelectorAll('.nn-inside-filters canvas').length,
        meanSaid: text.includes('each the mean of its 4 input channels'),
        notProbabilities: text.includes('not probabilities'),
        top: document.querySelector('.nn-inside-top .nn-inside-class')?.textContent,
        legend: document.querySelector('.nn-inside-maps .nn-inside-legend')?.textContent,
      };
    });
    expect(result.rebuilt).toBe(true);
    expect(result.notes).toEqual(['odd (reshape, 2 × 2 × 2 × 2): not drawn (only feature maps [h, w, c] and vectors are).', 'short (dense, 8): not drawn (its values do not fill its shape).']);
    expect(result.maps).toBe(2);
    expect(result.filters).toBe(2);
    expect(result.meanSaid).toBe(true);
    expect(result.notProbabilities).toBe(true);
    expect(result.top).toBe('a');
    expect(result.legend).toBe('range −16 … 0 … 16');

    // Back to the CNN on a 360 px wide screen: nothing sticks out sideways.
    await page.evaluate(async () => (await (window as unknown as InsideWindow).nnplayInside).update());
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.querySelector('.nn-inside')!.getBoundingClientRect().right }));
    expect(widths.page).toBeLessThanOrEqual(360);
    expect(widths.view).toBeLessThanOrEqual(360);
    const rows = await page.locator('.nn-inside-maps').first().locator('canvas:not([hidden])').evaluateAll((cs) => new Set(cs.map((c) => Math.round(c.getBoundingClientRect().top))).size);
    expect(rows).toBeGreaterThan(1); // the maps wrapped

    // dispose() removes the view.
    await page.evaluate(async () => (await (window as unknown as InsideWindow).nnplayInside).view.dispose());
    expect(await page.locator('.nn-inside').count()).toBe(0);
    expect(errorsOf(page)).toEqual([]);
  });
});

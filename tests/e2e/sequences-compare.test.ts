// The Sequences mode's "Compare cells" in headless Chromium: `#mode=sequences&task=adding&compare=true`
// trains SimpleRNN, LSTM and GRU side by side in three workers; one chart overlays their test
// loss (three coloured curves), the figures table has a row per cell, and each cell's input-step
// dependence strip for the chosen sample is drawn from the engine's input gradients (an LSTM's is
// non-zero at the earliest steps); the single model's view shows its own strip under the input.
// The setup survives a reload, and so do the three trained models (their epochs and curves);
// Reset all forgets them.
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

interface Cell {
  cell: string;
  training: boolean;
  epoch: number;
  evaluations: { epoch: number; testLoss: number }[];
  dependence: number[] | null;
  error: string | null;
  restoredEpoch: number | null;
}
type Win = { nnplay: { compareCells: Cell[]; dependence: number[] | null; state: Record<string, unknown>; whenStored(): Promise<void> } };
/** How many compared models the page lists as kept. */
const keptCompared = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(':compare:models'));
    return key ? (JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[]).length : 0;
  });
const cells = (page: Page) => page.evaluate(() => (window as unknown as Win).nnplay.compareCells);

async function open(hash: string): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  await page.goto(app.server.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

/** Pixels of a canvas with this colour (within a tolerance), and pixels with any ink. */
const pixels = (page: Page, id: string, rgb: [number, number, number] | null) =>
  page.evaluate(
    ({ id, rgb }) => {
      const c = document.getElementById(id) as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        if (rgb === null ? !(d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250) : Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 40) n++;
      }
      return n;
    },
    { id, rgb },
  );

const COLORS: Record<string, [number, number, number]> = { simpleRNN: [0xe1, 0x57, 0x59], lstm: [0x08, 0x77, 0xbd], gru: [0x59, 0xa1, 0x4f] };

describe('Sequences mode: compare cells', () => {
  it('trains SimpleRNN, LSTM and GRU side by side: three loss curves, three dependence strips', async () => {
    const page = await open('#mode=sequences&task=adding&compare=true&epochs=2&units=8');
    await expect.poll(() => page.locator('#compare').isVisible(), { timeout: 30_000 }).toBe(true);
    // The single model's panels give way to the comparison.
    expect(await page.locator('#hidden-state').isVisible()).toBe(false);
    const start = page.getByRole('button', { name: 'Start all' });
    await expect.poll(() => start.isEnabled(), { timeout: 90_000 }).toBe(true);
    // Untrained models already have strips: the engine's input gradients of each.
    await expect.poll(async () => (await cells(page)).filter((c) => c.dependence !== null).length, { timeout: 60_000 }).toBe(3);

    await start.click();
    await expect.poll(async () => (await cells(page)).map((c) => c.evaluations.length), { timeout: 180_000 }).toEqual([2, 2, 2]);
    const done = await cells(page);
    expect(done.map((c) => c.cell)).toEqual(['simpleRNN', 'lstm', 'gru']);
    for (const c of done) {
      expect(c.error).toBeNull();
      expect(c.evaluations.every((e) => Number.isFinite(e.testLoss))).toBe(true);
    }
    // Three curves: each cell's colour in the chart, and a row of figures each.
    for (const [cell, rgb] of Object.entries(COLORS)) expect(await pixels(page, 'compare-chart', rgb), cell).toBeGreaterThan(100);
    expect(await page.locator('#compare-figures tbody tr').count()).toBe(3);
    await expect.poll(() => page.locator('#compare-figures tbody tr[data-cell="lstm"] td').nth(2).textContent()).toBe('2');
    // Three strips, each drawn in its cell's colour.
    for (const [cell, rgb] of Object.entries(COLORS)) expect(await pixels(page, `compare-strip-${cell}`, rgb), cell).toBeGreaterThan(30);
    await expect.poll(async () => (await cells(page)).every((c) => c.dependence !== null && c.dependence.length === 30)).toBe(true);
    const lstm = (await cells(page)).find((c) => c.cell === 'lstm')!;
    const early = lstm.dependence!.slice(0, 5);
    expect(early.every((m) => Number.isFinite(m) && m > 0), `LSTM dependence at steps 0-4: ${early}`).toBe(true);
    expect(Math.max(...lstm.dependence!)).toBeGreaterThan(1e-4);

    // Nothing lost on reload: the comparison is part of the setup, and the three models are kept.
    await expect.poll(() => keptCompared(page), { timeout: 30_000 }).toBe(3);
    await page.evaluate(() => (window as unknown as Win).nnplay.whenStored());
    const before = await cells(page);
    await page.reload();
    await expect.poll(() => page.locator('#compare').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('#compare-toggle').isChecked()).toBe(true);
    expect(await page.evaluate(() => location.hash)).toContain('compare=true');
    await expect.poll(async () => (await cells(page)).map((c) => c.restoredEpoch), { timeout: 90_000 }).toEqual([2, 2, 2]);
    const back = await cells(page);
    for (const c of back) {
      const was = before.find((b) => b.cell === c.cell)!;
      expect(c.epoch, c.cell).toBe(2);
      expect(c.evaluations.map((e) => e.testLoss), c.cell).toEqual(was.evaluations.map((e) => e.testLoss));
    }
    await expect.poll(() => page.locator('#compare-figures tbody tr[data-cell="gru"] td').nth(2).textContent()).toBe('2');
    for (const [cell, rgb] of Object.entries(COLORS)) expect(await pixels(page, 'compare-chart', rgb), cell).toBeGreaterThan(100);
    // Reset all forgets them: a reload then starts the three from epoch 0.
    await page.getByRole('button', { name: 'Reset all' }).click();
    await expect.poll(async () => (await cells(page)).map((c) => c.evaluations.length)).toEqual([0, 0, 0]);
    expect(await keptCompared(page)).toBe(0);
    await page.evaluate(() => (window as unknown as Win).nnplay.whenStored());
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Start all' }).isEnabled(), { timeout: 90_000 }).toBe(true);
    expect((await cells(page)).map((c) => [c.restoredEpoch, c.evaluations.length])).toEqual([[null, 0], [null, 0], [null, 0]]);
    // Unchecking returns to the single model, whose unrolled view has its own strip.
    await page.locator('#compare-toggle').uncheck();
    await expect.poll(() => page.locator('#hidden-state').isVisible()).toBe(true);
    expect(await page.evaluate(() => location.hash)).toContain('compare=false');
    await expect.poll(() => page.evaluate(() => (window as unknown as Win).nnplay.dependence?.length ?? 0), { timeout: 60_000 }).toBe(30);
    await expect.poll(() => pixels(page, 'dependence-plot', COLORS.lstm)).toBeGreaterThan(30);
  });
});

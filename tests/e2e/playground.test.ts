// The playground page in headless Chromium: training runs and shows progress, the page never
// blocks, the URL hash reproduces a setup, embedding options hide controls, and a diverging
// run is reported while the page stays usable.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { longTasksSince, recordLongTasks } from './browser';
import { repo, usePlayground } from './fixture';

const app = usePlayground();

interface Hooks {
  state: Record<string, unknown>;
  generation: number;
  framesDrawn: number;
  drawStats: { count: number; totalMs: number; maxMs: number };
}

/** Opens the page with a hash, records long tasks from the start, waits for the first snapshot. */
async function open(hash = ''): Promise<Page> {
  const page = await app.browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  await recordLongTasks(page);
  await page.goto(app.server.url + hash);
  await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, {
    timeout: 60_000,
  });
  return page;
}

const number = async (page: Page, id: string) => Number((await page.locator(`#${id}`).textContent())?.replace(/,/g, ''));
const heatmapPixels = (page: Page) =>
  page.evaluate(() => (document.getElementById('heatmap') as HTMLCanvasElement).toDataURL());
const hooks = (page: Page) => page.evaluate(() => {
  const n = (window as unknown as { nnplay: Hooks }).nnplay;
  return { state: n.state, generation: n.generation, framesDrawn: n.framesDrawn, drawStats: n.drawStats };
});

async function waitForEpoch(page: Page, atLeast: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => Number(document.getElementById('epoch')?.textContent) >= n, atLeast, { timeout });
}

describe('playground page', () => {
  it('trains: the epoch rises, the loss falls, the heatmap changes, nothing blocks', async () => {
    const page = await open('#dataset=circle&seed=3');
    expect(await number(page, 'epoch')).toBe(0);
    const loss0 = await number(page, 'train-loss');
    expect(Number.isFinite(loss0)).toBe(true);
    const before = await heatmapPixels(page);
    const framesBefore = (await hooks(page)).framesDrawn;
    // Long tasks are filtered by start time, not by count: the observer reports page-load
    // tasks late, and only tasks during training are the subject here.
    const playAt = await page.evaluate(() => performance.now());

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(1);
    const t0 = Date.now();
    await page.waitForTimeout(3000);
    const seconds = (Date.now() - t0) / 1000;
    const frames = (await hooks(page)).framesDrawn - framesBefore;
    await waitForEpoch(page, 40);
    const epoch = await number(page, 'epoch');
    const loss1 = await number(page, 'train-loss');
    const testLoss = await number(page, 'test-loss');
    const after = await heatmapPixels(page);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);
    const { drawStats } = await hooks(page);
    const longTasks = await longTasksSince(page, playAt);

    console.log(
      `[e2e] epoch ${epoch}, train loss ${loss0.toFixed(3)} -> ${loss1.toFixed(3)}, test ${testLoss.toFixed(3)}, ` +
        `${(frames / seconds).toFixed(1)} heatmap frames/s, draw ${(drawStats.totalMs / drawStats.count).toFixed(2)} ms mean ` +
        `${drawStats.maxMs.toFixed(1)} ms max, long tasks while training: ${JSON.stringify(longTasks)}`,
    );
    expect(epoch).toBeGreaterThanOrEqual(40);
    expect(loss1).toBeLessThan(loss0 * 0.8);
    expect(Number.isFinite(testLoss)).toBe(true);
    expect(after).not.toBe(before);
    // What this asserts is that training never freezes the page and the heatmap keeps moving, not
    // a speed (speed belongs to `npm run bench`): training on the main thread would block it for
    // seconds, so no task may reach a quarter second, and the view must redraw several times a
    // second, even on a loaded two-core machine. The figures above are logged for the record.
    // The 50 ms / 20 frames/s budget itself is measured by `npm run bench -- --only page`.
    expect(longTasks.filter((t) => t.duration > 250)).toEqual([]);
    expect(frames / seconds).toBeGreaterThan(5);

    // Step trains exactly one more epoch while paused. A snapshot the worker posted before it
    // saw Pause may still land: read the epoch once it has settled.
    let e0 = await number(page, 'epoch');
    for (;;) {
      await page.waitForTimeout(300);
      const settled = await number(page, 'epoch');
      if (settled === e0) break;
      e0 = settled;
    }
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await waitForEpoch(page, e0 + 1);
    expect(await number(page, 'epoch')).toBe(e0 + 1);

    if (process.env.NNPLAY_SCREENSHOT) {
      mkdirSync(`${repo}docs`, { recursive: true });
      await page.locator('.node.neuron').first().hover();
      await page.mouse.move(5, 5);
      await page.screenshot({ path: `${repo}docs/screenshot.png`, fullPage: true });
    }

    // Reset: back to epoch 0 with a fresh model.
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.waitForFunction(() => document.getElementById('epoch')?.textContent === '0');
    expect((page as unknown as { nnErrors: string[] }).nnErrors).toEqual([]);
    await page.close();
  });

  it('restores the whole setup from the URL hash, and edits round-trip through it', async () => {
    const hash =
      '#dataset=xor&problem=classification&noise=20&ratio=70&batchSize=5&features=x1,x2,x1x2' +
      '&networkShape=6,3,2&activation=relu&learningRate=0.01&regularization=L2&regularizationRate=0.003' +
      '&seed=1234&showTestData=true&discretize=true';
    const page = await open(hash);
    expect(await page.locator('#learning-rate').inputValue()).toBe('0.01');
    expect(await page.locator('#activation').inputValue()).toBe('relu');
    expect(await page.locator('#regularization').inputValue()).toBe('L2');
    expect(await page.locator('#regularization-rate').inputValue()).toBe('0.003');
    expect(await page.locator('#noise').inputValue()).toBe('20');
    expect(await page.locator('#ratio').inputValue()).toBe('70');
    expect(await page.locator('#batch-size').inputValue()).toBe('5');
    expect(await page.locator('#show-test').isChecked()).toBe(true);
    expect(await page.locator('#discretize').isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Dataset xor' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Feature x1 times x2' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Feature sine of x1' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('.node.neuron').count()).toBe(6 + 3 + 2 + 1);

    // Edit through the UI, then open the resulting link in a fresh page.
    await page.getByRole('button', { name: 'Add hidden layer' }).click();
    await page.getByRole('button', { name: 'Remove neuron from layer 1' }).click();
    await page.getByRole('button', { name: 'Feature sine of x1' }).click();
    await page.getByRole('button', { name: 'Dataset spiral' }).click();
    await page.locator('#activation').selectOption('tanh');
    await page.locator('#learning-rate').selectOption('0.3');
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''));
    const edited = (await hooks(page)).state;
    expect(edited).toMatchObject({
      dataset: 'spiral',
      networkShape: [5, 3, 2, 2],
      features: ['x1', 'x2', 'x1x2', 'sinX1'],
      activation: 'tanh',
      learningRate: 0.3,
      seed: 1234,
    });
    const link = await page.evaluate(() => location.hash);
    const copy = await open(link);
    expect((await hooks(copy)).state).toEqual(edited);
    expect(await copy.evaluate(() => location.hash)).toBe(link);
    expect(await copy.locator('.node.neuron').count()).toBe(5 + 3 + 2 + 2 + 1);
    // Same seed, same data and same initial weights: identical first snapshot.
    expect(await number(copy, 'train-loss')).toBe(await number(page, 'train-loss'));
    await page.close();
    await copy.close();
  });

  it('shows a hovered neuron large, link weights on hover, and a discretized output', async () => {
    const page = await open('#dataset=xor&seed=11');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await waitForEpoch(page, 1);
    const output = await heatmapPixels(page);

    await page.getByRole('button', { name: 'Neuron 1 of layer 1' }).hover();
    await expect.poll(() => page.locator('#inspect-label').textContent()).toBe('Showing neuron 1 of layer 1');
    expect(await heatmapPixels(page)).not.toBe(output);
    expect(await page.locator('.network .tooltip').textContent()).toMatch(/^Bias -?\d/);

    // The link from x1 to that neuron: a cubic from the feature's right edge to the neuron's
    // left edge with horizontal tangents passes through the midpoint of those two points.
    const a = await page.getByRole('button', { name: 'Feature x1', exact: true }).boundingBox();
    const b = await page.getByRole('button', { name: 'Neuron 1 of layer 1' }).boundingBox();
    if (!a || !b) throw new Error('network nodes are not laid out');
    await page.mouse.move((a.x + a.width + b.x) / 2, (a.y + a.height / 2 + b.y + b.height / 2) / 2);
    await expect.poll(() => page.locator('.network .tooltip').textContent()).toMatch(/^Weight -?\d+\.\d{3}$/);
    await page.mouse.move(5, 5);
    await expect.poll(() => page.locator('#inspect-label').textContent()).toBe('');

    // Discretize: the heatmap shows two classes only (plus blending at the upscaled edges,
    // which the canvas itself does not hold: it is read at its own 100x100 resolution).
    const colours = () =>
      page.evaluate(() => {
        const c = document.getElementById('heatmap') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const set = new Set<number>();
        for (let i = 0; i < d.length; i += 4) set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return set.size;
      });
    expect(await colours()).toBeGreaterThan(3);
    await page.locator('#discretize').check();
    await expect.poll(colours).toBeLessThanOrEqual(3);
    expect(await page.evaluate(() => location.hash)).toContain('discretize=true');
    await page.close();
  });

  it('hides controls named by <control>_hide options', async () => {
    const page = await open('#dataset_hide=true&noise_hide=true&networkShape_hide=true');
    expect(await page.locator('#datasets').isVisible()).toBe(false);
    expect(await page.locator('#noise').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Add hidden layer' }).isVisible()).toBe(false);
    expect(await page.locator('#ratio').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => location.hash)).toContain('noise_hide=true');
    await page.close();
  });

  it('reports a diverging run in the page, which stays usable', async () => {
    const page = await open(
      '#problem=regression&dataset=reg-plane&learningRate=10&activation=linear&networkShape=8,8&seed=5&speed=0',
    );
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const message = page.locator('#message');
    await message.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await message.textContent()).toMatch(/smaller learning rate/i);
    await expect.poll(() => page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);

    // Lower the learning rate and play again: it trains, from fresh weights, with finite losses.
    await page.locator('#learning-rate').selectOption('0.01');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.waitForFunction(() => document.getElementById('epoch')?.textContent === '0');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await waitForEpoch(page, 20);
    expect(await message.isVisible()).toBe(false);
    expect(Number.isFinite(await number(page, 'train-loss'))).toBe(true);
    expect(Number.isFinite(await number(page, 'test-loss'))).toBe(true);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.close();
  });
});

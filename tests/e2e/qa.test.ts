// Bugs found in an exploratory pass over the playground (keyboard, touch, embedding, a diverging
// run), each pinned by an assertion that does not depend on timing.
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

async function open(hash: string): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  // A fresh page: forget any model an earlier test kept.
  await page.goto(app.server.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.server.url}${hash}`);
  await page.reload();
  await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
  return page;
}

const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);

describe('playground QA', () => {
  it('keeps keyboard focus on a network control that rebuilt the network', async () => {
    const page = await open('#seed=5&dataset=circle');
    await page.focus('[aria-label="Feature x1 squared"]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window as unknown as { nnplay: { state: { features: string[] } } }).nnplay.state.features.includes('x1Squared'));
    expect(await focusedName(page)).toBe('Feature x1 squared');

    await page.focus('[aria-label="Add neuron to layer 1"]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const shape = await page.evaluate(() => (window as unknown as { nnplay: { state: { networkShape: number[] } } }).nnplay.state.networkShape);
    expect(shape).toEqual([6, 2]);
    expect(await focusedName(page)).toBe('Add neuron to layer 1');

    // At the limit the + button is disabled: focus moves to its − twin, not to the page.
    await page.focus('[aria-label="Add hidden layer"]');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { nnplay: { state: { networkShape: number[] } } }).nnplay.state.networkShape.length)).toBe(8);
    expect(await focusedName(page)).toBe('Remove hidden layer');
    expect(errorsOf(page)).toEqual([]);
  });

  it('shows a link weight on a touch tap and keeps it after the finger lifts', async () => {
    const page = await open('#seed=5&dataset=circle');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    const a = (await page.locator('[aria-label="Feature x1"]').boundingBox())!;
    const b = (await page.locator('[aria-label="Neuron 1 of layer 1"]').boundingBox())!;
    // The middle of the link from x1 to the first neuron of layer 1.
    const x = Math.round((a.x + a.width + b.x) / 2);
    const y = Math.round(a.y + a.height / 2 + (b.y - a.y) / 2);
    const tap = async (tx: number, ty: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: tx, y: ty }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await tap(x, y);
    const tooltip = page.locator('.network .tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await tooltip.textContent()).toMatch(/^Weight -?\d+\.\d{3}$/);
    // A tap elsewhere on the page puts it away.
    await tap(700, 900);
    await tooltip.waitFor({ state: 'hidden', timeout: 10_000 });
    await cdp.detach();
  });

  it('puts the latest losses back in the chart legend when the cursor leaves a paused chart', async () => {
    const page = await open('#seed=5&dataset=circle');
    for (let i = 0; i < 3; i++) {
      const e = Number(await page.locator('#epoch').textContent());
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction((want) => Number(document.getElementById('epoch')?.textContent) >= want, e + 1);
    }
    const values = () => page.locator('#chart .u-legend .u-value').allTextContents();
    await page.waitForFunction(() => [...document.querySelectorAll('#chart .u-legend .u-value')].every((v) => v.textContent !== '–'));
    const over = (await page.locator('#chart .u-over').boundingBox())!;
    await page.mouse.move(over.x + 2, over.y + over.height / 2);
    await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
    await page.mouse.move(over.x + over.width / 2, over.y + over.height + 200);
    expect(await values()).not.toContain('–');
    const shown = (await values()).map(Number);
    const history = await page.evaluate(() => (window as unknown as { nnplay: { lossHistory: { epoch: number[]; train: number[] } } }).nnplay.lossHistory);
    expect(shown[0]).toBeCloseTo(history.epoch[history.epoch.length - 1], 0);
    expect(shown[1]).toBeCloseTo(history.train[history.train.length - 1], 2);
  });

  it('reports a diverging run in a sentence, with compact loss figures, and stays usable', async () => {
    const page = await open('#seed=5&dataset=reg-plane&problem=regression&learningRate=10&activation=relu');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const message = page.locator('#message-text');
    await message.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await message.textContent())!;
    expect(text).toMatch(/^[A-Z]/);
    expect(text).toMatch(/smaller learning rate/i);
    expect(text).not.toMatch(/[^.!?] Press Play/); // every sentence ends before the next starts
    for (const id of ['#train-loss', '#test-loss']) {
      const shown = (await page.locator(id).textContent())!;
      expect(shown.length, `${id} shows ${shown}`).toBeLessThanOrEqual(9);
    }
    // Usable: a smaller rate trains again.
    await page.selectOption('#learning-rate', '0.01');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 3, null, { timeout: 60_000 });
    expect(await page.locator('#message').isHidden()).toBe(true);
    expect(errorsOf(page)).toEqual([]);
  });

  it('features_hide hides the feature toggles but keeps the feature labels', async () => {
    const page = await open('#seed=5&features_hide=true');
    expect(await page.locator('[aria-label="Feature x1"]').isHidden()).toBe(true);
    const labels = await page.locator('.feature-label').evaluateAll((els) => els.filter((e) => (e as HTMLElement).checkVisibility()).map((e) => e.textContent));
    expect(labels).toEqual(['X₁', 'X₂', 'X₁²', 'X₂²', 'X₁X₂', 'sin(X₁)', 'sin(X₂)']);
  });

  it('applies learning-rate and regularization changes live, without resetting training', async () => {
    const page = await open('#seed=6&dataset=xor');
    const epoch = async () => Number(await page.locator('#epoch').textContent());
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 5, null, { timeout: 60_000 });
    const before = await epoch();
    await page.locator('#learning-rate').selectOption('0.1');
    await page.locator('#regularization').selectOption('L2');
    await page.locator('#regularization-rate').selectOption('0.001');
    // Training goes on from where it was: the epoch counter never drops back (a reset would
    // show 0), and keeps rising past its old value.
    const seen: number[] = [];
    for (let i = 0; i < 15; i++) {
      seen.push(await epoch());
      await page.waitForTimeout(100);
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(before);
    await page.waitForFunction((e) => Number(document.getElementById('epoch')?.textContent) >= e + 5, before, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    expect(page.url()).toContain('learningRate=0.1');
    expect(page.url()).toContain('regularization=L2');
    expect(errorsOf(page)).toEqual([]);
  });

  it('hides the whole Data column when an embed hides every data control, and only then', async () => {
    const all = await open('#seed=5&dataset_hide=true&ratio_hide=true&noise_hide=true&batchSize_hide=true&regenerate_hide=true');
    expect(await all.locator('.data-column').isHidden()).toBe(true);
    const some = await open('#seed=5&dataset_hide=true&noise_hide=true');
    expect(await some.locator('.data-column').isVisible()).toBe(true);
    expect(await some.getByText('Ratio of training to test data').isVisible()).toBe(true);
  });
});

// The Sequences mode in headless Chromium: `#mode=sequences&task=sine&cell=lstm` trains an
// LSTM forecaster in the worker and its test loss falls; the network unrolled over a test
// sample is drawn (the hidden-state canvas has coloured pixels: h, c and the four gates) and
// hovering a cell, or moving to it with the keyboard, shows its step, unit and value; the
// setup survives a reload and round-trips through the hash, bad values are named; the text
// task generates characters coloured by a hidden unit.
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

interface Hooks {
  state: Record<string, unknown>;
  stateText: string;
  evaluations: { epoch: number; testLoss: number; trainLoss: number }[];
  unrollUpdates: number;
  strips: { label: string; steps: number; units: number }[];
  generatedText: string;
  task: { task: string; numTest: number } | null;
  training: boolean;
}
type Win = { nnplay: Hooks };
const hooks = (page: Page) =>
  page.evaluate(() => {
    const n = (window as unknown as Win).nnplay;
    return { state: n.state, stateText: n.stateText, evaluations: n.evaluations, unrollUpdates: n.unrollUpdates, strips: n.strips, generatedText: n.generatedText, task: n.task, training: n.training };
  });

async function open(hash: string, clear = true): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  if (clear) {
    await page.goto(app.server.url);
    await page.evaluate(() => localStorage.clear());
  }
  await page.goto(`${app.server.url}${hash}`);
  return page;
}
const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;

/** Pixels of the canvas that are not blank (transparent or white). */
const inkedPixels = (page: Page, id: string) =>
  page.evaluate((id) => {
    const c = document.getElementById(id) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250)) n++;
    return { n, width: c.width, height: c.height };
  }, id);

describe('Sequences mode', () => {
  it('trains an LSTM on the sine task: test loss falls, the hidden state is drawn and hover shows a value', async () => {
    const page = await open('#mode=sequences&task=sine&cell=lstm&epochs=6');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true);
    // The unrolled view of the untrained model: h and c and the four gates of lstm_1.
    await expect.poll(async () => (await hooks(page)).strips.length, { timeout: 30_000 }).toBe(6);
    const { strips } = await hooks(page);
    expect(strips.map((s) => s.label)).toEqual([
      'lstm_1 · h', 'lstm_1 · c (cell state)', 'lstm_1 · i (input gate)', 'lstm_1 · f (forget gate)', 'lstm_1 · c̃ (candidate)', 'lstm_1 · o (output gate)',
    ]);
    expect(strips.every((s) => s.steps === 40 && s.units === 16)).toBe(true);

    await train.click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 6, null, { timeout: 90_000 });
    await expect.poll(async () => (await hooks(page)).evaluations.length, { timeout: 30_000 }).toBe(6);
    const { evaluations } = await hooks(page);
    const first = evaluations[0].testLoss;
    const last = evaluations[evaluations.length - 1].testLoss;
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first * 0.7);
    expect(last).toBeLessThan(0.05); // the next value of a sine of amplitude up to 1
    expect(Number(await page.locator('#test-loss').textContent())).toBeCloseTo(last, 3);
    expect(await page.locator('#train-loss').textContent()).not.toBe('–');

    // The hidden-state canvas: drawn, most cells coloured.
    await expect.poll(async () => (await hooks(page)).unrollUpdates, { timeout: 30_000 }).toBeGreaterThan(1);
    const ink = await inkedPixels(page, 'hidden-state');
    expect(ink.width).toBeGreaterThan(100);
    expect(ink.n).toBeGreaterThan(ink.width * ink.height * 0.3);
    // The forecast: a line plot drawn over the true curve.
    expect((await inkedPixels(page, 'prediction-plot')).n).toBeGreaterThan(100);

    // Hover the first strip (h) at step 3, unit 2.
    const canvas = page.locator('#hidden-state');
    const box = (await canvas.boundingBox())!;
    const cell = await page.evaluate(() => {
      const c = document.getElementById('hidden-state') as HTMLCanvasElement;
      return { w: c.width, h: c.height };
    });
    const sx = box.width / cell.w;
    const sy = box.height / cell.h;
    const stepW = Math.floor(640 / 40);
    const rowH = 10; // 16 units: rows of 10 px
    await page.mouse.move(box.x + (3 * stepW + stepW / 2) * sx, box.y + (16 + 2 * rowH + rowH / 2) * sy);
    const tooltip = page.locator('#hidden-tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toMatch(/^lstm_1 · h: step 3, unit 2, value -?\d+\.\d{3}$/);

    // The keyboard reaches every cell: focus, then right and down.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#hidden-readout').textContent()).toMatch(/^lstm_1 · h: step 1, unit 1, value -?\d+\.\d{3}$/);
    for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowDown');
    expect(await page.locator('#hidden-readout').textContent()).toMatch(/^lstm_1 · c \(cell state\): step 1, unit 1, value/);
    expect(errorsOf(page)).toEqual([]);
  });

  it('keeps its setup in the hash and across a reload; bad values are named and fall back', async () => {
    const page = await open('#mode=sequences&task=parity&cell=gru&units=12&layers=2&bidirectional=true&learningRate=0.02&batchSize=16&epochs=4&seed=3&generate_hide=true');
    await expect.poll(async () => (await hooks(page)).task?.task, { timeout: 60_000 }).toBe('parity');
    const { state, stateText } = await hooks(page);
    expect(state).toEqual({ task: 'parity', cell: 'gru', units: 12, layers: 2, bidirectional: true, optimizer: 'adam', learningRate: 0.02, batchSize: 16, epochs: 4, seed: 3, compare: false });
    expect(stateText).toBe('mode=sequences&task=parity&cell=gru&units=12&layers=2&bidirectional=true&optimizer=adam&learningRate=0.02&batchSize=16&epochs=4&seed=3&compare=false&generate_hide=true');
    expect(await page.locator('#cell').inputValue()).toBe('gru');
    expect(await page.locator('#bidirectional').isChecked()).toBe(true);
    // Two bidirectional GRU layers: forward and backward h, z, r, h̃ each.
    await expect.poll(async () => (await hooks(page)).strips.length, { timeout: 30_000 }).toBe(16);

    // Edited in the page: the hash follows, and a reload without a hash restores it.
    await page.locator('#units').fill('20');
    await page.locator('#units').dispatchEvent('change');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('units=20');
    await page.evaluate(() => history.replaceState(null, '', '#mode=sequences'));
    await page.reload();
    await expect.poll(async () => (await hooks(page)).state.units, { timeout: 30_000 }).toBe(20);
    expect((await hooks(page)).state.task).toBe('parity');

    // Bad values: named in the message, defaults kept.
    await page.goto(`${app.server.url}#mode=sequences&task=sine&cell=transformer&units=0&layers=7&bogus=1`);
    await expect.poll(() => page.locator('#message-text').textContent(), { timeout: 30_000 }).toContain('Ignored cell=transformer: expected one of simpleRNN, lstm, gru.');
    const message = await page.locator('#message-text').textContent();
    expect(message).toContain('Ignored units=0: expected a whole number from 1 to 256.');
    expect(message).toContain('Ignored layers=7: expected a whole number from 1 to 3.');
    expect(message).toContain('Ignored bogus=1: unknown option');
    expect((await hooks(page)).state).toMatchObject({ task: 'sine', cell: 'lstm', units: 16, layers: 1 });
    expect(errorsOf(page)).toEqual([]);
  });

  it('the text task trains, generates text and colours each character by a hidden unit', async () => {
    const page = await open('#mode=sequences&task=text&cell=gru&units=32&epochs=1');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('#generate').isVisible()).toBe(true);
    await train.click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 1, null, { timeout: 120_000 });
    await expect.poll(async () => (await hooks(page)).evaluations.length, { timeout: 30_000 }).toBe(1);
    await page.locator('#temperature').fill('0.5');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(async () => (await hooks(page)).generatedText.length, { timeout: 30_000 }).toBe(200);
    const spans = page.locator('#generated-text span');
    expect(await spans.count()).toBe(200);
    const colours = new Set(await spans.evaluateAll((s) => s.map((e) => (e as HTMLElement).style.background)));
    expect(colours.size).toBeGreaterThan(5); // the unit's value changes along the text
    // Another unit recolours the same text.
    const before = await spans.first().getAttribute('title');
    await page.locator('#text-unit').fill('5');
    await page.locator('#text-unit').dispatchEvent('change');
    expect(await spans.first().getAttribute('title')).toMatch(/unit 5: -?\d/);
    expect(await spans.first().getAttribute('title')).not.toBe(before);
    // The input window is shown as characters.
    expect((await page.locator('#input-text').textContent())?.length).toBe(40);
    // A prediction per step (sparseCategoricalCrossentropy over [steps, classes]): the next
    // character after each of the 40, under the true next ones.
    expect(await page.locator('#sample-note').textContent()).toBe('The model predicts after every step.');
    const [predicted, truth] = ((await page.locator('#prediction-text').textContent()) ?? '').split('\n');
    expect(predicted).toMatch(/^predicted next: /);
    expect(truth).toMatch(/^true next: /);
    expect([...predicted.replace(/^predicted next: /, '')].length).toBe(40);
    expect(errorsOf(page)).toEqual([]);
  });

  it('counting predicts the count so far at every step', async () => {
    const page = await open('#mode=sequences&task=counting&cell=gru&units=16&epochs=1');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true);
    await train.click();
    await expect.poll(async () => (await hooks(page)).evaluations.length, { timeout: 120_000 }).toBe(1);
    expect(await page.locator('#sample-note').textContent()).toBe('The model predicts after every step.');
    await expect.poll(() => page.locator('#prediction-text').textContent(), { timeout: 30_000 }).toMatch(/^predicted so far: (\d+ ){11}\d+\ntrue so far: +(\d+ ){11}\d+$/);
    // The true counts never fall: the targets are the count of ones so far.
    const truth = ((await page.locator('#prediction-text').textContent()) ?? '').split('\n')[1].replace(/^true so far: +/, '').split(' ').map(Number);
    for (let t = 1; t < truth.length; t++) expect(truth[t] - truth[t - 1]).toBeGreaterThanOrEqual(0);
    expect(errorsOf(page)).toEqual([]);
  });
});

// Accessibility of the page in headless Chromium: axe-core (the npm devDependency, injected into
// the page) finds no serious or critical violation in the 2-D playground, the Images mode (after
// an epoch, with its evaluation shown), the Sequences mode (after an epoch) and the dark theme
// of each; and what axe cannot judge:
// one h1, the sliders and feature buttons named for people, the heatmap and views with text
// alternatives, live regions that stay quiet while training, link weights edited by keyboard.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { usePlayground } from './fixture';

const app = usePlayground();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

async function open(hash: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  await page.emulateMedia({ colorScheme });
  await page.goto(app.server.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

const firstSnapshot = (page: Page) =>
  page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join(' | ')}`);
}

async function trainImagesEpoch(page: Page): Promise<void> {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
  await train.click();
  await page.waitForFunction(() => document.querySelectorAll('#confusion-matrix tbody tr').length === 10, null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
}

describe('accessibility (axe-core, no serious or critical violation)', () => {
  it('2-D playground, light theme, with the weight editor open', async () => {
    const page = await open('#dataset=circle&seed=4');
    await firstSnapshot(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Neuron 1 of layer 1' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('2-D playground, dark theme (system setting, and the theme attribute)', async () => {
    const page = await open('#dataset=xor&seed=4', 'dark');
    await firstSnapshot(page);
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('app')!).colorScheme)).toContain('dark');
    expect(await seriousViolations(page)).toEqual([]);
    // theme="dark" on the root wins over a light system setting.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => document.getElementById('app')!.setAttribute('data-theme', 'dark'));
    const background = await page.evaluate(() => getComputedStyle(document.getElementById('app')!).backgroundColor);
    expect(background).toBe('rgb(22, 26, 29)');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Images mode after an epoch, light and dark', async () => {
    const page = await open('#mode=images&dataset=mnist&preset=mlp');
    await trainImagesEpoch(page);
    await page.locator('#test-grid .thumb').first().click();
    await expect.poll(() => page.locator('#inside-view .nn-inside canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    // The views' text alternatives carry the figures. (Of epoch 1 or 2: an MLP epoch on MNIST can
    // end between the first confusion matrix and the Pause click taking effect.)
    expect(await page.locator('#evaluation-summary').textContent()).toMatch(/^After epoch [12]: test accuracy \d+\.\d\d%/);
    expect(await page.locator('#charts-summary').textContent()).toMatch(/test accuracy \d+\.\d\d%/);
  });

  it('Sequences mode after an epoch, light and dark (the unrolled view drawn, the text task generating)', async () => {
    const page = await open('#mode=sequences&task=sine&cell=lstm&units=8&epochs=1');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    await train.click();
    await page.waitForFunction(() => document.getElementById('epoch')?.textContent === '1' && /^\d/.test(document.getElementById('test-loss')?.textContent ?? ''), null, { timeout: 120_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    // The text task: its generated characters are coloured; still no serious violation.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('#task').selectOption('text');
    const generate = page.locator('#generate-button');
    await expect.poll(() => generate.isVisible(), { timeout: 90_000 }).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
    // Generate needs the model built (Train is enabled once the data is there): wait for its unrolled view.
    // (The count restarts when the text task's model is built.)
    type Seq = { nnplay: { unrollUpdates: number; task: { task: string } | null } };
    await expect.poll(() => page.evaluate(() => ((w) => w.task?.task === 'text' && w.unrollUpdates > 0)((window as unknown as Seq).nnplay)), { timeout: 60_000 }).toBe(true);
    await generate.click();
    await expect.poll(() => page.locator('#generated-text span').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('accessibility of the lessons (axe-core, no serious or critical violation)', () => {
  for (const lesson of ['linear-regression', 'neurons', 'mlp-regression', 'softmax', 'vae', 'overfitting&earlyStopping=true&l2=0.01', 'evaluation']) {
    it(`lesson ${lesson} after a little training, light and dark`, async () => {
      const page = await open(`#lesson=${lesson}`);
      const train = page.getByRole('button', { name: 'Train', exact: true });
      await train.waitFor({ timeout: 60_000 });
      await train.click();
      await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 2, null, { timeout: 120_000 });
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      // Lesson 10 with its test figures shown too.
      if (lesson === 'evaluation') {
        await page.locator('#test-evaluate').click();
        await page.waitForFunction(() => document.getElementById('test-looks')?.textContent === '1', null, { timeout: 10_000 });
      }
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.locator('h1').count()).toBe(1);
    });
  }

  it('lessons 5-7: the lesson note above the Images mode, light and dark', async () => {
    const page = await open('#lesson=mnist-mlp');
    await page.locator('#lesson-note').waitFor({ timeout: 30_000 });
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    await page.locator('#lesson-note .lesson-code summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.locator('h1').count()).toBe(1);
  });
});

describe('accessibility beyond axe', () => {
  it('Sequences mode: one h1, a quiet status line while training (epochs come many a second)', async () => {
    const page = await open('#mode=sequences&task=parity&cell=gru&units=8&epochs=200');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    expect(await page.locator('h1').count()).toBe(1);
    await page.evaluate(() => {
      const w = window as unknown as { __said: string[] };
      w.__said = [];
      new MutationObserver(() => w.__said.push(document.getElementById('announcer')!.textContent ?? '')).observe(document.getElementById('announcer')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await train.click();
    await page.waitForTimeout(4000);
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    if (await pause.isVisible()) await pause.click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __said: string[] }).__said.at(-1) ?? '')).toMatch(/^(Paused|Trained): epoch \d+ done, test loss \S+, test accuracy \d+\.\d%\.$/);
    const said = await page.evaluate(() => (window as unknown as { __said: string[] }).__said);
    const epochs = await page.evaluate(() => (window as unknown as { nnplay: { evaluations: unknown[] } }).nnplay.evaluations.length);
    // Several epochs trained, yet at most one timed announcement plus the one on pause.
    expect(epochs).toBeGreaterThan(3);
    expect(said.length).toBeGreaterThanOrEqual(1);
    expect(said.length).toBeLessThanOrEqual(2);
  });

  it('one h1, named sliders and features, a described heatmap, quiet live regions', async () => {
    const page = await open('#dataset=circle&seed=4');
    await firstSnapshot(page);
    expect(await page.locator('h1').count()).toBe(1);
    for (const name of ['Ratio of training to test data', 'Noise', 'Batch size']) {
      expect(await page.getByRole('slider', { name, exact: true }).count()).toBe(1);
    }
    expect(await page.getByRole('slider', { name: 'Ratio of training to test data' }).getAttribute('aria-valuetext')).toBe('50% training data');
    for (const name of ['x1', 'x1 squared', 'x1 times x2', 'sine of x2']) {
      expect(await page.getByRole('button', { name: `Feature ${name}`, exact: true }).count()).toBe(1);
    }
    // The heatmap is in the accessibility tree with a summary of what it shows.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => page.getByRole('img', { name: /^Heatmap of the predicted class/ }).getAttribute('aria-label')).toMatch(/after epoch 1: test loss \d\.\d{3}, training loss \d\.\d{3}/);

    // Live regions: only the one status line, and it changes on pause and at most every few
    // seconds while training (the figures change ~40 times a second).
    const live = await page.evaluate(() =>
      [...document.querySelectorAll('#app [aria-live], #app [role=status], #app output')]
        .filter((e) => e.getAttribute('aria-live') !== 'off' && !e.closest('[hidden]'))
        .map((e) => e.id),
    );
    expect(live).toEqual(['announcer']);
    await page.evaluate(() => {
      const w = window as unknown as { __said: string[] };
      w.__said = [];
      new MutationObserver(() => w.__said.push(document.getElementById('announcer')!.textContent ?? '')).observe(document.getElementById('announcer')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(6000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __said: string[] }).__said.at(-1) ?? '')).toMatch(/^Paused: epoch \d+, test loss/);
    const said = await page.evaluate(() => (window as unknown as { __said: string[] }).__said);
    // 6 s of training: at most two timed announcements, plus the one on pause.
    expect(said.length).toBeGreaterThanOrEqual(1);
    expect(said.length).toBeLessThanOrEqual(3);
  });

  it('link weights: reachable from the keyboard and editable, the worker trains on from the new value', async () => {
    const page = await open('#dataset=circle&seed=4');
    await firstSnapshot(page);
    const neuron = page.getByRole('button', { name: 'Neuron 1 of layer 1' });
    await neuron.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Weights into neuron 1 of layer 1' });
    await dialog.waitFor();
    const fromX1 = dialog.getByLabel('Weight from x1');
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent)).toMatch(/^Weight from x1/);
    await fromX1.fill('2.5');
    await page.keyboard.press('Tab'); // change fires, focus moves to the next weight
    // The editor shows what the worker holds after the edit (its snapshot, 3 decimals).
    await expect.poll(() => fromX1.inputValue(), { timeout: 10_000 }).toBe('2.500');
    await dialog.getByLabel('Bias').fill('-0.75');
    await page.keyboard.press('Enter');
    // Committed with Enter, the focused field shows the worker's value too (paused: one snapshot).
    await expect.poll(() => dialog.getByLabel('Bias').inputValue(), { timeout: 10_000 }).toBe('-0.750');
    await page.keyboard.press('Tab');
    // Escape closes the editor and gives focus back to the neuron.
    await dialog.getByLabel('Bias').focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Neuron 1 of layer 1');
    // The hovered link shows the edited weight too.
    const a = (await page.getByRole('button', { name: 'Feature x1', exact: true }).boundingBox())!;
    const b = (await neuron.boundingBox())!;
    await page.mouse.move(Math.round((a.x + a.width + b.x) / 2), Math.round(a.y + a.height / 2 + (b.y - a.y) / 2));
    await expect.poll(() => page.locator('.network .tooltip').textContent()).toBe('Weight 2.500');
  });

  it('link weights: text being typed is kept while training snapshots arrive', async () => {
    const page = await open('#dataset=circle&seed=4');
    await firstSnapshot(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click(); // a click outside would close the editor
    await page.getByRole('button', { name: 'Neuron 1 of layer 1' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Weights into neuron 1 of layer 1' });
    await dialog.waitFor();
    const bias = dialog.getByLabel('Bias');
    // The focused field holds still while snapshots arrive, so a selection made to type over it
    // survives them (a snapshot between fill's select-all and its Delete once lost the select).
    await bias.focus();
    const held = await bias.inputValue();
    const focusedAt = Number(await page.locator('#epoch').textContent());
    await page.waitForFunction((n) => Number(document.getElementById('epoch')?.textContent) >= n + 2, focusedAt, { timeout: 30_000 });
    expect(await bias.inputValue()).toBe(held);
    await bias.fill(''); // cleared by typing: an input event, no change
    await bias.pressSequentially('1.2'); // typed, not committed: no Enter, no Tab
    const epoch = Number(await page.locator('#epoch').textContent());
    await page.waitForFunction((n) => Number(document.getElementById('epoch')?.textContent) >= n + 3, epoch, { timeout: 30_000 });
    expect(await bias.inputValue()).toBe('1.2');
    // The other inputs follow the training while the bias is being typed.
    const fromX1 = await dialog.getByLabel('Weight from x1').inputValue();
    await page.waitForFunction((n) => Number(document.getElementById('epoch')?.textContent) >= n + 6, epoch, { timeout: 30_000 });
    await expect.poll(() => dialog.getByLabel('Weight from x1').inputValue(), { timeout: 10_000 }).not.toBe(fromX1);
  });
});

// Layout in headless Chromium: at 1024×768, 1280×720 and on a 390×844 phone the main view (the
// heatmap in 2-D, the training view in Images and Sequences) and Play/Train are both within the viewport in
// each mode; at 1024×768 and in an 800 px iframe, with every control hidden, the output stays
// beside the network (it does not wrap under it); at 320 px nothing is wider than the screen; on
// a touch screen every control is at least 44 px and hints say "tap".
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import type { Frame, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { repo, usePlayground } from './fixture';

const app = usePlayground();
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
];
// Every control the 2-D playground can hide.
const HIDE_ALL = ['dataset', 'ratio', 'noise', 'batchSize', 'regenerate', 'features', 'networkShape', 'learningRate', 'activation',
  'regularization', 'regularizationRate', 'problem', 'speed', 'exportButton', 'importButton', 'showTestData', 'discretize', 'chart']
  .map((c) => `${c}_hide=true`)
  .join('&');

async function open(hash: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  await page.setViewportSize(viewport);
  await page.goto(app.server.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(scope: Page | Frame, selector: string): Promise<Box> {
  const b = await scope.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not displayed`);
  return b;
}

function within(b: Box, viewport: { width: number; height: number }): boolean {
  return b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y + b.height <= viewport.height + 0.5;
}

describe('layout', () => {
  for (const size of SIZES) {
    it(`2-D at ${size.width}×${size.height}: the heatmap and Play on screen together`, async () => {
      const page = await open('#dataset=circle&seed=2', size);
      await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
      const plot = await box(page, '.plot');
      const play = await box(page, '#play-button');
      expect(within(plot, size), `heatmap ${JSON.stringify(plot)}`).toBe(true);
      expect(within(play, size), `Play ${JSON.stringify(play)}`).toBe(true);
      // Nothing makes the page scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      if (size.width >= 1024) {
        // The output column sits beside the network, not under it.
        const network = await box(page, '.network-column');
        const output = await box(page, '.output-column');
        expect(output.x).toBeGreaterThanOrEqual(network.x + network.width - 1);
      }
    });

    it(`Images at ${size.width}×${size.height}: the training view and Train on screen together`, async () => {
      const page = await open('#mode=images&dataset=mnist&preset=mlp', size);
      await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
      const training = await box(page, '.training-panel');
      const train = await box(page, '#train-button');
      expect(within(training, size), `training view ${JSON.stringify(training)}`).toBe(true);
      expect(within(train, size), `Train ${JSON.stringify(train)}`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });

    it(`Lesson 1 at ${size.width}×${size.height}: its view and Train on screen together`, async () => {
      const page = await open('#lesson=linear-regression', size);
      const train = page.getByRole('button', { name: 'Train', exact: true });
      await train.waitFor({ timeout: 60_000 });
      const view = await box(page, '#lesson-view');
      const button = await train.boundingBox();
      if (!button) throw new Error('Train is not displayed');
      expect(within(view, size), `lesson view ${JSON.stringify(view)}`).toBe(true);
      expect(within(button, size), `Train ${JSON.stringify(button)}`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });

    it(`Sequences at ${size.width}×${size.height}: the training view and Train on screen together`, async () => {
      const page = await open('#mode=sequences&task=sine&cell=lstm', size);
      await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
      const training = await box(page, '.training-panel');
      const train = await box(page, '#train-button');
      expect(within(training, size), `training view ${JSON.stringify(training)}`).toBe(true);
      expect(within(train, size), `Train ${JSON.stringify(train)}`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });
  }

  it('keeps the output beside the network at 1024×768 with every control hidden, and in an 800 px iframe', async () => {
    const page = await open(`#dataset=circle&seed=2&${HIDE_ALL}`, { width: 1024, height: 768 });
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    const network = await box(page, '.network-column');
    const output = await box(page, '.output-column');
    expect(output.x).toBeGreaterThanOrEqual(network.x + network.width - 1);
    expect(Math.abs(output.y - network.y)).toBeLessThan(2);

    const host = await app.browser.context.newPage();
    pages.push(host);
    await host.setViewportSize({ width: 1000, height: 800 });
    await host.goto(`${app.server.url}test-two.html`); // any page of the server, for its origin
    await host.evaluate(
      (src) => {
        document.body.innerHTML = `<iframe title="nnplay" src="${src}" width="800" height="600" style="border:0"></iframe>`;
      },
      `${app.server.url}#dataset=xor&seed=2&${HIDE_ALL}`,
    );
    const frame = await (await host.waitForSelector('iframe')).contentFrame();
    if (!frame) throw new Error('no iframe');
    await frame.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    const n = await box(frame, '.network-column');
    const o = await box(frame, '.output-column');
    expect(o.x).toBeGreaterThanOrEqual(n.x + n.width - 1);
    expect(Math.abs(o.y - n.y)).toBeLessThan(2);
    expect(o.x + o.width).toBeLessThanOrEqual(800);
  });

  it('fits a 320 px screen; the network scrolls sideways inside its column', async () => {
    const page = await open('#dataset=spiral&seed=2&networkShape=8,8,8,8,8', { width: 320, height: 640 });
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const scroller = await page.evaluate(() => {
      const e = document.getElementById('network-scroll')!;
      return { scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, overflowX: getComputedStyle(e).overflowX };
    });
    expect(scroller.overflowX).toBe('auto');
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth);
    expect(within(await box(page, '.plot'), { width: 320, height: 640 })).toBe(true);
  });

  // The README's phone screenshot (NNPLAY_SCREENSHOT=1): 390×844, dark theme, after some epochs.
  it.runIf(process.env.NNPLAY_SCREENSHOT)('screenshot: a phone in the dark theme', async () => {
    const page = await open('#dataset=spiral&seed=3&features=x1,x2,sinX1,sinX2&networkShape=6,6', { width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 150, null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${repo}docs/screenshot-phone-dark.png` });
  });

  it('on a touch screen: every control at least 44 px, and hints say tap', async () => {
    const page = await app.browser.context.newPage();
    pages.push(page);
    await page.setViewportSize({ width: 390, height: 844 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
    await page.goto(`${app.server.url}#dataset=circle&seed=2`);
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    const small = await page.evaluate(() => {
      const controls = [...document.querySelectorAll<HTMLElement>('#app :is(button, select, input, [role=button], [tabindex="0"]), nav button')];
      return controls
        .filter((e) => e.getClientRects().length > 0 && !(e as HTMLInputElement).disabled)
        .map((e) => {
          // A checkbox's target is its whole label.
          const target = e.matches('input[type=checkbox]') ? e.closest('label') ?? e : e;
          const r = target.getBoundingClientRect();
          return { name: e.getAttribute('aria-label') ?? e.id ?? e.textContent, width: r.width, height: r.height };
        })
        .filter((r) => r.height < 43.5 || r.width < 43.5);
    });
    expect(small).toEqual([]);
    const hint = await page.locator('.network-column .hint').innerText();
    expect(hint).toMatch(/^Tap a feature/);
    expect(hint).not.toMatch(/hover/i);
    await cdp.detach();
  });
});

// What every mode has from its one base (web/app/mode-app.ts), checked the same way in each:
// a setup change is announced ('statechange') after the link already holds it, so a listener
// that reads location.hash (to save or share it) reads the setup the event describes.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
  await page.goto(app.server.url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${app.server.url}${hash}`);
  await page.locator('#learning-rate').waitFor();
  // Each statechange with the hash as it was when the event came.
  await page.evaluate(() => {
    const seen: { learningRate: unknown; hash: string }[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    document.getElementById('app')!.addEventListener('statechange', (e) => {
      seen.push({ learningRate: (e as CustomEvent<{ state: { learningRate: unknown } }>).detail.state.learningRate, hash: location.hash });
    });
  });
  return page;
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: { learningRate: unknown; hash: string }[] }).seen);

describe('a setup change reaches the link before its statechange', () => {
  it('2-D: a chosen learning rate', async () => {
    const page = await open('#dataset=xor&seed=3&learningRate=0.03');
    await page.selectOption('#learning-rate', '0.1');
    await expect.poll(async () => (await seen(page)).length).toBeGreaterThan(0);
    const last = (await seen(page)).at(-1)!;
    expect(last.learningRate).toBe(0.1);
    expect(last.hash).toMatch(/[#&]learningRate=0\.1(&|$)/);
  });

  for (const [mode, hash] of [
    ['Images', '#mode=images&dataset=mnist&preset=mlp&learningRate=0.001'],
    ['Sequences', '#mode=sequences&task=parity&cell=gru&units=8&learningRate=0.02'],
  ] as const) {
    it(`${mode}: a typed learning rate`, async () => {
      const page = await open(hash);
      await page.fill('#learning-rate', '0.005');
      await page.locator('#learning-rate').press('Tab'); // change fires
      await expect.poll(async () => (await seen(page)).length).toBeGreaterThan(0);
      const last = (await seen(page)).at(-1)!;
      expect(last.learningRate).toBe(0.005);
      expect(last.hash).toMatch(/[#&]learningRate=0\.005(&|$)/);
    });
  }
});

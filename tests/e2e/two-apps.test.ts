// Two playgrounds on one page (web/app/test-two.html): each has its own ids, setup source and
// storage slot, so training one and reloading brings both back with their own state; and
// dispose() removes every listener an app added to the window and the document (counted by
// the DevTools protocol), so a disposed app no longer answers the Space shortcut.
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

type AppHandle = {
  storageSlot: string;
  state: { dataset: string; networkShape: number[]; seed: number };
  playing: boolean;
  checkpointEpoch: number | null;
  disposed: boolean;
  idPrefix: string;
  dispose(): void;
};
type TestWindow = Window & {
  nnplayTest: {
    apps: { first: AppHandle; second: AppHandle };
    PlaygroundApp: new (root: HTMLElement, options: object) => AppHandle;
    memoryStateSource(text?: string): object;
  };
};

/** The localStorage key of an app's current setup (its instance key, then the setup). */
const slotOf = (page: Page, which: 'first' | 'second') =>
  page.evaluate((w) => (window as unknown as TestWindow).nnplayTest.apps[w as 'first' | 'second'].storageSlot, which);

/** Both apps show a first snapshot. */
const bothReady = (page: Page) =>
  page.waitForFunction(
    () => ['first-train-loss', 'train-loss'].every((id) => /^\d/.test(document.getElementById(id)?.textContent ?? '')),
    null,
    { timeout: 60_000 },
  );

async function open(): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  await page.goto(`${app.server.url}test-two.html`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await bothReady(page);
  return page;
}

const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;
const epochOf = async (page: Page, id: string) => Number(await page.locator(`#${id}`).textContent());

/** Steps one app `n` epochs, waiting for each to show. */
async function step(page: Page, root: string, epochId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const e = await epochOf(page, epochId);
    await page.locator(root).getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction(([id, want]) => Number(document.getElementById(id as string)?.textContent) >= (want as number), [epochId, e + 1]);
  }
}

/** The epoch kept under `key`, once it equals the app's latest checkpoint. */
async function keptCheckpoint(page: Page, which: 'first' | 'second'): Promise<number> {
  const slot = await slotOf(page, which);
  await page.waitForFunction(
    ([w, key]) => {
      const a = (window as unknown as TestWindow).nnplayTest.apps[w as 'first' | 'second'];
      const text = localStorage.getItem(key);
      return a.checkpointEpoch !== null && text !== null && JSON.parse(text).epoch === a.checkpointEpoch;
    },
    [which, slot],
  );
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key)!).epoch as number, slot);
}

/** Event listener types on the window and the document, from the DevTools protocol. */
async function globalListeners(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const types: string[] = [];
  for (const expression of ['window', 'document']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    types.push(...listeners.map((l) => `${expression}:${l.type}`));
  }
  await cdp.detach();
  return types.sort();
}

describe('two playgrounds on one page', () => {
  it('keep their own ids, setups and kept models across a reload', async () => {
    const page = await open();
    // Ids: unique on the page; each app's label links point inside its own root.
    const ids = await page.evaluate(() => {
      const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const linksInside = [...document.querySelectorAll('[aria-labelledby]')].every((e) => {
        const target = document.getElementById(e.getAttribute('aria-labelledby')!);
        const root = e.closest('.nnplay-playground');
        return target !== null && root !== null && root.contains(target);
      });
      return { all, unique: new Set(all).size === all.length, linksInside };
    });
    expect(ids.unique).toBe(true);
    expect(ids.linksInside).toBe(true);
    expect(ids.all).toContain('first-epoch');
    expect(ids.all).toContain('epoch');
    expect(await page.locator('.nnplay-playground').count()).toBe(2);

    // Setups: the first from its data-state attribute (and mirrored back into it), the
    // second the default.
    const states = await page.evaluate(() => {
      const { first, second } = (window as unknown as TestWindow).nnplayTest.apps;
      return { first: first.state, second: second.state, attribute: document.getElementById('first')!.getAttribute('data-state') };
    });
    expect(states.first).toMatchObject({ dataset: 'xor', networkShape: [3], seed: 7 });
    expect(states.second).toMatchObject({ dataset: 'circle', networkShape: [4, 2] });
    expect(states.attribute).toContain('dataset=xor');
    expect(states.attribute).toContain('networkShape=3&');
    expect(await page.locator('#first .node.neuron').count()).toBe(3 + 1);
    expect(await page.locator('#second .node.neuron').count()).toBe(4 + 2 + 1);

    // Train each by a different amount; the other one does not move.
    await step(page, '#first', 'first-epoch', 3);
    expect(await epochOf(page, 'epoch')).toBe(0);
    await step(page, '#second', 'epoch', 1);
    const kept = { first: await keptCheckpoint(page, 'first'), second: await keptCheckpoint(page, 'second') };
    expect(Math.floor(kept.first)).toBe(3);
    expect(Math.floor(kept.second)).toBe(1);
    const shown = {
      first: (await page.locator('#first-test-loss').textContent())!,
      second: (await page.locator('#test-loss').textContent())!,
    };
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('nnplay:playground')))).toEqual([]);
    const slots = [await slotOf(page, 'first'), await slotOf(page, 'second')];
    expect(slots[0]).toMatch(/^nnplay:test-two:first:dataset=xor&/);
    expect(slots[1]).toMatch(/^nnplay:test-two:second:dataset=circle&/);
    const files = await page.evaluate((keys) => keys.map((k) => JSON.parse(localStorage.getItem(k)!).hash as string), slots);
    expect(files[0]).toContain('dataset=xor');
    expect(files[1]).toContain('dataset=circle');

    await page.reload();
    await page.waitForFunction(
      () => document.getElementById('first-epoch')?.textContent === '3' && document.getElementById('epoch')?.textContent === '1',
      null,
      { timeout: 60_000 },
    );
    await expect.poll(() => page.locator('#first-test-loss').textContent()).toBe(shown.first);
    await expect.poll(() => page.locator('#test-loss').textContent()).toBe(shown.second);
    const restored = await page.evaluate(() => {
      const { first, second } = (window as unknown as TestWindow).nnplayTest.apps;
      return { first: first.state, second: second.state };
    });
    expect(restored.first).toEqual(states.first);
    expect(restored.second).toEqual(states.second);

    // An outside edit of the first app's attribute applies, as an edited hash would.
    await page.evaluate(() => document.getElementById('first')!.setAttribute('data-state', 'dataset=gauss&seed=9&networkShape=2'));
    await page.waitForFunction(() => (window as unknown as TestWindow).nnplayTest.apps.first.state.dataset === 'gauss');
    expect(await page.locator('#first .node.neuron').count()).toBe(2 + 1);
    // The new network's first snapshot comes from the worker, a message later.
    await expect.poll(() => page.locator('#first-epoch').textContent()).toBe('0');
    expect(await page.evaluate(() => (window as unknown as TestWindow).nnplayTest.apps.second.state.dataset)).toBe('circle');
    expect(errorsOf(page)).toEqual([]);
  });

  it('dispose() removes every window and document listener; a disposed app ignores Space', async () => {
    const page = await open();
    const apps = (w: 'first' | 'second') =>
      page.evaluate((which) => {
        const a = (window as unknown as TestWindow).nnplayTest.apps[which as 'first' | 'second'];
        return { playing: a.playing, disposed: a.disposed };
      }, w);

    // A third app, built and disposed: the page's global listeners are as before.
    const before = await globalListeners(page);
    await page.evaluate(() => {
      const t = (window as unknown as TestWindow).nnplayTest;
      const root = document.createElement('div');
      root.id = 'third';
      document.body.append(root);
      (window as unknown as { third: AppHandle }).third = new t.PlaygroundApp(root, { state: t.memoryStateSource('seed=3') });
    });
    await page.waitForFunction(() => /^\d/.test(document.querySelector('#third [id$="train-loss"]')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { third: AppHandle }).third.idPrefix)).toBe('nnplay-2-');
    const during = await globalListeners(page);
    expect(during.length).toBeGreaterThan(before.length);
    for (const type of ['document:keydown', 'document:pointerdown', 'window:pagehide']) expect(during).toContain(type);
    await page.evaluate(() => (window as unknown as { third: AppHandle }).third.dispose());
    expect(await globalListeners(page)).toEqual(before);
    expect(await page.locator('#third').evaluate((e) => e.childElementCount)).toBe(0);

    // Space on the page body plays and pauses both apps until one of them is used...
    await page.keyboard.press('Space');
    expect(await apps('first')).toEqual({ playing: true, disposed: false });
    expect(await apps('second')).toEqual({ playing: true, disposed: false });
    await page.keyboard.press('Space');
    expect((await apps('first')).playing).toBe(false);
    expect((await apps('second')).playing).toBe(false);
    // ...then only that one (a click on its heading leaves the focus on the body).
    await page.locator('#first').getByRole('heading', { name: 'Data' }).click();
    await page.keyboard.press('Space');
    expect((await apps('first')).playing).toBe(true);
    expect((await apps('second')).playing).toBe(false);
    await page.keyboard.press('Space');
    expect((await apps('first')).playing).toBe(false);

    // Disposed, the first app answers nothing: Space toggles neither it nor (since the first
    // was the one last used) the second; the second still trains from its own controls.
    await page.evaluate(() => (window as unknown as TestWindow).nnplayTest.apps.first.dispose());
    const after = await globalListeners(page);
    expect(after.length).toBeLessThan(before.length);
    await page.keyboard.press('Space');
    expect(await apps('first')).toEqual({ playing: false, disposed: true });
    expect((await apps('second')).playing).toBe(false);
    expect(await page.locator('#first').evaluate((e) => e.childElementCount)).toBe(0);
    await page.locator('#second').getByRole('heading', { name: 'Data' }).click();
    await page.keyboard.press('Space');
    expect((await apps('second')).playing).toBe(true);
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 2, null, { timeout: 60_000 });
    await page.keyboard.press('Space');
    expect((await apps('second')).playing).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });
});

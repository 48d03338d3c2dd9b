// The Sequences mode keeps what the user trained, as the Images mode does: a reload brings the
// model back (weights, epoch, curves, the same test figures), Reset forgets it, each setup keeps
// its own model (another cell trains fresh, switching back restores), and a lost worker restarts
// from the latest checkpoint instead of fresh weights. A database of the version before
// (Images models only) is upgraded in place: its records stay, the Sequences store is added.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { clearOrigin, usePlayground } from './fixture';

const app = usePlayground();
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

interface Hooks {
  checkpointEpoch: number | null;
  restoredEpoch: number | null;
  evaluations: { epoch: number; testLoss: number; restored: boolean }[];
  generation: number;
  lossHistory: { epoch: number[] };
  whenStored(): Promise<void>;
  terminateWorker(): void;
}
type HookName = 'checkpointEpoch' | 'restoredEpoch' | 'generation';
const hook = <K extends HookName>(page: Page, name: K) =>
  page.evaluate((n) => (window as unknown as { nnplay: Hooks }).nnplay[n as HookName], name) as Promise<Hooks[K]>;
const evaluationCount = (page: Page) => page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.evaluations.length);

/** A page on a clean origin (no setups, no kept models), then at `hash`. */
async function open(hash: string): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  await page.goto(app.server.url);
  await clearOrigin(page);
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;
const text = async (page: Page, id: string) => (await page.locator(`#${id}`).textContent()) ?? '';

/** Trains one epoch and waits until its checkpoint is stored; returns the test figures shown. */
async function trainOneEpoch(page: Page): Promise<{ testLoss: string; testAccuracy: string }> {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
  await train.click();
  await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(1);
  await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.whenStored());
  return { testLoss: await text(page, 'test-loss'), testAccuracy: await text(page, 'test-accuracy') };
}

// Parity: a class task (accuracy figures too), small and quick.
const PARITY = '#mode=sequences&task=parity&cell=gru&units=8&epochs=1';

describe('Sequences mode: the trained model is kept', () => {
  it('survives a reload: epoch, curves and the very same test figures come back, and training carries on', async () => {
    const page = await open(PARITY);
    const shown = await trainOneEpoch(page);
    expect(shown.testLoss).toMatch(/^\d/);
    expect(shown.testAccuracy).toMatch(/^\d+\.\d%$/);

    await page.reload();
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => evaluationCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    // The same weights on the same test set: the same figures, to the last digit shown.
    expect(await text(page, 'test-loss')).toBe(shown.testLoss);
    expect(await text(page, 'test-accuracy')).toBe(shown.testAccuracy);
    expect(await text(page, 'epoch-time')).toBe('restored at epoch 1');
    expect(await text(page, 'epoch')).toBe('1');
    // The curves came back with the model.
    const restored = await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.lossHistory.epoch);
    expect(restored.at(-1)).toBe(1);

    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(2);
    expect(await text(page, 'epoch')).toBe('2');
    expect(errorsOf(page)).toEqual([]);
  });

  it('Reset forgets it: after a reload the model starts fresh', async () => {
    const page = await open(PARITY);
    await trainOneEpoch(page);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    expect(await hook(page, 'checkpointEpoch')).toBeNull();
    await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.whenStored());
    await page.reload();
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    // Give a kept model every chance to arrive: none does.
    await page.waitForTimeout(500);
    expect(await hook(page, 'restoredEpoch')).toBeNull();
    expect(await evaluationCount(page)).toBe(0);
    expect(await text(page, 'test-loss')).toBe('–');
    expect(errorsOf(page)).toEqual([]);
  });

  it('each setup keeps its own: another cell trains fresh, switching back restores the first', async () => {
    const page = await open(PARITY);
    const shown = await trainOneEpoch(page);
    await page.locator('#cell').selectOption('lstm');
    await expect.poll(() => hook(page, 'generation'), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.waitForTimeout(300);
    expect(await hook(page, 'restoredEpoch')).toBeNull();
    expect(await text(page, 'test-loss')).toBe('–');
    await page.locator('#cell').selectOption('gru');
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => text(page, 'test-loss'), { timeout: 60_000 }).toBe(shown.testLoss);
    expect(await text(page, 'test-accuracy')).toBe(shown.testAccuracy);
    expect(errorsOf(page)).toEqual([]);
  });

  it('a lost worker restarts from the latest checkpoint, not from fresh weights', async () => {
    const page = await open(PARITY);
    const shown = await trainOneEpoch(page);
    await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.terminateWorker());
    await expect
      .poll(() => text(page, 'message-text'), { timeout: 15_000 })
      .toMatch(/^The training worker stopped \(it stopped answering for \d+ s\); press Train to restart it with your settings and the model as it was at epoch 1\.$/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 90_000 }).toBe(1);
    // The restored model is evaluated first (the same figures), then trains epoch 2.
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(2);
    const evaluations = await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.evaluations);
    expect(evaluations.map((e) => [e.epoch, e.restored])).toEqual([[1, true], [2, false]]);
    expect(shown.testLoss).toMatch(/^\d/);
    // Resumed, not restarted: the loss curve runs on from epoch 1 without going back to 0.
    const epochs = await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.lossHistory.epoch);
    // (A parity epoch takes one slice, so the kept curve may hold only its end point.)
    expect(epochs[0]).toBeLessThanOrEqual(1);
    expect(epochs).toContain(1);
    expect(epochs.at(-1)).toBeGreaterThanOrEqual(2);
    expect(epochs.filter((e, i) => i > 0 && e < epochs[i - 1])).toEqual([]);
    expect(errorsOf(page)).toEqual([]);
  });

  it('upgrades a version-1 database in place: the Images records stay, the Sequences model is kept beside them', async () => {
    const page = await open('');
    // What the previous version left: database 'nnplay' v1 with only 'images-models'.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const r = indexedDB.open('nnplay', 1);
          r.onupgradeneeded = () => r.result.createObjectStore('images-models');
          r.onsuccess = () => {
            const t = r.result.transaction('images-models', 'readwrite');
            t.objectStore('images-models').put({ key: 'old' }, 'nnplay:images\nold');
            t.oncomplete = () => {
              r.result.close();
              resolve();
            };
          };
          r.onerror = () => reject(new Error('could not create the v1 database'));
        }),
    );
    await page.goto(`${app.server.url}${PARITY}`);
    await trainOneEpoch(page);
    await page.reload();
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 90_000 }).toBe(1);
    const db = await page.evaluate(
      () =>
        new Promise<{ version: number; stores: string[]; old: unknown }>((resolve) => {
          const r = indexedDB.open('nnplay');
          r.onsuccess = () => {
            const d = r.result;
            const get = d.transaction('images-models').objectStore('images-models').get('nnplay:images\nold');
            get.onsuccess = () => {
              resolve({ version: d.version, stores: [...d.objectStoreNames], old: get.result });
              d.close();
            };
          };
        }),
    );
    expect(db).toEqual({ version: 3, stores: ['images-models', 'lessons-models', 'sequences-models'], old: { key: 'old' } });
    expect(errorsOf(page)).toEqual([]);
  });
});

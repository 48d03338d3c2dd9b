// Nothing the user made is lost: in headless Chromium, a trained model survives a reload
// (epoch, losses, loss chart and heatmap come back), Export model downloads a file that
// Import model (file picker or drag-and-drop) restores in a fresh page, and a bad file is
// reported while the page stays usable.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { usePlayground } from './fixture';

const app = usePlayground();

interface Figures {
  epoch: string;
  trainLoss: string;
  testLoss: string;
  heatmap: string;
  hash: string;
  losses: { epoch: number[]; train: (number | null)[]; test: (number | null)[] };
}

async function open(hash: string, page?: Page): Promise<Page> {
  const p = page ?? (await app.browser.context.newPage());
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  (p as unknown as { nnErrors: string[] }).nnErrors = errors;
  await p.goto(app.server.url + hash);
  await waitForSnapshot(p);
  return p;
}

const waitForSnapshot = (page: Page) =>
  page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });

const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;

async function figures(page: Page): Promise<Figures> {
  return page.evaluate(() => ({
    epoch: document.getElementById('epoch')!.textContent!,
    trainLoss: document.getElementById('train-loss')!.textContent!,
    testLoss: document.getElementById('test-loss')!.textContent!,
    heatmap: (document.getElementById('heatmap') as HTMLCanvasElement).toDataURL(),
    hash: location.hash,
    losses: (window as unknown as { nnplay: { lossHistory: Figures['losses'] } }).nnplay.lossHistory,
  }));
}

/** Steps `n` epochs (paused), waiting for each one to be shown. */
async function step(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const e = Number(await page.locator('#epoch').textContent());
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction((want) => Number(document.getElementById('epoch')?.textContent) >= want, e + 1);
  }
}

/** The epoch of the model the page keeps in localStorage for its setup (null if none). */
const keptEpoch = (page: Page) =>
  page.evaluate(() => {
    const slot = (window as unknown as { nnplay: { storageSlot: string } }).nnplay.storageSlot;
    const text = localStorage.getItem(slot);
    return text ? (JSON.parse(text) as { epoch: number }).epoch : null;
  });

/** Waits until the page's latest checkpoint is kept and no newer one is coming. */
async function settled(page: Page): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = await page.evaluate(() => (window as unknown as { nnplay: { checkpointEpoch: number | null } }).nnplay.checkpointEpoch);
    const kept = await keptEpoch(page);
    if (now !== null && now === last && kept === now) return;
    last = now ?? -1;
    await page.waitForTimeout(300);
  }
  throw new Error('the page did not settle on a kept checkpoint');
}

async function pausedAfterTraining(page: Page, ms: number): Promise<void> {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(ms);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await settled(page);
}

describe('the trained model survives', () => {
  it('a reload: epoch, losses, loss chart and heatmap come back; Reset forgets it', async () => {
    const page = await open('#dataset=xor&seed=21&speed=60');
    await step(page, 3);
    await pausedAfterTraining(page, 1500);
    const before = await figures(page);
    expect(Number(before.epoch)).toBeGreaterThan(3);
    expect(before.losses.epoch.length).toBeGreaterThan(3);

    await page.reload();
    await page.waitForFunction((e) => document.getElementById('epoch')?.textContent === e, before.epoch, { timeout: 60_000 });
    // The restored snapshot draws on the next frame: wait for the figures to match.
    await expect.poll(async () => (await figures(page)).trainLoss).toBe(before.trainLoss);
    await expect.poll(async () => (await figures(page)).heatmap === before.heatmap).toBe(true);
    const after = await figures(page);
    expect(after.testLoss).toBe(before.testLoss);
    expect(after.hash).toBe(before.hash);
    expect(after.losses).toEqual(before.losses);

    // Training continues from there.
    await step(page, 1);
    expect(Number(await page.locator('#epoch').textContent())).toBe(Number(before.epoch) + 1);

    // Reset forgets the kept model: a reload starts at epoch 0.
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.waitForFunction(() => document.getElementById('epoch')?.textContent === '0');
    expect(await keptEpoch(page)).toBeNull();
    await page.reload();
    await waitForSnapshot(page);
    await page.waitForTimeout(500);
    expect(await page.locator('#epoch').textContent()).toBe('0');
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('a link to another setup does not pick up the kept model; the bare page URL does', async () => {
    const page = await open('#dataset=circle&seed=33&networkShape=3');
    await step(page, 2);
    await settled(page);
    const trained = await figures(page);
    const other = await open('#dataset=circle&seed=34&networkShape=3');
    expect(await other.locator('#epoch').textContent()).toBe('0');
    // The page URL without a hash reopens the last kept model and its setup.
    const bare = await open('');
    await bare.waitForFunction((e) => document.getElementById('epoch')?.textContent === e, trained.epoch);
    await expect.poll(async () => (await figures(bare)).testLoss).toBe(trained.testLoss);
    expect((await figures(bare)).hash).toBe(trained.hash);
    for (const p of [page, other, bare]) await p.close();
  });
});

describe('Export model / Import model', () => {
  it('export, then import in a fresh page, restores the setup and the same test loss', async () => {
    const page = await open('#dataset=spiral&seed=8&networkShape=6,4&features=x1,x2,sinX1&learningRate=0.1');
    await pausedAfterTraining(page, 1500);
    const before = await figures(page);

    const exportButton = page.getByRole('button', { name: 'Export model' });
    await exportButton.focus(); // keyboard accessible: Enter on the focused button
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const path = await download.path();
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.format).toBe('nnplay-playground');
    expect(file.hash).toBe(before.hash);
    expect(file.model.format).toBe('nnplay-layers-model');
    expect(file.model.weights.map((w: { name: string }) => w.name)).toEqual([
      'dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias', 'dense_3/kernel', 'dense_3/bias',
    ]);
    expect(Math.floor(file.epoch + 1e-9)).toBe(Number(before.epoch)); // as the page shows it

    const fresh = await open('#dataset=gauss&seed=99');
    const [chooser] = await Promise.all([
      fresh.waitForEvent('filechooser'),
      fresh.getByRole('button', { name: 'Import model' }).click(),
    ]);
    await chooser.setFiles(path);
    await fresh.waitForFunction((h) => location.hash === h, before.hash);
    await expect.poll(async () => (await figures(fresh)).testLoss).toBe(before.testLoss);
    const after = await figures(fresh);
    expect(after.epoch).toBe(before.epoch);
    expect(after.trainLoss).toBe(before.trainLoss);
    expect(after.losses).toEqual(before.losses);
    expect(await fresh.locator('.node.neuron').count()).toBe(6 + 4 + 1);
    expect(await fresh.locator('#message').isHidden()).toBe(true);
    expect(errorsOf(page)).toEqual([]);
    expect(errorsOf(fresh)).toEqual([]);
    await page.close();
    await fresh.close();
  });

  it('a malformed file shows what is wrong, changes nothing, and the page stays usable', async () => {
    const page = await open('#dataset=circle&seed=5');
    await step(page, 1);
    const before = await figures(page);
    const message = () => page.locator('#message-text').textContent();

    await page.locator('#import-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(message).toMatch(/^Could not import notes\.txt: the file is not JSON/);

    // A real export with one weight corrupted, dropped onto the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model' }).click()]);
    const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
    file.model.weights[1].data = '***not base64***';
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'broken.json', { type: 'application/json' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, JSON.stringify(file));
    await expect.poll(message).toMatch(/^Could not import broken\.json: the file's model is invalid: model: weights\[1\] \(dense_1\/bias\): data is not valid base64/);

    // A file whose setup and model disagree.
    const mismatched = { ...file, hash: file.hash.replace('networkShape=4,2', 'networkShape=4,3') };
    mismatched.model.weights[1].data = Buffer.from(new Float32Array(4).buffer).toString('base64');
    await page.locator('#import-file').setInputFiles({ name: 'mismatch.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mismatched)) });
    await expect.poll(message).toMatch(/does not match its setup/);

    // Nothing changed, and the page still trains.
    const now = await figures(page);
    expect(now.hash).toBe(before.hash);
    expect(now.epoch).toBe(before.epoch);
    expect(now.testLoss).toBe(before.testLoss);
    await step(page, 1);
    expect(Number(await page.locator('#epoch').textContent())).toBe(Number(before.epoch) + 1);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });
});

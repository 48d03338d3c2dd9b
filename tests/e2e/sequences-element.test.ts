// <nn-playground mode="sequences"> (issue 11 in the Sequences mode): the packaged element
// (dist/playground, with dist/lib's wasm) takes the Sequences state keys as attributes, trains,
// fires ready / epoch / trained events with data, and keeps its model under
// `<storage-key>:sequences`, so a reload restores it. The page's embed.html in the Sequences
// mode, in a cross-origin iframe, hides the setup controls, keeps Train and the unrolled view,
// and trains when driven only by postMessage.
//
// Needs the built page, library and element (npm run build).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearOrigin, repo, usePlayground } from './fixture';
import { serveStatic } from './server';
import type { StaticServer } from './server';

const app = usePlayground();
let pages: Page[] = [];
let host: StaticServer;
let hostDir: string;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>a sequences element</title>
<script type="module">
  import './playground/nnplay-playground.js';
  window.events = [];
  const el = document.getElementById('seq');
  for (const name of ['ready', 'epoch', 'trained', 'statechange'])
    el.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
</script></head><body>
<h1>A recurrent network</h1>
<nn-playground id="seq" mode="sequences" task="parity" cell="gru" units="8" learning-rate="0.02" epochs="2" seed="4" hide="generate,task"></nn-playground>
</body></html>`;

// The embedding page of the iframe test: another origin (another port) than the frame.
const frameHost = (src: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>frame host</title></head><body>
<iframe id="f" src="${src}" width="900" height="700" title="nnplay"></iframe>
<script>
  window.messages = [];
  window.addEventListener('message', (e) => { if (e.data && e.data.nnplay) window.messages.push({ origin: e.origin, ...e.data }); });
  window.call = (method, args) => document.getElementById('f').contentWindow.postMessage({ nnplay: 'call', id: Math.random(), method, args }, '*');
</script></body></html>`;

beforeAll(async () => {
  hostDir = mkdtempSync(join(tmpdir(), 'nnplay-seq-element-'));
  symlinkSync(`${repo}dist/lib`, join(hostDir, 'lib'));
  symlinkSync(`${repo}dist/playground`, join(hostDir, 'playground'));
  writeFileSync(join(hostDir, 'sequences.html'), PAGE);
  host = await serveStatic(hostDir);
});
afterAll(async () => {
  await host?.close();
  rmSync(hostDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

type Ev = { name: string; detail: Record<string, unknown> };
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Ev[] }).events);
type El = { state: Record<string, unknown>; play(): void; pause(): void; playground: { checkpointEpoch: number | null; restoredEpoch: number | null; whenStored(): Promise<void> } };

describe('<nn-playground mode="sequences">', () => {
  it('takes the Sequences keys as attributes, trains, fires epoch events and restores its model after a reload', async () => {
    const page = await app.browser.context.newPage();
    pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${host.url}sequences.html`);
    await clearOrigin(page);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { events: Ev[] }).events.some((e) => e.name === 'ready'), null, { timeout: 60_000 });
    expect((await events(page)).find((e) => e.name === 'ready')?.detail).toMatchObject({ mode: 'sequences' });
    const state = await page.evaluate(() => (document.getElementById('seq') as unknown as El).state);
    expect(state).toMatchObject({ mode: 'sequences', task: 'parity', cell: 'gru', units: 8, learningRate: 0.02, epochs: 2, seed: 4 });
    // The attributes come from the Sequences table too; hide= hides the named controls.
    const observed = await page.evaluate(() => (customElements.get('nn-playground') as unknown as { observedAttributes: string[] }).observedAttributes);
    expect(observed).toEqual(expect.arrayContaining(['task', 'cell', 'units', 'layers', 'bidirectional', 'optimizer', 'learning-rate', 'batch-size', 'epochs', 'seed']));
    expect(new Set(observed).size).toBe(observed.length);
    expect(await page.locator('#seq [data-control="task"]').isHidden()).toBe(true);
    expect(await page.locator('#seq [data-control="cell"]').isVisible()).toBe(true);

    const train = page.locator('#seq-train-button');
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    await page.evaluate(() => (document.getElementById('seq') as unknown as El).play());
    await page.waitForFunction(() => (window as unknown as { events: Ev[] }).events.some((e) => e.name === 'trained'), null, { timeout: 120_000 });
    const evs = await events(page);
    const epochs = evs.filter((e) => e.name === 'epoch').map((e) => e.detail);
    expect(epochs.map((d) => d.epoch)).toEqual([1, 2]);
    for (const d of epochs) {
      expect(Number.isFinite(d.trainLoss)).toBe(true);
      expect(Number.isFinite(d.testLoss)).toBe(true);
    }
    expect(evs.find((e) => e.name === 'trained')?.detail).toMatchObject({ epoch: 2 });
    await expect.poll(() => page.evaluate(() => (document.getElementById('seq') as unknown as El).playground.checkpointEpoch), { timeout: 30_000 }).toBe(2);
    await page.evaluate(() => (document.getElementById('seq') as unknown as El).playground.whenStored());
    const testLoss = await page.locator('#seq-test-loss').textContent();
    // Kept under the element's own key, per mode.
    expect(await page.evaluate(() => Object.keys(localStorage).sort())).toEqual(['nnplay:element:seq:sequences', 'nnplay:element:seq:sequences:models']);

    await page.reload();
    await page.waitForFunction(() => (document.getElementById('seq') as unknown as El).playground?.restoredEpoch === 2, null, { timeout: 90_000 });
    await expect.poll(() => page.locator('#seq-test-loss').textContent(), { timeout: 60_000 }).toBe(testLoss);
    expect(await page.locator('#seq-epoch').textContent()).toBe('2');
    // A restored model fires no epoch events of its own.
    expect((await events(page)).filter((e) => e.name === 'epoch')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('as embed.html in an iframe: setup controls hidden, Train and the unrolled view shown, driven by postMessage', async () => {
    const page = await app.browser.context.newPage();
    pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    writeFileSync(join(hostDir, 'frame.html'), frameHost(`${app.server.url}embed.html?mode=sequences&task=parity&cell=gru&units=8&epochs=2&seed=6`));
    await page.goto(`${host.url}frame.html`);
    const frame = page.frameLocator('#f');
    await expect.poll(() => frame.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
    for (const control of ['task', 'cell', 'units', 'optimizer', 'learningRate']) expect(await frame.locator(`[data-control="${control}"]`).isHidden()).toBe(true);
    expect(await frame.locator('[data-control="unrolled"]').isVisible()).toBe(true);
    expect(await frame.locator('[data-control="charts"]').isVisible()).toBe(true);
    expect(await frame.locator('.mode-switch').isHidden()).toBe(true);

    type Msg = { nnplay: string; name?: string; origin: string; detail?: { epoch?: number }; value?: Record<string, unknown> };
    const messages = () => page.evaluate(() => (window as unknown as { messages: Msg[] }).messages);
    await page.evaluate(() => (window as unknown as { call(m: string): void }).call('play'));
    await expect.poll(async () => (await messages()).some((m) => m.name === 'trained'), { timeout: 120_000 }).toBe(true);
    const epochs = (await messages()).filter((m) => m.name === 'epoch').map((m) => m.detail?.epoch);
    expect(epochs).toEqual([1, 2]);
    await page.evaluate(() => (window as unknown as { call(m: string): void }).call('getState'));
    await expect.poll(async () => (await messages()).some((m) => m.nnplay === 'result' && m.value?.mode === 'sequences')).toBe(true);
    const state = (await messages()).filter((m) => m.nnplay === 'result' && m.value?.mode === 'sequences').at(-1)?.value;
    expect(state).toMatchObject({ mode: 'sequences', task: 'parity', cell: 'gru', units: 8, epochs: 2, seed: 6 });
    expect(errors).toEqual([]);
  });
});

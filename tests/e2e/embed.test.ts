// Embedding (issue 11): two <nn-playground> elements of the packaged build (dist/playground,
// with dist/lib's wasm) on one page train side by side, fire their events and each restore
// their own model after a reload; the page in a cross-origin iframe is driven only by
// postMessage; a killed worker is reported and training resumes from the last checkpoint on
// Play; a TensorFlow Playground link opens its setup.
//
// Needs the built page, library and element (npm run build).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repo, usePlayground } from './fixture';
import { serveStatic } from './server';
import type { StaticServer } from './server';

const app = usePlayground();
let pages: Page[] = [];
let host: StaticServer;
let hostDir: string;

const ELEMENTS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>two elements</title>
<script type="module">
  import './playground/nnplay-playground.js';
  window.events = [];
  for (const el of document.querySelectorAll('nn-playground'))
    for (const name of ['ready', 'epoch', 'trained', 'statechange'])
      el.addEventListener(name, (e) => window.events.push({ id: el.id, name, detail: e.detail }));
</script></head><body>
<h1>Two networks</h1>
<nn-playground id="left" dataset="xor" network-shape="4" seed="3" hide="noise,ratio"></nn-playground>
<nn-playground id="right" dataset="gauss" network-shape="2" seed="5" learning-rate="0.1"></nn-playground>
</body></html>`;

// A page taller than the screen: the element starts only when scrolled near, pauses off screen.
const LAZY_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lazy</title>
<script type="module">import './playground/nnplay-playground.js';</script></head><body>
<h1>Far below</h1><div id="spacer" style="height:4000px">scroll</div>
<nn-playground id="far" dataset="circle" seed="2" speed="0"></nn-playground><div style="height:4000px"></div>
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
  hostDir = mkdtempSync(join(tmpdir(), 'nnplay-embed-'));
  symlinkSync(`${repo}dist/lib`, join(hostDir, 'lib'));
  symlinkSync(`${repo}dist/playground`, join(hostDir, 'playground'));
  writeFileSync(join(hostDir, 'elements.html'), ELEMENTS_PAGE);
  writeFileSync(join(hostDir, 'lazy.html'), LAZY_PAGE);
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

async function newPage(): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  return page;
}
const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;

type Ev = { id: string; name: string; detail: { epoch?: number; state?: Record<string, unknown> } };
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Ev[] }).events);
const elState = (page: Page, id: string) => page.evaluate((i) => (document.getElementById(i) as unknown as { state: Record<string, unknown> }).state, id);

describe('<nn-playground>', () => {
  it('two elements train side by side, fire epoch events and each restore their own model', async () => {
    const page = await newPage();
    await page.goto(`${host.url}elements.html`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    const t0 = Date.now();
    await page.waitForFunction(() => (window as unknown as { events: Ev[] }).events.filter((e) => e.name === 'ready').length === 2, null, { timeout: 60_000 });
    const readyMs = Date.now() - t0;
    // Attributes are the state (validated as a link), one worker each, one wasm fetch.
    expect(await elState(page, 'left')).toMatchObject({ mode: 'playground', dataset: 'xor', networkShape: [4], seed: 3 });
    expect(await elState(page, 'right')).toMatchObject({ dataset: 'gauss', networkShape: [2], learningRate: 0.1 });
    expect(await page.locator('#left [data-control="noise"]').isHidden()).toBe(true);
    expect(await page.locator('#right [data-control="noise"]').isVisible()).toBe(true);
    // The attributes come from the two state tables (and the element's own options).
    const observed = await page.evaluate(() => (customElements.get('nn-playground') as unknown as { observedAttributes: string[] }).observedAttributes);
    expect(observed).toEqual(expect.arrayContaining(['mode', 'hide', 'storage-key', 'autoplay', 'dataset', 'network-shape', 'learning-rate', 'regularization-rate', 'batch-size', 'show-test-data', 'features', 'preset', 'layers', 'epochs', 'optimizer']));
    expect(new Set(observed).size).toBe(observed.length);
    const wasmFetches = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length);
    expect(wasmFetches).toBe(1);

    await page.evaluate(() => {
      for (const id of ['left', 'right']) (document.getElementById(id) as unknown as { play(): void }).play();
    });
    await page.waitForFunction(
      // Three epoch events each (events follow snapshots, so a fast run may skip epoch numbers).
      () => ['left', 'right'].every((id) => (window as unknown as { events: Ev[] }).events.filter((e) => e.id === id && e.name === 'epoch').length >= 3),
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(() => {
      for (const id of ['left', 'right']) (document.getElementById(id) as unknown as { pause(): void }).pause();
    });
    await page.waitForFunction(() => ['left', 'right'].every((id) => (window as unknown as { events: Ev[] }).events.some((e) => e.id === id && e.name === 'trained')));
    const evs = await events(page);
    for (const id of ['left', 'right']) {
      const epochs = evs.filter((e) => e.id === id && e.name === 'epoch').map((e) => e.detail.epoch as number);
      expect(epochs.length).toBeGreaterThanOrEqual(3);
      expect([...epochs].sort((a, b) => a - b)).toEqual(epochs); // increasing
    }
    // Each kept its model in its own slot, keyed by element id and setup.
    await page.waitForTimeout(500);
    const shown = await page.evaluate(() => ['left', 'right'].map((id) => document.getElementById(`${id}-epoch`)!.textContent));
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(keys.some((k) => k.startsWith('nnplay:element:left:dataset=xor&'))).toBe(true);
    expect(keys.some((k) => k.startsWith('nnplay:element:right:dataset=gauss&'))).toBe(true);

    await page.reload();
    await page.waitForFunction(
      (want) => ['left', 'right'].every((id, i) => document.getElementById(`${id}-epoch`)?.textContent === want[i]),
      shown,
      { timeout: 60_000 },
    );
    expect(Number(shown[0])).toBeGreaterThanOrEqual(3);
    expect(Number(shown[1])).toBeGreaterThanOrEqual(3);
    expect(errorsOf(page)).toEqual([]);
    console.log(`[embed] two elements ready in ${readyMs} ms (one compile of the wasm, posted to both workers)`);

    // One worker each, measured: epochs per second at full speed of one element training alone,
    // then of both at once. A single shared worker could at best split the alone rate between
    // the two; separate workers use both cores.
    const rate = async (ids: string[]) => {
      await page.evaluate((list) => {
        for (const id of ['left', 'right']) {
          const el = document.getElementById(id) as unknown as { state: object; play(): void; pause(): void };
          el.state = { speed: 0 };
        }
      }, ids);
      await page.waitForTimeout(300);
      const before = await page.evaluate(() => ['left', 'right'].map((id) => Number(document.getElementById(`${id}-epoch`)!.textContent)));
      await page.evaluate((list) => list.forEach((id) => (document.getElementById(id) as unknown as { play(): void }).play()), ids);
      await page.waitForTimeout(3000);
      await page.evaluate(() => ['left', 'right'].forEach((id) => (document.getElementById(id) as unknown as { pause(): void }).pause()));
      const after = await page.evaluate(() => ['left', 'right'].map((id) => Number(document.getElementById(`${id}-epoch`)!.textContent)));
      return after.map((a, i) => (a - before[i]) / 3);
    };
    const alone = (await rate(['left']))[0];
    const both = await rate(['left', 'right']);
    console.log(`[embed] epochs/s, one worker each: left alone ${alone.toFixed(0)}; both at once left ${both[0].toFixed(0)}, right ${both[1].toFixed(0)}`);
    expect(both[0]).toBeGreaterThan(0);
    expect(both[1]).toBeGreaterThan(0);

    // The README's screenshot (NNPLAY_SCREENSHOT=1): two elements on one page.
    if (process.env.NNPLAY_SCREENSHOT) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: `${repo}docs/screenshot-elements.png`, fullPage: true });
    }
  });

  it('state set and attribute changes are validated like a link', async () => {
    const page = await newPage();
    await page.goto(`${host.url}elements.html`);
    await page.waitForFunction(() => (window as unknown as { events: Ev[] }).events.filter((e) => e.name === 'ready').length === 2, null, { timeout: 60_000 });
    await page.evaluate(() => {
      (document.getElementById('left') as unknown as { state: object }).state = { dataset: 'spiral', learningRate: 1e308 };
    });
    await page.waitForFunction(() => (document.getElementById('left') as unknown as { state: { dataset: string } }).state.dataset === 'spiral');
    expect(await elState(page, 'left')).toMatchObject({ dataset: 'spiral', networkShape: [4], learningRate: 0.03 });
    await expect.poll(() => page.locator('#left-message-text').textContent()).toMatch(/learningRate=1e\+308: beyond float32.*e\.g\. 0\.03/);
    const changes = (await events(page)).filter((e) => e.id === 'left' && e.name === 'statechange');
    expect(changes.at(-1)?.detail.state).toMatchObject({ dataset: 'spiral' });
    await page.evaluate(() => document.getElementById('right')!.setAttribute('network-shape', '3,3'));
    await page.waitForFunction(() => (document.getElementById('right') as unknown as { state: { networkShape: number[] } }).state.networkShape.join() === '3,3');
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('two tabs', () => {
  it('training different setups keep their own models', async () => {
    const open = async (hash: string) => {
      const page = await newPage();
      await page.goto(app.server.url + hash);
      await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
      return page;
    };
    const stepTo = async (page: Page, n: number) => {
      for (let i = 0; i < n; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction((want) => (window as unknown as { nnplay: { checkpointEpoch: number | null } }).nnplay.checkpointEpoch === want, n);
      await page.waitForFunction(() => {
        const a = (window as unknown as { nnplay: { storageSlot: string; checkpointEpoch: number } }).nnplay;
        const t = localStorage.getItem(a.storageSlot);
        return t !== null && JSON.parse(t).epoch === a.checkpointEpoch;
      });
    };
    const first = await open('#dataset=xor&seed=11');
    await first.evaluate(() => localStorage.clear());
    await stepTo(first, 2);
    const second = await open('#dataset=circle&seed=11');
    await stepTo(second, 3);
    await first.reload();
    await first.waitForFunction(() => document.getElementById('epoch')?.textContent === '2', null, { timeout: 60_000 });
    await second.reload();
    await second.waitForFunction(() => document.getElementById('epoch')?.textContent === '3', null, { timeout: 60_000 });
  });
});

describe('<nn-playground> on a long page', () => {
  it('starts when scrolled into view, pauses off screen and resumes when back', async () => {
    const page = await newPage();
    await page.goto(`${host.url}lazy.html`);
    const far = (prop: 'started' | 'playing') =>
      page.evaluate((p) => {
        const el = document.getElementById('far') as unknown as { started: boolean; playground: { playing: boolean } | null };
        return p === 'started' ? el.started : (el.playground?.playing ?? false);
      }, prop);
    await page.waitForTimeout(500);
    expect(await far('started')).toBe(false);
    // Reading the state does not start it: the attributes' setup.
    expect(await page.evaluate(() => (document.getElementById('far') as unknown as { state: { dataset: string; seed: number } }).state)).toMatchObject({ mode: 'playground', dataset: 'circle', seed: 2 });
    expect(await far('started')).toBe(false);
    expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length)).toBe(0);
    await page.locator('#far').scrollIntoViewIfNeeded();
    await expect.poll(() => far('started')).toBe(true);
    await page.waitForFunction(() => /^\d/.test(document.getElementById('far-train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.evaluate(() => (document.getElementById('far') as unknown as { play(): void }).play());
    expect(await far('playing')).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => far('playing')).toBe(false);
    // A snapshot the worker posted before it saw the pause may still land: read the epoch once it
    // has settled, then it must not move.
    let epoch = await page.locator('#far-epoch').textContent();
    for (;;) {
      await page.waitForTimeout(300);
      const settled = await page.locator('#far-epoch').textContent();
      if (settled === epoch) break;
      epoch = settled;
    }
    await page.waitForTimeout(600);
    expect(await page.locator('#far-epoch').textContent()).toBe(epoch); // no training off screen
    await page.locator('#far').scrollIntoViewIfNeeded();
    await expect.poll(() => far('playing')).toBe(true);
    // The document hidden (another tab): paused; shown again: resumed.
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    expect(await far('playing')).toBe(false);
    await setHidden(false);
    expect(await far('playing')).toBe(true);
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('the page in an iframe', () => {
  it('is driven only by postMessage: set state, play, epoch events, pause', async () => {
    const page = await newPage();
    writeFileSync(join(hostDir, 'frame.html'), frameHost(`${app.server.url}embed.html?dataset=xor&seed=4`));
    await page.goto(`${host.url}frame.html`);
    const frame = page.frameLocator('#f');
    await frame.locator('#train-loss').filter({ hasText: /^\d/ }).waitFor({ timeout: 60_000 });
    // embed.html hides the controls the link does not name; Play stays.
    expect(await frame.locator('[data-control="noise"]').isHidden()).toBe(true);
    expect(await frame.getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);

    await page.evaluate(() => (window as unknown as { call(m: string, a?: unknown[]): void }).call('setState', [{ dataset: 'circle', networkShape: [5], learningRate: 1e-50 }]));
    await expect.poll(() => frame.locator('#message-text').textContent()).toMatch(/learningRate=1e-50: it rounds to 0 in float32/);
    await page.evaluate(() => (window as unknown as { call(m: string, a?: unknown[]): void }).call('play'));
    type Msg = { nnplay: string; name?: string; origin: string; detail?: { epoch?: number; state?: { dataset?: string; networkShape?: number[]; learningRate?: number } } };
    const messages = () => page.evaluate(() => (window as unknown as { messages: Msg[] }).messages);
    await expect.poll(async () => (await messages()).some((m) => m.name === 'epoch' && (m.detail?.epoch ?? 0) >= 2), { timeout: 60_000 }).toBe(true);
    await page.evaluate(() => (window as unknown as { call(m: string): void }).call('pause'));
    await expect.poll(async () => (await messages()).some((m) => m.name === 'trained')).toBe(true);
    await page.evaluate(() => (window as unknown as { call(m: string): void }).call('getState'));
    await expect.poll(async () => (await messages()).filter((m) => m.nnplay === 'result').length).toBeGreaterThanOrEqual(4);
    const all = await messages();
    const state = all.filter((m) => m.nnplay === 'result').at(-1) as unknown as { value: { dataset: string; networkShape: number[]; learningRate: number } };
    expect(state.value).toMatchObject({ dataset: 'circle', networkShape: [5], learningRate: 0.03 }); // 1e-50 rejected
    expect(all.every((m) => m.origin === new URL(app.server.url).origin)).toBe(true);
    // Paused: no epoch comes any more.
    const count = (await messages()).filter((m) => m.name === 'epoch').length;
    await page.waitForTimeout(700);
    expect((await messages()).filter((m) => m.name === 'epoch').length).toBe(count);
    expect(errorsOf(page)).toEqual([]);
  });

  it('ignores callers outside the allowed origins', async () => {
    const page = await newPage();
    writeFileSync(join(hostDir, 'frame.html'), frameHost(`${app.server.url}embed.html?seed=4&allowedOrigins=https://school.example`));
    await page.goto(`${host.url}frame.html`);
    const frame = page.frameLocator('#f');
    await frame.locator('#train-loss').filter({ hasText: /^\d/ }).waitFor({ timeout: 60_000 });
    await page.evaluate(() => (window as unknown as { call(m: string): void }).call('play'));
    await page.waitForTimeout(1500);
    expect(await frame.locator('#epoch').textContent()).toBe('0');
    expect(await page.evaluate(() => (window as unknown as { messages: unknown[] }).messages.length)).toBe(0);
  });
});

describe('a lost worker', () => {
  it('is reported in one sentence, and Play resumes from the last checkpoint', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}#dataset=xor&seed=8&speed=60`);
    await page.evaluate(() => localStorage.clear());
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction(() => document.getElementById('epoch')?.textContent === '4');
    await page.waitForFunction(() => (window as unknown as { nnplay: { checkpointEpoch: number | null } }).nnplay.checkpointEpoch === 4);
    await page.evaluate(() => (window as unknown as { nnplay: { terminateWorker(): void } }).nnplay.terminateWorker());
    const message = page.locator('#message-text');
    await expect.poll(() => message.textContent(), { timeout: 15_000 }).toMatch(/^The training worker stopped \(it stopped answering for \d+ s\); press Play to restart it from epoch 4\.$/);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 6, null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    // Resumed, not restarted: the loss chart runs on from epoch 4 without a gap back to 0.
    const epochs = await page.evaluate(() => (window as unknown as { nnplay: { lossHistory: { epoch: number[] } } }).nnplay.lossHistory.epoch);
    expect(epochs.filter((e, i) => i > 0 && e < epochs[i - 1])).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { nnplay: { workerLost: boolean } }).nnplay.workerLost)).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });

  it('in the Images mode too: reported, and Train starts a new worker that trains', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}#mode=images&dataset=mnist&preset=mlp&epochs=1`);
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    await page.evaluate(() => (window as unknown as { nnplay: { terminateWorker(): void } }).nnplay.terminateWorker());
    await expect.poll(() => page.locator('#message-text').textContent(), { timeout: 15_000 }).toMatch(/^The training worker stopped \(it stopped answering for \d+ s\); press Train to restart it/);
    await train.click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 1, null, { timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { nnplay: { evaluations: number } }).nnplay.evaluations)).toBeGreaterThanOrEqual(1);
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('a TensorFlow Playground link', () => {
  it('opens its setup', async () => {
    const page = await newPage();
    const tf =
      '#activation=relu&batchSize=20&dataset=spiral&regDataset=reg-plane&learningRate=0.01&regularizationRate=0.003&noise=15&networkShape=6,4' +
      '&seed=0.45796&showTestData=true&discretize=false&percTrainData=70&x=true&y=true&xTimesY=false&xSquared=true&ySquared=true&cosX=false' +
      '&sinX=true&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false&regularization=L2';
    await page.goto(app.server.url + tf);
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    const state = await page.evaluate(() => (window as unknown as { nnplay: { state: Record<string, unknown> } }).nnplay.state);
    expect(state).toMatchObject({
      dataset: 'spiral',
      activation: 'relu',
      batchSize: 20,
      learningRate: 0.01,
      regularization: 'L2',
      regularizationRate: 0.003,
      noise: 15,
      networkShape: [6, 4],
      ratio: 70,
      showTestData: true,
      features: ['x1', 'x2', 'x1Squared', 'x2Squared', 'sinX1', 'sinX2'],
    });
    expect(await page.locator('#message').isHidden()).toBe(true); // nothing ignored: no banner
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('the Share / Embed dialog', () => {
  it('writes the link and both snippets, previews the embed, and closes on Escape', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}#dataset=xor&seed=2`);
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });
    const opener = page.getByRole('button', { name: 'Share / Embed' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Share or embed this setup' });
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'noise' }).check();
    await dialog.getByRole('checkbox', { name: /autoplay/ }).check();
    const link = await dialog.getByLabel('Link').inputValue();
    expect(link).toMatch(/index\.html#dataset=xor&.*seed=2.*noise_hide=true&autoplay=true/);
    expect(await dialog.getByLabel('Iframe snippet').inputValue()).toMatch(/^<iframe src="[^"]*embed\.html#dataset=xor&amp;.*noise_hide=true/);
    const element = await dialog.getByLabel('<nn-playground> snippet').inputValue();
    expect(element).toContain(`import 'nnplay/playground'`);
    expect(element).toMatch(/<nn-playground dataset="xor" .*network-shape="4,2" .*hide="noise" autoplay><\/nn-playground>/);
    await expect.poll(() => dialog.locator('iframe').getAttribute('src')).toMatch(/embed\.html#.*noise_hide=true/);
    // Focus stays in the modal dialog; Escape closes it.
    for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });
});

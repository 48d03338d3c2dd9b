// What `npm start` sends makes the page cross-origin isolated (COOP same-origin + COEP
// require-corp, web/app/vite.config.ts), so the engine may run threads: under COEP every asset of
// the playground and of the Images mode (fonts, data sets, workers, both engines) must still load,
// and training must work. An embed whose page is not isolated is embed.test.ts (served without the
// headers): it runs the single-threaded engine.
import type { AddressInfo } from 'node:net';
import { preview } from 'vite';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launch } from './browser';
import { repo } from './fixture';

let server: PreviewServer;
let base = '';

beforeAll(async () => {
  server = await preview({ configFile: `${repo}web/app/vite.config.ts`, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1', open: false } });
  base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await server?.close();
});

it('the page is cross-origin isolated, loads every asset under COEP and trains', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(`${base}index.html#dataset=xor&seed=3`);
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) >= 5, null, { timeout: 60_000 });
    // The Images mode: its data sets and worker.
    await page.goto(`${base}index.html#mode=images&dataset=mnist&preset=cnn`);
    await page.getByRole('button', { name: /^Train/ }).first().waitFor({ timeout: 60_000 });
    // Its worker runs the threaded engine (the conv layers split over samples) where there are cores.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.min(4, cores);
    await expect
      .poll(() => page.locator('#engine-info').textContent(), { timeout: 60_000 })
      .toMatch(threads > 1 ? new RegExp(`on ${threads} threads\\.$`) : /Web Worker\.$/);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
    expect(failed.filter((f) => !f.endsWith('favicon.ico: HTTP 404'))).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}, 180_000);

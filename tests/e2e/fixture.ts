// The page under test, served and opened the same way by every browser test file: a static
// server over the built page and a fresh headless Chromium, started before the file's tests
// and stopped after them.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
// NNPLAY_E2E_APP: test another build of the page (e.g. an engineer's private build dir).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { launch } from './browser';
import type { Browser } from './browser';
import { serveStatic } from './server';
import type { StaticServer } from './server';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const distApp = process.env.NNPLAY_E2E_APP ?? `${repo}dist/app`;

export interface Playground {
  readonly server: StaticServer;
  readonly browser: Browser;
}

/** Registers beforeAll/afterAll that serve dist/app and launch Chromium for this test file. */
export function usePlayground(): Playground {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(`${distApp}/index.html`)) {
      throw new Error(`${distApp}/index.html is missing: build the page first (npx vite build -c web/app/vite.config.ts)`);
    }
    server = await serveStatic(distApp);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the static server is not started (used outside a test?)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched (used outside a test?)');
      return browser;
    },
  };
}

/**
 * Forgets what the page's origin keeps (localStorage, and the IndexedDB database where the
 * modes and lessons keep trained models), so a test starts as a first visit does.
 */
export async function clearOrigin(page: import('playwright-core').Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        localStorage.clear();
        const r = indexedDB.deleteDatabase('nnplay');
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      }),
  );
}

// Shared by the tests that run the built package in a real browser (browser-dist.test.ts,
// conv-browser.test.ts, …): a local server for one test page plus dist/lib (or for a built
// app's directory), and a headless Chromium run of that page. Driven from Node with
// playwright-core and Debian's Chromium (docs/BUILDING.md). The page reports by setting
// window.__result (or { error } when it throws).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from '../chromium';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Whether the browser is installed; the browser tests skip without it. */
export { hasChromium } from '../chromium';

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export interface PageServer {
  /** The page's address; valid once the suite's beforeAll has run. */
  readonly url: string;
  /** Paths the browser asked for, in order. */
  readonly requested: string[];
}

/**
 * Serves `page` at / and the files under dist/lib (404 for anything else) on 127.0.0.1, with
 * `headers` on every response (COOP/COEP for a cross-origin isolated page), for
 * the calling test file: registers its own beforeAll (start) and afterAll (close).
 * options.block: paths answered 404; options.replace: a path answered with other JavaScript.
 */
export function servePageAndPackage(
  page: string,
  headers: Record<string, string> = {},
  options: ServeOptions = {},
): PageServer {
  return serveFiles((pathname) => (pathname === '/' ? { page } : { file: normalize(join(root, pathname)), under: join(root, 'dist/lib') }), headers, options);
}

/**
 * Serves the directory `dir` (a built app: its index.html at /) on 127.0.0.1 with `headers` on
 * every response, like servePageAndPackage; `dir` is read per request, so it may be built by a
 * beforeAll registered after this call.
 */
export function serveDirectory(dir: string, headers: Record<string, string> = {}): PageServer {
  return serveFiles((pathname) => ({ file: normalize(join(dir, pathname === '/' ? 'index.html' : pathname)), under: dir }), headers, {});
}

interface ServeOptions {
  block?: RegExp;
  replace?: { path: RegExp; script: string };
}

function serveFiles(
  route: (pathname: string) => { page: string } | { file: string; under: string },
  headers: Record<string, string>,
  options: ServeOptions,
): PageServer {
  let server: Server;
  let port = 0;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requested.push(url.pathname);
      const target = route(url.pathname);
      if ('page' in target) {
        res.writeHead(200, { 'content-type': 'text/html', ...headers }).end(target.page);
        return;
      }
      if (options.replace?.path.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store', ...headers }).end(options.replace.script);
        return;
      }
      const { file, under } = target;
      if (!file.startsWith(under) || !existsSync(file) || !statSync(file).isFile() || options.block?.test(url.pathname)) {
        res.writeHead(404).end();
        return;
      }
      // no-store: the worker's fetch of the wasm must reach us, so a test can see its URL.
      res
        .writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers })
        .end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  return {
    get url() {
      return `http://127.0.0.1:${port}/`;
    },
    requested,
  };
}

/**
 * Opens `url` in headless Chromium with a fresh profile (a temporary directory named from
 * `profilePrefix`), waits up to 60 s for window.__result and returns it, after checking that
 * the page threw nothing and reported no error.
 */
export async function pageResultInChromium(url: string, profilePrefix: string): Promise<Record<string, unknown>> {
  const browser = await launchChromium(profilePrefix);
  const context = browser.context;
  try {
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(url);
    await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, null, { timeout: 60_000 });
    const result = await tab.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
    expect(errors).toEqual([]);
    expect(result.error).toBeUndefined();
    return result;
  } finally {
    await browser.close();
  }
}

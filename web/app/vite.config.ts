// Builds the playground page: root web/app, output dist/app. The page imports the library
// as a user would ('nnplay'), resolved here to its TypeScript source.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { minifyGlue } from '../lib/vite.config';
import { compressedAssets } from './serve-plugin';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// oEmbed (oembed.com) for the page: a "rich" embed whose html is the embed page in an iframe.
// Consumers need absolute URLs: NNPLAY_PUBLIC_URL is where the built page is served (e.g.
// https://example.org/nnplay/); without it the URLs are relative to oembed.json.
function oembed(): Plugin {
  const base = process.env.NNPLAY_PUBLIC_URL ?? '';
  return {
    name: 'nnplay-oembed',
    apply: 'build',
    generateBundle() {
      const json = {
        version: '1.0',
        type: 'rich',
        title: 'nnplay — a neural network playground',
        provider_name: 'nnplay',
        provider_url: base || './',
        width: 900,
        height: 620,
        html: `<iframe src="${base}embed.html" width="900" height="620" style="border:0;max-width:100%" title="nnplay neural network playground" loading="lazy"></iframe>`,
      };
      this.emitFile({ type: 'asset', fileName: 'oembed.json', source: JSON.stringify(json, null, 2) + '\n' });
    },
  };
}

// Cross-origin isolated (COOP + COEP), so the engine may run threads (SharedArrayBuffer); every
// asset is same-origin, so require-corp blocks nothing. A page embedding embed.html that is not
// isolated itself gets the single-threaded engine in the frame. A middleware of its own, first:
// the precompressed files (serve-plugin.ts) are answered before Vite's `headers` option applies.
function crossOriginIsolation(): Plugin {
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  // Returns nothing: a function returned from these hooks would run as a post-middleware hook.
  const use = (server: { middlewares: { use: (fn: (req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => void) => unknown } }): void => {
    server.middlewares.use((_req, res, next) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      next();
    });
  };
  return { name: 'nnplay-cross-origin-isolation', configureServer: use, configurePreviewServer: use };
}

export default defineConfig({
  root: here('.'),
  base: './',
  // npm start: brotli/gzip precompressed at build, long-cache headers for hashed files.
  // minifyGlue: the engine's glue is a file the page and its workers import by URL (engine-url.ts).
  plugins: [crossOriginIsolation(), oembed(), minifyGlue(), compressedAssets()],
  resolve: {
    alias: { nnplay: here('../lib/index.ts') },
  },
  build: {
    outDir: here('../../dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    // The wasm engine is loaded by URL, never inlined.
    assetsInlineLimit: 0,
    // The page, the embed page (controls hidden, for iframes), a page with two playgrounds (an embedding example the browser tests use) and
    // the browser tests' page for the "inside the network" widget.
    rollupOptions: { input: { index: here('index.html'), embed: here('embed.html'), 'test-two': here('test-two.html'), 'test-inside': here('test-inside.html') } },
  },
  worker: {
    format: 'es',
  },
  server: { host: '127.0.0.1', fs: { allow: [here('../..')] } },
  preview: { host: '127.0.0.1' },
});

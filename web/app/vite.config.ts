// Builds the playground page: root web/app, output dist/app. The page imports the library
// as a user would ('nnplay'), resolved here to its TypeScript source.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compressedAssets } from './serve-plugin';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  // npm start: brotli/gzip precompressed at build, long-cache headers for hashed files.
  plugins: [compressedAssets()],
  resolve: {
    alias: { nnplay: here('../lib/index.ts') },
  },
  build: {
    outDir: here('../../dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    // The wasm engine is loaded by URL, never inlined.
    assetsInlineLimit: 0,
    // The page, a page with two playgrounds (an embedding example the browser tests use) and
    // the browser tests' page for the "inside the network" widget.
    rollupOptions: { input: { index: here('index.html'), 'test-two': here('test-two.html'), 'test-inside': here('test-inside.html') } },
  },
  worker: {
    format: 'es',
  },
  server: { host: '127.0.0.1', fs: { allow: [here('../..')] } },
  preview: { host: '127.0.0.1' },
});

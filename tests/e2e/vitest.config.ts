// Browser tests of the playground page: Vitest in Node drives Debian's Chromium through
// playwright-core against the built page (dist/app) served on 127.0.0.1.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // The page's modules import the library as users do ('nnplay'); here, its TypeScript source
  // (as web/app/vite.config.ts resolves it for the page).
  resolve: { alias: { nnplay: fileURLToPath(new URL('../../web/lib/index.ts', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    // One browser at a time: the machine has two cores and training needs one of them.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

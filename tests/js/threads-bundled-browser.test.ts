// The threaded engine in an app built by a bundler: `import * as nn from 'nnplay'`, built by
// Vite with no configuration against the built package (scripts/size.mjs's builder, once), then
// served twice from the same dist:
//  - with COOP + COEP (cross-origin isolated): nn.backend() says threads, on 2 or more, and the
//    three threaded files were fetched under the names the bundler gave them (content hashes),
//    by the page and by the library's fit worker (whose pthreads are nested workers);
//  - without: one thread, nnplay.wasm and (for the conv model) nnplay-extra.wasm, no threaded file
//    asked for.
// Both train the ConvNetJS demo net a few steps from one seed to the same bits.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { measureSize } from '../../scripts/size.mjs';
import { hasChromium, pageResultInChromium, serveDirectory } from './browser';
import { convNetSource, randomImagesSource } from './conv-net-source';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workDir = join(root, 'build', 'threads-app-test');
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

// The app's main.js: conv layers (they split over threads), fit() on the page's main thread (so
// in the fit worker), the weights and what the library says about its engine in window.__result.
const app = `import * as nn from 'nnplay';
try {
  await nn.ready();${randomImagesSource(12345)}
  const n = 40;
  const { x, y } = images(n);
  const model = ${convNetSource(17)};
  const h = await model.fit(nn.tensor4d(x, [n, 28, 28, 1]), nn.tensor(y, [n, 1]), { epochs: 2, batchSize: 20, shuffle: true });
  const predicted = Array.from(model.predict(nn.tensor4d(x.subarray(0, 4 * 784), [4, 28, 28, 1])).dataSync());
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  window.__result = { loss: h.history.loss, weights, predicted, backend: nn.backend(), isolated: self.crossOriginIsolated };
} catch (e) {
  window.__result = { error: String((e && e.stack) || e) };
}
`;

interface SizedFile { file: string; group: string; bytes: number; gzip: number; brotli: number }
type Run = { loss: number[]; weights: number[][]; predicted: number[]; backend: { threads: boolean; threadsCount: number }; isolated: boolean };

let files: SizedFile[] = [];
const isolatedServer = serveDirectory(join(workDir, 'dist'), isolation);
const plainServer = serveDirectory(join(workDir, 'dist'));

beforeAll(async () => {
  if (!hasChromium) return;
  ({ files } = (await measureSize({ workDir, app })) as { files: SizedFile[] });
}, 180_000);

test.skipIf(!hasChromium)(
  'a Vite-built app runs the threaded engine on an isolated page, nnplay.wasm elsewhere, to the same bits',
  async () => {
    // What the bundler emitted: the three threaded files under hashed names, as their own group.
    const threaded = files.filter((f) => f.group === 'threads').map((f) => `/${f.file}`);
    const glue = threaded.find((f) => /\/nnplay-threads-[A-Za-z0-9_-]{8,}\.mjs$/.test(f));
    const pthreadScript = threaded.find((f) => /\/nnplay-threads\.worker-[A-Za-z0-9_-]{8,}\.js$/.test(f));
    const threadedWasm = threaded.find((f) => /\/nnplay-threads-[A-Za-z0-9_-]{8,}\.wasm$/.test(f));
    expect(threaded).toHaveLength(3);
    expect([glue, pthreadScript, threadedWasm].every(Boolean)).toBe(true);
    const engineWasm = files.filter((f) => f.group === 'engine').map((f) => `/${f.file}`);
    expect(engineWasm).toEqual([expect.stringMatching(/\/nnplay-[A-Za-z0-9_-]{8,}\.wasm$/)]);
    const extraWasm = files.filter((f) => f.group === 'extra').map((f) => `/${f.file}`);
    expect(extraWasm).toEqual([expect.stringMatching(/\/nnplay-extra-[A-Za-z0-9_-]{8,}\.wasm$/)]);

    const withThreads = (await pageResultInChromium(isolatedServer.url, 'nnplay-bundled-threads-')) as unknown as Run;
    const single = (await pageResultInChromium(plainServer.url, 'nnplay-bundled-plain-')) as unknown as Run;

    expect(withThreads.isolated).toBe(true);
    expect(withThreads.backend.threads).toBe(true);
    expect(withThreads.backend.threadsCount).toBeGreaterThan(1);
    const asked = isolatedServer.requested;
    for (const f of [glue, pthreadScript]) expect(asked).toContain(f);
    // Its wasm twice: the page's engine and the fit worker's (told the hashed names by the page).
    expect(asked.filter((p) => p === threadedWasm).length).toBeGreaterThanOrEqual(2);
    expect(asked.some((p) => /\/fit-worker-[^/]*\.js$/.test(p))).toBe(true);
    // Nothing looked for the files under their build-time names.
    expect(asked.filter((p) => /\/nnplay-threads\.(mjs|worker\.js|wasm)$/.test(p))).toEqual([]);
    // The threaded engine is one module: no second part to fetch.
    expect(asked.filter((p) => p.includes('nnplay-extra'))).toEqual([]);

    expect(single.isolated).toBe(false);
    expect(single.backend).toMatchObject({ threads: false, threadsCount: 1 });
    expect(plainServer.requested.filter((p) => p.includes('nnplay-threads'))).toEqual([]);
    // The single-threaded engine and, for this conv model, its second module.
    expect(new Set(plainServer.requested.filter((p) => p.endsWith('.wasm')))).toEqual(new Set([...engineWasm, ...extraWasm]));

    expect(withThreads.loss.every(Number.isFinite)).toBe(true);
    expect(withThreads.loss).toEqual(single.loss);
    expect(withThreads.weights).toEqual(single.weights); // exact: numbers from float32 values
    expect(withThreads.predicted).toEqual(single.predicted);
    const kb = (group: string) => (files.filter((f) => f.group === group).reduce((t, f) => t + f.gzip, 0) / 1024).toFixed(1);
    console.log(`bundled app, gzip -9: threaded engine ${kb('threads')} KB (${threaded.join(', ')}), engine ${kb('engine')} KB`);
  },
  240_000,
);

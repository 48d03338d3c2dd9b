// scripts/size.mjs (npm run size) on the built package: a tiny app that imports nnplay, trains
// and predicts, built by Vite with no configuration. What the app fetches at start must not
// include the lazy parts (code export, the TF.js format) nor the threaded engine, the engine's
// glue must be one file (not a copy in the page's JS and another in the fit worker's), and every
// emitted file must be classified (a new kind of asset cannot escape the count). Sizes are
// printed, not asserted beyond sanity: the bench reports them (README, "Download size").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { measureSize } from '../../scripts/size.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface SizedFile { file: string; group: string; bytes: number; gzip: number; brotli: number }

test('the size app: start JS without the lazy parts, one wasm, one fit worker, the lazy chunks apart', async () => {
  const workDir = join(root, 'build', 'size-app-test');
  const { files, totals } = (await measureSize({ workDir })) as { files: SizedFile[]; totals: Record<string, { gzip: number }> };
  const of = (group: string) => files.filter((f) => f.group === group);
  expect(of('engine').map((f) => f.file)).toEqual([expect.stringMatching(/\.wasm$/)]);
  expect(of('worker')).toHaveLength(1);
  // The engine's glue is one file, which the page and the fit worker both import: in neither's JS.
  expect(of('glue').map((f) => f.file)).toEqual([expect.stringMatching(/^assets\/nnplay-glue-[\w-]{8,}\.js$/)]);
  const glueMessage = 'no native wasm support detected';
  expect(readFileSync(join(workDir, 'dist', of('glue')[0].file), 'utf8')).toContain(glueMessage);
  for (const f of [...of('start'), ...of('worker')]) expect(readFileSync(join(workDir, 'dist', f.file), 'utf8')).not.toContain(glueMessage);
  // The threaded engine is emitted too (the bundler sees its URLs), hashed, as a group of its own:
  // fetched only on cross-origin isolated pages, so not part of the training app below.
  const threaded = of('threads').map((f) => f.file.replace(/^assets\//, ''));
  expect(threaded).toHaveLength(3);
  expect(threaded).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^nnplay-threads-[\w-]{8,}\.mjs$/),
      expect.stringMatching(/^nnplay-threads\.worker-[\w-]{8,}\.js$/),
      expect.stringMatching(/^nnplay-threads-[\w-]{8,}\.wasm$/),
    ]),
  );
  const lazyNames = of('lazy').map((f) => f.file.replace(/^assets\//, ''));
  expect(lazyNames.some((f) => f.startsWith('code-export-'))).toBe(true);
  expect(lazyNames.some((f) => f.startsWith('tfjs-format-'))).toBe(true);
  expect(lazyNames.some((f) => f.startsWith('fit-dataset-'))).toBe(true);
  const startText = of('start').map((f) => readFileSync(join(workDir, 'dist', f.file), 'utf8')).join('\n');
  expect(startText).not.toContain('import torch'); // code export's generators
  expect(startText).not.toContain('inbound_nodes'); // the Keras topology converter
  // nn.datasets' file table (and the small files the app's Vite would inline as base64).
  expect(startText).not.toContain('mnist-train-images');
  expect(startText).not.toContain('data:application/gzip');
  expect(startText).not.toContain('validationSplit is not supported by fitDataset()'); // the dataset loop
  expect(startText).not.toContain('Dataset.concatenate()'); // nn.data's Dataset class
  expect(startText).not.toContain('IndexedDB refused'); // the IO handlers' storage code
  // nn.layers is a namespace the app's bundler sees through: the layers it never names are not kept.
  expect(startText).not.toContain("returnState is not supported on a bidirectional layer");
  expect(totals.trainingApp.gzip).toBe(totals.start.gzip + totals.engine.gzip + totals.glue.gzip + totals.worker.gzip);
  console.log(`size app, gzip -9: start ${(totals.start.gzip / 1024).toFixed(1)} KB, glue ${(totals.glue.gzip / 1024).toFixed(1)} KB, worker ${(totals.worker.gzip / 1024).toFixed(1)} KB, engine ${(totals.engine.gzip / 1024).toFixed(1)} KB, lazy ${(totals.lazy.gzip / 1024).toFixed(1)} KB, threads ${(totals.threads.gzip / 1024).toFixed(1)} KB`);
}, 120_000);

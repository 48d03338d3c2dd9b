// The library's lazy parts: code export (code-export.ts), the TF.js layers-model format
// (tfjs-format.ts) and model.fitDataset() (fit-dataset.ts) are chunks of their own in dist/lib,
// fetched by import() on the first nn.exportCode() / model.save() / nn.loadLayersModel() /
// fitDataset() (web/lib/vite.config.ts, code-export-lazy.ts, tfjs-basics.ts, model.ts). An app that never calls them does not download them
// (scripts/size.mjs measures it). Checked here: the split really is in the package, the first call
// of each works in a fresh Node realm and in Chromium (fetching each chunk once, only then), and
// save() records the model as it was when called although the format module arrives later.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nn from 'nnplay';
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lib = join(root, 'dist', 'lib');
const chunk = (prefix: string) => {
  const found = readdirSync(lib).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  expect(found, `dist/lib/${prefix}-*.js`).toHaveLength(1);
  return readFileSync(join(lib, found[0]), 'utf8');
};

test('dist/lib: code export, the TF.js format and fitDataset are separate chunks that nnplay.js does not import statically', () => {
  const entry = readFileSync(join(lib, 'nnplay.js'), 'utf8');
  const core = chunk('nnplay-core');
  const codeExport = chunk('code-export');
  const tfjsFormat = chunk('tfjs-format');
  const fitDataset = chunk('fit-dataset');
  // Markers only the generators / the topology converter / the dataset loop write.
  const datasetLoop = 'validationSplit is not supported by fitDataset()';
  expect(codeExport).toContain('import torch');
  expect(tfjsFormat).toContain('inbound_nodes');
  expect(fitDataset).toContain(datasetLoop);
  for (const text of [entry, core]) {
    expect(text).not.toContain('import torch');
    expect(text).not.toContain('inbound_nodes');
    expect(text).not.toContain(datasetLoop);
  }
  // The core chunk reaches them only through import().
  const staticImports = [...core.matchAll(/^import\s[^;]*?from\s*["']\.\/([^"']+)["']/gm)].map((m) => m[1]);
  expect(staticImports.filter((f) => /^(code-export|tfjs-format|fit-dataset)-/.test(f))).toEqual([]);
  expect(core).toMatch(/import\(["']\.\/code-export-[^"']+\.js["']\)/);
  expect(core).toMatch(/import\(["']\.\/tfjs-format-[^"']+\.js["']\)/);
  expect(core).toMatch(/import\(["']\.\/fit-dataset-[^"']+\.js["']\)/);
});

function xor(): nn.LayersModel {
  const model = nn.sequential({
    layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'tanh' }), nn.layers.dense({ units: 1, activation: 'sigmoid' })],
    seed: 7,
  });
  model.compile({ optimizer: nn.train.adam(0.01), loss: 'binaryCrossentropy' });
  return model;
}

test('in Node, the first exportCode(), save() and loadLayersModel() load their chunks and work; the values users read before are there at once', async () => {
  expect(nn.codeTargets).toEqual(['keras', 'pytorch', 'tfjs']);
  expect(nn.WEIGHTS_FORMAT).toBe('nnplay-weights');
  await nn.ready();
  const model = xor();
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const before = Array.from((model.predict(xs) as nn.Tensor).dataSync());

  const [keras, tfjs] = await Promise.all([nn.exportCode(model, 'keras'), nn.exportCode(model, 'tfjs')]);
  expect(keras.code).toContain('keras');
  expect(tfjs.code).toContain('@tensorflow/tfjs');
  expect(JSON.parse(keras.weights).format).toBe('nnplay-weights');
  await expect(nn.exportCode(model, 'caffe' as never)).rejects.toThrow(/unknown target "caffe"; allowed: 'keras', 'pytorch', 'tfjs'/);

  // Two saves before the format module has arrived; then the model changes (and is disposed)
  // while they wait: both record it as it was when save() was called.
  let saved: nn.ModelArtifacts | undefined;
  const first = model.save(nn.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: 0, weightSpecsBytes: 0, weightDataBytes: 0 } })));
  const second = model.save(nn.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: 0, weightSpecsBytes: 0, weightDataBytes: 0 } })));
  model.setWeights(model.getWeights().map((w) => nn.zerosLike(w)));
  model.dispose();
  await Promise.all([first, second]);
  expect((saved!.modelTopology as { class_name: string }).class_name).toBe('Sequential');

  const loaded = await nn.loadLayersModel(nn.io.fromMemory(saved!));
  expect(Array.from((loaded.predict(xs) as nn.Tensor).dataSync())).toEqual(before);
  loaded.dispose();
});

const page = `<!doctype html><meta charset="utf-8"><title>nnplay lazy chunks</title>
<script type="module">
  const chunks = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
    .map((p) => /\\/(code-export|tfjs-format|fit-dataset)-[^/]*\\.js$/.exec(p)?.[1]).filter(Boolean);  // the hash may hold '-'
  try {
    const nn = await import('/dist/lib/nnplay.js');
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 3 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = nn.tensor2d([[1, 2], [3, 4]]);
    await nn.ready();
    const before = Array.from(model.predict(xs).dataSync());
    const atStart = chunks();
    const code = await nn.exportCode(model, 'pytorch');
    const afterExport = chunks();
    let artifacts;
    await model.save(nn.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: {} }; }));
    const loaded = await nn.loadLayersModel(nn.io.fromMemory(artifacts));
    await nn.exportCode(loaded, 'keras');
    const after = Array.from(loaded.predict(xs).dataSync());
    const beforeFitDataset = chunks();
    const ds = nn.data.zip({ xs: nn.data.array([[1, 2], [3, 4]]), ys: nn.data.array([[1], [0]]) }).batch(2);
    const history = await model.fitDataset(ds, { epochs: 2 });
    await model.fitDataset(ds, { epochs: 1 });
    window.__result = { atStart, afterExport, beforeFitDataset, atEnd: chunks(), pytorch: code.code.includes('import torch'), before, after, losses: history.history.loss.length };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('in Chromium, each lazy chunk is fetched once, on its first call, and works', async () => {
  const result = (await pageResultInChromium(server.url, 'nnplay-lazy-')) as { atStart: string[]; afterExport: string[]; beforeFitDataset: string[]; atEnd: string[]; pytorch: boolean; before: number[]; after: number[]; losses: number };
  expect(result.atStart).toEqual([]);
  expect(result.afterExport).toEqual(['code-export']);
  expect(result.beforeFitDataset.sort()).toEqual(['code-export', 'tfjs-format']);
  expect(result.atEnd.sort()).toEqual(['code-export', 'fit-dataset', 'tfjs-format']);
  expect(result.pytorch).toBe(true);
  expect(result.after).toEqual(result.before);
  expect(result.losses).toBe(2);
  expect(server.requested.filter((p) => /\/(code-export|tfjs-format|fit-dataset)-[^/]*\.js$/.test(p))).toHaveLength(3);
});

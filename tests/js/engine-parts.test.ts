// The engine in two wasm modules, in Node (the browser's side: engine-parts-browser.test.ts). The
// data-set generators and readers (engine/data/playground, sequences, idx and their Embind
// methods, bindings/dataset_bindings.cpp) are in nnplay-extra.wasm, with all the code the
// library's workloads never call (scripts/profile-engine.mjs):
//  - in the engine itself, every data-set family fails with the placeholders' error naming the
//    second module until it is loaded, and gives its data after; with the library's hook
//    (nnplayLoadExtraNow), the first such call loads it on the spot and goes on;
//  - in the library, the README's dense XOR app never reads the second module, and each family's
//    first data set reads it (synchronously for the synchronous ones) and works, with no
//    nn.ready() first. Each of those runs on a fresh instance of the library (vi.resetModules), so
//    none inherits a second module another loaded.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import createNnplayModule from '../../build/wasm/nnplay.mjs';
import type { NnplayModule, NnplayModuleFactory, WasmImageSet, WasmPlayground, WasmSequenceSet } from '../../web/lib/engine-module';

const built = (name: string) => readFileSync(new URL(`../../build/wasm/${name}`, import.meta.url));
const secondPartError = /needs the engine's second part \(nnplay-extra\.wasm: .*data-set generators and readers\).*await nn\.ready\(\)/s;

/** An IDX file of uint8 values: magic 0x08, `dims.length`, each dimension big-endian, the values. */
function idxFile(dims: number[], values: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(values, 4 + 4 * dims.length);
  return bytes;
}

// Each data-set family's first calls, on the engine `mod`: the objects are made inside, because
// the split (scripts/profile-engine.mjs) moves code no typical dense program calls, Embind
// constructors included, to the second module.
function dataSetFamilies(mod: NnplayModule) {
  const made: Array<{ delete(): void }> = [];
  const keep = <T extends { delete(): void }>(o: T): T => (made.push(o), o);
  const families: Record<string, () => string> = {
    playground: () => keep(new mod.Playground()).configure(JSON.stringify({ dataset: 'xor', numPoints: 40, noise: 0, trainRatio: 50, seed: 1, features: ['x1', 'x2'], classes: 2, gridSize: 2 })),
    sequenceTask: () => keep(new mod.SequenceSet()).configure(JSON.stringify({ task: 'adding', numTrain: 4, numTest: 2, steps: 6, seed: 1 })),
    text: () => {
      const text = keep(new mod.SequenceSet());
      const corpus = new TextEncoder().encode('ab\nba\nab\nba\n');
      mod.HEAPU8.set(corpus, text.textBuffer(corpus.length));
      return text.readText('corpus.txt', crc32(corpus), 'ab\n') || text.textWindows(JSON.stringify({ seqLength: 3, stride: 1, encoding: 'ids', testFraction: 0.5 }));
    },
    idxFiles: () => {
      const idx = keep(new mod.ImageSet());
      const images = idxFile([2, 2, 2], [0, 51, 102, 255, 255, 0, 0, 0]);
      const labels = idxFile([2], [1, 0]);
      mod.HEAPU8.set(images, idx.imagesBuffer(images.length));
      mod.HEAPU8.set(labels, idx.labelsBuffer(labels.length));
      return idx.read('images.idx3-ubyte', crc32(images), 'labels.idx1-ubyte', crc32(labels), 2) || idx.rows(0, 2) || String(idx.count());
    },
    pixels: () => {
      const pixels = keep(new mod.ImageSet());
      mod.HEAPU8.set([0, 51, 102, 255], pixels.imagesBuffer(4));
      mod.HEAPU8.set([1], pixels.labelsBuffer(1));
      return pixels.fromPixels(1, 2, 2, 1, 2) || pixels.rows(0, 1) || String(mod.HEAPF32[pixels.rowsYPtr() >>> 2]);
    },
  };
  return { families, made };
}

test('in the engine, every data-set family needs the second module: a clear error without it, its data after', async () => {
  const mod: NnplayModule = await (createNnplayModule as unknown as NnplayModuleFactory)({ wasmBinary: built('nnplay.wasm') });
  expect(mod.nnplayExtraPart).toBe('missing');
  const before = dataSetFamilies(mod);
  for (const [name, first] of Object.entries(before.families)) expect(first, name).toThrow(secondPartError);
  expect(mod.nnplayExtraPart).toBe('missing');

  await mod.nnplayLoadExtra!(built('nnplay-extra.wasm'));
  expect(mod.nnplayExtraPart).toBe('loaded');
  const { families, made } = dataSetFamilies(mod);
  const results = Object.fromEntries(Object.entries(families).map(([name, first]) => [name, first()]));
  expect(results).toEqual({ playground: '', sequenceTask: '', text: '', idxFiles: '2', pixels: '1' });
  const [pg, task, text, idx] = made as unknown as [WasmPlayground, WasmSequenceSet, WasmSequenceSet, WasmImageSet];
  expect([pg.numTrain(), pg.numTest()]).toEqual([20, 20]);
  expect([task.numTrain(), task.numTest(), task.steps(), task.features()]).toEqual([4, 2, 6, 2]);
  expect(text.numTrain()).toBeGreaterThan(0);
  expect([idx.count(), idx.height(), idx.width(), idx.channels()]).toEqual([2, 2, 2, 1]);
  expect(Array.from(mod.HEAPF32.subarray(idx.rowsXPtr() >>> 2, (idx.rowsXPtr() >>> 2) + 4), (v) => Math.round(v * 255))).toEqual([0, 51, 102, 255]);
  for (const o of made) o.delete();
});

test('a placeholder that runs first loads the second module through nnplayLoadExtraNow, once, and the call goes on', async () => {
  let loads = 0;
  const init: Record<string, unknown> = { wasmBinary: built('nnplay.wasm') };
  init.nnplayLoadExtraNow = () => {
    loads++;
    (init as unknown as NnplayModule).nnplayLoadExtra!(built('nnplay-extra.wasm'), true);
  };
  const mod = await (createNnplayModule as unknown as (m: Record<string, unknown>) => Promise<NnplayModule>)(init);
  expect(mod.nnplayExtraPart).toBe('missing');
  const { families, made } = dataSetFamilies(mod);
  const results = Object.fromEntries(Object.entries(families).map(([name, first]) => [name, first()]));
  expect(results).toEqual({ playground: '', sequenceTask: '', text: '', idxFiles: '2', pixels: '1' });
  expect(mod.nnplayExtraPart).toBe('loaded');
  expect(loads).toBe(1);
  expect((made[0] as unknown as WasmPlayground).numTrain()).toBe(20);
  for (const o of made) o.delete();
});

// Every wasm file the library reads, by path (Node's synchronous and asynchronous readers: the
// library takes both from process.getBuiltinModule, the same objects as these).
const nodeFs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
let reads: string[] = [];
const extraReads = () => reads.filter((p) => p.endsWith('nnplay-extra.wasm'));

beforeEach(() => {
  reads = [];
  const record = (p: unknown) => {
    const path = String(p);
    if (path.endsWith('.wasm')) reads.push(path);
  };
  const readSync = nodeFs.readFileSync;
  vi.spyOn(nodeFs, 'readFileSync').mockImplementation(((p: Parameters<typeof readSync>[0], ...rest: unknown[]) => {
    record(p);
    return (readSync as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof readSync);
  const read = nodeFs.promises.readFile;
  vi.spyOn(nodeFs.promises, 'readFile').mockImplementation(((p: Parameters<typeof read>[0], ...rest: unknown[]) => {
    record(p);
    return (read as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof read);
  vi.resetModules(); // a fresh library: no engine loaded, no second module asked for
});

afterEach(() => {
  vi.restoreAllMocks();
});

const freshLibrary = async () => (await import('nnplay')) as typeof import('nnplay');

test('the README\'s dense XOR app trains and predicts without ever reading the second module', async () => {
  const nn = await freshLibrary();
  expect(nn.isReady()).toBe(false);
  const model = nn.sequential({
    layers: [nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }), nn.layers.dense({ units: 1, activation: 'sigmoid' })],
    seed: 42,
  });
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = nn.tensor2d([[0], [1], [1], [0]]);
  const h = await model.fit(xs, ys, { epochs: 200, batchSize: 4 });
  expect(h.history.loss[199]).toBeLessThan(h.history.loss[0]);
  expect(model.predict(xs).shape).toEqual([4, 1]);
  expect(reads.some((p) => p.endsWith('/nnplay.wasm'))).toBe(true);
  expect(extraReads()).toEqual([]);
});

test('an engine error on a fresh library says what was wrong, whichever module its code is in', async () => {
  // The message's code (the tensor's name, the number's digits) is of the kind the workloads never
  // call, so it may sit in the second module: the placeholder loads it once and the call goes on
  // to its error.
  const nn = await freshLibrary();
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3 }), nn.layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await expect(model.fit(nn.tensor2d([[0, 1], [NaN, 1]]), nn.tensor2d([[1], [0]]), { epochs: 1 })).rejects.toThrow(
    /fit\(\): xs contains NaN at index 2 \(sample 1, feature 0\); data must be finite numbers/,
  );
  expect(extraReads().length).toBeLessThanOrEqual(1);
  // The engine is whole and working after it.
  const h = await model.fit(nn.tensor2d([[0, 1], [1, 1]]), nn.tensor2d([[1], [0]]), { epochs: 2 });
  expect(h.history.loss.every(Number.isFinite)).toBe(true);
});

// Each family on a library that has loaded nothing: its first data set reads the second module
// once and gives the data, with no nn.ready() first.
const familyCases: Array<[string, (nn: typeof import('nnplay')) => Promise<number>]> = [
  ['points (the playground generator)', async (nn) => nn.datasets.points({ dataset: 'moons', numPoints: 50, seed: 3 }).train.n],
  ['sine (the sequence tasks)', async (nn) => nn.datasets.sine({ numTrain: 8, numTest: 2, steps: 5 }).train.n],
  ['text (the text reader)', async (nn) => (await nn.datasets.text({ seqLength: 8, stride: 512 })).train.n],
  ['mnist (the IDX reader)', async (nn) => (await nn.datasets.mnist()).test.n],
];

test.each(familyCases)('%s loads the second module on first use', async (_name, make) => {
  const nn = await freshLibrary();
  expect(nn.isReady()).toBe(false);
  expect(await make(nn)).toBeGreaterThan(0);
  expect(extraReads()).toHaveLength(1);
  expect(await make(nn)).toBeGreaterThan(0); // the second call reads nothing again
  expect(extraReads()).toHaveLength(1);
});

// The other tables' parts (engine/nn/registry.h EnginePart): a model naming only core rows runs
// on the first module alone, and one naming an extra row (an activation, initializer, loss,
// metric, optimizer or learning-rate schedule) loads the second module by itself, once, and trains.
type Tables = ReturnType<typeof import('nnplay')['engineTables']>;
type Nn = typeof import('nnplay');
type RowCase = { activation?: import('nnplay').Activation; initializer?: import('nnplay').KernelInitializer; loss?: import('nnplay').LossName; metric?: import('nnplay').MetricName; optimizer?: string; schedule?: string };

// Trains a small model naming the rows of `c`; returns its losses and how many times the second
// module had been read once compile() returned (before any call ran the model).
async function trainWith(nn: Nn, c: RowCase): Promise<{ loss: number[]; readsAtCompile: number }> {
  // identity and orthogonal fill 2-D kernels only (a square one, for identity): the bias stays zeros.
  const kernelInitializer = c.initializer ?? 'glorotUniform';
  const model = nn.sequential({ layers: [
    nn.layers.dense({ inputShape: [2], units: 2, activation: c.activation ?? 'relu', kernelInitializer, biasInitializer: c.initializer === 'identity' || c.initializer === 'orthogonal' ? 'zeros' : kernelInitializer }),
    nn.layers.dense({ units: 2, activation: 'softmax' })], seed: 11 });
  const schedules: Record<string, () => unknown> = {
    exponentialDecay: () => nn.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
    cosineDecay: () => nn.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 4 }),
    stepDecay: () => nn.train.stepDecay({ initialLearningRate: 0.1, stepSize: 2 }),
  };
  const optimizer = c.schedule ? nn.train.sgd(schedules[c.schedule]() as Parameters<typeof nn.train.sgd>[0]) : (c.optimizer ?? 'sgd');
  const loss = c.loss ?? 'categoricalCrossentropy';
  model.compile({ optimizer, loss, metrics: c.metric ? [c.metric] : [] });
  const readsAtCompile = extraReads().length;
  const xs = nn.tensor2d([[0, 1], [1, 0], [1, 1], [0.5, 0]]);
  const ys = loss === 'sparseCategoricalCrossentropy' ? nn.tensor2d([[1], [0], [1], [0]]) : nn.tensor2d([[0, 1], [1, 0], [0, 1], [1, 0]]);
  const h = await model.fit(xs, ys, { epochs: 2, batchSize: 2 });
  expect(model.predict(xs).shape).toEqual([4, 2]);
  return { loss: h.history.loss, readsAtCompile };
}

const rowCases = (tables: Tables, part: 'core' | 'extra'): [string, RowCase][] => [
  // The tables' names are the library's name types (web/lib/layers.ts, model.ts follow them).
  ...tables.activations.filter((r) => r.part === part).map((r): [string, RowCase] => [`activation ${r.name}`, { activation: r.name as RowCase['activation'] }]),
  ...tables.initializers.filter((r) => r.part === part).map((r): [string, RowCase] => [`initializer ${r.name}`, { initializer: r.name as RowCase['initializer'] }]),
  ...tables.losses.filter((r) => r.part === part).map((r): [string, RowCase] => [`loss ${r.name}`, { loss: r.name as RowCase['loss'] }]),
  ...tables.metrics.filter((r) => r.part === part).map((r): [string, RowCase] => [`metric ${r.name}`, { metric: r.name as RowCase['metric'] }]),
  ...tables.optimizers.filter((r) => r.part === part).map((r): [string, RowCase] => [`optimizer ${r.name}`, { optimizer: r.name }]),
  ...tables.schedules.filter((r) => r.part === part).map((r): [string, RowCase] => [`schedule ${r.name}`, { schedule: r.name }]),
];

test('every core activation, initializer, loss, metric, optimizer and schedule trains without reading the second module', async () => {
  const nn = await freshLibrary();
  const cases = rowCases(nn.engineTables(), 'core');
  // The first module keeps what TF.js's guides use: a table without core rows would be a mistake.
  expect(cases.map(([name]) => name)).toEqual(expect.arrayContaining(['activation relu', 'activation softmax', 'initializer glorotUniform', 'loss meanSquaredError', 'loss categoricalCrossentropy', 'metric accuracy', 'optimizer adam', 'optimizer sgd']));
  for (const [name, c] of cases) {
    const { loss } = await trainWith(nn, c);
    expect(loss.every(Number.isFinite), name).toBe(true);
  }
  expect(extraReads()).toEqual([]);
});

test('every extra activation, initializer, loss, metric, optimizer and schedule loads the second module as the model names it, once, and trains', async () => {
  const tables = (await freshLibrary()).engineTables();
  const cases = rowCases(tables, 'extra');
  expect(cases.length).toBeGreaterThan(0);
  for (const [name, c] of cases) {
    vi.resetModules();
    reads = [];
    const nn = await freshLibrary();
    await nn.setBackend('wasm'); // the engine's first module only
    expect(extraReads(), name).toEqual([]);
    const { loss, readsAtCompile } = await trainWith(nn, c);
    // Read when the layer or compile() named the row, not on the spot by the first call of its code.
    expect(readsAtCompile, name).toBe(1);
    expect(loss.every(Number.isFinite), name).toBe(true);
    expect(extraReads(), name).toHaveLength(1);
  }
});

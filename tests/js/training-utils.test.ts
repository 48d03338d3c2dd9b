// Issue 10's training utilities against TF.js 4.22 (cpu): fit's classWeight, trainOnBatch,
// initialEpoch and yieldEvery, nn.data (array, generator, zip and the Dataset methods),
// fitDataset / evaluateDataset, summary() text, and setBackend / getBackend. Every parity case
// runs the same program on both libraries from the same initial weights (copied from nnplay's
// model into TF.js's with setWeights) and the same data in the same order.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { beforeAll, describe, expect, test } from 'vitest';
import { xorshift } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-4, atol = 1e-6): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) throw new Error(`index ${i}: ${a[i]} vs ${b[i]}`);
  }
}

/** The same 4 → 6 → units network in either library, named so summaries can be compared. */
function mlp(lib: Lib, units: number, activation: string, inputs = 4): Lib {
  return lib.sequential({
    layers: [
      lib.layers.dense({ inputShape: [inputs], units: 6, activation: 'tanh', name: 'hidden' }),
      lib.layers.dense({ units, activation, name: 'out' }),
    ],
  });
}

/** An nnplay model and a TF.js model holding the same weights. */
function pair(units: number, activation: string, inputs = 4): { ours: nn.LayersModel; theirs: tf.LayersModel } {
  const ours = mlp(nn, units, activation, inputs);
  const theirs = mlp(tf, units, activation, inputs);
  theirs.setWeights(ours.getWeights().map((w: nn.Tensor) => tf.tensor(w.dataSync() as Float32Array, w.shape as number[])));
  return { ours, theirs };
}

function data(n: number, inputs: number, classes: number, seed: number): { x: Float32Array; labels: number[] } {
  const rand = xorshift(seed);
  const x = Float32Array.from({ length: n * inputs }, () => rand() * 2 - 1);
  // Unbalanced on purpose: class 0 is twice as common (what classWeight is for).
  const labels = Array.from({ length: n }, (_, i) => (i % (classes + 1) === classes ? 0 : i % (classes + 1)) % classes);
  return { x, labels };
}

const weightsOf = (m: Lib): Float32Array[] => m.getWeights().map((w: Lib) => w.dataSync() as Float32Array);

describe('fit({classWeight}) weighs each sample by its class, as TF.js', () => {
  const cases: { name: string; units: number; activation: string; loss: string; target: (lib: Lib, labels: number[]) => Lib }[] = [
    { name: 'sparse targets [n] (sparseCategoricalCrossentropy)', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', target: (lib, l) => lib.tensor1d(l) },
    { name: 'sparse targets [n, 1]', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', target: (lib, l) => lib.tensor2d(l, [l.length, 1]) },
    { name: 'one-hot targets (categoricalCrossentropy)', units: 3, activation: 'softmax', loss: 'categoricalCrossentropy', target: (lib, l) => lib.oneHot(lib.tensor1d(l, 'int32'), 3).cast('float32') },
    { name: 'binary targets [n, 1] (binaryCrossentropy)', units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', target: (lib, l) => lib.tensor2d(l.map((c) => c % 2), [l.length, 1]) },
  ];
  test.each(cases)('$name: same losses and weights over 3 epochs', async (c) => {
    const { ours, theirs } = pair(c.units, c.activation);
    const { x, labels } = data(24, 4, c.units === 1 ? 2 : 3, 5);
    const classWeight = c.units === 1 ? { 0: 0.5, 1: 3 } : { 0: 0.5, 1: 2, 2: 4 };
    const run = async (lib: Lib, m: Lib) => {
      m.compile({ optimizer: lib.train.sgd(0.3), loss: c.loss, metrics: ['accuracy'] });
      const h = await m.fit(lib.tensor2d(x, [24, 4]), c.target(lib, labels), { epochs: 3, batchSize: 8, shuffle: false, classWeight, validationSplit: 0.25 });
      return h.history;
    };
    const h1 = await run(nn, ours), h2 = await run(tf, theirs);
    close(h1.loss, h2.loss);
    close(h1.acc, h2.acc);
    close(h1.val_loss, h2.val_loss); // validation is unweighted in both
    weightsOf(ours).forEach((w, i) => close(w, weightsOf(theirs)[i]));
    ours.dispose();
  });

  test('a class weight changes the loss as w·loss per sample (mean over the batch, not over Σw)', async () => {
    const run = async (classWeight?: Record<number, number>) => {
      const m = mlp(nn, 3, 'softmax');
      m.setWeights(pair(3, 'softmax').ours.getWeights().map((w) => nn.fill(w.shape as number[], 0.1)));
      m.compile({ optimizer: nn.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
      const h = await m.fit(nn.tensor2d(new Float32Array(12).fill(0.5), [3, 4]), nn.tensor1d([0, 1, 2]), { epochs: 1, batchSize: 3, shuffle: false, classWeight });
      m.dispose();
      return h.history.loss[0];
    };
    const plain = await run();
    // Equal outputs for every class at these weights: each sample's loss is log 3.
    expect(plain).toBeCloseTo(Math.log(3), 5);
    expect(await run({ 0: 1, 1: 2, 2: 3 })).toBeCloseTo((Math.log(3) * (1 + 2 + 3)) / 3, 5);
    expect(await run({ 0: 0, 1: 0, 2: 3 })).toBeCloseTo(Math.log(3), 5);
  });

  test('bad classWeight: clear errors naming the class', async () => {
    const m = mlp(nn, 3, 'softmax');
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const xs = nn.tensor2d(new Float32Array(12), [3, 4]), ys = nn.tensor1d([0, 1, 2]);
    await expect(m.fit(xs, ys, { classWeight: { 0: 1, 1: 1 } })).rejects.toThrow(/classWeight must contain all classes in the training data\. The class 2 exists in the data \(sample 2\) but not in classWeight/);
    await expect(m.fit(xs, ys, { classWeight: { 0: 1, 1: 1, 2: 1, 5: 2 } })).rejects.toThrow(/classWeight names class 5, which does not exist: output "out" has 3 units \(classes 0\.\.2\)/);
    await expect(m.fit(xs, ys, { classWeight: { 0: 1, 1: 1, 2: NaN } })).rejects.toThrow(/classWeight\[2\] must be a finite number, got NaN/);
    await expect(m.fit(xs, ys, { classWeight: { a: 1 } as unknown as Record<number, number> })).rejects.toThrow(/classWeight has the key "a"; keys are class indices 0\.\.2/);
    await expect(m.fit(xs, ys, { classWeight: [{ 0: 1 }, { 0: 1 }] })).rejects.toThrow(/classWeight is a list of 2, but the model has 1 output/);
    const reg = mlp(nn, 1, 'linear');
    reg.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(reg.fit(xs, nn.tensor2d([[0.5], [1], [0]]), { classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(/sample 0 has the target 0\.5, which is not a class index 0\.\.1/);
    m.dispose();
    reg.dispose();
  });
});

describe('trainOnBatch, initialEpoch, yieldEvery', () => {
  test('trainOnBatch returns the loss before the step ([loss, acc] with a metric) and trains as TF.js', async () => {
    const { ours, theirs } = pair(3, 'softmax');
    const { x, labels } = data(10, 4, 3, 8);
    const results: [Lib, Lib][] = [];
    for (const [lib, m] of [[nn, ours], [tf, theirs]] as [Lib, Lib][]) {
      m.compile({ optimizer: lib.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const xs = lib.tensor2d(x, [10, 4]), ys = lib.tensor1d(labels);
      const first = await m.trainOnBatch(xs, ys);
      const second = await m.trainOnBatch(xs, ys);
      results.push([first, second]);
    }
    expect(Array.isArray(results[0][0])).toBe(true);
    close(results[0][0], results[1][0]);
    close(results[0][1], results[1][1]);
    weightsOf(ours).forEach((w, i) => close(w, weightsOf(theirs)[i]));
    const loss = mlp(nn, 1, 'linear');
    loss.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(typeof (await loss.trainOnBatch(nn.tensor2d(x, [10, 4]), nn.zeros([10, 1])))).toBe('number');
    await expect(loss.trainOnBatch(nn.tensor2d(x, [10, 4]), nn.zeros([9, 1]))).rejects.toThrow(/trainOnBatch\(\): ys must have shape \[10, 1\] or \[10\], got \[9,1\]/);
    await expect(loss.trainOnBatch(nn.tensor2d([[0, 0, NaN, 0]]), nn.zeros([1, 1]))).rejects.toThrow(/trainOnBatch\(\): xs contains NaN at index 2 \(sample 0, feature 2\)/);
    ours.dispose();
    loss.dispose();
  });

  test('initialEpoch: epochs counted from it, in history and callbacks, as TF.js', async () => {
    const seen: Record<string, number[]> = { nn: [], tf: [] };
    const hist: Record<string, Lib> = {};
    const { ours, theirs } = pair(1, 'linear');
    for (const [key, lib, m] of [['nn', nn, ours], ['tf', tf, theirs]] as [string, Lib, Lib][]) {
      m.compile({ optimizer: lib.train.sgd(0.1), loss: 'meanSquaredError' });
      const { x } = data(8, 4, 2, 3);
      hist[key] = await m.fit(lib.tensor2d(x, [8, 4]), lib.ones([8, 1]), {
        epochs: 5, initialEpoch: 2, batchSize: 4, shuffle: false, yieldEvery: 'never',
        callbacks: { onEpochBegin: (e: number) => void seen[key].push(e) },
      });
    }
    expect(seen.nn).toEqual([2, 3, 4]);
    expect(seen.nn).toEqual(seen.tf);
    expect(hist.nn.epoch).toEqual(hist.tf.epoch);
    close(hist.nn.history.loss, hist.tf.history.loss);
    ours.dispose();
  });

  test("yieldEvery takes TF.js's values and refuses others", async () => {
    const m = mlp(nn, 1, 'linear');
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = nn.zeros([4, 4]), ys = nn.zeros([4, 1]);
    for (const yieldEvery of ['auto', 'batch', 'epoch', 'never', 25] as const) {
      expect((await m.fit(xs, ys, { epochs: 2, yieldEvery })).epoch).toEqual([0, 1]);
    }
    await expect(m.fit(xs, ys, { yieldEvery: 'often' as 'auto' })).rejects.toThrow(/yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0, got the string "often"/);
    // A task queued before fit runs between epochs unless yieldEvery is 'never'. (A task, not a
    // timer: 30 epochs of 4 samples can all end within a timer's 1 ms.)
    const ticksDuring = async (yieldEvery: 'epoch' | 'never') => {
      let ticks = 0;
      let running = true;
      const tick = () => {
        if (!running) return;
        ticks++;
        setImmediate(tick);
      };
      setImmediate(tick);
      await m.fit(xs, ys, { epochs: 30, yieldEvery });
      running = false;
      return ticks;
    };
    expect(await ticksDuring('epoch')).toBeGreaterThan(0);
    expect(await ticksDuring('never')).toBe(0);
    m.dispose();
  });
});

describe('nn.data as tf.data', () => {
  /** A dataset pipeline's elements as plain numbers (tensors read out). */
  async function plain(ds: Lib): Promise<unknown[]> {
    const read = (v: unknown): unknown => {
      if (v && typeof v === 'object' && 'dataSync' in v) return { shape: (v as Lib).shape, values: Array.from((v as Lib).dataSync() as Float32Array) };
      if (Array.isArray(v)) return v.map(read);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, read(x)]));
      return v;
    };
    return (await ds.toArray()).map(read);
  }
  const pipelines: [string, (lib: Lib) => Lib][] = [
    ['array of numbers, batch 3', (lib) => lib.data.array([1, 2, 3, 4, 5, 6, 7]).batch(3)],
    ['batch dropping the small last batch', (lib) => lib.data.array([1, 2, 3, 4, 5, 6, 7]).batch(3, false)],
    ['array of number arrays, map, batch', (lib) => lib.data.array([[1, 2], [3, 4], [5, 6]]).map((r: number[]) => r.map((v) => v * 10)).batch(2)],
    ['array of objects of tensors, batch', (lib) => lib.data.array([0, 1, 2, 3].map((i) => ({ xs: lib.tensor1d([i, i + 1]), ys: lib.tensor1d([i % 2]) }))).batch(2)],
    ['generator, take, skip', (lib) => lib.data.generator(function* () { for (let i = 0; i < 10; i++) yield i; }).skip(2).take(5)],
    ['repeat(2) then batch', (lib) => lib.data.array([1, 2, 3]).repeat(2).batch(4)],
    ['zip of objects, batch', (lib) => lib.data.zip({ xs: lib.data.array([[1, 1], [2, 2], [3, 3]]), ys: lib.data.array([[0], [1], [0]]) }).batch(2)],
    ['zip of an array, the shorter ends it', (lib) => lib.data.zip([lib.data.array([1, 2, 3]), lib.data.array([4, 5])])],
    ['filter and concatenate', (lib) => lib.data.array([1, 2, 3, 4]).filter((v: number) => v % 2 === 0).concatenate(lib.data.array([9]))],
  ];
  test.each(pipelines)('%s: the same elements as tf.data', async (_name, make) => {
    expect(await plain(make(nn))).toEqual(await plain(make(tf)));
    const a = make(nn), b = make(tf);
    expect(a.size).toBe(b.size);
  });

  test('iterator(), forEachAsync and an endless repeat with take, as TF.js', async () => {
    const it = await nn.data.array([1, 2]).iterator();
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await it.next()).toEqual({ value: null, done: true });
    const seen: number[] = [];
    await nn.data.array([3, 4]).forEachAsync((v) => void seen.push(v));
    expect(seen).toEqual([3, 4]);
    const endless = nn.data.array([1, 2]).repeat();
    expect(endless.size).toBe(Infinity);
    expect(await endless.take(5).toArray()).toEqual([1, 2, 1, 2, 1]);
    await expect(endless.toArray()).rejects.toThrow(/the dataset is endless/);
    // An empty pass repeated forever ends instead of spinning.
    expect(await nn.data.generator(function* () {}).repeat().take(3).toArray()).toEqual([]);
  });

  test('shuffle: a seeded window shuffle, the same order for the same seed, a new one each pass', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const ds = nn.data.array(items).shuffle(50, 42);
    const p1 = await ds.toArray(), p2 = await ds.toArray();
    expect([...p1].sort((a, b) => a - b)).toEqual(items);
    expect(p1).not.toEqual(items);
    expect(p2).not.toEqual(p1); // reshuffleEachIteration (default true)
    const again = nn.data.array(items).shuffle(50, 42);
    expect(await again.toArray()).toEqual(p1);
    expect(await again.toArray()).toEqual(p2);
    const fixed = nn.data.array(items).shuffle(50, 'seed', false);
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
    // A window of 1 keeps the order; a window of 5 moves no element more than... backwards 4.
    expect(await nn.data.array(items).shuffle(1, 3).toArray()).toEqual(items);
    (await nn.data.array(items).shuffle(5, 3).toArray()).forEach((v, i) => expect(v).toBeLessThanOrEqual(i + 4));
    expect(() => nn.data.array(items).shuffle(0)).toThrow(/bufferSize must be an integer >= 1, got 0/);
  });

  test('bad input: clear errors', async () => {
    expect(() => nn.data.array(3 as unknown as number[])).toThrow(/data\.array\(\): items must be an array, got 3/);
    expect(() => nn.data.zip([nn.data.array([1]), 5] as unknown as nn.Dataset[])).toThrow(/datasets\[1\] is 5; the leaves of the structure passed to zip\(\) must be Datasets/);
    await expect(nn.data.generator((() => 5) as unknown as () => Iterator<number>).toArray()).rejects.toThrow(/must return an iterator/);
    await expect(nn.data.array([nn.tensor1d([1, 2]), nn.tensor1d([1, 2, 3])]).batch(2).toArray()).rejects.toThrow(/element of element 1 has shape \[3\], the first element's \[2\]/);
    await expect(nn.data.array([{ xs: 1 }, { ys: 2 }]).batch(2).toArray()).rejects.toThrow(/element 1 does not have the keys of the first element's \(xs\)/);
  });
});

describe('fitDataset and evaluateDataset, as TF.js', () => {
  /** {xs, ys} batches of 5 over 20 samples, no shuffle: the same batches in both. */
  function batches(lib: Lib, x: Float32Array, labels: number[]): Lib {
    const rows = labels.map((l, i) => ({ xs: Array.from(x.subarray(i * 4, i * 4 + 4)), ys: l }));
    return lib.data.array(rows).map((r: { xs: number[]; ys: number }) => ({ xs: r.xs, ys: r.ys })).batch(5);
  }

  test('epochs, batch figures, tensor and dataset validation: same history and weights', async () => {
    const { ours, theirs } = pair(3, 'softmax');
    const { x, labels } = data(20, 4, 3, 11);
    const { x: vx, labels: vl } = data(10, 4, 3, 12);
    const out: Record<string, { h: Lib; batches: number[]; ev: number[] }> = {};
    for (const [key, lib, m] of [['nn', nn, ours], ['tf', tf, theirs]] as [string, Lib, Lib][]) {
      m.compile({ optimizer: lib.train.sgd(0.2), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const batchLosses: number[] = [];
      const h1 = await m.fitDataset(batches(lib, x, labels), {
        epochs: 2, verbose: 0, validationData: [lib.tensor2d(vx, [10, 4]), lib.tensor1d(vl)],
        callbacks: { onBatchEnd: (_b: number, logs: Lib) => void batchLosses.push(logs.loss) },
      });
      const h2 = await m.fitDataset(batches(lib, x, labels).repeat(), { epochs: 3, initialEpoch: 1, batchesPerEpoch: 3, verbose: 0, validationData: batches(lib, vx, vl) });
      const ev = await m.evaluateDataset(batches(lib, vx, vl), {});
      out[key] = { h: { h1: h1.history, e1: h1.epoch, h2: h2.history, e2: h2.epoch }, batches: batchLosses, ev: ev.map((t: Lib) => t.dataSync()[0]) };
    }
    const [a, b] = [out.nn, out.tf];
    expect(a.h.e1).toEqual(b.h.e1);
    expect(a.h.e2).toEqual(b.h.e2);
    expect(Object.keys(a.h.h1).sort()).toEqual(Object.keys(b.h.h1).sort());
    for (const k of Object.keys(b.h.h1)) close(a.h.h1[k], b.h.h1[k]);
    for (const k of Object.keys(b.h.h2)) close(a.h.h2[k], b.h.h2[k]);
    expect(a.batches.length).toBe(8);
    close(a.batches, b.batches);
    close(a.ev, b.ev);
    weightsOf(ours).forEach((w, i) => close(w, weightsOf(theirs)[i]));
    ours.dispose();
  });

  test('classWeight in fitDataset weighs the batches as in fit', async () => {
    const { ours, theirs } = pair(3, 'softmax');
    const { x, labels } = data(20, 4, 3, 13);
    const losses: number[][] = [];
    for (const [lib, m] of [[nn, ours], [tf, theirs]] as [Lib, Lib][]) {
      m.compile({ optimizer: lib.train.sgd(0.2), loss: 'sparseCategoricalCrossentropy' });
      losses.push((await m.fitDataset(batches(lib, x, labels), { epochs: 2, verbose: 0, classWeight: { 0: 1, 1: 3, 2: 0.5 } })).history.loss);
    }
    close(losses[0], losses[1]);
    ours.dispose();
  });

  test('elements as [xs, ys], a stopTraining callback, a dataset that runs dry with batchesPerEpoch', async () => {
    const m = mlp(nn, 1, 'linear');
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const ds = nn.data.zip([nn.data.array([nn.tensor1d([1, 2, 3, 4]), nn.zeros([4])]), nn.data.array([nn.tensor1d([1]), nn.zeros([1])])]).batch(1);
    expect((await m.fitDataset(ds, { epochs: 2 })).epoch).toEqual([0, 1]);
    const stop = await m.fitDataset(ds, { epochs: 5, callbacks: { onEpochEnd: (e: number) => void (e === 1 && (m.stopTraining = true)) } });
    expect(stop.epoch).toEqual([0, 1]);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (s: string) => void warnings.push(s);
    try {
      const dry = await m.fitDataset(ds, { epochs: 4, batchesPerEpoch: 3 });
      expect(dry.epoch).toEqual([0]);
    } finally {
      console.warn = warn;
    }
    expect(warnings[0]).toMatch(/your dataset iterator ran out of data after 2 batches; interrupting training/);
    m.dispose();
  });

  test('tensor counts follow tf.data: array clones, batch and map dispose their inputs, fitDataset consumes its batches', async () => {
    const deltas = async (lib: Lib) => {
      const m = lib.sequential({ layers: [lib.layers.dense({ inputShape: [2], units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const count = () => lib.memory().numTensors;
      const out: number[] = [];
      let last = count();
      const step = () => {
        out.push(count() - last);
        last = count();
      };
      const ds = lib.data.array([[1, 2], [3, 4], [5, 6], [7, 8]]).map((p: number[]) => ({ xs: p, ys: [1] })).batch(2);
      await m.fitDataset(ds, { epochs: 2, verbose: 0 });
      step();
      const sources = [0, 1, 2, 3].map((i) => ({ xs: lib.tensor1d([i, i]), ys: lib.tensor1d([1]) }));
      step();
      const ds2 = lib.data.array(sources).map((e: Lib) => ({ xs: e.xs.mul(2), ys: e.ys })).batch(2);
      await m.fitDataset(ds2, { epochs: 2, verbose: 0 });
      step();
      await lib.data.array([1, 2, 3, 4]).batch(2).toArray();
      step();
      await lib.data.array(sources).skip(1).filter((e: Lib) => e.ys.dataSync()[0] > 0).take(2).toArray();
      step();
      await m.evaluateDataset(ds, {});
      step();
      expect(sources.every((e) => !e.xs.isDisposed)).toBe(true); // array() handed out clones
      return out;
    };
    expect(await deltas(nn)).toEqual(await deltas(tf));
  });

  test('bad datasets: unbatched elements, wrong shapes, wrong element form, missing epochs', async () => {
    const m = mlp(nn, 1, 'linear');
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const unbatched = nn.data.zip({ xs: nn.data.array([nn.tensor1d([1, 2, 3, 4])]), ys: nn.data.array([nn.tensor1d([1])]) });
    await expect(m.fitDataset(unbatched, { epochs: 1 })).rejects.toThrow(/fitDataset\(\) \(epoch 1, batch 0\): the dataset yields single samples \(xs of shape \[4\], the model's input shape\): batch them first, e\.g\. dataset\.batch\(32\)/);
    const wrong = nn.data.zip({ xs: nn.data.array([[1, 2, 3]]), ys: nn.data.array([[1]]) }).batch(1);
    await expect(m.fitDataset(wrong, { epochs: 1 })).rejects.toThrow(/fitDataset\(\) \(epoch 1, batch 0\): xs must have shape \[samples, 4\] \(this model's inputShape is \[4\]\), got \[1,3\]/);
    await expect(m.fitDataset(nn.data.array([1, 2]).batch(2), { epochs: 1 })).rejects.toThrow(/the dataset yielded a Tensor; fitDataset\(\) needs elements \{xs, ys\} \(or \[xs, ys\]\)/);
    await expect(m.fitDataset(nn.data.array([]), { epochs: 1 })).rejects.toThrow(/the dataset yielded no batch in epoch 1/);
    await expect(m.fitDataset(wrong, {} as nn.FitDatasetArgs)).rejects.toThrow(/epochs \(required\) must be an integer >= 1, got undefined/);
    await expect(m.fitDataset(wrong, { epochs: 1, validationSplit: 0.2 } as nn.FitDatasetArgs)).rejects.toThrow(/validationSplit is not supported by fitDataset\(\)/);
    await expect(m.fitDataset([1, 2] as unknown as nn.Dataset, { epochs: 1 })).rejects.toThrow(/must be an nn\.data Dataset/);
    m.dispose();
  });
});

describe('summary() prints what TF.js prints', () => {
  function linesOf(m: Lib, ...args: unknown[]): string[] {
    const lines: string[] = [];
    m.summary(...args, (l: string) => lines.push(l));
    return lines;
  }
  test('a Sequential, line for line (also with lineLength)', () => {
    const build = (lib: Lib) =>
      lib.sequential({
        layers: [
          lib.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }),
          lib.layers.batchNormalization({ name: 'bn' }),
          lib.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
          lib.layers.flatten({ name: 'flat' }),
          lib.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
        ],
      });
    const ours = build(nn), theirs = build(tf);
    expect(linesOf(ours, undefined, undefined)).toEqual(linesOf(theirs, undefined, undefined));
    expect(linesOf(ours, 60, undefined)).toEqual(linesOf(theirs, 60, undefined));
    expect(linesOf(ours, 100, [0.4, 0.6, 0.8, 1])).toEqual(linesOf(theirs, 100, [0.4, 0.6, 0.8, 1]));
    // printFn alone (nnplay's older form) and the default console.log.
    const alone: string[] = [];
    ours.summary((l: string) => alone.push(l));
    expect(alone).toEqual(linesOf(theirs, undefined, undefined));
    const log = console.log;
    const printed: string[] = [];
    console.log = (l: string) => void printed.push(l);
    try {
      ours.summary();
    } finally {
      console.log = log;
    }
    expect(printed).toEqual(alone);
    ours.dispose();
  });

  test('functional models: inputs, merges and a shared layer with TF.js\'s "Receives inputs"; a functional chain as a chain', () => {
    const build = (lib: Lib) => {
      const a = lib.input({ shape: [4], name: 'a' });
      const b = lib.input({ shape: [3], name: 'b' });
      const ha = lib.layers.dense({ units: 6, activation: 'tanh', name: 'ha' }).apply(a);
      const hb = lib.layers.dense({ units: 6, name: 'hb' }).apply(b);
      const cat = lib.layers.concatenate({ name: 'cat' }).apply([ha, hb]);
      const shared = lib.layers.dense({ units: 6, name: 'shared' });
      const sum = lib.layers.add({ name: 'sum' }).apply([shared.apply(ha), shared.apply(hb)]);
      const out = lib.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(cat);
      return lib.model({ inputs: [a, b], outputs: [out, sum] });
    };
    expect(linesOf(build(nn), undefined, undefined)).toEqual(linesOf(build(tf), undefined, undefined));
    const chain = (lib: Lib) => {
      const x = lib.input({ shape: [5], name: 'x' });
      return lib.model({ inputs: x, outputs: lib.layers.dense({ units: 2, name: 'd' }).apply(lib.layers.dense({ units: 3, name: 'c' }).apply(x)) });
    };
    expect(linesOf(chain(nn), undefined, undefined)).toEqual(linesOf(chain(tf), undefined, undefined));
  });
});

describe('setBackend / getBackend / backend', () => {
  test("nnplay's one engine answers for 'cpu' and 'wasm', not for GPU backends, and never switches", async () => {
    expect(nn.getBackend()).toBe('nnplay-wasm');
    expect(await nn.setBackend('wasm')).toBe(true);
    expect(await nn.setBackend('cpu')).toBe(true);
    expect(await nn.setBackend('nnplay-wasm')).toBe(true);
    expect(await nn.setBackend('webgl')).toBe(false);
    expect(await nn.setBackend('webgpu')).toBe(false);
    expect(nn.getBackend()).toBe('nnplay-wasm');
    expect(nn.backend()).toEqual({ name: 'nnplay-wasm', simd: true, threads: false, threadsCount: 1 }); // Node: one thread
    await expect(nn.setBackend('gpu')).rejects.toThrow(/backend the string "gpu" is not known; nnplay runs on its own engine \('nnplay-wasm'\)/);
    await nn.ready();
  });
});

// nn.datasets: the bundled MNIST and Fashion-MNIST as a user loads them in Node (the files next
// to dist/lib): sizes, shapes, value ranges, class names and balance, the memo, the clear Error
// a corrupt, truncated or missing asset gets (baseUrl pointing at a damaged copy), the bytes path
// into a session dataset, and the accuracy floor: the Keras MNIST MLP, 2 epochs, ≥ 90 %
// on the 2,000 held-out digits.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/lib/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nnplay-datasets-'));
const loaded: nn.ImageDataset[] = [];

beforeAll(async () => {
  await nn.ready();
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const d of loaded) for (const s of [d.train, d.test]) (s.xs.dispose(), s.ys.dispose());
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** Every check a split must pass: shapes, xs = images / 255 exactly, ys = labels. */
function checkSplit(s: nn.ImageSplit, n: number): void {
  expect(s.n).toBe(n);
  expect(s.xs.shape).toEqual([n, 28, 28, 1]);
  expect(s.ys.shape).toEqual([n]);
  expect(s.images.length).toBe(n * 784);
  expect(s.labels.length).toBe(n);
  const x = s.xs.values();
  const y = s.ys.values();
  let min = Infinity;
  let max = -Infinity;
  let mismatches = 0;
  for (let i = 0; i < x.length; i++) {
    min = Math.min(min, x[i]);
    max = Math.max(max, x[i]);
    if (x[i] !== Math.fround(s.images[i] / 255)) mismatches++;
  }
  expect(mismatches).toBe(0);
  expect(min).toBe(0);
  expect(max).toBe(1);
  for (let i = 0; i < n; i++) if (y[i] !== s.labels[i]) throw new Error(`ys[${i}] = ${y[i]} but labels[${i}] = ${s.labels[i]}`);
  // Real images, not blanks: a digit or garment covers a good part of its 28 x 28 frame.
  let lit = 0;
  for (const p of s.images) if (p > 0) lit++;
  expect(lit / s.images.length).toBeGreaterThan(0.15);
}

describe('MNIST', () => {
  test('8,000 train / 2,000 test digits, 28 x 28 in 0..1, classes 0..9, every class in both splits', async () => {
    const progress: Array<[number, number]> = [];
    const d = await nn.datasets.mnist({ onProgress: (a, b) => progress.push([a, b]) });
    loaded.push(d);
    expect(d.name).toBe('mnist');
    expect(d.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([d.height, d.width, d.channels]).toEqual([28, 28, 1]);
    checkSplit(d.train, 8000);
    checkSplit(d.test, 2000);
    // Stratified: each class is split 80/20 (the npm package has 863..1127 per class).
    const train = classCounts(d.train.labels);
    const test = classCounts(d.test.labels);
    for (let c = 0; c < 10; c++) {
      expect(train[c]).toBeGreaterThan(650);
      expect(test[c] / (train[c] + test[c])).toBeCloseTo(0.2, 2);
    }
    // Shuffled: the first 100 training digits are not one class.
    expect(new Set(d.train.labels.subarray(0, 100)).size).toBe(10);
    // Progress ends at its total, which is the gzipped size of the four files.
    const [last, total] = progress[progress.length - 1];
    expect(last).toBe(total);
    expect(total).toBeGreaterThan(1e6);
    expect(progress.every(([a], i) => i === 0 || a >= progress[i - 1][0])).toBe(true);
  });

  test('a second call is served from the memo: the same tensors, no new bytes; new tensors after dispose', async () => {
    const first = await nn.datasets.mnist();
    const progress: number[] = [];
    const again = await nn.datasets.mnist({ onProgress: (a) => progress.push(a) });
    expect(again.train.xs).toBe(first.train.xs);
    expect(again.test.ys).toBe(first.test.ys);
    expect(again.train.images).toBe(first.train.images);
    expect(progress.length).toBe(1); // only the final "done"
    const before = first.test.xs.dataSync();
    first.test.xs.dispose();
    const rebuilt = await nn.datasets.mnist();
    expect(rebuilt.test.xs).not.toBe(first.test.xs);
    expect(rebuilt.test.ys).toBe(first.test.ys); // still alive: kept
    const after = rebuilt.test.xs.values();
    expect(after.length).toBe(before.length);
    expect(after.every((v, i) => v === before[i])).toBe(true);
    loaded.push(rebuilt);
  });

  test('bad options are named', async () => {
    await expect(nn.datasets.mnist({ subset: true } as never)).rejects.toThrow(/unknown option "subset"; allowed: onProgress, baseUrl/);
    await expect(nn.datasets.fashionMnist({ subset: 'yes' } as never)).rejects.toThrow(/subset must be true or false/);
    await expect(nn.datasets.mnist({ onProgress: 3 } as never)).rejects.toThrow(/onProgress must be a function/);
  });
});

describe('Fashion-MNIST', () => {
  test('the subset: 10,000 train (1,000 per class) and the full 10,000 test, with the garment names', async () => {
    const d = await nn.datasets.fashionMnist({ subset: true });
    loaded.push(d);
    expect(d.name).toBe('fashionMnistSubset');
    expect(d.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    checkSplit(d.train, 10000);
    checkSplit(d.test, 10000);
    expect(classCounts(d.train.labels)).toEqual(new Array(10).fill(1000));
    expect(classCounts(d.test.labels)).toEqual(new Array(10).fill(1000));
  });

  test('the full set: 60,000 train (6,000 per class) and the same test split as the subset', async () => {
    const d = await nn.datasets.fashionMnist();
    loaded.push(d);
    expect(d.name).toBe('fashionMnist');
    checkSplit(d.train, 60000);
    expect(classCounts(d.train.labels)).toEqual(new Array(10).fill(6000));
    const subset = await nn.datasets.fashionMnist({ subset: true });
    expect(d.test.xs).toBe(subset.test.xs); // one file, loaded once
  }, 60_000);
});

describe('damaged assets give an Error naming the file and the fault', () => {
  // A copy of the MNIST assets in a directory of their own, with one file changed.
  function copyWith(dir: string, change?: (files: Record<string, Buffer>) => void): string {
    const out = join(tmp, dir);
    const names = ['datasets.json', 'mnist-train-images.idx3-ubyte.gz', 'mnist-train-labels.idx1-ubyte.gz', 'mnist-test-images.idx3-ubyte.gz', 'mnist-test-labels.idx1-ubyte.gz'];
    const files: Record<string, Buffer> = {};
    for (const n of names) files[n] = readFileSync(join(dist, n));
    change?.(files);
    mkdirSync(out, { recursive: true });
    for (const n of names) if (files[n]) writeFileSync(join(out, n), files[n]);
    return out;
  }

  test('an intact copy under baseUrl loads (the control case)', async () => {
    const d = await nn.datasets.mnist({ baseUrl: copyWith('intact') });
    loaded.push(d);
    expect(d.test.n).toBe(2000);
  });

  test('one changed pixel (valid gzip, valid IDX): checksum mismatch', async () => {
    const dir = copyWith('flipped', (f) => {
      const idx = gunzipSync(f['mnist-test-images.idx3-ubyte.gz']);
      idx[idx.length - 400] ^= 0x10;
      f['mnist-test-images.idx3-ubyte.gz'] = gzipSync(idx);
    });
    await expect(nn.datasets.mnist({ baseUrl: dir })).rejects.toThrow(/IDX file mnist-test-images\.idx3-ubyte: checksum mismatch/);
  });

  test('a truncated download: the gzip stream is cut', async () => {
    const dir = copyWith('truncated', (f) => {
      const gz = f['mnist-train-labels.idx1-ubyte.gz'];
      f['mnist-train-labels.idx1-ubyte.gz'] = gz.subarray(0, gz.length - 100);
    });
    await expect(nn.datasets.mnist({ baseUrl: dir })).rejects.toThrow(/mnist-train-labels\.idx1-ubyte\.gz .*(truncated|not a valid gzip)/);
  });

  test('a missing file', async () => {
    const dir = copyWith('missing', (f) => {
      delete (f as Partial<Record<string, Buffer>>)['mnist-test-labels.idx1-ubyte.gz'];
    });
    await expect(nn.datasets.mnist({ baseUrl: dir })).rejects.toThrow(/cannot read mnist-test-labels\.idx1-ubyte\.gz/);
  });

  test('a manifest whose checksum and size match a damaged header: the IDX reader names the fault', async () => {
    const dir = copyWith('header', (f) => {
      const idx = gunzipSync(f['mnist-test-images.idx3-ubyte.gz']);
      idx.writeUInt32BE(1999, 4); // 1,999 images in the header, 2,000 in the file: oversized
      f['mnist-test-images.idx3-ubyte.gz'] = gzipSync(idx);
      const m = JSON.parse(f['datasets.json'].toString());
      m.files['mnist-test-images.idx3-ubyte.gz'].crc32 = crc32(idx);
      f['datasets.json'] = Buffer.from(JSON.stringify(m));
    });
    await expect(nn.datasets.mnist({ baseUrl: dir })).rejects.toThrow(/IDX file mnist-test-images\.idx3-ubyte: oversized: dimensions \[1999, 28, 28\]/);
  });
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The MNIST MLP of the Keras primer (the page's "MLP (Keras example)" preset). */
function mlp(seed: number): nn.Sequential {
  const model = nn.sequential({
    layers: [
      nn.layers.flatten({ inputShape: [28, 28, 1] }),
      nn.layers.dense({ units: 128, activation: 'relu' }),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
    seed,
  });
  model.compile({ optimizer: nn.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('the Keras MNIST MLP trained 2 epochs on the 8,000 reaches >= 90 % on the 2,000 held out', async () => {
  const { train, test } = await nn.datasets.mnist();
  const model = mlp(7);
  const history = await model.fit(train.xs, train.ys, { epochs: 2, batchSize: 32, shuffle: true });
  const [loss, acc] = model.evaluate(test.xs, test.ys) as nn.Tensor[];
  const accuracy = acc.dataSync()[0];
  loss.dispose();
  acc.dispose();
  model.dispose();
  expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
  expect(accuracy).toBeGreaterThanOrEqual(0.9);
});

test('TrainingSession.loadImages: the bytes go in, the same dataset as the float tensors comes out', async () => {
  const { test: split } = await nn.datasets.mnist();
  const model = mlp(3);
  const session = model.trainingSession();
  const fromBytes = session.loadImages({ images: split.images, labels: split.labels, n: split.n, height: 28, width: 28, numClasses: 10 });
  const fromFloats = session.loadDataset({ x: split.xs.values(), y: split.ys.values(), n: split.n, xSize: 784, ySize: 1 });
  const a = session.evaluate(fromBytes, 256);
  const b = session.evaluate(fromFloats, 256);
  expect(a.loss).toBe(b.loss);
  expect(session.predictOutput(fromBytes, split.n)).toEqual(session.predictOutput(fromFloats, split.n));
  // Bad input is named: a label outside the classes, and sizes that do not add up.
  const bad = split.labels.slice();
  bad[5] = 12;
  expect(() => session.loadImages({ images: split.images, labels: bad, n: split.n, height: 28, width: 28, numClasses: 10 })).toThrow(/label 12 at index 5 is not a class; labels must be 0\.\.9/);
  expect(() => session.loadImages({ images: split.images, labels: split.labels, n: split.n, height: 27, width: 28 })).toThrow(/need 1512000 pixel bytes and 2000 label bytes, got 1568000 and 2000/);
  session.freeDataset(fromBytes);
  session.freeDataset(fromFloats);
  model.dispose();
});

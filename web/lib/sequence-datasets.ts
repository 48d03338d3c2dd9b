// nn.datasets for recurrent networks: sequence tasks generated from a seed, MNIST read row by
// row, and a character-level text set, in Node, browsers and workers alike.
//
//   const d = nn.datasets.sine({ steps: 40, seed: 1 });   // x [n, 40, 1], y [n, 1]
//   model.fit(d.train.xs, d.train.ys, { epochs: 10 });
//   const t = await nn.datasets.text({ seqLength: 40 });   // x [n, 40, vocab] one-hot, y [n] ids
//   t.sample(model, { length: 200, temperature: 0.8 });
//
// Where the data comes from: the generated tasks and the text windows are made by the engine
// (engine/data/sequences.h says why there: the same bits in every browser), this file wraps
// them in tensors. mnistRows() reuses nn.datasets.mnist()'s tensors with another shape (no
// second asset, no copy). The text is scripts/build-data.mjs's gzipped asset, listed in
// datasets.json with its vocabulary and CRC-32, loaded like the image files (datasets.ts).
//
// What it is not: model math. sample() only turns the model's predicted probabilities into
// characters (temperature, a seeded draw), one predict() per character.
import { checkOptions, gunzip, loadManifest, locate, mnist, readBytes, type DatasetOptions, type ImageDataset, type TextEntry } from './datasets';
import type { WasmSequenceSet } from './engine-module';
import { engine, engineWithExtraPart, extraPartLoaded, own, release } from './memory';
import { Tensor } from './tensor';

/** One split of a sequence data set. */
export interface SequenceSplit {
  /** Inputs [n, steps, features] (text with encoding 'ids': [n, steps]). */
  xs: Tensor;
  /** Targets [n, outputs] (sine: [n, horizon]; others [n, 1]); text and mnistRows: [n] classes. */
  ys: Tensor;
  n: number;
}

export interface SequenceDataset {
  /** 'sine', 'sumOfSines', 'adding', 'parity', 'counting', 'mnistRows' or 'text'. */
  name: string;
  train: SequenceSplit;
  test: SequenceSplit;
  steps: number;
  features: number;
  /** Values per target: the horizon (sine), 1 (adding, parity), or the number of classes
   *  (counting: steps + 1, mnistRows: 10, text: the vocabulary size), for the output layer. */
  outputs: number;
  /** The loss this task is meant for. */
  loss: 'meanSquaredError' | 'binaryCrossentropy' | 'sparseCategoricalCrossentropy';
}

export interface SequenceTaskOptions {
  /** Training samples (default 1000) and test samples (default 200, may be 0). */
  numTrain?: number;
  numTest?: number;
  /** Time steps per sample (defaults: sine 40, adding 50, parity and counting 12). */
  steps?: number;
  /** Seed (integer, default 0): the same seed gives the same bits everywhere. */
  seed?: number;
}

export interface SineOptions extends SequenceTaskOptions {
  /** Values to forecast after the window (default 1): y is [n, horizon]. */
  horizon?: number;
  /** Sines summed per sample (default 1; sumOfSines: 3), at most 16. */
  waves?: number;
  /** Standard deviation of Gaussian noise added to the inputs only (default 0), at most 10. */
  noise?: number;
}

export interface BitsOptions extends SequenceTaskOptions {
  /** true: a target after every bit, the parity / count so far (y [n, steps, 1] for parity,
   *  [n, steps] classes for counting), for a returnSequences model → dense. Default false. */
  everyStep?: boolean;
}

const taskKeys = ['numTrain', 'numTest', 'steps', 'seed'];

function checkTaskOptions(opts: unknown, where: string, allowed: string[]): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new Error(`nnplay: ${where}: options must be an object {${allowed.join(', ')}}, got ${String(opts)}`);
  }
  for (const [k, v] of Object.entries(opts)) {
    if (!allowed.includes(k)) throw new Error(`nnplay: ${where}: unknown option "${k}"; allowed: ${allowed.join(', ')}`);
    if (k === 'everyStep') {
      if (typeof v !== 'boolean') throw new Error(`nnplay: ${where}: everyStep must be true or false, got ${typeof v}`);
    } else if (typeof v !== 'number') {
      throw new Error(`nnplay: ${where}: ${k} must be a number, got ${typeof v}`);
    }
  }
  return opts as Record<string, unknown>;
}

/** The engine's x/y at the set's pointers as tensors, copied out of wasm memory. */
function splitsOf(set: WasmSequenceSet, xShape: (n: number) => number[], yShape: (n: number) => number[]): [SequenceSplit, SequenceSplit] {
  const heap = engine().HEAPF32;
  const take = (ptr: number, count: number) => (count === 0 ? new Float32Array(0) : heap.slice(ptr >>> 2, (ptr >>> 2) + count));
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const split = (n: number, xPtr: number, yPtr: number): SequenceSplit => ({
    xs: new Tensor(take(xPtr, size(xShape(n))), xShape(n)),
    ys: new Tensor(take(yPtr, size(yShape(n))), yShape(n)),
    n,
  });
  return [split(set.numTrain(), set.trainXPtr(), set.trainYPtr()), split(set.numTest(), set.testXPtr(), set.testYPtr())];
}

function generate(task: 'sine' | 'adding' | 'parity' | 'counting', name: string, opts: Record<string, unknown>, where: string): SequenceDataset {
  const mod = engineWithExtraPart(); // the generators are in the engine's second part
  const set = own(new mod.SequenceSet());
  try {
    const failure = set.configure(JSON.stringify({ task, ...opts }));
    if (failure) throw new Error(`nnplay: ${where}: ${failure}`);
    const steps = set.steps();
    const features = set.features();
    const outputs = set.outputs();
    const classes = task === 'counting';
    const everyStep = opts.everyStep === true;
    const yShape = (n: number) => (everyStep ? (classes ? [n, steps] : [n, steps, 1]) : classes ? [n] : [n, outputs]);
    const [train, test] = splitsOf(set, (n) => [n, steps, features], yShape);
    const loss = task === 'parity' ? 'binaryCrossentropy' : classes ? 'sparseCategoricalCrossentropy' : 'meanSquaredError';
    return { name, train, test, steps, features, outputs: classes ? steps + 1 : everyStep ? 1 : outputs, loss };
  } finally {
    release(set);
  }
}

/** Sine-wave forecasting: x [n, steps, 1] a window of a sine (random frequency in 1/32..1/8
 *  cycles per step, amplitude 0.5..1, phase), y [n, horizon] the values that follow. MSE. */
export function sine(opts?: SineOptions): SequenceDataset {
  const o = checkTaskOptions(opts, 'datasets.sine()', [...taskKeys, 'horizon', 'waves', 'noise']);
  return generate('sine', o.waves !== undefined && o.waves !== 1 ? 'sumOfSines' : 'sine', o, 'datasets.sine()');
}

/** Sum-of-sines forecasting: sine() with `waves` (default 3) components of amplitude
 *  0.5..1 / waves each. */
export function sumOfSines(opts?: SineOptions): SequenceDataset {
  const o = checkTaskOptions(opts, 'datasets.sumOfSines()', [...taskKeys, 'horizon', 'waves', 'noise']);
  return generate('sine', 'sumOfSines', { waves: 3, ...o }, 'datasets.sumOfSines()');
}

/** The adding problem: x [n, steps, 2] (values uniform in 0..1, and a marker that is 1 at one
 *  step of each half), y [n, 1] the sum of the two marked values (0..2). MSE; always
 *  predicting 1 scores about 0.167, the bar a model must beat. */
export function adding(opts?: SequenceTaskOptions): SequenceDataset {
  return generate('adding', 'adding', checkTaskOptions(opts, 'datasets.adding()', taskKeys), 'datasets.adding()');
}

/** Parity of a bit string: x [n, steps, 1] bits, y [n, 1] 1 when the count of ones is odd
 *  (everyStep: y [n, steps, 1], the parity so far). Sigmoid output, binaryCrossentropy. */
export function parity(opts?: BitsOptions): SequenceDataset {
  return generate('parity', 'parity', checkTaskOptions(opts, 'datasets.parity()', [...taskKeys, 'everyStep']), 'datasets.parity()');
}

/** Counting ones in a bit string: x [n, steps, 1] bits, y [n] the count, a class in
 *  0..steps (outputs = steps + 1; everyStep: y [n, steps], the count so far). Softmax
 *  output, sparseCategoricalCrossentropy. */
export function counting(opts?: BitsOptions): SequenceDataset {
  return generate('counting', 'counting', checkTaskOptions(opts, 'datasets.counting()', [...taskKeys, 'everyStep']), 'datasets.counting()');
}

// ------------------------------------------------------------------ MNIST rows

const rowViews = new WeakMap<Tensor, Tensor>();

/** The same values as `xs` [n, 28, 28, 1] seen as [n, 28, 28]: shared, not copied; kept while
 *  both are alive so fit() loads them into the engine once. */
function asRows(xs: Tensor): Tensor {
  const kept = rowViews.get(xs);
  if (kept && !kept.isDisposed) return kept;
  const rows = new Tensor(xs.values(), [xs.shape[0], xs.shape[1], xs.shape[2] * xs.shape[3]]);
  rowViews.set(xs, rows);
  return rows;
}

/** MNIST digits read as sequences: 28 steps (rows, top to bottom) of 28 features (pixels
 *  0..1), x [n, 28, 28], y [n] classes; 8,000 train / 2,000 test (nn.datasets.mnist()'s split
 *  and asset). The seeds' LSTM classifier reads the last step. */
export async function mnistRows(opts?: DatasetOptions): Promise<SequenceDataset & { images: ImageDataset }> {
  checkOptions(opts, 'datasets.mnistRows()', ['onProgress', 'baseUrl']);
  const images = await mnist(opts); // loads the engine if needed, as mnist() does
  const split = (s: ImageDataset['train']): SequenceSplit => ({ xs: asRows(s.xs), ys: s.ys, n: s.n });
  return { name: 'mnistRows', train: split(images.train), test: split(images.test), steps: 28, features: 28, outputs: 10, loss: 'sparseCategoricalCrossentropy', images };
}

// ------------------------------------------------------------------ text

export interface TextOptions extends DatasetOptions {
  /** Characters per input window (default 40). */
  seqLength?: number;
  /** Characters between window starts (default seqLength: windows do not overlap). */
  stride?: number;
  /** 'oneHot' (default): x [n, seqLength, vocabSize]; 'ids': x [n, seqLength] for an embedding. */
  encoding?: 'oneHot' | 'ids';
  /** The share of the text, at its end, kept for the test split (default 0.1, 0..0.5). */
  testFraction?: number;
  /** Which corpus (default and only one today: 'fortunes'). */
  corpus?: 'fortunes';
}

export interface SampleOptions {
  /** Text the sample continues (default: the start of a fortune, '%\n'); only its last
   *  seqLength characters are read. Every character must be in the vocabulary. */
  prime?: string;
  /** Characters to generate (default 200). */
  length?: number;
  /** > 0 (default 1): below 1 sharpens the distribution, above 1 flattens it; probabilities
   *  are raised to 1 / temperature and renormalised. */
  temperature?: number;
  /** Seed of the draw (default 0): the same model and seed give the same text. */
  seed?: number;
}

/** Anything with a TF.js-like predict() that maps one window to next-character probabilities. */
export interface NextCharModel {
  predict(x: Tensor): Tensor | Tensor[];
}

export interface TextDataset extends SequenceDataset {
  name: 'text';
  /** The characters, by id. */
  vocab: string[];
  vocabSize: number;
  encoding: 'oneHot' | 'ids';
  /** The whole corpus, as loaded (train part first, then test). */
  text: string;
  /** Where it comes from and its licence (datasets.json). */
  source: string;
  licence: string;
  /** Ids of the characters of `s`; throws naming a character outside the vocabulary. */
  encode(s: string): number[];
  /** The characters of ids. */
  decode(ids: ArrayLike<number>): string;
  /** One input window for predict(): [1, seqLength, vocab] or [1, seqLength], of the last
   *  seqLength characters of `s` (left-padded with '\n'). The caller disposes it. */
  window(s: string): Tensor;
  /** Continues `prime` with characters drawn from model.predict(window) at a temperature. */
  sample(model: NextCharModel, opts?: SampleOptions): string;
}

// One small seeded generator for the draw (mulberry32: integer arithmetic, the same in every
// JS engine).
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index drawn from probabilities p (any non-negative weights) sharpened by a temperature. */
export function sampleIndex(p: ArrayLike<number>, temperature: number, random: () => number): number {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`nnplay: sample: temperature must be a finite number > 0, got ${temperature}`);
  const w = new Float64Array(p.length);
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, p[i]);
  if (!(max > 0)) throw new Error('nnplay: sample: the probabilities are all zero or not finite');
  let sum = 0;
  // (p / max)^(1/T): the same distribution as p^(1/T), without underflow at small T.
  for (let i = 0; i < p.length; i++) sum += w[i] = p[i] > 0 ? Math.pow(p[i] / max, 1 / temperature) : 0;
  let r = random() * sum;
  for (let i = 0; i < w.length; i++) {
    r -= w[i];
    if (r < 0) return i;
  }
  let last = w.length - 1;
  while (last > 0 && w[last] === 0) last--;
  return last;
}

interface LoadedText {
  entry: TextEntry;
  bytes: Uint8Array; // the file, as the engine checked it (CRC-32 and vocabulary)
  crc32: number;
}
const texts = new Map<string, Promise<LoadedText>>();

/** Hands the file to the engine, which checks its CRC-32 and that every byte is in the vocabulary. */
function readText(set: WasmSequenceSet, bytes: Uint8Array, entry: TextEntry, crc32: number, where: string): void {
  const ptr = set.textBuffer(bytes.length);
  if (ptr === 0) throw new Error(`nnplay: ${where}: out of memory loading ${entry.file} (${bytes.length} bytes)`);
  engine().HEAPU8.set(bytes, ptr);
  const failure = set.readText(entry.file.replace(/\.gz$/, ''), crc32, entry.vocab);
  if (failure) throw new Error(`nnplay: ${where}: ${failure}`);
}

async function loadText(corpus: string, opts: TextOptions | undefined, where: string): Promise<LoadedText> {
  const baseUrl = opts?.baseUrl;
  const key = `${baseUrl === undefined ? '' : String(baseUrl)}|${corpus}`;
  let p = texts.get(key);
  if (!p) {
    p = (async () => {
      const m = await loadManifest(baseUrl);
      const entry = m.texts?.[corpus];
      if (!entry) throw new Error(`nnplay: ${where}: datasets.json has no text corpus "${corpus}" (rebuild the assets: npm run build)`);
      const file = m.files[entry.file];
      if (!file) throw new Error(`nnplay: ${where}: datasets.json lists no file ${entry.file}`);
      let loaded = 0;
      const where_ = locate(entry.file, baseUrl);
      const gz = await readBytes(where_, entry.file, (n) => {
        loaded += n;
        opts?.onProgress?.(Math.min(loaded, file.gzBytes), file.gzBytes);
      }, `${String(where_)}?crc32=${file.crc32}`);
      const bytes = await gunzip(gz, file.bytes, entry.file);
      const set = own(new (engine().SequenceSet)());
      try {
        readText(set, bytes, entry, file.crc32, where); // checked once here, before anything is kept
      } finally {
        release(set);
      }
      return { entry, bytes, crc32: file.crc32 };
    })();
    p.catch(() => texts.delete(key));
    texts.set(key, p);
  }
  return p;
}

/** Character-level text: windows of seqLength characters of the fortunes in Debian's
 *  `fortunes-min` (BSD licence), x one-hot [n, seqLength, vocabSize] (or ids [n, seqLength]),
 *  y [n] the id of the next character; encode/decode/window/sample for generating text.
 *  Loads the engine if needed (no nn.ready() first). */
export async function text(opts?: TextOptions): Promise<TextDataset> {
  const where = 'datasets.text()';
  checkOptions(opts, where, ['onProgress', 'baseUrl', 'seqLength', 'stride', 'encoding', 'testFraction', 'corpus']);
  const o = opts ?? {};
  for (const k of ['seqLength', 'stride', 'testFraction'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'number') throw new Error(`nnplay: ${where}: ${k} must be a number, got ${typeof o[k]}`);
  }
  if (o.encoding !== undefined && o.encoding !== 'oneHot' && o.encoding !== 'ids') throw new Error(`nnplay: ${where}: encoding must be 'oneHot' or 'ids', got ${String(o.encoding)}`);
  if (o.corpus !== undefined && o.corpus !== 'fortunes') throw new Error(`nnplay: ${where}: corpus must be 'fortunes', got ${String(o.corpus)}`);
  await extraPartLoaded(); // as every asynchronous call: no nn.ready() needed first (the text reader is in the second part)
  const loaded = await loadText(o.corpus ?? 'fortunes', opts, where);
  const { entry } = loaded;
  const set = own(new (engine().SequenceSet)());
  let train: SequenceSplit, test: SequenceSplit;
  const seqLength = o.seqLength ?? 40;
  const encoding = o.encoding ?? 'oneHot';
  const vocab = [...entry.vocab];
  try {
    // The kept bytes again (a CRC-32 of ~100 KB costs well under a millisecond), then the windows.
    readText(set, loaded.bytes, entry, loaded.crc32, where);
    const failure = set.textWindows(JSON.stringify({ seqLength, stride: o.stride, encoding, testFraction: o.testFraction }));
    if (failure) throw new Error(`nnplay: ${where}: ${failure}`);
    const features = set.features();
    [train, test] = splitsOf(
      set,
      (n) => (encoding === 'oneHot' ? [n, seqLength, features] : [n, seqLength]),
      (n) => [n],
    );
  } finally {
    release(set);
  }
  const idOf = new Map(vocab.map((c, i) => [c, i]));
  const encode = (s: string): number[] =>
    [...s].map((c, i) => {
      const id = idOf.get(c);
      if (id === undefined) throw new Error(`nnplay: text: character ${JSON.stringify(c)} at ${i} is not in the vocabulary (${vocab.length} characters: printable ASCII and '\\n')`);
      return id;
    });
  const decode = (ids: ArrayLike<number>): string => Array.from(ids, (id) => vocab[id] ?? '').join('');
  const vocabSize = vocab.length;
  const window = (s: string): Tensor => {
    const ids = encode(s).slice(-seqLength);
    const padded = [...new Array<number>(seqLength - ids.length).fill(idOf.get('\n') ?? 0), ...ids];
    if (encoding === 'ids') return new Tensor(Float32Array.from(padded), [1, seqLength]);
    const x = new Float32Array(seqLength * vocabSize);
    padded.forEach((id, t) => (x[t * vocabSize + id] = 1));
    return new Tensor(x, [1, seqLength, vocabSize]);
  };
  const sample = (model: NextCharModel, so?: SampleOptions): string => {
    checkOptions(so, 'text.sample()', ['prime', 'length', 'temperature', 'seed']);
    const length = so?.length ?? 200;
    if (!Number.isInteger(length) || length < 0 || length > 1e6) throw new Error(`nnplay: text.sample(): length must be an integer in [0, 1000000], got ${String(length)}`);
    const temperature = so?.temperature ?? 1;
    if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`nnplay: text.sample(): temperature must be a finite number > 0, got ${String(temperature)}`);
    if (so?.prime !== undefined && typeof so.prime !== 'string') throw new Error('nnplay: text.sample(): prime must be a string');
    if (so?.seed !== undefined && !Number.isInteger(so.seed)) throw new Error(`nnplay: text.sample(): seed must be an integer, got ${String(so.seed)}`);
    const random = mulberry32(so?.seed ?? 0);
    let context = so?.prime ?? '%\n';
    let out = '';
    for (let i = 0; i < length; i++) {
      const x = window(context);
      const y = model.predict(x);
      x.dispose();
      const probs = Array.isArray(y) ? y[0] : y;
      const p = probs.values();
      if (p.length !== vocabSize) {
        for (const t of Array.isArray(y) ? y : [y]) t.dispose();
        throw new Error(`nnplay: text.sample(): the model predicts ${p.length} values per window, the vocabulary has ${vocabSize}`);
      }
      const ch = vocab[sampleIndex(p, temperature, random)];
      for (const t of Array.isArray(y) ? y : [y]) t.dispose();
      out += ch;
      context = (context + ch).slice(-seqLength);
    }
    return out;
  };
  return {
    name: 'text',
    train,
    test,
    steps: seqLength,
    features: encoding === 'oneHot' ? vocabSize : 1,
    outputs: vocabSize,
    loss: 'sparseCategoricalCrossentropy',
    vocab,
    vocabSize,
    encoding,
    text: latin1(loaded.bytes),
    source: entry.source,
    licence: entry.licence,
    encode,
    decode,
    window,
    sample,
  };
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** @internal Forgets the loaded texts (tests: reload from files). */
export function forgetTexts(): void {
  texts.clear();
}

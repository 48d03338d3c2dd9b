// The IO handlers' work: what localstorage://, indexeddb://, downloads://, http(s):// and
// file:// do on save() and load() (io-handlers.ts has the handlers users make, TF.js-shaped).
//
// Why a module of its own: it is part of the TF.js format's chunk (web/lib/vite.config.ts),
// fetched by the first model.save() / nn.loadLayersModel(), which need that chunk anyway. The
// handlers in io-handlers.ts only forward to these, so an app that never saves or loads (or
// only makes a handler) does not download them.
import { describe } from './describe';
import { type IOHandler, type SaveOptions, type SaveResult, listLocalStorage, lsKeys } from './io-handlers';
import type { ModelArtifacts, ModelJSONFile, WeightSpec } from './tfjs-format';
import { DEFAULT_SHARD_BYTES, GENERATED_BY, concatBuffers, shardWeights } from './tfjs-basics';
import { nodeFs } from './wasm-loader';

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

export function artifactsInfo(a: ModelArtifacts): SaveResult['modelArtifactsInfo'] {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const data = a.weightData === undefined ? 0 : Array.isArray(a.weightData) ? a.weightData.reduce((s, b) => s + b.byteLength, 0) : a.weightData.byteLength;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: a.modelTopology === undefined ? 0 : bytes(JSON.stringify(a.modelTopology)),
    weightSpecsBytes: a.weightSpecs === undefined ? 0 : bytes(JSON.stringify(a.weightSpecs)),
    weightDataBytes: data,
  };
}

/** model.json for a set of weight files (paths relative to model.json). */
export function modelJSONFor(a: ModelArtifacts, paths: string[]): ModelJSONFile {
  const out: ModelJSONFile = {
    modelTopology: a.modelTopology as Record<string, unknown>,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? GENERATED_BY,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths, weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig) out.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata) out.userDefinedMetadata = a.userDefinedMetadata;
  return out;
}

function shardNames(count: number, single: string): string[] {
  return count === 1 ? [single] : Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
}

/**
 * The artifacts of a model.json and its weight files: `read(path)` fetches one file named in the
 * manifest. Every manifest group is read in order; a missing file is an error naming it.
 */
export async function artifactsFromModelJSON(json: unknown, read: (path: string) => Promise<ArrayBuffer>, where: string): Promise<ModelArtifacts> {
  const j = json as ModelJSONFile;
  if (!j || typeof j !== 'object' || j.modelTopology === undefined) fail(where, `model.json must have modelTopology, got ${describe(json)}`);
  const out: ModelArtifacts = { modelTopology: j.modelTopology, format: j.format, generatedBy: j.generatedBy, convertedBy: j.convertedBy };
  if (j.trainingConfig) out.trainingConfig = j.trainingConfig;
  if (j.userDefinedMetadata) out.userDefinedMetadata = j.userDefinedMetadata;
  if (j.weightsManifest === undefined) return out;
  if (!Array.isArray(j.weightsManifest)) fail(where, `weightsManifest must be a list of {paths, weights}, got ${describe(j.weightsManifest)}`);
  const specs: WeightSpec[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const [g, group] of j.weightsManifest.entries()) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(where, `weightsManifest[${g}] must be {paths: [...], weights: [...]}`);
    specs.push(...group.weights);
    for (const p of group.paths) {
      try {
        buffers.push(await read(p));
      } catch (err) {
        fail(where, `could not read the weight file '${p}' named in model.json (${(err instanceof Error ? err.message : String(err)).replace(/^nnplay: [^:]*: /, '')})`);
      }
    }
  }
  out.weightSpecs = specs;
  out.weightData = concatBuffers(buffers);
  return out;
}

// ---------------------------------------------------------------- localstorage:// (TF.js's keys)

function storage(where: string): Storage {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) fail(where, "localstorage:// needs window.localStorage (a browser page); in Node use 'file://path' or nn.io.withSaveHandler");
  return ls;
}

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(text: string, what: string): ArrayBuffer {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    throw new Error(`${what} is not valid base64`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/** localstorage://name, in TF.js's layout (tensorflowjs_models/<name>/...), so TF.js reads it too. */
export function localStorageHandler(path: string): IOHandler {
  const keys = lsKeys(path);
  return {
    async save(a) {
      const ls = storage('save()');
      const info = artifactsInfo(a);
      const { modelTopology, weightSpecs, weightData, ...meta } = a;
      try {
        ls.setItem(keys.info, JSON.stringify(info));
        ls.setItem(keys.topology, JSON.stringify(modelTopology));
        ls.setItem(keys.specs, JSON.stringify(weightSpecs ?? []));
        ls.setItem(keys.data, toBase64(concatBuffers(weightData ?? new ArrayBuffer(0))));
        ls.setItem(keys.meta, JSON.stringify({ format: meta.format, generatedBy: meta.generatedBy, convertedBy: meta.convertedBy, ...(meta.trainingConfig ? { trainingConfig: meta.trainingConfig } : {}) }));
      } catch (err) {
        for (const k of Object.values(keys)) ls.removeItem(k);
        fail('save()', `localStorage refused the model (${err instanceof Error ? err.message : String(err)}); free some space or use 'downloads://' / 'indexeddb://'`);
      }
      return { modelArtifactsInfo: info };
    },
    async load() {
      const ls = storage('loadLayersModel()');
      const topology = ls.getItem(keys.topology);
      if (topology === null) fail('loadLayersModel()', `no model saved as 'localstorage://${path}'; saved: ${listLocalStorage(ls).map((n) => `'${n}'`).join(', ') || 'none'}`);
      const meta = JSON.parse(ls.getItem(keys.meta) ?? '{}') as Record<string, unknown>;
      const out: ModelArtifacts = { modelTopology: JSON.parse(topology) as Record<string, unknown>, ...meta };
      const specs = ls.getItem(keys.specs);
      if (specs !== null) out.weightSpecs = JSON.parse(specs) as WeightSpec[];
      const data = ls.getItem(keys.data);
      if (data !== null) out.weightData = fromBase64(data, `localstorage://${path} weight_data`);
      return out;
    },
  };
}

// ---------------------------------------------------------------- indexeddb:// (TF.js's database)

const IDB_DATABASE = 'tensorflowjs';
const IDB_MODELS = 'models_store';
const IDB_INFO = 'model_info_store';

function idb(where: string): IDBFactory {
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) fail(where, "indexeddb:// needs IndexedDB (a browser page or worker); in Node use 'file://path' or nn.io.withSaveHandler");
  return f;
}

function openDatabase(where: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idb(where).open(IDB_DATABASE, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(IDB_MODELS)) db.createObjectStore(IDB_MODELS, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(IDB_INFO)) db.createObjectStore(IDB_INFO, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`nnplay: ${where}: could not open IndexedDB (${String(req.error)})`));
  });
}

/** indexeddb://name, in TF.js's database and stores, so TF.js reads it too. */
export function indexedDBHandler(path: string): IOHandler {
  return {
    async save(a) {
      const db = await openDatabase('save()');
      const info = artifactsInfo(a);
      const artifacts = { ...a, weightData: concatBuffers(a.weightData ?? new ArrayBuffer(0)) };
      try {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction([IDB_INFO, IDB_MODELS], 'readwrite');
          tx.objectStore(IDB_INFO).put({ modelPath: path, modelArtifactsInfo: info });
          tx.objectStore(IDB_MODELS).put({ modelPath: path, modelArtifacts: artifacts });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(new Error(`nnplay: save(): IndexedDB refused the model (${String(tx.error)})`));
        });
      } finally {
        db.close();
      }
      return { modelArtifactsInfo: info };
    },
    async load() {
      const db = await openDatabase('loadLayersModel()');
      try {
        const found = await new Promise<{ modelArtifacts: ModelArtifacts } | undefined>((resolve, reject) => {
          const req = db.transaction(IDB_MODELS, 'readonly').objectStore(IDB_MODELS).get(path);
          req.onsuccess = () => resolve(req.result as { modelArtifacts: ModelArtifacts } | undefined);
          req.onerror = () => reject(new Error(`nnplay: loadLayersModel(): IndexedDB read failed (${String(req.error)})`));
        });
        if (!found) fail('loadLayersModel()', `no model saved as 'indexeddb://${path}'`);
        return found.modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}

// ---------------------------------------------------------------- downloads://

/** downloads://name: name.json and name.weights.bin (or shards) as TF.js's browserDownloads. */
export function downloadsHandler(path: string, options: SaveOptions = {}): IOHandler {
  return {
    async save(a) {
      const doc = (globalThis as { document?: Document }).document;
      if (!doc || typeof URL.createObjectURL !== 'function') {
        fail('save()', "downloads:// needs a browser page (document); in Node use 'file://path' or nn.io.withSaveHandler");
      }
      const name = path || 'model';
      const shards = shardWeights(concatBuffers(a.weightData ?? new ArrayBuffer(0)), options.shardSizeBytes ?? DEFAULT_SHARD_BYTES);
      const paths = shards.length === 1 ? [`./${name}.weights.bin`] : shardNames(shards.length, '').map((p) => `./${name}-${p}`);
      const files: [string, Blob][] = [
        [`${name}.json`, new Blob([JSON.stringify(modelJSONFor(a, paths))], { type: 'application/json' })],
        ...shards.map((s, i): [string, Blob] => [paths[i].slice(2), new Blob([s], { type: 'application/octet-stream' })]),
      ];
      for (const [file, blob] of files) {
        const href = URL.createObjectURL(blob);
        const link = doc.createElement('a');
        link.href = href;
        link.download = file;
        link.style.display = 'none';
        doc.body.append(link);
        link.click();
        link.remove();
        // Revoked after the click is handled: the download keeps its own reference.
        setTimeout(() => URL.revokeObjectURL(href), 1000);
      }
      return { modelArtifactsInfo: artifactsInfo(a) };
    },
  };
}

// ---------------------------------------------------------------- http(s)://

/** http(s)://.../model.json: loads it and its weight files (paths relative to model.json) with fetch. */
export function httpHandler(url: string, init?: { fetchFunc?: typeof fetch; requestInit?: RequestInit }): IOHandler {
  const doFetch = init?.fetchFunc ?? (globalThis.fetch as typeof fetch | undefined);
  const where = 'loadLayersModel()';
  return {
    async load() {
      if (!doFetch) fail(where, 'http(s):// needs fetch (Node 18+ or a browser)');
      const res = await doFetch(url, init?.requestInit);
      if (!res.ok) fail(where, `fetching ${url} failed: HTTP ${res.status}`);
      let json: unknown;
      try {
        json = await res.json();
      } catch (err) {
        fail(where, `${url} is not JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      return artifactsFromModelJSON(json, async (p) => {
        const r = await doFetch(new URL(p, url).href, init?.requestInit);
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.arrayBuffer();
      }, where);
    },
    async save(a) {
      // As TF.js's http handler: a multipart POST of model.json and model.weights.bin.
      if (!doFetch) fail('save()', 'http(s):// needs fetch');
      const form = new FormData();
      form.append('model.json', new Blob([JSON.stringify(modelJSONFor(a, ['./model.weights.bin']))], { type: 'application/json' }), 'model.json');
      form.append('model.weights.bin', new Blob([concatBuffers(a.weightData ?? new ArrayBuffer(0))], { type: 'application/octet-stream' }), 'model.weights.bin');
      const res = await doFetch(url, { method: 'POST', body: form, ...init?.requestInit });
      if (!res.ok) fail('save()', `POST ${url} failed: HTTP ${res.status}`);
      return { modelArtifactsInfo: artifactsInfo(a), responses: [res] };
    },
  };
}

// ---------------------------------------------------------------- file:// (Node)

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof (process as { versions?: { node?: string } }).versions?.node === 'string';
}

/**
 * file://dir (Node): save writes dir/model.json and dir/weights.bin (shards
 * group1-shardNofM.bin above the shard size), as tfjs-node does; load reads file://dir or
 * file://dir/model.json and the weight files beside it.
 */
export function fileHandler(path: string, options: SaveOptions = {}): IOHandler {
  const check = (where: string) => {
    if (!isNode()) fail(where, "file:// is for Node; in a browser use 'localstorage://', 'indexeddb://', 'downloads://' or a File");
    if (path === '') fail(where, "file:// needs a path: 'file://./my-model' (a directory)");
  };
  return {
    async save(a) {
      check('save()');
      const fs = await nodeFs();
      const shards = shardWeights(concatBuffers(a.weightData ?? new ArrayBuffer(0)), options.shardSizeBytes ?? DEFAULT_SHARD_BYTES);
      const paths = shardNames(shards.length, 'weights.bin').map((p) => `./${p}`);
      const dir = path.replace(/\/model\.json$/, '');
      try {
        await fs.mkdir(dir, { recursive: true });
        for (const [i, s] of shards.entries()) await fs.writeFile(`${dir}/${paths[i].slice(2)}`, new Uint8Array(s));
        await fs.writeFile(`${dir}/model.json`, JSON.stringify(modelJSONFor(a, paths)));
      } catch (err) {
        fail('save()', `could not write file://${dir} (${err instanceof Error ? err.message : String(err)})`);
      }
      return { modelArtifactsInfo: artifactsInfo(a) };
    },
    async load() {
      const where = 'loadLayersModel()';
      check(where);
      const fs = await nodeFs();
      const file = path.endsWith('.json') ? path : `${path.replace(/\/$/, '')}/model.json`;
      const dir = file.slice(0, file.lastIndexOf('/') + 1) || './';
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        fail(where, `could not read file://${file} (${err instanceof Error ? err.message : String(err)})`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text!);
      } catch (err) {
        fail(where, `file://${file} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      return artifactsFromModelJSON(json, async (p) => {
        const bytes = await fs.readFile(`${dir}${p.replace(/^\.\//, '')}`);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      }, where);
    },
  };
}

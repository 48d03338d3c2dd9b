// IO handlers for the TF.js layers-model format, shaped as TF.js's (tf.io.IOHandler:
// {save?(artifacts): Promise<SaveResult>, load?(): Promise<ModelArtifacts>}) so that a handler
// written for TF.js works here and the other way round. The URL schemes of model.save(url) and
// nn.loadLayersModel(url) are handlerFor(): localstorage://, indexeddb://, downloads://,
// http(s):// (load; save POSTs as TF.js's browserHTTPRequest) and file:// (Node).
//
// The handlers made here are small: each forwards save() and load() to io-storage.ts, which is
// part of the TF.js format's chunk (loaded on first use, tfjs-basics.ts loadTfjsFormat), so the
// storage code is downloaded by the first save or load, not with every app.
import { describe } from './describe';
import type { ModelArtifacts, WeightSpec } from './tfjs-format';
import { loadTfjsFormat } from './tfjs-basics';

/** What a save resolves with (TF.js SaveResult). */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: 'JSON';
    /** Bytes of the topology's JSON text. */
    modelTopologyBytes: number;
    weightSpecsBytes: number;
    /** Bytes of the binary weights. */
    weightDataBytes: number;
  };
  responses?: Response[];
}

export interface IOHandler {
  save?: (artifacts: ModelArtifacts) => Promise<SaveResult>;
  load?: () => Promise<ModelArtifacts>;
}

/** model.save(url, options). */
export interface SaveOptions {
  /** Bytes per weight file for file:// and downloads:// (default 4 MB, as tensorflowjs_converter). */
  shardSizeBytes?: number;
}

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

// ---------------------------------------------------------------- in memory

/** nn.io.withSaveHandler(fn): model.save(handler) calls fn with the artifacts (TF.js's shape). */
export function withSaveHandler(save: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  if (typeof save !== 'function') fail('io.withSaveHandler()', `expected a function (artifacts) => Promise<SaveResult>, got ${describe(save)}`);
  return { save };
}

/**
 * nn.io.fromMemory(modelTopology, weightSpecs, weightData) or fromMemory(artifacts): a handler
 * that loads these (TF.js's shape; weightData an ArrayBuffer or a list of them).
 */
export function fromMemory(modelTopology: unknown, weightSpecs?: WeightSpec[], weightData?: ArrayBuffer | ArrayBuffer[], trainingConfig?: Record<string, unknown>): IOHandler {
  const t = modelTopology as ModelArtifacts & Record<string, unknown>;
  const isArtifacts = t !== null && typeof t === 'object' && 'modelTopology' in t && weightSpecs === undefined;
  const artifacts: ModelArtifacts = isArtifacts
    ? { ...t }
    : { modelTopology: t, ...(weightSpecs ? { weightSpecs } : {}), ...(weightData ? { weightData } : {}), ...(trainingConfig ? { trainingConfig } : {}) };
  return { load: async () => artifacts };
}

// ---------------------------------------------------------------- localstorage:// (TF.js's keys)

export const LS_PREFIX = 'tensorflowjs_models';

export function lsKeys(path: string) {
  const base = `${LS_PREFIX}/${path}`;
  return { info: `${base}/info`, topology: `${base}/model_topology`, specs: `${base}/weight_specs`, data: `${base}/weight_data`, meta: `${base}/model_metadata` };
}

/** The TF.js-layout models in localStorage, by name. */
export function listLocalStorage(ls: Storage): string[] {
  const out: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const m = new RegExp(`^${LS_PREFIX}/(.*)/info$`).exec(ls.key(i) ?? '');
    if (m) out.push(m[1]);
  }
  return out.sort();
}

export function removeLocalStorage(ls: Storage, path: string): boolean {
  const keys = lsKeys(path);
  if (ls.getItem(keys.info) === null) return false;
  for (const k of Object.values(keys)) ls.removeItem(k);
  return true;
}

// ---------------------------------------------------------------- the storage handlers

/**
 * A handler with `methods` whose calls go to the handler `make` builds from io-storage.ts, once
 * its chunk has loaded (the first call loads it; the same handler serves every later call).
 */
function forwarded(methods: readonly ('save' | 'load')[], make: (storage: typeof import('./io-storage')) => IOHandler): IOHandler {
  let real: Promise<IOHandler> | undefined;
  const handler = (): Promise<IOHandler> => (real ??= loadTfjsFormat().then((m) => make(m.storage)));
  const out: IOHandler = {};
  if (methods.includes('save')) out.save = async (artifacts) => (await handler()).save!(artifacts);
  if (methods.includes('load')) out.load = async () => (await handler()).load!();
  return out;
}

/** localstorage://name, in TF.js's layout (tensorflowjs_models/<name>/...), so TF.js reads it too. */
export function localStorageHandler(path: string): IOHandler {
  return forwarded(['save', 'load'], (s) => s.localStorageHandler(path));
}

/** indexeddb://name, in TF.js's database and stores, so TF.js reads it too. */
export function indexedDBHandler(path: string): IOHandler {
  return forwarded(['save', 'load'], (s) => s.indexedDBHandler(path));
}

/** downloads://name: name.json and name.weights.bin (or shards) as TF.js's browserDownloads. */
export function downloadsHandler(path: string, options: SaveOptions = {}): IOHandler {
  return forwarded(['save'], (s) => s.downloadsHandler(path, options));
}

/** http(s)://.../model.json: loads it and its weight files (paths relative to model.json) with fetch. */
export function httpHandler(url: string, init?: { fetchFunc?: typeof fetch; requestInit?: RequestInit }): IOHandler {
  // The fetch of the moment the handler is made, as before the storage code was a chunk.
  const fetchFunc = init?.fetchFunc ?? (globalThis.fetch as typeof fetch | undefined);
  return forwarded(['load', 'save'], (s) => s.httpHandler(url, { ...init, fetchFunc }));
}

/**
 * file://dir (Node): save writes dir/model.json and dir/weights.bin (shards
 * group1-shardNofM.bin above the shard size), as tfjs-node does; load reads file://dir or
 * file://dir/model.json and the weight files beside it.
 */
export function fileHandler(path: string, options: SaveOptions = {}): IOHandler {
  return forwarded(['save', 'load'], (s) => s.fileHandler(path, options));
}

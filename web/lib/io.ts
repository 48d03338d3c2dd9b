// Saving and loading models, TF.js shaped: model.toJSON() / nn.models.fromJSON(),
// await model.save('localstorage://name' | 'downloads://name') and
// await nn.loadLayersModel('localstorage://name' | json | File).
//
// The file format and its checks live in model-json.ts (pure, no wasm). Here: turning a
// model into that format and back, and the two storage schemes. A load checks the whole
// file first, then builds; if building, compiling or writing weights still fails, the new
// model is disposed before the error propagates, so a failed load leaks nothing.
import { describe } from './describe';
import { describe as quote } from './describe';
import { type Layer, layerFromConfig, layerFromSpec } from './layers';
import { kerasWeights } from './engine-tables';
import { engine, engineLoaded } from './memory';
import { type GraphJSON, type ModelJSON, MODEL_FORMAT, parseModelJSON, toModelJSONv2 } from './model-json';
import { LayersModel, Sequential, model as makeFunctional } from './model';
import type { GraphSpecV2, SymbolicTensor } from './symbolic';
import { Optimizer } from './optimizers';
import { Tensor } from './tensor';

/** What model.save() resolves with (the fields of TF.js's SaveResult that apply). */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: 'JSON';
    /** Bytes of the JSON text, without the weights. */
    modelTopologyBytes: number;
    /** Bytes of the float32 weights (before base64). */
    weightDataBytes: number;
  };
}

/** localStorage keys of saved models: `nnplay_models/<name>`. */
export const LOCAL_STORAGE_PREFIX = 'nnplay_models/';

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

/** The model as a ModelJSON, version 2 (what model.toJSON() returns). */
export function modelToJSON(model: LayersModel): ModelJSON {
  if (model.isDisposed) fail('toJSON()', 'this model was disposed and can no longer be used');
  const tensors = model.getWeights(); // also builds the engine model if needed
  try {
    const compiled = model.compiledWith;
    // Weight names as the engine reports them (inspect), in getWeights()'s order.
    const names = kerasWeights(model.inspection).map((v) => v.name);
    return toModelJSONv2({
      name: model.name,
      modelClass: model instanceof Sequential ? 'Sequential' : 'LayersModel',
      spec: JSON.parse(model.specJson()) as GraphSpecV2,
      compile: compiled && {
        optimizer: compiled.optimizer,
        // One name when every output has the same loss (every single-output model), else a list.
        loss: compiled.losses.every((l) => l === compiled.loss) ? compiled.loss : compiled.losses,
        metrics: compiled.metrics,
        ...(compiled.lossWeights ? { lossWeights: compiled.lossWeights } : {}),
      },
      weights: tensors.map((t, i) => ({ name: names[i], shape: t.shape, values: t.values() })),
    });
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** The layers of a version 2 graph rebuilt and applied in order: the model's inputs and outputs. */
function rebuildGraph(graph: GraphJSON, where: string): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[]; layers: Map<string, Layer> } {
  const layers = new Map<string, Layer>();
  const results = new Map<string, SymbolicTensor[]>(); // per layer, per call
  for (const entry of graph.layers) {
    if (layers.has(entry.name)) fail(where, `graph.layers has two layers named "${entry.name}"; layer names must be unique`);
    layers.set(entry.name, layerFromConfig(entry.type, entry.config ?? {}, entry.name));
  }
  const refOf = (r: unknown): [string, number] => (typeof r === 'string' ? [r, 0] : [(r as [string, number])[0], (r as [string, number])[1]]);
  // Calls in dependency order (the file need not list layers topologically; inspect has
  // already proved the graph acyclic, so this always completes).
  const pending = graph.layers.flatMap((e) => (e.type === 'input' ? [] : (e.inbound ?? []).map((call, index) => ({ e, call, index }))));
  for (const e of graph.layers) if (e.type === 'input') results.set(e.name, [(layers.get(e.name) as Layer).output]);
  while (pending.length) {
    const at = pending.findIndex(({ e, call, index }) => (results.get(e.name)?.length ?? 0) === index && call.every((r) => results.get(refOf(r)[0])?.[refOf(r)[1]]));
    if (at < 0) fail(where, 'the graph has a cycle or refers to a call that does not exist');
    const { e, call } = pending.splice(at, 1)[0];
    const ins = call.map((r) => results.get(refOf(r)[0])![refOf(r)[1]]);
    const out = layers.get(e.name)!.apply(ins.length === 1 ? ins[0] : ins);
    if (!results.has(e.name)) results.set(e.name, []);
    results.get(e.name)!.push(out);
  }
  const get = (r: unknown) => {
    const [name, call] = refOf(r);
    const t = results.get(name)?.[call];
    if (!t) fail(where, `graph refers to ${quote(r)}, which no layer call makes`);
    return t;
  };
  return { inputs: graph.inputs.map(get), outputs: graph.outputs.map(get), layers };
}

/**
 * A model from a ModelJSON (version 2, or a version 1 file) or its JSON text: same graph, seed
 * and weights, compiled with the same settings if the file was. A Sequential file gives a
 * Sequential. The optimizer state starts fresh (it is not saved).
 */
export function modelFromJSON(json: unknown, where = 'models.fromJSON()'): LayersModel {
  if (typeof json === 'string') json = parseJsonText(json, where);
  engine(); // a clear "call await nn.ready()" before anything is checked or built
  const parsed = parseModelJSON(json, where);
  const named = parsed.name !== undefined ? { name: parsed.name } : {};
  let model: LayersModel;
  if (parsed.version === 1) {
    const layers: Layer[] = parsed.layers.map((l, i) => layerFromSpec(l, i === 0 ? parsed.inputShape : undefined));
    model = new Sequential({ layers, seed: parsed.seed, ...named });
  } else if (parsed.modelClass === 'Sequential') {
    // The chain: the input's shape goes on the first layer, as nn.sequential() takes it.
    const g = parsed.graph!;
    const input = g.layers.find((l) => l.type === 'input');
    const chain = g.layers.filter((l) => l.type !== 'input');
    const layers = chain.map((l, i) =>
      layerFromConfig(l.type, { ...(l.config ?? {}), ...(i === 0 && input ? { inputShape: input.config.shape } : {}) }, l.name),
    );
    model = new Sequential({ layers, seed: parsed.seed, ...named });
  } else {
    const { inputs, outputs } = rebuildGraph(parsed.graph!, where);
    model = makeFunctional({ inputs, outputs, seed: parsed.seed, ...named });
  }
  const tensors: Tensor[] = [];
  try {
    if (parsed.compile) {
      const { optimizer, loss, metrics, lossWeights } = parsed.compile;
      model.compile({ optimizer: new Optimizer(optimizer), loss, metrics, ...(lossWeights ? { lossWeights } : {}) });
    }
    for (const w of parsed.weights) tensors.push(new Tensor(w.values, w.shape));
    model.setWeights(tensors);
  } catch (err) {
    model.dispose();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`nnplay: ${where}: the file does not make a valid model: ${message.replace(/^nnplay: /, '')}`);
  } finally {
    for (const t of tensors) t.dispose();
  }
  return model;
}

function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(where, `the text is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function storage(where: string): Storage {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) fail(where, "localstorage:// needs window.localStorage (a browser page); elsewhere use model.toJSON() and store the JSON yourself");
  return ls;
}

function splitUrl(url: unknown, where: string): { scheme: string; path: string } {
  const m = typeof url === 'string' ? /^([a-z]+):\/\/(.*)$/.exec(url) : null;
  if (!m) fail(where, `expected a URL like 'localstorage://my-model' or 'downloads://my-model', got ${describe(url)}`);
  return { scheme: m[1], path: m[2] };
}

/** model.save(url): 'localstorage://name' or 'downloads://name' (a JSON file download). */
export async function saveModel(model: LayersModel, url: string): Promise<SaveResult> {
  const where = 'save()';
  const { scheme, path } = splitUrl(url, where);
  if (scheme !== 'localstorage' && scheme !== 'downloads') {
    fail(where, `unsupported scheme '${scheme}://'; allowed: 'localstorage://name', 'downloads://name'`);
  }
  if (scheme === 'localstorage' && path === '') fail(where, "the model needs a name: 'localstorage://my-model'");
  const json = modelToJSON(model);
  const text = JSON.stringify(json);
  if (scheme === 'localstorage') {
    try {
      storage(where).setItem(LOCAL_STORAGE_PREFIX + path, text);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('nnplay:')) throw err;
      fail(where, `localStorage refused ${text.length} characters (${err instanceof Error ? err.message : String(err)}); free some space or use 'downloads://'`);
    }
  } else {
    const doc = (globalThis as { document?: Document }).document;
    if (!doc || typeof URL.createObjectURL !== 'function') {
      fail(where, "downloads:// needs a browser page (document); in Node use JSON.stringify(model.toJSON()) and write the file");
    }
    const blob = new Blob([text], { type: 'application/json' });
    const href = URL.createObjectURL(blob);
    const a = doc.createElement('a');
    a.href = href;
    a.download = `${path || 'model'}.json`;
    a.style.display = 'none';
    doc.body.append(a);
    a.click();
    a.remove();
    // Revoke after the click has been handled: the download keeps its own reference.
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  }
  const weightDataBytes = json.weights.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  const topology = JSON.stringify({ ...json, weights: json.weights.map(({ name, shape }) => ({ name, shape })) });
  return {
    modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: topology.length, weightDataBytes },
  };
}

/**
 * A Sequential from 'localstorage://name', a ModelJSON object, its JSON text, or a File/Blob
 * holding it (e.g. from <input type="file">). A playground export ('nnplay-playground') loads
 * too: its model is used. Needs `await nn.ready()` first.
 */
export async function loadLayersModel(source: unknown): Promise<LayersModel> {
  const where = 'loadLayersModel()';
  await engineLoaded(); // TF.js programs never call ready(): the first asynchronous call waits for it
  let json: unknown = source;
  if (typeof source === 'string') {
    const text = source.trim();
    if (text.startsWith('{')) json = parseJsonText(text, where);
    else {
      const { scheme, path } = splitUrl(text, where);
      if (scheme === 'downloads') fail(where, 'a download cannot be read back by URL; pass the File (from <input type="file">) or its text');
      if (scheme !== 'localstorage') fail(where, `unsupported scheme '${scheme}://'; allowed: 'localstorage://name', a JSON object or text, a File`);
      const ls = storage(where);
      const stored = ls.getItem(LOCAL_STORAGE_PREFIX + path);
      if (stored === null) {
        const names: string[] = [];
        for (let i = 0; i < ls.length; i++) {
          const k = ls.key(i);
          if (k?.startsWith(LOCAL_STORAGE_PREFIX)) names.push(k.slice(LOCAL_STORAGE_PREFIX.length));
        }
        fail(where, `no model saved as 'localstorage://${path}'; saved: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'}`);
      }
      json = parseJsonText(stored, where);
    }
  } else if (isBlob(source)) {
    json = parseJsonText(await source.text(), where);
  } else if (source === null || typeof source !== 'object') {
    fail(where, `expected 'localstorage://name', a model object (format '${MODEL_FORMAT}'), its JSON text or a File, got ${describe(source)}`);
  }
  const obj = json as { format?: unknown; model?: unknown };
  if (obj && typeof obj === 'object' && obj.format === 'nnplay-playground' && obj.model !== undefined) json = obj.model;
  return modelFromJSON(json, where);
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

/** Names of the models saved with 'localstorage://' (TF.js: tf.io.listModels). */
export function listModels(): string[] {
  const ls = storage('io.listModels()');
  const out: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const k = ls.key(i);
    if (k?.startsWith(LOCAL_STORAGE_PREFIX)) out.push(`localstorage://${k.slice(LOCAL_STORAGE_PREFIX.length)}`);
  }
  return out.sort();
}

/** Deletes a model saved with 'localstorage://name'; throws if there is none. */
export function removeModel(url: string): void {
  const where = 'io.removeModel()';
  const { scheme, path } = splitUrl(url, where);
  if (scheme !== 'localstorage') fail(where, `only 'localstorage://name' models can be removed, got '${scheme}://'`);
  const ls = storage(where);
  if (ls.getItem(LOCAL_STORAGE_PREFIX + path) === null) fail(where, `no model saved as 'localstorage://${path}'`);
  ls.removeItem(LOCAL_STORAGE_PREFIX + path);
}

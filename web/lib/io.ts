// Saving and loading models, TF.js shaped: model.save(url | handler) writes TF.js's
// layers-model format (tfjs-format.ts; the URL schemes and handlers are io-handlers.ts), and
// nn.loadLayersModel() reads it or nnplay's own JSON format (model.toJSON() /
// nn.models.fromJSON(); model-json.ts), telling them apart by their fields.
//
// Both formats end in the one builder here, modelFromJSON(). A load checks the whole
// file first, then builds; if building, compiling or writing weights still fails, the new
// model is disposed before the error propagates, so a failed load leaks nothing.
import { describe } from './describe';
import { describe as quote } from './describe';
import { type Layer, layerFromConfig, layerFromSpec } from './layers';
import { type Inspection, inspect, kerasWeights } from './engine-tables';
import {
  type IOHandler,
  type SaveOptions,
  type SaveResult,
  downloadsHandler,
  fileHandler,
  httpHandler,
  indexedDBHandler,
  listLocalStorage,
  localStorageHandler,
  removeLocalStorage,
} from './io-handlers';
import type { ModelArtifacts } from './tfjs-format';
// tfjs-format.ts itself is a lazy chunk (tfjs-basics.ts): save and load await loadTfjsFormat().
import { GENERATED_BY, concatBuffers, loadTfjsFormat, shardWeights, tfjsFormatNow } from './tfjs-basics';
import { engine, engineLoaded } from './memory';
import { type GraphJSON, type ModelJSON, MODEL_FORMAT, parseModelJSON, toModelJSONv2 } from './model-json';
import { LayersModel, Sequential, model as makeFunctional } from './model';
import type { GraphSpecV2, SymbolicTensor } from './symbolic';
import { Optimizer } from './optimizers';
import { Tensor } from './tensor';

export type { SaveResult } from './io-handlers';

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
  const results = new Map<string, SymbolicTensor[][]>(); // per layer, per call, per output tensor
  for (const entry of graph.layers) {
    if (layers.has(entry.name)) fail(where, `graph.layers has two layers named "${entry.name}"; layer names must be unique`);
    layers.set(entry.name, layerFromConfig(entry.type, entry.config ?? {}, entry.name));
  }
  const refOf = (r: unknown): [string, number, number] => {
    if (typeof r === 'string') return [r, 0, 0];
    const a = r as [string, number, number?];
    return [a[0], a[1] ?? 0, a[2] ?? 0];
  };
  const tensorOf = (r: unknown): SymbolicTensor | undefined => {
    const [name, call, tensor] = refOf(r);
    return results.get(name)?.[call]?.[tensor];
  };
  // Calls in dependency order (the file need not list layers topologically; inspect has
  // already proved the graph acyclic, so this always completes).
  const pending = graph.layers.flatMap((e) => (e.type === 'input' ? [] : (e.inbound ?? []).map((call, index) => ({ e, call, index }))));
  for (const e of graph.layers) if (e.type === 'input') results.set(e.name, [[(layers.get(e.name) as Layer).output]]);
  while (pending.length) {
    const at = pending.findIndex(({ e, call, index }) => (results.get(e.name)?.length ?? 0) === index && call.every((r) => results.get(refOf(r)[0])?.[refOf(r)[1]]));
    if (at < 0) fail(where, 'the graph has a cycle or refers to a call that does not exist');
    const { e, call } = pending.splice(at, 1)[0];
    const ins = call.map((r) => {
      const t = tensorOf(r);
      if (!t) fail(where, `graph refers to ${quote(r)}, which no layer call makes`);
      return t;
    });
    // An array: every output tensor of a returnState layer.
    const out: SymbolicTensor | SymbolicTensor[] = layers.get(e.name)!.apply(ins.length === 1 ? ins[0] : ins);
    if (!results.has(e.name)) results.set(e.name, []);
    results.get(e.name)!.push(Array.isArray(out) ? out : [out]);
  }
  const get = (r: unknown) => {
    const t = tensorOf(r);
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

// ---------------------------------------------------------------- the TF.js layers-model format

/**
 * The model as TF.js ModelArtifacts: the Keras topology TF.js 4.22 writes, weightSpecs in
 * TF.js's order and names (the engine's kerasWeights) and one float32 buffer. The weights and
 * the engine's description are read at once (save() records the model as it was when called);
 * the returned step writes the topology once tfjs-format.ts is loaded.
 */
function snapshotArtifacts(model: LayersModel, where: string): (format: typeof import('./tfjs-format')) => ModelArtifacts {
  if (model.isDisposed) fail(where, 'this model was disposed and can no longer be used');
  const tensors = model.getWeights(); // kerasWeights order; also builds the engine model
  try {
    const inspection = model.inspection;
    const specs = kerasWeights(inspection).map((v) => ({ name: v.name, shape: [...v.shape], dtype: 'float32' as const }));
    const total = tensors.reduce((s, t) => s + t.size, 0);
    const data = new Float32Array(total);
    let at = 0;
    for (const t of tensors) {
      data.set(t.values(), at);
      at += t.size;
    }
    const name = model.name;
    const sequential = model instanceof Sequential;
    const compiled = model.compiledWith; // a copy: the settings as they were when called
    const given = model.getUserDefinedMetadata();
    const metadata = given === undefined ? undefined : (JSON.parse(JSON.stringify(given)) as Record<string, unknown>);
    return (format) => {
      const tc = format.trainingConfigOf(compiled);
      const artifacts: ModelArtifacts = {
        modelTopology: format.toKerasTopology(inspection, name, sequential, where),
        format: 'layers-model',
        generatedBy: GENERATED_BY,
        convertedBy: null,
        weightSpecs: specs,
        weightData: data.buffer,
      };
      if (tc) artifacts.trainingConfig = tc;
      if (metadata) artifacts.userDefinedMetadata = metadata;
      return artifacts;
    };
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/**
 * A model from TF.js ModelArtifacts (saved by TF.js, converted from Keras, or by nnplay).
 * Needs tfjs-format.ts loaded (its callers await loadTfjsFormat()).
 */
function modelFromArtifacts(a: ModelArtifacts, where: string): LayersModel {
  const { compileFromTrainingConfig, decodeWeights, fromKerasTopology, matchWeights } = tfjsFormatNow();
  if (!a || typeof a !== 'object') fail(where, `expected model artifacts {modelTopology, weightSpecs, weightData}, got ${describe(a)}`);
  let topology = a.modelTopology as unknown;
  if (topology instanceof ArrayBuffer) fail(where, 'this is a TF.js graph model (binary GraphDef topology); nnplay loads layers models (tf.loadLayersModel), not graph models');
  if (a.format === 'graph-model') fail(where, "this is a TF.js graph model (format 'graph-model'); nnplay loads layers models only");
  if (typeof topology === 'string') topology = parseJsonText(topology, where);
  const loaded = fromKerasTopology(topology, where);
  // batchNormalization's axis counted from the batch must be the last one: known from the shapes.
  const axisChecks = loaded.layers.flatMap((l) => {
    const ax = l.config.__lastAxis;
    delete l.config.__lastAxis;
    return ax === undefined ? [] : [{ name: l.name, cls: l.type === 'layerNormalization' ? 'LayerNormalization' : 'BatchNormalization', axis: ax as number }];
  });
  // The engine's word on the graph and the weights it expects (names, shapes, order).
  const graph = { layers: loaded.layers, inputs: loaded.inputs, outputs: loaded.outputs.map(([n, c, t]) => (c === 0 && t === 0 ? n : [n, c, t])) };
  const spec = { format: 'nnplay-graph', seed: 1, ...graph };
  let expected: { name: string; shape: number[] }[];
  let inspection: Inspection;
  try {
    inspection = inspect(spec, 'layers');
  } catch (err) {
    fail(where, (err instanceof Error ? err.message : String(err)).replace(/^nnplay: /, ''));
  }
  for (const { name, cls, axis } of axisChecks) {
    const rank = inspection.layers.find((l) => l.name === name)!.outputShape.length;
    if (axis !== rank) fail(where, `layer "${name}" (${cls}): axis ${axis} is not supported; nnplay normalizes the last axis only (-1, here ${rank})`);
  }
  expected = kerasWeights(inspection).map((v) => ({ name: v.name, shape: v.shape }));
  const given = a.weightData === undefined && !a.weightSpecs?.length ? new Map() : decodeWeights(a.weightSpecs ?? [], concatBuffers(a.weightData ?? new ArrayBuffer(0)), where);
  if (given.size === 0 && expected.length > 0) fail(where, `the artifacts have no weights; the model needs ${expected.length}: ${expected.map((e) => e.name).join(', ')}`);
  const weights = matchWeights(expected, given, where);
  const json = {
    format: MODEL_FORMAT,
    version: 2,
    ...(loaded.name !== undefined ? { name: loaded.name } : {}),
    modelClass: loaded.modelClass,
    seed: 1,
    graph,
    weights,
  };
  const model = modelFromJSON(json, where);
  const metadata = a.userDefinedMetadata;
  if (metadata !== undefined && metadata !== null) {
    try {
      model.setUserDefinedMetadata(metadata);
    } catch (err) {
      model.dispose();
      fail(where, `userDefinedMetadata: ${(err instanceof Error ? err.message : String(err)).replace(/^nnplay: setUserDefinedMetadata\(\): /, '')}`);
    }
  }
  const compile = compileFromTrainingConfig(a.trainingConfig ?? (topology as { training_config?: unknown }).training_config);
  if (compile) {
    try {
      model.compile(compile as never);
    } catch {
      // A trainingConfig nnplay cannot honour leaves the model uncompiled, as TF.js's
      // loadLayersModel does for a model saved without one; compile() it yourself.
    }
  }
  return model;
}

function isHandler(v: unknown): v is IOHandler {
  return v !== null && typeof v === 'object' && (typeof (v as IOHandler).save === 'function' || typeof (v as IOHandler).load === 'function');
}

const schemes = "'localstorage://name', 'indexeddb://name', 'downloads://name', 'file://path' (Node), 'http(s)://.../model.json' (load)";

/** The handler of a URL scheme. */
function handlerFor(url: string, where: string, options: SaveOptions): IOHandler {
  const { scheme, path } = splitUrl(url, where);
  switch (scheme) {
    case 'localstorage':
      if (path === '') fail(where, "the model needs a name: 'localstorage://my-model'");
      return localStorageHandler(path);
    case 'indexeddb':
      if (path === '') fail(where, "the model needs a name: 'indexeddb://my-model'");
      return indexedDBHandler(path);
    case 'downloads':
      return downloadsHandler(path, options);
    case 'file':
      return fileHandler(path, options);
    case 'http':
    case 'https':
      return httpHandler(url);
    default:
      fail(where, `unsupported scheme '${scheme}://'; allowed: ${schemes}`);
  }
}

/**
 * model.save(urlOrHandler, options): writes the TF.js layers-model format (model.json +
 * binary weights), which tf.loadLayersModel of TF.js 4.22 reads.
 */
export async function saveModel(model: LayersModel, target: string | IOHandler, options: SaveOptions = {}): Promise<SaveResult> {
  const where = 'save()';
  if (options === null || typeof options !== 'object') fail(where, `options must be {shardSizeBytes?}, got ${describe(options)}`);
  const handler = typeof target === 'string' ? handlerFor(target, where, options) : target;
  if (!isHandler(handler) || typeof handler.save !== 'function') {
    fail(where, `expected a URL (${schemes}) or an IO handler with save() (nn.io.withSaveHandler), got ${describe(target)}`);
  }
  if (typeof target === 'string' && /^https?:/.test(target) === false && options.shardSizeBytes !== undefined) shardWeights(new ArrayBuffer(0), options.shardSizeBytes);
  const finish = snapshotArtifacts(model, where);
  return handler.save(finish(await loadTfjsFormat()));
}

/** TF.js model.json text or object (weights not included: a File needs its weight files). */
function isTfjsModelJSON(v: unknown): v is { modelTopology: unknown } {
  return v !== null && typeof v === 'object' && 'modelTopology' in v;
}

/**
 * nn.loadLayersModel(source): a TF.js layers model (URL, IO handler, artifacts) or nnplay's own
 * format ('localstorage://name' saved by an older nnplay, a ModelJSON object or text, a File).
 */
export async function loadLayersModel(source: unknown): Promise<LayersModel> {
  const where = 'loadLayersModel()';
  // TF.js programs never call ready(): the first asynchronous call waits for it (and for the
  // format module, a lazy chunk).
  await Promise.all([engineLoaded(), loadTfjsFormat()]);
  let json: unknown = source;
  if (typeof source === 'string') {
    const text = source.trim();
    if (text.startsWith('{')) json = parseJsonText(text, where);
    else {
      const { scheme, path } = splitUrl(text, where);
      if (scheme === 'downloads') fail(where, 'a download cannot be read back by URL; pass the File (from <input type="file">) or its text');
      if (scheme === 'localstorage') {
        // nnplay before the TF.js format stored its own JSON under nnplay_models/<name>.
        const ls = (globalThis as { localStorage?: Storage }).localStorage;
        const legacy = ls?.getItem(LOCAL_STORAGE_PREFIX + path);
        if (ls && legacy !== null && legacy !== undefined && ls.getItem(`tensorflowjs_models/${path}/info`) === null) return loadFromJSON(parseJsonText(legacy, where), where);
        if (ls && legacy === null && ls.getItem(`tensorflowjs_models/${path}/info`) === null) {
          const names = listModels().map((n) => `'${n.slice('localstorage://'.length)}'`);
          fail(where, `no model saved as 'localstorage://${path}'; saved: ${names.length ? names.join(', ') : 'none'}`);
        }
      }
      return loadFromHandler(handlerFor(text, where, {}), where);
    }
  } else if (isBlob(source)) {
    json = parseJsonText(await source.text(), where);
  } else if (isHandler(source)) {
    return loadFromHandler(source, where);
  } else if (source === null || typeof source !== 'object') {
    fail(where, `expected a URL (${schemes}), an IO handler (nn.io.fromMemory), model artifacts, a model object (format '${MODEL_FORMAT}'), its JSON text or a File, got ${describe(source)}`);
  }
  return loadFromJSON(json, where);
}

async function loadFromHandler(handler: IOHandler, where: string): Promise<LayersModel> {
  if (typeof handler.load !== 'function') fail(where, 'the IO handler has no load() (a save handler cannot be loaded from)');
  const artifacts = await handler.load();
  return modelFromArtifacts(artifacts, where);
}

function loadFromJSON(json: unknown, where: string): LayersModel {
  const obj = json as { format?: unknown; model?: unknown; weightsManifest?: unknown; weightData?: unknown };
  if (obj && typeof obj === 'object' && obj.format === 'nnplay-playground' && obj.model !== undefined) json = obj.model;
  if (isTfjsModelJSON(json)) {
    if (obj.weightsManifest !== undefined && obj.weightData === undefined) {
      fail(where, "this is a TF.js model.json: its weights are in separate files; load it by URL ('http(s)://.../model.json', 'file://dir'), or pass nn.io.fromMemory(modelTopology, weightSpecs, weightData)");
    }
    return modelFromArtifacts(json as ModelArtifacts, where);
  }
  return modelFromJSON(json, where);
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

function splitUrl(url: unknown, where: string): { scheme: string; path: string } {
  const m = typeof url === 'string' ? /^([a-z]+):\/\/(.*)$/.exec(url) : null;
  if (!m) fail(where, `expected a URL like 'localstorage://my-model' or 'file://./my-model', got ${describe(url)}`);
  return { scheme: m[1], path: m[2] };
}

/** The models saved with 'localstorage://' (TF.js layout, and nnplay's older one), as URLs. */
export function listModels(): string[] {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) fail('io.listModels()', "localstorage:// needs window.localStorage (a browser page)");
  const out = new Set(listLocalStorage(ls));
  for (let i = 0; i < ls.length; i++) {
    const k = ls.key(i);
    if (k?.startsWith(LOCAL_STORAGE_PREFIX)) out.add(k.slice(LOCAL_STORAGE_PREFIX.length));
  }
  return [...out].sort().map((n) => `localstorage://${n}`);
}

/** Deletes a model saved with 'localstorage://name'; throws if there is none. */
export function removeModel(url: string): void {
  const where = 'io.removeModel()';
  const { scheme, path } = splitUrl(url, where);
  if (scheme !== 'localstorage') fail(where, `only 'localstorage://name' models can be removed, got '${scheme}://'`);
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) fail(where, 'localstorage:// needs window.localStorage (a browser page)');
  const legacy = ls.getItem(LOCAL_STORAGE_PREFIX + path) !== null;
  if (legacy) ls.removeItem(LOCAL_STORAGE_PREFIX + path);
  if (!removeLocalStorage(ls, path) && !legacy) fail(where, `no model saved as 'localstorage://${path}'`);
}

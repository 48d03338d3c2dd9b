// The nnplay model file format, 'nnplay-layers-model', and the functions that write and check it.
//  - version 2 (written by model.toJSON()): the functional graph, {graph: {layers: [{name, type,
//    config, inbound}], inputs, outputs}} as in the engine's v2 spec (engine/nn/graph.h), plus
//    modelClass ('Sequential' or 'LayersModel'), seed, compile and weights.
//  - version 1 (still read, and written by the playground's checkpoints): a Sequential,
//    {inputShape, layers: [{type, ...config}]}.
//
// What it is: the one definition of the format, shared by the library (model.toJSON(),
// nn.models.fromJSON(), save/loadLayersModel in io.ts) and by the playground. What it is not: a
// loader. A file is checked completely before anything is built: its structure here, its layers,
// shapes and weight names and shapes by the engine's inspect() (when the engine is loaded, which
// every loader needs; a page that only reads a file's structure may call this without it).
//
// Weights are base64 of little-endian float32, in Keras order (layers in graph order, each
// layer's own order: kernel then bias; gamma, beta, moving_mean, moving_variance), named
// "<layer>/<weight>" by the engine, so a file round-trips bit for bit.
import { describe, quote } from './describe';
import { inspect, kerasWeights } from './engine-tables';
import {
  type Conv2DSpec,
  type DenseSpec,
  type FlattenSpec,
  type LayerSpec,
  type MaxPooling2DSpec,
  layerFromSpec,
  layerTypes,
} from './layers';
import { isReady } from './memory';
import type { GraphSpecV2 } from './symbolic';
import { integerIn, limits, range } from './limits';
import {
  LearningRateSchedule,
  type Optimizer,
  type OptimizerConfig,
  type ScheduleConfig,
  adagrad,
  adam,
  momentum,
  rmsprop,
  sgd,
} from './optimizers';

export const MODEL_FORMAT = 'nnplay-layers-model';
/** The version model.toJSON() writes; version 1 files are still read. */
export const MODEL_FORMAT_VERSION = 2;

/** One layer: the engine's layer spec (engine/nn/spec.h), plus an optional display name. */
export type DenseLayerJSON = DenseSpec & { name?: string };
export type Conv2DLayerJSON = Conv2DSpec & { name?: string };
export type MaxPooling2DLayerJSON = MaxPooling2DSpec & { name?: string };
export type FlattenLayerJSON = FlattenSpec & { name?: string };
export type LayerJSON = DenseLayerJSON | Conv2DLayerJSON | MaxPooling2DLayerJSON | FlattenLayerJSON;

export interface WeightJSON {
  /** e.g. 'dense_1/kernel', 'dense_1/bias'. */
  name: string;
  shape: number[];
  /** base64 of the values as little-endian float32, row-major. */
  data: string;
}

export interface CompileJSON {
  optimizer: OptimizerConfig;
  /** One loss for every output, or one per output (model output order). */
  loss: string | string[];
  metrics: string[];
  /** Per output, in output order; absent: 1 each. */
  lossWeights?: number[];
}

/** The functional graph of a version 2 file: the engine's v2 spec without format and seed. */
export type GraphJSON = Pick<GraphSpecV2, 'layers' | 'inputs' | 'outputs'>;

/** What model.toJSON() returns (version 2). Plain data: JSON.stringify it. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: 2;
  name?: string;
  /** Which class loading makes: a Sequential keeps add() and its chain form. */
  modelClass: 'Sequential' | 'LayersModel';
  seed: number;
  graph: GraphJSON;
  compile: CompileJSON | null;
  weights: WeightJSON[];
}

/** A version 1 file (a Sequential): what nnplay wrote before the functional graph. */
export interface ModelJSONv1 {
  format: typeof MODEL_FORMAT;
  version: 1;
  name?: string;
  /** The model seed (weight initialisation, shuffling). */
  seed: number;
  /** The shape of one sample: [features], or [height, width, channels] for images. */
  inputShape: number[];
  layers: LayerJSON[];
  /** The compile() arguments, or null when the model was not compiled. */
  compile: CompileJSON | null;
  weights: WeightJSON[];
}

/** Weights as values: what the engine reads and writes. */
export interface NamedWeights {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A checked model file with its weights decoded. */
export interface ParsedModel {
  version: 1 | 2;
  modelClass: 'Sequential' | 'LayersModel';
  /** Version 2: the graph; version 1: null (see layers). */
  graph: GraphJSON | null;
  /** Whether inspect() checked the layers, shapes and weights (false only without the engine). */
  checkedByEngine: boolean;
  name?: string;
  seed: number;
  /** The shape of one sample (of input 0), e.g. [2] or [28, 28, 1]. */
  inputShape: number[];
  /** Values per sample: the product of inputShape. */
  inputSize: number;
  /** Version 1: the layers; version 2: []. */
  layers: LayerJSON[];
  compile: CompileJSON | null;
  weights: NamedWeights[];
}

// ---------------------------------------------------------------- base64 float32

/** base64 of `values` as little-endian float32 (whatever the platform's byte order). */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  // btoa takes a "binary string"; build it in chunks (argument-count limits of apply).
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
  }
  return btoa(binary);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The float32 values in base64 `data`; throws saying what is wrong with it. */
export function decodeFloat32(data: unknown, what: string): Float32Array {
  // Already decoded (a TF.js weight shard, read by io.ts): checked for length and finiteness as any other.
  if (data instanceof Float32Array) return data;
  if (typeof data !== 'string') throw new Error(`${what}: data must be a base64 string, got ${typeName(data)}`);
  if (data.length % 4 !== 0 || !BASE64.test(data)) {
    throw new Error(`${what}: data is not valid base64 (expected A-Z a-z 0-9 + / in groups of 4, '=' padding only at the end)`);
  }
  let binary: string;
  try {
    binary = atob(data);
  } catch {
    throw new Error(`${what}: data is not valid base64`);
  }
  if (binary.length % 4 !== 0) {
    throw new Error(`${what}: data holds ${binary.length} bytes, which is not a whole number of float32 values (4 bytes each)`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

// ---------------------------------------------------------------- writing

/**
 * Assembles a version 1 file (a Sequential; the playground's checkpoints). `weights` in Keras
 * order with the engine's names (the session's weights table), e.g. dense_1/kernel.
 */
export function toModelJSON(parts: {
  name?: string;
  seed: number;
  /** The shape of one sample, e.g. [2] or [28, 28, 1]. */
  inputShape?: readonly number[];
  /** For dense models, instead of inputShape: [inputSize]. */
  inputSize?: number;
  layers: readonly LayerJSON[];
  compile: CompileJSON | null;
  weights: readonly { name: string; shape: readonly number[]; values: Float32Array }[];
}): ModelJSONv1 {
  const inputShape = parts.inputShape ? [...parts.inputShape] : parts.inputSize !== undefined ? [parts.inputSize] : null;
  if (!inputShape) throw new Error('nnplay: internal: toModelJSON needs inputShape (or inputSize)');
  const json: ModelJSONv1 = {
    format: MODEL_FORMAT,
    version: 1,
    seed: parts.seed,
    inputShape,
    layers: parts.layers.map(copyLayer),
    compile: copyCompile(parts.compile),
    weights: parts.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: encodeFloat32(w.values) })),
  };
  if (parts.name !== undefined) json.name = parts.name;
  return json;
}

/** Assembles a version 2 file from a model's engine spec and its weights (names from the engine). */
export function toModelJSONv2(parts: {
  name?: string;
  modelClass: 'Sequential' | 'LayersModel';
  spec: GraphSpecV2;
  compile: CompileJSON | null;
  weights: readonly { name: string; shape: readonly number[]; values: Float32Array }[];
}): ModelJSON {
  const json: ModelJSON = {
    format: MODEL_FORMAT,
    version: 2,
    modelClass: parts.modelClass,
    seed: parts.spec.seed,
    graph: JSON.parse(JSON.stringify({ layers: parts.spec.layers, inputs: parts.spec.inputs, outputs: parts.spec.outputs })) as GraphJSON,
    compile: copyCompile(parts.compile),
    weights: parts.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: encodeFloat32(w.values) })),
  };
  if (parts.name !== undefined) json.name = parts.name;
  return json;
}

function copyCompile(c: CompileJSON | null): CompileJSON | null {
  if (!c) return null;
  const copy: CompileJSON = { optimizer: { ...c.optimizer }, loss: Array.isArray(c.loss) ? [...c.loss] : c.loss, metrics: [...c.metrics] };
  if (c.lossWeights) copy.lossWeights = [...c.lossWeights];
  return copy;
}

// ---------------------------------------------------------------- reading

// The file's values are user values: quoted bounded (a file may nest 100,000 deep).
const typeName = describe;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string, fail: (m: string) => never): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(`${what} has an unknown field ${quote(k)}; allowed: ${allowed.join(', ')}`);
  }
}

/** Re-throws a layers.dense()/train.*() error as part of the file check. */
function rethrowAs(err: unknown, what: string, fail: (m: string) => never): never {
  const message = err instanceof Error ? err.message : String(err);
  fail(`${what}: ${message.replace(/^nnplay: [\w.]+\(\): /, '')}`);
}

// Fields a stored layer may have, per type (the engine spec's fields, plus a display name).
const layerKeys: Record<string, string[]> = {
  dense: ['type', 'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'name'],
  conv2d: [
    'type', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'kernelInitializer',
    'biasInitializer', 'kernelRegularizer', 'name',
  ],
  maxPooling2d: ['type', 'poolSize', 'strides', 'padding', 'name'],
  flatten: ['type', 'name'],
};

/** A deep copy of a layer's JSON (its arrays and regularizer are not shared). */
function copyLayer(l: LayerJSON): LayerJSON {
  switch (l.type) {
    case 'dense':
      return { ...l, kernelRegularizer: { ...l.kernelRegularizer } };
    case 'conv2d':
      return { ...l, kernelSize: [...l.kernelSize], strides: [...l.strides], kernelRegularizer: { ...l.kernelRegularizer } };
    case 'maxPooling2d':
      return { ...l, poolSize: [...l.poolSize], strides: [...l.strides] };
    case 'flatten':
      return { ...l };
  }
}

const topKeysV1 = ['format', 'version', 'name', 'seed', 'inputShape', 'layers', 'compile', 'weights'];
const topKeysV2 = ['format', 'version', 'name', 'modelClass', 'seed', 'graph', 'compile', 'weights'];

/**
 * Checks a model file object (version 1 or 2) completely and decodes its weights. Throws an
 * Error starting with `nnplay: <where>:` that says what was wrong and what is expected. The
 * layers, their shapes and the weights' names and shapes are checked by the engine (inspect)
 * when it is loaded; without it (a page reading a file's structure) only the structure is.
 * Loss and metric names are checked by compile() when the model is built (see io.ts).
 */
export function parseModelJSON(input: unknown, where: string): ParsedModel {
  const fail = (message: string): never => {
    throw new Error(`nnplay: ${where}: ${message}`);
  };
  if (!isObject(input)) fail(`expected a model object (format '${MODEL_FORMAT}'), got ${typeName(input)}`);
  const obj = input as Record<string, unknown>;
  if (obj.format !== MODEL_FORMAT) {
    if ('modelTopology' in obj) {
      fail(`this looks like a TensorFlow.js model.json; nnplay reads its own format ('${MODEL_FORMAT}', written by model.toJSON() or model.save())`);
    }
    if (obj.format === 'nnplay-playground') fail("this is a playground file: its model is the 'model' field (nn.loadLayersModel() reads both)");
    fail(`format must be '${MODEL_FORMAT}', got ${obj.format === undefined ? 'no format field' : typeName(obj.format)}`);
  }
  if (obj.version !== 1 && obj.version !== 2) {
    const newer = typeof obj.version === 'number' && obj.version > MODEL_FORMAT_VERSION;
    fail(
      `version ${describe(obj.version)} is not supported${newer ? ' (the file was written by a newer nnplay)' : ''}; this nnplay reads versions 1 and ${MODEL_FORMAT_VERSION}`,
    );
  }
  const version = obj.version as 1 | 2;
  unknownKeys(obj, version === 1 ? topKeysV1 : topKeysV2, 'the model', fail);
  if (obj.name !== undefined && typeof obj.name !== 'string') fail(`name must be a string, got ${typeName(obj.name)}`);
  const seed = obj.seed;
  integerIn(where, 'seed', seed, 0, limits.seed);

  let layers: LayerJSON[] = [];
  let graph: GraphJSON | null = null;
  let spec: unknown;
  let inputShape: number[];
  let modelClass: 'Sequential' | 'LayersModel' = 'Sequential';
  if (version === 1) {
    const shape = obj.inputShape;
    if (
      !Array.isArray(shape) ||
      shape.length < 1 ||
      shape.length > 6 ||
      shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > limits.dimension)
    ) {
      fail(`inputShape must be [features] or [height, width, channels] of integers in ${range(1, limits.dimension)}, got ${describe(shape)}`);
    }
    inputShape = [...(shape as number[])];
    if (!Array.isArray(obj.layers) || obj.layers.length === 0) fail('layers must be a non-empty array of layer specs');
    layers = (obj.layers as unknown[]).map((raw, i) => {
      const what = `layers[${i}]`;
      if (!isObject(raw)) fail(`${what} must be an object like {type: 'dense', units: 8, activation: 'tanh'}, got ${typeName(raw)}`);
      const l = raw as Record<string, unknown>;
      const keys = typeof l.type === 'string' ? layerKeys[l.type] : undefined;
      if (!keys) {
        fail(`${what}.type must be ${layerTypes.slice(0, 4).map((t) => `'${t}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}, got ${typeName(l.type)}`);
      }
      unknownKeys(l, keys!, what, fail);
      if (l.kernelRegularizer !== undefined && !isObject(l.kernelRegularizer)) {
        fail(`${what}.kernelRegularizer must be {l1, l2}, got ${typeName(l.kernelRegularizer)}`);
      }
      try {
        // The same type checks as nn.layers.*() (the factories validate every field).
        const layer = layerFromSpec(l as unknown as LayerSpec, i === 0 ? inputShape : undefined);
        const out = copyLayer(layer.spec as unknown as LayerJSON);
        if (typeof l.name === 'string') out.name = l.name;
        return out;
      } catch (err) {
        rethrowAs(err, what, fail);
      }
    });
    // The engine reads version 1 specs as they are (layer i named <type>_<i+1>).
    spec = { inputShape, seed, layers: layers.map(({ name: _name, ...rest }) => rest) };
  } else {
    if (obj.modelClass !== 'Sequential' && obj.modelClass !== 'LayersModel') {
      fail(`modelClass must be 'Sequential' or 'LayersModel', got ${typeName(obj.modelClass)}`);
    }
    modelClass = obj.modelClass as 'Sequential' | 'LayersModel';
    const g = obj.graph;
    if (!isObject(g)) fail(`graph must be {layers, inputs, outputs}, got ${typeName(g)}`);
    const go = g as Record<string, unknown>;
    unknownKeys(go, ['layers', 'inputs', 'outputs'], 'graph', fail);
    if (!Array.isArray(go.layers) || go.layers.length === 0) fail('graph.layers must be a non-empty array of {name, type, config, inbound}');
    (go.layers as unknown[]).forEach((raw, i) => {
      const what = `graph.layers[${i}]`;
      if (!isObject(raw)) fail(`${what} must be {name, type, config, inbound}, got ${typeName(raw)}`);
      const l = raw as Record<string, unknown>;
      unknownKeys(l, ['name', 'type', 'config', 'inbound'], what, fail);
      if (typeof l.name !== 'string') fail(`${what}.name must be a string, got ${typeName(l.name)}`);
      if (typeof l.type !== 'string') fail(`${what}.type must be a layer type name, got ${typeName(l.type)}`);
      if (l.config !== undefined && !isObject(l.config)) fail(`${what}.config must be an object, got ${typeName(l.config)}`);
    });
    if (!Array.isArray(go.inputs) || !go.inputs.every((n) => typeof n === 'string')) fail(`graph.inputs must be an array of input layer names, got ${describe(go.inputs)}`);
    if (!Array.isArray(go.outputs) || go.outputs.length === 0) fail(`graph.outputs must be a non-empty array of layer refs, got ${describe(go.outputs)}`);
    graph = JSON.parse(JSON.stringify({ layers: go.layers, inputs: go.inputs, outputs: go.outputs })) as GraphJSON;
    spec = { format: 'nnplay-graph', seed, ...graph };
    const firstInput = graph.layers.find((l) => l.name === graph!.inputs[0]);
    inputShape = Array.isArray(firstInput?.config?.shape) ? [...(firstInput!.config.shape as number[])] : [];
  }
  const inputSize = inputShape.reduce((a, b) => a * b, 1);

  let compile: CompileJSON | null = null;
  if (obj.compile !== undefined && obj.compile !== null) {
    if (!isObject(obj.compile)) fail(`compile must be {optimizer, loss, metrics} or null, got ${typeName(obj.compile)}`);
    const c = obj.compile as Record<string, unknown>;
    unknownKeys(c, ['optimizer', 'loss', 'metrics', 'lossWeights'], 'compile', fail);
    const optimizer = parseOptimizer(c.optimizer, fail);
    const lossList = Array.isArray(c.loss) && c.loss.length > 0 && c.loss.every((l) => typeof l === 'string');
    if (typeof c.loss !== 'string' && !lossList) {
      fail(`compile.loss must be a loss name like 'binaryCrossentropy' (or a list of them, one per output), got ${typeName(c.loss)}`);
    }
    const lw = c.lossWeights;
    if (lw !== undefined && (!Array.isArray(lw) || lw.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0))) {
      fail(`compile.lossWeights must be a list of numbers >= 0 (one per output), got ${describe(lw)}`);
    }
    const metrics = c.metrics ?? [];
    if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) {
      fail(`compile.metrics must be an array of metric names like ['accuracy'], got ${describe(metrics)}`);
    }
    compile = {
      optimizer: optimizer.config,
      loss: lossList ? [...(c.loss as string[])] : (c.loss as string),
      metrics: [...(metrics as string[])],
      ...(lw !== undefined ? { lossWeights: [...(lw as number[])] } : {}),
    };
  }

  // The engine's word on the layers: shapes through the graph, names, the variables it builds.
  let expected: { name: string; shape: number[] }[] | null = null;
  if (isReady()) {
    try {
      expected = kerasWeights(inspect(spec, 'layers')).map((v) => ({ name: v.name, shape: v.shape }));
    } catch (err) {
      fail((err instanceof Error ? err.message : String(err)).replace(/^nnplay: /, ''));
    }
  }
  const list = expected ? expected.map((e) => `${e.name} [${e.shape.join(',')}]`).join(', ') : '';
  if (!Array.isArray(obj.weights)) fail(`weights must be an array of {name, shape, data}${expected ? `: ${list}` : ''}; got ${typeName(obj.weights)}`);
  const given = obj.weights as unknown[];
  if (expected && given.length < expected.length) {
    const missing = expected.slice(given.length).map((e) => e.name).join(', ');
    fail(`weights: ${given.length} of ${expected.length} tensors given, missing ${missing} (expected ${list})`);
  }
  if (expected && given.length > expected.length) fail(`weights: ${given.length} tensors given, but the layers have ${expected.length}: ${list}`);
  const weights = given.map((w, i): NamedWeights => {
    const e = expected?.[i];
    // Named by what the layers expect, or (unchecked by the engine) by the file's own name.
    const own = isObject(w) && typeof (w as Record<string, unknown>).name === 'string' ? ((w as Record<string, unknown>).name as string) : undefined;
    const label = e?.name ?? (own !== undefined && own.length <= 200 ? own : undefined);
    const what = `weights[${i}]${label !== undefined ? ` (${label})` : ''}`;
    if (!isObject(w)) fail(`${what} must be {name, shape, data}, got ${typeName(w)}`);
    const wo = w as Record<string, unknown>;
    unknownKeys(wo, ['name', 'shape', 'data'], what, fail);
    if (e && wo.name !== e.name) {
      fail(`weights[${i}] is named ${wo.name === undefined ? 'nothing' : quote(wo.name)}, expected '${e.name}' (order: per layer with weights, kernel then bias)`);
    }
    if (typeof wo.name !== 'string') fail(`${what}.name must be a string, got ${typeName(wo.name)}`);
    const s = wo.shape;
    if (e && (!Array.isArray(s) || s.length !== e.shape.length || s.some((d, j) => d !== e.shape[j]))) {
      fail(`${what} must have shape [${e.shape.join(',')}] to fit the layers, got ${describe(s)}`);
    }
    if (!Array.isArray(s) || s.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > limits.dimension)) {
      fail(`${what}.shape must be an array of integers, got ${describe(s)}`);
    }
    const shape = [...(s as number[])];
    let values: Float32Array;
    try {
      values = decodeFloat32(wo.data, what);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (values!.length !== size) {
      fail(`${what} holds ${values!.length} float32 values, shape [${shape.join(',')}] needs ${size}`);
    }
    for (let j = 0; j < values!.length; j++) {
      if (!Number.isFinite(values![j])) fail(`${what} contains ${values![j]} at index ${j}; weights must be finite numbers`);
    }
    return { name: wo.name as string, shape, values: values! };
  });

  const parsed: ParsedModel = {
    version,
    modelClass,
    graph,
    checkedByEngine: expected !== null,
    seed: seed as number,
    inputShape,
    inputSize,
    layers,
    compile,
    weights,
  };
  if (typeof obj.name === 'string') parsed.name = obj.name;
  return parsed;
}

/** The optimizer config, checked by the same nn.train.*() factory that made it. */
function parseOptimizer(raw: unknown, fail: (m: string) => never): Optimizer {
  if (!isObject(raw)) fail(`compile.optimizer must be an optimizer config like {name: 'adam', learningRate: 0.001}, got ${typeName(raw)}`);
  const o = raw as Record<string, unknown> & Partial<OptimizerConfig>;
  const allowed: Record<string, string[]> = {
    sgd: ['name', 'learningRate'],
    momentum: ['name', 'learningRate', 'momentum', 'useNesterov'],
    adam: ['name', 'learningRate', 'beta1', 'beta2', 'epsilon'],
    rmsprop: ['name', 'learningRate', 'decay', 'momentum', 'epsilon'],
    adagrad: ['name', 'learningRate', 'initialAccumulatorValue', 'epsilon'],
  };
  const keys = typeof o.name === 'string' ? allowed[o.name] : undefined;
  if (!keys) fail(`compile.optimizer.name must be one of ${Object.keys(allowed).map((n) => `'${n}'`).join(', ')}, got ${typeName(o.name)}`);
  unknownKeys(o, keys!, 'compile.optimizer', fail);
  // A saved schedule is its config object; the engine checks its keys when the model compiles.
  const lr =
    isObject(o.learningRate) && typeof (o.learningRate as Record<string, unknown>).schedule === 'string'
      ? new LearningRateSchedule(o.learningRate as unknown as ScheduleConfig)
      : (o.learningRate as number);
  let opt: Optimizer;
  try {
    switch (o.name) {
      case 'sgd':
        opt = sgd(lr);
        break;
      case 'momentum':
        opt = momentum(lr, o.momentum as number, o.useNesterov ?? false);
        break;
      case 'adam':
        opt = adam(lr, o.beta1, o.beta2, o.epsilon);
        break;
      case 'rmsprop':
        opt = rmsprop(lr, o.decay, o.momentum, o.epsilon);
        break;
      default:
        opt = adagrad(lr, o.initialAccumulatorValue);
    }
  } catch (err) {
    rethrowAs(err, 'compile.optimizer', fail);
  }
  // adagrad's epsilon is fixed (as in TF.js); the factory sets it.
  if (o.name === 'adagrad' && o.epsilon !== undefined && o.epsilon !== opt.config.epsilon) {
    fail(`compile.optimizer.epsilon of adagrad is fixed at ${opt.config.epsilon}, got ${describe(o.epsilon)}`);
  }
  return opt;
}

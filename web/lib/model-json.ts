// The nnplay model file format, 'nnplay-layers-model' version 1, and the pure functions that
// write and check it.
//
// What it is: the one definition of the format, shared by the library (model.toJSON(),
// nn.models.fromJSON(), save/loadLayersModel in io.ts) and by the playground worker, which
// checkpoints its engine model in the same format so that a model trained on the page loads
// in the library. What it is not: a loader. Nothing here touches wasm, so a file is checked
// completely before anything is built: a bad file creates nothing.
//
// Weights are base64 of little-endian float32, in Keras order (per dense layer kernel
// [inputs, units], then bias [units]; per conv2d layer kernel [kernelH, kernelW, inChannels,
// filters], then bias [filters]), so a file round-trips bit for bit.
import { describe, quote } from './describe';
import {
  type Conv2DSpec,
  type DenseSpec,
  type FlattenSpec,
  type Layer,
  type LayerSpec,
  type MaxPooling2DSpec,
  layerFromSpec,
  layerTypes,
  stackShapes,
  stackWeights,
} from './layers';
import { integerIn, limits, range } from './limits';
import { type Optimizer, type OptimizerConfig, adagrad, adam, momentum, rmsprop, sgd } from './optimizers';

export const MODEL_FORMAT = 'nnplay-layers-model';
export const MODEL_FORMAT_VERSION = 1;

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
  loss: string;
  metrics: string[];
}

/** What model.toJSON() returns and nn.models.fromJSON() reads. Plain data: JSON.stringify it. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
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
  name?: string;
  seed: number;
  /** The shape of one sample, e.g. [2] or [28, 28, 1]. */
  inputShape: number[];
  /** Values per sample: the product of inputShape. */
  inputSize: number;
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
 * The weights a stack of layers has, in Keras order, with the engine's names: <type>_<i>/kernel
 * and <type>_<i>/bias, i counting all layers from 1 (dense_1/kernel [inputs, units],
 * conv2d_1/kernel [kh, kw, cin, filters], ...). The layers must fit inputShape.
 */
export function expectedWeights(
  input: readonly number[] | number,
  layers: readonly LayerJSON[],
): { name: string; shape: number[] }[] {
  const inputShape = typeof input === 'number' ? [input] : [...input];
  return stackWeights(inputShape, layers.map((l, i) => layerFromSpec(l, i === 0 ? inputShape : undefined)));
}

/** Assembles a ModelJSON; `weights` in Keras order (checked against the layers). */
export function toModelJSON(parts: {
  name?: string;
  seed: number;
  /** The shape of one sample, e.g. [2] or [28, 28, 1]. */
  inputShape?: readonly number[];
  /** For dense models, instead of inputShape: [inputSize]. */
  inputSize?: number;
  layers: readonly LayerJSON[];
  compile: CompileJSON | null;
  weights: readonly { shape: readonly number[]; values: Float32Array }[];
}): ModelJSON {
  const inputShape = parts.inputShape ? [...parts.inputShape] : parts.inputSize !== undefined ? [parts.inputSize] : null;
  if (!inputShape) throw new Error('nnplay: internal: toModelJSON needs inputShape (or inputSize)');
  const expected = expectedWeights(inputShape, parts.layers);
  if (parts.weights.length !== expected.length) {
    throw new Error(`nnplay: internal: ${parts.weights.length} weight tensors for ${expected.length} expected`);
  }
  const json: ModelJSON = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    seed: parts.seed,
    inputShape,
    layers: parts.layers.map(copyLayer),
    compile: parts.compile
      ? { optimizer: { ...parts.compile.optimizer }, loss: parts.compile.loss, metrics: [...parts.compile.metrics] }
      : null,
    weights: expected.map((e, i) => ({ name: e.name, shape: [...e.shape], data: encodeFloat32(parts.weights[i].values) })),
  };
  if (parts.name !== undefined) json.name = parts.name;
  return json;
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

const topKeys = ['format', 'version', 'name', 'seed', 'inputShape', 'layers', 'compile', 'weights'];

/**
 * Checks a model file object completely and decodes its weights. Throws an Error starting
 * with `nnplay: <where>:` that says what was wrong and what is expected. Loss and metric names
 * are checked by compile() when the model is built (see io.ts).
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
  if (obj.version !== MODEL_FORMAT_VERSION) {
    const newer = typeof obj.version === 'number' && obj.version > MODEL_FORMAT_VERSION;
    fail(
      `version ${describe(obj.version)} is not supported${newer ? ' (the file was written by a newer nnplay)' : ''}; this nnplay reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  unknownKeys(obj, topKeys, 'the model', fail);
  if (obj.name !== undefined && typeof obj.name !== 'string') fail(`name must be a string, got ${typeName(obj.name)}`);
  const seed = obj.seed;
  integerIn(where, 'seed', seed, 0, limits.seed);
  const shape = obj.inputShape;
  if (
    !Array.isArray(shape) ||
    (shape.length !== 1 && shape.length !== 3) ||
    shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > limits.dimension)
  ) {
    fail(`inputShape must be [features] or [height, width, channels] of integers in ${range(1, limits.dimension)}, got ${describe(shape)}`);
  }
  const inputShape = [...(shape as number[])];
  const inputSize = inputShape.reduce((a, b) => a * b, 1);

  if (!Array.isArray(obj.layers) || obj.layers.length === 0) fail('layers must be a non-empty array of layer specs');
  const built: Layer[] = (obj.layers as unknown[]).map((raw, i) => {
    const what = `layers[${i}]`;
    if (!isObject(raw)) fail(`${what} must be an object like {type: 'dense', units: 8, activation: 'tanh'}, got ${typeName(raw)}`);
    const l = raw as Record<string, unknown>;
    const keys = typeof l.type === 'string' ? layerKeys[l.type] : undefined;
    if (!keys) {
      fail(`${what}.type must be ${layerTypes.map((t) => `'${t}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}, got ${typeName(l.type)}`);
    }
    unknownKeys(l, keys!, what, fail);
    if (l.kernelRegularizer !== undefined && !isObject(l.kernelRegularizer)) {
      fail(`${what}.kernelRegularizer must be {l1, l2}, got ${typeName(l.kernelRegularizer)}`);
    }
    try {
      // The same checks as nn.layers.*() (the factories validate every field).
      return layerFromSpec(l as unknown as LayerSpec, i === 0 ? inputShape : undefined);
    } catch (err) {
      rethrowAs(err, what, fail);
    }
  });
  try {
    stackShapes(inputShape, built, 'layers');
  } catch (err) {
    fail((err instanceof Error ? err.message : String(err)).replace(/^nnplay: layers: /, 'layers: '));
  }
  const layers: LayerJSON[] = built.map((layer) => {
    const out = copyLayer(layer.spec);
    if (layer.name !== undefined) out.name = layer.name;
    return out;
  });

  let compile: CompileJSON | null = null;
  if (obj.compile !== undefined && obj.compile !== null) {
    if (!isObject(obj.compile)) fail(`compile must be {optimizer, loss, metrics} or null, got ${typeName(obj.compile)}`);
    const c = obj.compile as Record<string, unknown>;
    unknownKeys(c, ['optimizer', 'loss', 'metrics'], 'compile', fail);
    const optimizer = parseOptimizer(c.optimizer, fail);
    if (typeof c.loss !== 'string') fail(`compile.loss must be a loss name like 'binaryCrossentropy', got ${typeName(c.loss)}`);
    const metrics = c.metrics ?? [];
    if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) {
      fail(`compile.metrics must be an array of metric names like ['accuracy'], got ${describe(metrics)}`);
    }
    compile = { optimizer: optimizer.config, loss: c.loss as string, metrics: [...(metrics as string[])] };
  }

  const expected = stackWeights(inputShape, built);
  const list = expected.map((e) => `${e.name} [${e.shape.join(',')}]`).join(', ');
  if (!Array.isArray(obj.weights)) fail(`weights must be an array of {name, shape, data}: ${list}; got ${typeName(obj.weights)}`);
  const given = obj.weights as unknown[];
  if (given.length < expected.length) {
    const missing = expected.slice(given.length).map((e) => e.name).join(', ');
    fail(`weights: ${given.length} of ${expected.length} tensors given, missing ${missing} (expected ${list})`);
  }
  if (given.length > expected.length) fail(`weights: ${given.length} tensors given, but the layers have ${expected.length}: ${list}`);
  const weights = expected.map((e, i): NamedWeights => {
    const what = `weights[${i}] (${e.name})`;
    const w = given[i];
    if (!isObject(w)) fail(`${what} must be {name, shape, data}, got ${typeName(w)}`);
    const wo = w as Record<string, unknown>;
    unknownKeys(wo, ['name', 'shape', 'data'], what, fail);
    if (wo.name !== e.name) {
      fail(`weights[${i}] is named ${wo.name === undefined ? 'nothing' : quote(wo.name)}, expected '${e.name}' (order: per layer with weights, kernel then bias)`);
    }
    const s = wo.shape;
    if (!Array.isArray(s) || s.length !== e.shape.length || s.some((d, j) => d !== e.shape[j])) {
      fail(`${what} must have shape [${e.shape.join(',')}] to fit the layers, got ${describe(s)}`);
    }
    let values: Float32Array;
    try {
      values = decodeFloat32(wo.data, what);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (values!.length !== size) {
      fail(`${what} holds ${values!.length} float32 values, shape [${e.shape.join(',')}] needs ${size}`);
    }
    for (let j = 0; j < values!.length; j++) {
      if (!Number.isFinite(values![j])) fail(`${what} contains ${values![j]} at index ${j}; weights must be finite numbers`);
    }
    return { name: e.name, shape: [...e.shape], values: values! };
  });

  const parsed: ParsedModel = { seed: seed as number, inputShape, inputSize, layers, compile, weights };
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
  const lr = o.learningRate as number;
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

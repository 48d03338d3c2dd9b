// LayersModel (nn.model, the functional graph) and Sequential (nn.sequential, its chain form):
// the models users build, compile, fit and predict with (TF.js Layers shaped). One class drives
// the engine for both; the graph's shapes and weight names are the engine's (inspect).
//
// Ownership: a model owns exactly one TrainingSession (training-session.ts: the engine
// model, its trainer and datasets by id), created when first needed (compile, fit, predict,
// getWeights, setWeights, summary) and freed by dispose(). fit() loads its data into the
// session once per call (validated there once, not per epoch or batch); predict/evaluate load
// theirs for the duration of the call.
// On a page's main thread fit() trains a replica in the library's worker (see
// fit-worker-protocol.ts) and copies the weights back after every epoch.
// A model whose layers another built model already uses (a sub-model) builds its session
// sharing that model's engine Variables, so both read and train one set of weights.
import { Callback } from './callbacks';
import {
  type EpochOptions,
  type LayerParameter,
  type EpochResult,
  type Logs,
  type MultiDatasetSource,
  runEpoch,
  SessionError,
  TrainingSession,
} from './training-session';
import { currentFitWorkerClient, type FitWorkerClient, fitUsesWorker, fitWorkerClient } from './fit-worker-client';
import type { DataMessage } from './fit-worker-protocol';
import { describe, quote } from './describe';
import { InputLayer, Layer, liveParameterKeys, setLayerVariablesAccess, setLayerWeightsAccess, setLiveParameterHook } from './layers';
import { type Inspection, compileNeedsExtraPart, engineTables, inspect, layerNeedsExtraPart, specNeedsExtraPart, kerasWeightOrder, kerasWeights } from './engine-tables';
import { applyModel } from './ops/model-apply';
import { type FunctionLossFit, type LossFunction, functionLossEpoch, functionLossEvaluate } from './ops/function-loss';
import { type ModelWeight, type WeightHome, releaseWeights, weightOf } from './ops/model-weights';
import { recording } from './ops/tape';
import { type GraphSpecV2, SymbolicTensor, graphSpec, isSymbolic } from './symbolic';
import { integerIn, limits } from './limits';
import { modelToJSON, saveModel, type SaveResult } from './io';
import type { IOHandler, SaveOptions } from './io-handlers';
import type { ModelJSON } from './model-json';
import { counters, engine, engineLoaded, engineNow, isReady, needExtraPart, startLoadingEngine } from './memory';
import { Optimizer, type OptimizerConfig, optimizerFromName } from './optimizers';
import { FitDataCache } from './fit-data-cache';
import { Tensor } from './tensor';
import type { ClassWeightArg, classSampleWeights } from './class-weight';
import { type Dataset } from './data';
import type { DatasetTrainee, FitDatasetArgs } from './fit-dataset';
import { type YieldEvery, checkYieldEvery } from './yield-every';
import { printSummary } from './summary';

/** The engine's loss names, in its table order (aliases such as 'mae', 'mean_absolute_error', 'logcosh' are accepted too). */
export const lossNames = [
  'meanSquaredError',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'huberLoss',
  'hinge',
  'squaredHinge',
  'logCosh',
  'kullbackLeiblerDivergence',
  'cosineProximity',
  'poisson',
  'meanSquaredLogarithmicError',
  'categoricalHinge',
] as const;
export type LossName = (typeof lossNames)[number];

/** The canonical name of a loss given by name or alias (the engine's loss table), or undefined. */
function lossName(v: unknown): LossName | undefined {
  if (typeof v !== 'string') return undefined;
  return engineTables().losses.find((l) => l.name === v || l.aliases.includes(v))?.name as LossName | undefined;
}

/** The canonical name of a metric given by name or alias (the engine's metric table), or undefined. */
function metricName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return engineTables().metrics.find((m) => m.name === v || m.aliases.includes(v))?.name;
}

/** The engine's metric names (aliases such as 'acc', 'meanSquaredError' are accepted too). */
export const metricNames = ['accuracy', 'binaryAccuracy', 'categoricalAccuracy', 'mse', 'mae', 'mape', 'precision', 'recall', 'cosine'] as const;
export type MetricName = (typeof metricNames)[number] | 'acc' | 'meanSquaredError' | 'meanAbsoluteError' | 'meanAbsolutePercentageError' | 'MAPE';

export interface CompileArgs {
  /** 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad' (TF.js default rates) or nn.train.*(). */
  optimizer: string | Optimizer;
  /** A loss name, {name}, a list (one per output) or a map by output name; or (one output) a
   *  function (yTrue, yPred) => loss built from nn ops, per sample or a scalar. */
  loss: LossArg | LossArg[] | Record<string, LossArg> | ((yTrue: Tensor, yPred: Tensor) => Tensor);
  /** Weights of the outputs' losses (list or map by output name); default 1 each. */
  lossWeights?: number[] | Record<string, number>;
  /** 'accuracy' (logged as 'acc'), 'binaryAccuracy', 'categoricalAccuracy', 'mse', 'mae'. */
  metrics?: MetricName | MetricName[] | string | string[];
}

export type LossArg = LossName | string | { name: LossName | string; delta?: number };

export interface Callbacks {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  /** logs: {batch, size, loss, ...metrics} of that batch. */
  onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
}
const callbackNames = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd'];

export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Reshuffle the training samples before each epoch (seeded by the model seed). Default true. */
  shuffle?: boolean;
  /** [xsVal, ysVal], each in any form fit() takes its xs / ys in. */
  validationData?: [TensorArgs, TensorArgs];
  /** Fraction (0..1) of the samples, taken from the end before shuffling, used for validation. */
  validationSplit?: number;
  /** 0 (default) silent; 1 logs one line per epoch with console.log. */
  verbose?: 0 | 1;
  /** Epoch to start counting from (TF.js semantics: trains epochs - initialEpoch epochs). */
  initialEpoch?: number;
  callbacks?: Callbacks | Callback | (Callbacks | Callback)[];
  /** {classIndex: weight} (a list / map by output name for several outputs): weighs each
   *  sample's training loss by its target's class, as TF.js (class-weight.ts). */
  classWeight?: ClassWeightArg;
  /** TF.js's option: 'never' trains without yielding; anything else yields between epochs. */
  yieldEvery?: YieldEvery;
}
const fitKeys = ['epochs', 'batchSize', 'shuffle', 'validationData', 'validationSplit', 'verbose', 'initialEpoch', 'callbacks', 'classWeight', 'yieldEvery'];

/** Data for a model's inputs (or targets for its outputs), as TF.js takes it: one tensor (one
 *  input), an array in model.inputs / model.outputs order, or a map by input / output layer name. */
export type TensorArgs = Tensor | Tensor[] | Record<string, Tensor>;

export interface History {
  /** Epoch indices trained, e.g. [0, 1, …]. */
  epoch: number[];
  /** One number per epoch for each figure: loss, acc, mse and val_loss, val_acc, … */
  history: Record<string, number[]>;
  params: { epochs: number; initialEpoch: number; samples: number; batchSize: number; doValidation: boolean; metrics: string[] };
}

export interface SequentialArgs {
  layers?: Layer[];
  /** Seeds weight initialisation and shuffling: same seed, same run, bit for bit. */
  seed?: number;
  name?: string;
}

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Rethrows an engine failure with the library's words: `onData` names a bad value of x/y
 *  (tensor: which input's x / output's y). */
function rethrow(err: unknown, onData: (field: 'x' | 'y', index: number, tensor: number) => never): never {
  if (err instanceof SessionError && err.kind === 'invalid' && (err.field === 'x' || err.field === 'y') && err.index !== undefined) {
    onData(err.field, err.index, err.tensor ?? 0);
  }
  throw err;
}

let fitDatasetModule: Promise<typeof import('./fit-dataset')> | undefined;

/** fit-dataset.ts, a chunk of its own (web/lib/vite.config.ts), fetched by the first fitDataset() / evaluateDataset()
 *  or fit({classWeight}) (the chunk holds class-weight.ts too). */
function loadFitDataset(where: string): Promise<typeof import('./fit-dataset')> {
  fitDatasetModule ??= import('./fit-dataset').catch((err: unknown) => {
    fitDatasetModule = undefined; // a failed fetch (offline) may be retried by the next call
    throw new Error(`nnplay: ${where}: could not load the dataset and classWeight training module (${err instanceof Error ? err.message : String(err)})`);
  });
  return fitDatasetModule;
}

// One MessageChannel for every yield: creating one per epoch cost a loop of short fit() calls
// more than its training in Chromium.
let yieldChannel: MessageChannel | null = null;
const yieldWaiters: (() => void)[] = [];

/** Gives the event loop a turn (callbacks, UI, timers) without the 4 ms clamp of setTimeout. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise<void>((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    if (!yieldChannel) {
      yieldChannel = new MessageChannel();
      yieldChannel.port1.onmessage = () => yieldWaiters.shift()?.();
      // Let a program (or worker) with nothing else to do end while the channel is idle.
      (yieldChannel.port1 as { unref?: () => void }).unref?.();
    }
    const ch = yieldChannel;
    return new Promise<void>((resolve) => {
      yieldWaiters.push(resolve);
      ch.port2.postMessage(null);
    });
  }
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

interface CompiledInfo {
  json: string;
  loss: LossName;
  /** One per output, in output order. */
  losses: LossName[];
  /** As given to compile, per output (absent: 1 each). */
  lossWeights?: number[];
  /** A loss's parameters per output (huberLoss's delta; null: none), when any output has some. */
  lossParameters?: (Record<string, number> | null)[];
  metrics: string[];
  optimizer: OptimizerConfig;
  /** compile({loss: (yTrue, yPred) => ...}): fit and evaluate run it (ops/function-loss.ts). */
  lossFunction?: LossFunction;
  optimizerObject: Optimizer;
}

/** One data set, checked against the model (shapes), as the engine wants it: an x per input
 *  and a y per output, in model order. */
interface Prepared extends MultiDatasetSource {
  xs: Float32Array[];
  ys: Float32Array[];
  xSizes: number[];
  ySizes: number[];
  /** How messages name each tensor, e.g. ['xs'] or ['xs[1] (input "b")']. */
  xNames: string[];
  yNames: string[];
}

/** A non-empty array of Tensors or a plain object whose values are all Tensors (TF.js's forms
 *  for several inputs / outputs). */
function isTensorListOrMap(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Tensor) return false;
  const values = Array.isArray(v) ? v : Object.getPrototypeOf(v) === Object.prototype ? Object.values(v) : [];
  return values.length > 0 && values.every((t) => t instanceof Tensor);
}

/** The first `at` samples of p, and the rest. */
function splitPrepared(p: Prepared, at: number): [Prepared, Prepared] {
  const part = (from: number, to: number): Prepared => ({
    ...p,
    xs: p.xs.map((x, i) => x.subarray(from * p.xSizes[i], to * p.xSizes[i])),
    ys: p.ys.map((y, o) => y.subarray(from * p.ySizes[o], to * p.ySizes[o])),
    sampleWeights: p.sampleWeights?.map((w) => w && w.subarray(from, to)),
    n: to - from,
  });
  return [part(0, at), part(at, p.n)];
}

// A running fit: the same three steps in-process and in the worker.
interface FitSession {
  epoch(options: EpochOptions): Promise<EpochResult>;
  close(): Promise<void>;
}

let nextModelId = 1;

/** Index of the first NaN/±Infinity in values, or -1. */
function firstNonFiniteIndex(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}


/** A chain of layers as an engine v2 spec: an input (the first layer's inputShape), then each layer on the one before. */
function sequentialSpec(layers: readonly Layer[], seed: number): GraphSpecV2 {
  const first = layers[0];
  const input = first instanceof InputLayer ? first : null;
  const inputName = input ? input.name : 'input';
  const chain = input ? layers.slice(1) : layers;
  const spec: GraphSpecV2 = {
    format: 'nnplay-graph',
    seed,
    layers: [{ name: inputName, type: 'input', config: { shape: [...(input ? input.inputShape : first.inputShape!)] } }],
    inputs: [inputName],
    outputs: [],
  };
  let before = inputName;
  for (const l of chain) {
    if ((l.config as Record<string, unknown>).returnState === true) {
      throw new Error(`nnplay: sequential(): layer "${l.name}" (${l.type}): returnState gives it several output tensors; a sequential model's layers have one each (build a functional model, nn.model({inputs, outputs}))`);
    }
    spec.layers.push({ name: l.name, type: l.type, config: { ...l.config, ...(l.trainable ? {} : { trainable: false }) }, inbound: [[before]] });
    before = l.name;
  }
  spec.outputs = [before];
  return spec;
}

/** compile()'s loss in any TF.js form, as one canonical loss name per output. */
function lossesPerOutput(loss: unknown, outputs: readonly string[], where: string, params: (Record<string, number> | undefined)[] = []): LossName[] {
  const allowed = () => engineTables().losses.map((l) => `'${l.name}'`).join(', ');
  const one = (v: unknown, what: string): LossName => {
    let name = v;
    let given: Record<string, unknown> = {};
    if (typeof v === 'function') {
      fail(where, `${what}: a loss function is not supported yet (the engine computes the loss and its gradient); give a loss name: ${allowed()} (or an alias such as 'mae', 'mean_absolute_error')`);
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const { name: n, ...rest } = v as Record<string, unknown>;
      name = n;
      given = rest;
    }
    const canonical = lossName(name);
    if (!canonical) fail(where, `unknown loss ${quote(name)}${what === 'loss' ? '' : ` for ${what}`}; allowed: ${allowed()}`);
    // Parameters are the engine row's keys (huberLoss's delta); the engine checks their values.
    const keys = engineTables().losses.find((l) => l.name === canonical)?.keys?.map((k) => k.name) ?? [];
    for (const k of Object.keys(given)) {
      if (!keys.includes(k)) fail(where, `${what}: ${canonical} has no parameter ${quote(k)}; ${keys.length ? `allowed: ${keys.join(', ')}` : 'it takes none'}`);
      if (typeof given[k] !== 'number' || !Number.isFinite(given[k])) fail(where, `${what}: ${canonical}'s ${k} must be a finite number, got ${describe(given[k])}`);
    }
    params.push(Object.keys(given).length ? (given as Record<string, number>) : undefined);
    return canonical;
  };
  if (Array.isArray(loss)) {
    if (loss.length !== outputs.length) fail(where, `loss is a list of ${loss.length}, but the model has ${outputs.length} outputs (${outputs.join(', ')})`);
    return loss.map((l, i) => one(l, `output ${i} (${outputs[i]})`));
  }
  if (loss !== null && typeof loss === 'object' && !('name' in loss)) {
    const map = loss as Record<string, unknown>;
    for (const k of Object.keys(map)) if (!outputs.includes(k)) fail(where, `loss names output ${quote(k)}, which the model does not have; outputs: ${outputs.join(', ')}`);
    return outputs.map((o) => {
      if (!(o in map)) fail(where, `loss gives no loss for output "${o}"; give one per output (${outputs.join(', ')})`);
      return one(map[o], `output "${o}"`);
    });
  }
  const l = one(loss, 'loss');
  for (let i = 1; i < outputs.length; i++) params.push(params[0]);
  return outputs.map(() => l);
}

/** compile()'s lossWeights (list or map by output name) as one weight per output (default 1). */
function lossWeightsPerOutput(weights: unknown, outputs: readonly string[], where: string): number[] {
  if (weights === undefined) return outputs.map(() => 1);
  const check1 = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, `lossWeights ${what} must be a finite number >= 0, got ${describe(v)}`);
    return v;
  };
  if (Array.isArray(weights)) {
    if (weights.length !== outputs.length) fail(where, `lossWeights has ${weights.length} entries, the model has ${outputs.length} outputs`);
    return weights.map((w, i) => check1(w, `[${i}]`));
  }
  if (weights !== null && typeof weights === 'object') {
    const map = weights as Record<string, unknown>;
    for (const k of Object.keys(map)) if (!outputs.includes(k)) fail(where, `lossWeights names output ${quote(k)}, which the model does not have; outputs: ${outputs.join(', ')}`);
    return outputs.map((o) => (o in map ? check1(map[o], `"${o}"`) : 1));
  }
  fail(where, `lossWeights must be a list or a map by output name, got ${describe(weights)}`);
}


// Which models use a layer: a model built after another that shares its layers builds sharing
// that model's engine Variables (Session.buildSharing), so both train and read one set.
const modelsOfLayer = new WeakMap<Layer, Set<LayersModel>>();
// Every model a layer was put into, Sequential ones too: where layer.getWeights() reads.
const holdersOfLayer = new WeakMap<Layer, Set<LayersModel>>();
function hold(layer: Layer, model: LayersModel): void {
  if (!holdersOfLayer.has(layer)) holdersOfLayer.set(layer, new Set());
  holdersOfLayer.get(layer)!.add(model);
}
// layer.setBeta(): every live model holding the layer hears of it.
setLiveParameterHook((layer, key, value) => {
  for (const m of modelsOfLayer.get(layer) ?? []) if (!m.isDisposed) m.setLayerParameter(layer.name, key, value);
});

// layer.getWeights()/setWeights(): through a live model holding the layer (they share one set
// of engine variables, so any of them has the layer's values; a write reaches all).
setLayerWeightsAccess({
  get(layer) {
    const live = [...(holdersOfLayer.get(layer) ?? [])].filter((m) => !m.isDisposed);
    return live.length ? live[live.length - 1].layerWeights(layer) : [];
  },
  set(layer, weights) {
    const live = [...(holdersOfLayer.get(layer) ?? [])].filter((m) => !m.isDisposed);
    if (!live.length) throw new Error(`nnplay: ${layer.name}.setWeights(): the layer is in no live model; build a model with it first`);
    live[live.length - 1].setLayerWeights(layer, weights);
  },
});

// Model weights as variables (ops/model-weights.ts): a layer's weight is read and written
// through the latest live model holding the layer, as layer.getWeights() reads it.
function latestHolder(layer: Layer): LayersModel | undefined {
  const live = [...(holdersOfLayer.get(layer) ?? [])].filter((m) => !m.isDisposed);
  return live[live.length - 1];
}
function weightHome(layer: Layer, name: string): WeightHome {
  const m = latestHolder(layer);
  if (!m) fail(`weight ${name}`, 'every model holding its layer was disposed');
  const session = m.trainingSession();
  return { session, index: session.weightsTable.findIndex((w) => w.name === name), write: (values) => m.writeWeight(name, values) };
}
setLayerVariablesAccess((layer) => latestHolder(layer)?.weights.filter((w) => w.originalName.startsWith(`${layer.name}/`)) ?? []);

/** How a LayersModel is made (internal: nn.model() and nn.sequential() fill it). */
interface ModelSource {
  kind: 'sequential' | 'functional';
  name: string;
  seed?: number;
  inputs?: SymbolicTensor[];
  outputs?: SymbolicTensor[];
}

/**
 * A model: a graph of layer calls from its inputs to its outputs (TF.js LayersModel), built by
 * nn.model({inputs, outputs}); nn.sequential() makes the chain form of it. One class drives the
 * engine for both.
 */
export class LayersModel {
  readonly name: string;
  readonly seed: number;
  /** Set to true from a callback to stop fit() after the current epoch (as in TF.js). */
  stopTraining = false;

  readonly #id = nextModelId++;
  readonly #kind: 'sequential' | 'functional';
  // Sequential: the chain; functional: the graph's endpoints.
  #layers: Layer[] = [];
  #inputs: SymbolicTensor[] = [];
  #outputs: SymbolicTensor[] = [];
  // The engine's answer for the current graph (shapes, variables), kept from the last check.
  #inspection: Inspection | null = null;
  #wasm: TrainingSession | null = null;
  // The spec #inspection (and so #wasm) describes. A layer's trainable flag changed since takes
  // effect at the next compile (TF.js semantics): inspect again, rebuild the session.
  #inspectedSpec = '';
  #compiled: CompiledInfo | null = null;
  // Engine work deferred while the engine was still loading (a page's TF.js program builds and
  // compiles before its first await): the chain add() could not have checked yet, and the
  // compile() the session has not had. #model() does both once the engine is there.
  #unchecked = false;
  #pendingCompile = false;
  // Session datasets fit() loaded from tensors, kept for the next fit() on the same tensors.
  readonly #fitData = new FitDataCache<Prepared>();
  #disposed = false;
  #fitting = false;
  /** fit() is calling onTrainEnd: no epoch is left, so setWeights may run (earlyStopping's
   *  restoreBestWeights; the fit worker's replica takes the weights with the next fit()). */
  #endingFit = false;
  // What the worker replica lacks; reset when a worker client (re)starts.
  #workerClient: FitWorkerClient | null = null;
  /** setLayerParameter() calls the fit worker's replica has not seen yet. */
  #workerLayerParameters: LayerParameter[] = [];
  #workerNeedsCompile = true;
  #workerNeedsWeights = true;
  #trainable = true;
  #userDefinedMetadata: Record<string, unknown> | undefined;

  /** @internal Use nn.model() or nn.sequential(). */
  constructor(source: ModelSource) {
    this.#kind = source.kind;
    startLoadingEngine();
    // No seed: a random one (as TF.js is random by default); pass a seed to reproduce runs.
    this.seed = source.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.name = source.name;
    if (source.kind === 'functional') {
      this.#inputs = [...source.inputs!];
      this.#outputs = [...source.outputs!];
      this.#inspection = inspect(this.#spec(), 'model()');
      this.#inspectedSpec = this.#specJson();
      this.#layers = this.#graphLayers();
      for (const l of this.#layers) {
        if (!modelsOfLayer.has(l)) modelsOfLayer.set(l, new Set());
        modelsOfLayer.get(l)!.add(this);
        hold(l, this);
      }
    }
    counters.models++;
  }

  // ---------------------------------------------------------------- building

  /** 'LayersModel' or 'Sequential', also in the minified bundle (error messages name it). */
  get [Symbol.toStringTag](): string {
    return this.#kind === 'sequential' ? 'Sequential' : 'LayersModel';
  }

  /** The layers in graph order (a functional model lists its InputLayers first, as TF.js). */
  get layers(): readonly Layer[] {
    return this.#layers;
  }

  /** The model's input tensors (a Sequential's are made from its first layer's inputShape). */
  get inputs(): SymbolicTensor[] {
    if (this.#kind === 'sequential') fail('inputs', 'a Sequential has no symbolic inputs; build with nn.model({inputs, outputs}) to cut sub-models');
    return [...this.#inputs];
  }

  get outputs(): SymbolicTensor[] {
    if (this.#kind === 'sequential') fail('outputs', 'a Sequential has no symbolic outputs; build with nn.model({inputs, outputs}) to cut sub-models');
    return [...this.#outputs];
  }

  /** The layer with this name (TF.js getLayer({name}) or getLayer(name)); throws if there is none. */
  getLayer(nameOrArgs: string | { name?: string; index?: number }): Layer {
    const where = 'getLayer()';
    const arg = typeof nameOrArgs === 'string' ? { name: nameOrArgs } : nameOrArgs;
    if (arg === null || typeof arg !== 'object') fail(where, `expected a layer name or {name} / {index}, got ${describe(nameOrArgs)}`);
    if (arg.index !== undefined) {
      const layer = this.#layers[integerIn(where, 'index', arg.index, 0, Math.max(0, this.#layers.length - 1))];
      if (!layer) fail(where, 'the model has no layers');
      return layer;
    }
    const layer = this.#layers.find((l) => l.name === arg.name);
    if (!layer) fail(where, `no layer is named ${quote(arg.name)}; the layers are ${this.#layers.map((l) => l.name).join(', ')}`);
    return layer;
  }

  /**
   * TF.js model.trainable: false freezes every layer of the model (each layer's trainable is
   * set), true thaws them; as for a layer, it takes effect at the next compile(). Reads back the
   * value last set (default true), as TF.js's does.
   */
  get trainable(): boolean {
    return this.#trainable;
  }
  set trainable(v: boolean) {
    if (typeof v !== 'boolean') fail(`${this[Symbol.toStringTag]}.trainable`, `must be true or false, got ${describe(v)}`);
    this.#trainable = v;
    for (const l of this.#layers) l.trainable = v;
  }

  /**
   * TF.js setUserDefinedMetadata: a JSON object saved with the model in the TF.js format
   * (model.json's userDefinedMetadata) and given back by getUserDefinedMetadata() after
   * nn.loadLayersModel (or TF.js's). Kept as given; save() writes it as it is then.
   */
  setUserDefinedMetadata(metadata: Record<string, unknown>): void {
    const where = 'setUserDefinedMetadata()';
    if (metadata === null || typeof metadata !== 'object' || Object.getPrototypeOf(metadata) !== Object.prototype) {
      fail(where, `metadata must be a plain JSON object like {labels: ['cat', 'dog']}, got ${describe(metadata)}`);
    }
    try {
      JSON.stringify(metadata);
    } catch (err) {
      fail(where, `metadata must be JSON (no cycles, no BigInt): ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#userDefinedMetadata = metadata;
  }
  getUserDefinedMetadata(): Record<string, unknown> | undefined {
    return this.#userDefinedMetadata;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Appends a layer (Sequential only). The first layer must give inputShape; add all layers before compile(). */
  add(layer: Layer): void {
    const where = 'add()';
    this.#alive(where);
    if (this.#kind !== 'sequential') fail(where, 'only a Sequential takes add(); a functional model is fixed by nn.model({inputs, outputs})');
    if (!(layer instanceof Layer)) {
      fail(where, `expected a layer made by nn.layers.dense({...}), nn.layers.conv2d({...}), nn.layers.maxPooling2d({...}) or nn.layers.flatten(), got ${describe(layer)}`);
    }
    if (this.#wasm || this.#pendingCompile) {
      fail(where, 'the model is already built (by compile, fit, predict, getWeights or summary); add every layer before that');
    }
    if (layerNeedsExtraPart(layer.type, layer.config)) needExtraPart(); // its code is in the engine's second module: load it now
    if (layer instanceof InputLayer) {
      if (this.#layers.length > 0) fail(where, 'an inputLayer can only be the first layer');
    }
    const i = this.#layers.length;
    const first = this.#layers[0] ?? layer;
    if (i === 0 && layer.inputShape === undefined) {
      fail(
        where,
        layer.type === 'dense'
          ? 'the first layer needs an inputShape, e.g. nn.layers.dense({inputShape: [2], units: 8})'
          : `the first layer needs an inputShape, e.g. nn.layers.${layer.type}({inputShape: [28, 28, 1], ...})`,
      );
    }
    // Named by position when unnamed (dense_1, maxPooling2d_2: the weight names of format 1).
    layer._nameIfUnnamed(layer instanceof InputLayer ? 'input' : `${layer.type}_${first instanceof InputLayer ? i : i + 1}`);
    const stack = [...this.#layers, layer];
    if (layer instanceof InputLayer) {
      // Nothing to check until a layer follows it (an input alone is no model).
      this.#layers = stack;
      return;
    }
    if (!engineNow()) {
      // Still loading (a page): the engine checks the chain when it is first needed.
      this.#layers = stack;
      this.#inspection = null;
      this.#unchecked = true;
      hold(layer, this);
      return;
    }
    // The engine checks the chain (throws before anything changes).
    this.#inspection = this.#checkChain(stack, where);
    this.#layers = stack;
    this.#inspectedSpec = this.#specJson();
    hold(layer, this);
  }

  /** The engine's inspection of a Sequential chain, and the inputShape every later layer
   *  declares checked against the output of the layer before it. */
  #checkChain(stack: Layer[], where: string): Inspection {
    const inspection = inspect(sequentialSpec(stack, this.seed), where);
    stack.forEach((layer, i) => {
      if (i === 0 || layer.inputShape === undefined || layer instanceof InputLayer) return;
      const at = inspection.layers.findIndex((l) => l.name === layer.name);
      const before = inspection.layers[at - 1].outputShape;
      if (before.join() !== layer.inputShape.join()) {
        const what = before.length === 1 && layer.inputShape.length === 1 ? `has ${before[0]} units` : `outputs [${before.join(',')}]`;
        fail(where, `layer ${i} declares inputShape [${layer.inputShape.join(',')}] but the layer before it ${what}; inputShape is only needed on the first layer`);
      }
    });
    return inspection;
  }

  /** Checks the chain add() deferred (needs the engine now). */
  #checkDeferred(where: string): void {
    if (!this.#unchecked) return;
    engine(); // says clearly that the engine is still loading
    this.#inspection = this.#checkChain(this.#layers, `${where} (checking the layers added before the engine had loaded)`);
    this.#unchecked = false;
    this.#inspectedSpec = this.#specJson();
  }

  #requireInspection(where = 'model'): Inspection {
    this.#checkDeferred(where);
    if (!this.#inspection) fail('model', 'it has no layers yet');
    return this.#inspection;
  }

  /** The shape of one input sample (of input 0), e.g. [2] or [28, 28, 1]. */
  get inputShape(): number[] {
    return [...this.#requireInspection().inputs[0].shape];
  }

  /** The shape of one output sample (of output 0), e.g. [10]. */
  get outputShape(): number[] {
    return [...this.#requireInspection().outputs[0].shape];
  }

  /** Per-sample shapes of every input / output (functional models may have several). */
  get inputShapes(): number[][] {
    return this.#requireInspection().inputs.map((i) => [...i.shape]);
  }

  get outputShapes(): number[][] {
    return this.#requireInspection().outputs.map((o) => [...o.shape]);
  }

  /** The output layer names, in output order (the keys of a loss map). */
  get outputNames(): string[] {
    return this.#requireInspection().outputs.map((o) => o.name);
  }

  /** Inputs per sample: the product of inputShape. */
  get inputSize(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }

  /** Outputs per sample: the product of outputShape (the last dense layer's units). */
  get outputSize(): number {
    return this.outputShape.reduce((a, b) => a * b, 1);
  }

  /** @internal The engine's view of the model (shapes and variables of every layer). */
  get inspection(): Inspection {
    return this.#requireInspection();
  }

  #alive(where: string): void {
    if (this.#disposed) fail(where, 'this model was disposed and can no longer be used');
  }

  /** Whether another live model uses any of this model's layers (and so its weights). */
  #sharesLayers(): boolean {
    return this.#layers.some((l) => [...(modelsOfLayer.get(l) ?? [])].some((m) => m !== this && !m.#disposed));
  }

  #graphLayers(): Layer[] {
    const spec = this.#spec() as GraphSpecV2;
    const byName = new Map<string, Layer>();
    const visit = (t: SymbolicTensor): void => {
      const call = t._call;
      byName.set(call.layer.name, call.layer as Layer);
      for (const i of call.inputs) visit(i);
    };
    this.#outputs.forEach(visit);
    return spec.layers.map((l) => byName.get(l.name)!);
  }

  /** The engine spec (v2) of this model. */
  #spec(): GraphSpecV2 {
    if (this.#kind === 'functional') return graphSpec(this.#inputs, this.#outputs, this.seed, 'model()');
    return sequentialSpec(this.#layers, this.seed);
  }

  /** @internal The engine spec JSON (v2). */
  specJson(): string {
    return JSON.stringify(this.#spec());
  }

  #specJson(): string {
    return this.specJson();
  }

  #model(where: string): TrainingSession {
    this.#alive(where);
    this.#checkDeferred(where);
    if (this.#pendingCompile) this.#applyTrainable(where);
    if (!this.#wasm) {
      if (this.#layers.length === 0) fail(where, 'the model has no layers: pass {layers: [...]} or call add() first');
      // A built model that uses any of these layers: share its weights (sub-models).
      let other: LayersModel | undefined;
      for (const l of this.#layers) {
        for (const m of modelsOfLayer.get(l) ?? []) if (m !== this && m.#wasm && !m.#disposed) other ??= m;
      }
      this.#wasm = new TrainingSession(engine(), this.#inspectedSpec, null, other ? other.#wasm! : undefined);
    }
    if (this.#pendingCompile) {
      this.#pendingCompile = false;
      try {
        this.#wasm.compile(this.#compiled!.json, `${where} (applying the compile() made before the engine had loaded)`);
      } catch (err) {
        this.#compiled = null;
        throw err;
      }
    }
    return this.#wasm!;
  }

  /** TF.js semantics: layer.trainable takes effect at compile. The new session is built on the
   *  old one's weights (shared by name), so values and sharing with sub-models carry over. */
  #applyTrainable(where: string): void {
    const spec = this.#specJson();
    if (spec === this.#inspectedSpec) return;
    if (this.#fitting) fail(where, 'cannot change layer.trainable while fit() is running');
    this.#inspection = inspect(this.#spec(), where);
    this.#inspectedSpec = spec;
    if (!this.#wasm) return;
    const old = this.#wasm;
    this.#fitData.clear();
    this.#wasm = new TrainingSession(engine(), spec, null, old);
    old.dispose();
    this.#workerClient = null; // the fit worker's replica needs the new spec
  }

  /** Loads prepared data into the session (validated there, once); bad values named here. */
  #load(p: Prepared, where: string): number {
    try {
      return this.#model(where).loadDataset(p, where);
    } catch (err) {
      rethrow(err, (field, index, tensor) => this.#failBadData(where, p, field, index, tensor));
    }
  }

  /** Throws: value `index` of x `tensor` (model input) or y `tensor` (output) is not finite. */
  #failBadData(where: string, p: Prepared, field: 'x' | 'y', index: number, tensor: number): never {
    if (field === 'x') this.#failNonFinite(where, p.xNames[tensor], p.xs[tensor], index, tensor);
    const y = p.ys[tensor];
    fail(where, `${p.yNames[tensor]} contains ${y[index]} at index ${index} (sample ${Math.floor(index / p.ySizes[tensor])}); targets must be finite numbers`);
  }

  /**
   * The engine session behind this model (built on first use): node payloads of any layer
   * (`predict(id, ['dense_1'])`), weights as one view, datasets by id. Shared, not a copy:
   * disposing the model disposes it.
   */
  trainingSession(): TrainingSession {
    return this.#model('trainingSession()');
  }

  /**
   * Changes a layer's live parameter between training steps or epochs, without recompiling:
   * today klDivergence's 'beta' (the weight of the KL term; layer.setBeta(beta) calls this on
   * every model holding the layer). Optimizer state, weights and the epoch position are kept;
   * the new value is in the layer's config (getConfig(), saved files). Inside a fit() running in
   * the fit worker, it applies from the next epoch.
   */
  setLayerParameter(layerName: string, key: string, value: number): void {
    const where = 'setLayerParameter()';
    this.#alive(where);
    const layer = this.#layers.find((l) => l.name === layerName);
    if (!layer) fail(where, `the model has no layer named ${quote(layerName)}; its layers: ${this.#layers.map((l) => l.name).join(', ')}`);
    if (!liveParameterKeys(layer.type).includes(key)) {
      const keys = liveParameterKeys(layer.type);
      fail(where, `layer "${layerName}" (${layer.type}) has no parameter ${quote(key)} that can change while training${keys.length ? `; it has ${keys.join(', ')}` : ' (klDivergence has beta)'}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(where, `${key} must be a finite number >= 0, got ${describe(value)}`);
    if (this.#wasm) this.#wasm.setLayerParameter(layerName, key, value, where);
    (layer.config as Record<string, unknown>)[key] = value;
    // The built session already has the value: the spec changed with it, not the model.
    this.#inspectedSpec = this.#specJson();
    if (this.#workerClient) this.#workerLayerParameters.push({ layer: layerName, key, value });
  }

  // ---------------------------------------------------------------- compile

  compile(args: CompileArgs): void {
    const where = 'compile()';
    this.#alive(where);
    if (args === null || typeof args !== 'object') fail(where, `expected {optimizer, loss, metrics}, e.g. {optimizer: 'adam', loss: 'meanSquaredError'}, got ${describe(args)}`);
    for (const k of Object.keys(args)) {
      if (!['optimizer', 'loss', 'metrics', 'lossWeights'].includes(k)) fail(where, `unknown option ${quote(k)}; allowed: optimizer, loss, metrics, lossWeights`);
    }
    let optimizer: Optimizer;
    if (typeof args.optimizer === 'string') optimizer = optimizerFromName(args.optimizer);
    else if (args.optimizer instanceof Optimizer) optimizer = args.optimizer;
    else fail(where, `optimizer must be a name (${engineTables().optimizers.map((o) => `'${o.name}'`).join(', ')}) or an nn.train.*() object, got ${describe(args.optimizer)}`);
    if (this.#layers.length === 0) fail(where, 'the model has no layers: pass {layers: [...]} or call add() first');
    // A chain not yet checked by the engine (still loading) ends in its last layer.
    const outputs = this.#unchecked ? [this.#layers[this.#layers.length - 1].name] : this.outputNames;
    const lossParams: (Record<string, number> | undefined)[] = [];
    const lossFunction = typeof args.loss === 'function' ? (args.loss as LossFunction) : undefined;
    if (lossFunction) this.#checkLossFunction(outputs, args.metrics, where);
    // A loss function trains in JS; the engine session is compiled with a table loss it leaves unused.
    const perOutput = lossFunction ? (['meanSquaredError'] as LossName[]) : lossesPerOutput(args.loss, outputs, where, lossParams);
    // A map's entries are read in output order, so lossParams[i] belongs to output i.
    const lossSpec = (i: number) => (lossParams[i] ? { name: perOutput[i], ...lossParams[i] } : perOutput[i]);
    const weights = lossWeightsPerOutput(args.lossWeights, outputs, where);
    const metrics = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
    for (const m of metrics) {
      if (!metricName(m)) {
        fail(where, `unknown metric ${quote(m)}; allowed: ${engineTables().metrics.map((x) => `'${x.name}'`).join(', ')} (or their aliases, e.g. 'acc')`);
      }
    }
    const loss = perOutput[0];
    // The engine's compile spec v2 takes a loss per output (a list, in output order) and
    // lossWeights (a scale of each output's loss and its gradient); metrics apply to every output.
    const json = JSON.stringify({
      optimizer: optimizer.config,
      loss: outputs.length === 1 ? lossSpec(0) : perOutput.map((_, i) => lossSpec(i)),
      metrics,
      ...(args.lossWeights !== undefined ? { lossWeights: weights } : {}),
    });
    // An optimizer, schedule, loss or metric whose code is in the engine's second module: load it now.
    if (compileNeedsExtraPart(json)) needExtraPart();
    const compiled = {
      json,
      loss,
      losses: perOutput,
      metrics: [...metrics],
      optimizer: { ...optimizer.config },
      optimizerObject: optimizer,
      ...(lossFunction ? { lossFunction } : {}),
      ...(args.lossWeights !== undefined ? { lossWeights: weights } : {}),
      ...(lossParams.some(Boolean) ? { lossParameters: perOutput.map((_, i) => (lossParams[i] ? { ...lossParams[i]! } : null)) } : {}),
    };
    if (!engineNow()) {
      // Still loading (a page): the session is built and compiled when first needed (fit, ...).
      this.#fitData.clear();
      this.#compiled = compiled;
      this.#pendingCompile = true;
      this.#workerNeedsCompile = true;
      return;
    }
    this.#applyTrainable(where);
    const model = this.#model(where);
    model.compile(json, where);
    this.#fitData.clear();
    this.#compiled = compiled;
    this.#workerNeedsCompile = true;
  }

  /** compile({loss: fn}): one output, no metrics, and no loss the engine would add (regularizers,
   *  klDivergence), since fit() then trains in JS (ops/function-loss.ts). */
  #checkLossFunction(outputs: readonly string[], metrics: unknown, where: string): void {
    if (outputs.length !== 1) fail(where, `a loss function is supported for models with one output yet; this model has ${outputs.length} (${outputs.join(', ')}): give loss names`);
    if (metrics !== undefined && (!Array.isArray(metrics) || metrics.length > 0)) fail(where, 'metrics with a loss function are not supported yet; compile with the loss function alone (fit logs loss and val_loss)');
    for (const l of this.#layers) {
      const reg = (l.config as { kernelRegularizer?: { l1: number; l2: number } }).kernelRegularizer;
      if ((reg && (reg.l1 > 0 || reg.l2 > 0)) || l.type === 'klDivergence') {
        fail(where, `layer "${l.name}" adds a loss of its own (${l.type === 'klDivergence' ? 'klDivergence' : 'kernelRegularizer'}), which a loss function's fit does not include yet; use a loss name, or add the term to the loss function`);
      }
    }
  }

  /** The loss and optimizer given to compile(), or null before compile(). `loss` is output 0's;
   *  `losses` one per output, `lossWeights` (when given) one per output, in output order. */
  get compiledWith(): {
    loss: LossName;
    losses: LossName[];
    lossWeights?: number[];
    lossParameters?: (Record<string, number> | null)[];
    metrics: string[];
    optimizer: OptimizerConfig;
  } | null {
    if (!this.#compiled) return null;
    const { loss, losses, lossWeights, lossParameters, metrics, optimizer } = this.#compiled;
    return {
      loss,
      losses: [...losses],
      ...(lossWeights ? { lossWeights: [...lossWeights] } : {}),
      ...(lossParameters ? { lossParameters: lossParameters.map((p) => (p ? { ...p } : null)) } : {}),
      metrics: [...metrics],
      optimizer: { ...optimizer },
    };
  }

  // ---------------------------------------------------------------- data checks

  #checkTensor(t: unknown, where: string, what: string): Tensor {
    if (!(t instanceof Tensor)) fail(where, `${what} must be a Tensor (nn.tensor(...) or nn.tensor2d(...)), got ${describe(t)}`);
    if (t.isDisposed) fail(where, `${what} was disposed and can no longer be used`);
    return t;
  }

  /**
   * fit/evaluate/predict's data in TF.js's forms (one tensor, an array in model.inputs /
   * model.outputs order, or a map by layer name) as one value per input (or output), in model
   * order. Each value is checked as a Tensor by the caller.
   */
  #tensorList(value: unknown, kind: 'input' | 'output', where: string, arg: string): unknown[] {
    const names = kind === 'input' ? this.inspection.inputs.map((i) => i.name) : this.outputNames;
    const count = names.length;
    const plural = `${count} ${kind}${count === 1 ? '' : 's'}`;
    const listed = () =>
      kind === 'input'
        ? this.inspection.inputs.map((i) => `${i.name} [${i.shape.join(',')}]`).join(', ')
        : this.inspection.outputs.map((o) => `${o.name} [${o.shape.join(',')}]`).join(', ');
    const forms = `give a list of ${count} tensors (model.${kind}s order) or an object {${names.map((n) => `${n}: ...`).join(', ')}} by ${kind} name`;
    if (value instanceof Tensor) {
      if (count !== 1) fail(where, `${arg}: the model has ${plural} (${listed()}); ${forms}, got one tensor`);
      return [value];
    }
    // With one input (output) only a list or map of Tensors is that form: anything else is a
    // wrong single value, which the Tensor check names.
    if (count === 1 && !isTensorListOrMap(value)) return [value];
    if (Array.isArray(value)) {
      if (value.length !== count) fail(where, `${arg}: the model has ${plural} (${listed()}); ${forms}, got a list of ${value.length}`);
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const map = value as Record<string, unknown>;
      for (const k of Object.keys(map)) {
        if (!names.includes(k)) fail(where, `${arg} names ${kind} ${quote(k)}, which the model does not have; its ${kind}s: ${names.join(', ')}`);
      }
      return names.map((n) => {
        if (!(n in map)) fail(where, `${arg} gives no tensor for ${kind} "${n}"; give one per ${kind} (${names.join(', ')})`);
        return map[n];
      });
    }
    if (count === 1) return [value]; // the Tensor check names what was given
    fail(where, `${arg}: the model has ${plural} (${listed()}); ${forms}, got ${describe(value)}`);
  }

  // Shapes only: the values are checked in wasm, once, when the data is loaded (#load).
  #prepareX(xs: unknown, where: string, what = 'xs'): { x: Float32Array; n: number } {
    const t = this.#checkTensor(xs, where, what);
    const shape = this.inputShape;
    if (t.rank !== shape.length + 1 || shape.some((d, i) => t.shape[i + 1] !== d)) {
      // A flat [samples, h·w·c] batch for an image model: say how to reshape it.
      const hint =
        shape.length > 1 && t.rank === 2 && t.shape[1] === this.inputSize
          ? `; make it with nn.tensor(values, [${t.shape[0]}, ${shape.join(', ')}]) (the same values, NHWC order)`
          : '';
      fail(
        where,
        `${what} must have shape [samples, ${shape.join(', ')}] (this model's inputShape is [${shape.join(',')}]), got [${t.shape.join(',')}]${hint}`,
      );
    }
    return { x: t.values(), n: t.shape[0] };
  }

  #failNonFinite(where: string, what: string, x: Float32Array, bad: number, input = 0): never {
    const shape = this.inspection.inputs[input].shape;
    const inputSize = shape.reduce((a, b) => a * b, 1);
    let at = bad % inputSize;
    let where2: string;
    if (shape.length === 1) where2 = `feature ${at}`;
    else {
      const pos: number[] = [];
      for (let d = shape.length - 1; d >= 0; d--) {
        pos.unshift(at % shape[d]);
        at = Math.floor(at / shape[d]);
      }
      where2 = `position [${pos.join(',')}]`;
    }
    fail(
      where,
      `${what} contains ${x[bad]} at index ${bad} (sample ${Math.floor(bad / inputSize)}, ${where2}); data must be finite numbers`,
    );
  }

  /** Throws: the model's output at `bad` (flat index) is NaN/±Infinity although x is finite. */
  #failNonFiniteOutput(where: string, what: string, x: Float32Array, out: Float32Array, bad: number): never {
    const units = this.outputSize;
    let maxWeight = 0;
    for (const v of this.#wasm!.weights().values) maxWeight = Math.max(maxWeight, Math.abs(v));
    let maxInput = 0;
    for (const v of x) maxInput = Math.max(maxInput, Math.abs(v));
    fail(
      where,
      `the output of sample ${Math.floor(bad / units)} (unit ${bad % units}) is ${out[bad]} although ${what} is finite: ` +
        `a value overflowed float32 (about ±3.4e38) inside the model (largest |${what}| ${maxInput.toPrecision(3)}, ` +
        `largest |weight| ${maxWeight.toPrecision(3)}); scale the inputs down (e.g. to [-1, 1]) or check the weights`,
    );
  }

  /** Throws: evaluate's `figure` (loss or a metric) is NaN/±Infinity; says which sample and why. */
  #failNonFiniteLoss(where: string, model: TrainingSession, id: number, data: Prepared, figure: string): never {
    // The cold path only: predict once more to find the sample.
    if (data.ys.length > 1) {
      const outs = model.predictOutputs(id, data.n, where);
      const names = this.outputNames;
      outs.forEach((out, o) => {
        const bad = firstNonFiniteIndex(out);
        if (bad >= 0) {
          const units = model.outputSizes[o];
          fail(where, `the ${figure} is not finite: output "${names[o]}" of sample ${Math.floor(bad / units)} (unit ${bad % units}) is ${out[bad]} although the inputs are finite: a value overflowed float32 (about ±3.4e38) inside the model; scale the inputs down (e.g. to [-1, 1]) or check the weights`);
        }
      });
      fail(where, `the ${figure} is not finite although every output is: an output's loss overflowed float32 (a categorical loss on outputs that sum to 0, or values too large once squared or summed); end categorical outputs with activation 'softmax' and scale the targets down`);
    }
    const out = model.predictOutput(id, data.n, where);
    const badOut = firstNonFiniteIndex(out);
    if (badOut >= 0) this.#failNonFiniteOutput(where, 'xs', data.xs[0], out, badOut);
    const loss = this.#compiled!.loss;
    if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') {
      // These losses divide each output row (of classes: a sample's, or a step's) by its sum (as
      // TF.js does): a zero sum is 0/0.
      const shape = this.inspection.outputs[0].shape;
      const units = shape[shape.length - 1];
      const rowsPer = this.outputSize / units;
      for (let i = 0; i < data.n * rowsPer; i++) {
        let sum = 0;
        for (let j = 0; j < units; j++) sum += out[i * units + j];
        if (sum === 0) {
          const which = rowsPer > 1 ? `sample ${Math.floor(i / rowsPer)}, step ${i % rowsPer}` : `sample ${i}`;
          fail(
            where,
            `the ${figure} is not finite: the outputs of ${which} sum to 0, and ${loss} divides each output by the sum of its row; ` +
              `end the model with activation 'softmax' (or use outputs that are probabilities)`,
          );
        }
      }
    }
    fail(
      where,
      `the ${figure} is not finite although every output is: the outputs or targets are too large for float32 ` +
        `(about ±3.4e38) once squared or summed; scale the targets and inputs down`,
    );
  }

  #prepareXY(xs: unknown, ys: unknown, where: string, names = ['xs', 'ys']): Prepared {
    const compiled = this.#compiled;
    if (!compiled) fail(where, 'the model must be compiled first: call model.compile({optimizer, loss, metrics})');
    const { inputs, outputs } = this.inspection;
    const single = inputs.length === 1 && outputs.length === 1;
    const xList = this.#tensorList(xs, 'input', where, names[0]);
    const yList = this.#tensorList(ys, 'output', where, names[1]);
    const xNames = inputs.map((inp, i) => (inputs.length === 1 ? names[0] : `${names[0]}[${i}] (input "${inp.name}")`));
    const yNames = outputs.map((out, o) => (outputs.length === 1 ? names[1] : `${names[1]}[${o}] (output "${out.name}")`));
    let n = -1;
    const xValues = xList.map((t, i) => {
      if (inputs.length === 1) {
        const { x, n: rows } = this.#prepareX(t, where, xNames[0]);
        n = rows;
        return x;
      }
      const tensor = this.#checkTensor(t, where, xNames[i]);
      const shape = inputs[i].shape;
      if (tensor.rank !== shape.length + 1 || shape.some((d, j) => tensor.shape[j + 1] !== d)) {
        fail(where, `${xNames[i]} must have shape [samples, ${shape.join(', ')}], got [${tensor.shape.join(',')}]`);
      }
      if (n >= 0 && tensor.shape[0] !== n) fail(where, `${xNames[i]} has ${tensor.shape[0]} samples, ${xNames[0]} has ${n}; they must match`);
      n = tensor.shape[0];
      return tensor.values();
    });
    const ySizes: number[] = [];
    const yValues = yList.map((v, o) => {
      const what = yNames[o];
      const t = this.#checkTensor(v, where, what);
      const loss = compiled.losses[o];
      const sparse = loss === 'sparseCategoricalCrossentropy';
      const outShape = outputs[o].shape;
      const units = outShape.reduce((a, b) => a * b, 1);
      // A [steps, classes] output (per-step predictions) takes one class index per step.
      const perStep = sparse && outShape.length === 2;
      const classes = sparse ? outShape[outShape.length - 1] : units;
      const ySize = sparse ? (perStep ? outShape[0] : 1) : units;
      const okShape =
        t.shape[0] === n &&
        ((t.rank === 2 && t.shape[1] === ySize) ||
          (t.rank === 1 && ySize === 1) ||
          (perStep && t.rank === 3 && t.shape[1] === ySize && t.shape[2] === 1) ||
          (!sparse && t.rank === outShape.length + 1 && outShape.every((d, i) => t.shape[i + 1] === d)));
      if (!okShape) {
        const expected = perStep
          ? `[${n}, ${ySize}] (a class index per step)`
          : sparse
            ? `[${n}, 1] or [${n}] (class indices)`
            : ySize === 1
              ? `[${n}, 1] or [${n}]`
              : `[${n}, ${ySize}]`;
        const why =
          t.shape[0] !== n
            ? ` (${xNames[0]} has ${n} samples, ${what} has ${t.shape[0] ?? 0})`
            : single
              ? ` (the last layer has ${units} units)`
              : ` (output "${outputs[o].name}" has ${units} units)`;
        fail(where, `${what} must have shape ${expected}, got [${t.shape.join(',')}]${why}`);
      }
      const y = t.values();
      if (sparse) {
        for (let i = 0; i < n * ySize; i++) {
          // NaN fails here too, with this message: the finite check at load comes later.
          if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= classes) {
            const at = perStep ? `[${Math.floor(i / ySize)}, ${i % ySize}]` : `[${i}]`;
            fail(where, `${what}${at} is ${y[i]}; sparseCategoricalCrossentropy needs class indices 0..${classes - 1}`);
          }
        }
      }
      ySizes.push(ySize);
      return y;
    });
    if (n === 0) fail(where, `${xNames[0]} has no samples; at least one is needed`);
    const xSizes = inputs.map((i) => i.shape.reduce((a, b) => a * b, 1));
    return { xs: xValues, ys: yValues, n, xSizes, ySizes, xNames, yNames };
  }

  // ---------------------------------------------------------------- fit

  /** Trains; resolves with the per-epoch figures. Rejects (with the engine's message) on divergence. */
  async fit(xs: TensorArgs, ys: TensorArgs, args: FitArgs = {}): Promise<History> {
    const where = 'fit()';
    this.#alive(where);
    // classWeight's code is a lazy chunk (loadFitDataset), fetched here with the engine, so
    // nothing awaits between the training check below and setting #fitting.
    const extras = args?.classWeight !== undefined ? loadFitDataset(where) : null;
    // TF.js programs never call ready(): the first asynchronous call waits for the engine.
    if (!isReady()) await engineLoaded();
    const weigh = extras && (await extras).classSampleWeights;
    if (this.#fitting) fail(where, 'this model is already training; wait for the running fit() to finish');
    if (args === null || typeof args !== 'object') fail(where, `the third argument must be an options object like {epochs: 10, batchSize: 32}, got ${describe(args)}`);
    for (const k of Object.keys(args)) {
      if (!fitKeys.includes(k)) fail(where, `unknown option ${quote(k)}; allowed: ${fitKeys.join(', ')}`);
    }
    const epochs = integerIn(where, 'epochs', args.epochs ?? 1, 1, limits.epochs);
    // TF.js semantics: epochs is the index to stop at, so initialEpoch must be below it.
    const initialEpoch = integerIn(where, `initialEpoch (below epochs ${epochs})`, args.initialEpoch ?? 0, 0, epochs - 1);
    const batchSize = integerIn(where, 'batchSize', args.batchSize ?? 32, 1, limits.batchSize);
    const shuffle = args.shuffle ?? true;
    if (typeof shuffle !== 'boolean') fail(where, `shuffle must be true or false, got ${describe(shuffle)}`);
    const verbose = args.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) fail(where, `verbose must be 0 or 1, got ${describe(verbose)}`);
    const yieldEvery = checkYieldEvery(where, args.yieldEvery);
    const callbacks = this.#checkCallbacks(args.callbacks, where);

    const model = this.#model(where);
    // Tensors fit() has seen before (a loop of short fits) are already loaded and checked.
    const trainKey = args.validationSplit === undefined && args.classWeight === undefined ? this.#fitKey(xs, ys, where) : null;
    let train = this.#keptFitData(model, trainKey)?.prepared ?? this.#prepareXY(xs, ys, where);
    if (weigh) train = this.#withClassWeight(weigh, train, ys, args.classWeight, where);
    let val: Prepared | null = null;
    let valKey: Tensor[] | null = null;
    if (args.validationData !== undefined) {
      if (args.validationSplit !== undefined) fail(where, 'give validationData or validationSplit, not both');
      const vd = args.validationData;
      if (!Array.isArray(vd) || vd.length !== 2) fail(where, `validationData must be [xsVal, ysVal] (two tensors), got ${describe(vd)}`);
      const names = ['validationData[0]', 'validationData[1]'];
      valKey = this.#fitKey(vd[0], vd[1], where, names);
      val = this.#keptFitData(model, valKey)?.prepared ?? this.#prepareXY(vd[0], vd[1], where, names);
    } else if (args.validationSplit !== undefined) {
      const split = args.validationSplit;
      if (typeof split !== 'number' || !(split > 0 && split < 1)) {
        fail(where, `validationSplit must be a number between 0 and 1 (exclusive), got ${describe(split)}`);
      }
      // As TF.js: the last samples (before any shuffling) are the validation set.
      const at = Math.floor(train.n * (1 - split));
      if (at < 1 || at >= train.n) {
        fail(where, `validationSplit ${split} of ${train.n} samples leaves an empty training or validation set`);
      }
      [train, val] = splitPrepared(train, at);
    }

    this.#fitting = true;
    this.stopTraining = false;
    const perBatch = callbacks.some((c) => c.onBatchEnd);
    const history: History = {
      epoch: [],
      history: {},
      params: {
        epochs,
        initialEpoch,
        samples: train.n,
        batchSize,
        doValidation: val !== null,
        metrics: [],
      },
    };
    let session: FitSession | null = null;
    try {
      session = this.#compiled!.lossFunction
        ? this.#functionLossSession(train, val)
        : fitUsesWorker()
          ? await this.#workerSession(train, val)
          : this.#inProcessSession(model, train, trainKey, val, valKey);
      for (const c of callbacks) await c.onTrainBegin?.();
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        for (const c of callbacks) await c.onEpochBegin?.(epoch);
        this.#alive(where);
        const result = await session.epoch({ batchSize, shuffle, perBatch });
        for (const batch of result.batches ?? []) {
          for (const c of callbacks) await c.onBatchEnd?.(batch.batch, batch);
        }
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(result.logs)) (history.history[k] ??= []).push(v);
        if (verbose === 1) {
          const figures = Object.entries(result.logs).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ');
          console.log(`Epoch ${epoch + 1} / ${epochs}: ${figures}`);
        }
        for (const c of callbacks) await c.onEpochEnd?.(epoch, { ...result.logs });
        if (this.stopTraining) break;
        // In-process, let timers, I/O and the page run between epochs.
        if (yieldEvery !== 'never') await yieldToEventLoop();
        this.#alive(where);
      }
      history.params.metrics = Object.keys(history.history);
      this.#endingFit = true;
      for (const c of callbacks) await c.onTrainEnd?.();
    } finally {
      this.#endingFit = false;
      this.#fitting = false;
      if (session) await session.close();
    }
    return history;
  }

  #checkCallbacks(cbs: unknown, where: string): Callbacks[] {
    if (cbs === undefined) return [];
    const list = Array.isArray(cbs) ? cbs : [cbs];
    for (const c of list) {
      if (c === null || typeof c !== 'object') fail(where, `callbacks must be an object like {onEpochEnd: (epoch, logs) => {...}} or an array of them, got ${describe(c)}`);
      if (c instanceof Callback) {
        c.setModel(this); // nn.callbacks.*: it may stop training
        continue;
      }
      for (const [k, v] of Object.entries(c)) {
        if (!callbackNames.includes(k)) fail(where, `unknown callback ${quote(k)}; allowed: ${callbackNames.join(', ')}`);
        if (typeof v !== 'function') fail(where, `callback ${k} must be a function, got ${describe(v)}`);
      }
    }
    return list as Callbacks[];
  }

  /** The tensors of fit()'s xs and ys in model order, when they are all Tensors (else null:
   *  data given another way is not kept between calls). */
  #fitKey(xs: unknown, ys: unknown, where: string, names = ['xs', 'ys']): Tensor[] | null {
    if (!this.#compiled) return null; // #prepareXY says so
    const list = [...this.#tensorList(xs, 'input', where, names[0]), ...this.#tensorList(ys, 'output', where, names[1])];
    return list.every((t) => t instanceof Tensor && !t.isDisposed) ? (list as Tensor[]) : null;
  }

  #keptFitData(model: TrainingSession, key: Tensor[] | null): { prepared: Prepared; id: number } | null {
    return key && this.#compiled ? this.#fitData.find(model, this.#compiled, key) : null;
  }

  /** The dataset id of p: kept from an earlier fit() on the same tensors, or loaded now (and
   *  kept when it came from tensors). */
  #loadForFit(model: TrainingSession, p: Prepared, key: Tensor[] | null, where = 'fit()'): number {
    const kept = this.#keptFitData(model, key);
    if (kept) return kept.id;
    const id = this.#load(p, where);
    if (key) this.#fitData.add(model, this.#compiled!, key, p, id);
    return id;
  }

  #inProcessSession(model: TrainingSession, train: Prepared, trainKey: Tensor[] | null, val: Prepared | null, valKey: Tensor[] | null, where = 'fit()'): FitSession {
    // Loaded once for the whole fit() call (or kept from an earlier one); every epoch refers to the ids.
    const trainId = this.#loadForFit(model, train, trainKey, where);
    const release = (id: number | null) => {
      if (id !== null && !this.#fitData.holds(model, id)) model.freeDataset(id);
    };
    let valId: number | null = null;
    try {
      if (val) valId = this.#loadForFit(model, val, valKey, where);
    } catch (err) {
      release(trainId);
      throw err;
    }
    return {
      epoch: async (options) => runEpoch(model, trainId, train.n, valId, options),
      close: async () => {
        release(trainId);
        release(valId);
      },
    };
  }

  // A loss function: epochs of optimizer.minimize in this realm (ops/function-loss.ts).
  #functionLossEpochs = 0;
  #functionLossStep = false; // its optimizer steps write the weights while fit() runs
  #functionLossFit(): FunctionLossFit {
    const { inputs, outputs } = this.inspection;
    return {
      optimizer: this.#compiled!.optimizerObject,
      loss: this.#compiled!.lossFunction!,
      apply: (xs, training) => this.#applyTensors(xs, training, 'fit()') as Tensor,
      inputShapes: inputs.map((i) => i.shape),
      outputShape: outputs[0].shape,
      seed: this.seed,
    };
  }

  #functionLossSession(train: Prepared, val: Prepared | null): FitSession {
    const fit = this.#functionLossFit();
    return {
      epoch: async (o) => {
        this.#functionLossStep = true;
        let r: ReturnType<typeof functionLossEpoch>;
        try {
          r = functionLossEpoch(fit, { xs: train.xs, y: train.ys[0], n: train.n }, this.#functionLossEpochs++, o.batchSize, o.shuffle, o.perBatch);
        } finally {
          this.#functionLossStep = false;
        }
        const logs: Record<string, number> = { loss: r.loss };
        if (val) logs.val_loss = functionLossEvaluate(fit, { xs: val.xs, y: val.ys[0], n: val.n }, o.batchSize);
        return { logs, batches: r.batches };
      },
      close: async () => undefined,
    };
  }

  async #workerSession(train: Prepared, val: Prepared | null, where = 'fit()'): Promise<FitSession> {
    const client = fitWorkerClient();
    const model = this.#model(where);
    const fresh = this.#workerClient !== client || !client.models.has(this.#id);
    const transfer: Transferable[] = [];
    const message = (p: Prepared): DataMessage => {
      const sampleWeights = p.sampleWeights?.map((w) => w && w.slice()) ?? null;
      const d: DataMessage = { xs: p.xs.map((x) => x.slice()), ys: p.ys.map((y) => y.slice()), n: p.n, xSizes: p.xSizes, ySizes: p.ySizes, sampleWeights };
      for (const t of [...d.xs, ...d.ys, ...(sampleWeights ?? [])]) if (t) transfer.push(t.buffer);
      return d;
    };
    // A model sharing layers with another may have had its weights changed through the other
    // (its fit or setWeights), which this model's replica cannot know: send them every time.
    const weights = fresh || this.#workerNeedsWeights || this.#sharesLayers() ? model.weights().values : undefined;
    if (weights) transfer.push(weights.buffer);
    const begin = {
      type: 'begin' as const,
      req: client.nextReq(),
      modelId: this.#id,
      specJson: fresh ? this.#inspectedSpec : undefined,
      needsExtraPart: (fresh && specNeedsExtraPart(this.#inspectedSpec)) || compileNeedsExtraPart(this.#compiled!.json) || undefined,
      compileJson: fresh || this.#workerNeedsCompile ? this.#compiled!.json : undefined,
      weights,
      train: message(train),
      val: val ? message(val) : null,
    };
    client.models.add(this.#id);
    this.#workerClient = client;
    try {
      await client.request(begin, transfer);
    } catch (err) {
      // The replica may hold half of this begin: send everything again next time.
      this.#workerNeedsCompile = this.#workerNeedsWeights = true;
      rethrow(err, (field, index, tensor) => {
        const p = err instanceof SessionError && err.part === 'val' && val ? val : train;
        this.#failBadData(where, p, field, index, tensor);
      });
    }
    this.#workerNeedsCompile = false;
    this.#workerNeedsWeights = false;
    return {
      epoch: async (options) => {
        try {
          // Live layer parameters set since the last epoch reach the replica before this one.
          const layerParameters = this.#workerLayerParameters.splice(0);
          const reply = await client.request({ type: 'epoch', req: client.nextReq(), modelId: this.#id, options: { ...options, layerParameters } });
          if (reply.type !== 'epoch') throw new Error(`nnplay: internal: unexpected fit worker reply ${reply.type}`);
          // Keep the main-thread model current so predict() in callbacks sees this epoch.
          if (!this.#disposed) this.#wasm!.setWeights(reply.weights);
          return reply.result;
        } catch (err) {
          // Diverged: the replica restored its last good weights and sent them; take them, so
          // both ends hold the same finite weights (as in-process training would).
          if (err instanceof SessionError && err.kind === 'diverged' && err.weights && !this.#disposed) {
            this.#wasm!.setWeights(err.weights);
          }
          throw err;
        }
      },
      close: async () => {
        if (this.#disposed) return;
        await client.request({ type: 'end', req: client.nextReq(), modelId: this.#id }).catch(() => undefined);
      },
    };
  }

  /** p with the per-sample weights of classWeight (class-weight.ts: `weigh`, from the lazy chunk), from fit()'s ys. */
  #withClassWeight(weigh: typeof classSampleWeights, p: Prepared, ys: unknown, classWeight: unknown, where: string): Prepared {
    if (this.#compiled?.lossFunction) {
      // The function-loss path runs the user's function on whole batches (ops/function-loss.ts)
      // and has no per-sample weighting; silently ignoring the weights would train another model.
      throw new Error(`${where}: classWeight is not supported with a loss function; compile with one of nn.lossNames to weigh classes`);
    }
    const yTensors = this.#tensorList(ys, 'output', where, 'ys') as Tensor[];
    const units = this.inspection.outputs.map((o) => o.shape.reduce((a, b) => a * b, 1));
    return { ...p, sampleWeights: weigh(classWeight, this.outputNames, yTensors, units, where) };
  }

  /** One optimizer step on (xs, ys) as one batch, in the worker or in-process as fit() trains. */
  async #trainBatch(xs: TensorArgs, ys: TensorArgs, classWeight: unknown, where: string): Promise<Logs> {
    const weigh = classWeight === undefined ? null : (await loadFitDataset(where)).classSampleWeights;
    const model = this.#model(where);
    let data = this.#prepareXY(xs, ys, where);
    if (weigh) data = this.#withClassWeight(weigh, data, ys, classWeight, where);
    let session: FitSession | null = null;
    try {
      session = this.#compiled!.lossFunction
        ? this.#functionLossSession(data, null)
        : fitUsesWorker()
          ? await this.#workerSession(data, null, where)
          : this.#inProcessSession(model, data, null, null, null, where);
      return (await session.epoch({ batchSize: data.n, shuffle: false, perBatch: false })).logs;
    } finally {
      if (session) await session.close();
    }
  }

  /** TF.js's trainOnBatch: one step on the whole batch; the loss before the update, or
   *  [loss, ...metrics] (log order) when there are more figures. */
  async trainOnBatch(xs: TensorArgs, ys: TensorArgs): Promise<number | number[]> {
    const where = 'trainOnBatch()';
    this.#alive(where);
    if (!isReady()) await engineLoaded();
    if (this.#fitting) fail(where, 'this model is already training; wait for the running fit() to finish');
    this.#fitting = true;
    try {
      const values = Object.values(await this.#trainBatch(xs, ys, undefined, where));
      return values.length === 1 ? values[0] : values;
    } finally {
      this.#fitting = false;
    }
  }

  /** The model as fit-dataset.ts drives it. */
  #trainee(): DatasetTrainee {
    const self = this;
    return {
      inputShapes: this.inputShapes,
      inputNames: this.inspection.inputs.map((i) => i.name),
      get stopTraining() {
        return self.stopTraining;
      },
      set stopTraining(v: boolean) {
        self.stopTraining = v;
      },
      trainBatch: (xs, ys, cw, where) => this.#trainBatch(xs, ys, cw, where),
      evaluateLogs: (xs, ys, batchSize, where) => this.#evaluateLogs(xs, ys, batchSize, where),
      checkCallbacks: (cbs, where) => this.#checkCallbacks(cbs, where),
      yieldToEventLoop,
    };
  }

  /** Trains on a dataset of {xs, ys} batches (nn.data), one step per batch: see fit-dataset.ts. */
  async fitDataset(dataset: Dataset, args: FitDatasetArgs): Promise<History> {
    const where = 'fitDataset()';
    this.#alive(where);
    const [{ fitDatasetLoop }] = await Promise.all([loadFitDataset(where), isReady() ? null : engineLoaded()]);
    if (this.#fitting) fail(where, 'this model is already training; wait for the running fit() to finish');
    if (!this.#compiled) fail(where, 'the model must be compiled first: call model.compile({optimizer, loss, metrics})');
    this.#fitting = true;
    try {
      return await fitDatasetLoop(this.#trainee(), dataset, args);
    } finally {
      this.#fitting = false;
    }
  }

  /** Loss and metrics over a dataset of {xs, ys} batches (all, or the first `batches`), as evaluate() returns them. */
  async evaluateDataset(dataset: Dataset, args: { batches?: number } = {}): Promise<Tensor | Tensor[]> {
    const where = 'evaluateDataset()';
    this.#alive(where);
    const [{ evaluateDatasetLogs }] = await Promise.all([loadFitDataset(where), isReady() ? null : engineLoaded()]);
    if (args === null || typeof args !== 'object') fail(where, `the second argument must be an options object like {batches: 10}, got ${describe(args)}`);
    for (const k of Object.keys(args)) if (k !== 'batches' && k !== 'verbose') fail(where, `unknown option ${quote(k)}; allowed: batches, verbose`);
    const values = Object.values(await evaluateDatasetLogs(this.#trainee(), dataset, args.batches, where)).map((v) => new Tensor(Float32Array.of(v), []));
    return values.length === 1 ? values[0] : values;
  }

  // ---------------------------------------------------------------- predict / evaluate

  /**
   * Outputs [samples, ...outputShape] (e.g. [samples, 10]) for xs [samples, ...inputShape]. A
   * model with several inputs takes a list of tensors (input order) or a map by input name;
   * with several outputs it returns a list (output order), as TF.js.
   */
  predict(xs: TensorArgs): Tensor | Tensor[] {
    const where = 'predict()';
    // Inside a gradient (TF.js records predict's ops too): the forward as one tape entry.
    if (recording()) return this.#applyTensors(xs, false, where);
    const model = this.#model(where);
    const inspection = this.inspection;
    // A list or a map by input name takes the graph path (TF.js's forms); one tensor on a
    // one-input, one-output model the small-batch path.
    const oneTensor = !isTensorListOrMap(xs);
    if (inspection.inputs.length !== 1 || inspection.outputs.length !== 1 || !oneTensor) return this.#predictGraph(model, xs, where);
    const { x, n } = this.#prepareX(xs, where, 'xs');
    // One finite check, in wasm on the copy (a JS loop over x here cost as much again as the
    // copy and, in Chromium, sometimes more than the whole prediction). The rows go into the
    // session's reused input buffer: a small predict() costs a few engine calls and its math.
    try {
      const out = model.predictRows(x, n, where);
      const badOut = firstNonFiniteIndex(out);
      if (badOut >= 0) this.#failNonFiniteOutput(where, 'xs', x, out, badOut);
      return new Tensor(out, [n, ...this.outputShape]);
    } catch (err) {
      rethrow(err, (_field, index) => this.#failNonFinite(where, 'xs', x, index));
    }
  }

  #predictGraph(model: TrainingSession, xs: TensorArgs, where: string): Tensor | Tensor[] {
    const { inputs, outputs } = this.inspection;
    const list = this.#tensorList(xs, 'input', where, 'xs');
    let n = -1;
    const values = list.map((t, i) => {
      const what = inputs.length === 1 ? 'xs' : `xs[${i}] (input "${inputs[i].name}")`;
      const tensor = this.#checkTensor(t, where, what);
      const shape = inputs[i].shape;
      if (tensor.rank !== shape.length + 1 || shape.some((d, j) => tensor.shape[j + 1] !== d)) {
        fail(where, `${what} must have shape [samples, ${shape.join(', ')}], got [${tensor.shape.join(',')}]`);
      }
      if (n >= 0 && tensor.shape[0] !== n) fail(where, `${what} has ${tensor.shape[0]} samples, xs[0] has ${n}`);
      n = tensor.shape[0];
      const v = tensor.values();
      const bad = firstNonFiniteIndex(v);
      const size = shape.reduce((a, b) => a * b, 1);
      if (bad >= 0) fail(where, `${what} contains ${v[bad]} at index ${bad} (sample ${Math.floor(bad / size)}); data must be finite numbers`);
      return v;
    });
    const sizes = outputs.map((o) => o.shape.reduce((a, b) => a * b, 1));
    const result = model.predictGraph(values, n, sizes, where).map((out, j) => {
      const bad = firstNonFiniteIndex(out);
      if (bad >= 0) {
        fail(where, `output "${outputs[j].name}" of sample ${Math.floor(bad / sizes[j])} is ${out[bad]} although the inputs are finite: a value overflowed float32 inside the model; scale the inputs down or check the weights`);
      }
      return new Tensor(out, [n, ...outputs[j].shape]);
    });
    return result.length === 1 ? result[0] : result;
  }

  /**
   * Loss (and metrics) over xs/ys without training. Like TF.js: a scalar Tensor when the
   * model was compiled without metrics, else an array of scalar Tensors [loss, ...metrics]
   * in compile order; with several outputs [loss, <output>_loss..., <output>_<metric>...]
   * (Keras's order). The caller owns (and disposes) the returned tensors.
   */
  evaluate(xs: TensorArgs, ys: TensorArgs, args: { batchSize?: number; verbose?: 0 | 1 } = {}): Tensor | Tensor[] {
    const where = 'evaluate()';
    this.#model(where); // alive and built before the arguments are read
    if (args === null || typeof args !== 'object') fail(where, `the third argument must be an options object like {batchSize: 32}, got ${describe(args)}`);
    for (const k of Object.keys(args)) if (k !== 'batchSize' && k !== 'verbose') fail(where, `unknown option ${quote(k)}; allowed: batchSize, verbose`);
    const batchSize = integerIn(where, 'batchSize', args.batchSize ?? 32, 1, limits.batchSize);
    const verbose = args.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) fail(where, `verbose must be 0 or 1, got ${describe(verbose)}`);
    const logs = this.#evaluateLogs(xs, ys, batchSize, where);
    // TF.js 4.22 throws for verbose 1 ("not implemented yet"); Keras prints the figures: so does nnplay.
    if (verbose === 1) console.log(`Evaluation: ${Object.entries(logs).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(' ')}`);
    const values = Object.values(logs).map((v) => new Tensor(Float32Array.of(v), []));
    return values.length === 1 ? values[0] : values;
  }

  #evaluateLogs(xs: TensorArgs, ys: TensorArgs, batchSize: number, where: string): Logs {
    const model = this.#model(where);
    const data = this.#prepareXY(xs, ys, where);
    if (this.#compiled!.lossFunction) return { loss: functionLossEvaluate(this.#functionLossFit(), { xs: data.xs, y: data.ys[0], n: data.n }, batchSize) };
    const id = this.#load(data, where);
    try {
      const logs = model.evaluate(id, batchSize, where);
      const bad = Object.entries(logs).find(([, v]) => !Number.isFinite(v));
      if (bad) this.#failNonFiniteLoss(where, model, id, data, bad[0]);
      return logs;
    } finally {
      model.freeDataset(id);
    }
  }

  // ---------------------------------------------------------------- custom training (ops/model-apply.ts)

  /**
   * The model on tensors (TF.js LayersModel.apply): one tensor per output (a list for several),
   * for inputs as predict() takes them. Inside nn.grad / variableGrads / optimizer.minimize the
   * call is one tape entry whose gradient the engine computes, with respect to the inputs and
   * every trainable weight (model.trainableWeights). kwargs.training (default false, as in TF.js)
   * runs dropout and batch statistics as fit() does, and moves batch-norm moving statistics.
   */
  apply(inputs: TensorArgs | SymbolicTensor | SymbolicTensor[], kwargs: { training?: boolean } = {}): Tensor | Tensor[] {
    const where = 'apply()';
    this.#alive(where);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.some((t) => isSymbolic(t))) {
      fail(where, 'applying a model to symbolic tensors (a model used as a layer of another) is not supported yet; build one nn.model() from the layers themselves (layer.apply), or apply this model to tensors');
    }
    if (kwargs === null || typeof kwargs !== 'object') fail(where, `kwargs must be an object like {training: true}, got ${describe(kwargs)}`);
    for (const k of Object.keys(kwargs)) if (k !== 'training') fail(where, `unknown option ${quote(k)} in kwargs; allowed: training`);
    if (kwargs.training !== undefined && typeof kwargs.training !== 'boolean') fail(where, `kwargs.training must be true or false, got ${describe(kwargs.training)}`);
    return this.#applyTensors(inputs as TensorArgs, kwargs.training ?? false, where);
  }

  #applyTensors(xs: TensorArgs, training: boolean, where: string): Tensor | Tensor[] {
    const session = this.#model(where);
    const { inputs, outputs } = this.inspection;
    let n = -1;
    const tensors = this.#tensorList(xs, 'input', where, 'inputs').map((t, i) => {
      const what = inputs.length === 1 ? 'the input' : `input ${i} ("${inputs[i].name}")`;
      const tensor = this.#checkTensor(t, where, what);
      const shape = inputs[i].shape;
      if (tensor.rank !== shape.length + 1 || shape.some((d, j) => tensor.shape[j + 1] !== d)) {
        fail(where, `${what} must have shape [samples, ${shape.join(', ')}], got [${tensor.shape.join(',')}]`);
      }
      if (n >= 0 && tensor.shape[0] !== n) fail(where, `${what} has ${tensor.shape[0]} samples, input 0 has ${n}`);
      n = tensor.shape[0];
      const bad = firstNonFiniteIndex(tensor.values());
      if (bad >= 0) fail(where, `${what} contains ${tensor.values()[bad]} at index ${bad}; inputs must be finite numbers`);
      return tensor;
    });
    const out = applyModel({
      where,
      session,
      inputs: tensors,
      n,
      outputShapes: outputs.map((o) => o.shape),
      training,
      weights: () => this.#weightVariables().flatMap((variable) => (variable.trainable ? [{ variable, index: session.weightsTable.findIndex((w) => w.name === variable.originalName) }] : [])),
    });
    return out.length === 1 ? out[0] : out;
  }

  /** The weights as variables (TF.js LayerVariables, read() / write() / assign()), trainable ones
   *  first, as TF.js lists model.weights; optimizer.minimize trains the trainable ones. */
  get weights(): ModelWeight[] {
    const all = this.#weightVariables();
    return [...all.filter((w) => w.trainable), ...all.filter((w) => !w.trainable)];
  }

  get trainableWeights(): ModelWeight[] {
    return this.#weightVariables().filter((w) => w.trainable);
  }

  get nonTrainableWeights(): ModelWeight[] {
    return this.#weightVariables().filter((w) => !w.trainable);
  }

  /** Keras order; one mirror per layer weight, shared with every model holding the layer. */
  #weightVariables(): ModelWeight[] {
    this.#model('weights');
    return kerasWeights(this.inspection).map((v) => {
      const layer = this.#layers.find((l) => v.name.startsWith(`${l.name}/`))!;
      return weightOf(layer, v.name, v.shape, v.trainable, () => weightHome(layer, v.name));
    });
  }

  /** @internal ops/model-weights.ts: one weight (by engine name) replaced, as setWeights() would. */
  writeWeight(name: string, values: Float32Array): void {
    const where = `${name}.assign()`;
    const model = this.#model(where);
    if (this.#fitting && !this.#functionLossStep) fail(where, 'cannot change weights while fit() is running');
    const index = model.weightsTable.findIndex((w) => w.name === name);
    if (index < 0) fail(where, `the model has no weight named ${quote(name)}`);
    model.setWeight(index, values, where);
    this.#workerNeedsWeights = true;
  }

  // ---------------------------------------------------------------- weights

  /**
   * Copies of the weights in Keras order: per dense layer kernel [inputs, units] and bias
   * [units]; per conv2d layer kernel [kernelH, kernelW, inChannels, filters] and bias [filters].
   */
  getWeights(): Tensor[] {
    const model = this.#model('getWeights()');
    const { table, values } = model.weights();
    return kerasWeightOrder(this.inspection).map((i) => {
      const w = table[i];
      return new Tensor(values.slice(w.offset, w.offset + w.size), w.shape);
    });
  }

  /** @internal Layer.getWeights(): this layer's weights in Keras order. */
  layerWeights(layer: Layer): Tensor[] {
    const all = this.getWeights();
    const mine = this.#layerWeightIndices(layer);
    all.forEach((t, i) => {
      if (!mine.includes(i)) t.dispose();
    });
    return mine.map((i) => all[i]);
  }

  /** @internal Layer.setWeights(): this layer's weights replaced, the others kept. */
  setLayerWeights(layer: Layer, weights: Tensor[]): void {
    const where = `${layer.name}.setWeights()`;
    const mine = this.#layerWeightIndices(layer);
    if (!Array.isArray(weights) || weights.length !== mine.length) {
      fail(where, `expected ${mine.length} tensors (the layer's weights in getWeights() order), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    const all = this.getWeights();
    try {
      mine.forEach((i, k) => {
        all[i].dispose();
        all[i] = weights[k];
      });
      this.setWeights(all);
    } finally {
      all.forEach((t, i) => {
        if (!mine.includes(i)) t.dispose();
      });
    }
  }

  /** Positions in getWeights() of this layer's weights (named "<layer>/<weight>" by the engine). */
  #layerWeightIndices(layer: Layer): number[] {
    const model = this.#model('getWeights()');
    const table = model.weightsTable;
    const prefix = `${layer.name}/`;
    return kerasWeightOrder(this.inspection)
      .map((engineIndex, k) => ({ name: table[engineIndex].name, k }))
      .filter((w) => w.name.startsWith(prefix))
      .map((w) => w.k);
  }

  /** Replaces all weights; same order and shapes as getWeights(). Keeps the optimizer state. */
  setWeights(weights: Tensor[]): void {
    const where = 'setWeights()';
    const model = this.#model(where);
    if (this.#fitting && !this.#endingFit) fail(where, 'cannot change weights while fit() is running (from onTrainEnd it may)');
    const order = kerasWeightOrder(this.inspection);
    const current = order.map((i) => model.weightsTable[i]);
    if (!Array.isArray(weights) || weights.length !== current.length) {
      fail(
        where,
        `expected an array of ${current.length} tensors (${current.map((w) => `${w.name} [${w.shape.join(',')}]`).join(', ')}), got ${Array.isArray(weights) ? `${weights.length}` : describe(weights)}`,
      );
    }
    const values = weights.map((w, i) => {
      const c = current[i];
      const t = this.#checkTensor(w, where, `weight ${i} (${c.name})`);
      if (t.shape.length !== c.shape.length || t.shape.some((d, j) => d !== c.shape[j])) {
        fail(where, `weight ${i} (${c.name}) must have shape [${c.shape.join(',')}], got [${t.shape.join(',')}]`);
      }
      const v = t.values();
      const bad = firstNonFinite(v);
      if (bad >= 0) fail(where, `weight ${i} (${c.name}) contains ${v[bad]} at index ${bad}; weights must be finite numbers`);
      return v;
    });
    // Back to the engine's order (layer by layer).
    const engineOrder: Float32Array[] = new Array(values.length);
    order.forEach((engineIndex, k) => (engineOrder[engineIndex] = values[k]));
    model.setWeights(engineOrder, where);
    this.#workerNeedsWeights = true;
  }

  // ---------------------------------------------------------------- save (io.ts)

  /** The model as plain, versioned JSON data: layers, seed, compile settings, weights (base64). */
  toJSON(): ModelJSON {
    return modelToJSON(this);
  }

  /**
   * Saves in TF.js's layers-model format (model.json + binary weights) to a URL
   * ('localstorage://name', 'indexeddb://name', 'downloads://name', 'file://dir' in Node) or an
   * IO handler (nn.io.withSaveHandler); tf.loadLayersModel of TF.js reads it, as does nn.loadLayersModel.
   */
  async save(handlerOrUrl: string | IOHandler, options?: SaveOptions): Promise<SaveResult> {
    if (!isReady()) await engineLoaded();
    return saveModel(this, handlerOrUrl, options);
  }

  // ---------------------------------------------------------------- summary / dispose

  /** TF.js's summary table (summary.ts), printed line by line with printFn (default console.log); also returned as text. */
  summary(lineLength?: number | ((line: string) => void), positions?: number[], printFn?: (line: string) => void): string {
    this.#alive('summary()');
    // summary(printFn) was nnplay's form before TF.js's (lineLength, positions, printFn).
    if (typeof lineLength === 'function') [printFn, lineLength] = [lineLength, undefined];
    if (printFn !== undefined && typeof printFn !== 'function') fail('summary()', `printFn must be a function, got ${describe(printFn)}`);
    // Shapes, counts and names as the engine's inspect() reports them: the table cannot
    // disagree with what the engine builds and getWeights() returns.
    const lines = printSummary(
      {
        inspection: this.inspection,
        isSequential: this.#kind !== 'functional',
        className: (name, type) => this.#layers.find((x) => x.name === name)?.getClassName() ?? (type === 'input' ? 'InputLayer' : type),
      },
      lineLength,
      positions,
    );
    const print = printFn ?? ((line: string) => console.log(line));
    for (const l of lines) print(l);
    return lines.join('\n');
  }


  /** Frees the engine model (and its worker replica). Idempotent; any later use throws. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const l of this.#layers) {
      modelsOfLayer.get(l)?.delete(this);
      holdersOfLayer.get(l)?.delete(this);
      if (!latestHolder(l)) releaseWeights(l);
    }
    this.#fitData.clear();
    this.#wasm?.dispose();
    this.#wasm = null;
    const client = currentFitWorkerClient();
    if (client && client === this.#workerClient) client.forget(this.#id);
    counters.models--;
  }
}

/** A chain of layers (TF.js tf.sequential): a LayersModel whose graph grows with add(). */
export class Sequential extends LayersModel {
  constructor(args: SequentialArgs = {}) {
    if (args === null || typeof args !== 'object') fail('sequential()', `expected an options object like {layers: [...], seed: 42}, got ${describe(args)}`);
    for (const k of Object.keys(args)) {
      if (!['layers', 'seed', 'name'].includes(k)) fail('sequential()', `unknown option ${quote(k)}; allowed: layers, seed, name`);
    }
    if (args.seed !== undefined) integerIn('sequential()', 'seed', args.seed, 0, limits.seed);
    if (args.layers !== undefined && !Array.isArray(args.layers)) {
      fail('sequential()', `layers must be an array of layers (nn.layers.dense(...), nn.layers.conv2d(...), ...), got ${describe(args.layers)}`);
    }
    if (args.name !== undefined && typeof args.name !== 'string') fail('sequential()', `name must be a string, got ${describe(args.name)}`);
    super({ kind: 'sequential', name: args.name ?? 'sequential', seed: args.seed });
    try {
      for (const layer of args.layers ?? []) this.add(layer);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Outputs [samples, ...outputShape] for xs [samples, ...inputShape] (one input, one output). */
  override predict(xs: Tensor): Tensor {
    return super.predict(xs) as Tensor;
  }
}

/** nn.sequential({layers, seed}). */
export function sequential(args?: SequentialArgs): Sequential {
  return new Sequential(args);
}

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
  /** Seeds the weights of layers this model is the first to build, and shuffling. */
  seed?: number;
}

/**
 * nn.model({inputs, outputs}): the graph of layer calls from inputs (nn.input() tensors) to
 * outputs (TF.js tf.model). A model cut from another's layers (an encoder from an autoencoder)
 * shares their weights: training one changes the other's predictions.
 */
export function model(args: ModelArgs): LayersModel {
  const where = 'model()';
  if (args === null || typeof args !== 'object') fail(where, `expected {inputs, outputs}, got ${describe(args)}`);
  for (const k of Object.keys(args)) {
    if (!['inputs', 'outputs', 'name', 'seed'].includes(k)) fail(where, `unknown option ${quote(k)}; allowed: inputs, outputs, name, seed`);
  }
  const list = (v: unknown, what: string): SymbolicTensor[] => {
    const l = Array.isArray(v) ? v : [v];
    if (l.length === 0) fail(where, `${what} must not be empty`);
    l.forEach((t, i) => {
      if (!isSymbolic(t)) fail(where, `${what}${Array.isArray(v) ? `[${i}]` : ''} must be a SymbolicTensor (nn.input() or layer.apply()), got ${describe(t)}`);
    });
    return l as SymbolicTensor[];
  };
  const inputs = list(args.inputs, 'inputs');
  const outputs = list(args.outputs, 'outputs');
  inputs.forEach((t, i) => {
    if (t.sourceLayer.type !== 'input') fail(where, `inputs[${i}] comes from layer "${t.sourceLayer.name}" (${t.sourceLayer.type}); inputs must be nn.input() tensors`);
  });
  if (args.seed !== undefined) integerIn(where, 'seed', args.seed, 0, limits.seed);
  if (args.name !== undefined && typeof args.name !== 'string') fail(where, `name must be a string, got ${describe(args.name)}`);
  return new LayersModel({ kind: 'functional', name: args.name ?? 'model', seed: args.seed, inputs, outputs });
}

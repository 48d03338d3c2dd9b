// nn.layers.*: layers (TF.js Layers names). A layer here is its validated config and its calls
// in functional graphs (layer.apply(x)); its weights live in the engine model built from a
// whole graph (a Sequential is a chain of one).
//
// Shapes are per sample, without the batch dimension, as in TF.js: [features] for dense
// layers, [height, width, channels] (NHWC) for images. A layer checks the types of its own
// options when it is made; everything that depends on the engine (a config key's range and
// default, whether the layer fits its input's shape, its weights' names and shapes) is asked
// of the engine (engine-tables.ts: inspect), never computed here.
import { describe, quote } from './describe';
import { checkLayerConfig, engineTables, layerRow } from './engine-tables';
import { integerIn, limits, range } from './limits';
import { isReady, startLoadingEngine } from './memory';
import { Initializer } from './initializers';
import { Regularizer, l1, l1l2, l2 } from './regularizers';
import { type GraphLayer, type LayerCall, SymbolicTensor, completeCall, inputCall, isSymbolic, recordCall } from './symbolic';
import type { Tensor } from './tensor';
import type { Variable } from './ops/variable';

// The name lists below are literal types for autocompletion; tests/js/engine-tables.test.ts
// asserts that each equals the engine's table (engineTables()), so they cannot drift.
export const activations = [
  'linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax', 'hardSigmoid',
  'softplus', 'softsign', 'selu', 'relu6', 'swish', 'gelu', 'mish', 'exponential',
] as const;
export type Activation = (typeof activations)[number];
export const kernelInitializers = [
  'glorotUniform', 'heNormal', 'zeros', 'ones', 'orthogonal', 'heUniform', 'glorotNormal', 'leCunNormal',
  'leCunUniform', 'varianceScaling', 'randomNormal', 'randomUniform', 'truncatedNormal', 'identity', 'constant',
] as const;
export type KernelInitializer = (typeof kernelInitializers)[number];
export const biasInitializers = kernelInitializers;
export type BiasInitializer = (typeof biasInitializers)[number];
/** An initializer row with parameters as the engine's layer config takes it: {name: 'constant', value: 0.5}. */
export interface InitializerWithParams {
  name: string;
  [param: string]: unknown;
}
export const paddings = ['valid', 'same'] as const;
export type Padding = (typeof paddings)[number];
/** The layer types the engine builds (the "type" of a layer spec), in engine table order. */
export const layerTypes = [
  'dense', 'conv2d', 'maxPooling2d', 'flatten', 'activation', 'dropout', 'batchNormalization', 'reshape',
  'concatenate', 'add', 'multiply', 'average', 'maximum', 'minimum', 'averagePooling2d', 'globalAveragePooling2d', 'globalMaxPooling2d', 'gaussianNoise', 'gaussianDropout', 'zeroPadding2d', 'cropping2D', 'permute', 'layerNormalization', 'simpleRNN', 'lstm', 'gru', 'bidirectional',
  'embedding', 'conv1d', 'globalAveragePooling1d', 'globalMaxPooling1d', 'maxPooling1d', 'averagePooling1d', 'repeatVector', 'upSampling2d', 'conv2dTranspose', 'gaussianSampling',
  'klDivergence', 'input',
] as const;
export type LayerType = (typeof layerTypes)[number];

type RegularizerArg = Regularizer | 'l1' | 'l2' | 'l1l2';

export interface DenseLayerArgs {
  /** Number of output units, an integer >= 1. */
  units: number;
  /** Default 'linear'. */
  activation?: Activation;
  /** Only for the first layer: the shape of one sample, e.g. [2]. */
  inputShape?: number[];
  /** Same as inputShape: [inputDim]. */
  inputDim?: number;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: KernelInitializer | Initializer | InitializerWithParams;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer | Initializer | InitializerWithParams;
  /** nn.regularizers.l1({l1}) / l2({l2}) / l1l2(), or 'l1' | 'l2' | 'l1l2' for TF.js defaults. */
  kernelRegularizer?: RegularizerArg;
  /** Optional display name for summary(). */
  name?: string;
}

export interface Conv2DLayerArgs {
  /** Number of output channels (filters), an integer >= 1. */
  filters: number;
  /** Kernel height and width: a number for a square kernel, or [height, width]. */
  kernelSize: number | [number, number];
  /** Default 1 (or [1, 1]): the step between kernel positions, [vertical, horizontal]. */
  strides?: number | [number, number];
  /** 'valid' (default: only positions where the kernel fits) or 'same' (zero-pads so that
   *  the output is ceil(input / strides), TF's split: the extra row/column at bottom/right). */
  padding?: Padding;
  /** Only 'channelsLast' (NHWC), the TF.js default. */
  dataFormat?: 'channelsLast';
  /** Default 'linear'. */
  activation?: Activation;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (fan in kh·kw·inChannels, fan out kh·kw·filters). */
  kernelInitializer?: KernelInitializer | Initializer | InitializerWithParams;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer | Initializer | InitializerWithParams;
  kernelRegularizer?: RegularizerArg;
  /** Only for the first layer: [height, width, channels] of one sample. */
  inputShape?: number[];
  name?: string;
}

export interface MaxPooling2DLayerArgs {
  /** Default 2 (or [2, 2]): the pooling window, [height, width]. */
  poolSize?: number | [number, number];
  /** Default: the pool size (windows do not overlap). null means the same. */
  strides?: number | [number, number] | null;
  /** Default 'valid'. */
  padding?: Padding;
  /** Only 'channelsLast' (NHWC), the TF.js default. */
  dataFormat?: 'channelsLast';
  /** Only for the first layer: [height, width, channels] of one sample. */
  inputShape?: number[];
  name?: string;
}

export interface FlattenLayerArgs {
  /** Only for the first layer: the shape of one sample. */
  inputShape?: number[];
  /** Only 'channelsLast' (NHWC order, as TF.js), the default. */
  dataFormat?: 'channelsLast';
  name?: string;
}

/** The engine's layer specs (engine/nn/spec.h), JSON field names. */
export interface DenseSpec {
  type: 'dense';
  units: number;
  activation: Activation;
  useBias: boolean;
  kernelInitializer: KernelInitializer | Initializer | InitializerWithParams;
  biasInitializer: BiasInitializer | Initializer | InitializerWithParams;
  kernelRegularizer: { l1: number; l2: number };
}

export interface Conv2DSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  activation: Activation;
  useBias: boolean;
  kernelInitializer: KernelInitializer | Initializer | InitializerWithParams;
  biasInitializer: BiasInitializer | Initializer | InitializerWithParams;
  kernelRegularizer: { l1: number; l2: number };
}

export interface MaxPooling2DSpec {
  type: 'maxPooling2d';
  poolSize: [number, number];
  strides: [number, number];
  padding: Padding;
}

export interface FlattenSpec {
  type: 'flatten';
}

export type LayerSpec = DenseSpec | Conv2DSpec | MaxPooling2DSpec | FlattenSpec;

// TF.js also accepts snake_case initializer names ('glorot_uniform'): the engine rows' aliases.
function canonicalName(given: string): string {
  const row = engineTables().initializers.find((r) => r.aliases.includes(given));
  return row ? row.name : given;
}

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function checkArgs(where: string, args: unknown, allowed: readonly string[], example: string): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) fail(where, `expected an options object like ${example}, got ${describe(args)}`);
  for (const k of Object.keys(args)) {
    if (!allowed.includes(k)) fail(where, `unknown option ${quote(k)}; allowed: ${allowed.join(', ')}`);
  }
  return args as Record<string, unknown>;
}

function oneOf<T extends string>(where: string, what: string, v: unknown, allowed: readonly T[]): T {
  // nn.initializers.*() (TF.js's object form) names its engine row.
  const given = v instanceof Initializer ? v.className : v;
  const name = typeof given === 'string' ? canonicalName(given) : given;
  if (typeof name !== 'string' || !(allowed as readonly string[]).includes(name)) {
    fail(where, `unknown ${what} ${quote(v)}; allowed: ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return name as T;
}

/** A kernel/bias initializer argument: a row's name, or an nn.initializers.*() object (with its params). */
function initializerOf(where: string, what: string, v: unknown): KernelInitializer | InitializerWithParams {
  if (v instanceof Initializer && v.params) return v.toEngine() as InitializerWithParams;
  if (v !== null && typeof v === 'object' && !(v instanceof Initializer) && typeof (v as { name?: unknown }).name === 'string') {
    return v as InitializerWithParams;  // already the engine's form (a saved spec); the engine checks its keys
  }
  return oneOf(where, what, v, kernelInitializers);
}

function positiveInt(where: string, what: string, v: unknown): number {
  return integerIn(where, what, v, 1, limits.dimension);
}

function isDimension(d: unknown): d is number {
  return typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= limits.dimension;
}

/** A number n (meaning [n, n]) or [a, b], integers >= 1. */
function pair(where: string, what: string, v: unknown): [number, number] {
  if (typeof v === 'number') {
    positiveInt(where, what, v);
    return [v, v];
  }
  if (!Array.isArray(v) || v.length !== 2 || !v.every(isDimension)) {
    fail(where, `${what} must be an integer in ${range(1, limits.dimension)} or [height, width] of such integers, got ${describe(v)}`);
  }
  return [v[0], v[1]];
}

function useBiasOf(where: string, v: unknown): boolean {
  const useBias = v ?? true;
  if (typeof useBias !== 'boolean') fail(where, `useBias must be true or false, got ${describe(useBias)}`);
  return useBias;
}

function regularizerOf(where: string, v: unknown): { l1: number; l2: number } {
  let reg = v ?? new Regularizer(0, 0);
  if (typeof reg === 'string') {
    const make = ({ l1: () => l1(), l2: () => l2(), l1l2: () => l1l2() } as Record<string, () => Regularizer>)[reg];
    if (!make) fail(where, `unknown kernelRegularizer ${quote(reg)}; allowed: 'l1', 'l2', 'l1l2' or nn.regularizers.*`);
    reg = make();
  }
  if (!(reg instanceof Regularizer)) {
    fail(where, `kernelRegularizer must come from nn.regularizers.l1()/l2()/l1l2() or be 'l1', 'l2', 'l1l2', got ${describe(reg)}`);
  }
  return { l1: reg.l1, l2: reg.l2 };
}

function nameOf(where: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== 'string') fail(where, `name must be a string, got ${describe(v)}`);
  return v;
}

function dataFormatOf(where: string, v: unknown): void {
  if (v !== undefined && v !== 'channelsLast') {
    fail(where, `dataFormat must be 'channelsLast' (images are [height, width, channels]), got ${describe(v)}`);
  }
}

/** A declared per-sample input shape of `ranks` dimensions (integers >= 1), or undefined. */
function inputShapeOf(where: string, v: unknown, ranks: readonly number[], expected: string): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !ranks.includes(v.length)) fail(where, `inputShape must be ${expected}, got ${describe(v)}`);
  v.forEach((d, i) => {
    if (!isDimension(d)) fail(where, `inputShape[${i}] must be an integer in ${range(1, limits.dimension)}, got ${describe(d)} (inputShape ${quote(v)})`);
  });
  return [...(v as number[])];
}

/** What every layer has. Make layers with nn.layers.*(), not with `new`. */
export abstract class Layer implements GraphLayer {
  /** The engine table's type name ('dense', 'conv2d', ...). */
  abstract readonly type: string;
  /** The per-sample input shape declared on this layer (inputShape), if any. */
  abstract readonly inputShape: number[] | undefined;
  /** TF.js class name: 'Dense', 'Conv2D', 'MaxPooling2D', 'Flatten', ... */
  abstract getClassName(): string;
  /** The engine config of this layer (table keys; the engine fills in defaults). */
  abstract readonly config: Record<string, unknown>;
  /** @internal Calls of this layer in functional graphs, in the order made. */
  readonly calls: LayerCall[] = [];
  #userName: string | undefined;
  #autoName: string | undefined;
  #trainable = true;

  constructor() {
    // A TF.js program's first call is often a layer: start loading the engine now, so it is
    // there by the first await (fit, ...) without the program calling nn.ready().
    startLoadingEngine();
  }

  /**
   * This layer's weights (kernel, bias, …, in Keras order) as the latest live model holding it
   * has them; [] for a layer no model has built yet, as in TF.js.
   */
  getWeights(): Tensor[] {
    return layerWeights?.get(this) ?? [];
  }

  /** TF.js layer.weights: this layer's weights as variables (LayerVariable-like: name, shape,
   *  read(), write()), as the latest live model holding it has them; [] before any model. */
  get weights(): Variable[] {
    return layerVariables?.(this) ?? [];
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /** Replaces this layer's weights (same order and shapes as getWeights()) in every model holding it. */
  setWeights(weights: Tensor[]): void {
    if (!layerWeights) throw new Error(`nnplay: ${this.name}.setWeights(): the layer is in no model yet; build a model with it first`);
    layerWeights.set(this, weights);
  }

  /**
   * Keras / TF.js layer.trainable: false freezes the layer's weights (optimizers skip them;
   * they stay in getWeights() and saved files, and the layer still runs forward and passes
   * gradients on). As in TF.js, a change takes effect at the next compile() of a model.
   */
  get trainable(): boolean {
    return this.#trainable;
  }
  set trainable(v: boolean) {
    if (typeof v !== 'boolean') fail(`${this.getClassName()}.trainable`, `must be true or false, got ${describe(v)}`);
    this.#trainable = v;
  }

  protected setUserName(where: string, v: unknown): void {
    if (v === undefined) return;
    if (typeof v !== 'string' || v.length < 1 || v.length > 100 || v.includes('/')) {
      fail(where, `name must be a string of 1..100 characters without "/" (weights are named "<layer>/<weight>"), got ${describe(v)}`);
    }
    this.#userName = v;
  }

  /** The name given to the factory, or one made up when the layer was first used (dense_1, ...). */
  get name(): string {
    if (this.#userName !== undefined) return this.#userName;
    this.#autoName ??= autoName(this.type);
    return this.#autoName;
  }

  /** Whether the name was given by the user (false: made up). */
  get hasUserName(): boolean {
    return this.#userName !== undefined;
  }

  /** @internal A Sequential names its unnamed layers by position, as files of format 1 do. */
  _nameIfUnnamed(name: string): void {
    if (this.#userName === undefined && this.#autoName === undefined) this.#autoName = name;
  }

  /** The v1 layer spec (flat: {type, ...config}). */
  get spec(): { type: string } & Record<string, unknown> {
    return { type: this.type, ...this.config };
  }

  /** The class name in messages ("got a Dense"), also in the minified bundle. */
  get [Symbol.toStringTag](): string {
    return this.getClassName();
  }

  /** TF.js getConfig(): the layer's settings with the engine's defaults filled in (needs nn.ready()). */
  getConfig(): Record<string, unknown> {
    const row = layerRow(this.type);
    const config = row ? checkLayerConfig(this.type, this.config, `layer "${this.name}" (${this.type})`).config : { ...this.config };
    return { name: this.name, ...config };
  }

  /**
   * Calls the layer on symbolic tensors (nn.input(), another layer's output) and returns its
   * output. The engine checks the call (shapes, number of inputs); an error names this layer.
   * A recurrent layer made with returnState: true returns an array instead, [output, h] (lstm
   * [output, h, c]), as TF.js does; the declared type stays SymbolicTensor (every other layer's,
   * and what makes a recurrent layer a Layer), so TypeScript reads it with
   * `layer.apply(x) as unknown as SymbolicTensor[]`.
   * Concrete Tensors are not supported yet (no eager mode): use model.predict().
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    const where = `${this.getClassName()}.apply()`;
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (this.type === 'input') fail(where, 'an input layer is not applied: use nn.input({shape}) (or layer.output)');
    if (list.length === 0) fail(where, 'expected a SymbolicTensor or an array of them, got an empty array');
    list.forEach((t, i) => {
      if (!isSymbolic(t)) {
        const what = Array.isArray(inputs) ? `inputs[${i}]` : 'the input';
        const tensor = t !== null && typeof t === 'object' && (t as object)[Symbol.toStringTag as keyof object] === 'Tensor';
        fail(
          where,
          tensor
            ? `applying a layer to a concrete Tensor (eager mode) is not supported yet; apply it to nn.input({shape}) or another layer's output and call model.predict()`
            : `${what} must be a SymbolicTensor (from nn.input({shape}) or another layer's apply()), got ${describe(t)}`,
        );
      }
    });
    // An array only for a layer with several output tensors (returnState), see above.
    return completeCall(recordCall(this, list), where) as SymbolicTensor;
  }

  /** The output of this layer's only call (TF.js layer.output). */
  get output(): SymbolicTensor {
    if (this.calls.length === 0) fail(`layer "${this.name}"`, 'it has not been applied to anything yet, so it has no output');
    if (this.calls.length > 1) fail(`layer "${this.name}"`, `it is applied ${this.calls.length} times (shared); use the tensor each apply() returned`);
    return this.calls[0].output;
  }

  /** The input of this layer's only call (TF.js layer.input). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    if (this.calls.length !== 1) fail(`layer "${this.name}"`, `layer.input needs exactly one call, it has ${this.calls.length}`);
    const ins = this.calls[0].inputs;
    return ins.length === 1 ? ins[0] : [...ins];
  }
}

const autoCounts = new Map<string, number>();
/** Keras-style unique names per type: dense_1, dense_2, ... (across the realm). */
function autoName(type: string): string {
  const n = (autoCounts.get(type) ?? 0) + 1;
  autoCounts.set(type, n);
  return `${type}_${n}`;
}

const denseKeys = [
  'units', 'activation', 'inputShape', 'inputDim', 'useBias', 'kernelInitializer', 'biasInitializer',
  'kernelRegularizer', 'name',
];

export class Dense extends Layer {
  readonly type = 'dense';
  readonly config: Omit<DenseSpec, 'type'>;
  readonly #declaredShape: number[] | undefined;

  constructor(args: DenseLayerArgs) {
    super();
    const where = 'layers.dense()';
    if (args === null || typeof args !== 'object') fail(where, 'expected an options object like {units: 8, activation: "relu"}');
    checkArgs(where, args, denseKeys, '{units: 8, activation: "relu"}');
    const units = positiveInt(where, 'units', args.units);
    this.#declaredShape = Dense.#inputShape(args);
    this.setUserName(where, args.name);
    this.config = {
      units,
      activation: oneOf(where, 'activation', args.activation ?? 'linear', activations),
      useBias: useBiasOf(where, args.useBias),
      kernelInitializer: initializerOf(where, 'kernelInitializer', args.kernelInitializer ?? 'glorotUniform'),
      biasInitializer: initializerOf(where, 'biasInitializer', args.biasInitializer ?? 'zeros'),
      kernelRegularizer: regularizerOf(where, args.kernelRegularizer),
    };
  }

  // Dense works on the last axis of any rank (Keras), so inputShape may be [features] or more.
  static #inputShape(args: DenseLayerArgs): number[] | undefined {
    const where = 'layers.dense()';
    const { inputShape, inputDim } = args;
    let shape = inputShapeOf(where, inputShape, [1, 2, 3, 4, 5, 6], '[features] (or a longer shape: dense works on its last axis)');
    if (inputDim !== undefined) {
      integerIn(where, 'the input size', inputDim, 1, limits.dimension);
      if (shape !== undefined && (shape.length !== 1 || shape[0] !== inputDim)) fail(where, `inputShape ${quote(shape)} and inputDim ${describe(inputDim)} disagree`);
      shape = [inputDim];
    }
    if (shape?.length === 1) integerIn(where, 'the input size', shape[0], 1, limits.dimension);
    return shape;
  }

  get inputShape(): number[] | undefined {
    return this.#declaredShape === undefined ? undefined : [...this.#declaredShape];
  }

  /** Input size declared on this layer (the last axis of inputShape / inputDim), if any. */
  get inputSize(): number | undefined {
    return this.#declaredShape?.[this.#declaredShape.length - 1];
  }

  getClassName(): string {
    return 'Dense';
  }


}

const conv2dKeys = [
  'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'activation', 'useBias', 'kernelInitializer',
  'biasInitializer', 'kernelRegularizer', 'inputShape', 'name',
];

export class Conv2D extends Layer {
  readonly type = 'conv2d';
  readonly config: Omit<Conv2DSpec, 'type'>;
  readonly inputShape: number[] | undefined;

  constructor(args: Conv2DLayerArgs) {
    super();
    const where = 'layers.conv2d()';
    const a = checkArgs(where, args, conv2dKeys, "{filters: 8, kernelSize: 3, activation: 'relu'}");
    const filters = positiveInt(where, 'filters', a.filters);
    if (a.kernelSize === undefined) fail(where, 'kernelSize is required: a number like 3 or [height, width]');
    dataFormatOf(where, a.dataFormat);
    this.inputShape = inputShapeOf(where, a.inputShape, [3], '[height, width, channels] (NHWC), e.g. [28, 28, 1]');
    this.setUserName(where, a.name);
    this.config = {
      filters,
      kernelSize: pair(where, 'kernelSize', a.kernelSize),
      strides: pair(where, 'strides', a.strides ?? 1),
      padding: oneOf(where, 'padding', a.padding ?? 'valid', paddings),
      activation: oneOf(where, 'activation', a.activation ?? 'linear', activations),
      useBias: useBiasOf(where, a.useBias),
      kernelInitializer: initializerOf(where, 'kernelInitializer', a.kernelInitializer ?? 'glorotUniform'),
      biasInitializer: initializerOf(where, 'biasInitializer', a.biasInitializer ?? 'zeros'),
      kernelRegularizer: regularizerOf(where, a.kernelRegularizer),
    };
  }

  getClassName(): string {
    return 'Conv2D';
  }


}

const poolKeys = ['poolSize', 'strides', 'padding', 'dataFormat', 'inputShape', 'name'];

export class MaxPooling2D extends Layer {
  readonly type = 'maxPooling2d';
  readonly config: Omit<MaxPooling2DSpec, 'type'>;
  readonly inputShape: number[] | undefined;

  constructor(args: MaxPooling2DLayerArgs = {}) {
    super();
    const where = 'layers.maxPooling2d()';
    const a = checkArgs(where, args, poolKeys, '{poolSize: 2}');
    dataFormatOf(where, a.dataFormat);
    const poolSize = pair(where, 'poolSize', a.poolSize ?? 2);
    this.inputShape = inputShapeOf(where, a.inputShape, [3], '[height, width, channels] (NHWC), e.g. [28, 28, 1]');
    this.setUserName(where, a.name);
    this.config = {
      poolSize,
      strides: a.strides === undefined || a.strides === null ? [...poolSize] : pair(where, 'strides', a.strides),
      padding: oneOf(where, 'padding', a.padding ?? 'valid', paddings),
    };
  }

  getClassName(): string {
    return 'MaxPooling2D';
  }


}

const flattenKeys = ['inputShape', 'dataFormat', 'name'];

export class Flatten extends Layer {
  readonly type = 'flatten';
  readonly config: Record<string, never> = {};
  readonly inputShape: number[] | undefined;

  constructor(args: FlattenLayerArgs = {}) {
    super();
    const where = 'layers.flatten()';
    const a = checkArgs(where, args, flattenKeys, '{inputShape: [28, 28, 1]}');
    dataFormatOf(where, a.dataFormat);
    this.inputShape = inputShapeOf(where, a.inputShape, [1, 2, 3, 4, 5, 6], 'the shape of one sample, e.g. [28, 28] or [28, 28, 1]');
    this.setUserName(where, a.name);
  }

  getClassName(): string {
    return 'Flatten';
  }


}

// ---------------------------------------------------------------- layers on the engine's table

/**
 * A layer whose options are exactly its engine table row's keys: the engine checks them (range,
 * type, default) when the engine is loaded; `precheck` checks their types here too, so a factory
 * called before nn.ready() does not accept nonsense silently.
 */
abstract class TableLayer extends Layer {
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly inputShape: number[] | undefined;

  constructor(type: string, where: string, args: unknown, keys: readonly string[], example: string, precheck: (a: Record<string, unknown>) => void) {
    super();
    this.type = type;
    const a = checkArgs(where, args ?? {}, [...keys, 'inputShape', 'name'], example);
    this.setUserName(where, a.name);
    this.inputShape = inputShapeOf(where, a.inputShape, [1, 2, 3, 4, 5, 6], 'the shape of one sample, e.g. [8] or [28, 28, 1]');
    const config: Record<string, unknown> = {};
    // nn.initializers.*() objects become the engine row they name.
    for (const k of keys) if (a[k] !== undefined) config[k] = a[k] instanceof Initializer ? a[k].toEngine() : a[k];
    precheck(config);
    this.config = config;
    // With the engine loaded and the row present, its words on the arguments, now.
    if (isReady() && layerRow(this.type)) checkLayerConfig(this.type, config, where.replace(/\(\)$/, '()'));
  }
}

function numberIn(where: string, what: string, v: unknown, min: number, max: number, openMax = false): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (openMax ? v >= max : v > max)) {
    fail(where, `${what} must be a number in [${min}, ${max}${openMax ? ')' : ']'}, got ${describe(v)}`);
  }
}
function boolOf(where: string, what: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') fail(where, `${what} must be true or false, got ${describe(v)}`);
}
/** A shape whose entries are sizes or, where `open`, null / -1 (inferred, or the input's size). */
function dimsOf(where: string, what: string, v: unknown, open: boolean): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.length === 0 || !v.every((d) => isDimension(d) || (open && (d === null || d === -1)))) {
    fail(where, `${what} must be a non-empty array of integers in ${range(1, limits.dimension)}${open ? ' (or null / -1)' : ''}, got ${describe(v)}`);
  }
}

export interface DropoutLayerArgs {
  /** Fraction of the inputs to drop in training, in [0, 1). */
  rate: number;
  /** Shape of the keep mask (1 = broadcast over that axis), e.g. [1, 1, channels]. */
  noiseShape?: number[];
  /** Seeds this layer's stream (otherwise the model seed's). */
  seed?: number;
  inputShape?: number[];
  name?: string;
}
/** TF.js's forms of an image margin: n, [rows, columns] or [[top, bottom], [left, right]] (and the engine's [top, bottom, left, right]). */
export type ImageMarginArg = number | [number, number] | [[number, number], [number, number]] | [number, number, number, number];

/** An image margin in any of TF.js's forms as the engine's [top, bottom, left, right]. */
function marginsOf(where: string, what: string, v: unknown): number[] {
  const bad = (): never => fail(where, `${what} must be an integer, [rows, columns], [[top, bottom], [left, right]] or [top, bottom, left, right] (integers >= 0), got ${describe(v)}`);
  let flat: unknown[];
  if (typeof v === 'number') flat = [v, v, v, v];
  else if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) flat = [v[0], v[0], v[1], v[1]];
  else if (Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number')) flat = v; // the engine's own form (a saved config)
  else if (Array.isArray(v) && v.length === 2 && v.every((x) => Array.isArray(x) && x.length === 2)) flat = [...v[0], ...v[1]];
  else return bad();
  if (!flat.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) bad();
  return flat as number[];
}

/** Each sample's axes reordered (TF.js / Keras Permute): dims numbers the per-sample axes from 1, e.g. [2, 1]. */
export class Permute extends TableLayer {
  constructor(args: { dims: number[]; inputShape?: number[]; name?: string }) {
    const where = 'layers.permute()';
    super('permute', where, args, ['dims'], '{dims: [2, 1]}', (c) => {
      if (c.dims === undefined) fail(where, 'dims is required: the new order of the per-sample axes, numbered from 1, e.g. [2, 1]');
      if (!Array.isArray(c.dims) || !c.dims.every((d) => Number.isInteger(d) && d >= 1)) fail(where, `dims must be a list of axis numbers from 1 (the batch is not counted), got ${describe(c.dims)}`);
    });
  }
  getClassName(): string {
    return 'Permute';
  }
}

/** Rows and columns of zeros around each image [h, w, c] (TF.js zeroPadding2d; default 1 on every side). */
export class ZeroPadding2D extends TableLayer {
  constructor(args: { padding?: ImageMarginArg; inputShape?: number[]; name?: string } = {}) {
    const where = 'layers.zeroPadding2d()';
    super('zeroPadding2d', where, args, ['padding'], '{padding: 1}', (c) => {
      if (c.padding !== undefined) c.padding = marginsOf(where, 'padding', c.padding);
    });
  }
  getClassName(): string {
    return 'ZeroPadding2D';
  }
}

/** Rows and columns cut off each image [h, w, c] (TF.js cropping2D). */
export class Cropping2D extends TableLayer {
  constructor(args: { cropping: ImageMarginArg; inputShape?: number[]; name?: string }) {
    const where = 'layers.cropping2D()';
    super('cropping2D', where, args, ['cropping'], '{cropping: [[1, 1], [2, 2]]}', (c) => {
      if (c.cropping === undefined) fail(where, 'cropping is required: e.g. 1, [rows, columns] or [[top, bottom], [left, right]]');
      c.cropping = marginsOf(where, 'cropping', c.cropping);
    });
  }
  getClassName(): string {
    return 'Cropping2D';
  }
}

/** Training only: adds N(0, stddev²) noise to every value (a regularizer; the identity at inference). */
export class GaussianNoise extends TableLayer {
  constructor(args: { stddev: number; inputShape?: number[]; name?: string }) {
    const where = 'layers.gaussianNoise()';
    super('gaussianNoise', where, args, ['stddev'], '{stddev: 0.1}', (c) => {
      if (c.stddev === undefined) fail(where, 'stddev is required: the standard deviation of the noise, e.g. 0.1');
      numberIn(where, 'stddev', c.stddev, 0, Number.MAX_VALUE);
    });
  }
  getClassName(): string {
    return 'GaussianNoise';
  }
}

/** Training only: multiplies every value by N(1, rate / (1 − rate)) noise (dropout's mean and variance, without zeros). */
export class GaussianDropout extends TableLayer {
  constructor(args: { rate: number; inputShape?: number[]; name?: string }) {
    const where = 'layers.gaussianDropout()';
    super('gaussianDropout', where, args, ['rate'], '{rate: 0.2}', (c) => {
      if (c.rate === undefined) fail(where, 'rate is required: the dropout rate the noise matches, e.g. 0.2');
      numberIn(where, 'rate', c.rate, 0, 1, true);
    });
  }
  getClassName(): string {
    return 'GaussianDropout';
  }
}

export class Dropout extends TableLayer {
  constructor(args: DropoutLayerArgs) {
    const where = 'layers.dropout()';
    super('dropout', where, args, ['rate', 'noiseShape', 'seed'], '{rate: 0.5}', (c) => {
      if (c.rate === undefined) fail(where, 'rate is required: the fraction of inputs to drop, e.g. 0.5');
      numberIn(where, 'rate', c.rate, 0, 1, true);
      // Keras: [batch, d1, ...], each null (the input's size), 1 (shared) or the input's size.
      dimsOf(where, 'noiseShape', c.noiseShape, true);
      if (c.seed !== undefined) integerIn(where, 'seed', c.seed, 0, limits.seed);
    });
  }
  getClassName(): string {
    return 'Dropout';
  }
}

export interface BatchNormalizationLayerArgs {
  /** Only -1 (the last axis, channels). */
  axis?: number;
  /** Default 0.99: moving = moving · momentum + batch · (1 − momentum). */
  momentum?: number;
  /** Default 0.001. */
  epsilon?: number;
  /** Default true: learn beta. */
  center?: boolean;
  /** Default true: learn gamma. */
  scale?: boolean;
  /** Defaults 'zeros', 'ones', 'zeros', 'ones'. */
  betaInitializer?: KernelInitializer;
  gammaInitializer?: KernelInitializer;
  movingMeanInitializer?: KernelInitializer;
  movingVarianceInitializer?: KernelInitializer;
  inputShape?: number[];
  name?: string;
}
export class BatchNormalization extends TableLayer {
  constructor(args: BatchNormalizationLayerArgs = {}) {
    const where = 'layers.batchNormalization()';
    const keys = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'];
    super('batchNormalization', where, args, keys, '{momentum: 0.99}', (c) => {
      if (c.axis !== undefined && c.axis !== -1) fail(where, `axis must be -1 (the last axis), got ${describe(c.axis)}`);
      numberIn(where, 'momentum', c.momentum, 0, 1);
      if (c.epsilon !== undefined && (typeof c.epsilon !== 'number' || !(c.epsilon > 0) || !Number.isFinite(c.epsilon))) {
        fail(where, `epsilon must be a number > 0, got ${describe(c.epsilon)}`);
      }
      boolOf(where, 'center', c.center);
      boolOf(where, 'scale', c.scale);
      for (const k of ['betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer']) {
        if (c[k] !== undefined) c[k] = initializerOf(where, k, c[k]);
      }
    });
  }
  getClassName(): string {
    return 'BatchNormalization';
  }
}

export interface LayerNormalizationLayerArgs {
  /** Only -1 (the last axis), the default. */
  axis?: number;
  /** Default 0.001. */
  epsilon?: number;
  /** Default true: learn beta. */
  center?: boolean;
  /** Default true: learn gamma. */
  scale?: boolean;
  /** Defaults 'zeros' and 'ones'. */
  betaInitializer?: KernelInitializer;
  gammaInitializer?: KernelInitializer;
  inputShape?: number[];
  name?: string;
}
/** Each sample's (each step's) last axis normalised by its own mean and variance, then gamma · x̂ + beta. */
export class LayerNormalization extends TableLayer {
  constructor(args: LayerNormalizationLayerArgs = {}) {
    const where = 'layers.layerNormalization()';
    super('layerNormalization', where, args, ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer'], '{epsilon: 0.001}', (c) => {
      if (c.axis !== undefined && c.axis !== -1) fail(where, `axis must be -1 (the last axis), got ${describe(c.axis)}`);
      if (c.epsilon !== undefined && (typeof c.epsilon !== 'number' || !(c.epsilon > 0) || !Number.isFinite(c.epsilon))) {
        fail(where, `epsilon must be a number > 0, got ${describe(c.epsilon)}`);
      }
      boolOf(where, 'center', c.center);
      boolOf(where, 'scale', c.scale);
      for (const k of ['betaInitializer', 'gammaInitializer']) if (c[k] !== undefined) c[k] = initializerOf(where, k, c[k]);
    });
  }
  getClassName(): string {
    return 'LayerNormalization';
  }
}

export interface ActivationLayerArgs {
  activation: Activation;
  /** leakyRelu's slope / elu's scale (defaults 0.3 / 1.0 as TF.js). */
  alpha?: number;
  inputShape?: number[];
  name?: string;
}
export class ActivationLayer extends TableLayer {
  constructor(args: ActivationLayerArgs) {
    const where = 'layers.activation()';
    super('activation', where, args, ['activation', 'alpha'], "{activation: 'relu'}", (c) => {
      if (c.activation === undefined) fail(where, "activation is required, e.g. {activation: 'relu'}");
      c.activation = oneOf(where, 'activation', c.activation, activations);
      numberIn(where, 'alpha', c.alpha, 0, Number.MAX_VALUE);
    });
  }
  getClassName(): string {
    return 'Activation';
  }
}

export interface ReshapeLayerArgs {
  /** The per-sample output shape; one entry may be -1 (inferred). */
  targetShape: number[];
  inputShape?: number[];
  name?: string;
}
export class Reshape extends TableLayer {
  constructor(args: ReshapeLayerArgs) {
    const where = 'layers.reshape()';
    super('reshape', where, args, ['targetShape'], '{targetShape: [7, 7, 1]}', (c) => {
      if (c.targetShape === undefined) fail(where, 'targetShape is required, e.g. [7, 7, 1]');
      dimsOf(where, 'targetShape', c.targetShape, true);
    });
  }
  getClassName(): string {
    return 'Reshape';
  }
}

export interface ConcatenateLayerArgs {
  /** Default -1 (the last axis); Keras numbering, per-sample axes 1..rank or -1..-rank (not 0, the batch). */
  axis?: number;
  name?: string;
}
export class Concatenate extends TableLayer {
  constructor(args: ConcatenateLayerArgs = {}) {
    const where = 'layers.concatenate()';
    super('concatenate', where, args, ['axis'], '{axis: -1}', (c) => {
      if (c.axis !== undefined && (!Number.isInteger(c.axis) || c.axis === 0)) {
        fail(where, `axis must be a non-zero integer (-1 is the last axis; 0 is the batch), got ${describe(c.axis)}`);
      }
    });
  }
  getClassName(): string {
    return 'Concatenate';
  }
}

export class Add extends TableLayer {
  constructor(args: { name?: string } = {}) {
    super('add', 'layers.add()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'Add';
  }
}

export class Multiply extends TableLayer {
  constructor(args: { name?: string } = {}) {
    super('multiply', 'layers.multiply()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'Multiply';
  }
}

export class Average extends TableLayer {
  constructor(args: { name?: string } = {}) {
    super('average', 'layers.average()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'Average';
  }
}

export class Maximum extends TableLayer {
  constructor(args: { name?: string } = {}) {
    super('maximum', 'layers.maximum()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'Maximum';
  }
}

export class Minimum extends TableLayer {
  constructor(args: { name?: string } = {}) {
    super('minimum', 'layers.minimum()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'Minimum';
  }
}

export interface AveragePooling2DLayerArgs {
  poolSize?: number | [number, number];
  strides?: number | [number, number] | null;
  padding?: Padding;
  inputShape?: number[];
  name?: string;
}
export class AveragePooling2D extends TableLayer {
  constructor(args: AveragePooling2DLayerArgs = {}) {
    const where = 'layers.averagePooling2d()';
    super('averagePooling2d', where, args, ['poolSize', 'strides', 'padding'], '{poolSize: 2}', (c) => {
      if (c.poolSize !== undefined) c.poolSize = pair(where, 'poolSize', c.poolSize);
      if (c.strides !== undefined && c.strides !== null) c.strides = pair(where, 'strides', c.strides);
      if (c.padding !== undefined) oneOf(where, 'padding', c.padding, paddings);
    });
  }
  getClassName(): string {
    return 'AveragePooling2D';
  }
}

export class GlobalAveragePooling2D extends TableLayer {
  constructor(args: { inputShape?: number[]; name?: string } = {}) {
    super('globalAveragePooling2d', 'layers.globalAveragePooling2d()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'GlobalAveragePooling2D';
  }
}

/** [height, width, channels] → [channels]: the largest value of each channel. */
export class GlobalMaxPooling2D extends TableLayer {
  constructor(args: { inputShape?: number[]; name?: string } = {}) {
    super('globalMaxPooling2d', 'layers.globalMaxPooling2d()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'GlobalMaxPooling2D';
  }
}

// ---------------------------------------------------------------- recurrent layers

export interface SimpleRNNLayerArgs {
  /** The size of the state h (and of each output step), an integer >= 1. */
  units: number;
  /** Default 'tanh': h = activation(x·kernel + h·recurrentKernel + bias); for LSTM/GRU the candidate's and the cell output's. */
  activation?: Activation;
  /** Default true. */
  useBias?: boolean;
  /** Default false: the output is the last h, [units]; true: h after every step, [steps, units]. */
  returnSequences?: boolean;
  /**
   * Default false; true: apply() returns [output, h] (lstm: [output, h, c]), h and c the final
   * state [units] (after the last step read, as Keras), usable as model outputs and as inputs
   * to further layers. Functional models only (a sequential model's layers have one output).
   */
  returnState?: boolean;
  /** Default false; true reads the sequence from its end and, as Keras, returns the sequence reversed. */
  goBackwards?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: KernelInitializer | Initializer;
  /** Default 'orthogonal' (TF.js's default). */
  recurrentInitializer?: KernelInitializer;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer | Initializer;
  kernelRegularizer?: RegularizerArg;
  recurrentRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  /**
   * Default 0. In training, the fraction of the input's features dropped (inverted dropout: the
   * kept ones scaled by 1 / (1 − rate)), one mask per sequence: every step of a sample drops the
   * same features, as Keras / TF.js. In [0, 1); inference drops nothing.
   */
  dropout?: number;
  /**
   * Default 0. In training, the fraction of h_{t−1}'s units dropped where the cell reads its
   * previous state (all gates; for GRU also the carry z ⊙ h_{t−1}, as TF.js), one mask per
   * sequence. In [0, 1).
   */
  recurrentDropout?: number;
  /** Only for the first layer: [steps, features] of one sample. */
  inputShape?: number[];
  name?: string;
}
export interface LSTMLayerArgs extends SimpleRNNLayerArgs {
  /** Default 'hardSigmoid' as TF.js (Keras: 'sigmoid'): the activation of the i, f and o gates. */
  recurrentActivation?: Activation;
  /** Default true: the forget gate's bias starts at 1 (Keras unit_forget_bias). */
  unitForgetBias?: boolean;
}
export interface GRULayerArgs extends SimpleRNNLayerArgs {
  /** Default 'hardSigmoid' as TF.js (Keras: 'sigmoid'): the activation of the z and r gates. */
  recurrentActivation?: Activation;
  /**
   * Default false as TF.js (the reset gate multiplies h before the recurrent product; bias
   * [3·units]). true is the Keras 2 / TF2 / PyTorch / cuDNN convention (r ⊙ (h·Rh + b'h); bias
   * [2, 3·units]: the input bias row, then the recurrent one), to load weights from those.
   */
  resetAfter?: boolean;
}

const recurrentKeys = [
  'units', 'activation', 'useBias', 'returnSequences', 'returnState', 'goBackwards', 'kernelInitializer',
  'recurrentInitializer', 'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'dropout',
  'recurrentDropout',
];

/** A regularizer option as the engine reads it: {l1, l2}, from nn.regularizers.*, 'l1' | 'l2' | 'l1l2' or a file's {l1, l2}. */
function regularizerConfig(where: string, what: string, v: unknown): { l1: number; l2: number } | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Regularizer) return { l1: v.l1, l2: v.l2 };
  if (typeof v === 'string') {
    const make = ({ l1: () => l1(), l2: () => l2(), l1l2: () => l1l2() } as Record<string, () => Regularizer>)[v];
    if (!make) fail(where, `unknown ${what} ${quote(v)}; allowed: 'l1', 'l2', 'l1l2' or nn.regularizers.*`);
    const r = make();
    return { l1: r.l1, l2: r.l2 };
  }
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => k === 'l1' || k === 'l2')) {
    const o = v as { l1?: number; l2?: number };
    const r = l1l2({ l1: o.l1 ?? 0, l2: o.l2 ?? 0 });
    return { l1: r.l1, l2: r.l2 };
  }
  fail(where, `${what} must come from nn.regularizers.l1()/l2()/l1l2() or be 'l1', 'l2', 'l1l2', got ${describe(v)}`);
}

function recurrentPrecheck(where: string, c: Record<string, unknown>, gated: boolean): void {
  if (c.units === undefined) fail(where, 'units is required: the size of the state h, e.g. {units: 32}');
  positiveInt(where, 'units', c.units);
  if (c.activation !== undefined) c.activation = oneOf(where, 'activation', c.activation, activations);
  if (gated && c.recurrentActivation !== undefined) c.recurrentActivation = oneOf(where, 'recurrentActivation', c.recurrentActivation, activations);
  for (const k of ['useBias', 'returnSequences', 'goBackwards', 'unitForgetBias', 'resetAfter']) boolOf(where, k, c[k]);
  boolOf(where, 'returnState', c.returnState);
  if (c.returnState !== true) delete c.returnState;  // the engine's default; a bidirectional one refuses it
  for (const k of ['dropout', 'recurrentDropout']) {
    if (c[k] === undefined) continue;
    const v = c[k];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
      fail(where, `${k} must be a number in [0, 1) (the fraction of ${k === 'dropout' ? "each step's input features" : "h's units"} dropped in training), got ${describe(v)}`);
    }
  }
  for (const k of ['kernelInitializer', 'recurrentInitializer', 'biasInitializer']) {
    if (c[k] !== undefined) c[k] = oneOf(where, k, c[k], kernelInitializers);
  }
  for (const k of ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer']) {
    const r = regularizerConfig(where, k, c[k]);
    if (r === undefined) delete c[k];
    else c[k] = r;
  }
}

/** A fully recurrent layer (Keras SimpleRNN): h_t = activation(x_t·kernel + h_{t−1}·recurrentKernel + bias). */
export class SimpleRNN extends TableLayer {
  constructor(args: SimpleRNNLayerArgs) {
    const where = 'layers.simpleRNN()';
    super('simpleRNN', where, args, recurrentKeys, '{units: 32}', (c) => recurrentPrecheck(where, c, false));
  }
  getClassName(): string {
    return 'SimpleRNN';
  }
}

/** Long short-term memory (Keras LSTM), gates i, f, c, o in the kernel's columns. */
export class LSTM extends TableLayer {
  constructor(args: LSTMLayerArgs) {
    const where = 'layers.lstm()';
    super('lstm', where, args, [...recurrentKeys, 'recurrentActivation', 'unitForgetBias'], '{units: 32}', (c) => recurrentPrecheck(where, c, true));
  }
  getClassName(): string {
    return 'LSTM';
  }
}

/** Gated recurrent unit (Keras GRU), gates z, r, h in the kernel's columns. */
export class GRU extends TableLayer {
  constructor(args: GRULayerArgs) {
    const where = 'layers.gru()';
    super('gru', where, args, [...recurrentKeys, 'recurrentActivation', 'resetAfter'], '{units: 32}', (c) => recurrentPrecheck(where, c, true));
  }
  getClassName(): string {
    return 'GRU';
  }
}

export const mergeModes = ['concat', 'sum', 'mul', 'ave'] as const;
export type MergeMode = (typeof mergeModes)[number];

export interface BidirectionalLayerArgs {
  /** The recurrent layer to run both ways: nn.layers.simpleRNN / lstm / gru (not yet applied anywhere). */
  layer: SimpleRNN | LSTM | GRU;
  /** Default 'concat' ([..., 2·units]); 'sum', 'mul', 'ave' keep [..., units]. */
  mergeMode?: MergeMode;
  /** Only for the first layer: [steps, features] of one sample (or the wrapped layer's inputShape). */
  inputShape?: number[];
  name?: string;
}

// Keys of the wrapped layer that its own class does not take (the bidirectional row has them all).
const notTakenBy: Record<string, readonly string[]> = {
  simpleRNN: ['recurrentActivation', 'unitForgetBias', 'resetAfter'],
  lstm: ['resetAfter'],
  gru: ['unitForgetBias'],
};

/** A recurrent layer read forwards and backwards (its own weights each), outputs merged (Keras Bidirectional). */
export class Bidirectional extends TableLayer {
  /** The wrapped layer as given (its config; its weights are this layer's forward_* / backward_* ones). */
  readonly layer: SimpleRNN | LSTM | GRU;
  constructor(args: BidirectionalLayerArgs) {
    const where = 'layers.bidirectional()';
    const a = checkArgs(where, args, ['layer', 'mergeMode', 'inputShape', 'name'], '{layer: nn.layers.lstm({units: 32})}');
    const inner = a.layer;
    if (!(inner instanceof SimpleRNN || inner instanceof LSTM || inner instanceof GRU)) {
      fail(where, `layer must be a recurrent layer (nn.layers.simpleRNN, lstm or gru), got ${inner instanceof Layer ? inner.getClassName() : describe(inner)}`);
    }
    if ((inner.config as Record<string, unknown>).returnState === true) {
      fail(where, 'returnState is not supported on a bidirectional layer yet (it would return both directions\' states); use returnState on a plain simpleRNN / lstm / gru');
    }
    const flat: Record<string, unknown> = { ...inner.config, layer: inner.type, inputShape: a.inputShape ?? inner.inputShape, name: a.name };
    if (a.mergeMode !== undefined) flat.mergeMode = a.mergeMode;
    super('bidirectional', where, flat, ['layer', 'mergeMode', ...Object.keys(inner.config)], '{layer: nn.layers.lstm({units: 32})}', (c) => {
      if (c.mergeMode !== undefined) c.mergeMode = oneOf(where, 'mergeMode', c.mergeMode, mergeModes);
    });
    this.layer = inner;
  }
  getClassName(): string {
    return 'Bidirectional';
  }
}

// ---------------------------------------------------------------- embedding, conv1d, globalAveragePooling1d

export interface EmbeddingLayerArgs {
  /** The number of distinct ids: ids are integers 0..inputDim−1. */
  inputDim: number;
  /** The size of one embedding vector. */
  outputDim: number;
  /** Default 'randomUniform' (U(−0.05, 0.05), TF.js's default). */
  embeddingsInitializer?: KernelInitializer;
  embeddingsRegularizer?: RegularizerArg;
  /** The length of the id sequences; as the first layer it stands for inputShape [inputLength]. */
  inputLength?: number;
  /** Only false: masking is not implemented (pad with an id the model learns to ignore). */
  maskZero?: boolean;
  /** Only for the first layer: the shape of one sample's ids, e.g. [steps]. */
  inputShape?: number[];
  name?: string;
}

/** Ids [steps] → vectors [steps, outputDim]: row id of the table embeddings [inputDim, outputDim]. */
export class Embedding extends TableLayer {
  constructor(args: EmbeddingLayerArgs) {
    const where = 'layers.embedding()';
    const a = checkArgs(where, args, ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'inputLength', 'maskZero', 'inputShape', 'name'], '{inputDim: 1000, outputDim: 16}');
    // TF.js: inputLength on a first layer gives its input shape.
    const withShape = a.inputShape === undefined && typeof a.inputLength === 'number' ? { ...a, inputShape: [a.inputLength] } : a;
    super('embedding', where, withShape, ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'inputLength', 'maskZero'], '{inputDim: 1000, outputDim: 16}', (c) => {
      if (c.inputDim === undefined) fail(where, 'inputDim is required: the number of distinct ids, e.g. {inputDim: 1000, outputDim: 16}');
      if (c.outputDim === undefined) fail(where, 'outputDim is required: the size of one embedding vector, e.g. {inputDim: 1000, outputDim: 16}');
      positiveInt(where, 'inputDim', c.inputDim);
      positiveInt(where, 'outputDim', c.outputDim);
      if (c.inputLength !== undefined) positiveInt(where, 'inputLength', c.inputLength);
      boolOf(where, 'maskZero', c.maskZero);
      if (c.maskZero === true) fail(where, 'maskZero is not supported yet (no masks flow between layers); leave it out or false');
      delete c.maskZero;
      if (c.embeddingsInitializer !== undefined) c.embeddingsInitializer = oneOf(where, 'embeddingsInitializer', c.embeddingsInitializer, kernelInitializers);
      const r = regularizerConfig(where, 'embeddingsRegularizer', c.embeddingsRegularizer);
      if (r === undefined) delete c.embeddingsRegularizer;
      else c.embeddingsRegularizer = r;
    });
  }
  getClassName(): string {
    return 'Embedding';
  }
}

export interface Conv1DLayerArgs {
  /** Number of output channels, an integer >= 1. */
  filters: number;
  /** The window length in steps: a number or [number]. */
  kernelSize: number | [number];
  /** Default 1: the step between windows (a number or [number]). */
  strides?: number | [number];
  /** 'valid' (default) or 'same' (zero-pads so the output has ceil(steps / strides) steps, TF's split). */
  padding?: Padding;
  /** Only 1 (or [1]). */
  dilationRate?: number | [number];
  /** Default 'linear'. */
  activation?: Activation;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (fan in kernelSize·inChannels, fan out kernelSize·filters). */
  kernelInitializer?: KernelInitializer;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer | Initializer;
  kernelRegularizer?: RegularizerArg;
  /** Only for the first layer: [steps, channels] of one sample. */
  inputShape?: number[];
  name?: string;
}

function singleOf(where: string, what: string, v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length !== 1) fail(where, `${what} must be a number or [number] (one spatial axis), got ${describe(v)}`);
    return v[0];
  }
  return v;
}

/** A 1-D convolution over [steps, channels]: out[t, f] = activation(bias[f] + Σ kernel[j, c, f] · in[t·stride + j − pad, c]), kernel [kernelSize, channels, filters] (Keras layout). */
export class Conv1D extends TableLayer {
  constructor(args: Conv1DLayerArgs) {
    const where = 'layers.conv1d()';
    super('conv1d', where, args, ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer'], "{filters: 16, kernelSize: 3, activation: 'relu'}", (c) => {
      if (c.filters === undefined) fail(where, 'filters is required: the number of output channels, e.g. {filters: 16, kernelSize: 3}');
      if (c.kernelSize === undefined) fail(where, 'kernelSize is required: the window length in steps, e.g. {filters: 16, kernelSize: 3}');
      positiveInt(where, 'filters', c.filters);
      for (const k of ['kernelSize', 'strides', 'dilationRate']) {
        if (c[k] === undefined) continue;
        c[k] = singleOf(where, k, c[k]);
        positiveInt(where, k, c[k]);
      }
      if (c.dilationRate !== undefined && c.dilationRate !== 1) fail(where, `dilationRate must be 1 (dilated convolutions are not implemented), got ${describe(c.dilationRate)}`);
      if (c.padding !== undefined) c.padding = oneOf(where, 'padding', c.padding, paddings);
      if (c.activation !== undefined) c.activation = oneOf(where, 'activation', c.activation, activations);
      boolOf(where, 'useBias', c.useBias);
      for (const k of ['kernelInitializer', 'biasInitializer']) if (c[k] !== undefined) c[k] = oneOf(where, k, c[k], kernelInitializers);
      const r = regularizerConfig(where, 'kernelRegularizer', c.kernelRegularizer);
      if (r === undefined) delete c.kernelRegularizer;
      else c.kernelRegularizer = r;
    });
  }
  getClassName(): string {
    return 'Conv1D';
  }
}

/** [steps, features] → [features]: the mean over the steps. */
export class GlobalAveragePooling1D extends TableLayer {
  constructor(args: { inputShape?: number[]; name?: string } = {}) {
    super('globalAveragePooling1d', 'layers.globalAveragePooling1d()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'GlobalAveragePooling1D';
  }
}

export interface Pooling1DLayerArgs {
  /** Window length in steps (default 2), a number or [number] as TF.js takes it. */
  poolSize?: number | [number];
  /** Default: poolSize. */
  strides?: number | [number] | null;
  padding?: Padding;
  inputShape?: number[];
  name?: string;
}

/** The options of maxPooling1d / averagePooling1d, checked; [n] becomes n (TF.js's forms). */
function pooling1dConfig(where: string): (c: Record<string, unknown>) => void {
  return (c) => {
    for (const k of ['poolSize', 'strides']) {
      if (c[k] === undefined || (k === 'strides' && c[k] === null)) continue;
      c[k] = singleOf(where, k, c[k]);
      positiveInt(where, k, c[k]);
    }
    if (c.padding !== undefined) c.padding = oneOf(where, 'padding', c.padding, paddings);
  };
}

/** [steps, features] → [steps / strides, features]: the largest value of each window of steps. */
export class MaxPooling1D extends TableLayer {
  constructor(args: Pooling1DLayerArgs = {}) {
    super('maxPooling1d', 'layers.maxPooling1d()', args, ['poolSize', 'strides', 'padding'], '{poolSize: 2}', pooling1dConfig('layers.maxPooling1d()'));
  }
  getClassName(): string {
    return 'MaxPooling1D';
  }
}

/** [steps, features] → [steps / strides, features]: the mean of each window of steps. */
export class AveragePooling1D extends TableLayer {
  constructor(args: Pooling1DLayerArgs = {}) {
    super('averagePooling1d', 'layers.averagePooling1d()', args, ['poolSize', 'strides', 'padding'], '{poolSize: 2}', pooling1dConfig('layers.averagePooling1d()'));
  }
  getClassName(): string {
    return 'AveragePooling1D';
  }
}

/** [features] → [n, features]: the vector repeated as n equal steps (TF.js / Keras RepeatVector). */
export class RepeatVector extends TableLayer {
  constructor(args: { n: number; inputShape?: number[]; name?: string }) {
    const where = 'layers.repeatVector()';
    super('repeatVector', where, args, ['n'], '{n: 5}', (c) => {
      if (c.n === undefined) fail(where, 'n is required: how many times to repeat the vector, e.g. {n: 5}');
      positiveInt(where, 'n', c.n);
    });
  }
  getClassName(): string {
    return 'RepeatVector';
  }
}

/** [steps, features] → [features]: the largest value of each feature over the steps. */
export class GlobalMaxPooling1D extends TableLayer {
  constructor(args: { inputShape?: number[]; name?: string } = {}) {
    super('globalMaxPooling1d', 'layers.globalMaxPooling1d()', args, [], '{}', () => undefined);
  }
  getClassName(): string {
    return 'GlobalMaxPooling1D';
  }
}

export interface InputLayerArgs {
  /** The shape of one sample (TF.js inputShape), e.g. [28, 28, 1]. */
  inputShape?: number[];
  /** Same as inputShape (nn.input's spelling). */
  shape?: number[];
  name?: string;
}
/** A graph input (nn.input() makes one and returns its output). */
export class InputLayer extends Layer {
  readonly type = 'input';
  readonly config: { shape: number[] };
  readonly inputShape: number[];
  constructor(args: InputLayerArgs, where = 'layers.inputLayer()') {
    super();
    const a = checkArgs(where, args, ['inputShape', 'shape', 'name'], '{shape: [2]}');
    this.setUserName(where, a.name);
    if (a.shape !== undefined && a.inputShape !== undefined) fail(where, 'give shape or inputShape, not both');
    const shape = inputShapeOf(where, a.shape ?? a.inputShape, [1, 2, 3, 4, 5, 6], 'the shape of one sample, e.g. [2] or [28, 28, 1]');
    if (!shape) fail(where, 'shape is required: the shape of one sample without the batch dimension, e.g. {shape: [2]}');
    this.inputShape = shape;
    this.config = { shape: [...shape] };
    inputCall(this, shape);
  }
  getClassName(): string {
    return 'InputLayer';
  }
}

/** nn.input({shape, name?}): a graph input, as a SymbolicTensor [null, ...shape]. */
export function input(args: { shape: number[]; name?: string }): SymbolicTensor {
  return new InputLayer(args as InputLayerArgs, 'input()').output;
}

/** Zeroes a fraction `rate` of the inputs in training and scales the rest by 1 / (1 − rate); identity at inference. */
export function dropout(args: DropoutLayerArgs): Dropout {
  return new Dropout(args);
}
/** Normalizes each channel by batch statistics in training, by moving statistics at inference. */
export function batchNormalization(args?: BatchNormalizationLayerArgs): BatchNormalization {
  return new BatchNormalization(args);
}
/** An activation as its own layer. */
export function activation(args: ActivationLayerArgs): ActivationLayer {
  return new ActivationLayer(args);
}
/** The same values in another per-sample shape (row-major). */
export function reshape(args: ReshapeLayerArgs): Reshape {
  return new Reshape(args);
}
/** Joins its inputs along the last axis (apply it to an array). */
export function concatenate(args?: ConcatenateLayerArgs): Concatenate {
  return new Concatenate(args);
}
/** The elementwise sum of its inputs (same shapes; apply it to an array). */
export function add(args?: { name?: string }): Add {
  return new Add(args);
}
/** The elementwise product of its inputs (same shapes; apply it to an array). */
export function multiply(args?: { name?: string }): Multiply {
  return new Multiply(args);
}
/** The elementwise mean of its inputs (same shapes; apply it to an array). */
export function average(args?: { name?: string }): Average {
  return new Average(args);
}
/** The elementwise maximum of its inputs (same shapes; apply it to an array). */
export function maximum(args?: { name?: string }): Maximum {
  return new Maximum(args);
}
/** The elementwise minimum of its inputs (same shapes; apply it to an array). */
export function minimum(args?: { name?: string }): Minimum {
  return new Minimum(args);
}
/** The mean of each pool window, per channel. */
export function averagePooling2d(args?: AveragePooling2DLayerArgs): AveragePooling2D {
  return new AveragePooling2D(args);
}
/** [height, width, channels] → [channels]: the mean over all positions. */
export function globalAveragePooling2d(args?: { inputShape?: number[]; name?: string }): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}
/** Normalises each sample's (each step's) last axis by its own statistics, the same in training and inference. */
export function layerNormalization(args?: LayerNormalizationLayerArgs): LayerNormalization {
  return new LayerNormalization(args);
}
/** Each sample's axes reordered: dims [2, 1] turns [steps, features] into [features, steps]. */
export function permute(args: { dims: number[]; inputShape?: number[]; name?: string }): Permute {
  return new Permute(args);
}
/** Zeros around each image: padding n, [rows, columns] or [[top, bottom], [left, right]] (default 1). */
export function zeroPadding2d(args?: { padding?: ImageMarginArg; inputShape?: number[]; name?: string }): ZeroPadding2D {
  return new ZeroPadding2D(args);
}
/** Each image with rows and columns cut off: cropping n, [rows, columns] or [[top, bottom], [left, right]]. */
export function cropping2D(args: { cropping: ImageMarginArg; inputShape?: number[]; name?: string }): Cropping2D {
  return new Cropping2D(args);
}
/** Adds N(0, stddev²) noise in training (e.g. a denoising autoencoder's input); the identity at inference. */
export function gaussianNoise(args: { stddev: number; inputShape?: number[]; name?: string }): GaussianNoise {
  return new GaussianNoise(args);
}
/** Multiplies by N(1, rate / (1 − rate)) noise in training; the identity at inference. */
export function gaussianDropout(args: { rate: number; inputShape?: number[]; name?: string }): GaussianDropout {
  return new GaussianDropout(args);
}
/** [height, width, channels] → [channels]: the largest value of each channel (TF.js also globalMaxPool2d). */
export function globalMaxPooling2d(args?: { inputShape?: number[]; name?: string }): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}
/**
 * A fully recurrent layer over a sequence [steps, features]: h_t = activation(x_t·kernel +
 * h_{t−1}·recurrentKernel + bias), h_{−1} = 0. Output [units] (the last h) or [steps, units].
 */
export function simpleRNN(args: SimpleRNNLayerArgs): SimpleRNN {
  return new SimpleRNN(args);
}
/**
 * An LSTM over a sequence [steps, features]: gates i, f, o = recurrentActivation(·), candidate
 * c̃ = activation(·), c_t = f⊙c_{t−1} + i⊙c̃, h_t = o⊙activation(c_t). Weights in Keras layout
 * (kernel [features, 4·units], recurrentKernel [units, 4·units], bias [4·units]).
 */
export function lstm(args: LSTMLayerArgs): LSTM {
  return new LSTM(args);
}
/**
 * A GRU over a sequence [steps, features]: gates z, r = recurrentActivation(·), candidate h̃ =
 * activation(x·Kh + (r⊙h)·Rh + b) (resetAfter true: x·Kh + b + r⊙(h·Rh + b')), h_t = z⊙h_{t−1} +
 * (1 − z)⊙h̃. Weights in Keras layout (kernel [features, 3·units], recurrentKernel [units, 3·units]).
 */
export function gru(args: GRULayerArgs): GRU {
  return new GRU(args);
}
/** A recurrent layer read both ways, outputs merged ('concat' by default). */
export function bidirectional(args: BidirectionalLayerArgs): Bidirectional {
  return new Bidirectional(args);
}
/** Ids [steps] → vectors [steps, outputDim] (Keras Embedding). */
export function embedding(args: EmbeddingLayerArgs): Embedding {
  return new Embedding(args);
}
/** A 1-D convolution over [steps, channels], kernel [kernelSize, channels, filters]. */
export function conv1d(args: Conv1DLayerArgs): Conv1D {
  return new Conv1D(args);
}
/** [steps, features] → [features]: the mean over the steps. */
export function globalAveragePooling1d(args?: { inputShape?: number[]; name?: string }): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
/** [features] → [n, features]: the vector repeated n times (the bridge from an encoder's last state to a sequence decoder). */
export function repeatVector(args: { n: number; inputShape?: number[]; name?: string }): RepeatVector {
  return new RepeatVector(args);
}
/** The largest value of each window of steps (TF.js also maxPool1d): [steps, features] → [⌈steps / strides⌉ or fewer, features]. */
export function maxPooling1d(args?: Pooling1DLayerArgs): MaxPooling1D {
  return new MaxPooling1D(args);
}
/** The mean of each window of steps (TF.js also avgPool1d, avgPooling1d); with padding 'same' an edge window averages the steps it covers. */
export function averagePooling1d(args?: Pooling1DLayerArgs): AveragePooling1D {
  return new AveragePooling1D(args);
}
/** [steps, features] → [features]: the largest value of each feature (TF.js also globalMaxPool1d). */
export function globalMaxPooling1d(args?: { inputShape?: number[]; name?: string }): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
/** A graph input layer (TF.js tf.layers.inputLayer). */
// ---------------------------------------------------------------- autoencoders (issue 9)

export interface UpSampling2DLayerArgs {
  /** Default 2 (or [2, 2]): how many times each pixel is repeated, [rows, columns]. */
  size?: number | [number, number];
  /**
   * 'nearest' (the default: every pixel repeated) or 'bilinear': TF.js 4.22's rule
   * (tf.image.resizeBilinear with alignCorners and halfPixelCenters false): output pixel i reads
   * input position i / size, interpolated between its neighbours and clamped at the last one.
   * Keras (Python) and PyTorch sample at half-pixel centres instead, so the code exporter refuses
   * 'bilinear' for them.
   */
  interpolation?: 'nearest' | 'bilinear';
  /** Only 'channelsLast' (NHWC). */
  dataFormat?: 'channelsLast';
  inputShape?: number[];
  name?: string;
}
/** [h, w, c] → [h·size[0], w·size[1], c]: every pixel repeated (nearest neighbour) or interpolated (bilinear), as TF.js UpSampling2D. */
export class UpSampling2D extends TableLayer {
  constructor(args: UpSampling2DLayerArgs = {}) {
    const where = 'layers.upSampling2d()';
    dataFormatOf(where, (args as { dataFormat?: unknown } | null)?.dataFormat);
    const { dataFormat: _ignored, ...rest } = (args ?? {}) as UpSampling2DLayerArgs;
    super('upSampling2d', where, rest, ['size', 'interpolation'], '{size: [2, 2]}', (c) => {
      if (c.size !== undefined) c.size = pair(where, 'size', c.size);
      if (c.interpolation !== undefined && c.interpolation !== 'nearest' && c.interpolation !== 'bilinear') {
        fail(where, `interpolation must be 'nearest' or 'bilinear', got ${describe(c.interpolation)}`);
      }
    });
  }
  getClassName(): string {
    return 'UpSampling2D';
  }
}

export interface Conv2DTransposeLayerArgs {
  /** Number of output channels, an integer >= 1. */
  filters: number;
  /** Kernel height and width: a number, or [height, width]. */
  kernelSize: number | [number, number];
  /** Default 1 (or [1, 1]). */
  strides?: number | [number, number];
  /** 'valid' (default: output in·strides + max(kernel − strides, 0)) or 'same' (output in·strides). */
  padding?: Padding;
  /** Only 'channelsLast' (NHWC). */
  dataFormat?: 'channelsLast';
  /** Default 'linear'. */
  activation?: Activation;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (kernel [kh, kw, filters, inChannels]: fan in kh·kw·filters, fan out kh·kw·inChannels, as TF.js). */
  kernelInitializer?: KernelInitializer | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer;
  kernelRegularizer?: RegularizerArg;
  inputShape?: number[];
  name?: string;
}
/** The transposed convolution (Keras / TF.js Conv2DTranspose): kernel [kh, kw, filters, inChannels], the adjoint of conv2d. */
export class Conv2DTranspose extends TableLayer {
  constructor(args: Conv2DTransposeLayerArgs) {
    const where = 'layers.conv2dTranspose()';
    dataFormatOf(where, (args as { dataFormat?: unknown } | null)?.dataFormat);
    const { dataFormat: _ignored, ...rest } = (args ?? {}) as Conv2DTransposeLayerArgs;
    super('conv2dTranspose', where, rest, ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer'], "{filters: 16, kernelSize: 3, strides: 2, padding: 'same'}", (c) => {
      if (c.filters === undefined) fail(where, 'filters is required: the number of output channels, e.g. {filters: 16, kernelSize: 3}');
      if (c.kernelSize === undefined) fail(where, 'kernelSize is required: a number like 3 or [height, width]');
      positiveInt(where, 'filters', c.filters);
      c.kernelSize = pair(where, 'kernelSize', c.kernelSize);
      if (c.strides !== undefined) c.strides = pair(where, 'strides', c.strides);
      if (c.padding !== undefined) c.padding = oneOf(where, 'padding', c.padding, paddings);
      if (c.activation !== undefined) c.activation = oneOf(where, 'activation', c.activation, activations);
      boolOf(where, 'useBias', c.useBias);
      for (const k of ['kernelInitializer', 'biasInitializer']) if (c[k] !== undefined) c[k] = oneOf(where, k, c[k], kernelInitializers);
      const r = regularizerConfig(where, 'kernelRegularizer', c.kernelRegularizer);
      if (r === undefined) delete c.kernelRegularizer;
      else c.kernelRegularizer = r;
    });
  }
  getClassName(): string {
    return 'Conv2DTranspose';
  }
}

export interface GaussianSamplingLayerArgs {
  /** Default false: at inference (predict, evaluate) the output is zMean; true draws there too. */
  sampleAtInference?: boolean;
  /** Seeds this layer's inference stream and mixes into its training draws (otherwise the model seed's stream alone). */
  seed?: number;
  name?: string;
}
/**
 * The VAE's reparameterisation: apply to [zMean, zLogVar] (same shape) → z = zMean + exp(0.5·zLogVar)·ε,
 * ε ~ N(0, 1) drawn per training step from the model's seeded stream (same seed, same bits). Keras has no
 * built-in layer for this: its VAE example writes a custom Sampling layer, which this is.
 */
export class GaussianSampling extends TableLayer {
  constructor(args: GaussianSamplingLayerArgs = {}) {
    const where = 'layers.gaussianSampling()';
    super('gaussianSampling', where, args, ['sampleAtInference', 'seed'], '{sampleAtInference: false}', (c) => {
      boolOf(where, 'sampleAtInference', c.sampleAtInference);
      if (c.seed !== undefined) integerIn(where, 'seed', c.seed, 0, limits.seed);
    });
  }
  getClassName(): string {
    return 'GaussianSampling';
  }
}

export interface KlDivergenceLayerArgs {
  /** Default 1: the weight β of the KL term in the loss (β-VAE); >= 0; changes live with setBeta(). */
  beta?: number;
  name?: string;
}
/** The layers' live parameters, by type: what model.setLayerParameter() accepts before the engine is asked. */
export function liveParameterKeys(type: string): readonly string[] {
  return type === 'klDivergence' ? ['beta'] : [];
}
let liveParameterHook: ((layer: Layer, key: string, value: number) => void) | null = null;
/** @internal model.ts: how layer.getWeights()/setWeights() reach a model that holds the layer. */
export interface LayerWeightsAccess {
  get(layer: Layer): Tensor[];
  set(layer: Layer, weights: Tensor[]): void;
}
let layerWeights: LayerWeightsAccess | null = null;
export function setLayerWeightsAccess(access: LayerWeightsAccess): void {
  layerWeights = access;
}
let layerVariables: ((layer: Layer) => Variable[]) | null = null;
/** @internal model.ts: how layer.weights reaches the models that hold the layer. */
export function setLayerVariablesAccess(access: (layer: Layer) => Variable[]): void {
  layerVariables = access;
}
/** @internal model.ts: how layer.setBeta() reaches the models that hold the layer. */
export function setLiveParameterHook(hook: (layer: Layer, key: string, value: number) => void): void {
  liveParameterHook = hook;
}
/**
 * The VAE's KL term as a layer loss: apply to [zMean, zLogVar] (same shape); the output is zMean
 * unchanged (feed it to gaussianSampling), and β · mean over the batch of
 * −0.5·Σ(1 + zLogVar − zMean² − exp(zLogVar)) is added to the model's loss. The training logs
 * carry the KL (before β) under this layer's name and the reconstruction as "<output>_loss".
 */
export class KlDivergence extends TableLayer {
  constructor(args: KlDivergenceLayerArgs = {}) {
    const where = 'layers.klDivergence()';
    super('klDivergence', where, args, ['beta'], '{beta: 1}', (c) => {
      if (c.beta !== undefined && (typeof c.beta !== 'number' || !Number.isFinite(c.beta) || c.beta < 0)) {
        fail(where, `beta must be a finite number >= 0 (the weight of the KL term), got ${describe(c.beta)}`);
      }
    });
  }
  getClassName(): string {
    return 'KlDivergence';
  }
  /** β now (the config's, default 1). */
  get beta(): number {
    return (this.config.beta as number | undefined) ?? 1;
  }
  /** Changes β live, in every model holding this layer (model.setLayerParameter(name, 'beta', beta)). */
  setBeta(beta: number): void {
    if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0) fail('KlDivergence.setBeta()', `beta must be a finite number >= 0, got ${describe(beta)}`);
    this.config.beta = beta;
    liveParameterHook?.(this, 'beta', beta);
  }
}

export function upSampling2d(args?: UpSampling2DLayerArgs): UpSampling2D {
  return new UpSampling2D(args);
}
export function conv2dTranspose(args: Conv2DTransposeLayerArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}
export function gaussianSampling(args?: GaussianSamplingLayerArgs): GaussianSampling {
  return new GaussianSampling(args);
}
export function klDivergence(args?: KlDivergenceLayerArgs): KlDivergence {
  return new KlDivergence(args);
}

export function inputLayer(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}

/**
 * The layer a v2 file's entry describes: {type, config}; the config keys are the engine's (the
 * same as the factories' options), checked by the same factory. name is the layer's name.
 */
export function layerFromConfig(type: string, fileConfig: Record<string, unknown>, name: string): Layer {
  // "trainable" is a property of every layer, not an argument of each factory.
  const { trainable, ...config } = fileConfig;
  const layer = layerFromFactoryConfig(type, config, name);
  if (trainable !== undefined) layer.trainable = trainable as boolean;
  return layer;
}

function layerFromFactoryConfig(type: string, config: Record<string, unknown>, name: string): Layer {
  const args = { ...config, name } as never;
  const c = config as Record<string, unknown>;
  switch (type) {
    case 'input':
      return new InputLayer({ shape: c.shape as number[], name }, 'layers');
    case 'dense':
    case 'conv2d': {
      const reg = c.kernelRegularizer as { l1?: number; l2?: number } | null | undefined;
      const rest: Record<string, unknown> = { ...c, name, kernelRegularizer: reg ? l1l2({ l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 }) : undefined };
      if (rest.kernelRegularizer === undefined) delete rest.kernelRegularizer;
      if (c.alpha === null) delete rest.alpha;
      if (c.strides === null) delete rest.strides;
      return type === 'dense' ? new Dense(rest as never) : new Conv2D(rest as never);
    }
    case 'maxPooling2d':
      return new MaxPooling2D(args);
    case 'flatten':
      return new Flatten(args);
    case 'activation':
      return new ActivationLayer(args);
    case 'dropout':
      return new Dropout(args);
    case 'batchNormalization':
      return new BatchNormalization(args);
    case 'reshape':
      return new Reshape(args);
    case 'concatenate':
      return new Concatenate(args);
    case 'add':
      return new Add(args);
    case 'multiply':
      return new Multiply(args);
    case 'average':
      return new Average(args);
    case 'maximum':
      return new Maximum(args);
    case 'minimum':
      return new Minimum(args);
    case 'averagePooling2d':
      return new AveragePooling2D(args);
    case 'globalAveragePooling2d':
      return new GlobalAveragePooling2D(args);
    case 'globalMaxPooling2d':
      return new GlobalMaxPooling2D(args);
    case 'gaussianNoise':
      return new GaussianNoise(args as { stddev: number });
    case 'zeroPadding2d':
      return new ZeroPadding2D(args);
    case 'permute':
      return new Permute(args as { dims: number[] });
    case 'layerNormalization':
      return new LayerNormalization(args);
    case 'cropping2D':
      return new Cropping2D(args as { cropping: ImageMarginArg });
    case 'gaussianDropout':
      return new GaussianDropout(args as { rate: number });
    case 'simpleRNN':
      return new SimpleRNN(args);
    case 'lstm':
      return new LSTM(args);
    case 'gru':
      return new GRU(args);
    case 'bidirectional': {
      const { layer: cell, mergeMode, ...rest } = c;
      const cellType = String(cell);
      if (!(cellType in notTakenBy)) fail('layers', `bidirectional: unknown wrapped layer ${quote(cell)}; allowed: simpleRNN, lstm, gru`);
      for (const k of notTakenBy[cellType]) delete rest[k];
      const inner = layerFromFactoryConfig(cellType, rest, `${name}_inner`) as SimpleRNN | LSTM | GRU;
      return new Bidirectional({ layer: inner, name, ...(mergeMode !== undefined ? { mergeMode: mergeMode as MergeMode } : {}) });
    }
    case 'embedding':
      return new Embedding(args);
    case 'conv1d':
      return new Conv1D(args);
    case 'globalAveragePooling1d':
      return new GlobalAveragePooling1D(args);
    case 'globalMaxPooling1d':
      return new GlobalMaxPooling1D(args);
    case 'maxPooling1d':
      return new MaxPooling1D(args);
    case 'averagePooling1d':
      return new AveragePooling1D(args);
    case 'repeatVector':
      return new RepeatVector(args as { n: number });
    case 'upSampling2d':
      return new UpSampling2D(args);
    case 'conv2dTranspose': {
      const rest: Record<string, unknown> = { ...c, name };
      if (c.alpha === null) delete rest.alpha;
      if (c.strides === null) delete rest.strides;
      if (c.kernelRegularizer === null) delete rest.kernelRegularizer;
      return new Conv2DTranspose(rest as never);
    }
    case 'gaussianSampling': {
      const rest: Record<string, unknown> = { ...c, name };
      if (c.seed === null) delete rest.seed;
      return new GaussianSampling(rest as never);
    }
    case 'klDivergence':
      return new KlDivergence(args);
    default:
      fail('layers', `unknown layer type ${quote(type)}; allowed: ${layerTypes.join(', ')}`);
  }
}

/** A fully connected layer: y = activation(x · kernel + bias), kernel [inputs, units]. */
export function dense(args: DenseLayerArgs): Dense {
  return new Dense(args);
}

/**
 * A 2-D convolution over NHWC images: out[y, x, f] = activation(bias[f] + Σ kernel[i, j, c, f] ·
 * in[y·sh + i − padTop, x·sw + j − padLeft, c]), kernel [kernelH, kernelW, inChannels, filters]
 * (TF.js layout). Like TF.js, this is cross-correlation (the kernel is not flipped).
 */
export function conv2d(args: Conv2DLayerArgs): Conv2D {
  return new Conv2D(args);
}

/** The largest value in each pool window, per channel. No weights. */
export function maxPooling2d(args?: MaxPooling2DLayerArgs): MaxPooling2D {
  return new MaxPooling2D(args);
}

/** [height, width, channels] → [height·width·channels] in NHWC order (as TF.js). No weights. */
export function flatten(args?: FlattenLayerArgs): Flatten {
  return new Flatten(args);
}

/**
 * The layer a spec describes (as stored in a model file), with inputShape when it is the first
 * layer. Checks the spec with the same rules as nn.layers.*(); errors name the factory.
 */
export function layerFromSpec(spec: LayerSpec & { name?: string }, inputShape?: number[]): Layer {
  const named = spec.name !== undefined ? { name: spec.name } : {};
  const input = inputShape ? { inputShape } : {};
  // Checked by l1l2() like any user-given rates; a stored spec may leave it out.
  const reg = () => {
    const r = (spec as { kernelRegularizer?: { l1?: number; l2?: number } }).kernelRegularizer;
    return l1l2({ l1: r?.l1 ?? 0, l2: r?.l2 ?? 0 });
  };
  switch (spec.type) {
    case 'dense':
      return dense({
        units: spec.units,
        activation: spec.activation,
        useBias: spec.useBias,
        kernelInitializer: spec.kernelInitializer,
        biasInitializer: spec.biasInitializer,
        kernelRegularizer: reg(),
        ...input,
        ...named,
      });
    case 'conv2d':
      return conv2d({
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        activation: spec.activation,
        useBias: spec.useBias,
        kernelInitializer: spec.kernelInitializer,
        biasInitializer: spec.biasInitializer,
        kernelRegularizer: reg(),
        ...input,
        ...named,
      });
    case 'maxPooling2d':
      return maxPooling2d({ poolSize: spec.poolSize, strides: spec.strides, padding: spec.padding, ...input, ...named });
    case 'flatten':
      return flatten({ ...input, ...named });
  }
}


// nn.layers.*: layer descriptions (TF.js Layers names). A layer here is validated config;
// its weights live in the engine model that a Sequential builds from the whole stack.
//
// Shapes are per sample, without the batch dimension, as in TF.js: [features] for dense
// layers, [height, width, channels] (NHWC) for images. A layer checks its own options when it
// is made; whether it fits the layer before it is checked once, by outputShape(), when a
// Sequential adds it, so a bad stack fails in add() with a message, not in the engine.
import { describe, quote } from './describe';
import { integerIn, limits, range } from './limits';
import { Regularizer, l1, l1l2, l2 } from './regularizers';

export const activations = ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'] as const;
export type Activation = (typeof activations)[number];
export const kernelInitializers = ['glorotUniform', 'heNormal', 'zeros'] as const;
export type KernelInitializer = (typeof kernelInitializers)[number];
export const biasInitializers = kernelInitializers;
export type BiasInitializer = (typeof biasInitializers)[number];
export const paddings = ['valid', 'same'] as const;
export type Padding = (typeof paddings)[number];
/** The layer types the engine builds (the "type" of a layer spec). */
export const layerTypes = ['dense', 'conv2d', 'maxPooling2d', 'flatten'] as const;
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
  kernelInitializer?: KernelInitializer;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer;
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
  kernelInitializer?: KernelInitializer;
  /** Default 'zeros'. */
  biasInitializer?: BiasInitializer;
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
  kernelInitializer: KernelInitializer;
  biasInitializer: BiasInitializer;
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
  kernelInitializer: KernelInitializer;
  biasInitializer: BiasInitializer;
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

// TF.js also accepts snake_case initializer names; accept them the same way.
const initializerAliases: Record<string, string> = { glorot_uniform: 'glorotUniform', he_normal: 'heNormal' };

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
  const name = typeof v === 'string' ? (initializerAliases[v] ?? v) : v;
  if (typeof name !== 'string' || !(allowed as readonly string[]).includes(name)) {
    fail(where, `unknown ${what} ${quote(v)}; allowed: ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return name as T;
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

/** Output height or width of a window of `size` moved by `stride` (TF's rule). */
function windowOut(input: number, size: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - size) / stride) + 1;
}

/** One trainable tensor of a layer: engine name suffix and shape. */
export interface WeightShape {
  /** 'kernel' or 'bias'; the engine names it '<type>_<index>/<suffix>'. */
  suffix: string;
  shape: number[];
}

/** What every layer has. Make layers with nn.layers.*(), not with `new`. */
export abstract class Layer {
  abstract readonly spec: LayerSpec;
  /** The per-sample input shape declared on this layer (inputShape), if any. */
  abstract readonly inputShape: number[] | undefined;
  abstract readonly name: string | undefined;
  /** TF.js class name: 'Dense', 'Conv2D', 'MaxPooling2D', 'Flatten'. */
  abstract getClassName(): string;
  /** The class name in messages ("got a Dense"), also in the minified bundle. */
  get [Symbol.toStringTag](): string {
    return this.getClassName();
  }
  /**
   * The per-sample output shape for a per-sample `input` shape; throws (prefixed with `where`)
   * if this layer cannot take that input. `index` is the layer's 0-based position, for messages.
   */
  abstract outputShape(input: readonly number[], where: string, index: number): number[];
  /** The trainable tensors, in Keras order, for a (valid) per-sample input shape. */
  abstract weightShapes(input: readonly number[]): WeightShape[];
}

function needsImage(layer: Layer, input: readonly number[], where: string, index: number): [number, number, number] {
  if (input.length !== 3) {
    fail(
      where,
      `layer ${index} (${layer.spec.type}) takes images [height, width, channels] but gets ${shapeText(input)}${index === 0 ? '' : ' from the layer before it'}`,
    );
  }
  return [input[0], input[1], input[2]];
}

const denseKeys = [
  'units', 'activation', 'inputShape', 'inputDim', 'useBias', 'kernelInitializer', 'biasInitializer',
  'kernelRegularizer', 'name',
];

export class Dense extends Layer {
  readonly spec: DenseSpec;
  /** Input size declared on this layer (inputShape / inputDim), if any. */
  readonly inputSize: number | undefined;
  readonly name: string | undefined;

  constructor(args: DenseLayerArgs) {
    super();
    const where = 'layers.dense()';
    if (args === null || typeof args !== 'object') fail(where, 'expected an options object like {units: 8, activation: "relu"}');
    checkArgs(where, args, denseKeys, '{units: 8, activation: "relu"}');
    const units = positiveInt(where, 'units', args.units);
    this.inputSize = Dense.#inputSize(args);
    this.name = nameOf(where, args.name);
    this.spec = {
      type: 'dense',
      units,
      activation: oneOf(where, 'activation', args.activation ?? 'linear', activations),
      useBias: useBiasOf(where, args.useBias),
      kernelInitializer: oneOf(where, 'kernelInitializer', args.kernelInitializer ?? 'glorotUniform', kernelInitializers),
      biasInitializer: oneOf(where, 'biasInitializer', args.biasInitializer ?? 'zeros', biasInitializers),
      kernelRegularizer: regularizerOf(where, args.kernelRegularizer),
    };
  }

  static #inputSize(args: DenseLayerArgs): number | undefined {
    const where = 'layers.dense()';
    const { inputShape, inputDim } = args;
    let size: number | undefined;
    if (inputShape !== undefined) {
      if (!Array.isArray(inputShape) || inputShape.length !== 1) {
        const image = Array.isArray(inputShape) && inputShape.length === 3;
        fail(
          where,
          `inputShape must be [features] (one dimension; dense layers take flat vectors), got ${describe(inputShape)}${image ? '; for images start with nn.layers.flatten({inputShape}) or nn.layers.conv2d({inputShape, ...})' : ''}`,
        );
      }
      size = inputShape[0];
    }
    if (inputDim !== undefined) {
      if (size !== undefined && size !== inputDim) fail(where, `inputShape [${quote(size)}] and inputDim ${describe(inputDim)} disagree`);
      size = inputDim;
    }
    if (size !== undefined) integerIn(where, 'the input size', size, 1, limits.dimension);
    return size;
  }

  get inputShape(): number[] | undefined {
    return this.inputSize === undefined ? undefined : [this.inputSize];
  }

  getClassName(): string {
    return 'Dense';
  }

  outputShape(input: readonly number[], where: string, index: number): number[] {
    if (input.length !== 1) {
      fail(
        where,
        `layer ${index} (dense) gets ${shapeText(input)}${index === 0 ? '' : ' from the layer before it'}, but dense layers take flat vectors: add nn.layers.flatten() before it`,
      );
    }
    return [this.spec.units];
  }

  weightShapes(input: readonly number[]): WeightShape[] {
    const out: WeightShape[] = [{ suffix: 'kernel', shape: [input[0], this.spec.units] }];
    if (this.spec.useBias) out.push({ suffix: 'bias', shape: [this.spec.units] });
    return out;
  }
}

const conv2dKeys = [
  'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'activation', 'useBias', 'kernelInitializer',
  'biasInitializer', 'kernelRegularizer', 'inputShape', 'name',
];

export class Conv2D extends Layer {
  readonly spec: Conv2DSpec;
  readonly inputShape: number[] | undefined;
  readonly name: string | undefined;

  constructor(args: Conv2DLayerArgs) {
    super();
    const where = 'layers.conv2d()';
    const a = checkArgs(where, args, conv2dKeys, "{filters: 8, kernelSize: 3, activation: 'relu'}");
    const filters = positiveInt(where, 'filters', a.filters);
    if (a.kernelSize === undefined) fail(where, 'kernelSize is required: a number like 3 or [height, width]');
    dataFormatOf(where, a.dataFormat);
    this.inputShape = inputShapeOf(where, a.inputShape, [3], '[height, width, channels] (NHWC), e.g. [28, 28, 1]');
    this.name = nameOf(where, a.name);
    this.spec = {
      type: 'conv2d',
      filters,
      kernelSize: pair(where, 'kernelSize', a.kernelSize),
      strides: pair(where, 'strides', a.strides ?? 1),
      padding: oneOf(where, 'padding', a.padding ?? 'valid', paddings),
      activation: oneOf(where, 'activation', a.activation ?? 'linear', activations),
      useBias: useBiasOf(where, a.useBias),
      kernelInitializer: oneOf(where, 'kernelInitializer', a.kernelInitializer ?? 'glorotUniform', kernelInitializers),
      biasInitializer: oneOf(where, 'biasInitializer', a.biasInitializer ?? 'zeros', biasInitializers),
      kernelRegularizer: regularizerOf(where, a.kernelRegularizer),
    };
  }

  getClassName(): string {
    return 'Conv2D';
  }

  outputShape(input: readonly number[], where: string, index: number): number[] {
    const [h, w] = needsImage(this, input, where, index);
    const { kernelSize: [kh, kw], strides: [sh, sw], padding } = this.spec;
    if (padding === 'valid' && (kh > h || kw > w)) {
      fail(
        where,
        `layer ${index} (conv2d): the ${kh}×${kw} kernel does not fit its ${h}×${w} input with padding 'valid'; use a smaller kernelSize or padding 'same'`,
      );
    }
    return [windowOut(h, kh, sh, padding), windowOut(w, kw, sw, padding), this.spec.filters];
  }

  weightShapes(input: readonly number[]): WeightShape[] {
    const [kh, kw] = this.spec.kernelSize;
    const out: WeightShape[] = [{ suffix: 'kernel', shape: [kh, kw, input[2], this.spec.filters] }];
    if (this.spec.useBias) out.push({ suffix: 'bias', shape: [this.spec.filters] });
    return out;
  }
}

const poolKeys = ['poolSize', 'strides', 'padding', 'dataFormat', 'inputShape', 'name'];

export class MaxPooling2D extends Layer {
  readonly spec: MaxPooling2DSpec;
  readonly inputShape: number[] | undefined;
  readonly name: string | undefined;

  constructor(args: MaxPooling2DLayerArgs = {}) {
    super();
    const where = 'layers.maxPooling2d()';
    const a = checkArgs(where, args, poolKeys, '{poolSize: 2}');
    dataFormatOf(where, a.dataFormat);
    const poolSize = pair(where, 'poolSize', a.poolSize ?? 2);
    this.inputShape = inputShapeOf(where, a.inputShape, [3], '[height, width, channels] (NHWC), e.g. [28, 28, 1]');
    this.name = nameOf(where, a.name);
    this.spec = {
      type: 'maxPooling2d',
      poolSize,
      strides: a.strides === undefined || a.strides === null ? [...poolSize] : pair(where, 'strides', a.strides),
      padding: oneOf(where, 'padding', a.padding ?? 'valid', paddings),
    };
  }

  getClassName(): string {
    return 'MaxPooling2D';
  }

  outputShape(input: readonly number[], where: string, index: number): number[] {
    const [h, w, c] = needsImage(this, input, where, index);
    const { poolSize: [ph, pw], strides: [sh, sw], padding } = this.spec;
    if (padding === 'valid' && (ph > h || pw > w)) {
      fail(
        where,
        `layer ${index} (maxPooling2d): the ${ph}×${pw} pool does not fit its ${h}×${w} input with padding 'valid'; use a smaller poolSize or padding 'same'`,
      );
    }
    return [windowOut(h, ph, sh, padding), windowOut(w, pw, sw, padding), c];
  }

  weightShapes(): WeightShape[] {
    return [];
  }
}

const flattenKeys = ['inputShape', 'dataFormat', 'name'];

export class Flatten extends Layer {
  readonly spec: FlattenSpec = { type: 'flatten' };
  readonly inputShape: number[] | undefined;
  readonly name: string | undefined;

  constructor(args: FlattenLayerArgs = {}) {
    super();
    const where = 'layers.flatten()';
    const a = checkArgs(where, args, flattenKeys, '{inputShape: [28, 28, 1]}');
    dataFormatOf(where, a.dataFormat);
    this.inputShape = inputShapeOf(where, a.inputShape, [1, 3], '[features] or [height, width, channels]');
    this.name = nameOf(where, a.name);
  }

  getClassName(): string {
    return 'Flatten';
  }

  outputShape(input: readonly number[]): number[] {
    return [input.reduce((a, b) => a * b, 1)];
  }

  weightShapes(): WeightShape[] {
    return [];
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

/**
 * The per-sample output shape of every layer of a stack, checking each against the one before
 * (and a later layer's own inputShape, if it declares one). Throws `nnplay: <where>: ...`.
 */
export function stackShapes(inputShape: readonly number[], layers: readonly Layer[], where: string): number[][] {
  const shapes: number[][] = [];
  let input: readonly number[] = inputShape;
  layers.forEach((layer, i) => {
    if (i > 0 && layer.inputShape !== undefined && shapeText(layer.inputShape) !== shapeText(input)) {
      const what = input.length === 1 && layer.inputShape.length === 1 ? `has ${input[0]} units` : `outputs ${shapeText(input)}`;
      fail(
        where,
        `layer ${i} declares inputShape ${shapeText(layer.inputShape)} but the layer before it ${what}; inputShape is only needed on the first layer`,
      );
    }
    input = layer.outputShape(input, where, i);
    shapes.push([...input]);
  });
  return shapes;
}

/** The engine's weight names and shapes of a stack, in Keras order ('<type>_<i>/kernel', ...). */
export function stackWeights(inputShape: readonly number[], layers: readonly Layer[]): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [];
  let input: readonly number[] = inputShape;
  layers.forEach((layer, i) => {
    for (const w of layer.weightShapes(input)) out.push({ name: `${layer.spec.type}_${i + 1}/${w.suffix}`, shape: w.shape });
    input = layer.outputShape(input, 'internal', i);
  });
  return out;
}

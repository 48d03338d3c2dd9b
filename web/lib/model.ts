// Sequential: the model users build, compile, fit and predict with (TF.js Layers shaped).
//
// Ownership: a Sequential owns exactly one TrainingSession (training-session.ts: the engine
// model, its trainer and datasets by id), created when first needed (compile, fit, predict,
// getWeights, setWeights, summary) and freed by dispose(). fit() loads its data into the
// session once per call (validated there once, not per epoch or batch); predict/evaluate load
// theirs for the duration of the call.
// On a page's main thread fit() trains a replica in the library's worker (see
// fit-worker-protocol.ts) and copies the weights back after every epoch.
import {
  type DatasetSource,
  type EpochOptions,
  type EpochResult,
  type Logs,
  runEpoch,
  SessionError,
  TrainingSession,
} from './training-session';
import { currentFitWorkerClient, type FitWorkerClient, fitUsesWorker, fitWorkerClient } from './fit-worker-client';
import type { DataMessage } from './fit-worker-protocol';
import { describe, quote } from './describe';
import { Layer, stackShapes } from './layers';
import { integerIn, limits } from './limits';
import { modelToJSON, saveModel, type SaveResult } from './io';
import type { ModelJSON } from './model-json';
import { counters, engine } from './memory';
import { Optimizer, type OptimizerConfig, optimizerFromName } from './optimizers';
import { Tensor } from './tensor';

export const losses = [
  'meanSquaredError',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
] as const;
export type LossName = (typeof losses)[number];

// The spellings TF.js Layers accepts for the same losses.
const lossAliases: Record<string, LossName> = {
  meanSquaredError: 'meanSquaredError',
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  binaryCrossentropy: 'binaryCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  categoricalCrossentropy: 'categoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

export const metricNames = ['accuracy', 'acc', 'mse', 'meanSquaredError'] as const;
export type MetricName = (typeof metricNames)[number];

export interface CompileArgs {
  /** 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad' (TF.js default rates) or nn.train.*(). */
  optimizer: string | Optimizer;
  loss: LossName | string;
  /** 'accuracy' (logged as 'acc') and/or 'mse'. */
  metrics?: MetricName | MetricName[] | string | string[];
}

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
  validationData?: [Tensor, Tensor];
  /** Fraction (0..1) of the samples, taken from the end before shuffling, used for validation. */
  validationSplit?: number;
  /** 0 (default) silent; 1 logs one line per epoch with console.log. */
  verbose?: 0 | 1;
  /** Epoch to start counting from (TF.js semantics: trains epochs - initialEpoch epochs). */
  initialEpoch?: number;
  callbacks?: Callbacks | Callbacks[];
}
const fitKeys = ['epochs', 'batchSize', 'shuffle', 'validationData', 'validationSplit', 'verbose', 'initialEpoch', 'callbacks'];

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

/** Rethrows an engine failure with the library's words: `onData` names a bad value of x/y. */
function rethrow(err: unknown, onData: (field: 'x' | 'y', index: number) => never): never {
  if (err instanceof SessionError && err.kind === 'invalid' && (err.field === 'x' || err.field === 'y') && err.index !== undefined) {
    onData(err.field, err.index);
  }
  throw err;
}

/** Gives the event loop a turn (callbacks, UI, timers) without the 4 ms clamp of setTimeout. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

interface CompiledInfo {
  json: string;
  loss: LossName;
  metrics: string[];
  optimizer: OptimizerConfig;
}

/** x and y of one data set, checked against the model (shapes), as the engine wants them. */
interface Prepared extends DatasetSource {
  y: Float32Array;
  /** Argument names for messages, e.g. ['xs', 'ys']. */
  names: string[];
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

export class Sequential {
  readonly name: string;
  readonly seed: number;
  /** Set to true from a callback to stop fit() after the current epoch (as in TF.js). */
  stopTraining = false;

  readonly #id = nextModelId++;
  #layers: Layer[] = [];
  // Per-sample output shape of each layer, checked when the layer was added.
  #shapes: number[][] = [];
  #wasm: TrainingSession | null = null;
  #compiled: CompiledInfo | null = null;
  #disposed = false;
  #fitting = false;
  // What the worker replica lacks; reset when a worker client (re)starts.
  #workerClient: FitWorkerClient | null = null;
  #workerNeedsCompile = true;
  #workerNeedsWeights = true;

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
    // No seed: a random one (as TF.js is random by default); pass a seed to reproduce runs.
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.name = args.name ?? 'sequential';
    for (const layer of args.layers ?? []) this.add(layer);
    counters.models++;
  }

  // ---------------------------------------------------------------- building

  /** 'Sequential', also in the minified bundle (error messages name it). */
  get [Symbol.toStringTag](): string {
    return 'Sequential';
  }

  get layers(): readonly Layer[] {
    return this.#layers;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Appends a layer. The first layer must give inputShape; add all layers before compile(). */
  add(layer: Layer): void {
    const where = 'add()';
    this.#alive(where);
    if (!(layer instanceof Layer)) {
      fail(where, `expected a layer made by nn.layers.dense({...}), nn.layers.conv2d({...}), nn.layers.maxPooling2d({...}) or nn.layers.flatten(), got ${describe(layer)}`);
    }
    if (this.#wasm) {
      fail(where, 'the model is already built (by compile, fit, predict, getWeights or summary); add every layer before that');
    }
    const i = this.#layers.length;
    if (i === 0 && layer.inputShape === undefined) {
      fail(
        where,
        layer.spec.type === 'dense'
          ? 'the first layer needs an inputShape, e.g. nn.layers.dense({inputShape: [2], units: 8})'
          : `the first layer needs an inputShape, e.g. nn.layers.${layer.spec.type}({inputShape: [28, 28, 1], ...})`,
      );
    }
    // Checks the layer against the ones before it (throws before anything changes).
    const stack = [...this.#layers, layer];
    this.#shapes = stackShapes(stack[0].inputShape!, stack, where);
    this.#layers = stack;
  }

  /** The shape of one input sample (the first layer's inputShape), e.g. [2] or [28, 28, 1]. */
  get inputShape(): number[] {
    if (this.#layers.length === 0) fail('model', 'it has no layers yet');
    return [...this.#layers[0].inputShape!];
  }

  /** The shape of one output sample (the last layer's output), e.g. [10]. */
  get outputShape(): number[] {
    if (this.#layers.length === 0) fail('model', 'it has no layers yet');
    return [...this.#shapes[this.#shapes.length - 1]];
  }

  /** Inputs per sample: the product of inputShape. */
  get inputSize(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }

  /** Outputs per sample: the product of outputShape (the last dense layer's units). */
  get outputSize(): number {
    return this.outputShape.reduce((a, b) => a * b, 1);
  }

  #alive(where: string): void {
    if (this.#disposed) fail(where, 'this model was disposed and can no longer be used');
  }

  #specJson(): string {
    return JSON.stringify({
      inputShape: this.inputShape,
      seed: this.seed,
      layers: this.#layers.map((l) => l.spec),
    });
  }

  #model(where: string): TrainingSession {
    this.#alive(where);
    if (!this.#wasm) {
      if (this.#layers.length === 0) fail(where, 'the model has no layers: pass {layers: [...]} or call add() first');
      this.#wasm = new TrainingSession(engine(), this.#specJson());
    }
    return this.#wasm;
  }

  /** Loads prepared data into the session (validated there, once); bad values named here. */
  #load(p: Prepared, where: string): number {
    try {
      return this.#model(where).loadDataset(p, where);
    } catch (err) {
      rethrow(err, (field, index) => {
        if (field === 'x') this.#failNonFinite(where, p.names[0], p.x, index);
        fail(where, `${p.names[1]} contains ${p.y[index]} at index ${index} (sample ${Math.floor(index / p.ySize)}); targets must be finite numbers`);
      });
    }
  }

  /**
   * The engine session behind this model (built on first use): node payloads of any layer
   * (`predict(id, ['dense_1'])`), weights as one view, datasets by id. Shared, not a copy:
   * disposing the model disposes it.
   */
  trainingSession(): TrainingSession {
    return this.#model('trainingSession()');
  }

  // ---------------------------------------------------------------- compile

  compile(args: CompileArgs): void {
    const where = 'compile()';
    this.#alive(where);
    if (args === null || typeof args !== 'object') fail(where, `expected {optimizer, loss, metrics}, e.g. {optimizer: 'adam', loss: 'meanSquaredError'}, got ${describe(args)}`);
    for (const k of Object.keys(args)) {
      if (!['optimizer', 'loss', 'metrics'].includes(k)) fail(where, `unknown option ${quote(k)}; allowed: optimizer, loss, metrics`);
    }
    let optimizer: Optimizer;
    if (typeof args.optimizer === 'string') optimizer = optimizerFromName(args.optimizer);
    else if (args.optimizer instanceof Optimizer) optimizer = args.optimizer;
    else fail(where, `optimizer must be a name ('sgd', 'momentum', 'adam', 'rmsprop', 'adagrad') or an nn.train.*() object, got ${describe(args.optimizer)}`);
    const loss = typeof args.loss === 'string' ? lossAliases[args.loss] : undefined;
    if (!loss) {
      fail(where, `unknown loss ${quote(args.loss)}; allowed: ${losses.map((l) => `'${l}'`).join(', ')}`);
    }
    const metrics = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
    for (const m of metrics) {
      if (typeof m !== 'string' || !(metricNames as readonly string[]).includes(m)) {
        fail(where, `unknown metric ${quote(m)}; allowed: 'accuracy' (or 'acc'), 'mse' (or 'meanSquaredError')`);
      }
    }
    const json = JSON.stringify({ optimizer: optimizer.config, loss, metrics });
    const model = this.#model(where);
    model.compile(json, where);
    this.#compiled = { json, loss, metrics: [...metrics], optimizer: { ...optimizer.config } };
    this.#workerNeedsCompile = true;
  }

  /** The loss and optimizer given to compile(), or null before compile(). */
  get compiledWith(): { loss: LossName; metrics: string[]; optimizer: OptimizerConfig } | null {
    if (!this.#compiled) return null;
    const { loss, metrics, optimizer } = this.#compiled;
    return { loss, metrics: [...metrics], optimizer: { ...optimizer } };
  }

  // ---------------------------------------------------------------- data checks

  #checkTensor(t: unknown, where: string, what: string): Tensor {
    if (!(t instanceof Tensor)) fail(where, `${what} must be a Tensor (nn.tensor(...) or nn.tensor2d(...)), got ${describe(t)}`);
    if (t.isDisposed) fail(where, `${what} was disposed and can no longer be used`);
    return t;
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

  #failNonFinite(where: string, what: string, x: Float32Array, bad: number): never {
    const shape = this.inputShape;
    const inputSize = this.inputSize;
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
    const out = model.predictOutput(id, data.n, where);
    const badOut = firstNonFiniteIndex(out);
    if (badOut >= 0) this.#failNonFiniteOutput(where, 'xs', data.x, out, badOut);
    const loss = this.#compiled!.loss;
    if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') {
      // These losses divide each output row by its sum (as TF.js does): a zero sum is 0/0.
      const units = this.outputSize;
      for (let i = 0; i < data.n; i++) {
        let sum = 0;
        for (let j = 0; j < units; j++) sum += out[i * units + j];
        if (sum === 0) {
          fail(
            where,
            `the ${figure} is not finite: the outputs of sample ${i} sum to 0, and ${loss} divides each output by the sum of its row; ` +
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
    const { x, n } = this.#prepareX(xs, where, names[0]);
    const t = this.#checkTensor(ys, where, names[1]);
    const sparse = compiled.loss === 'sparseCategoricalCrossentropy';
    const units = this.outputSize;
    const ySize = sparse ? 1 : units;
    const outShape = this.outputShape;
    const okShape =
      t.shape[0] === n &&
      ((t.rank === 2 && t.shape[1] === ySize) ||
        (t.rank === 1 && ySize === 1) ||
        (!sparse && t.rank === outShape.length + 1 && outShape.every((d, i) => t.shape[i + 1] === d)));
    if (!okShape) {
      const expected = sparse ? `[${n}, 1] or [${n}] (class indices)` : ySize === 1 ? `[${n}, 1] or [${n}]` : `[${n}, ${ySize}]`;
      const why = t.shape[0] !== n ? ` (${names[0]} has ${n} samples, ${names[1]} has ${t.shape[0] ?? 0})` : ` (the last layer has ${units} units)`;
      fail(where, `${names[1]} must have shape ${expected}, got [${t.shape.join(',')}]${why}`);
    }
    const y = t.values();
    if (sparse) {
      for (let i = 0; i < n; i++) {
        // NaN fails here too, with this message: the finite check at load comes later.
        if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= units) {
          fail(where, `${names[1]}[${i}] is ${y[i]}; sparseCategoricalCrossentropy needs class indices 0..${units - 1}`);
        }
      }
    }
    if (n === 0) fail(where, `${names[0]} has no samples; at least one is needed`);
    return { x, y, n, xSize: this.inputSize, ySize, names };
  }

  // ---------------------------------------------------------------- fit

  /** Trains; resolves with the per-epoch figures. Rejects (with the engine's message) on divergence. */
  async fit(xs: Tensor, ys: Tensor, args: FitArgs = {}): Promise<History> {
    const where = 'fit()';
    this.#alive(where);
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
    const callbacks = this.#checkCallbacks(args.callbacks, where);

    let train = this.#prepareXY(xs, ys, where);
    let val: Prepared | null = null;
    if (args.validationData !== undefined) {
      if (args.validationSplit !== undefined) fail(where, 'give validationData or validationSplit, not both');
      const vd = args.validationData;
      if (!Array.isArray(vd) || vd.length !== 2) fail(where, `validationData must be [xsVal, ysVal] (two tensors), got ${describe(vd)}`);
      val = this.#prepareXY(vd[0], vd[1], where, ['validationData[0]', 'validationData[1]']);
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
      val = {
        ...train,
        x: train.x.subarray(at * train.xSize),
        y: train.y.subarray(at * train.ySize),
        n: train.n - at,
      };
      train = { ...train, x: train.x.subarray(0, at * train.xSize), y: train.y.subarray(0, at * train.ySize), n: at };
    }
    const model = this.#model(where);

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
      session = fitUsesWorker() ? await this.#workerSession(train, val) : this.#inProcessSession(model, train, val);
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
        await yieldToEventLoop();
        this.#alive(where);
      }
      history.params.metrics = Object.keys(history.history);
      for (const c of callbacks) await c.onTrainEnd?.();
    } finally {
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
      for (const [k, v] of Object.entries(c)) {
        if (!callbackNames.includes(k)) fail(where, `unknown callback ${quote(k)}; allowed: ${callbackNames.join(', ')}`);
        if (typeof v !== 'function') fail(where, `callback ${k} must be a function, got ${describe(v)}`);
      }
    }
    return list as Callbacks[];
  }

  #inProcessSession(model: TrainingSession, train: Prepared, val: Prepared | null): FitSession {
    // Loaded once for the whole fit() call; every epoch refers to the ids.
    const trainId = this.#load(train, 'fit()');
    let valId: number | null = null;
    try {
      if (val) valId = this.#load(val, 'fit()');
    } catch (err) {
      model.freeDataset(trainId);
      throw err;
    }
    return {
      epoch: async (options) => runEpoch(model, trainId, train.n, valId, options),
      close: async () => {
        model.freeDataset(trainId);
        model.freeDataset(valId);
      },
    };
  }

  async #workerSession(train: Prepared, val: Prepared | null): Promise<FitSession> {
    const client = fitWorkerClient();
    const model = this.#model('fit()');
    const fresh = this.#workerClient !== client || !client.models.has(this.#id);
    const transfer: Transferable[] = [];
    const message = (p: Prepared): DataMessage => {
      const d: DataMessage = { x: p.x.slice(), y: p.y.slice(), n: p.n, xSize: p.xSize, ySize: p.ySize };
      transfer.push(d.x.buffer, d.y.buffer);
      return d;
    };
    const weights = fresh || this.#workerNeedsWeights ? model.weights().values : undefined;
    if (weights) transfer.push(weights.buffer);
    const begin = {
      type: 'begin' as const,
      req: client.nextReq(),
      modelId: this.#id,
      specJson: fresh ? this.#specJson() : undefined,
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
      rethrow(err, (field, index) => {
        const p = err instanceof SessionError && err.part === 'val' && val ? val : train;
        if (field === 'x') this.#failNonFinite('fit()', p.names[0], p.x, index);
        fail('fit()', `${p.names[1]} contains ${p.y[index]} at index ${index} (sample ${Math.floor(index / p.ySize)}); targets must be finite numbers`);
      });
    }
    this.#workerNeedsCompile = false;
    this.#workerNeedsWeights = false;
    return {
      epoch: async (options) => {
        try {
          const reply = await client.request({ type: 'epoch', req: client.nextReq(), modelId: this.#id, options });
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

  // ---------------------------------------------------------------- predict / evaluate

  /** Outputs [samples, ...outputShape] (e.g. [samples, 10]) for xs [samples, ...inputShape]. */
  predict(xs: Tensor): Tensor {
    const where = 'predict()';
    const model = this.#model(where);
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

  /**
   * Loss (and metrics) over xs/ys without training. Like TF.js: a scalar Tensor when the
   * model was compiled without metrics, else an array of scalar Tensors [loss, ...metrics]
   * in compile order. The caller owns (and disposes) the returned tensors.
   */
  evaluate(xs: Tensor, ys: Tensor, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const where = 'evaluate()';
    const model = this.#model(where);
    if (args === null || typeof args !== 'object') fail(where, `the third argument must be an options object like {batchSize: 32}, got ${describe(args)}`);
    for (const k of Object.keys(args)) if (k !== 'batchSize') fail(where, `unknown option ${quote(k)}; allowed: batchSize`);
    const batchSize = integerIn(where, 'batchSize', args.batchSize ?? 32, 1, limits.batchSize);
    const data = this.#prepareXY(xs, ys, where);
    const id = this.#load(data, where);
    try {
      const logs = model.evaluate(id, batchSize, where);
      const bad = Object.entries(logs).find(([, v]) => !Number.isFinite(v));
      if (bad) this.#failNonFiniteLoss(where, model, id, data, bad[0]);
      const values = Object.values(logs).map((v) => new Tensor(Float32Array.of(v), []));
      return values.length === 1 ? values[0] : values;
    } finally {
      model.freeDataset(id);
    }
  }

  // ---------------------------------------------------------------- weights

  /**
   * Copies of the weights in Keras order: per dense layer kernel [inputs, units] and bias
   * [units]; per conv2d layer kernel [kernelH, kernelW, inChannels, filters] and bias [filters].
   */
  getWeights(): Tensor[] {
    const model = this.#model('getWeights()');
    const { table, values } = model.weights();
    return table.map((w) => new Tensor(values.slice(w.offset, w.offset + w.size), w.shape));
  }

  /** Replaces all weights; same order and shapes as getWeights(). Keeps the optimizer state. */
  setWeights(weights: Tensor[]): void {
    const where = 'setWeights()';
    const model = this.#model(where);
    if (this.#fitting) fail(where, 'cannot change weights while fit() is running');
    const current = model.weightsTable;
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
    model.setWeights(values, where);
    this.#workerNeedsWeights = true;
  }

  // ---------------------------------------------------------------- save (io.ts)

  /** The model as plain, versioned JSON data: layers, seed, compile settings, weights (base64). */
  toJSON(): ModelJSON {
    return modelToJSON(this);
  }

  /** Saves to 'localstorage://name' or 'downloads://name' (TF.js style); see nn.loadLayersModel. */
  save(url: string): Promise<SaveResult> {
    return saveModel(this, url);
  }

  // ---------------------------------------------------------------- summary / dispose

  /** A Keras-style table of layers, output shapes and parameter counts (also printed with printFn). */
  summary(printFn?: (line: string) => void): string {
    const model = this.#model('summary()');
    const weights = model.weightsTable;
    const rows: string[][] = [['Layer (type)', 'Output shape', 'Param #', 'Activation']];
    this.#layers.forEach((layer, i) => {
      // Shapes and counts as the engine built them: the table cannot disagree with getWeights().
      const prefix = `${layer.spec.type}_${i + 1}/`;
      const count = weights.filter((w) => w.name.startsWith(prefix)).reduce((sum, w) => sum + w.size, 0);
      const shape = model.nodes[i].shape;
      const activation = 'activation' in layer.spec ? layer.spec.activation : '';
      rows.push([`${layer.name ?? `${layer.spec.type}_${i + 1}`} (${layer.getClassName()})`, `[null,${shape.join(',')}]`, String(count), activation]);
    });
    // The engine's own count, so the table cannot disagree with what getWeights() returns.
    const total = weights.reduce((sum, w) => sum + w.size, 0);
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)) + 3);
    const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join('').trimEnd();
    const width = widths.reduce((a, b) => a + b, 0);
    const out = [
      `Model: ${this.name} (seed ${this.seed})`,
      '_'.repeat(width),
      line(rows[0]),
      '='.repeat(width),
      ...rows.slice(1).map(line),
      '='.repeat(width),
      `Total params: ${total}`,
      `Trainable params: ${total}`,
      'Non-trainable params: 0',
      '_'.repeat(width),
    ];
    if (printFn) for (const l of out) printFn(l);
    return out.join('\n');
  }

  /** Frees the engine model (and its worker replica). Idempotent; any later use throws. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#wasm?.dispose();
    this.#wasm = null;
    const client = currentFitWorkerClient();
    if (client && client === this.#workerClient) client.forget(this.#id);
    counters.models--;
  }
}

/** nn.sequential({layers, seed}). */
export function sequential(args?: SequentialArgs): Sequential {
  return new Sequential(args);
}

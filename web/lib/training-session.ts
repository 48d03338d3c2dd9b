// TrainingSession: the one object every training path drives. In-process fit() (Node, workers),
// the library's fit worker (web/lib/fit-worker-host.ts) and the playground worker
// (web/worker/playground-worker.ts) all train, evaluate, predict and read weights through it,
// so they cannot drift apart: the same calls in the same order give the same numbers.
//
// What it owns: one engine session (bindings' Session: a model, its trainer and datasets by
// id). Data is copied into wasm memory once per load and validated there once (every value
// finite); later calls refer to it by id and check shapes only. Divergence is handled in the
// engine: a train call whose loss turns NaN leaves the weights of its start and throws a
// SessionError of kind 'diverged', so no NaN weight survives in any path.
//
// Errors are structured: every failure is a SessionError with `kind` ('invalid', 'diverged',
// 'oom') taken from the engine's JSON, never guessed from a message.
//
// Memory: views of HEAPF32 are re-derived after every engine call (memory growth replaces
// the buffer); node payloads and weights are copies the caller owns.
import type { NnplayModule, WasmSession } from './engine-module';
import { engine, engineWithExtraPart, own, release } from './memory';

export type Logs = Record<string, number>;
export type SessionErrorKind = 'invalid' | 'diverged' | 'oom';

/** A failure reported by the engine session. `field`/`tensor`/`index`: the first non-finite
 *  value (which x or y tensor, in model input / output order, and the flat index in it). */
export class SessionError extends Error {
  readonly kind: SessionErrorKind;
  readonly field?: 'x' | 'y' | 'weights';
  readonly index?: number;
  tensor?: number;
  /** Set by the fit worker: which of fit()'s datasets was bad ('train' or 'val'), and after
   *  'diverged' the weights the replica restored (so the page's copy can match them). */
  part?: 'train' | 'val';
  weights?: Float32Array;
  /** The engine's own words, without the "nnplay: <call>: " prefix (for pages that show it). */
  reason: string;
  constructor(kind: SessionErrorKind, message: string, field?: 'x' | 'y' | 'weights', index?: number) {
    super(message);
    this.name = 'SessionError';
    this.kind = kind;
    this.reason = message;
    if (field !== undefined) this.field = field;
    if (index !== undefined) this.index = index;
  }
}

interface EngineFailure {
  kind: SessionErrorKind;
  message: string;
  field?: 'x' | 'y' | 'weights';
  tensor?: number;
  index?: number;
}

/** Throws the engine's structured failure ('' = success) as a SessionError. */
function check(result: string, context: string): void {
  if (result === '') return;
  const f = JSON.parse(result) as EngineFailure;
  const err = new SessionError(f.kind, `nnplay: ${context}: ${f.message}`, f.field, f.index);
  err.reason = f.message;
  if (f.tensor !== undefined) err.tensor = f.tensor;
  throw err;
}

/** Per-sample description of one node (layer) of the model. */
export interface NodeInfo {
  name: string;
  type: string;
  /** Per-sample output shape, e.g. [8] or [26, 26, 8]. */
  shape: number[];
  /** States the layer exposes as payloads ("<name>:<state>"), e.g. an LSTM's h, c and gates
   *  per step [steps, units]; empty for most layers. */
  states: StateInfo[];
}

/** A layer's internal state per sample, readable with predict(id, ["lstm_1:c"]). */
export interface StateInfo {
  name: string;
  shape: number[];
}

/** One node's values over a dataset: what views (neurons, heatmaps, feature maps) draw. */
export interface NodePayload {
  name: string;
  type: string;
  /** [samples, ...per-sample shape]. */
  shape: number[];
  values: Float32Array;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Every weight in one flat buffer (Keras order) and the table that cuts it. */
export interface WeightsView {
  table: WeightEntry[];
  values: Float32Array;
}

/** Data for loadDataset, one input and one output: x [n, xSize] and optional y [n, ySize]
 *  (null: inputs only). */
export interface DatasetSource {
  x: Float32Array;
  y: Float32Array | null;
  n: number;
  xSize: number;
  ySize: number;
}

/** Data for loadDataset, any number of inputs and outputs: xs[i] [n, xSizes[i]] per model
 *  input and ys[o] [n, ySizes[o]] per model output, in model order (ys null: inputs only). */
export interface MultiDatasetSource {
  xs: readonly Float32Array[];
  ys: readonly Float32Array[] | null;
  n: number;
  xSizes: readonly number[];
  ySizes: readonly number[];
  /** Per-sample loss weights [n] per output (null: 1 each), for training (fit's classWeight). */
  sampleWeights?: readonly (Float32Array | null)[] | null;
}

/** Images for loadImages: uint8 pixels [n, height, width, channels] and uint8 labels [n]. */
export interface ImageSource {
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  height: number;
  width: number;
  /** 1 when absent. */
  channels?: number;
  /** Labels must be below it (256 when absent). */
  numClasses?: number;
}

// Counts every change of any session's weights (training, setWeights, a training-mode apply):
// model weights read as variables (ops/model-weights.ts) re-read the engine when it moved.
let weightsGeneration = 0;
function weightsMoved(): void {
  weightsGeneration++;
}
/** @internal The count of weight changes so far, in every session. */
export function weightsChanges(): number {
  return weightsGeneration;
}

function asMulti(d: DatasetSource | MultiDatasetSource): MultiDatasetSource {
  if ('xs' in d) return d;
  return { xs: [d.x], ys: d.y ? [d.y] : null, n: d.n, xSizes: [d.xSize], ySizes: d.y ? [d.ySize] : [] };
}

/**
 * The engine session's training half: build, compile, datasets, training, evaluation and the
 * weights as a whole. Internal: the package exports TrainingSession, which is this plus the
 * views (predict, gradients, apply, image sets, single weights). The fit worker
 * (fit-worker-host.ts) needs only this half, so its bundle leaves the views out (a fifth of it).
 */
export class SessionCore {
  readonly #mod: NnplayModule;
  #wasm: WasmSession | null;
  readonly nodes: readonly NodeInfo[];
  readonly inputShape: readonly number[];
  readonly inputSize: number;
  readonly outputSize: number;
  /** Values per sample of every input / output, in model order. */
  readonly inputSizes: readonly number[];
  readonly outputSizes: readonly number[];
  /** The node (index into nodes) of every output. */
  readonly outputNodes: readonly number[];
  readonly weightsTable: readonly WeightEntry[];
  readonly #weightsCount: number;
  // Rows of each loaded dataset: the first dimension of its node payloads.
  readonly #datasetRows = new Map<number, number>();

  /** Builds the model of `specJson` (engine/nn/spec.h); compile before training. */
  /** With `shareFrom`: the layers both models have (by name) use shareFrom's weights (sub-models). */
  constructor(mod: NnplayModule, specJson: string, compileJson: string | null = null, shareFrom?: SessionCore) {
    this.#mod = mod;
    const wasm = own(new mod.Session());
    try {
      check(shareFrom ? wasm.buildSharing(specJson, shareFrom.#live()) : wasm.build(specJson), 'building the model');
      if (compileJson !== null) check(wasm.compile(compileJson), 'compile()');
    } catch (err) {
      release(wasm);
      throw err;
    }
    this.#wasm = wasm;
    const d = JSON.parse(wasm.describeJson()) as {
      inputShape: number[];
      outputSize: number;
      inputSizes: number[];
      outputSizes: number[];
      outputNodes: number[];
      nodes: NodeInfo[];
      weights: WeightEntry[];
      weightsCount: number;
    };
    this.nodes = d.nodes;
    this.inputShape = d.inputShape;
    this.inputSize = d.inputShape.reduce((a, b) => a * b, 1);
    this.outputSize = d.outputSize;
    this.inputSizes = d.inputSizes;
    this.outputSizes = d.outputSizes;
    this.outputNodes = d.outputNodes;
    this.weightsTable = d.weights;
    this.#weightsCount = d.weightsCount;
  }

  #stats(): { epochs: number; steps: number; datasets: number; contentScans: number } {
    return this.#wasm ? JSON.parse(this.#wasm.statsJson()) : { epochs: 0, steps: 0, datasets: 0, contentScans: 0 };
  }

  #live(): WasmSession {
    if (!this.#wasm) throw new Error('nnplay: this training session was disposed');
    return this.#wasm;
  }

  get isDisposed(): boolean {
    return this.#wasm === null;
  }

  /** New optimizer, loss and metrics (resets optimizer state). */
  compile(compileJson: string, context = 'compile()'): void {
    check(this.#live().compile(compileJson), context);
  }

  // ---------------------------------------------------------------- datasets

  /** Copies the data in once and validates it there once; returns its id. One x per model
   *  input and one y per output (or none), checked against the model by the engine. */
  loadDataset(source: DatasetSource | MultiDatasetSource, context = 'loading data'): number {
    const wasm = this.#live();
    const d = asMulti(source);
    const ys = d.ys ?? [];
    check(wasm.reserveDataset(d.n, d.xSizes.join(','), d.ys ? d.ySizes.join(',') : ''), context);
    const id = wasm.lastDatasetId();
    const weights = d.sampleWeights?.some((w) => w) ? d.sampleWeights : null;
    if (weights) wasm.datasetSampleWeightsPtr(id, 0); // allocates them (all 1): before the heap view
    const heap = this.#mod.HEAPF32; // after the reserve, which may have grown memory
    d.xs.forEach((x, i) => heap.set(x.subarray(0, d.n * d.xSizes[i]), wasm.datasetXPtr(id, i) >>> 2));
    ys.forEach((y, o) => heap.set(y.subarray(0, d.n * d.ySizes[o]), wasm.datasetYPtr(id, o) >>> 2));
    weights?.forEach((w, o) => w && heap.set(w.subarray(0, d.n), wasm.datasetSampleWeightsPtr(id, o) >>> 2));
    check(wasm.sealDataset(id), context); // frees the dataset on failure
    this.#datasetRows.set(id, d.n);
    return id;
  }

  freeDataset(id: number | null | undefined): void {
    if (!id || !this.#wasm) return;
    this.#wasm.freeDataset(id);
    this.#datasetRows.delete(id);
  }

  get numDatasets(): number {
    return this.#stats().datasets;
  }

  /** Full scans of data contents so far (loads, label-range checks); training adds none. */
  get contentScans(): number {
    return this.#stats().contentScans;
  }

  // ---------------------------------------------------------------- training

  /** `steps` mini-batches continuing where the last call stopped; mean figures over them. */
  trainSteps(id: number, steps: number, batchSize: number, shuffle: boolean, context = 'trainSteps()'): Logs {
    const wasm = this.#live();
    try {
      check(wasm.trainSteps(id, steps, batchSize, shuffle), context);
    } finally {
      weightsMoved();
    }
    return this.#logs();
  }

  /** One full epoch with a fresh shuffle. */
  trainEpoch(id: number, batchSize: number, shuffle: boolean, context = 'fit()'): Logs {
    const wasm = this.#live();
    try {
      check(wasm.trainEpoch(id, batchSize, shuffle), context);
    } finally {
      weightsMoved();
    }
    return this.#logs();
  }

  evaluate(id: number, batchSize: number, context = 'evaluate()'): Logs {
    const wasm = this.#live();
    check(wasm.evaluate(id, batchSize), context);
    return this.#logs();
  }

  #logs(): Logs {
    // JSON has no NaN/Infinity: the engine writes a non-finite figure as null.
    const raw = JSON.parse(this.#live().logsJson()) as Record<string, number | null>;
    const logs: Logs = {};
    for (const [k, v] of Object.entries(raw)) logs[k] = v === null ? NaN : v;
    return logs;
  }

  get epochsDone(): number {
    return this.#stats().epochs;
  }

  get stepsDone(): number {
    return this.#stats().steps;
  }

  /** Live: keeps the optimizer state and the epoch position. */
  setLearningRate(learningRate: number): void {
    check(this.#live().setLearningRate(learningRate), 'setLearningRate()');
  }

  /** Live, on every kernel. */
  setRegularization(l1: number, l2: number): void {
    check(this.#live().setRegularization(l1, l2), 'setRegularization()');
  }

  /** Live: a layer's config key that may change between steps without a rebuild (klDivergence's
   *  'beta'); the engine names the layer and the key when it has no such key. */
  setLayerParameter(layer: string, key: string, value: number, context = 'setLayerParameter()'): void {
    check(this.#live().setLayerParameter(layer, key, value), context);
  }

  /** How many datasets are loaded (fit() keeps the ones it loaded from tensors, see fit-data-cache.ts). */
  get datasetCount(): number {
    return this.#datasetRows.size;
  }

  /** A copy of every weight, flat in Keras order, with the table that cuts it. */
  weights(): WeightsView {
    const start = this.#live().readWeights() >>> 2;
    return { table: this.weightsTable.map((e) => ({ ...e, shape: [...e.shape] })), values: this.#mod.HEAPF32.slice(start, start + this.#weightsCount) };
  }

  /** The weights as separate arrays (one per table entry). */
  weightList(): Float32Array[] {
    const { values } = this.weights();
    return this.weightsTable.map((e) => values.slice(e.offset, e.offset + e.size));
  }

  /** Replaces every weight from one flat buffer (or per-entry arrays). Non-finite values are
   *  rejected (SessionError 'invalid', field 'weights') before anything changes. */
  setWeights(values: Float32Array | readonly Float32Array[], context = 'setWeights()'): void {
    const wasm = this.#live();
    const total = this.#weightsCount;
    const parts = values instanceof Float32Array ? [values] : values;
    const count = parts.reduce((s, p) => s + p.length, 0);
    if (count !== total) throw new SessionError('invalid', `nnplay: ${context}: ${count} weight values given, this model has ${total}`);
    if (!(values instanceof Float32Array)) {
      parts.forEach((p, i) => {
        if (p.length !== this.weightsTable[i].size) {
          throw new SessionError('invalid', `nnplay: ${context}: weight ${i} (${this.weightsTable[i].name}) needs ${this.weightsTable[i].size} values, got ${p.length}`);
        }
      });
    }
    let at = wasm.weightsBufferPtr() >>> 2;
    const heap = this.#mod.HEAPF32;
    for (const p of parts) {
      heap.set(p, at);
      at += p.length;
    }
    check(wasm.writeWeights(), context);
    weightsMoved();
  }

  /** @internal TrainingSession's views reach the engine session (throws once disposed), its module,
   *  the rows of each dataset and the weights count through these. */
  protected _live(): WasmSession {
    return this.#live();
  }
  /** @internal */
  protected _module(): NnplayModule {
    return this.#mod;
  }
  /** @internal */
  protected _datasetRows(): Map<number, number> {
    return this.#datasetRows;
  }
  /** @internal */
  protected _weightsCount(): number {
    return this.#weightsCount;
  }

  /** Frees the engine session and every dataset in it. Idempotent. */
  dispose(): void {
    release(this.#wasm);
    this.#wasm = null;
  }
}

/** The engine session with every view: what the package exports (docs/API.md, TrainingSession). */
export class TrainingSession extends SessionCore {
  /**
   * An image set straight into one dataset: pixels uint8 [n, height, width, channels] (what
   * nn.datasets gives as `images`) and labels uint8 [n] cross into wasm as bytes (a quarter of
   * the floats), and the engine makes x [n, h·w·c] = pixel / 255 and y [n, 1] = the class.
   * For a model with one input and one output (sparseCategoricalCrossentropy's targets).
   */
  loadImages(source: ImageSource, context = 'loading images'): number {
    const wasm = this._live();
    const mod = this._module();
    engineWithExtraPart(); // the image reader is in the engine's second part
    const set = own(new mod.ImageSet());
    try {
      const { images, labels, n, height, width } = source;
      const channels = source.channels ?? 1;
      const ip = set.imagesBuffer(images.length);
      const lp = set.labelsBuffer(labels.length);
      if ((ip === 0 && images.length > 0) || (lp === 0 && labels.length > 0)) {
        throw new SessionError('oom', `nnplay: ${context}: out of memory for ${images.length} pixel bytes`);
      }
      mod.HEAPU8.set(images, ip);
      mod.HEAPU8.set(labels, lp);
      const failure = set.fromPixels(n, height, width, channels, source.numClasses ?? 256);
      if (failure) throw new SessionError('invalid', `nnplay: ${context}: ${failure}`);
      check(wasm.loadImageSet(set), context);
      const id = wasm.lastDatasetId();
      this._datasetRows().set(id, n);
      return id;
    } finally {
      release(set);
    }
  }

  // ---------------------------------------------------------------- inference

  /** Values of any nodes over a dataset's inputs, as copies. A node is an index into nodes, a
   *  layer name ("dense_1"), or "<layer>:<state>" for a state the layer exposes (NodeInfo.states):
   *  "lstm_1:h", "lstm_1:c", "lstm_1:gates" [samples, steps, ·] in the layer's processing order. */
  predict(id: number, nodes: readonly (number | string)[], context = 'predict()'): NodePayload[] {
    const wasm = this._live();
    const refs = nodes.map((node) => this.#resolve(node, context));
    check(wasm.predict(id, refs.map((r) => (r.state < 0 ? `${r.node}` : `${r.node}:${r.state}`)).join(',')), context);
    const heap = this._module().HEAPF32;
    const rows = this.#rows(id);
    return refs.map((r, j) => {
      const info = this.nodes[r.node];
      const shape = r.state < 0 ? info.shape : info.states[r.state].shape;
      const size = shape.reduce((a, b) => a * b, 1);
      const start = wasm.predictionPtr(j) >>> 2;
      const values = heap.slice(start, start + rows * size);
      const name = r.state < 0 ? info.name : `${info.name}:${info.states[r.state].name}`;
      return { name, type: info.type, shape: [rows, ...shape], values };
    });
  }

  #resolve(node: number | string, context: string): { node: number; state: number } {
    const names = () => this.nodes.map((n) => n.name).join(', ');
    if (typeof node === 'number') {
      if (!Number.isInteger(node) || node < 0 || node >= this.nodes.length) {
        throw new SessionError('invalid', `nnplay: ${context}: no node ${node}; nodes: ${names()}`);
      }
      return { node, state: -1 };
    }
    const exact = this.nodes.findIndex((n) => n.name === node);
    if (exact >= 0) return { node: exact, state: -1 };
    const colon = node.lastIndexOf(':');
    const layer = colon < 0 ? -1 : this.nodes.findIndex((n) => n.name === node.slice(0, colon));
    if (layer < 0) throw new SessionError('invalid', `nnplay: ${context}: no node ${JSON.stringify(node)}; nodes: ${names()}`);
    const states = this.nodes[layer].states;
    const state = states.findIndex((st) => st.name === node.slice(colon + 1));
    if (state < 0) {
      const has = states.length ? `its states are ${states.map((st) => `${this.nodes[layer].name}:${st.name}`).join(', ')}` : 'it exposes no states';
      throw new SessionError('invalid', `nnplay: ${context}: layer ${this.nodes[layer].name} has no state ${JSON.stringify(node.slice(colon + 1))}; ${has}`);
    }
    return { node: layer, state };
  }

  #rows(id: number): number {
    return this._datasetRows().get(id) ?? 0;
  }

  /** The model's (first) output over a dataset's inputs [n, outputSize], as a copy. */
  predictOutput(id: number, n: number, context = 'predict()'): Float32Array {
    return this.predictOutputs(id, n, context)[0];
  }

  /** Every output over a dataset's inputs, in output order ([n, outputSizes[o]] each), as copies. */
  predictOutputs(id: number, n: number, context = 'predict()'): Float32Array[] {
    const wasm = this._live();
    check(wasm.predictOutput(id), context);
    const heap = this._module().HEAPF32;
    return this.outputSizes.map((size, o) => {
      const start = wasm.predictionPtr(o) >>> 2;
      return heap.slice(start, start + n * size);
    });
  }

  /** The output for rows x [n, inputSize] given directly (no dataset: one reused input buffer,
   *  the path for many small predict() calls). Non-finite input: SessionError field 'x'. */
  predictRows(x: Float32Array, n: number, context = 'predict()'): Float32Array {
    const wasm = this._live();
    const ptr = wasm.inputBufferPtr(n);
    if (ptr === 0 && n > 0) throw new SessionError('invalid', `nnplay: ${context}: ${n} rows of ${this.inputSize} inputs are more than the engine can hold (at most 2^28 floats)`);
    this._module().HEAPF32.set(x.subarray(0, n * this.inputSize), ptr >>> 2);
    check(wasm.predictInput(n), context);
    const start = wasm.predictionPtr(0) >>> 2;
    return this._module().HEAPF32.slice(start, start + n * this.outputSize);
  }

  /**
   * How much each input value moves one output: d(unit `unit` of output `output`) / d(every
   * model input) for the dataset's samples (row indices), one Float32Array per model input,
   * [samples, ...that input's shape] flat. `unit` is the flat index in one sample's output (the
   * predicted class, the forecast value; with returnSequences step·units + u). Runs forward and
   * backward in inference mode (no dropout, batch-norm moving statistics) and changes nothing
   * training reads: no weight, optimizer slot or epoch position moves, the next training step
   * gives the same bits as without the call. An input that feeds an embedding (ids) has no
   * gradient: SessionError 'invalid'. Compile is not needed.
   */
  inputGradients(id: number, samples: number | readonly number[], unit = 0, output = 0, context = 'inputGradients()'): Float32Array[] {
    const wasm = this._live();
    const list = typeof samples === 'number' ? [samples] : samples;
    for (const s of list) {
      if (!Number.isInteger(s) || s < 0) throw new SessionError('invalid', `nnplay: ${context}: samples must be row indices (integers >= 0), got ${s}`);
    }
    for (const [what, v] of [['unit', unit], ['output', output]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new SessionError('invalid', `nnplay: ${context}: ${what} must be an integer >= 0, got ${v}`);
    }
    check(wasm.inputGradients(id, list.join(','), output, unit), context);
    const heap = this._module().HEAPF32;
    return this.inputSizes.map((size, i) => {
      const start = wasm.inputGradientPtr(i) >>> 2;
      return heap.slice(start, start + list.length * size);
    });
  }

  // ---------------------------------------------------------------- weights

  /**
   * Inference on every input and output of a graph: inputs[i] holds n rows of input i (sizes
   * per the model; the caller checked them and their values). Returns copies of the outputs.
   */
  predictGraph(inputs: readonly Float32Array[], n: number, outputSizes: readonly number[], context = 'predict()'): Float32Array[] {
    const wasm = this._live();
    inputs.forEach((x, i) => {
      const ptr = wasm.graphInputPtr(i, n);
      if (ptr === 0) throw new Error(`nnplay: ${context}: input ${i} does not fit the engine's input buffer`);
      this._module().HEAPF32.set(x, ptr >>> 2);
    });
    check(wasm.predictGraph(n), context);
    return outputSizes.map((size, j) => {
      const start = wasm.graphOutputPtr(j) >>> 2;
      return this._module().HEAPF32.slice(start, start + n * size);
    });
  }

  // ---------------------------------------------------------------- gradients through the model

  #writeRows(inputs: readonly Float32Array[], n: number, context: string): void {
    const wasm = this._live();
    inputs.forEach((x, i) => {
      const ptr = wasm.graphInputPtr(i, n);
      if (ptr === 0) throw new Error(`nnplay: ${context}: input ${i} does not fit the engine's input buffer`);
      this._module().HEAPF32.set(x, ptr >>> 2);
    });
  }

  /**
   * The forward of model.apply() (ops/model-apply.ts): n rows per input (checked by the caller),
   * training or inference; `pass` numbers its randomness so vectorJacobian() retraces the same
   * dropout masks. Training moves batch-norm moving statistics (as TF.js's apply does). Copies.
   */
  applyGraph(inputs: readonly Float32Array[], n: number, training: boolean, pass: number, context = 'apply()'): Float32Array[] {
    const wasm = this._live();
    this.#writeRows(inputs, n, context);
    check(wasm.applyGraph(n, training, pass), context);
    if (training) weightsMoved();
    return this.outputSizes.map((size, j) => {
      const start = wasm.appliedOutputPtr(j) >>> 2;
      return this._module().HEAPF32.slice(start, start + n * size);
    });
  }

  /**
   * The vector-Jacobian product of that forward: the gradients w.r.t. every input (null for an
   * input read as ids) and every weight (flat in table order, zero where not trainable) of
   * Σ_o <dys[o], output o> (a null dy: no gradient at that output). Changes no weight.
   */
  vectorJacobian(inputs: readonly Float32Array[], n: number, training: boolean, pass: number, dys: readonly (Float32Array | null)[], context = 'gradient of apply()'): { inputs: (Float32Array | null)[]; weights: Float32Array } {
    const wasm = this._live();
    this.#writeRows(inputs, n, context);
    const listed: number[] = [];
    dys.forEach((dy, j) => {
      if (!dy) return;
      const ptr = wasm.outputGradientPtr(j, n);
      if (ptr === 0) throw new Error(`nnplay: ${context}: the gradient of output ${j} does not fit the engine's buffer`);
      this._module().HEAPF32.set(dy, ptr >>> 2);
      listed.push(j);
    });
    check(wasm.vectorJacobian(n, training, pass, listed.join(',')), context);
    const heap = this._module().HEAPF32;
    const start = wasm.vjpWeightGradientsPtr() >>> 2;
    return {
      inputs: this.inputSizes.map((size, i) => {
        const ptr = wasm.vjpInputGradientPtr(i) >>> 2;
        return ptr === 0 ? null : heap.slice(ptr, ptr + n * size);
      }),
      weights: heap.slice(start, start + this._weightsCount()),
    };
  }

  /** A copy of entry `index` of the weights table alone (no other weight is packed). */
  weightValues(index: number): Float32Array {
    const e = this.weightsTable[index];
    if (!e) throw new Error(`nnplay: weights: no entry ${index}; the model has ${this.weightsTable.length}`);
    const start = this._live().weightValuesPtr(index) >>> 2;
    return this._module().HEAPF32.slice(start, start + e.size);
  }

  /** Replaces entry `index` alone (a model weight assigned as a variable); non-finite values are
   *  rejected (SessionError 'invalid', field 'weights') before anything changes. */
  setWeight(index: number, values: Float32Array, context = 'assign()'): void {
    const wasm = this._live();
    const e = this.weightsTable[index];
    if (!e || values.length !== e.size) throw new SessionError('invalid', `nnplay: ${context}: weight ${index}${e ? ` (${e.name}) needs ${e.size} values, got ${values.length}` : ' does not exist'}`);
    this._module().HEAPF32.set(values, (wasm.weightsBufferPtr() >>> 2) + e.offset);
    check(wasm.writeWeight(index), context);
    weightsMoved();
  }
}

/**
 * Per step, the summed magnitude Σ_f |g[s, f]| of one sample's gradient [steps, features] (an
 * inputGradients() row of a sequence model): how strongly each input step moves the output.
 */
export function stepMagnitudes(gradient: Float32Array, steps: number, features: number): Float32Array {
  if (gradient.length < steps * features) throw new Error(`nnplay: stepMagnitudes: ${gradient.length} values are fewer than ${steps} steps × ${features} features`);
  const out = new Float32Array(steps);
  for (let s = 0; s < steps; s++) {
    let sum = 0;
    for (let f = 0; f < features; f++) sum += Math.abs(gradient[s * features + f]);
    out[s] = sum;
  }
  return out;
}

/** A session on this realm's engine (after nn.ready()): `specJson` as engine/nn/spec.h reads it. */
export function trainingSession(specJson: string, compileJson: string | null = null): TrainingSession {
  return new TrainingSession(engine(), specJson, compileJson);
}

export interface EpochOptions {
  batchSize: number;
  shuffle: boolean;
  /** Train batch by batch (for onBatchEnd) and report each batch's figures. */
  perBatch: boolean;
  /** Live layer parameters (klDivergence's beta) set since the last epoch, applied before it. */
  layerParameters?: LayerParameter[];
}

/** One live layer parameter change: model.setLayerParameter(layer, key, value). */
export interface LayerParameter {
  layer: string;
  key: string;
  value: number;
}

export interface EpochResult {
  /** Train figures, then val_ figures when validation data is given. */
  logs: Logs;
  /** Per-batch figures ({batch, size, loss, ...}) when perBatch. */
  batches?: Logs[];
}

/**
 * One epoch of fit(): training on dataset `train` (n samples), then validation on `val`. The
 * same function runs in-process and in the fit worker. Throws SessionError ('diverged' with the
 * weights of the epoch's or batch's start left in place).
 */
export function runEpoch(session: SessionCore, train: number, n: number, val: number | null, opts: EpochOptions): EpochResult {
  const result: EpochResult = { logs: {} };
  for (const p of opts.layerParameters ?? []) session.setLayerParameter(p.layer, p.key, p.value, 'fit()');
  if (!opts.perBatch) {
    result.logs = session.trainEpoch(train, opts.batchSize, opts.shuffle, 'fit()');
  } else {
    // trainSteps continues the engine's epoch where it stopped, so numBatches single steps
    // are exactly one epoch (same shuffle, same updates) with figures per batch.
    const numBatches = Math.ceil(n / opts.batchSize);
    const batches: Logs[] = [];
    const sums: Logs = {};
    for (let b = 0; b < numBatches; b++) {
      const logs = session.trainSteps(train, 1, opts.batchSize, opts.shuffle, 'fit()');
      const size = Math.min(opts.batchSize, n - b * opts.batchSize);
      batches.push({ batch: b, size, ...logs });
      for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v * size;
    }
    for (const [k, v] of Object.entries(sums)) result.logs[k] = v / n;
    result.batches = batches;
  }
  if (val !== null) {
    for (const [k, v] of Object.entries(session.evaluate(val, opts.batchSize, 'fit() validation'))) result.logs[`val_${k}`] = v;
  }
  return result;
}

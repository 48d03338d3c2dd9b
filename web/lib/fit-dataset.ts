// model.fitDataset() and model.evaluateDataset() (TF.js 4.22's training_dataset.ts semantics):
// each element of the dataset is one batch, {xs, ys} (or [xs, ys]), and trains one optimizer
// step through the model's trainOnBatch path. Epoch figures are the batch-size-weighted means
// of the batches' figures (as TF.js's BaseLogger averages them); validation runs after each
// epoch on a Dataset (evaluateDataset, over validationBatches batches or all) or on
// [xsVal, ysVal] tensors (evaluate with validationBatchSize, default 32).
//
// Without batchesPerEpoch an epoch is one pass (a fresh dataset.iterator()); with it, one
// iterator runs across all epochs and an epoch is that many batches: when it runs dry, TF.js's
// warning is printed and training stops (as TF.js does).
//
// Why batches cross into wasm one by one: a dataset is a stream that may be endless or made on
// the fly, so it cannot be loaded once like fit()'s tensors. Each batch is loaded, trained and
// freed; the engine session reuses the freed storage, so memory stays flat.
//
// Why a chunk of its own (web/lib/vite.config.ts), loaded by model.fitDataset() on its first
// call: an app that trains with fit() does not download it. It tells a Dataset by isDataset()
// rather than `instanceof`, so the Dataset class (data.ts) stays out of such an app too.
// fit({classWeight})'s code (class-weight.ts) is in this chunk as well (model.ts loadFitDataset):
// an app that trains without class weights does not download it.
import type { Callback } from './callbacks';
import { type Dataset, isDataset } from './data';
import { describe, quote } from './describe';
import { dispose } from './ops/lifetime';
import type { Callbacks, History, TensorArgs } from './model';
import type { Tensor } from './tensor';
import type { Logs } from './training-session';

import { type YieldEvery, checkYieldEvery } from './yield-every';

export { classSampleWeights } from './class-weight';

export interface FitDatasetArgs {
  /** Required: the epoch index to stop before (TF.js's meaning, with initialEpoch). */
  epochs: number;
  /** Batches per epoch; without it an epoch is one pass over the dataset. */
  batchesPerEpoch?: number;
  initialEpoch?: number;
  /** A Dataset of {xs, ys} batches, or [xsVal, ysVal] tensors. */
  validationData?: Dataset | [TensorArgs, TensorArgs];
  /** Batches of a validation Dataset to evaluate (default: all). */
  validationBatches?: number;
  /** evaluate()'s batch size for tensor validationData (default 32). */
  validationBatchSize?: number;
  callbacks?: Callbacks | Callback | (Callbacks | Callback)[];
  /** As fit()'s classWeight. */
  classWeight?: unknown;
  /** Accepted for TF.js programs; nnplay prints nothing either way in this loop (verbose is tfjs-node's progress bar). */
  verbose?: 0 | 1 | 2;
  yieldEvery?: YieldEvery;
}
const fitDatasetKeys = ['epochs', 'batchesPerEpoch', 'initialEpoch', 'validationData', 'validationBatches', 'validationBatchSize', 'callbacks', 'classWeight', 'verbose', 'yieldEvery'];

/** What fitDataset needs of the model (model.ts passes its private paths). */
export interface DatasetTrainee {
  readonly inputShapes: number[][];
  readonly inputNames: string[];
  stopTraining: boolean;
  /** One optimizer step on the batch; figures by log name. */
  trainBatch(xs: TensorArgs, ys: TensorArgs, classWeight: unknown, where: string): Promise<Logs>;
  /** Figures by log name of evaluate() on tensors. */
  evaluateLogs(xs: TensorArgs, ys: TensorArgs, batchSize: number, where: string): Logs;
  checkCallbacks(cbs: unknown, where: string): Callbacks[];
  yieldToEventLoop(): Promise<void>;
}

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

function positiveInteger(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(where, `${what} must be an integer >= 1, got ${describe(v)}`);
  return v;
}

/** The {xs, ys} of one dataset element, with a clear error for anything else. */
function batchOf(model: DatasetTrainee, value: unknown, where: string): { xs: TensorArgs; ys: TensorArgs } {
  let xs: unknown, ys: unknown;
  if (Array.isArray(value) && value.length === 2) [xs, ys] = value;
  else if (value !== null && typeof value === 'object' && 'xs' in value && 'ys' in value) ({ xs, ys } = value as { xs: unknown; ys: unknown });
  else {
    fail(where, `the dataset yielded ${describe(value)}; fitDataset() needs elements {xs, ys} (or [xs, ys]) that are batches, e.g. nn.data.zip({xs, ys}).batch(32)`);
  }
  // A single sample (no batch axis) would fail as a shape mismatch: say what is missing.
  const first = Array.isArray(xs) ? xs[0] : xs !== null && typeof xs === 'object' && !('shape' in xs) ? Object.values(xs)[0] : xs;
  const shape = (first as Tensor | undefined)?.shape;
  const inputShape = model.inputShapes[0];
  if (Array.isArray(shape) && shape.length === inputShape.length && shape.every((d, i) => d === inputShape[i])) {
    fail(where, `the dataset yields single samples (xs of shape [${shape.join(',')}], the model's input shape): batch them first, e.g. dataset.batch(32); each element must be one batch [batch, ${inputShape.join(', ')}]`);
  }
  return { xs: xs as TensorArgs, ys: ys as TensorArgs };
}

/** Accumulates figures weighted by batch size. */
class Means {
  readonly #sums = new Map<string, number>();
  #samples = 0;
  add(logs: Logs, size: number): void {
    for (const [k, v] of Object.entries(logs)) this.#sums.set(k, (this.#sums.get(k) ?? 0) + v * size);
    this.#samples += size;
  }
  get samples(): number {
    return this.#samples;
  }
  logs(): Logs {
    const out: Logs = {};
    for (const [k, v] of this.#sums) out[k] = v / this.#samples;
    return out;
  }
}

function sizeOf(xs: TensorArgs): number {
  const first = xs instanceof Object && 'shape' in xs ? (xs as Tensor) : Array.isArray(xs) ? xs[0] : Object.values(xs)[0];
  return (first as Tensor).shape[0];
}

/** evaluateDataset(): figures over `batches` batches (or the whole pass), by log name. */
export async function evaluateDatasetLogs(model: DatasetTrainee, dataset: unknown, batches: number | undefined, where: string): Promise<Logs> {
  if (!isDataset(dataset)) fail(where, `expected an nn.data Dataset of {xs, ys} batches, got ${describe(dataset)}`);
  if (batches !== undefined) positiveInteger(where, 'batches', batches);
  const it = await dataset.iterator();
  const means = new Means();
  for (let b = 0; batches === undefined || b < batches; b++) {
    const r = await it.next();
    if (r.done) break;
    const at = `${where} (batch ${b})`;
    const { xs, ys } = batchOf(model, r.value, at);
    try {
      means.add(model.evaluateLogs(xs, ys, sizeOf(xs), at), sizeOf(xs));
    } finally {
      dispose(r.value); // as TF.js: the batch is consumed
    }
  }
  if (means.samples === 0) fail(where, 'the dataset yielded no batch to evaluate');
  return means.logs();
}

export async function fitDatasetLoop(model: DatasetTrainee, dataset: unknown, args: FitDatasetArgs): Promise<History> {
  const where = 'fitDataset()';
  if (!isDataset(dataset)) fail(where, `the first argument must be an nn.data Dataset of {xs, ys} batches, got ${describe(dataset)}`);
  if (args === null || typeof args !== 'object') fail(where, `the second argument must be an options object like {epochs: 10}, got ${describe(args)}`);
  for (const k of Object.keys(args)) {
    if (k === 'validationSplit') fail(where, 'validationSplit is not supported by fitDataset() (as in TF.js); use validationData');
    if (!fitDatasetKeys.includes(k)) fail(where, `unknown option ${quote(k)}; allowed: ${fitDatasetKeys.join(', ')}`);
  }
  const epochs = positiveInteger(where, 'epochs (required)', args.epochs);
  const batchesPerEpoch = args.batchesPerEpoch === undefined ? null : positiveInteger(where, 'batchesPerEpoch', args.batchesPerEpoch);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) fail(where, `initialEpoch must be an integer in 0..${epochs - 1} (below epochs), got ${describe(initialEpoch)}`);
  const yieldEvery = checkYieldEvery(where, args.yieldEvery);
  const val = args.validationData;
  if (val !== undefined && !isDataset(val) && !(Array.isArray(val) && val.length === 2)) {
    fail(where, `validationData must be a Dataset of {xs, ys} batches or [xsVal, ysVal], got ${describe(val)}`);
  }
  if (args.validationBatches !== undefined) positiveInteger(where, 'validationBatches', args.validationBatches);
  const valBatchSize = args.validationBatchSize === undefined ? 32 : positiveInteger(where, 'validationBatchSize', args.validationBatchSize);
  const callbacks = model.checkCallbacks(args.callbacks, where);

  const history: History = {
    epoch: [],
    history: {},
    params: { epochs, initialEpoch, samples: 0, batchSize: 0, doValidation: val !== undefined, metrics: [] },
  };
  model.stopTraining = false;
  let lastYield = Date.now();
  const maybeYield = async (atEpochEnd: boolean) => {
    const due =
      yieldEvery === 'batch' ||
      (atEpochEnd && (yieldEvery === 'auto' || yieldEvery === 'epoch')) ||
      (typeof yieldEvery === 'number' && Date.now() - lastYield >= yieldEvery);
    if (!due) return;
    await model.yieldToEventLoop();
    lastYield = Date.now();
  };
  for (const c of callbacks) await c.onTrainBegin?.();
  let iterator = await dataset.iterator();
  let ranDry = false;
  for (let epoch = initialEpoch; epoch < epochs && !ranDry; epoch++) {
    for (const c of callbacks) await c.onEpochBegin?.(epoch);
    if (batchesPerEpoch === null && epoch > initialEpoch) iterator = await dataset.iterator();
    const means = new Means();
    for (let batch = 0; batchesPerEpoch === null || batch < batchesPerEpoch; batch++) {
      const r = await iterator.next();
      if (r.done) {
        if (batchesPerEpoch !== null) {
          console.warn(
            `You provided \`batchesPerEpoch\` as ${batchesPerEpoch}, but your dataset iterator ran out of data after ${batch} batches; ` +
              `interrupting training. Make sure that your dataset can generate at least \`batchesPerEpoch * epochs\` batches ` +
              `(in this case, ${batchesPerEpoch * epochs} batches). You may need to use the repeat() function when building your dataset.`,
          );
          ranDry = true;
        }
        break;
      }
      const at = `${where} (epoch ${epoch + 1}, batch ${batch})`;
      const { xs, ys } = batchOf(model, r.value, at);
      let logs: Logs;
      const size = sizeOf(xs);
      try {
        logs = await model.trainBatch(xs, ys, args.classWeight, at);
      } finally {
        dispose(r.value); // as TF.js: the batch is consumed by its step
      }
      means.add(logs, size);
      for (const c of callbacks) await c.onBatchEnd?.(batch, { batch, size, ...logs });
      await maybeYield(false);
      if (model.stopTraining) break;
    }
    if (means.samples === 0) {
      if (ranDry) break;
      fail(where, `the dataset yielded no batch in epoch ${epoch + 1}`);
    }
    const epochLogs = means.logs();
    history.params.samples = Math.max(history.params.samples, means.samples);
    if (isDataset(val)) {
      const v = await evaluateDatasetLogs(model, val, args.validationBatches, `${where} validationData`);
      for (const [k, x] of Object.entries(v)) epochLogs[`val_${k}`] = x;
    } else if (val) {
      const v = model.evaluateLogs(val[0], val[1], valBatchSize, `${where} validationData`);
      for (const [k, x] of Object.entries(v)) epochLogs[`val_${k}`] = x;
    }
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(epochLogs)) (history.history[k] ??= []).push(v);
    for (const c of callbacks) await c.onEpochEnd?.(epoch, { ...epochLogs });
    if (model.stopTraining) break;
    await maybeYield(true);
  }
  history.params.metrics = Object.keys(history.history);
  for (const c of callbacks) await c.onTrainEnd?.();
  return history;
}

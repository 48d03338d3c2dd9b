// The few things the library does with the wasm facade, written once and used both by the
// in-process path (Node, workers) and by the library's fit worker (page main thread), so the
// two cannot drift apart: same calls in the same order give the same numbers.
//
// Every function re-reads module.HEAPF32 after the facade call that may have grown memory.
import type { NnplayModule, WasmDataset, WasmModel } from './engine-module';
import { check, own, release } from './memory';

export type Logs = Record<string, number>;

export interface WeightValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Copies x [n, xSize] (and y [n, ySize], or zeros) into a new, owned WasmDataset. */
export function makeDataset(
  mod: NnplayModule,
  x: Float32Array,
  y: Float32Array | null,
  n: number,
  xSize: number,
  ySize: number,
): WasmDataset {
  const ds = own(new mod.Dataset());
  try {
    check(ds.allocate(n, xSize, ySize), 'allocating a dataset');
    mod.HEAPF32.set(x, ds.xPtr() >>> 2);
    if (y) mod.HEAPF32.set(y, ds.yPtr() >>> 2);
    check(ds.validate(), 'checking the data');
  } catch (err) {
    release(ds);
    throw err;
  }
  return ds;
}

/**
 * Copies x [n, xSize] into a new, owned WasmDataset for predict (y is one unused column) and
 * returns it with the index of the first non-finite value of x, or -1. The scan runs in wasm
 * (one SIMD pass over the copy just made), so the caller words the error in its own terms.
 * The caller releases the dataset, also when it reports a bad value.
 */
export function makeInputDataset(
  mod: NnplayModule,
  x: Float32Array,
  n: number,
  xSize: number,
): { ds: WasmDataset; firstNonFinite: number } {
  const ds = own(new mod.Dataset());
  try {
    check(ds.allocate(n, xSize, 1), 'allocating a dataset');
    mod.HEAPF32.set(x, ds.xPtr() >>> 2);
    return { ds, firstNonFinite: ds.firstNonFiniteX() };
  } catch (err) {
    release(ds);
    throw err;
  }
}

/** A new, owned engine model built from a spec (and compiled, if a compile spec is given). */
export function makeModel(mod: NnplayModule, specJson: string, compileJson: string | null): WasmModel {
  const model = own(new mod.Model());
  try {
    check(model.build(specJson), 'building the model');
    if (compileJson !== null) check(model.compile(compileJson), 'compile()');
  } catch (err) {
    release(model);
    throw err;
  }
  return model;
}

export function readWeights(mod: NnplayModule, model: WasmModel): WeightValues[] {
  const out: WeightValues[] = [];
  const count = model.numWeights();
  for (let i = 0; i < count; i++) {
    const start = model.weightPtr(i) >>> 2;
    out.push({
      name: model.weightName(i),
      shape: JSON.parse(model.weightShapeJson(i)) as number[],
      values: mod.HEAPF32.slice(start, start + model.weightSize(i)),
    });
  }
  return out;
}

/** Copies of the weight values only (no names or shapes): a cheap snapshot to restore. */
export function snapshotWeights(mod: NnplayModule, model: WasmModel): Float32Array[] {
  const out: Float32Array[] = [];
  const count = model.numWeights();
  for (let i = 0; i < count; i++) {
    const start = model.weightPtr(i) >>> 2;
    out.push(mod.HEAPF32.slice(start, start + model.weightSize(i)));
  }
  return out;
}

/** Writes weights in Keras order. Sizes must already have been checked by the caller. */
export function writeWeights(mod: NnplayModule, model: WasmModel, values: readonly Float32Array[]): void {
  const count = model.numWeights();
  if (values.length !== count) throw new Error(`nnplay: internal: ${values.length} weights for ${count} slots`);
  for (let i = 0; i < count; i++) {
    if (values[i].length !== model.weightSize(i)) {
      throw new Error(`nnplay: internal: weight ${i} has ${values[i].length} values, expected ${model.weightSize(i)}`);
    }
    mod.HEAPF32.set(values[i], model.weightPtr(i) >>> 2);
  }
}

export function lastLogs(model: WasmModel): Logs {
  // JSON has no NaN/Infinity: the engine writes a non-finite figure as null; report it as NaN.
  const raw = JSON.parse(model.logsJson()) as Record<string, number | null>;
  const logs: Logs = {};
  for (const [k, v] of Object.entries(raw)) logs[k] = v === null ? NaN : v;
  return logs;
}

export interface EpochOptions {
  batchSize: number;
  shuffle: boolean;
  /** Train batch by batch (for onBatchEnd) and report each batch's figures. */
  perBatch: boolean;
}

export interface EpochResult {
  /** Train figures, then val_ figures when validation data is given. */
  logs: Logs;
  /** Per-batch figures ({batch, size, loss, ...}) when perBatch. */
  batches?: Logs[];
}

/**
 * One epoch of training, then validation. Throws the engine's message when the loss
 * diverges (it suggests a smaller learning rate) or when the data does not fit the model.
 */
export function runEpoch(
  model: WasmModel,
  train: WasmDataset,
  val: WasmDataset | null,
  opts: EpochOptions,
): EpochResult {
  const result: EpochResult = { logs: {} };
  if (!opts.perBatch) {
    check(model.fitEpoch(train, opts.batchSize, opts.shuffle), 'fit()');
    result.logs = lastLogs(model);
  } else {
    // trainSteps continues the engine's epoch where it stopped, so numBatches single steps
    // are exactly one epoch (same shuffle, same updates) with figures per batch.
    const n = train.size();
    const numBatches = Math.ceil(n / opts.batchSize);
    const batches: Logs[] = [];
    const sums: Logs = {};
    for (let b = 0; b < numBatches; b++) {
      check(model.trainSteps(train, 1, opts.batchSize, opts.shuffle), 'fit()');
      const size = Math.min(opts.batchSize, n - b * opts.batchSize);
      const logs = lastLogs(model);
      batches.push({ batch: b, size, ...logs });
      for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v * size;
    }
    for (const [k, v] of Object.entries(sums)) result.logs[k] = v / n;
    result.batches = batches;
  }
  if (val) {
    check(model.evaluate(val, opts.batchSize), 'fit() validation');
    for (const [k, v] of Object.entries(lastLogs(model))) result.logs[`val_${k}`] = v;
  }
  return result;
}

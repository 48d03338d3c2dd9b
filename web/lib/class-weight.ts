// fit({classWeight}) as TF.js 4.22 reads it (tfjs-layers training_utils.ts): a map from class
// index to weight (or a list / map by output name, one per output), turned into one weight per
// sample from the class of its target: y [n] or [n, 1] holds class indices, y [n, k > 1] is
// one-hot (its argmax is the class). The engine then weighs each sample's loss by it in
// training (train/loss.h): the batch loss is the mean of w_i·loss_i, and the metrics,
// validation and evaluate() are unweighted, as in TF.js. The weights are computed here, where
// the targets are, and cross into wasm with the data, once per fit.
//
// Stricter than TF.js, on purpose: a class the output cannot produce (classWeight {5: 2} for 3
// units), a key that is not a class index, or a weight that is not a finite number is an error
// instead of being ignored or training on NaN.
import { describe } from './describe';
import type { Tensor } from './tensor';

/** {classIndex: weight}, as TF.js's ClassWeight. */
export type ClassWeight = Record<number, number>;
/** One ClassWeight for every output: a list (output order) or a map by output name. */
export type ClassWeightArg = ClassWeight | ClassWeight[] | Record<string, ClassWeight>;

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

/** The ClassWeight of each output (null: unweighted), as TF.js's standardizeClassWeights. */
function perOutput(arg: unknown, outputNames: readonly string[], where: string): (ClassWeight | null)[] {
  if (arg === null || typeof arg !== 'object') fail(where, `classWeight must be an object {classIndex: weight}, got ${describe(arg)}`);
  if (Array.isArray(arg)) {
    if (arg.length === 0) return outputNames.map(() => null);
    if (arg.length !== outputNames.length) {
      fail(where, `classWeight is a list of ${arg.length}, but the model has ${outputNames.length} output${outputNames.length === 1 ? '' : 's'} (${outputNames.join(', ')}); give one {classIndex: weight} per output`);
    }
    return arg as ClassWeight[];
  }
  const map = arg as Record<string, unknown>;
  const keys = Object.keys(map);
  const byName = keys.length > 0 && keys.every((k) => outputNames.includes(k)) && keys.every((k) => map[k] !== null && typeof map[k] === 'object');
  if (byName) return outputNames.map((n) => (map[n] as ClassWeight | undefined) ?? null);
  if (outputNames.length > 1) {
    fail(where, `the model has ${outputNames.length} outputs (${outputNames.join(', ')}), so classWeight must be a list of ${outputNames.length} {classIndex: weight} objects or a map by output name, got ${describe(arg)}`);
  }
  return [arg as ClassWeight];
}

/**
 * One Float32Array of per-sample weights per output (null for an output without classWeight),
 * or null when no output has any. `ys` are fit()'s target tensors in output order, `units` the
 * outputs' sizes (a 1-unit output has the classes 0 and 1).
 */
export function classSampleWeights(arg: unknown, outputNames: readonly string[], ys: readonly Tensor[], units: readonly number[], where: string): (Float32Array | null)[] | null {
  const tables = perOutput(arg, outputNames, where);
  if (tables.every((t) => t === null)) return null;
  return tables.map((table, o) => {
    if (table === null) return null;
    const what = outputNames.length === 1 ? 'classWeight' : `classWeight of output "${outputNames[o]}"`;
    const classes = units[o] > 1 ? units[o] : 2;
    if (table === null || typeof table !== 'object' || Array.isArray(table)) fail(where, `${what} must be an object {classIndex: weight}, got ${describe(table)}`);
    const weights = new Float64Array(classes).fill(NaN);
    for (const [key, w] of Object.entries(table)) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0 || String(c) !== key) fail(where, `${what} has the key ${JSON.stringify(key)}; keys are class indices 0..${classes - 1}`);
      if (c >= classes) {
        fail(where, `${what} names class ${c}, which does not exist: output "${outputNames[o]}" has ${units[o]} unit${units[o] === 1 ? ' (classes 0 and 1)' : `s (classes 0..${classes - 1})`}`);
      }
      if (typeof w !== 'number' || !Number.isFinite(w)) fail(where, `${what}[${c}] must be a finite number, got ${describe(w)}`);
      weights[c] = w;
    }
    const y = ys[o];
    const values = y.values();
    const n = y.shape[0];
    const cols = y.rank === 1 ? 1 : y.rank === 2 ? y.shape[1] : -1;
    if (cols < 1) fail(where, `${what} needs targets of rank 1 or 2 (class indices or one-hot rows), but the targets have shape [${y.shape.join(',')}]`);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let cls: number;
      if (cols === 1) cls = values[i];
      else {
        cls = 0;
        for (let j = 1; j < cols; j++) if (values[i * cols + j] > values[i * cols + cls]) cls = j;
      }
      if (!Number.isInteger(cls) || cls < 0 || cls >= classes) {
        fail(where, `${what}: sample ${i} has the target ${cls}, which is not a class index 0..${classes - 1}`);
      }
      const w = weights[cls];
      // TF.js's own message: every class in the data needs a weight.
      if (Number.isNaN(w)) fail(where, `classWeight must contain all classes in the training data. The class ${cls} exists in the data (sample ${i}) but not in ${what}`);
      out[i] = w;
    }
    return out;
  });
}

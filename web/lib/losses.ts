// nn.losses and nn.metrics: loss and metric functions on tensors, built from the library's ops
// (so they are differentiable with nn.grad / optimizer.minimize), with TF.js 4.22's definitions:
// tfjs-core's tf.losses (labels, predictions, weights?, ..., reduction: elementwise losses,
// weighted and reduced by computeWeightedLoss, a scalar by default) and tfjs-layers src/losses.ts
// and metrics.ts (yTrue, yPred: one value per sample, the mean, or for kullbackLeiblerDivergence,
// cosineProximity and categoricalCrossentropy the sum, over the last axis). compile({loss: 'name'})
// does not go through these: the engine's loss table computes the same losses in wasm.
import { Tensor, scalar } from './tensor';
import type { TensorInput } from './tensor';
import { abs, add, cast, clipByValue, div, equal, exp, greater, log, log1p, logicalAnd, maximum, minimum, mul, neg, notEqual, relu, sqrt, square, squaredDifference, sub, where } from './ops/elementwise';
import { argMax, logSumExp, max, mean, sum } from './ops/reduce';
import { squeeze } from './ops/shape';
import { ones } from './ops/create';
import { toTensor } from './ops/util';
import { tidy } from './ops/lifetime';
import { describe } from './describe';

// TF.js's backend epsilon (float32 cpu / wasm / webgl with float32 textures).
const EPSILON = 1e-7;

function l2Normalize(x: TensorInput): Tensor {
  return tidy(() => div(x, sqrt(maximum(sum(square(x), -1, true), EPSILON))));
}

/** mean(|yPred − yTrue|) over the last axis. */
export function meanAbsoluteError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(abs(sub(yPred, yTrue)), -1));
}

/** 100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|) over the last axis. */
export function meanAbsolutePercentageError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mul(100, mean(abs(div(sub(yTrue, yPred), clipByValue(abs(yTrue), EPSILON, Number.MAX_VALUE))), -1)));
}

/** mean(max(0, 1 − yTrue·yPred)) over the last axis (targets ±1). */
export function hinge(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(maximum(0, sub(1, mul(yTrue, yPred))), -1));
}

/** mean(max(0, 1 − yTrue·yPred)²) over the last axis. */
export function squaredHinge(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(square(maximum(0, sub(1, mul(yTrue, yPred)))), -1));
}

/** mean(log(cosh(yPred − yTrue))) over the last axis, as |x| + log(1 + e^(−2|x|)) − log 2 (no overflow). */
export function logCosh(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => {
    const a = abs(sub(yPred, yTrue));
    return mean(sub(add(a, log(add(1, exp(mul(-2, a))))), Math.log(2)), -1);
  });
}

/** mean((log(1 + clip(yPred)) − log(1 + clip(yTrue)))²) over the last axis, both clipped to [ε, ∞). */
export function meanSquaredLogarithmicError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => {
    const logOf = (x: TensorInput) => log(add(1, clipByValue(x, EPSILON, Number.MAX_VALUE)));
    return mean(square(sub(logOf(yPred), logOf(yTrue))), -1);
  });
}

/** max(0, 1 + max((1 − yTrue)·yPred) − Σ yTrue·yPred) over the last axis (one-hot targets). */
export function categoricalHinge(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => maximum(0, add(1, sub(max(mul(sub(1, yTrue), yPred), -1), sum(mul(yTrue, yPred), -1)))));
}

/** Σ yTrue·log(clip(yTrue) / clip(yPred)) over the last axis, both clipped to [ε, 1]. */
export function kullbackLeiblerDivergence(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => sum(mul(yTrue, log(div(clipByValue(yTrue, EPSILON, 1), clipByValue(yPred, EPSILON, 1)))), -1));
}

/** −Σ l2Normalize(yTrue)·l2Normalize(yPred) over the last axis. */
export function cosineProximity(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => neg(sum(mul(l2Normalize(yTrue), l2Normalize(yPred)), -1)));
}

/** mean(yPred − yTrue·log(yPred + ε)) over the last axis. */
export function poisson(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(sub(yPred, mul(yTrue, log(add(yPred, EPSILON)))), -1));
}

// ---- tf.losses: (labels, predictions, weights?, ..., reduction) -> a scalar by default ----

/** How a tf.losses function reduces its elementwise losses (TF.js's tf.Reduction, same numbers). */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

// An argument as a tensor (the ops' own conversion); called inside the callers' tidy, which
// frees a converted array with the rest.
const asTensor = (x: TensorInput, arg: string, op: string): Tensor => toTensor(x, arg, op, []);

// yTrue and yPred as tensors of one shape (TF.js asserts the shapes match; no broadcasting).
function pair(labels: TensorInput, predictions: TensorInput, op: string, names = ['labels', 'predictions']): [Tensor, Tensor] {
  const a = asTensor(labels, names[0], op);
  const b = asTensor(predictions, names[1], op);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`nnplay: ${op}(): ${names[0]} shape [${a.shape.join(',')}] and ${names[1]} shape [${b.shape.join(',')}] must be the same`);
  }
  return [a, b];
}

function checkNumber(value: unknown, name: string, op: string, ok: (v: number) => boolean, allowed: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new Error(`nnplay: ${op}(): ${name} must be ${allowed}, got ${describe(value)}`);
  return value;
}

/**
 * tf.losses.computeWeightedLoss(losses, weights?, reduction): losses·weights (weights broadcast
 * to losses), then NONE: as is; SUM: the sum; MEAN: the sum / Σweights (divided again by
 * losses.size / weights.size when the weights broadcast), the mean without weights;
 * SUM_BY_NONZERO_WEIGHTS (the default): the sum / the count of nonzero broadcast weights, the mean
 * without weights. Every tf.losses function ends here.
 */
export function computeWeightedLoss(losses: TensorInput, weights?: TensorInput | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const op = 'losses.computeWeightedLoss';
  // Only the numbers map back to a name: Reduction[0] is 'NONE', Reduction['NONE'] a number.
  if (typeof Reduction[reduction as number] !== 'string') {
    throw new Error(`nnplay: ${op}(): reduction must be one of nn.Reduction.NONE (0), MEAN (1), SUM (2), SUM_BY_NONZERO_WEIGHTS (3), got ${describe(reduction)}`);
  }
  return tidy(() => {
    const l = asTensor(losses, 'losses', op);
    const w = weights === undefined || weights === null ? null : asTensor(weights, 'weights', op);
    const weighted = w ? mul(l, w) : l;
    if (reduction === Reduction.NONE) return weighted;
    if (reduction === Reduction.SUM) return sum(weighted);
    if (!w) return mean(weighted);
    if (reduction === Reduction.MEAN) {
      const result = div(sum(weighted), sum(w));
      return l.size > w.size ? div(result, l.size / w.size) : result;
    }
    const nonzero = cast(sum(cast(notEqual(mul(w, ones(l.shape)), 0), 'float32')), 'float32');
    return div(sum(weighted), nonzero);
  });
}

/** tf.losses.meanSquaredError(labels, predictions, weights?, reduction): (labels − predictions)², reduced. */
export function meanSquaredError(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, reduction?: Reduction): Tensor {
  return tidy(() => computeWeightedLoss(squaredDifference(...pair(labels, predictions, 'losses.meanSquaredError')), weights, reduction));
}

/** tf.losses.absoluteDifference(labels, predictions, weights?, reduction): |labels − predictions|, reduced. */
export function absoluteDifference(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, reduction?: Reduction): Tensor {
  return tidy(() => computeWeightedLoss(abs(sub(...pair(labels, predictions, 'losses.absoluteDifference'))), weights, reduction));
}

/**
 * tf.losses.cosineDistance(labels, predictions, axis, weights?, reduction): 1 − Σ labels·predictions
 * over `axis` (kept as size 1), reduced. The inputs are expected unit-normalized along axis (TF.js
 * does not normalize them either).
 */
export function cosineDistance(labels: TensorInput, predictions: TensorInput, axis: number, weights?: TensorInput | null, reduction?: Reduction): Tensor {
  return tidy(() => {
    const [a, b] = pair(labels, predictions, 'losses.cosineDistance');
    return computeWeightedLoss(sub(1, sum(mul(a, b), axis, true)), weights, reduction);
  });
}

/** tf.losses.hingeLoss(labels, predictions, weights?, reduction): max(0, 1 − (2·labels − 1)·predictions) for 0/1 labels, reduced. */
export function hingeLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, reduction?: Reduction): Tensor {
  return tidy(() => {
    const [a, b] = pair(labels, predictions, 'losses.hingeLoss');
    return computeWeightedLoss(relu(sub(1, mul(sub(mul(2, a), 1), b))), weights, reduction);
  });
}

/** tf.losses.logLoss(labels, predictions, weights?, epsilon = 1e-7, reduction): −y·log(p + ε) − (1 − y)·log(1 − p + ε), reduced. */
export function logLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, epsilon = EPSILON, reduction?: Reduction): Tensor {
  checkNumber(epsilon, 'epsilon', 'losses.logLoss', (v) => v >= 0, 'a finite number >= 0');
  return tidy(() => {
    const [y, p] = pair(labels, predictions, 'losses.logLoss');
    const positive = mul(y, log(add(p, epsilon)));
    const negative = mul(sub(1, y), log(add(sub(1, p), epsilon)));
    return computeWeightedLoss(neg(add(positive, negative)), weights, reduction);
  });
}

// max(x, 0) − x·z + log(1 + e^(−|x|)): the logistic loss of logits x for targets z, never exp of a large number.
function sigmoidCrossEntropyWithLogits(labels: TensorInput, logits: TensorInput): Tensor {
  return add(sub(relu(logits), mul(logits, labels)), log1p(exp(neg(abs(logits)))));
}

function smoothing(labelSmoothing: unknown, op: string): number {
  return checkNumber(labelSmoothing, 'labelSmoothing', op, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
}

/**
 * tf.losses.sigmoidCrossEntropy(multiClassLabels, logits, weights?, labelSmoothing = 0, reduction):
 * the logistic loss of each logit (labels smoothed towards ½ first), reduced.
 */
export function sigmoidCrossEntropy(multiClassLabels: TensorInput, logits: TensorInput, weights?: TensorInput | null, labelSmoothing = 0, reduction?: Reduction): Tensor {
  const s = smoothing(labelSmoothing, 'losses.sigmoidCrossEntropy');
  return tidy(() => {
    const [z, x] = pair(multiClassLabels, logits, 'losses.sigmoidCrossEntropy', ['multiClassLabels', 'logits']);
    const smoothed = s > 0 ? add(mul(z, 1 - s), 0.5 * s) : z;
    return computeWeightedLoss(sigmoidCrossEntropyWithLogits(smoothed, x), weights, reduction);
  });
}

/**
 * tf.losses.softmaxCrossEntropy(onehotLabels, logits, weights?, labelSmoothing = 0, reduction):
 * −Σ labels·logSoftmax(logits) over the last axis (one loss per row; labels smoothed towards
 * 1 / classes first), reduced. Weights are per row.
 */
export function softmaxCrossEntropy(onehotLabels: TensorInput, logits: TensorInput, weights?: TensorInput | null, labelSmoothing = 0, reduction?: Reduction): Tensor {
  const s = smoothing(labelSmoothing, 'losses.softmaxCrossEntropy');
  return tidy(() => {
    const [y, x] = pair(onehotLabels, logits, 'losses.softmaxCrossEntropy', ['onehotLabels', 'logits']);
    // TF.js divides by shape[1], the classes of the [batch, classes] labels it documents; the
    // last axis is the same there and the classes at any rank.
    const smoothed = s > 0 ? add(mul(y, 1 - s), s / y.shape[y.rank - 1]) : y;
    const logSoftmax = sub(x, logSumExp(x, -1, true));
    return computeWeightedLoss(neg(sum(mul(smoothed, logSoftmax), -1)), weights, reduction);
  });
}

/** tf.losses.huberLoss(labels, predictions, weights?, delta = 1, reduction): ½e² within delta, delta·(e − ½delta) beyond (e = |predictions − labels|), reduced. */
export function huberLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, delta = 1, reduction?: Reduction): Tensor {
  checkNumber(delta, 'delta', 'losses.huberLoss', (v) => v > 0, 'a finite number > 0');
  return tidy(() => {
    const [y, p] = pair(labels, predictions, 'losses.huberLoss');
    const e = abs(sub(p, y));
    const quadratic = minimum(e, delta);
    return computeWeightedLoss(add(mul(0.5, square(quadratic)), mul(delta, sub(e, quadratic))), weights, reduction);
  });
}

/** Loss functions on tensors (TF.js: tf.losses; meanAbsoluteError to poisson as tfjs-layers and Keras define them). */
export const losses = {
  absoluteDifference,
  computeWeightedLoss,
  cosineDistance,
  hingeLoss,
  huberLoss,
  logLoss,
  meanSquaredError,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  hinge,
  squaredHinge,
  logCosh,
  logcosh: logCosh,
  meanSquaredLogarithmicError,
  categoricalHinge,
  kullbackLeiblerDivergence,
  cosineProximity,
  poisson,
};

// ---- metrics (tf.metrics) ----

/** mean(yTrue == (yPred > 0.5)) over the last axis. */
export function binaryAccuracy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(cast(equal(yTrue, cast(greater(yPred, 0.5), 'float32')), 'float32'), -1));
}

/** 1 where argMax(yTrue) == argMax(yPred) along the last axis, else 0. */
export function categoricalAccuracy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => cast(equal(argMax(yTrue, -1), argMax(yPred, -1)), 'float32'));
}

// Counts of elements with yTrue == t and yPred == p exactly (TF.js compares; it does not threshold).
function count(yTrue: TensorInput, yPred: TensorInput, t: number, p: number): Tensor {
  return cast(sum(cast(logicalAnd(equal(yTrue, t), equal(yPred, p)), 'float32')), 'float32');
}

function ratio(tp: Tensor, other: Tensor): Tensor {
  const denominator = add(tp, other);
  return where(greater(denominator, 0), div(tp, denominator), scalar(0));
}

/** tp / (tp + fp) over the whole batch, counting yPred == 1 (TF.js's definition); 0 for 0 / 0. */
export function precision(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => ratio(count(yTrue, yPred, 1, 1), count(yTrue, yPred, 0, 1)));
}

/** tp / (tp + fn) over the whole batch, counting yPred == 1 and yPred == 0 (TF.js's definition); 0 for 0 / 0. */
export function recall(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => ratio(count(yTrue, yPred, 1, 1), count(yTrue, yPred, 1, 0)));
}

/** mean((yPred − yTrue)²) over the last axis (tf.metrics.meanSquaredError, not tf.losses'). */
function meanSquaredErrorPerSample(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => mean(square(sub(yPred, yTrue)), -1));
}

/** mean over the last axis of the logistic loss of log(p / (1 − p)), p = yPred clipped to [ε, 1 − ε]. */
export function binaryCrossentropy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => {
    const [y, raw] = pair(yTrue, yPred, 'metrics.binaryCrossentropy', ['yTrue', 'yPred']);
    const p = clipByValue(raw, EPSILON, 1 - EPSILON);
    return mean(sigmoidCrossEntropyWithLogits(y, log(div(p, sub(1, p)))), -1);
  });
}

/** −Σ yTrue·log(p) over the last axis, p = yPred scaled to sum 1 per row, clipped to [ε, 1 − ε]. */
export function categoricalCrossentropy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => {
    const p = clipByValue(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return neg(sum(mul(cast(yTrue, 'float32'), log(p)), -1));
  });
}

/** 1 where argMax(yPred) along the last axis is the class index yTrue (shape [n] or [n, 1]), else 0. */
export function sparseCategoricalAccuracy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => {
    let labels = asTensor(yTrue, 'yTrue', 'metrics.sparseCategoricalAccuracy');
    const p = asTensor(yPred, 'yPred', 'metrics.sparseCategoricalAccuracy');
    if (labels.rank === p.rank) labels = squeeze(labels, [labels.rank - 1]);
    return cast(equal(labels, cast(argMax(p, -1), labels.dtype)), 'float32');
  });
}

/** 1 − Σ(yTrue − yPred)² / Σ(yTrue − mean(yTrue))² over every element (a scalar). */
export function r2Score(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return tidy(() => sub(1, div(sum(square(sub(yTrue, yPred))), sum(square(sub(yTrue, mean(yTrue)))))));
}

/** Metric functions on tensors (TF.js: tf.metrics). */
export const metrics = {
  binaryAccuracy,
  categoricalAccuracy,
  precision,
  recall,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  MAE: meanAbsoluteError,
  meanAbsolutePercentageError,
  mape: meanAbsolutePercentageError,
  MAPE: meanAbsolutePercentageError,
  cosineProximity,
  meanSquaredError: meanSquaredErrorPerSample,
  mse: meanSquaredErrorPerSample,
  MSE: meanSquaredErrorPerSample,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalAccuracy,
  r2Score,
};

// nn.losses and nn.metrics: loss and metric functions on tensors (yTrue, yPred), built from the
// library's ops (so they are differentiable with nn.grad / optimizer.minimize), with TF.js 4.22's
// definitions: tfjs-layers src/losses.ts and metrics.ts (one value per sample: the mean, or for
// kullbackLeiblerDivergence and cosineProximity the sum, over the last axis) and tfjs-core's
// tf.losses.huberLoss (a scalar: the mean over every element). compile({loss: 'name'}) does not
// go through these: the engine's loss table computes the same losses in wasm.
import type { Tensor, TensorInput } from './tensor';
import { abs, add, cast, clipByValue, div, equal, exp, greater, log, logicalAnd, maximum, minimum, mul, neg, sqrt, square, sub, where } from './ops/elementwise';
import { argMax, mean, sum } from './ops/reduce';
import { tidy } from './ops/lifetime';
import { scalar } from './tensor';

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

/**
 * tf.losses.huberLoss(labels, predictions, weights?, delta = 1): ½e² within delta, delta·(e − ½delta)
 * beyond (e = |predictions − labels|), averaged over every element (TF.js's default reduction
 * SUM_BY_NONZERO_WEIGHTS without weights). Weights and other reductions are not supported yet.
 */
export function huberLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput, delta = 1): Tensor {
  if (weights !== undefined && weights !== null) throw new Error('nnplay: losses.huberLoss(): weights are not supported yet; pass undefined');
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new Error(`nnplay: losses.huberLoss(): delta must be a finite number > 0, got ${String(delta)}`);
  return tidy(() => {
    const e = abs(sub(predictions, labels));
    const quadratic = minimum(e, delta);
    return mean(add(mul(0.5, square(quadratic)), mul(delta, sub(e, quadratic))));
  });
}

/** Loss functions on tensors (TF.js: tf.losses.huberLoss; the rest as tfjs-layers and Keras define them). */
export const losses = {
  huberLoss,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  hinge,
  squaredHinge,
  logCosh,
  logcosh: logCosh,
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
};

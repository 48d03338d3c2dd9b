// nn.train.*: optimizer descriptions, TF.js names and defaults. The math runs in the engine
// (engine/optim/); these objects only carry validated hyperparameters to it.

import { describe, quote } from './describe';
import type { Tensor } from './tensor';
import type { Variable } from './ops/variable';
import { applyGradients as applyVariableGradients, minimize as minimizeVariables } from './ops/minimize';

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax';

/** A learning-rate schedule as the engine's schedule table reads it (engine/nn/compile_spec.cpp). */
export interface ScheduleConfig {
  schedule: 'exponentialDecay' | 'cosineDecay' | 'stepDecay';
  initialLearningRate: number;
  [key: string]: number | boolean | string;
}

/**
 * A learning rate that changes with the step, passed where a learning rate goes (as Keras passes
 * a schedule as `learning_rate`): `nn.train.sgd(nn.train.exponentialDecay({...}))`. The engine
 * computes the rate before every optimizer step and checks the keys at compile().
 */
export class LearningRateSchedule {
  /** Prefer nn.train.exponentialDecay() etc. */
  constructor(readonly config: Readonly<ScheduleConfig>) {}
}

function schedule(fn: ScheduleConfig['schedule'], args: unknown): LearningRateSchedule {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new Error(`nnplay: train.${fn}(): the argument must be an options object, got ${describe(args)}`);
  }
  const config = { ...(args as Record<string, number | boolean | string>), schedule: fn } as ScheduleConfig;
  checkPositive(fn, 'initialLearningRate', config.initialLearningRate);
  return new LearningRateSchedule(config);
}

/** Keras ExponentialDecay: lr · decayRate^(step / decaySteps) (floored when staircase). */
export function exponentialDecay(args: {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}): LearningRateSchedule {
  return schedule('exponentialDecay', args);
}

/** Keras CosineDecay: from lr down to lr · alpha over decaySteps along a half cosine. */
export function cosineDecay(args: { initialLearningRate: number; decaySteps: number; alpha?: number }): LearningRateSchedule {
  return schedule('cosineDecay', args);
}

/** Step decay (PyTorch StepLR): lr · gamma^floor(step / stepSize); gamma defaults to 0.1. */
export function stepDecay(args: { initialLearningRate: number; stepSize: number; gamma?: number }): LearningRateSchedule {
  return schedule('stepDecay', args);
}

/** The optimizer config sent to the engine (its optimizer table's keys). */
export interface OptimizerConfig {
  name: OptimizerName;
  /** A constant rate, or a schedule's config. */
  learningRate: number | ScheduleConfig;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  momentum?: number;
  useNesterov?: boolean;
  /** rmsprop's rho; adamax's learning-rate decay. */
  decay?: number;
  /** adadelta's moving-average factor. */
  rho?: number;
  initialAccumulatorValue?: number;
}

export class Optimizer {
  /** Prefer nn.train.sgd() etc. */
  constructor(readonly config: Readonly<OptimizerConfig>) {}
  get name(): OptimizerName {
    return this.config.name;
  }
  /** The constant rate, or a schedule's initial rate. */
  get learningRate(): number {
    const lr = this.config.learningRate;
    return typeof lr === 'number' ? lr : lr.initialLearningRate;
  }
  /** One step on the gradient of f() over varList (default: all trainable variables), as TF.js. */
  minimize(f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
    return minimizeVariables(this, f, returnCost, varList);
  }
  /** Applies {variableName: gradient} to those variables, as TF.js's applyGradients. */
  applyGradients(grads: Record<string, Tensor> | { name: string; tensor: Tensor }[]): void {
    applyVariableGradients(this, grads);
  }
}

function checkPositive(fn: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`nnplay: train.${fn}(): ${what} must be a finite number > 0, got ${describe(v)}`);
  }
  return v;
}

function checkRange(fn: string, what: string, v: unknown, allowed: string, ok: (x: number) => boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new Error(`nnplay: train.${fn}(): ${what} must be ${allowed}, got ${describe(v)}`);
  }
  return v;
}

const unit = (x: number) => x >= 0 && x < 1;

type LearningRate = number | LearningRateSchedule;

function checkLearningRate(fn: string, v: unknown): number | ScheduleConfig {
  if (v instanceof LearningRateSchedule) return { ...v.config };
  return checkPositive(fn, 'learningRate', v);
}

/** Plain stochastic gradient descent: w -= lr · g. */
export function sgd(learningRate: LearningRate): Optimizer {
  return new Optimizer({ name: 'sgd', learningRate: checkLearningRate('sgd', learningRate) });
}

/** SGD with momentum (TF.js MomentumOptimizer): v = m·v + g; w -= lr·v (Nesterov: lr·(g + m·v)). */
export function momentum(learningRate: LearningRate, momentum: number, useNesterov = false): Optimizer {
  const lr = checkLearningRate('momentum', learningRate);
  checkRange('momentum', 'momentum', momentum, 'a number in [0, 1)', unit);
  if (typeof useNesterov !== 'boolean') {
    throw new Error(`nnplay: train.momentum(): useNesterov must be true or false, got ${describe(useNesterov)}`);
  }
  return new Optimizer({ name: 'momentum', learningRate: lr, momentum, useNesterov });
}

/** Adam with TF.js defaults (epsilon 1e-7). */
export function adam(learningRate: LearningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): Optimizer {
  const lr = checkLearningRate('adam', learningRate);
  checkRange('adam', 'beta1', beta1, 'a number in [0, 1)', unit);
  checkRange('adam', 'beta2', beta2, 'a number in [0, 1)', unit);
  checkPositive('adam', 'epsilon', epsilon);
  return new Optimizer({ name: 'adam', learningRate: lr, beta1, beta2, epsilon });
}

/** RMSprop (TF.js, not centered): decay is rho, the moving-average factor. */
export function rmsprop(learningRate: LearningRate, decay = 0.9, momentum = 0, epsilon = 1e-7): Optimizer {
  const lr = checkLearningRate('rmsprop', learningRate);
  checkRange('rmsprop', 'decay', decay, 'a number in [0, 1)', unit);
  checkRange('rmsprop', 'momentum', momentum, 'a number in [0, 1)', unit);
  checkPositive('rmsprop', 'epsilon', epsilon);
  return new Optimizer({ name: 'rmsprop', learningRate: lr, decay, momentum, epsilon });
}

/** Adagrad with TF.js's initial accumulator 0.1. */
export function adagrad(learningRate: LearningRate, initialAccumulatorValue = 0.1): Optimizer {
  const lr = checkLearningRate('adagrad', learningRate);
  checkRange('adagrad', 'initialAccumulatorValue', initialAccumulatorValue, 'a finite number >= 0', (x) => x >= 0);
  return new Optimizer({ name: 'adagrad', learningRate: lr, initialAccumulatorValue, epsilon: 1e-7 });
}

/**
 * Adadelta with TF.js's defaults (tf.train.adadelta(0.001, 0.95, 1e-7)). As TF.js 4.22 computes
 * it, the step divides by the accumulated squared gradient from before the update; with both
 * accumulators starting at 0 this makes each step lr·g (up to rounding), and nnplay keeps that
 * so a ported program trains the same.
 */
export function adadelta(learningRate: LearningRate = 0.001, rho = 0.95, epsilon = 1e-7): Optimizer {
  const lr = checkLearningRate('adadelta', learningRate);
  checkRange('adadelta', 'rho', rho, 'a number in [0, 1)', unit);
  checkPositive('adadelta', 'epsilon', epsilon ?? 1e-7);
  return new Optimizer({ name: 'adadelta', learningRate: lr, rho, epsilon: epsilon ?? 1e-7 });
}

/** Adamax with TF.js's defaults (tf.train.adamax(0.002, 0.9, 0.999, 1e-7, 0)); decay scales lr by 1 / (1 + decay·t). */
export function adamax(learningRate: LearningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0): Optimizer {
  const lr = checkLearningRate('adamax', learningRate);
  checkRange('adamax', 'beta1', beta1, 'a number in [0, 1)', unit);
  checkRange('adamax', 'beta2', beta2, 'a number in [0, 1)', unit);
  checkPositive('adamax', 'epsilon', epsilon ?? 1e-7);
  checkRange('adamax', 'decay', decay, 'a finite number >= 0', (x) => x >= 0);
  return new Optimizer({ name: 'adamax', learningRate: lr, beta1, beta2, epsilon: epsilon ?? 1e-7, decay });
}

// String names take TF.js Layers' defaults (tfjs-layers getOptimizer: sgd 0.01, adam 0.001,
// rmsprop 0.001, adagrad 0.01). 'momentum' has no TF.js string; we use lr 0.01, momentum 0.9.
const byName: Record<string, () => Optimizer> = {
  sgd: () => sgd(0.01),
  adam: () => adam(0.001),
  rmsprop: () => rmsprop(0.001),
  adagrad: () => adagrad(0.01),
  momentum: () => momentum(0.01, 0.9),
  adadelta: () => adadelta(1), // tfjs-layers' 'adadelta' is lr 1
  adamax: () => adamax(),
};

export const optimizerNames = Object.keys(byName);

export function optimizerFromName(name: string): Optimizer {
  const make = byName[name.toLowerCase()];
  if (!make) {
    throw new Error(
      `nnplay: compile(): unknown optimizer ${quote(name)}; allowed: ${optimizerNames.map((n) => `'${n}'`).join(', ')} or an nn.train.* object`,
    );
  }
  return make();
}

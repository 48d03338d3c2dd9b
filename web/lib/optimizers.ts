// nn.train.*: optimizer descriptions, TF.js names and defaults. The math runs in the engine
// (engine/optim/); these objects only carry validated hyperparameters to it.

import { describe, quote } from './describe';

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';

/** The optimizer config sent to the engine (engine/nn/spec.h OptimizerSpec). */
export interface OptimizerConfig {
  name: OptimizerName;
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  momentum?: number;
  useNesterov?: boolean;
  decay?: number;
  initialAccumulatorValue?: number;
}

export class Optimizer {
  /** Prefer nn.train.sgd() etc. */
  constructor(readonly config: Readonly<OptimizerConfig>) {}
  get name(): OptimizerName {
    return this.config.name;
  }
  get learningRate(): number {
    return this.config.learningRate;
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

/** Plain stochastic gradient descent: w -= lr · g. */
export function sgd(learningRate: number): Optimizer {
  return new Optimizer({ name: 'sgd', learningRate: checkPositive('sgd', 'learningRate', learningRate) });
}

/** SGD with momentum (TF.js MomentumOptimizer): v = m·v + g; w -= lr·v (Nesterov: lr·(g + m·v)). */
export function momentum(learningRate: number, momentum: number, useNesterov = false): Optimizer {
  checkPositive('momentum', 'learningRate', learningRate);
  checkRange('momentum', 'momentum', momentum, 'a number in [0, 1)', unit);
  if (typeof useNesterov !== 'boolean') {
    throw new Error(`nnplay: train.momentum(): useNesterov must be true or false, got ${describe(useNesterov)}`);
  }
  return new Optimizer({ name: 'momentum', learningRate, momentum, useNesterov });
}

/** Adam with TF.js defaults (epsilon 1e-7). */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): Optimizer {
  checkPositive('adam', 'learningRate', learningRate);
  checkRange('adam', 'beta1', beta1, 'a number in [0, 1)', unit);
  checkRange('adam', 'beta2', beta2, 'a number in [0, 1)', unit);
  checkPositive('adam', 'epsilon', epsilon);
  return new Optimizer({ name: 'adam', learningRate, beta1, beta2, epsilon });
}

/** RMSprop (TF.js, not centered): decay is rho, the moving-average factor. */
export function rmsprop(learningRate: number, decay = 0.9, momentum = 0, epsilon = 1e-7): Optimizer {
  checkPositive('rmsprop', 'learningRate', learningRate);
  checkRange('rmsprop', 'decay', decay, 'a number in [0, 1)', unit);
  checkRange('rmsprop', 'momentum', momentum, 'a number in [0, 1)', unit);
  checkPositive('rmsprop', 'epsilon', epsilon);
  return new Optimizer({ name: 'rmsprop', learningRate, decay, momentum, epsilon });
}

/** Adagrad with TF.js's initial accumulator 0.1. */
export function adagrad(learningRate: number, initialAccumulatorValue = 0.1): Optimizer {
  checkPositive('adagrad', 'learningRate', learningRate);
  checkRange('adagrad', 'initialAccumulatorValue', initialAccumulatorValue, 'a finite number >= 0', (x) => x >= 0);
  return new Optimizer({ name: 'adagrad', learningRate, initialAccumulatorValue, epsilon: 1e-7 });
}

// String names take TF.js Layers' defaults (tfjs-layers getOptimizer: sgd 0.01, adam 0.001,
// rmsprop 0.001, adagrad 0.01). 'momentum' has no TF.js string; we use lr 0.01, momentum 0.9.
const byName: Record<string, () => Optimizer> = {
  sgd: () => sgd(0.01),
  adam: () => adam(0.001),
  rmsprop: () => rmsprop(0.001),
  adagrad: () => adagrad(0.01),
  momentum: () => momentum(0.01, 0.9),
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

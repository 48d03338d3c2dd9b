// nn.regularizers.*: kernel penalties, TF.js names. L1 adds l1·Σ|w| and L2 adds l2·Σw² to
// the loss (TF.js semantics: no factor 1/2); the engine applies them to kernels (dense and conv2d),
// never to biases.

import { describe, quote } from './describe';

export class Regularizer {
  /** Prefer nn.regularizers.l1()/l2()/l1l2(). */
  constructor(
    readonly l1: number,
    readonly l2: number,
  ) {}
}

function rate(fn: string, key: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`nnplay: regularizers.${fn}(): ${key} must be a finite number >= 0, got ${describe(v)}`);
  }
  return v;
}

function checkArgs(fn: string, args: unknown, allowed: string[]): Record<string, unknown> {
  if (args === undefined) return {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new Error(`nnplay: regularizers.${fn}(): expected an object like {${allowed.join(', ')}}, got ${describe(args)}`);
  }
  for (const k of Object.keys(args)) {
    if (!allowed.includes(k)) {
      throw new Error(`nnplay: regularizers.${fn}(): unknown option ${quote(k)}; allowed: ${allowed.join(', ')}`);
    }
  }
  return args as Record<string, unknown>;
}

/** L1 penalty l1·Σ|w| (TF.js default l1 = 0.01). */
export function l1(args?: { l1?: number }): Regularizer {
  const a = checkArgs('l1', args, ['l1']);
  return new Regularizer(rate('l1', 'l1', a.l1, 0.01), 0);
}

/** L2 penalty l2·Σw² (TF.js default l2 = 0.01). */
export function l2(args?: { l2?: number }): Regularizer {
  const a = checkArgs('l2', args, ['l2']);
  return new Regularizer(0, rate('l2', 'l2', a.l2, 0.01));
}

/** Both penalties (TF.js defaults l1 = 0.01, l2 = 0.01). */
export function l1l2(args?: { l1?: number; l2?: number }): Regularizer {
  const a = checkArgs('l1l2', args, ['l1', 'l2']);
  return new Regularizer(rate('l1l2', 'l1', a.l1, 0.01), rate('l1l2', 'l2', a.l2, 0.01));
}

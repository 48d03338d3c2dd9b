// nn.tidy, nn.dispose, nn.keep: TF.js's tensor-lifetime functions (scope.ts does the counting).
import { describe } from '../describe';
import { Tensor } from '../tensor';
import { keep as keepScoped, runScoped, tensorsIn } from './scope';

const isTensor = (v: unknown): boolean => v instanceof Tensor;

/**
 * tidy(fn) or tidy(name, fn): runs fn and disposes every tensor it created except those it
 * returns (a tensor, or tensors in an array / plain object) and those passed to keep().
 * Variables are never disposed by tidy. fn must be synchronous (as in TF.js).
 */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const name = typeof nameOrFn === 'string' ? nameOrFn : 'tidy';
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof f !== 'function') throw new Error(`nnplay: tidy(): expects a function (or a name and a function), got ${describe(f)}`);
  return runScoped(name, f, isTensor);
}

/** Disposes a tensor, or every tensor in an array / plain object (TF.js tf.dispose). */
export function dispose(container: unknown): void {
  for (const t of tensorsIn(container, isTensor)) t.dispose();
}

/** Keeps t alive past the enclosing tidy() calls; returns t. */
export function keep<T extends Tensor>(t: T): T {
  if (!(t instanceof Tensor)) throw new Error(`nnplay: keep(): expects a Tensor, got ${describe(t)}`);
  return keepScoped(t);
}

// Variables (nn.variable, TF.js tf.variable): tensors whose values assign() replaces, the
// parameters of a hand-written training loop. No tidy() disposes them (TF.js's rule); they
// count in memory().numTensors. Trainable ones are what variableGrads() and
// optimizer.minimize() differentiate by default.
import { describe, quote } from '../describe';
import { Tensor } from '../tensor';
import type { DataType, TensorInput } from '../tensor';
import { fail, release, shapeText, toTensor } from './util';

const trainableVariables = new Map<string, Variable>();
let nextVariable = 0;

export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  /** Prefer nn.variable(). */
  constructor(initial: Tensor, trainable: boolean, name: string, dtype?: DataType) {
    const values = dtype === undefined || dtype === initial.dtype ? initial.raw() : initial.cast(dtype).raw();
    super(values, initial.shape, dtype ?? initial.dtype, true);
    this.name = name;
    this.trainable = trainable;
    if (trainableVariables.has(name)) fail('variable', `a variable named ${quote(name)} exists already; names must be unique`);
    trainableVariables.set(name, this);
  }

  get [Symbol.toStringTag](): string {
    return 'Variable';
  }

  /** Replaces the values with those of `newValue` (same shape and dtype). */
  assign(newValue: TensorInput): void {
    const converted: Tensor[] = [];
    const t = toTensor(newValue, 'newValue', 'assign', converted, this.dtype);
    try {
      if (t.dtype !== this.dtype) fail('assign', `variable ${quote(this.name)} is ${this.dtype}; newValue is ${t.dtype}`);
      if (t.shape.length !== this.shape.length || t.shape.some((d, i) => d !== this.shape[i])) {
        fail('assign', `variable ${quote(this.name)} has shape ${shapeText(this.shape)}; newValue has ${shapeText(t.shape)}`);
      }
      this.replaceValues(t.raw());
    } finally {
      release(converted);
    }
  }

  override dispose(): void {
    if (trainableVariables.get(this.name) === this) trainableVariables.delete(this.name);
    super.dispose();
  }
}

/** nn.variable(initialValue, trainable = true, name?, dtype?): a Variable holding initialValue's values. */
export function variable(initialValue: TensorInput, trainable = true, name?: string, dtype?: DataType): Variable {
  const converted: Tensor[] = [];
  const t = toTensor(initialValue, 'initialValue', 'variable', converted);
  try {
    if (name !== undefined && typeof name !== 'string') fail('variable', `name must be a string, got ${describe(name)}`);
    return new Variable(t, trainable !== false, name ?? `variable${nextVariable++}`, dtype);
  } finally {
    release(converted);
  }
}

/**
 * Disposes every variable made with nn.variable() (TF.js tf.disposeVariables). Unlike TF.js it
 * leaves the models' weights (model.weights, a subclass) alone: model.dispose() frees those, and
 * a model whose weights were disposed under it could not train on.
 */
export function disposeVariables(): void {
  for (const v of [...trainableVariables.values()]) if (Object.getPrototypeOf(v) === Variable.prototype) v.dispose();
}

/** `base`, or `base_1`, `base_2`, … when a live variable has the name already (TF.js's rule for
 *  the variables of models whose layers share names). */
export function uniqueVariableName(base: string): string {
  if (!trainableVariables.has(base)) return base;
  let k = 1;
  while (trainableVariables.has(`${base}_${k}`)) k++;
  return `${base}_${k}`;
}

/** The live trainable variables (variableGrads' and minimize's default list). */
export function trainableVariableList(): Variable[] {
  return [...trainableVariables.values()].filter((v) => v.trainable && !v.isDisposed);
}

// nn.customGrad (TF.js tf.customGrad): an op whose gradient the user writes. f(...inputs, save)
// returns {value, gradFunc}; f runs without recording, so its own ops leave no trace on the
// tape, and one entry stands for it whose backward is gradFunc(dy, saved). Saved tensors are
// kept as their values (immutable), so f's scope may dispose them: gradFunc gets fresh ones.
import { describe } from '../describe';
import { Tensor } from '../tensor';
import type { DataArray, DataType } from '../tensor';
import { composite } from './reduce';
import { record, withoutTape } from './tape';
import { fail, shapeText } from './util';

export type SaveFunc = (tensors: Tensor[]) => void;
export interface CustomGradResult {
  value: Tensor;
  /** d(inputs) from dy and the saved tensors: one tensor per input (or a tensor for one input). */
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

export function customGrad(f: (...args: (Tensor | SaveFunc)[]) => CustomGradResult): (...inputs: Tensor[]) => Tensor {
  const op = 'customGrad';
  if (typeof f !== 'function') fail(op, `expects a function (...inputs, save) => {value, gradFunc}, got ${describe(f)}`);
  return (...inputs: Tensor[]): Tensor => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) fail(op, `the function's arguments must all be Tensors; argument ${i} is ${describe(x)}`);
      if (x.isDisposed) fail(op, `argument ${i} is a disposed tensor (shape ${shapeText(x.shape)})`);
    });
    let saved: { values: DataArray; shape: number[]; dtype: DataType }[] = [];
    const save: SaveFunc = (tensors) => {
      if (!Array.isArray(tensors) || tensors.some((t) => !(t instanceof Tensor))) fail(op, `save() takes an array of Tensors, got ${describe(tensors)}`);
      saved = tensors.map((t) => ({ values: t.raw(), shape: [...t.shape], dtype: t.dtype }));
    };
    const result = withoutTape(() => composite(op, () => f(...inputs, save)));
    if (typeof result !== 'object' || result === null || !(result.value instanceof Tensor) || typeof result.gradFunc !== 'function') {
      fail(op, `the function must return {value: Tensor, gradFunc: (dy, saved) => Tensor[]}, got ${describe(result)}`);
    }
    const { value, gradFunc } = result;
    record(op, inputs, value, ([dy]) => {
      const grads = gradFunc(dy, saved.map((s) => new Tensor(s.values, s.shape, s.dtype)));
      const list = Array.isArray(grads) ? grads : [grads];
      if (list.length !== inputs.length) fail(op, `gradFunc returned ${list.length} gradient(s) for ${inputs.length} input(s); it must return one per input`);
      list.forEach((g, i) => {
        if (!(g instanceof Tensor) || g.shape.length !== inputs[i].shape.length || g.shape.some((d, j) => d !== inputs[i].shape[j])) {
          fail(op, `gradFunc's gradient ${i} must be a Tensor of the input's shape ${shapeText(inputs[i].shape)}, got ${g instanceof Tensor ? shapeText(g.shape) : describe(g)}`);
        }
      });
      return list;
    });
    return value;
  };
}

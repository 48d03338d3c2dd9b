// TF.js's rank-suffixed spellings of ops nnplay has (concat2d, slice3d, pad1d, reverse4d, …)
// and relu6, each the general op after a check that the tensor has the rank the name says, so
// a ported program fails where TF.js's would and nowhere else.
import type { Tensor, TensorInput } from '../tensor';
import { concat, pad, slice } from './shape';
import { reverse } from './math';
import { clipByValue } from './elementwise';
import { fail, release, toTensor } from './util';

function ofRank(op: string, rank: number, x: TensorInput, use: (t: Tensor) => Tensor): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (t.rank !== rank) fail(op, `needs a tensor of rank ${rank}, got shape [${t.shape.join(',')}]`);
    return use(t);
  } finally {
    release(converted);
  }
}
function concatOfRank(op: string, rank: number, tensors: TensorInput[], axis: number): Tensor {
  if (!Array.isArray(tensors)) fail(op, 'needs an array of tensors');
  const converted: Tensor[] = [];
  try {
    const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, op, converted));
    ts.forEach((t, i) => {
      if (t.rank !== rank) fail(op, `tensors[${i}] has shape [${t.shape.join(',')}]; all must be of rank ${rank}`);
    });
    return concat(ts, axis);
  } finally {
    release(converted);
  }
}

export const concat1d = (tensors: TensorInput[]): Tensor => concatOfRank('concat1d', 1, tensors, 0);
export const concat2d = (tensors: TensorInput[], axis = 0): Tensor => concatOfRank('concat2d', 2, tensors, axis);
export const concat3d = (tensors: TensorInput[], axis = 0): Tensor => concatOfRank('concat3d', 3, tensors, axis);
export const concat4d = (tensors: TensorInput[], axis = 0): Tensor => concatOfRank('concat4d', 4, tensors, axis);

export const slice1d = (x: TensorInput, begin: number, size: number): Tensor => ofRank('slice1d', 1, x, (t) => slice(t, [begin], [size]));
export const slice2d = (x: TensorInput, begin: [number, number], size: [number, number]): Tensor => ofRank('slice2d', 2, x, (t) => slice(t, begin, size));
export const slice3d = (x: TensorInput, begin: [number, number, number], size: [number, number, number]): Tensor => ofRank('slice3d', 3, x, (t) => slice(t, begin, size));
export const slice4d = (x: TensorInput, begin: [number, number, number, number], size: [number, number, number, number]): Tensor =>
  ofRank('slice4d', 4, x, (t) => slice(t, begin, size));

export const pad1d = (x: TensorInput, paddings: [number, number], constantValue = 0): Tensor => ofRank('pad1d', 1, x, (t) => pad(t, [paddings], constantValue));
export const pad2d = (x: TensorInput, paddings: [[number, number], [number, number]], constantValue = 0): Tensor => ofRank('pad2d', 2, x, (t) => pad(t, paddings, constantValue));
export const pad3d = (x: TensorInput, paddings: [[number, number], [number, number], [number, number]], constantValue = 0): Tensor =>
  ofRank('pad3d', 3, x, (t) => pad(t, paddings, constantValue));
export const pad4d = (x: TensorInput, paddings: [[number, number], [number, number], [number, number], [number, number]], constantValue = 0): Tensor =>
  ofRank('pad4d', 4, x, (t) => pad(t, paddings, constantValue));

export const reverse1d = (x: TensorInput): Tensor => ofRank('reverse1d', 1, x, (t) => reverse(t));
export const reverse2d = (x: TensorInput, axis?: number | number[]): Tensor => ofRank('reverse2d', 2, x, (t) => reverse(t, axis));
export const reverse3d = (x: TensorInput, axis?: number | number[]): Tensor => ofRank('reverse3d', 3, x, (t) => reverse(t, axis));
export const reverse4d = (x: TensorInput, axis?: number | number[]): Tensor => ofRank('reverse4d', 4, x, (t) => reverse(t, axis));

/** min(max(x, 0), 6) (its gradient: 1 inside (0, 6), else 0; clipByValue's). */
export function relu6(x: TensorInput): Tensor {
  return clipByValue(x, 0, 6);
}

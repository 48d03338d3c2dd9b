// nn.math (TF.js tf.math): confusionMatrix, the count table a classifier's evaluation prints
// (tfjs-vis draws it). A namespace module, so an app that does not call it does not ship it.
//
// One difference from TF.js on purpose: TF.js one-hot encodes the classes, so a label or a
// prediction outside 0..numClasses-1 (or a fraction, cut to an integer) silently drops out of
// the table and its counts no longer add up to the number of samples; here it is an error that
// names the sample.
import { describe } from '../describe';
import { limits } from '../limits';
import type { Tensor, TensorInput } from '../tensor';
import { fail, makeTensor, release, shapeText, toTensor } from './util';

/**
 * The numClasses × numClasses int32 matrix whose [i, j] counts the samples labelled i and
 * predicted j. `labels` and `predictions` are 1-D tensors of class indices of the same length.
 */
export function confusionMatrix(labels: TensorInput, predictions: TensorInput, numClasses: number): Tensor {
  const op = 'math.confusionMatrix';
  const converted: Tensor[] = [];
  try {
    const truth = toTensor(labels, 'labels', op, converted);
    const guess = toTensor(predictions, 'predictions', op, converted);
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1 || numClasses > 2 ** 15) {
      fail(op, `numClasses must be an integer in [1, 32768], got ${describe(numClasses)}`);
    }
    for (const [name, t] of [['labels', truth], ['predictions', guess]] as const) {
      if (t.rank !== 1) fail(op, `${name} must be a 1-D tensor of class indices, got shape ${shapeText(t.shape)}`);
      if (t.dtype === 'bool') fail(op, `${name} must hold class indices (int32 or float32), got a bool tensor`);
    }
    if (truth.size !== guess.size) fail(op, `labels has ${truth.size} samples and predictions ${guess.size}; they must have the same number`);
    if (truth.size > limits.batchSize) fail(op, `at most 2^28 samples, got ${truth.size}`);
    const counts = new Int32Array(numClasses * numClasses);
    const l = truth.raw();
    const p = guess.raw();
    const classOf = (name: string, v: number, i: number): number => {
      if (!Number.isInteger(v) || v < 0 || v >= numClasses) fail(op, `${name}[${i}] is ${describe(v)}; a class index must be an integer in 0..${numClasses - 1}`);
      return v;
    };
    for (let i = 0; i < l.length; i++) counts[classOf('labels', l[i], i) * numClasses + classOf('predictions', p[i], i)]++;
    return makeTensor(counts, [numClasses, numClasses], 'int32');
  } finally {
    release(converted);
  }
}

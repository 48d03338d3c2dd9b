// nn.customGrad against TF.js 4.22's tf.customGrad: the same programs (TF.js's own doc example,
// a straight-through estimator, a two-input op, inside optimizer.minimize) give the same values
// and gradients; f's own ops are not differentiated; bad gradFuncs say what is wrong.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});
afterAll(() => expect(nn.memory().numTensors).toBe(0));

const programs: Record<string, (L: Lib) => number[][]> = {
  "TF.js's example: x² with the gradient dy·|x|": (L) => {
    const op = L.customGrad((x: Lib, save: Lib) => {
      save([x]);
      return { value: x.square(), gradFunc: (dy: Lib, saved: Lib[]) => [dy.mul(saved[0].abs())] };
    });
    const x = L.tensor1d([-1, -2, 3]);
    return [Array.from(op(x).dataSync()), Array.from(L.grad((t: Lib) => op(t))(x).dataSync())];
  },
  'straight-through rounding (the gradient passes as if identity)': (L) => {
    const roundSt = L.customGrad((x: Lib) => ({ value: L.round(x), gradFunc: (dy: Lib) => dy }));
    const x = L.tensor1d([0.2, 1.7, -0.6]);
    const g = L.grad((t: Lib) => roundSt(t).mul(L.tensor1d([1, 2, 3])).sum())(x);
    return [Array.from(roundSt(x).dataSync()), Array.from(g.dataSync())];
  },
  'two inputs, gradients by their own rule': (L) => {
    const op = L.customGrad((a: Lib, b: Lib, save: Lib) => {
      save([a, b]);
      return { value: a.mul(b).add(a), gradFunc: (dy: Lib, [sa, sb]: Lib[]) => [dy.mul(sb).mul(2), dy.mul(sa).mul(3)] };
    });
    const a = L.tensor2d([[1, 2], [3, 4]]), b = L.tensor2d([[0.5, -1], [2, 0]]);
    const [ga, gb] = L.grads((x: Lib, y: Lib) => op(x, y).sum())([a, b]);
    return [Array.from(op(a, b).dataSync()), Array.from(ga.dataSync()), Array.from(gb.dataSync())];
  },
  'inside optimizer.minimize': (L) => {
    const clipGrad = L.customGrad((x: Lib) => ({ value: L.mul(x, 1), gradFunc: (dy: Lib) => L.clipByValue(dy, -0.1, 0.1) }));
    const w = L.variable(L.tensor1d([2, -3]), true, 'cg-w');
    const opt = L.train.sgd(1);
    for (let i = 0; i < 3; i++) opt.minimize(() => L.sum(L.square(clipGrad(w))));
    const out = Array.from(w.dataSync()) as number[];
    w.dispose();
    return [out];
  },
};

describe('customGrad gives what TF.js gives', () => {
  for (const [name, program] of Object.entries(programs)) {
    test(name, () => {
      const ours = nn.tidy(() => program(nn));
      const theirs = tf.tidy(() => program(tf));
      expect(ours.length).toBe(theirs.length);
      ours.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(theirs[i][j], 6)));
    });
  }
});

test('bad input says what is wrong', () => {
  nn.tidy(() => {
    const x = nn.tensor1d([1, 2]);
    const wrongCount = nn.customGrad((t) => ({ value: (t as nn.Tensor).square(), gradFunc: (dy) => [dy, dy] }));
    expect(() => nn.grad((t) => wrongCount(t))(x)).toThrow(/customGrad\(\): gradFunc returned 2 gradient\(s\) for 1 input\(s\); it must return one per input/);
    const wrongShape = nn.customGrad((t) => ({ value: (t as nn.Tensor).square(), gradFunc: () => [nn.zeros([3])] }));
    expect(() => nn.grad((t) => wrongShape(t))(x)).toThrow(/customGrad\(\): gradFunc's gradient 0 must be a Tensor of the input's shape \[2\], got \[3\]/);
    const noValue = nn.customGrad(() => ({}) as nn.CustomGradResult);
    expect(() => noValue(x)).toThrow(/customGrad\(\): the function must return \{value: Tensor, gradFunc/);
    expect(() => nn.customGrad((t) => ({ value: t as nn.Tensor, gradFunc: (dy) => dy }))(3 as unknown as nn.Tensor)).toThrow(/customGrad\(\): the function's arguments must all be Tensors; argument 0 is 3/);
  });
});

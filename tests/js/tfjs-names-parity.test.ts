// Parity with TF.js 4.22 (cpu backend) for the names TF.js users type (issue 10): each new
// activation in a dense layer, forward (predict) and backward (one SGD step on mean squared
// error: the updated weights are W − lr·∂L/∂W, so they agree only if the gradients do). The
// TF.js side is written out with its own ops and tf.variableGrads, applying the activation
// through tf.layers.activation (TF.js's own definition), or tf.exp for Keras's 'exponential',
// which TF.js's layers lack.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { beforeAll, describe, expect, test } from 'vitest';
import { xorshift } from './helpers';

const N = 6, IN = 3, UNITS = 4, LR = 0.1;

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) {
      throw new Error(`index ${i}: ${a[i]} vs ${b[i]} (|diff| ${Math.abs(a[i] - b[i])})`);
    }
  }
}

function tfActivation(name: string): (z: tf.Tensor) => tf.Tensor {
  if (name === 'exponential') return (z) => tf.exp(z);
  const layer = tf.layers.activation({ activation: name as 'relu' });
  return (z) => layer.apply(z) as tf.Tensor;
}

describe.each(['softplus', 'softsign', 'selu', 'relu6', 'swish', 'gelu', 'mish', 'exponential'])('activation %s', (name) => {
  test('predict and one SGD step equal TF.js', async () => {
    const rand = xorshift(7);
    // Inputs and weights wide enough to cross relu6's 6 and selu's 0.
    const x = Float32Array.from({ length: N * IN }, () => (rand() * 2 - 1) * 3);
    const y = Float32Array.from({ length: N * UNITS }, () => rand() * 2 - 1);
    const w = Float32Array.from({ length: IN * UNITS }, () => (rand() * 2 - 1) * 1.5);
    const b = Float32Array.from({ length: UNITS }, () => rand() - 0.5);

    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [IN], units: UNITS, activation: name as nn.Activation })], seed: 1 });
    model.setWeights([nn.tensor(w, [IN, UNITS]), nn.tensor(b, [UNITS])]);
    const xs = nn.tensor(x, [N, IN]), ys = nn.tensor(y, [N, UNITS]);
    const before = (model.predict(xs) as nn.Tensor).dataSync();
    model.compile({ optimizer: nn.train.sgd(LR), loss: 'meanSquaredError' });
    await model.fit(xs, ys, { epochs: 1, batchSize: N, shuffle: false });
    const [w1, b1] = model.getWeights().map((t) => t.dataSync());

    const act = tfActivation(name);
    const W = tf.variable(tf.tensor2d(w, [IN, UNITS])), B = tf.variable(tf.tensor1d(b));
    const X = tf.tensor2d(x, [N, IN]), Y = tf.tensor2d(y, [N, UNITS]);
    const expected = act(tf.add(tf.matMul(X, W), B)).dataSync();
    const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(Y, act(tf.add(tf.matMul(X, W), B))) as tf.Scalar, [W, B]);
    const gw = grads[W.name].dataSync(), gb = grads[B.name].dataSync();

    close(before, expected, 1e-5, 1e-6);
    close(w1, w.map((v, i) => v - LR * gw[i]), 1e-5, 1e-6);
    close(b1, b.map((v, i) => v - LR * gb[i]), 1e-5, 1e-6);
    model.dispose();
    tf.dispose([W, B, X, Y]);
  });
});

/** Mean, standard deviation and largest |value| of a layer's kernel. */
function stats(v: ArrayLike<number>): { mean: number; std: number; max: number } {
  let s = 0, s2 = 0, max = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    s2 += v[i] * v[i];
    max = Math.max(max, Math.abs(v[i]));
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), max };
}

describe('initializers', () => {
  // A [300, 200] kernel: 60000 draws put the sample std within about 1% of the true one.
  const FAN_IN = 300, UNITS = 200;
  const kernelOf = (init: unknown, lib: 'nn' | 'tf'): Float32Array => {
    if (lib === 'nn') {
      const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [FAN_IN], units: UNITS, kernelInitializer: init as nn.KernelInitializer })], seed: 3 });
      const k = m.getWeights()[0].dataSync() as Float32Array;
      m.dispose();
      return k;
    }
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [FAN_IN], units: UNITS, kernelInitializer: init as 'glorotUniform' })] });
    const k = m.getWeights()[0].dataSync() as Float32Array;
    m.dispose();
    return k;
  };
  test.each(['heUniform', 'glorotNormal', 'leCunNormal', 'leCunUniform', 'varianceScaling', 'randomNormal', 'randomUniform', 'truncatedNormal'])(
    "'%s' draws TF.js's distribution",
    (name) => {
      const ours = stats(kernelOf(name, 'nn')), theirs = stats(kernelOf(name, 'tf'));
      expect(Math.abs(ours.mean)).toBeLessThan(0.05 * theirs.std);
      expect(ours.std / theirs.std).toBeGreaterThan(0.97);
      expect(ours.std / theirs.std).toBeLessThan(1.03);
      // Same support: truncated at 2σ / bounded by the uniform's limit (randomNormal's is not
      // bounded, and TF.js's draws are unseeded, so its largest value varies from run to run).
      if (name !== 'randomNormal') {
        expect(ours.max).toBeLessThanOrEqual(theirs.max * 1.02 + 1e-6);
        expect(ours.max).toBeGreaterThan(theirs.max * 0.9);
      }
    },
  );
  test('the object form (tf.initializers.varianceScaling({...})) names the same rows', () => {
    const he = nn.initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' });
    expect(he.getClassName()).toBe('heUniform');
    expect(stats(kernelOf(he, 'nn'))).toEqual(stats(kernelOf('heUniform', 'nn')));
    expect(nn.initializers.varianceScaling().getClassName()).toBe('varianceScaling');
    expect(() => nn.initializers.varianceScaling({ scale: 3 })).toThrow(/initializers\.varianceScaling\(\): \{scale: 3, mode: 'fanIn', distribution: 'normal'\} is not supported yet; supported: /);
    expect(() => nn.initializers.randomNormal({ stddev: 1 })).toThrow(/stddev 1 is not supported yet; the engine's randomNormal uses stddev 0\.05/);
    expect(() => nn.initializers.heUniform({ sed: 1 } as unknown as { seed: number })).toThrow(/unknown option "sed"; allowed: seed/);
  });
  test("'identity' is the identity matrix and refuses a non-square kernel", () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 3, kernelInitializer: 'identity' })], seed: 1 });
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    m.dispose();
    const bad = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 2, kernelInitializer: 'identity' })], seed: 1 });
    expect(() => bad.getWeights()).toThrow(/identity initializer needs a square 2-D kernel/);
    bad.dispose();
  });
});

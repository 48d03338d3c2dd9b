// TrainingSession.inputGradients on the built wasm: d(one output unit) / d(every input value) for
// chosen samples, its shape, agreement with central differences of the library's own
// predictions (model.predict through the Layers API), the per-step magnitudes the Sequences
// page draws, and that asking changes nothing training reads.
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';

beforeAll(async () => {
  await nn.ready();
});

const STEPS = 7;
const FEATURES = 2;

function randomInputs(n: number, seed: number): Float32Array {
  const x = new Float32Array(n * STEPS * FEATURES);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s / 2147483648) * 2 - 1;
  }
  return x;
}

for (const cell of ['lstm', 'gru', 'simpleRNN'] as const) {
  test(`${cell}: input gradients have the input's shape and match finite differences of predict()`, () => {
    const layer = nn.layers[cell]({ units: 5, inputShape: [STEPS, FEATURES], ...(cell === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' }) });
    const model = nn.sequential({ layers: [layer, nn.layers.dense({ units: 3, activation: 'softmax' })] });
    try {
      const session = model.trainingSession();
      const x = randomInputs(3, 11);
      const xSize = STEPS * FEATURES;
      const id = session.loadDataset({ x, y: null, n: 3, xSize, ySize: 0 });
      const unit = 2;
      const [g] = session.inputGradients(id, [2, 0], unit);
      expect(g.length).toBe(2 * xSize);
      const [alone] = session.inputGradients(id, 0, unit);
      // The same numbers as the sample alone (to rounding: a batch of 2 runs other GEMM blocks).
      for (let i = 0; i < xSize; i++) expect(Math.abs(g[xSize + i] - alone[i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(alone[i]));

      // Central differences of sample 2's output unit, through the public predict().
      const predictUnit = (values: Float32Array): number => {
        const input = nn.tensor(values, [1, STEPS, FEATURES]);
        const out = model.predict(input) as nn.Tensor;
        const v = out.dataSync()[unit];
        input.dispose();
        out.dispose();
        return v;
      };
      const sample = x.slice(2 * xSize, 3 * xSize);
      const h = 1e-2;
      for (let i = 0; i < xSize; i++) {
        const plus = sample.slice();
        const minus = sample.slice();
        plus[i] = Math.fround(sample[i] + h);
        minus[i] = Math.fround(sample[i] - h);
        const numeric = (predictUnit(plus) - predictUnit(minus)) / (plus[i] - minus[i]);
        expect(Math.abs(g[i] - numeric)).toBeLessThanOrEqual(3e-4 + 3e-2 * Math.abs(numeric));
      }
      const magnitudes = nn.stepMagnitudes(g.subarray(0, xSize), STEPS, FEATURES);
      expect(magnitudes.length).toBe(STEPS);
      for (let t = 0; t < STEPS; t++) expect(magnitudes[t]).toBeCloseTo(Math.abs(g[2 * t]) + Math.abs(g[2 * t + 1]), 6);
      expect(magnitudes[0]).toBeGreaterThan(0);
      session.freeDataset(id);
    } finally {
      model.dispose();
    }
  });
}

test('asking for input gradients between training steps leaves the next steps bit for bit', () => {
  const spec = JSON.stringify({ inputShape: [STEPS, FEATURES], seed: 3, layers: [{ type: 'gru', units: 4 }, { type: 'dense', units: 1, activation: 'sigmoid' }] });
  const compile = JSON.stringify({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'binaryCrossentropy' });
  const n = 16;
  const x = randomInputs(n, 5);
  const y = Float32Array.from({ length: n }, (_, i) => i % 2);
  const run = (ask: boolean) => {
    const s = nn.trainingSession(spec, compile);
    const id = s.loadDataset({ x, y, n, xSize: STEPS * FEATURES, ySize: 1 });
    s.trainSteps(id, 3, 4, true);
    if (ask) s.inputGradients(id, [1, 9], 0);
    const logs = s.trainSteps(id, 3, 4, true);
    const weights = s.weights().values;
    s.dispose();
    return { logs, weights };
  };
  const plain = run(false);
  const asked = run(true);
  expect(asked.logs).toEqual(plain.logs);
  expect(Buffer.from(asked.weights.buffer).equals(Buffer.from(plain.weights.buffer))).toBe(true);
});

test('bad requests are SessionErrors naming what is allowed', () => {
  const s = nn.trainingSession(JSON.stringify({ inputShape: [3, 1], seed: 1, layers: [{ type: 'lstm', units: 2 }, { type: 'dense', units: 2 }] }));
  try {
    const id = s.loadDataset({ x: new Float32Array(6), y: null, n: 2, xSize: 3, ySize: 0 });
    expect(() => s.inputGradients(id, 5, 0)).toThrow(/no sample 5 .*0\.\.1/);
    expect(() => s.inputGradients(id, 0, 2)).toThrow(/no unit 2/);
    expect(() => s.inputGradients(id, -1, 0)).toThrow(/row indices/);
    expect(() => s.inputGradients(id, 0, 0.5)).toThrow(/unit must be an integer/);
  } finally {
    s.dispose();
  }
});

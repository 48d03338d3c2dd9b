// The facade's calls for graphs of several inputs and outputs (compile v2, MultiData,
// predictMulti, Keras log names) and the learning-rate schedule, through the built wasm.
import { beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import createNnplayModule from '../../build/wasm/nnplay.mjs';
import type { NnplayModule, NnplayModuleFactory, WasmMultiData } from '../../web/lib/engine-module';

let mod: NnplayModule;

beforeAll(async () => {
  const wasmBinary = readFileSync(new URL('../../build/wasm/nnplay.wasm', import.meta.url));
  mod = await (createNnplayModule as unknown as NnplayModuleFactory)({ wasmBinary });
});

const SPEC = JSON.stringify({
  format: 'nnplay-graph',
  seed: 3,
  layers: [
    { name: 'a', type: 'input', config: { shape: [3] } },
    { name: 'b', type: 'input', config: { shape: [2] } },
    { name: 'cat', type: 'concatenate', inbound: [['a', 'b']] },
    { name: 'bn', type: 'batchNormalization', inbound: [['cat']] },
    { name: 'h', type: 'dense', config: { units: 4, activation: 'tanh' }, inbound: [['bn']] },
    { name: 'drop', type: 'dropout', config: { rate: 0.2 }, inbound: [['h']] },
    { name: 'reg', type: 'dense', config: { units: 2 }, inbound: [['drop']] },
    { name: 'cls', type: 'dense', config: { units: 1, activation: 'sigmoid' }, inbound: [['drop']] },
  ],
  inputs: ['a', 'b'],
  outputs: ['reg', 'cls'],
});

function fill(data: WasmMultiData, n: number): void {
  expect(data.allocateX(0, n, 3)).toBe('');
  expect(data.allocateX(1, n, 2)).toBe('');
  expect(data.allocateY(0, n, 2)).toBe('');
  expect(data.allocateY(1, n, 1)).toBe('');
  const a = new Float32Array(mod.HEAPF32.buffer, data.xPtr(0), n * 3);
  const b = new Float32Array(mod.HEAPF32.buffer, data.xPtr(1), n * 2);
  const r = new Float32Array(mod.HEAPF32.buffer, data.yPtr(0), n * 2);
  const c = new Float32Array(mod.HEAPF32.buffer, data.yPtr(1), n);
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < 3; ++j) a[i * 3 + j] = Math.sin(i * 3 + j);
    for (let j = 0; j < 2; ++j) b[i * 2 + j] = Math.cos(i + j);
    r[i * 2] = a[i * 3];
    r[i * 2 + 1] = b[i * 2];
    c[i] = a[i * 3 + 1] > 0 ? 1 : 0;
  }
}

test('two inputs, two outputs: compile v2, train, evaluate and predict through MultiData', () => {
  const model = new mod.Model();
  const data = new mod.MultiData();
  try {
    expect(model.build(SPEC)).toBe('');
    expect(model.numInputs()).toBe(2);
    expect(model.numOutputs()).toBe(2);
    expect(JSON.parse(model.outputNamesJson())).toEqual(['reg', 'cls']);
    expect(model.outputShapeJson(0)).toBe('[2]');
    const compile = {
      optimizer: { name: 'sgd', learningRate: { schedule: 'stepDecay', initialLearningRate: 0.1, stepSize: 2, gamma: 0.5 } },
      loss: { reg: 'mse', cls: 'binaryCrossentropy' },
      lossWeights: [1, 0.5],
      metrics: { cls: ['accuracy'] },
    };
    expect(model.compile(JSON.stringify(compile))).toBe('');
    const n = 16;
    fill(data, n);
    expect(model.learningRate()).toBeCloseTo(0.1, 7);
    expect(model.trainStepsMulti(data, 4, 8, true)).toBe('');
    expect(model.learningRate()).toBeCloseTo(0.025, 7);
    const logs = JSON.parse(model.logsJson());
    expect(Object.keys(logs)).toEqual(['loss', 'reg_loss', 'cls_loss', 'cls_acc']);
    expect(model.evaluateMulti(data, 5)).toBe('');
    const ev = JSON.parse(model.logsJson());
    expect(ev.loss).toBeCloseTo(ev.reg_loss + 0.5 * ev.cls_loss, 6);
    expect(model.predictMulti(data)).toBe('');
    const cls = new Float32Array(mod.HEAPF32.buffer, model.outputPtr(1), n);
    for (const p of cls) expect(p > 0 && p < 1).toBe(true);
    // Wrong data is an Error message, not a crash.
    expect(model.fitEpoch(new mod.Dataset(), 4, false)).not.toBe('');
    const short = new mod.MultiData();
    expect(short.allocateX(0, n, 3)).toBe('');
    expect(model.evaluateMulti(short, 4)).toMatch(/2 inputs but 1 x tensor was given/);
    short.delete();
    expect(model.compile(JSON.stringify({ loss: ['mse'] }))).toMatch(/lists 1 losses but the model has 2 outputs/);
  } finally {
    data.delete();
    model.delete();
  }
});

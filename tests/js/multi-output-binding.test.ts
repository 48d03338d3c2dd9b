// The session's calls for graphs of several inputs and outputs (compile v2, a dataset of one x
// per input and one y per output, Keras log names, predicting every output) and the
// learning-rate schedule, through the built wasm's one bound model class (Session).
import { beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import createNnplayModule from '../../build/wasm/nnplay.mjs';
import type { NnplayModule, NnplayModuleFactory, WasmSession } from '../../web/lib/engine-module';

let mod: NnplayModule;

beforeAll(async () => {
  const wasmBinary = readFileSync(new URL('../../build/wasm/nnplay.wasm', import.meta.url));
  mod = await (createNnplayModule as unknown as NnplayModuleFactory)({ wasmBinary });
  // The spec's batchNormalization is in the engine's second part.
  await mod.nnplayLoadExtra?.(readFileSync(new URL('../../build/wasm/nnplay-extra.wasm', import.meta.url)));
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

/** A sealed dataset of n samples: x a [n, 3], b [n, 2]; y reg [n, 2], cls [n, 1]. */
function load(session: WasmSession, n: number): number {
  expect(session.reserveDataset(n, '3,2', '2,1')).toBe('');
  const id = session.lastDatasetId();
  const a = new Float32Array(mod.HEAPF32.buffer, session.datasetXPtr(id, 0), n * 3);
  const b = new Float32Array(mod.HEAPF32.buffer, session.datasetXPtr(id, 1), n * 2);
  const r = new Float32Array(mod.HEAPF32.buffer, session.datasetYPtr(id, 0), n * 2);
  const c = new Float32Array(mod.HEAPF32.buffer, session.datasetYPtr(id, 1), n);
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < 3; ++j) a[i * 3 + j] = Math.sin(i * 3 + j);
    for (let j = 0; j < 2; ++j) b[i * 2 + j] = Math.cos(i + j);
    r[i * 2] = a[i * 3];
    r[i * 2 + 1] = b[i * 2];
    c[i] = a[i * 3 + 1] > 0 ? 1 : 0;
  }
  expect(session.sealDataset(id)).toBe('');
  return id;
}

test('two inputs, two outputs: compile v2, train, evaluate and predict through session datasets', () => {
  const session = new mod.Session();
  try {
    expect(session.build(SPEC)).toBe('');
    expect(session.numInputs()).toBe(2);
    expect(session.numOutputs()).toBe(2);
    const d = JSON.parse(session.describeJson());
    expect(d.inputSizes).toEqual([3, 2]);
    expect(d.outputSizes).toEqual([2, 1]);
    expect(d.outputNodes.map((i: number) => d.nodes[i].name)).toEqual(['reg', 'cls']);
    const compile = {
      optimizer: { name: 'sgd', learningRate: { schedule: 'stepDecay', initialLearningRate: 0.1, stepSize: 2, gamma: 0.5 } },
      loss: { reg: 'mse', cls: 'binaryCrossentropy' },
      lossWeights: [1, 0.5],
      metrics: { cls: ['accuracy'] },
    };
    expect(session.compile(JSON.stringify(compile))).toBe('');
    const n = 16;
    const id = load(session, n);
    expect(session.learningRate()).toBeCloseTo(0.1, 7);
    expect(session.trainSteps(id, 4, 8, true)).toBe('');
    expect(session.learningRate()).toBeCloseTo(0.025, 7);
    const logs = JSON.parse(session.logsJson());
    expect(Object.keys(logs)).toEqual(['loss', 'reg_loss', 'cls_loss', 'cls_acc']);
    expect(session.evaluate(id, 5)).toBe('');
    const ev = JSON.parse(session.logsJson());
    expect(ev.loss).toBeCloseTo(ev.reg_loss + 0.5 * ev.cls_loss, 6);
    expect(session.predictOutput(id)).toBe('');
    const cls = new Float32Array(mod.HEAPF32.buffer, session.predictionPtr(1), n);
    for (const p of cls) expect(p > 0 && p < 1).toBe(true);
    // Wrong data is a structured error, not a crash.
    expect(JSON.parse(session.reserveDataset(n, '3', '2,1')).message).toMatch(/the model has 2 inputs but 1 x tensor was given/);
    expect(JSON.parse(session.reserveDataset(n, '3,2', '2')).message).toMatch(/the model has 2 outputs but 1 y tensor was given/);
    expect(JSON.parse(session.reserveDataset(n, '3,x', '')).message).toMatch(/xSizes must be integers >= 0 separated by commas/);
    expect(session.datasetXPtr(id, 2)).toBe(0);
    // Non-finite data names its tensor.
    expect(session.reserveDataset(2, '3,2', '2,1')).toBe('');
    const bad = session.lastDatasetId();
    mod.HEAPF32[(session.datasetYPtr(bad, 1) >>> 2) + 1] = NaN;
    const err = JSON.parse(session.sealDataset(bad));
    expect(err).toMatchObject({ kind: 'invalid', field: 'y', tensor: 1, index: 1 });
    expect(err.message).toMatch(/dataset y\[1\] holds NaN at sample 1, column 0/);
    expect(session.compile(JSON.stringify({ loss: ['mse'] }))).toMatch(/lists 1 losses but the model has 2 outputs/);
  } finally {
    session.delete();
  }
});

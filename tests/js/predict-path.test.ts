// predict()'s fast path: the rows go into the session's reused input buffer, the finite check
// runs in wasm on them (one SIMD scan) and the engine copies only the final output
// (Session.predictInput). These pin what that path must keep: the exact index/sample/feature
// of the first bad value wherever it sits (inside a SIMD block, in a tail, with a later bad
// value present), no wasm object left behind when predict() rejects its input, and outputs
// equal to the dataset path's predict of every layer (what the playground draws).
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import createNnplayModule from '../../build/wasm/nnplay.mjs';
import type { NnplayModule, NnplayModuleFactory } from '../../web/lib/engine-module';

// A second instance of the engine, driven through the raw facade as the playground does.
let mod: NnplayModule;

beforeAll(async () => {
  await nn.ready();
  const wasmBinary = readFileSync(new URL('../../build/wasm/nnplay.wasm', import.meta.url));
  mod = await (createNnplayModule as unknown as NnplayModuleFactory)({ wasmBinary });
  // A raw engine has no loader to fetch its second module on demand (the library's has): load it,
  // since the layers of the loop below include the second module's.
  await mod.nnplayLoadExtra?.(readFileSync(new URL('../../build/wasm/nnplay-extra.wasm', import.meta.url)));
});

const FEATURES = 37; // not a multiple of any vector width: bad values land in tails too

function model(): nn.Sequential {
  return nn.sequential({
    layers: [
      nn.layers.dense({ inputShape: [FEATURES], units: 9, activation: 'relu' }),
      nn.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    seed: 3,
  });
}

function inputs(n: number): Float32Array {
  const x = new Float32Array(n * FEATURES);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 2;
  return x;
}

test('names the first non-finite input exactly, wherever it is, and frees its copy', () => {
  const m = model();
  m.predict(nn.tensor(inputs(1), [1, FEATURES])).dispose(); // build the model first
  const before = nn.memory();
  const n = 20;
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const index of [0, 5, 16, 63, 64, 65, 300, n * FEATURES - 1]) {
      const x = inputs(n);
      x[index] = bad;
      if (index + 2 < x.length) x[index + 2] = NaN; // a later bad value is not the one named
      const t = nn.tensor(x, [n, FEATURES]);
      const sample = Math.floor(index / FEATURES);
      const feature = index % FEATURES;
      expect(() => m.predict(t)).toThrow(
        `nnplay: predict(): xs contains ${bad} at index ${index} (sample ${sample}, feature ${feature}); data must be finite numbers`,
      );
      t.dispose();
    }
  }
  const after = nn.memory();
  expect(after.liveWasmObjects).toBe(before.liveWasmObjects);
  expect(after.numTensors).toBe(before.numTensors);
  m.dispose();
});

test('equals the dataset predict() of every layer, for 0, 1, 32 and 2,000 rows', () => {
  const m = model();
  for (const n of [0, 1, 32, 2000]) {
    const x = inputs(n);
    const t = nn.tensor(x, [n, FEATURES]);
    const fast = m.predict(t);
    // Same weights through a second engine's session: a dataset, and both layers predicted.
    const ref = new mod.Session();
    try {
      expect(ref.build(JSON.stringify(SPEC))).toBe('');
      const weights = m.getWeights();
      let at = ref.weightsBufferPtr() >>> 2;
      for (const w of weights) {
        mod.HEAPF32.set(w.values(), at);
        at += w.size;
      }
      for (const w of weights) w.dispose();
      expect(ref.writeWeights()).toBe('');
      expect(ref.reserveDataset(n, String(FEATURES), '')).toBe('');
      const id = ref.lastDatasetId();
      mod.HEAPF32.set(x, ref.datasetXPtr(id, 0) >>> 2);
      expect(ref.sealDataset(id)).toBe('');
      expect(ref.predict(id, '0,1')).toBe('');
      const start = ref.predictionPtr(1) >>> 2;
      expect(Array.from(fast.values())).toEqual(Array.from(mod.HEAPF32.subarray(start, start + n * 3)));
      if (n > 0) expect(ref.predictionPtr(0)).not.toBe(0);
      // predictOutput predicts the output only.
      expect(ref.predictOutput(id)).toBe('');
      expect(ref.predictionPtr(1)).toBe(0);
      expect(Array.from(mod.HEAPF32.subarray(ref.predictionPtr(0) >>> 2, (ref.predictionPtr(0) >>> 2) + n * 3))).toEqual(Array.from(fast.values()));
    } finally {
      ref.delete();
    }
    fast.dispose();
    t.dispose();
  }
  m.dispose();
});

// The engine spec of model()'s layers (its weights are copied over, so the seed is moot).
const SPEC = {
  inputShape: [FEATURES],
  seed: 1,
  layers: [
    { type: 'dense', units: 9, activation: 'relu' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};

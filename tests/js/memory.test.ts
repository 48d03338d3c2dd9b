// Ownership: 1,000 create/compile/fit/predict/evaluate/dispose cycles leave no live handles,
// no live tensors or models, and a wasm heap that stops growing.
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';
import { blobs } from './helpers';

beforeAll(async () => {
  await nn.ready();
});

async function cycle(x: Float32Array, y: Float32Array, seed: number): Promise<void> {
  const model = nn.sequential({
    layers: [
      nn.layers.dense({ inputShape: [2], units: 16, activation: 'relu' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    seed,
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const xs = nn.tensor(x, [x.length / 2, 2]);
  const ys = nn.tensor(y, [y.length, 1]);
  await model.fit(xs, ys, { epochs: 1, batchSize: 250, validationSplit: 0.2 });
  const p = model.predict(xs);
  const ev = model.evaluate(xs, ys) as nn.Tensor[];
  const ws = model.getWeights();
  model.setWeights(ws);
  for (const t of [p, ...ev, ...ws, xs, ys]) t.dispose();
  model.dispose();
}

test('1,000 cycles free every wasm object and the heap stays flat', async () => {
  // 2,000 samples: each cycle copies ~100 KB into wasm, so leaking any of it 900 times
  // would outgrow the 16 MB initial memory and show as heap growth.
  const { x, y } = blobs(2000, 1);
  const start = nn.memory();
  let heapAt100 = 0;
  for (let i = 1; i <= 1000; i++) {
    await cycle(x, y, i);
    if (i === 100) heapAt100 = nn.memory().wasmHeapBytes;
    if (i % 250 === 0) {
      const m = nn.memory();
      expect(m.liveWasmObjects, `after cycle ${i}`).toBe(start.liveWasmObjects);
    }
  }
  const end = nn.memory();
  expect(end.liveWasmObjects).toBe(0);
  expect(end.numModels).toBe(0);
  expect(end.numTensors).toBe(0);
  expect(heapAt100).toBeGreaterThan(0);
  expect(end.wasmHeapBytes).toBe(heapAt100);
});

test('a model that was never built or compiled owns nothing in wasm', () => {
  const before = nn.memory().liveWasmObjects;
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
  expect(nn.memory().liveWasmObjects).toBe(before);
  const ws = model.getWeights(); // builds it
  expect(nn.memory().liveWasmObjects).toBe(before + 1);
  ws.forEach((w) => w.dispose());
  model.dispose();
  expect(nn.memory().liveWasmObjects).toBe(before);
});

test('repeated fit() calls on the same data leave the wasm heap flat', async () => {
  // 16 MB of x: bigger than any free room the tests before left in the heap, so a second copy
  // of the data (a dataset kept, or a freed one whose room the allocator handed out piecemeal
  // before the next fit() asked for it again) grows the heap by that much.
  const n = 20000;
  const features = 200;
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < features; f++) x[i * features + f] = ((i * 31 + f * 17) % 101) / 101;
    y[i] = i % 2;
  }
  const model = nn.sequential({
    layers: [
      nn.layers.dense({ inputShape: [features], units: 8, activation: 'relu' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    seed: 1,
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const xs = nn.tensor(x, [n, features]);
  const ys = nn.tensor(y, [n, 1]);
  const mb = (bytes: number[]): string => bytes.map((b) => (b / 1e6).toFixed(1)).join(', ') + ' MB';
  // Each call pattern three times: the first call of a pattern may size buffers, the next two
  // must find them. W1's pattern (one epoch per call) first, then with validation data, then
  // with predict and evaluate in between.
  const patterns: Array<() => Promise<void>> = [
    () => model.fit(xs, ys, { epochs: 1, batchSize: 500 }).then(() => undefined),
    () => model.fit(xs, ys, { epochs: 1, batchSize: 500, validationSplit: 0.2 }).then(() => undefined),
    async () => {
      await model.fit(xs, ys, { epochs: 1, batchSize: 500 });
      const p = model.predict(xs);
      const ev = model.evaluate(xs, ys, { batchSize: 1000 }) as nn.Tensor[];
      for (const t of [p, ...ev]) t.dispose();
    },
  ];
  for (const [i, call] of patterns.entries()) {
    const heap: number[] = [];
    for (let r = 0; r < 3; r++) {
      await call();
      heap.push(nn.memory().wasmHeapBytes);
    }
    expect(heap[0]).toBeGreaterThan(n * features * 4);
    expect(heap, `pattern ${i}: heap after each call ${mb(heap)}`).toEqual([heap[0], heap[0], heap[0]]);
  }
  for (const t of [xs, ys]) t.dispose();
  model.dispose();
});

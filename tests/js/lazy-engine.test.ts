// TF.js programs never call tf.ready(): the engine loads on first use. This file must not call
// nn.ready() before its first test (vitest runs each file in a fresh module graph), so the
// program below meets an engine that has not been loaded.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { kerasMnistQuickstart } from './programs/keras-mnist-quickstart';

test('the Keras MNIST quickstart runs unchanged without nn.ready(), as on TF.js', async () => {
  expect(nn.isReady()).toBe(false);
  // Names are checked before the engine loads (its tables are embedded in the bundle).
  expect(nn.engineTables().losses.map((l) => l.name)).toContain('sparseCategoricalCrossentropy');
  expect(nn.isReady()).toBe(false);
  const ours = await kerasMnistQuickstart(nn);
  expect(nn.isReady()).toBe(true);
  await tf.setBackend('cpu');
  const theirs = await kerasMnistQuickstart(tf);
  expect(ours.predictedShape).toEqual([50, 10]);
  expect(theirs.predictedShape).toEqual([50, 10]);
  expect(ours.history).toHaveLength(5);
  // The same outcome: both learn the task.
  expect(ours.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(theirs.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(ours.history[4]).toBeLessThan(ours.history[0]);
});

test('the embedded tables are the built engine\'s', async () => {
  // The build-only tables module (bindings/tables_bindings.cpp), linked from the same engine
  // library as the shipped wasm, which itself has no engineTables() (it is not downloaded).
  const tablesModule = new URL('../../build/wasm/nnplay-tables.mjs', import.meta.url);
  const { default: create } = (await import(tablesModule.href)) as { default: (m: object) => Promise<{ engineTables(): string }> };
  const engine = await create({ wasmBinary: readFileSync(new URL('../../build/wasm/nnplay-tables.wasm', import.meta.url)) });
  expect(nn.engineTables()).toEqual(JSON.parse(engine.engineTables()));
  const glue = new URL('../../build/wasm/nnplay.mjs', import.meta.url);
  const { default: createEngine } = (await import(glue.href)) as { default: (m: object) => Promise<Record<string, unknown>> };
  const shipped = await createEngine({ wasmBinary: readFileSync(new URL('../../build/wasm/nnplay.wasm', import.meta.url)) });
  expect(shipped.engineTables).toBeUndefined();
  expect(typeof shipped.inspectModel).toBe('function');
});

test('nn.ready() still works, and again after the engine is loaded', async () => {
  await expect(nn.ready()).resolves.toBeUndefined();
  await expect(nn.ready()).resolves.toBeUndefined();
});

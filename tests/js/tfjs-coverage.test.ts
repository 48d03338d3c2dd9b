// docs/API.md's table of TF.js names nnplay does not support yet, checked against both
// libraries: it must list exactly the TF.js 4.22 names (exports, namespaces, LayersModel /
// Tensor / Dataset methods, fit / fitDataset / compile / evaluate options) that nnplay lacks, as
// scripts/tfjs-coverage.mjs computes them. Adding a name to nnplay, or a TF.js upgrade, fails
// here until `node scripts/tfjs-coverage.mjs` rewrites the table.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { documentedNames, renderTable, unsupportedNames } from '../../scripts/tfjs-coverage.mjs';

type Row = { name: string; kind: string };

test('every TF.js top-level name is exported by nnplay or listed in the table, and the table lists nothing nnplay has', async () => {
  const rows = (await unsupportedNames(tf, nn)) as Row[];
  const api = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
  const listed = documentedNames(api) as string[];
  const missing = rows.map((r) => r.name);
  expect(listed.filter((n) => !missing.includes(n)), 'listed but supported (or not a TF.js name): regenerate the table').toEqual([]);
  expect(missing.filter((n) => !listed.includes(n)), 'TF.js names neither supported nor listed: regenerate the table').toEqual([]);
  // The table is exactly what the script writes (kinds and "use instead" included).
  expect(api).toContain(renderTable(rows));
  // Spot checks that the comparison is real: these are supported, so never listed ...
  for (const name of ['tf.sequential', 'tf.tidy', 'tf.layers.dense', 'tf.train.adam', 'tf.data.zip', 'tf.setBackend', 'model.fitDataset', 'model.trainOnBatch', 'fit({classWeight})', 'fit({yieldEvery})', 'tensor.argMax', 'dataset.shuffle', 'tf.data.csv', 'tf.sin', 'tf.browser.fromPixels', 'tf.util.createShuffledIndices']) {
    expect(listed).not.toContain(name);
  }
  // ... and these are not (yet), so they are.
  for (const name of ['tf.layers.separableConv2d', 'tf.conv2d', 'tf.data.webcam', 'fit({sampleWeight})', 'tf.loadGraphModel']) expect(listed).toContain(name);
  // Every TF.js top-level function or class is accounted for (kernel-name constants aside).
  const top = Object.keys(tf).filter((k) => !k.startsWith('_') && !(typeof (tf as Record<string, unknown>)[k] === 'string' && (tf as Record<string, unknown>)[k] === k));
  for (const k of top) {
    if (k in nn || ['layers', 'losses', 'metrics', 'train', 'callbacks', 'io', 'data', 'initializers', 'regularizers', 'constraints', 'models', 'util', 'serialization', 'browser', 'image', 'linalg', 'signal', 'spectral', 'sparse', 'string', 'math'].includes(k)) continue;
    expect(listed, `tf.${k}`).toContain(`tf.${k}`);
  }
});

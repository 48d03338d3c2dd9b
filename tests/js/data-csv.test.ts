// nn.data.csv against TF.js 4.22's tf.data.csv on the same files (Node, file:// URLs): the rows,
// header handling, column configs (labels, dtypes, defaults, configuredColumnsOnly), quoted
// fields, delimiters; then the Boston-housing way of training on it (map to {xs, ys}, batch,
// fitDataset), and bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'nnplay-csv-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return pathToFileURL(path).href;
}

const housing = file('housing.csv', 'crim,rm,age,medv\n0.1,6.5,65.2,24\n0.02,7.1,78.9,21.6\n0.03,,61.1,34.7\n0.07,6.4,45.8,33.4\n');
const quoted = file('quoted.csv', 'name,city,score\n"Smith, J","Paris",3\nplain,Oslo,-1\n');
const semi = file('semi.csv', 'a;b\n1;2\n3;4\n');
const spaced = file('spaced.txt', '1   2 3\n4 5  6\n');
const flags = file('flags.csv', 'x,ok\n1.7,true\n-2.2,0\n3.9,1\n');

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});
afterAll(() => expect(nn.memory().numTensors).toBe(0));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
const configs: [string, string, Record<string, unknown>][] = [
  ['header, numbers and an empty field', housing, {}],
  ['a label column', housing, { columnConfigs: { medv: { isLabel: true } } }],
  ['configured columns only, int32 and a default', housing, { columnConfigs: { rm: { default: 6 }, age: { dtype: 'int32' }, medv: { isLabel: true } }, configuredColumnsOnly: true }],
  ['columnNames over the header', housing, { columnNames: ['a', 'b', 'c', 'd'] }],
  ['quoted fields keep their delimiters', quoted, {}],
  ['another delimiter', semi, { delimiter: ';' }],
  ['whitespace-delimited, no header', spaced, { hasHeader: false, columnNames: ['p', 'q', 'r'], delimWhitespace: true }],
  ['bool columns', flags, { columnConfigs: { ok: { dtype: 'bool' }, x: { dtype: 'int32' } } }],
];

describe('nn.data.csv reads what tf.data.csv reads', () => {
  for (const [name, url, config] of configs) {
    test(name, async () => {
      const ours = await (nn.data.csv(url, config as nn.CSVConfig) as Lib).toArray();
      const theirs = await (tf.data.csv(url, config) as Lib).toArray();
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
      expect(await nn.data.csv(url, config as nn.CSVConfig).columnNames()).toEqual(await (tf.data.csv(url, config) as Lib).columnNames());
    });
  }
});

test('beyond tf.data.csv: "" in a quoted field is one quote (RFC 4180; TF.js keeps both), empty lines are skipped (TF.js stops)', async () => {
  const url = file('rfc.csv', 'name,score\n"say ""hi""",1\n\nplain,2\n');
  expect(await nn.data.csv(url).toArray()).toEqual([{ name: 'say "hi"', score: 1 }, { name: 'plain', score: 2 }]);
});

test('the Boston housing way: csv, map to {xs, ys}, batch, fitDataset trains (30 epochs, each a fresh pass over the file)', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i / 40},${(i % 7) / 7},${(2 * i) / 40 + 0.5 * ((i % 7) / 7)}`);
  const url = file('train.csv', `f1,f2,target\n${rows.join('\n')}\n`);
  const ds = nn.data
    .csv(url, { columnConfigs: { target: { isLabel: true } } })
    .map((row) => {
      const { xs, ys } = row as { xs: Record<string, number>; ys: Record<string, number> };
      return { xs: Object.values(xs), ys: Object.values(ys) };
    })
    .batch(8);
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })], seed: 3 });
  model.compile({ optimizer: nn.train.sgd(0.3), loss: 'meanSquaredError' });
  const h = await model.fitDataset(ds, { epochs: 30 });
  const loss = h.history.loss as number[];
  expect(loss.length).toBe(30);
  expect(loss[29]).toBeLessThan(loss[0] / 10);
  model.dispose();
});

test('bad input says what is wrong and what is allowed', async () => {
  await expect(nn.data.csv(housing, { columnConfigs: { price: { isLabel: true } } }).toArray()).rejects.toThrow(
    /data.csv\(\): columnConfigs names "price", which is not a column; the columns are \["crim","rm","age","medv"\]/,
  );
  await expect(nn.data.csv(housing, { columnConfigs: { rm: { required: true } } }).toArray()).rejects.toThrow(/column "rm" is required but empty in the line "0.03,,61.1,34.7"/);
  await expect(nn.data.csv(file('ragged.csv', 'a,b\n1,2\n3\n')).toArray()).rejects.toThrow(/a row must have 2 fields \(one per column\), got 1 in the line "3"/);
  await expect(nn.data.csv(pathToFileURL(join(dir, 'missing.csv')).href).toArray()).rejects.toThrow(/data.csv\(\): cannot read file:.*missing.csv/);
  expect(() => nn.data.csv(housing, { header: true } as unknown as nn.CSVConfig)).toThrow(/unknown option "header"; allowed: hasHeader, columnNames/);
  await expect(nn.data.csv(spaced, { hasHeader: false }).toArray()).rejects.toThrow(/a file without a header \(hasHeader: false\) needs columnNames/);
});

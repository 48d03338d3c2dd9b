// nn.datasets for sequences, as a user loads them in Node: shapes, sizes, value ranges,
// targets recomputed from the inputs, the same bits per seed, the errors bad options get, MNIST
// rows sharing the MNIST tensors, the text set (vocabulary, windows, encode/decode, sampling)
// and the clear Error a corrupt text asset gets.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/lib/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nnplay-seq-datasets-'));
const made: nn.SequenceDataset[] = [];
const keep = <T extends nn.SequenceDataset>(d: T): T => (made.push(d), d);

beforeAll(async () => {
  await nn.ready();
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const d of made) for (const s of [d.train, d.test]) (s.xs.dispose(), s.ys.dispose());
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

function sameBits(a: nn.Tensor, b: nn.Tensor): boolean {
  const x = new Uint32Array(a.values().buffer, a.values().byteOffset, a.size);
  const y = new Uint32Array(b.values().buffer, b.values().byteOffset, b.size);
  return a.shape.join() === b.shape.join() && x.every((v, i) => v === y[i]);
}

describe('generated tasks', () => {
  test('shapes and sizes, defaults and options', () => {
    const s = keep(nn.datasets.sine());
    expect([s.name, s.steps, s.features, s.outputs, s.loss]).toEqual(['sine', 40, 1, 1, 'meanSquaredError']);
    expect(s.train.xs.shape).toEqual([1000, 40, 1]);
    expect(s.train.ys.shape).toEqual([1000, 1]);
    expect(s.test.xs.shape).toEqual([200, 40, 1]);
    expect([s.train.n, s.test.n]).toEqual([1000, 200]);
    const h = keep(nn.datasets.sine({ numTrain: 30, numTest: 0, steps: 16, horizon: 5 }));
    expect(h.train.ys.shape).toEqual([30, 5]);
    expect(h.test.xs.shape).toEqual([0, 16, 1]);
    const m = keep(nn.datasets.sumOfSines({ numTrain: 10, numTest: 5 }));
    expect(m.name).toBe('sumOfSines');
    const a = keep(nn.datasets.adding({ numTrain: 20, numTest: 5, steps: 30 }));
    expect([a.train.xs.shape, a.train.ys.shape, a.loss]).toEqual([[20, 30, 2], [20, 1], 'meanSquaredError']);
    const p = keep(nn.datasets.parity({ numTrain: 20, numTest: 5 }));
    expect([p.train.xs.shape, p.train.ys.shape, p.loss]).toEqual([[20, 12, 1], [20, 1], 'binaryCrossentropy']);
    const c = keep(nn.datasets.counting({ numTrain: 20, numTest: 5, steps: 8 }));
    expect([c.train.xs.shape, c.train.ys.shape, c.outputs, c.loss]).toEqual([[20, 8, 1], [20], 9, 'sparseCategoricalCrossentropy']);
  });

  test('value ranges and targets follow from the inputs', () => {
    const s = keep(nn.datasets.sumOfSines({ numTrain: 300, numTest: 0, waves: 4 }));
    for (const v of [...s.train.xs.values(), ...s.train.ys.values()]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    const a = keep(nn.datasets.adding({ numTrain: 300, numTest: 0, steps: 10 }));
    const x = a.train.xs.values();
    const y = a.train.ys.values();
    for (let i = 0; i < 300; i++) {
      let sum = 0;
      let marks = 0;
      for (let t = 0; t < 10; t++) {
        const v = x[i * 20 + 2 * t];
        expect(v >= 0 && v < 1).toBe(true);
        if (x[i * 20 + 2 * t + 1] === 1) (sum += v, marks++);
      }
      expect(marks).toBe(2);
      expect(y[i]).toBe(Math.fround(sum));
    }
    for (const [make, target] of [
      [nn.datasets.parity, (ones: number) => ones % 2],
      [nn.datasets.counting, (ones: number) => ones],
    ] as const) {
      const d = keep(make({ numTrain: 200, numTest: 0, steps: 7 }));
      const bits = d.train.xs.values();
      const ys = d.train.ys.values();
      for (let i = 0; i < 200; i++) {
        let ones = 0;
        for (let t = 0; t < 7; t++) {
          expect(bits[i * 7 + t] === 0 || bits[i * 7 + t] === 1).toBe(true);
          ones += bits[i * 7 + t];
        }
        expect(ys[i]).toBe(target(ones));
      }
    }
  });

  test('the same seed gives the same bits; another seed other data; test is its own stream', () => {
    for (const make of [nn.datasets.sine, nn.datasets.adding, nn.datasets.parity, nn.datasets.counting]) {
      const a = keep(make({ numTrain: 40, numTest: 10, seed: 11 }));
      const b = keep(make({ numTrain: 40, numTest: 10, seed: 11 }));
      const c = keep(make({ numTrain: 40, numTest: 10, seed: 12 }));
      const more = keep(make({ numTrain: 40, numTest: 30, seed: 11 }));
      expect(sameBits(a.train.xs, b.train.xs) && sameBits(a.train.ys, b.train.ys) && sameBits(a.test.xs, b.test.xs)).toBe(true);
      expect(sameBits(a.train.xs, c.train.xs)).toBe(false);
      expect(sameBits(a.train.xs, more.train.xs)).toBe(true);
    }
    // The bits themselves, pinned: a change to the generator shows up here (and in the
    // engine's tests), not silently in a tutorial's numbers.
    const s = keep(nn.datasets.sine({ numTrain: 1, numTest: 0, steps: 3, seed: 5 }));
    expect(Array.from(s.train.xs.values()).map((v) => v.toFixed(6))).toEqual(['0.767116', '0.301007', '-0.328150']);
  });

  test('bad options get an Error naming the option and what is allowed', () => {
    expect(() => nn.datasets.sine({ steps: 0 })).toThrow(/datasets\.sine\(\): steps must be an integer in \[1, 100000\], got 0/);
    expect(() => nn.datasets.sine({ numTrain: 2.5 })).toThrow(/numTrain must be an integer/);
    expect(() => nn.datasets.adding({ steps: 1 })).toThrow(/adding needs steps in \[2, 100000\]/);
    expect(() => nn.datasets.parity({ waves: 2 } as nn.SequenceTaskOptions)).toThrow(/datasets\.parity\(\): unknown option "waves"; allowed: numTrain, numTest, steps, seed, everyStep/);
    expect(() => nn.datasets.adding({ everyStep: true } as nn.SequenceTaskOptions)).toThrow(/datasets\.adding\(\): unknown option "everyStep"/);
    expect(() => nn.datasets.parity({ everyStep: 1 } as unknown as nn.BitsOptions)).toThrow(/everyStep must be true or false/);
    expect(() => nn.datasets.sine({ steps: '4' } as unknown as nn.SineOptions)).toThrow(/steps must be a number, got string/);
    expect(() => nn.datasets.sine({ noise: -0.1 })).toThrow(/noise must be a number in \[0, 10\]/);
    expect(() => nn.datasets.counting({ numTrain: 1000000, steps: 100000 })).toThrow(/would hold 100000000000 values .*use fewer samples or steps/);
    expect(() => nn.datasets.sine(3 as unknown as nn.SineOptions)).toThrow(/options must be an object/);
  });

  test('everyStep: the running parity / count after each bit, for a returnSequences model', async () => {
    const p = keep(nn.datasets.parity({ numTrain: 30, numTest: 5, steps: 6, everyStep: true }));
    const c = keep(nn.datasets.counting({ numTrain: 30, numTest: 5, steps: 6, everyStep: true }));
    expect([p.train.ys.shape, c.train.ys.shape, p.outputs, c.outputs]).toEqual([[30, 6, 1], [30, 6], 1, 7]);
    const bits = p.train.xs.values();
    for (let i = 0; i < 30; i++) {
      let ones = 0;
      for (let t = 0; t < 6; t++) {
        ones += bits[i * 6 + t];
        expect(p.train.ys.values()[i * 6 + t]).toBe(ones % 2);
      }
    }
    // An LSTM with a target at every step learns parity of 10 bits.
    const d = keep(nn.datasets.parity({ numTrain: 1000, numTest: 200, steps: 10, everyStep: true, seed: 2 }));
    const model = nn.sequential({ seed: 2, layers: [
      nn.layers.lstm({ inputShape: [10, 1], units: 16, returnSequences: true }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    model.compile({ optimizer: nn.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(d.train.xs, d.train.ys, { epochs: 15, batchSize: 32 });
    const out = model.predict(d.test.xs) as nn.Tensor;
    const pred = out.values();
    const ys = d.test.ys.values();
    let lastRight = 0;
    for (let i = 0; i < 200; i++) if ((pred[i * 10 + 9] > 0.5 ? 1 : 0) === ys[i * 10 + 9]) lastRight++;
    expect(lastRight / 200).toBeGreaterThan(0.95);
    out.dispose();
    model.dispose();
  }, 60_000);

  test('an LSTM learns sine forecasting (the data is learnable, not noise)', async () => {
    const d = keep(nn.datasets.sine({ numTrain: 512, numTest: 128, steps: 20, seed: 3 }));
    const model = nn.sequential({ layers: [nn.layers.lstm({ inputShape: [20, 1], units: 16 }), nn.layers.dense({ units: 1 })], seed: 1 });
    model.compile({ optimizer: nn.train.adam(0.01), loss: 'meanSquaredError' });
    const before = model.evaluate(d.test.xs, d.test.ys) as nn.Tensor;
    const mseBefore = before.values()[0];
    await model.fit(d.train.xs, d.train.ys, { epochs: 8, batchSize: 32 });
    const after = model.evaluate(d.test.xs, d.test.ys) as nn.Tensor;
    const mseAfter = after.values()[0];
    expect(mseAfter).toBeLessThan(0.02);
    expect(mseAfter).toBeLessThan(mseBefore / 5);
    before.dispose();
    after.dispose();
    model.dispose();
  }, 60_000);
});

describe('MNIST rows', () => {
  test('x [n, 28, 28] sharing the MNIST tensors, y the classes', async () => {
    const rows = await nn.datasets.mnistRows();
    const images = await nn.datasets.mnist();
    expect([rows.steps, rows.features, rows.outputs]).toEqual([28, 28, 10]);
    expect(rows.train.xs.shape).toEqual([8000, 28, 28]);
    expect(rows.test.xs.shape).toEqual([2000, 28, 28]);
    expect(rows.train.ys).toBe(images.train.ys);
    expect(rows.train.xs.values()).toBe(images.train.xs.values()); // the same floats, not a copy
    const again = await nn.datasets.mnistRows();
    expect(again.train.xs).toBe(rows.train.xs);
    for (const s of [images.train, images.test]) (s.xs.dispose(), s.ys.dispose());
    for (const s of [rows.train, rows.test]) s.xs.dispose();
  }, 60_000);
});

describe('text', () => {
  test('vocabulary, windows, next characters, encode/decode', async () => {
    const t = keep(await nn.datasets.text({ seqLength: 32 }));
    expect(t.source).toMatch(/fortunes-min/);
    expect(t.licence).toMatch(/BSD/);
    expect(t.vocabSize).toBe(t.vocab.length);
    expect(t.vocab).toContain('\n');
    expect(t.vocab.every((c) => c === '\n' || (c >= ' ' && c <= '~'))).toBe(true);
    expect(t.text.length).toBeGreaterThan(90000);
    const cut = Math.floor(t.text.length * 0.9);
    const nTrain = Math.floor((cut - 33) / 32) + 1;
    expect(t.train.xs.shape).toEqual([nTrain, 32, t.vocabSize]);
    expect(t.train.ys.shape).toEqual([nTrain]);
    expect(t.features).toBe(t.vocabSize);
    // Window 5 is characters 160..191 one-hot; its target is character 192.
    const x = t.train.xs.values();
    const ids: number[] = [];
    for (let s = 0; s < 32; s++) {
      const row = x.subarray((5 * 32 + s) * t.vocabSize, (5 * 32 + s + 1) * t.vocabSize);
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      ids.push(row.indexOf(1));
    }
    expect(t.decode(ids)).toBe(t.text.slice(160, 192));
    expect(t.decode([t.train.ys.values()[5]])).toBe(t.text[192]);
    expect(t.decode(t.encode('Hello, world!\n'))).toBe('Hello, world!\n');
    expect(() => t.encode('naïve')).toThrow(/character "ï" at 2 is not in the vocabulary/);
    // Test windows start at the cut.
    const first = t.test.xs.values().subarray(0, t.vocabSize);
    expect(t.vocab[first.indexOf(1)]).toBe(t.text[cut]);

    const ids2 = keep(await nn.datasets.text({ seqLength: 10, stride: 3, encoding: 'ids', testFraction: 0 }));
    expect(ids2.train.xs.shape).toEqual([Math.floor((ids2.text.length - 11) / 3) + 1, 10]);
    expect(ids2.test.n).toBe(0);
    expect(ids2.decode(ids2.train.xs.values().subarray(30, 40))).toBe(ids2.text.slice(9, 19));
  }, 30_000);

  test('sample(): temperature draws from the model, the same seed gives the same text', async () => {
    const t = keep(await nn.datasets.text({ seqLength: 8, stride: 8 }));
    // A fixed "model": always predicts 'a' with 0.9 and 'b' with 0.1.
    const a = t.vocab.indexOf('a');
    const b = t.vocab.indexOf('b');
    let windowShape: number[] = [];
    const model = {
      predict(x: nn.Tensor) {
        windowShape = x.shape;
        const p = new Float32Array(t.vocabSize);
        p[a] = 0.9;
        p[b] = 0.1;
        return nn.tensor(p, [1, t.vocabSize]);
      },
    };
    const cold = t.sample(model, { length: 300, temperature: 0.05, seed: 1 });
    expect(windowShape).toEqual([1, 8, t.vocabSize]);
    expect(cold).toBe('a'.repeat(300));
    const warm = t.sample(model, { length: 2000, temperature: 1, seed: 1 });
    const bs = [...warm].filter((c) => c === 'b').length;
    expect(bs).toBeGreaterThan(140);
    expect(bs).toBeLessThan(260);
    expect(t.sample(model, { length: 2000, temperature: 1, seed: 1 })).toBe(warm);
    expect(t.sample(model, { length: 2000, temperature: 1, seed: 2 })).not.toBe(warm);
    const hot = t.sample(model, { length: 2000, temperature: 3, seed: 1 });
    expect([...hot].filter((c) => c === 'b').length).toBeGreaterThan(bs);
    expect(() => t.sample(model, { temperature: 0 })).toThrow(/temperature must be a finite number > 0/);
    expect(() => t.sample(model, { prime: 'ünïcode' })).toThrow(/not in the vocabulary/);
    expect(() => t.sample({ predict: () => nn.tensor([1, 2], [1, 2]) }, { length: 1 })).toThrow(/predicts 2 values per window, the vocabulary has/);
    expect(nn.memory().numTensors).toBe(made.reduce((n, d) => n + 4, 0));
  }, 30_000);

  test('bad options', async () => {
    await expect(nn.datasets.text({ seqLength: 0 })).rejects.toThrow(/seqLength must be an integer in \[1, 100000\]/);
    await expect(nn.datasets.text({ seqLength: 200000 })).rejects.toThrow(/seqLength must be an integer/);
    await expect(nn.datasets.text({ encoding: 'utf8' } as unknown as nn.TextOptions)).rejects.toThrow(/encoding must be 'oneHot' or 'ids'/);
    await expect(nn.datasets.text({ seqLength: 40, stride: 1 })).rejects.toThrow(/would hold .* use a larger stride, a shorter seqLength or encoding "ids"/);
    await expect(nn.datasets.text({ testFraction: 0.7 })).rejects.toThrow(/testFraction must be a number in \[0, 0\.5\]/);
    await expect(nn.datasets.text({ colour: 1 } as unknown as nn.TextOptions)).rejects.toThrow(/unknown option "colour"/);
  });

  function copyWith(dir: string, change: (files: Record<string, Buffer>) => void): string {
    const out = join(tmp, dir);
    const names = ['datasets.json', 'text-fortunes.txt.gz'];
    const files: Record<string, Buffer> = {};
    for (const n of names) files[n] = readFileSync(join(dist, n));
    change(files);
    mkdirSync(out, { recursive: true });
    for (const n of names) writeFileSync(join(out, n), files[n]);
    return out;
  }

  test('a corrupt text asset: a checksum error naming the file', async () => {
    const intact = keep(await nn.datasets.text({ baseUrl: copyWith('intact', () => {}) }));
    expect(intact.train.n).toBeGreaterThan(0);
    const dir = copyWith('flipped', (f) => {
      const text = gunzipSync(f['text-fortunes.txt.gz']);
      text[1000] = text[1000] === 0x65 ? 0x61 : 0x65; // one letter changed: still in the vocabulary
      f['text-fortunes.txt.gz'] = gzipSync(text);
    });
    await expect(nn.datasets.text({ baseUrl: dir })).rejects.toThrow(/text-fortunes\.txt: CRC-32 is \d+, the manifest says \d+: the file is corrupt/);
    const foreign = copyWith('foreign', (f) => {
      const text = gunzipSync(f['text-fortunes.txt.gz']);
      text[10] = 0xe9; // a byte outside the vocabulary, with a matching checksum
      f['text-fortunes.txt.gz'] = gzipSync(text);
      const m = JSON.parse(f['datasets.json'].toString());
      m.files['text-fortunes.txt.gz'].crc32 = crc32(text);
      f['datasets.json'] = Buffer.from(JSON.stringify(m));
    });
    await expect(nn.datasets.text({ baseUrl: foreign })).rejects.toThrow(/byte 233 at offset 10 is not in the vocabulary/);
    const cut = copyWith('truncated', (f) => {
      f['text-fortunes.txt.gz'] = f['text-fortunes.txt.gz'].subarray(0, 5000);
    });
    await expect(nn.datasets.text({ baseUrl: cut })).rejects.toThrow(/text-fortunes\.txt\.gz .*(truncated|not a valid gzip)/);
  });
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

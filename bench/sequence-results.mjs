// The sequence tasks' results for the README (issue 8, "Done when"): each nn.datasets sequence
// task trained with nnplay in Node, as a user would write it, with its epochs, wall time and
// test figure, plus a few samples of the text model.
//
//   npm run build && node bench/sequence-results.mjs            # all tasks (~10 minutes here)
//   node bench/sequence-results.mjs mnistRows text              # some of them
//
// Not a test and not part of `npm test` (minutes of training; accuracy floors that do belong in
// tests are in tests/js). Prints a Markdown table and writes bench/results/sequences.json (a run
// of some tasks replaces their entries and keeps the others', each stamped with its date,
// machine and the 1-minute load average at its end: this 2-core machine is often shared).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as nn from 'nnplay';

await nn.ready();
const now = () => performance.now();

function lastValue(logs, key) {
  const v = logs[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function evaluate(model, split) {
  const out = model.evaluate(split.xs, split.ys, { batchSize: 500 });
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => t.values()[0]);
  for (const t of list) t.dispose();
  return values; // [loss, metric...]
}

function dispose(d) {
  for (const s of [d.train, d.test]) (s.xs.dispose(), s.ys.dispose());
}

/** Trains epoch by epoch until `done(testFigures)` or maxEpochs; times the fit calls only. */
async function trainUntil(model, d, { maxEpochs, batchSize, done }) {
  let seconds = 0;
  let epochs = 0;
  let figures = [];
  const curve = [];
  while (epochs < maxEpochs) {
    const t0 = now();
    await model.fit(d.train.xs, d.train.ys, { epochs: 1, batchSize, shuffle: true });
    seconds += (now() - t0) / 1000;
    epochs++;
    figures = evaluate(model, d.test);
    curve.push(figures.map((v) => Number(v.toFixed(4))));
    if (done?.(figures)) break;
  }
  return { epochs, seconds, figures, curve };
}

const tasks = {
  async sine() {
    const d = nn.datasets.sine({ numTrain: 2000, numTest: 500, steps: 40, seed: 1 });
    // The bar: tomorrow is today (predict the window's last value).
    const x = d.test.xs.values();
    const y = d.test.ys.values();
    let naive = 0;
    for (let i = 0; i < d.test.n; i++) naive += (x[i * 40 + 39] - y[i]) ** 2;
    naive /= d.test.n;
    const model = nn.sequential({ seed: 1, layers: [nn.layers.lstm({ inputShape: [40, 1], units: 32 }), nn.layers.dense({ units: 1 })] });
    model.compile({ optimizer: nn.train.adam(0.005), loss: 'meanSquaredError' });
    const r = await trainUntil(model, d, { maxEpochs: 10, batchSize: 32 });
    model.dispose();
    dispose(d);
    return { task: 'sine forecasting (2,000 windows of 40 steps, next value)', model: 'lstm(32) → dense(1), Adam 5e-3, batch 32', ...r, result: `test MSE ${r.figures[0].toExponential(2)} (last-value baseline ${naive.toExponential(2)})` };
  },

  async sumOfSines() {
    const d = nn.datasets.sumOfSines({ numTrain: 2000, numTest: 500, steps: 40, waves: 3, seed: 2 });
    const model = nn.sequential({ seed: 2, layers: [nn.layers.lstm({ inputShape: [40, 1], units: 64 }), nn.layers.dense({ units: 1 })] });
    model.compile({ optimizer: nn.train.adam(0.005), loss: 'meanSquaredError' });
    const r = await trainUntil(model, d, { maxEpochs: 20, batchSize: 32 });
    model.dispose();
    dispose(d);
    return { task: 'sum of 3 sines forecasting (2,000 windows of 40 steps)', model: 'lstm(64) → dense(1), Adam 5e-3, batch 32', ...r, result: `test MSE ${r.figures[0].toExponential(2)}` };
  },

  async mnistRows() {
    const d = await nn.datasets.mnistRows();
    const model = nn.sequential({ seed: 3, layers: [
      nn.layers.lstm({ inputShape: [28, 28], units: 128 }),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: nn.train.adam(2e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const r = await trainUntil(model, d, { maxEpochs: 12, batchSize: 64, done: (f) => f[1] >= 0.97 });
    model.dispose();
    for (const s of [d.images.train, d.images.test]) (s.xs.dispose(), s.ys.dispose());
    for (const s of [d.train, d.test]) s.xs.dispose();
    return { task: 'MNIST rows (8,000 digits as 28 steps of 28 pixels; 2,000 test)', model: 'lstm(128) → dense(10, softmax) on the last step, Adam 2e-3, batch 64', ...r, result: `test accuracy ${(r.figures[1] * 100).toFixed(1)} %` };
  },

  async adding() {
    const d = nn.datasets.adding({ numTrain: 10000, numTest: 1000, steps: 50, seed: 4 });
    const model = nn.sequential({ seed: 4, layers: [nn.layers.lstm({ inputShape: [50, 2], units: 32 }), nn.layers.dense({ units: 1 })] });
    model.compile({ optimizer: nn.train.adam(0.003), loss: 'meanSquaredError' });
    const r = await trainUntil(model, d, { maxEpochs: 15, batchSize: 64, done: (f) => f[0] < 0.005 });
    model.dispose();
    dispose(d);
    return { task: 'adding problem (10,000 sequences of 50 steps)', model: 'lstm(32) → dense(1), Adam 3e-3, batch 64', ...r, result: `test MSE ${r.figures[0].toExponential(2)} (predicting 1 always: 0.167)` };
  },

  async parity() {
    // A target after every bit (the parity so far): each step is one XOR of the state and the
    // input, which an LSTM finds in a few epochs. The figure is the accuracy at the last bit.
    const d = nn.datasets.parity({ numTrain: 4000, numTest: 1000, steps: 12, everyStep: true, seed: 5 });
    const model = nn.sequential({ seed: 5, layers: [
      nn.layers.lstm({ inputShape: [12, 1], units: 16, returnSequences: true }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    model.compile({ optimizer: nn.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const lastBitAccuracy = () => {
      const out = model.predict(d.test.xs);
      const p = out.values();
      const y = d.test.ys.values();
      let right = 0;
      for (let i = 0; i < d.test.n; i++) if ((p[i * 12 + 11] > 0.5 ? 1 : 0) === y[i * 12 + 11]) right++;
      out.dispose();
      return right / d.test.n;
    };
    const r = await trainUntil(model, d, { maxEpochs: 30, batchSize: 32, done: () => lastBitAccuracy() >= 0.99 });
    const acc = lastBitAccuracy();
    model.dispose();
    dispose(d);
    return { task: 'parity of 12 bits, a target after every bit (4,000 strings)', model: 'lstm(16, returnSequences) → dense(1, sigmoid), Adam 2e-2, batch 32', ...r, result: `test accuracy at the last bit ${(acc * 100).toFixed(1)} % (chance 50 %)` };
  },

  async parityLastStep() {
    const d = nn.datasets.parity({ numTrain: 4000, numTest: 1000, steps: 12, seed: 5 });
    const model = nn.sequential({ seed: 5, layers: [nn.layers.lstm({ inputShape: [12, 1], units: 32 }), nn.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: nn.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const r = await trainUntil(model, d, { maxEpochs: 30, batchSize: 32, done: (f) => f[1] >= 0.99 });
    model.dispose();
    dispose(d);
    return { task: 'parity of 12 bits, the last step only (4,000 strings)', model: 'lstm(32) → dense(1, sigmoid), Adam 1e-2, batch 32', ...r, result: `test accuracy ${(r.figures[1] * 100).toFixed(1)} % (chance 50 %)` };
  },

  async counting() {
    const d = nn.datasets.counting({ numTrain: 4000, numTest: 1000, steps: 20, seed: 6 });
    const model = nn.sequential({ seed: 6, layers: [nn.layers.simpleRNN({ inputShape: [20, 1], units: 16 }), nn.layers.dense({ units: d.outputs, activation: 'softmax' })] });
    model.compile({ optimizer: nn.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const r = await trainUntil(model, d, { maxEpochs: 20, batchSize: 32, done: (f) => f[1] >= 0.99 });
    model.dispose();
    dispose(d);
    return { task: 'counting the ones in 20 bits (4,000 strings, 21 classes)', model: 'simpleRNN(16) → dense(21, softmax), Adam 1e-2, batch 32', ...r, result: `test accuracy ${(r.figures[1] * 100).toFixed(1)} %` };
  },

  async text() {
    const d = await nn.datasets.text({ seqLength: 40, stride: 8 });
    const model = nn.sequential({ seed: 7, layers: [
      nn.layers.gru({ inputShape: [40, d.vocabSize], units: 128, resetAfter: true }),
      nn.layers.dense({ units: d.vocabSize, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: nn.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const r = await trainUntil(model, d, { maxEpochs: 15, batchSize: 64 });
    const samples = [0.5, 0.8, 1.0].map((temperature) => ({ temperature, text: d.sample(model, { length: 240, temperature, seed: 1 }) }));
    model.dispose();
    dispose(d);
    return {
      task: `next character of the fortunes (${d.train.n.toLocaleString('en')} windows of 40 characters, stride 8, vocabulary ${d.vocabSize})`,
      model: `gru(128) → dense(${d.vocabSize}, softmax), Adam 3e-3, batch 64`,
      ...r,
      result: `test accuracy ${(r.figures[1] * 100).toFixed(1)} %, loss ${r.figures[0].toFixed(2)} nats/char`,
      samples,
    };
  },
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(tasks);
const results = [];
for (const name of chosen) {
  if (!tasks[name]) throw new Error(`unknown task ${name}; known: ${Object.keys(tasks).join(', ')}`);
  const r = await tasks[name]();
  results.push({ name, ...r });
  console.error(`[${name}] ${r.result}, ${r.epochs} epochs, ${r.seconds.toFixed(1)} s`);
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
console.log(`Measured ${date} on ${machine} (nnplay wasm SIMD in Node, one thread; time = fit() calls only).\n`);
console.log('| task | model | epochs | train time | result |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of results) console.log(`| ${r.task} | ${r.model} | ${r.epochs} | ${r.seconds.toFixed(1)} s | ${r.result} |`);
for (const r of results) {
  for (const s of r.samples ?? []) console.log(`\nSample at temperature ${s.temperature}:\n\n\`\`\`\n${s.text}\n\`\`\``);
}
// One file for every task: a run of some tasks replaces theirs and keeps the others'.
const file = new URL('./results/sequences.json', import.meta.url);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).results.filter((r) => !chosen.includes(r.name)) : [];
const stamped = results.map((r) => ({ ...r, date, machine, loadAverage: os.loadavg()[0] }));
writeFileSync(file, `${JSON.stringify({ results: [...kept, ...stamped] }, null, 1)}\n`);

// The issue-8 sequence workloads in Node, side by side: W9 (the seeds' LSTM classifier on MNIST
// rows: lstm(32 or 128) → dense(10, softmax), batch 64, Adam) and W10 (GRU(64) next-character
// model on the text task), on nnplay, TF.js 4.22 wasm and TF.js cpu, samples/s. Each job runs in
// a fresh child process (one realm per system, as bench/run.mjs does with workers).
//
//   npm run build && node bench/sequence-speed.mjs
//
// The workload functions are written against the API both libraries share, like
// bench/workloads.mjs (where they belong once the Chromium harness runs them too: W9/W10 there).
// Not a test. Prints a Markdown table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildMnist, parseMnist } from './data.mjs';
const now = () => performance.now();
const isNnplay = (n) => n === 'nnplay';
function dispose(...things) { for (const t of things) if (t && typeof t.dispose === 'function') t.dispose(); }
async function argmaxAccuracy(sys, model, x, labels, n) {
  const out = model.predict(x, { batchSize: 2000 });
  const p = await out.data();
  dispose(out);
  const classes = p.length / n;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

/**
 * Workload 9: the seeds' LSTM classifier on MNIST rows (each digit read as 28 steps of 28
 * pixels, the last step classified): lstm(units) → dense(10, softmax), Adam 1e-3, batch 64,
 * sparse CE, recurrentActivation 'sigmoid' set on both sides (TF.js defaults to hardSigmoid,
 * nnplay to Keras's sigmoid: the same string makes the same model). opts.units: 32 (the issue's
 * target) or 128; opts.trainSamples digits (TF.js trains this at a few hundred samples/s).
 * Samples/s of the second epoch, then test accuracy after it on the 2,000 held-out digits.
 */
async function lstmRows(sys, data, opts) {
  const { lib } = sys;
  const n = Math.min(opts.trainSamples || data.nTrain, data.nTrain);
  const xs = lib.tensor(data.xTrain.subarray(0, n * data.dim), [n, 28, 28]);
  const ys = lib.tensor(Float32Array.from(data.yTrain.subarray(0, n)), [n, 1]);
  const xt = lib.tensor(data.xTest, [data.nTest, 28, 28]);
  const config = { layers: [
    lib.layers.lstm({ inputShape: [28, 28], units: opts.units, recurrentActivation: 'sigmoid' }),
    lib.layers.dense({ units: 10, activation: 'softmax' }),
  ] };
  if (isNnplay(sys.name)) config.seed = 13;
  const model = lib.sequential(config);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  await model.fit(xs, ys, fitArgs); // warm-up epoch
  const t0 = now();
  await model.fit(xs, ys, fitArgs); // timed epoch
  const seconds = (now() - t0) / 1000;
  const accuracy = await argmaxAccuracy(sys, model, xt, data.yTest, data.nTest);
  dispose(model, xs, ys, xt);
  return { samplesPerSec: n / seconds, testAccuracy: accuracy, trainSamples: n, units: opts.units };
}

/**
 * Workload 10: a GRU(64) next-character model on the text task: windows of 40 characters of
 * the fortunes (nn.datasets.text's corpus, as ids in data.ids), one-hot [n, 40, vocab], stride
 * 8, → gru(64, recurrentActivation 'sigmoid', resetAfter false: TF.js's only GRU) →
 * dense(vocab, softmax), Adam 1e-3, batch 64. The windows are cut here, the same for both
 * systems. Samples/s of the second epoch over opts.trainSamples windows.
 */
async function gruText(sys, data, opts) {
  const { lib } = sys;
  const { ids, vocabSize } = data;
  const seqLength = 40;
  const stride = 8;
  const n = Math.min(opts.trainSamples, Math.floor((ids.length - seqLength - 1) / stride) + 1);
  const x = new Float32Array(n * seqLength * vocabSize);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < seqLength; t++) x[(i * seqLength + t) * vocabSize + ids[i * stride + t]] = 1;
    y[i] = ids[i * stride + seqLength];
  }
  const xs = lib.tensor(x, [n, seqLength, vocabSize]);
  const ys = lib.tensor(y, [n, 1]);
  const config = { layers: [
    lib.layers.gru({ inputShape: [seqLength, vocabSize], units: 64, recurrentActivation: 'sigmoid' }),
    lib.layers.dense({ units: vocabSize, activation: 'softmax' }),
  ] };
  if (isNnplay(sys.name)) config.seed = 17;
  const model = lib.sequential(config);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  await model.fit(xs, ys, fitArgs); // warm-up epoch
  const t0 = now();
  const h = await model.fit(xs, ys, fitArgs); // timed epoch
  const seconds = (now() - t0) / 1000;
  const loss = h.history.loss[h.history.loss.length - 1];
  dispose(model, xs, ys);
  return { samplesPerSec: n / seconds, trainSamples: n, loss: Number(loss) };
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function loadData(workload) {
  if (workload === 'lstmRows') {
    const bytes = fs.readFileSync(await buildMnist(root, path.join(root, 'build', 'bench-data', 'mnist.bin')));
    return parseMnist(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  // nn.datasets.text()'s corpus as ids (build/data, made by npm run build).
  const m = JSON.parse(fs.readFileSync(path.join(root, 'build/data/datasets.json'), 'utf8'));
  const vocab = m.texts.fortunes.vocab;
  const text = gunzipSync(fs.readFileSync(path.join(root, 'build/data/text-fortunes.txt.gz')));
  const idOf = new Map([...vocab].map((c, i) => [c.charCodeAt(0), i]));
  return { ids: Uint8Array.from(text, (b) => idOf.get(b)), vocabSize: vocab.length };
}

async function runOne(system, workload, opts) {
  let lib;
  if (system === 'nnplay') {
    lib = await import('nnplay');
    await lib.ready();
  } else {
    lib = await import('@tensorflow/tfjs');
    if (system === 'tfjs-wasm') await import('@tensorflow/tfjs-backend-wasm');
    await lib.setBackend(system === 'tfjs-wasm' ? 'wasm' : 'cpu');
    await lib.ready();
  }
  const fn = workload === 'lstmRows' ? lstmRows : gruText;
  return fn({ name: system, lib }, await loadData(workload), opts);
}

if (process.argv[2] === '--job') {
  const [system, workload, json] = process.argv.slice(3);
  const r = await runOne(system, workload, JSON.parse(json));
  process.stdout.write(`\n${JSON.stringify(r)}\n`);
} else {
  // TF.js trains these at tens to hundreds of samples/s: fewer samples for it (samples/s of an
  // epoch does not depend on how many there are, beyond the first batches).
  const jobs = [
    ['W9 lstm(32) MNIST rows', 'lstmRows', { units: 32 }, { nnplay: 8000, 'tfjs-wasm': 1000, 'tfjs-cpu': 500 }],
    ['W9 lstm(128) MNIST rows', 'lstmRows', { units: 128 }, { nnplay: 8000, 'tfjs-wasm': 500, 'tfjs-cpu': 200 }],
    ['W10 gru(64) next character', 'gruText', {}, { nnplay: 8000, 'tfjs-wasm': 500, 'tfjs-cpu': 300 }],
  ];
  const systems = ['nnplay', 'tfjs-wasm', 'tfjs-cpu'];
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} x ${os.cpus().length}, load average at start ${os.loadavg()[0].toFixed(1)}\n`);
  console.log('| Workload (Node) | nnplay | TF.js wasm | TF.js cpu | nnplay ÷ wasm | nnplay ÷ cpu |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, workload, opts, samples] of jobs) {
    const rate = {};
    for (const s of systems) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--job', s, workload, JSON.stringify({ ...opts, trainSamples: samples[s] })], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
      rate[s] = JSON.parse(out.toString().trim().split('\n').pop()).samplesPerSec;
    }
    const f = (v) => Math.round(v).toLocaleString('en');
    console.log(`| ${label}: samples/s | ${f(rate.nnplay)} | ${f(rate['tfjs-wasm'])} | ${f(rate['tfjs-cpu'])} | ${(rate.nnplay / rate['tfjs-wasm']).toFixed(1)}× | ${Math.round(rate.nnplay / rate['tfjs-cpu'])}× |`);
  }
}

// Where do a workload's cycles go? Trains a benchmark net through the engine session in Node
// under the V8 sampling profiler and prints self time per function (wasm functions by their
// C++ names). Needs an engine build with a name section:
//   NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build/bench-wasm-prof -G Ninja \
//     -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs
//   cmake --build build/bench-wasm-prof --target nnplay_wasm
//   node bench/profile.mjs [build/bench-wasm-prof] [epochs] [--net mlp|vae|kerasCnn|convnetjsDemo] [--samples N]
// mlp (default): workload 1's MLP, batch 64, on the 8,000 digits. vae: workload 11's VAE
// (784-256-2-256-784, klDivergence + gaussianSampling, binaryCrossentropy against x, Adam, batch
// 64; its spec from the built library, dist/lib), on the 8,000 digits. kerasCnn / convnetjsDemo:
// the W7 / W8 nets of bench/workloads.mjs (their specs taken from the built library, dist/lib,
// so they are the nets the benchmark trains), on the first N digits (default 2,000).
// Not a benchmark figure: a diagnostic for the README's closing notes.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { buildMnist, parseMnist } from './data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const netName = flag('--net', 'mlp');
const samplesArg = flag('--samples', null);
const dir = path.resolve(root, args[0] || 'build/bench-wasm-prof');
const epochs = Number(args[1] || 2);
const factory = (await import(pathToFileURL(path.join(dir, 'nnplay.mjs')).href)).default;
const mod = await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'nnplay.wasm')) });
const bytes = fs.readFileSync(await buildMnist(root, path.join(root, 'build', 'bench-data', 'mnist.bin')));
const data = parseMnist(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

// The net: its engine spec, compile spec, batch size, rows and values per sample.
let spec, compile, batchSize, n, xShape, yShape = '1', yIsX = false;
if (netName === 'vae') {
  // The graph of bench/workloads.mjs's vaeTrain (nnplay's side), layer for layer.
  const nn = await import(pathToFileURL(path.join(root, 'dist', 'lib', 'nnplay.js')).href);
  await nn.ready();
  const x = nn.input({ shape: [data.dim] });
  const h = nn.layers.dense({ units: 256, activation: 'relu' }).apply(x);
  const zMean = nn.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
  const zLogVar = nn.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
  const kl = nn.layers.klDivergence({ name: 'kl' }).apply([zMean, zLogVar]);
  const z = nn.layers.gaussianSampling().apply([kl, zLogVar]);
  const decoded = nn.layers.dense({ units: data.dim, activation: 'sigmoid', name: 'decoded' })
    .apply(nn.layers.dense({ units: 256, activation: 'relu' }).apply(z));
  const m = nn.model({ inputs: x, outputs: decoded, seed: 19 });
  spec = m.specJson();
  m.dispose();
  compile = JSON.stringify({ optimizer: { name: 'adam', learningRate: 1e-3 }, loss: 'binaryCrossentropy' });
  batchSize = 64;
  n = Math.min(Number(samplesArg || data.nTrain), data.nTrain);
  xShape = '784';
  yShape = '784';
  yIsX = true;
} else if (netName === 'mlp') {
  spec = JSON.stringify({ inputShape: [784], seed: 7, layers: [
    { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] });
  compile = JSON.stringify({ optimizer: { name: 'adam', learningRate: 1e-3 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  batchSize = 64;
  n = data.nTrain;
  xShape = '784';
} else {
  const { imageNets } = await import('./workloads.mjs');
  const net = imageNets[netName];
  if (!net) throw new Error(`profile: unknown --net ${netName}; known: mlp, ${Object.keys(imageNets).join(', ')}`);
  const nn = await import(pathToFileURL(path.join(root, 'dist', 'lib', 'nnplay.js')).href);
  await nn.ready();
  const model = nn.sequential({ layers: net.layers(nn), seed: net.seed });
  spec = model.specJson();
  compile = JSON.stringify({ optimizer: net.optimizer(nn).config, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.dispose();
  batchSize = net.batchSize;
  n = Math.min(Number(samplesArg || 2000), data.nTrain);
  xShape = '784';
}

const ok = (e, what) => { if (e) throw new Error(`${what}: ${e}`); };
const model = new mod.Session();
ok(model.build(spec), 'build');
ok(model.compile(compile), 'compile');
ok(model.reserveDataset(n, xShape, yShape), 'reserveDataset');
const ds = model.lastDatasetId();
mod.HEAPF32.set(data.xTrain.subarray(0, n * data.dim), model.datasetXPtr(ds, 0) >>> 2);
const ys = yIsX ? data.xTrain.subarray(0, n * data.dim) : Float32Array.from(data.yTrain.subarray(0, n));
mod.HEAPF32.set(ys, model.datasetYPtr(ds, 0) >>> 2);
ok(model.sealDataset(ds), 'sealDataset');
ok(model.trainEpoch(ds, batchSize, true), 'warm-up epoch');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
for (let e = 0; e < epochs; e++) ok(model.trainEpoch(ds, batchSize, true), 'epoch');
const seconds = (performance.now() - t0) / 1000;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const self = new Map();
const dt = new Map(profile.nodes.map((n) => [n.id, 0]));
profile.samples.forEach((id, i) => dt.set(id, dt.get(id) + (profile.timeDeltas[i] || 0)));
let total = 0;
for (const n of profile.nodes) {
  const name = (n.callFrame.functionName || '(anonymous)').replace(/\\([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const short = name.replace(/\((?!anonymous).*$/, '').slice(0, 90) || name;
  self.set(short, (self.get(short) || 0) + dt.get(n.id));
  total += dt.get(n.id);
}
console.log(`${netName}: ${epochs} epoch(s) of ${n}, batch ${batchSize}: ${seconds.toFixed(3)} s, ${(epochs * n / seconds).toFixed(0)} samples/s (profiler on), logs ${model.logsJson()}`);
console.log('self time:');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`  ${(100 * us / total).toFixed(1).padStart(5)} %  ${name}`);
}
model.delete(); // frees its dataset too

// Where do workload 1's cycles go? Trains the MLP of workload 1 through the engine session in
// Node under the V8 sampling profiler and prints self time per function (wasm functions
// by their C++ names). Needs an engine build with a name section:
//   NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build/bench-wasm-prof -G Ninja \
//     -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs
//   cmake --build build/bench-wasm-prof --target nnplay_wasm
//   node bench/profile.mjs [build/bench-wasm-prof] [epochs]
// Not a benchmark figure: a diagnostic for the README's closing note.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { buildMnist, parseMnist } from './data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(root, process.argv[2] || 'build/bench-wasm-prof');
const epochs = Number(process.argv[3] || 2);
const factory = (await import(pathToFileURL(path.join(dir, 'nnplay.mjs')).href)).default;
const mod = await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'nnplay.wasm')) });
const bytes = fs.readFileSync(await buildMnist(root, path.join(root, 'build', 'bench-data', 'mnist.bin')));
const data = parseMnist(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

const ok = (e, what) => { if (e) throw new Error(`${what}: ${e}`); };
const model = new mod.Session();
ok(model.build(JSON.stringify({ inputShape: [784], seed: 7, layers: [
  { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] })), 'build');
ok(model.compile(JSON.stringify({ optimizer: { name: 'adam', learningRate: 1e-3 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] })), 'compile');
ok(model.reserveDataset(data.nTrain, String(data.dim), '1'), 'reserveDataset');
const ds = model.lastDatasetId();
mod.HEAPF32.set(data.xTrain, model.datasetXPtr(ds, 0) >>> 2);
mod.HEAPF32.set(Float32Array.from(data.yTrain), model.datasetYPtr(ds, 0) >>> 2);
ok(model.sealDataset(ds), 'sealDataset');
ok(model.trainEpoch(ds, 64, true), 'warm-up epoch');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
for (let e = 0; e < epochs; e++) ok(model.trainEpoch(ds, 64, true), 'epoch');
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
console.log(`${epochs} epoch(s) of 8,000: ${seconds.toFixed(3)} s, ${(epochs * data.nTrain / seconds).toFixed(0)} samples/s (profiler on), logs ${model.logsJson()}`);
console.log('self time:');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`  ${(100 * us / total).toFixed(1).padStart(5)} %  ${name}`);
}
model.delete(); // frees its dataset too

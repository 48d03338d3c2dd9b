// One benchmark job in a fresh Node worker thread (the Node twin of bench/page/worker.js).
// workerData: { job, system, root }. Posts { ok: true, result, info } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseMnist, parseText } from './data.mjs';
import { runJob, usesMnist, usesText } from './workloads.mjs';
import { isNnplay, libDir, engineDir } from './systems.mjs';

async function loadSystem(name, root) {
  if (isNnplay(name)) {
    // The current build through the package's own exports (-> dist/lib); a baseline by path.
    const lib = name === 'nnplay' ? await import('nnplay')
      : await import(pathToFileURL(path.join(root, libDir(name), 'nnplay.js')).href);
    await lib.ready();
    return { name, lib, info: {} };
  }
  if (name === 'tfjs-cpu') {
    const lib = await import('@tensorflow/tfjs');
    await lib.setBackend('cpu');
    await lib.ready();
    return { name, lib, info: { backend: lib.getBackend(), version: lib.version.tfjs } };
  }
  if (name === 'convnetjs') {
    // A CommonJS script (module.exports = convnetjs when `module` exists).
    const lib = createRequire(import.meta.url)('convnetjs');
    return { name, lib, info: { version: createRequire(import.meta.url)('convnetjs/package.json').version } };
  }
  if (engineDir(name)) {
    const dir = path.join(root, engineDir(name));
    const factory = (await import(pathToFileURL(path.join(dir, 'nnplay.mjs')).href)).default;
    const module = await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'nnplay.wasm')) });
    // The single-threaded engine comes in two parts; the library loads the second on its
    // first asynchronous call, but these jobs drive the module directly, so load it here.
    if (module.nnplayExtraPart === 'missing') await module.nnplayLoadExtra(fs.readFileSync(path.join(dir, 'nnplay-extra.wasm')));
    return { name, module, info: {} };
  }
  throw new Error(`bench: unknown Node system "${name}"`);
}

try {
  const { job, system, root } = workerData;
  const sys = await loadSystem(system, root);
  let data = null;
  if (usesMnist.includes(job.workload)) {
    const bytes = fs.readFileSync(path.join(root, 'build', 'bench-data', 'mnist.bin'));
    data = parseMnist(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  if (usesText.includes(job.workload)) {
    const bytes = fs.readFileSync(path.join(root, 'build', 'bench-data', 'text.bin'));
    data = { ...data, text: parseText(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
  }
  const result = await runJob(job, sys, data);
  parentPort.postMessage({ ok: true, result, info: sys.info });
} catch (err) {
  parentPort.postMessage({ ok: false, error: err && err.stack ? err.stack : String(err) });
}

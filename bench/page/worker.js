// One benchmark job in a fresh Web Worker (classic, so TensorFlow.js's UMD bundles load with
// importScripts; ES modules — nnplay, the workloads — come in with dynamic import()).
// Message in: { job, system }. Message out: { ok: true, result, info } or { ok: false, error }.
const TFJS = '/node_modules/@tensorflow/tfjs/dist/tf.min.js';
const TFJS_WASM = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js';
const TFJS_WASM_DIR = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const CONVNETJS = '/node_modules/convnetjs/build/convnet.js';

async function loadSystem(name) {
  const { isNnplay, libDir, engineDir } = await import('/bench/systems.mjs');
  if (isNnplay(name)) {
    // A baseline's dist/lib is served from its own directory, so its relative URLs (the
    // engine's .wasm, the fit worker) name its own files, never the current build's.
    const lib = await import(`/${libDir(name)}/nnplay.js`);
    await lib.ready();
    // Which engine file this realm fetched, recorded in the JSON's systemsInfo as evidence.
    const wasm = performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm'));
    // Whether the engine runs threads (the threaded build loads only in a cross-origin isolated
    // realm; run.mjs --no-isolation serves the pages without COOP/COEP).
    const { simd, threads, threadsCount } = lib.backend();
    return { name, lib, info: { wasm, simd, threads: threads === true && threadsCount > 1, threadsCount, crossOriginIsolated: self.crossOriginIsolated === true } };
  }
  if (name === 'tfjs-cpu' || name === 'tfjs-wasm') {
    importScripts(TFJS);
    const tf = self.tf;
    if (name === 'tfjs-wasm') {
      importScripts(TFJS_WASM);
      tf.wasm.setWasmPaths(TFJS_WASM_DIR);
    }
    const backend = name === 'tfjs-wasm' ? 'wasm' : 'cpu';
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
    await tf.ready();
    const info = { backend: tf.getBackend(), version: tf.version.tfjs };
    if (backend === 'wasm') {
      info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      info.crossOriginIsolated = self.crossOriginIsolated === true;
    }
    return { name, lib: tf, info };
  }
  if (name === 'convnetjs') {
    // A plain script that defines the global `convnetjs` and, with no `module` around, ends
    // with `window.jsfeat = lib`: a worker has no `window`, so lend it `self` for that line.
    self.window = self;
    importScripts(CONVNETJS);
    return { name, lib: self.convnetjs, info: { script: CONVNETJS } };
  }
  if (engineDir(name)) {
    const dir = `/${engineDir(name)}/`;
    const factory = (await import(`${dir}nnplay.mjs`)).default;
    const response = await fetch(`${dir}nnplay.wasm`);
    if (!response.ok) throw new Error(`${dir}nnplay.wasm: HTTP ${response.status}`);
    const module = await factory({ wasmBinary: await response.arrayBuffer() });
    // The single-threaded engine comes in two parts; the library loads the second on its
    // first asynchronous call, but these jobs drive the module directly, so load it here.
    if (module.nnplayExtraPart === 'missing') {
      const extra = await fetch(`${dir}nnplay-extra.wasm`);
      if (!extra.ok) throw new Error(`${dir}nnplay-extra.wasm: HTTP ${extra.status}`);
      await module.nnplayLoadExtra(await extra.arrayBuffer());
    }
    return { name, module, info: {} };
  }
  throw new Error(`bench: unknown browser system "${name}"`);
}

self.onmessage = async (e) => {
  const { job, system } = e.data;
  try {
    const [{ runJob, usesMnist, usesText }, { parseMnist, parseText }] = await Promise.all([
      import('/bench/workloads.mjs'),
      import('/bench/data.mjs'),
    ]);
    const sys = await loadSystem(system);
    let data = null;
    if (usesMnist.includes(job.workload)) {
      const response = await fetch('/build/bench-data/mnist.bin');
      if (!response.ok) throw new Error(`mnist.bin: HTTP ${response.status}`);
      data = parseMnist(await response.arrayBuffer());
    }
    if (usesText.includes(job.workload)) {
      const response = await fetch('/build/bench-data/text.bin');
      if (!response.ok) throw new Error(`text.bin: HTTP ${response.status}`);
      data = { ...data, text: parseText(await response.arrayBuffer()) };
    }
    const result = await runJob(job, sys, data);
    self.postMessage({ ok: true, result, info: sys.info });
  } catch (err) {
    self.postMessage({ ok: false, error: err && err.stack ? String(err.stack) : String(err) });
  }
};

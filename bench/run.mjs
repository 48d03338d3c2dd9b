// The benchmark driver behind `npm run bench` (scripts/bench.sh builds first, then runs this).
//
// It runs every workload of bench/workloads.mjs on nnplay and its peers, in headless Chromium
// (each job in a fresh Web Worker of bench/page/) and in Node (each job in a fresh worker
// thread), interleaved system by system within each repetition; reads the native Google
// Benchmark GEMM numbers; measures download size; prints a table of medians with ratios
// nnplay ÷ peer and writes bench/results/latest.json. See bench/README.md for the protocol.
//
// It starts its own loopback server and browser and stops both on every exit path.
//
// With --baseline REF it also builds (once, cached: scripts/bench-baseline.sh) an earlier
// commit of this repository and runs its library and engine as twins "nnplay@<sha>" and
// "wasm-simd@<sha>" beside the current ones, with ratios current ÷ baseline.
//
// Usage: node bench/run.mjs [--quick] [--reps N] [--only mlp,playground,predict,calls,gemm,cnn,kerascnn,convnetjs,fashion,lstm32,lstm128,gru,textcnn,vae,vaemin,page,pageimages]
//                           [--baseline [REF]] [--no-browser] [--no-node] [--no-native] [--no-isolation] [--out FILE]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildMnist, buildText } from './data.mjs';
import { fmt } from './format.mjs';
import { measurePage } from './page.mjs';
import { pathToFileURL } from 'node:url';
import { measureSize } from '../scripts/size.mjs';
import { BROWSER_SYSTEMS, NODE_SYSTEMS, GEMM_SYSTEMS, isNnplay, libDir, engineDir, withBaseline } from './systems.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (...a) => console.error('[bench]', ...a);

// `--baseline` without a ref: the last commit before issue 6's v2 reshape of engine and library.
const DEFAULT_BASELINE = '3c69c05';
const USAGE = 'usage: npm run bench -- [--quick] [--reps N] [--only mlp,playground,predict,calls,gemm,cnn,kerascnn,convnetjs,fashion,lstm32,lstm128,gru,textcnn,vae,vaemin,page,pageimages] [--baseline [REF]] [--no-browser] [--no-node] [--no-native] [--no-isolation] [--out FILE]';

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { quick: false, reps: null, only: null, baseline: null, browser: true, node: true, native: true,
    out: path.join(root, 'bench', 'results', 'latest.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a.startsWith('--reps')) o.reps = Number(value());
    else if (a.startsWith('--only')) o.only = value().split(',');
    else if (a === '--baseline') o.baseline = i + 1 < argv.length && !argv[i + 1].startsWith('-') ? argv[++i] : DEFAULT_BASELINE;
    else if (a.startsWith('--baseline=')) o.baseline = value();
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--no-node') o.node = false;
    else if (a === '--no-native') o.native = false;
    else if (a === '--no-isolation') o.isolation = false;
    else if (a.startsWith('--out')) o.out = path.resolve(value());
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  if (o.reps === null) o.reps = o.quick ? 1 : 3;
  if (!Number.isInteger(o.reps) || o.reps < 1) throw new Error(`--reps must be a whole number >= 1, got ${o.reps}`);
  return o;
}
function usageError(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  usageError(e.message);
}
const minSeconds = opts.quick ? 0.2 : 0.5;

// GEMM shapes as [m, k, n]: 256³, the MLP's forward (batch 64 · 784→128), and the shapes of
// its backward products: d_W (784×64 · 64×128) and d_in (64×128 · 128×784).
const GEMM_SHAPES = [[256, 256, 256], [64, 784, 128], [784, 64, 128], [64, 128, 784]];
const shapeKey = ([m, k, n]) => `${m}x${k}x${n}`;
const shapeLabel = ([m, k, n]) => `${m}×${k}·${k}×${n}`;

const ALL_JOBS = [
  { id: 'mlp', workload: 'mlpTrain', opts: {}, timeoutMs: 600_000 },
  { id: 'playground', workload: 'playground', opts: { minSeconds }, timeoutMs: 300_000 },
  { id: 'predict', workload: 'inference', opts: { minSeconds }, timeoutMs: 300_000 },
  // Issue 6: repeated fit() calls of 20 epochs (per-call overhead) and predict on 32 rows.
  { id: 'calls', workload: 'playgroundCalls', opts: { minSeconds }, timeoutMs: 300_000, systems: ['nnplay', 'tfjs-cpu'] },
  { id: 'gemm', workload: 'gemm', opts: { minSeconds, shapes: GEMM_SHAPES }, timeoutMs: 300_000, gemm: true },
  // TF.js wasm cannot train this net ("Kernel 'Conv2DBackpropFilter' not registered for
  // backend 'wasm'"), so its peer is tfjs-cpu only. Runs only when nnplay has conv2d.
  // --quick runs it in Chromium only (TF.js cpu needs ~1 min per run).
  { id: 'cnn', workload: 'cnnTrain', opts: { trainSamples: 2000 }, timeoutMs: 600_000, systems: ['nnplay', 'tfjs-cpu'],
    needsConv: true, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  // Issue 7. W7: the Keras MNIST CNN (TF.js wasm cannot train conv; see W5). W8: the ConvNetJS
  // demo net, also on ConvNetJS itself. Few samples: TF.js cpu trains these at 10–40 samples/s.
  // --quick runs them in Chromium only.
  { id: 'kerascnn', workload: 'imageNetTrain', opts: { net: 'kerasCnn', trainSamples: 256, warmupBatches: 4, minSeconds },
    timeoutMs: 600_000, systems: ['nnplay', 'tfjs-cpu'], needsConv: true, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  { id: 'convnetjs', workload: 'imageNetTrain', opts: { net: 'convnetjsDemo', trainSamples: 300, warmupBatches: 4, minSeconds },
    timeoutMs: 600_000, systems: ['nnplay', 'tfjs-cpu', 'convnetjs'], needsConv: true, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  // One full 60,000-image Fashion-MNIST epoch of the W8 net, nnplay only.
  { id: 'fashion', workload: 'fashionEpoch', opts: { warmupBatches: 4 }, timeoutMs: 600_000, systems: ['nnplay'],
    needsConv: true, needsFashion: true },
  // Issue 8 (its W8/W9; here W9/W10, after issue 7's W7/W8): the seeds' LSTM classifier on MNIST
  // rows and a GRU(64) next-character model, on all three systems. Few samples for TF.js's sake
  // (its wasm backend trains lstm(32) here at ~200-350 samples/s, its cpu backend at ~50).
  { id: 'lstm32', workload: 'lstmRows', opts: { units: 32, trainSamples: 1000, minSeconds }, timeoutMs: 600_000, needsRnn: true },
  { id: 'lstm128', workload: 'lstmRows', opts: { units: 128, trainSamples: 300, minSeconds }, timeoutMs: 600_000, needsRnn: true,
    envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  { id: 'gru', workload: 'gruText', opts: { trainSamples: 300, minSeconds }, timeoutMs: 600_000, needsRnn: true, needsText: true },
  // Issue 10's 1-D pooling: a text CNN on the same windows (TF.js wasm cannot train conv1d, so
  // the peer is TF.js cpu; few samples for its sake).
  { id: 'textcnn', workload: 'textCnn', opts: { trainSamples: 640, minSeconds }, timeoutMs: 600_000, systems: ['nnplay', 'tfjs-cpu'],
    needsConv: true, needsText: true, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  // Issue 9 (W10 there): the VAE 784-256-2 on the 8,000 MNIST digits, one epoch timed, on all three
  // systems (TF.js: a custom Sampling layer whose addLoss adds the KL, see vaeTrain). TF.js cpu
  // trains it at a few hundred samples/s, so --quick runs it in Chromium only.
  { id: 'vae', workload: 'vaeTrain', opts: { minSeconds }, timeoutMs: 600_000, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  // Issue 10: the same VAE trained with optimizer.minimize over model.apply, as TF.js's VAE
  // example trains it (the custom-training path: tape, the engine's vector-Jacobian product).
  { id: 'vaemin', workload: 'vaeMinimize', opts: { minSeconds, trainSamples: 1024 }, timeoutMs: 600_000, envs: opts.quick ? ['chromium'] : ['chromium', 'node'] },
  // The playground page (dist/app) while it trains: longest main-thread task, frames/s.
  { id: 'page', page: '#dataset=circle&seed=3', timeoutMs: 120_000, systems: ['nnplay'], envs: ['chromium'] },
  // The Images mode training the Keras CNN on MNIST (an epoch ends, and is evaluated, inside the window).
  { id: 'pageimages', page: '#mode=images&dataset=mnist&preset=cnn', pageMode: 'images', seconds: 8, timeoutMs: 180_000, systems: ['nnplay'], envs: ['chromium'] },
];
if (opts.only) {
  const unknown = opts.only.filter((id) => id !== 'none' && !ALL_JOBS.some((j) => j.id === id));
  if (unknown.length) usageError(`--only: unknown workload ${unknown.join(', ')}; known: ${ALL_JOBS.map((j) => j.id).join(', ')} (or none)`);
}
const JOBS = ALL_JOBS.filter((j) => !opts.only || opts.only.includes(j.id));

// ---------------------------------------------------------------- cleanup on every exit path
const cleanups = [];
let cleaning = null;
function cleanup() {
  if (!cleaning) cleaning = Promise.allSettled(cleanups.splice(0).reverse().map((f) => f()));
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping browser and server`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- baseline build
// The commit's dist/lib and build/wasm, built once into build/bench-baseline/<sha> (or found
// there) by scripts/bench-baseline.sh from this repository's own history.
let baseline = null;
function buildBaseline(ref) {
  let dir;
  try {
    dir = execFileSync('bash', [path.join(root, 'scripts', 'bench-baseline.sh'), ref], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
      .toString().trim();
  } catch {
    throw new Error(`--baseline ${ref}: scripts/bench-baseline.sh failed (its message is above)`);
  }
  const [commit, ...subject] = fs.readFileSync(path.join(dir, '.built'), 'utf8').trim().split(' ');
  return { ref, sha: path.basename(dir), commit, subject: subject.join(' '), dir: path.relative(root, dir) };
}

// ---------------------------------------------------------------- loopback static server
// (--baseline adds its build's dist/lib and build/wasm, under their own prefix.)
const SERVED = ['bench/', 'dist/lib/', 'dist/app/', 'build/wasm/', 'build/bench-wasm-scalar/', 'build/bench-data/', 'node_modules/@tensorflow/',
  'node_modules/convnetjs/build/'];
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.map': 'application/json', '.bin': 'application/octet-stream' };

function startServer() {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '');
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const file = path.join(root, rel);
    if (!SERVED.some((p) => rel.startsWith(p)) || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end(`not found: ${rel}`);
      return;
    }
    // Cross-origin isolated, so the engine (and TF.js wasm) may use threads; --no-isolation leaves
    // it out, for the single-threaded side of an A/B.
    const isolation = opts.isolation === false ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store', ...isolation });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

// ---------------------------------------------------------------- the browser side
async function startBrowser() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  cleanups.push(() => browser.close());
  return browser;
}

// ---------------------------------------------------------------- one job, one fresh realm
function runNodeJob(job, system) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./node-worker.mjs', import.meta.url), {
      workerData: { job: { workload: job.workload, opts: job.opts }, system, root }, stdout: true, stderr: true,
    });
    // TF.js greets Node users ("install tfjs-node"); keep the table clean, but show the
    // worker's output when its job fails.
    let output = '';
    worker.stdout.on('data', (d) => { output += d; });
    worker.stderr.on('data', (d) => { output += d; });
    let settled = false;
    const done = (msg) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!msg.ok && output.trim()) msg.error = `${msg.error}\n--- worker output ---\n${output.slice(-4000)}`;
      worker.terminate().finally(() => resolve(msg));
    };
    const timer = setTimeout(() => done({ ok: false, error: `timed out after ${job.timeoutMs} ms` }), job.timeoutMs);
    cleanups.push(() => worker.terminate());
    worker.on('message', done);
    worker.on('error', (e) => done({ ok: false, error: e.stack || String(e) }));
    worker.on('exit', (code) => done({ ok: false, error: `worker exited with code ${code}` }));
  });
}

// ---------------------------------------------------------------- native GEMM (Google Benchmark)
// Reads engine_bench's JSON (bench/native/gemm_bench.cpp): benchmarks named
// BM_gemm[_ref]_<...>_<m>x<k>x<n>[_trans*]; GFLOP/s = 2·m·n·k / wall-clock time per call.
function runNativeGemm(dir, label) {
  const exe = path.join(root, dir, 'engine_bench');
  if (!fs.existsSync(exe)) return { error: `${dir}/engine_bench not built` };
  const out = execFileSync(exe, ['--benchmark_format=json', '--benchmark_filter=[Gg][Ee][Mm][Mm]',
    `--benchmark_min_time=${opts.quick ? 0.1 : 0.5}`, `--benchmark_repetitions=${opts.reps}`], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const json = JSON.parse(out.toString());
  const byShape = {};
  for (const b of json.benchmarks) {
    if (b.run_type && b.run_type !== 'iteration') continue;
    const shape = nativeShape(b);
    if (!shape) continue;
    // From wall-clock time, like the wasm figures (Google Benchmark's rate counters divide
    // by CPU time, which reads high on a busy machine).
    const seconds = b.real_time * { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 }[b.time_unit || 'ns'];
    const gflops = (2 * shape[0] * shape[1] * shape[2]) / seconds / 1e9;
    const key = shapeKey(shape) + (/(^|[^a-z])ref|scalar/i.test(b.name) ? ':ref' : '');
    (byShape[key] ||= []).push(gflops);
  }
  return { byShape, label, context: json.context };
}
// Native names are read as .../m/k/n unless the benchmark declares otherwise via counters
// m, k, n (preferred when present).
function nativeShape(b) {
  if (['m', 'k', 'n'].every((c) => typeof b[c] === 'number')) return [b.m, b.k, b.n];
  const nums = (b.name.match(/\d+/g) || []).map(Number).slice(-3);
  return nums.length === 3 ? nums : null;
}

// ---------------------------------------------------------------- size
function gzipSize(files) {
  return files.reduce((s, f) => s + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
}
function listFiles(dir, pred) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, pred) : pred(p) ? [p] : [];
  });
}

// ---------------------------------------------------------------- statistics and figures
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (values) => (values.length ? { runs: values.length, min: Math.min(...values), median: median(values), max: Math.max(...values), values } : null);

const figures = [];
function addFigure(name, unit, env, valuesBySystem, { higherIsBetter = true, ratios = [], targets = [], note } = {}) {
  const systems = {};
  for (const [sys, values] of Object.entries(valuesBySystem)) {
    const s = stats(values.filter((v) => typeof v === 'number' && Number.isFinite(v)));
    if (s) systems[sys] = s;
  }
  const ratioOut = {};
  for (const [a, b] of ratios) {
    if (systems[a] && systems[b]) ratioOut[`${a}/${b}`] = systems[a].median / systems[b].median;
  }
  const targetOut = targets.map((t) => {
    const r = t.ratio ? ratioOut[t.ratio] : systems[t.system]?.median;
    const met = r === undefined ? null : t.max !== undefined ? r <= t.max : r >= t.min;
    return { ...t, value: r ?? null, met };
  });
  const runs = Math.max(0, ...Object.values(systems).map((s) => s.runs));
  figures.push({ name, unit, env, runs, higherIsBetter, systems, ratios: ratioOut, targets: targetOut, ...(note ? { note } : {}) });
}

/** What was measured: sha256 prefix of each library / engine / native benchmark file. */
function artifactIds() {
  const files = [
    ...withBaseline(['nnplay'], baseline?.sha).flatMap((s) => listFiles(path.join(root, libDir(s)), (f) => /\.(m?js|wasm)$/.test(f))),
    ...withBaseline(GEMM_SYSTEMS, baseline?.sha).map((s) => path.join(root, engineDir(s), 'nnplay.wasm')),
    path.join(root, 'build', 'bench-sse', 'engine_bench'),
    path.join(root, 'build', 'bench-native', 'engine_bench'),
  ].filter((f) => fs.existsSync(f));
  return Object.fromEntries(files.map((f) => [path.relative(root, f),
    crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex').slice(0, 12)]));
}

/** Fraction of all CPU time spent non-idle over the next `ms` milliseconds. */
async function cpuBusyFraction(ms) {
  const sample = () => os.cpus().reduce((acc, c) => {
    const t = c.times;
    acc.idle += t.idle;
    acc.total += t.user + t.nice + t.sys + t.irq + t.idle;
    return acc;
  }, { idle: 0, total: 0 });
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const b = sample();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

// ---------------------------------------------------------------- main
async function main() {
  const started = Date.now();
  // Build (or find) the baseline first: its one-off build must not overlap the measurements.
  if (opts.baseline) {
    baseline = buildBaseline(opts.baseline);
    SERVED.push(`${libDir(`nnplay@${baseline.sha}`)}/`, `${engineDir(`wasm-simd@${baseline.sha}`)}/`);
    log(`baseline: nnplay@${baseline.sha} = ${baseline.commit.slice(0, 12)} "${baseline.subject}" (${baseline.dir})`);
  }
  const loadAtStart = os.loadavg();
  // The load average lags by a minute; what matters is whether something else is running now.
  const busyAtStart = await cpuBusyFraction(1000);
  if (busyAtStart > 0.2) {
    log(`warning: the CPUs are ${(100 * busyAtStart).toFixed(0)} % busy before we start (load average ${loadAtStart[0].toFixed(2)} on ${os.cpus().length} cores): figures will be noisy`);
  }
  await buildMnist(root, path.join(root, 'build', 'bench-data', 'mnist.bin'));
  if (JOBS.some((j) => j.needsText)) await buildText(root, path.join(root, 'build', 'bench-data', 'text.bin'));
  const artifactsAtStart = artifactIds();

  // Every library and raw engine build a job may ask for, current and baseline: present or not.
  const base = baseline && `nnplay@${baseline.sha}`;
  const have = {};
  for (const s of withBaseline(['nnplay', ...GEMM_SYSTEMS], baseline?.sha)) {
    const file = isNnplay(s) ? `${libDir(s)}/nnplay.js` : `${engineDir(s)}/nnplay.mjs`;
    have[s] = fs.existsSync(path.join(root, file));
    if (!have[s]) log(`${file} is missing: ${s} figures skipped`);
  }
  const hasConv = {};
  const hasFashion = {};
  const hasRnn = {};
  for (const s of withBaseline(['nnplay'], baseline?.sha)) {
    if (!have[s]) continue;
    try {
      const lib = await import(pathToFileURL(path.join(root, libDir(s), 'nnplay.js')).href);
      hasConv[s] = typeof lib.layers?.conv2d === 'function';
      hasFashion[s] = typeof lib.datasets?.fashionMnist === 'function';
      hasRnn[s] = typeof lib.layers?.lstm === 'function' && typeof lib.layers?.gru === 'function';
    } catch (e) {
      log(`cannot import ${s} in the driver: ${e.message}`);
    }
  }

  const skipped = [];
  const cnnName = 'W5 small CNN (conv2d 8 3×3 → maxPool 2 → dense 10)';
  if (!hasConv.nnplay) {
    skipped.push({ name: cnnName, reason: 'skipped: no conv2d' });
    for (let i = JOBS.length - 1; i >= 0; i--) if (JOBS[i].needsConv) JOBS.splice(i, 1);
  } else if (base && have[base] && !hasConv[base] && JOBS.some((j) => j.needsConv)) {
    skipped.push({ name: `${cnnName}, ${base}`, reason: `skipped for ${base}: no conv2d in that build` });
  }
  if (!hasFashion.nnplay && JOBS.some((j) => j.needsFashion)) {
    skipped.push({ name: 'W8 net, one 60,000-image Fashion-MNIST epoch', reason: 'skipped: no nn.datasets.fashionMnist' });
    for (let i = JOBS.length - 1; i >= 0; i--) if (JOBS[i].needsFashion) JOBS.splice(i, 1);
  }

  const systemsFor = (job, env) => {
    if (job.envs && !job.envs.includes(env)) return [];
    const list = job.gemm ? GEMM_SYSTEMS : job.systems || (env === 'chromium' ? BROWSER_SYSTEMS : NODE_SYSTEMS);
    return withBaseline(list, baseline?.sha).filter((s) => have[s] !== false && (!job.needsConv || !isNnplay(s) || hasConv[s])
      && (!job.needsFashion || !isNnplay(s) || hasFashion[s]) && (!job.needsRnn || !isNnplay(s) || hasRnn[s]));
  };

  // results[env][jobId][system] = [{ result, info }]
  const results = { chromium: {}, node: {} };
  const errors = [];
  const info = {};
  const record = (env, job, system, msg) => {
    const slot = ((results[env][job.id] ||= {})[system] ||= []);
    if (msg.ok) {
      slot.push(msg.result);
      info[`${env}:${system}`] = msg.info;
    } else {
      errors.push({ env, job: job.id, system, error: msg.error });
      log(`  FAILED ${env} ${job.id} ${system}: ${String(msg.error).split('\n').slice(0, 3).join(' | ')}`);
    }
  };

  let browserVersion = null;
  if (opts.browser && JOBS.length) {
    const base = await startServer();
    const browser = await startBrowser();
    browserVersion = `Chromium ${browser.version()}`;
    const page = await browser.newPage();
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(`${base}/bench/page/index.html`);
    await page.waitForFunction(() => window.benchPageReady === true);
    log(`${browserVersion}, page ${base}/bench/page/index.html`);
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const job of JOBS) {
        for (const system of systemsFor(job, 'chromium')) {
          const t0 = Date.now();
          const msg = job.page
            ? await measurePage(browser, `${base}/dist/app/index.html${job.page}`, { mode: job.pageMode, seconds: job.seconds }).then((result) => ({ ok: true, result }), (e) => ({ ok: false, error: e.stack || String(e) }))
            : await page.evaluate(([j, s, t]) => window.runJob(j, s, t), [{ workload: job.workload, opts: job.opts }, system, job.timeoutMs]);
          log(`chromium rep ${rep + 1}/${opts.reps} ${job.id} ${system}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          record('chromium', job, system, msg);
        }
      }
    }
    await cleanup();
    cleaning = null;
  }

  if (opts.node) {
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const job of JOBS) {
        for (const system of systemsFor(job, 'node')) {
          const t0 = Date.now();
          const msg = await runNodeJob(job, system);
          log(`node rep ${rep + 1}/${opts.reps} ${job.id} ${system}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          record('node', job, system, msg);
        }
      }
    }
  }

  const native = {};
  if (opts.native && JOBS.some((j) => j.gemm)) {
    for (const [dir, label] of [['build/bench-sse', 'native-sse4.2'], ['build/bench-native', 'native-default']]) {
      try {
        native[label] = runNativeGemm(dir, label);
        if (native[label].error) log(`${label}: ${native[label].error}`);
      } catch (e) {
        native[label] = { error: String(e.message || e) };
        log(`${label}: ${native[label].error}`);
      }
    }
  }

  // ------------------------------------------------------------ figures
  const pick = (env, jobId, fn) => Object.fromEntries(Object.entries(results[env][jobId] || {}).map(([s, rs]) => [s, rs.map(fn)]));
  // The ratios of each figure: nnplay ÷ its baseline first (is the current build slower?), then
  // nnplay ÷ each peer.
  const versus = (peers) => [...(base ? [base] : []), ...peers].map((p) => ['nnplay', p]);
  for (const env of ['chromium', 'node']) {
    const vs = versus(env === 'chromium' ? ['tfjs-wasm', 'tfjs-cpu'] : ['tfjs-cpu']);
    if (results[env].mlp) {
      addFigure('W1 MLP train, 1 epoch of 8,000', 'samples/s', env, pick(env, 'mlp', (r) => r.samplesPerSec), {
        ratios: vs,
        targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 5 }, { ratio: 'nnplay/tfjs-cpu', min: 30 }] : [{ ratio: 'nnplay/tfjs-cpu', min: 30 }],
      });
      // "Same accuracy": within 2 % relative. On 2,000 test digits at ~93 % one standard error is
      // ~0.6 points, and the two systems start from different random weights.
      addFigure('W1 test accuracy after 3 epochs (2,000 held out)', 'fraction', env, pick(env, 'mlp', (r) => r.testAccuracy), {
        ratios: vs, targets: vs.map(([a, b]) => ({ ratio: `${a}/${b}`, min: 0.98 })),
      });
      const heaps = Object.fromEntries(Object.entries(results[env].mlp).filter(([s]) => isNnplay(s)).map(([s, rs]) => [s, rs.map((r) => r.heapBytes)]));
      const heapFigure = (fn) => Object.fromEntries(Object.entries(heaps).map(([s, hs]) => [s, hs.map(fn)]));
      if (heaps.nnplay?.length) {
        addFigure('Memory: wasm heap after 3 epochs of W1', 'MB', env, heapFigure((h) => h[h.length - 1] / 2 ** 20),
          { higherIsBetter: false, ratios: versus([]), targets: [{ system: 'nnplay', max: 64 }] });
        addFigure('Memory: wasm heap growth, epoch 1 → 3', 'MB', env, heapFigure((h) => (h[h.length - 1] - h[1]) / 2 ** 20),
          { higherIsBetter: false, targets: [{ system: 'nnplay', max: 0 }] });
      }
    }
    if (results[env].cnn) {
      const cnnVs = versus(['tfjs-cpu']);
      addFigure('W5 small CNN train, 1 epoch of 2,000', 'samples/s', env, pick(env, 'cnn', (r) => r.samplesPerSec), { ratios: cnnVs });
      addFigure('W5 CNN test accuracy after 2 epochs', 'fraction', env, pick(env, 'cnn', (r) => r.testAccuracy), {
        ratios: cnnVs, targets: [{ ratio: 'nnplay/tfjs-cpu', min: 0.98 }],
      });
    }
    if (results[env].kerascnn) {
      const kVs = versus(['tfjs-cpu']);
      const n = results[env].kerascnn.nnplay?.[0]?.trainSamples ?? 256;
      addFigure(`W7 Keras MNIST CNN train, batch 32, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'kerascnn', (r) => r.samplesPerSec), {
        ratios: kVs, targets: [{ ratio: 'nnplay/tfjs-cpu', min: 50 }],
        note: 'conv2d 32 3×3 relu → maxPool 2 → flatten → dense 128 relu → dense 10 softmax, Adam 1e-3; TF.js wasm cannot train conv2d',
      });
      addFigure(`W7 test accuracy after the warm-up and 1 epoch of ${fmt(n)} (2,000 held out)`, 'fraction', env, pick(env, 'kerascnn', (r) => r.testAccuracy), { ratios: kVs });
    }
    if (results[env].convnetjs) {
      const cVs = versus(['tfjs-cpu', 'convnetjs']);
      const n = results[env].convnetjs.nnplay?.[0]?.trainSamples ?? 300;
      addFigure(`W8 ConvNetJS MNIST net train, batch 20, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'convnetjs', (r) => r.samplesPerSec), {
        ratios: cVs, targets: [{ ratio: 'nnplay/convnetjs', min: 20 }],
        note: 'conv 8 5×5 relu pad 2 → pool 2 → conv 16 5×5 relu pad 2 → pool 3 → softmax 10; SGD momentum 0.9, lr 0.01 on all three',
      });
      addFigure(`W8 test accuracy after the warm-up and 1 epoch of ${fmt(n)} (2,000 held out)`, 'fraction', env, pick(env, 'convnetjs', (r) => r.testAccuracy), { ratios: cVs });
    }
    // Node has no TF.js wasm peer in this harness (bench/sequence-speed.mjs runs it in Node).
    const rnnVs = versus(env === 'chromium' ? ['tfjs-wasm', 'tfjs-cpu'] : ['tfjs-cpu']);
    const rnnNote = 'recurrentActivation sigmoid on both sides (TF.js defaults to hardSigmoid)';
    if (results[env].lstm32) {
      const n = results[env].lstm32.nnplay?.[0]?.trainSamples ?? 1000;
      addFigure(`W9 LSTM(32) on MNIST rows, batch 64, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'lstm32', (r) => r.samplesPerSec), {
        ratios: rnnVs, targets: [{ system: 'nnplay', min: 5000 }, ...(env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 10 }] : [])],
        note: `lstm(32) over 28 steps of 28 pixels → dense(10, softmax) on the last step, Adam 1e-3; ${rnnNote}`,
      });
    }
    if (results[env].lstm128) {
      const n = results[env].lstm128.nnplay?.[0]?.trainSamples ?? 300;
      addFigure(`W9 LSTM(128) on MNIST rows, batch 64, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'lstm128', (r) => r.samplesPerSec), {
        ratios: rnnVs, targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 10 }] : [],
      });
    }
    if (results[env].gru) {
      const n = results[env].gru.nnplay?.[0]?.trainSamples ?? 300;
      addFigure(`W10 GRU(64) next character, windows of 40, batch 64, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'gru', (r) => r.samplesPerSec), {
        ratios: rnnVs, targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 10 }] : [],
        note: `nn.datasets.text()'s fortunes, one-hot (vocabulary 85), stride 8 → gru(64, resetAfter false) → dense(85, softmax), Adam 1e-3; ${rnnNote}`,
      });
    }
    if (results[env].textcnn) {
      const n = results[env].textcnn.nnplay?.[0]?.trainSamples ?? 640;
      addFigure(`W13 text CNN (embedding, conv1d, maxPooling1d, globalMaxPooling1d), next character, batch 64, epoch of ${fmt(n)}`, 'samples/s', env, pick(env, 'textcnn', (r) => r.samplesPerSec), {
        ratios: versus(['tfjs-cpu']),
        note: "nn.datasets.text()'s fortunes as ids, windows of 40, stride 8 → embedding(85, 16) → conv1d(32, 5, relu) → maxPooling1d(2) → conv1d(32, 3, relu) → globalMaxPooling1d → dense(85, softmax), Adam 1e-3; TF.js wasm cannot train conv1d",
      });
    }
    if (results[env].vae) {
      addFigure('W11 VAE 784-256-2-256-784 on MNIST, batch 64, epoch of 8,000', 'samples/s', env, pick(env, 'vae', (r) => r.samplesPerSec), {
        ratios: vs, targets: [{ system: 'nnplay', min: 8000 }],
        note: 'binary CE + KL, Adam 1e-3, fit(); nnplay: klDivergence + gaussianSampling; TF.js: custom Sampling layer (seeded tf.randomNormal) adding the KL with layer.addLoss; target: an 8,000-image epoch in <= 1 s',
      });
    }
    if (results[env].vaemin) {
      addFigure('W12 the same VAE, trained with optimizer.minimize over model.apply (TF.js example style), batch 64', 'samples/s', env, pick(env, 'vaemin', (r) => r.samplesPerSec), {
        ratios: vs,
        note: 'encoder and decoder models applied inside optimizer.minimize, reparameterisation and MSE + KL loss in ops, Adam 1e-3; the same code on every system; nnplay: the engine differentiates each model (vector-Jacobian product), the ops run on the tape',
      });
    }
    if (results[env].fashion) {
      addFigure('W8 net, one 60,000-image Fashion-MNIST epoch', 's', env, pick(env, 'fashion', (r) => r.seconds), {
        higherIsBetter: false, targets: [{ system: 'nnplay', max: 10 }],
      });
      addFigure('W8 net, Fashion-MNIST test accuracy after that epoch (10,000)', 'fraction', env, pick(env, 'fashion', (r) => r.testAccuracy), {});
    }
    if (results[env].playground) {
      addFigure('W2 Playground 2-8-8-1, SGD, batch 10', 'steps/s', env, pick(env, 'playground', (r) => r.stepsPerSec), {
        ratios: vs, targets: [{ ratio: 'nnplay/tfjs-cpu', min: 100 }],
      });
    }
    if (results[env].calls) {
      const callsVs = versus(['tfjs-cpu']);
      addFigure('W6 Playground net, repeated fit() of 20 epochs', 'steps/s', env, pick(env, 'calls', (r) => r.stepsPerSec), {
        ratios: callsVs, targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-cpu', min: 150 }] : [],
      });
      addFigure('W6 predict 32 rows of the Playground net, per call', 'µs', env, pick(env, 'calls', (r) => r.predict32Us), {
        higherIsBetter: false, ratios: callsVs,
      });
      addFigure('W6 the same 32 rows inside one 4,096-row predict (its math)', 'µs', env, pick(env, 'calls', (r) => r.predict32MathUs), {
        higherIsBetter: false, ratios: callsVs,
      });
    }
    if (results[env].page) {
      // Chromium reports only tasks over 50 ms (long tasks): the budget is "none of them".
      addFigure('Page: main-thread tasks over 50 ms in 5 s of playground training', 'tasks', env, pick(env, 'page', (r) => r.longTasks), {
        higherIsBetter: false, targets: [{ system: 'nnplay', max: 0 }],
      });
      addFigure('Page: heatmap frames drawn per second while training', 'frames/s', env, pick(env, 'page', (r) => r.framesPerSec), {
        targets: [{ system: 'nnplay', min: 20 }],
      });
    }
    if (results[env].pageimages) {
      addFigure('Page: main-thread tasks over 50 ms in 8 s of Images-mode CNN training', 'tasks', env, pick(env, 'pageimages', (r) => r.longTasks), {
        higherIsBetter: false, targets: [{ system: 'nnplay', max: 0 }],
      });
      addFigure('Page: longest main-thread task in Images-mode CNN training', 'ms', env, pick(env, 'pageimages', (r) => r.longestTaskMs), {
        higherIsBetter: false,
      });
      addFigure('Page: Images-mode frames drawn per second while training', 'frames/s', env, pick(env, 'pageimages', (r) => r.framesPerSec), {});
    }
    if (results[env].predict) {
      addFigure('W3 predict 2,000 digits, batch 32', 'samples/s', env, pick(env, 'predict', (r) => r.batch32SamplesPerSec), {
        ratios: vs, targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 5 }] : [],
      });
      addFigure('W3 predict 2,000 digits, one batch', 'samples/s', env, pick(env, 'predict', (r) => r.batch2000SamplesPerSec), {
        ratios: vs, targets: env === 'chromium' ? [{ ratio: 'nnplay/tfjs-wasm', min: 1.2 }] : [],
      });
    }
  }
  if (JOBS.some((j) => j.gemm)) {
    for (const shape of GEMM_SHAPES) {
      const key = shapeKey(shape);
      const values = {};
      for (const env of ['chromium', 'node']) {
        for (const [sys, rs] of Object.entries(results[env].gemm || {})) values[`${sys} (${env})`] = rs.map((r) => r.gflops[key]);
      }
      for (const [label, n] of Object.entries(native)) {
        if (n.byShape?.[key]) values[label] = n.byShape[key];
        if (n.byShape?.[`${key}:ref`]) values[`${label} scalar ref`] = n.byShape[`${key}:ref`];
      }
      const twins = base ? ['chromium', 'node'].map((e) => [`wasm-simd (${e})`, `wasm-simd@${baseline.sha} (${e})`]) : [];
      addFigure(`W4 GEMM ${shapeLabel(shape)}`, 'GFLOP/s', 'mixed', values, {
        ratios: [...twins, ['wasm-simd (chromium)', 'native-sse4.2'], ['wasm-simd (chromium)', 'wasm-scalar (chromium)'], ['wasm-simd (node)', 'wasm-scalar (node)']],
        targets: [{ ratio: 'wasm-simd (chromium)/native-sse4.2', min: 0.85 }, { ratio: 'wasm-simd (chromium)/wasm-scalar (chromium)', min: 3.5 }],
        note: 'wasm: one dense forward (no bias, linear) through the engine facade = one gemm(m,n,k) on data already in wasm memory; native: engine_bench (Google Benchmark)',
      });
    }
  }

  // Size: what a user downloads. nnplay = scripts/size.mjs (npm run size): a tiny app that
  // imports the package, trains and predicts, built with Vite's defaults; its JS loaded at start,
  // the fit worker, the .wasm and its glue (the lazy chunks it ships but never fetches are in the note).
  // A baseline is its package's files (entry + fit worker + wasm, each distinct file once).
  const downloadedFiles = (dir) => {
    const seen = new Set();
    return listFiles(path.join(root, dir), (f) => /\.(m?js|wasm)$/.test(f)).filter((f) => {
      const key = zlib.crc32 ? `${fs.statSync(f).size}:${zlib.crc32(fs.readFileSync(f))}` : fs.readFileSync(f).toString('base64');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const tfMin = path.join(root, 'node_modules', '@tensorflow', 'tfjs', 'dist', 'tf.min.js');
  const tfWasmFiles = ['tf-backend-wasm.min.js', 'tfjs-backend-wasm-simd.wasm'].map((f) => path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', f));
  const size = {};
  let appSize = null;
  try {
    appSize = await measureSize();
  } catch (err) {
    log(`size: ${err.message}`);
  }
  if (appSize) size.nnplay = [appSize.totals.trainingApp.gzip / 1024];
  if (base && have[base]) size[base] = [gzipSize(downloadedFiles(libDir(base))) / 1024];
  if (fs.existsSync(tfMin)) size['tfjs (tf.min.js)'] = [gzipSize([tfMin]) / 1024];
  if (fs.existsSync(tfMin) && tfWasmFiles.every((f) => fs.existsSync(f))) size['tfjs + wasm backend'] = [gzipSize([tfMin, ...tfWasmFiles]) / 1024];
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const breakdown = appSize
    ? `${['start', 'worker', 'engine', 'glue'].map((g) => `${g} ${kb(appSize.totals[g].gzip)}`).join(', ')}; lazy chunks shipped, loaded on first call: ${kb(appSize.totals.lazy.gzip)}`
    : 'none (dist/lib not built)';
  addFigure('Size: JS + wasm, gzip -9', 'KB', 'files', size, {
    higherIsBetter: false, ratios: versus(['tfjs (tf.min.js)']), targets: [{ system: 'nnplay', max: 150 }],
    note: `nnplay: a Vite app that trains (scripts/size.mjs): ${breakdown}`,
  });

  // ------------------------------------------------------------ report
  // A build that changes under a running benchmark makes its figures a mix of two builds.
  const artifactsAtEnd = artifactIds();
  const rebuilt = Object.keys({ ...artifactsAtStart, ...artifactsAtEnd }).filter((k) => artifactsAtStart[k] !== artifactsAtEnd[k]);
  if (rebuilt.length) log(`warning: rebuilt during the run, figures mix two builds: ${rebuilt.join(', ')}`);
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    quick: opts.quick,
    repetitions: opts.reps,
    machine: { cpu: cpus[0]?.model?.trim(), cores: cpus.length, platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))), cpuBusyAtStart: Number(busyAtStart.toFixed(3)) },
    browser: browserVersion,
    node: process.version,
    tfjs: info['chromium:tfjs-wasm'] || info['chromium:tfjs-cpu'] || info['node:tfjs-cpu'] || null,
    baseline,
    systemsInfo: info,
    nativeContext: Object.fromEntries(Object.entries(native).map(([k, v]) => [k, v.context ? { cpu_scaling_enabled: v.context.cpu_scaling_enabled, num_cpus: v.context.num_cpus, mhz_per_cpu: v.context.mhz_per_cpu } : v])),
    artifacts: artifactsAtStart,
    rebuiltDuringRun: rebuilt,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    figures,
    skipped,
    errors,
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(`${opts.out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(`${opts.out}.tmp`, opts.out);
  printTable(report);
  log(`wrote ${path.relative(process.cwd(), opts.out)} in ${report.durationSeconds} s`);
  return errors.length ? 1 : 0;
}

function printTable(report) {
  const lines = [];
  lines.push(`nnplay benchmark  ${report.date}  ${report.machine.cpu} ×${report.machine.cores}  ${report.browser || 'no browser'}  Node ${report.node}${report.quick ? '  (--quick: 1 run each)' : ''}`);
  if (report.baseline) lines.push(`baseline: nnplay@${report.baseline.sha} = ${report.baseline.commit.slice(0, 12)} "${report.baseline.subject}" (--baseline ${report.baseline.ref})`);
  lines.push('median [min–max] per system; ratios are of medians');
  for (const f of report.figures) {
    lines.push('');
    lines.push(`${f.name}  (${f.unit}, ${f.env}, ${f.runs} run${f.runs === 1 ? '' : 's'}${f.higherIsBetter ? '' : ', lower is better'})`);
    for (const [sys, s] of Object.entries(f.systems)) {
      const range = s.runs > 1 ? `  [${fmt(s.min)}–${fmt(s.max)}]` : '';
      lines.push(`  ${sys.padEnd(30)} ${fmt(s.median).padStart(12)}${range}`);
    }
    if (f.unit === 'KB' && f.note) lines.push(`  (${f.note})`);
    for (const [k, r] of Object.entries(f.ratios)) lines.push(`  ratio ${k.padEnd(24)} ${fmt(r).padStart(12)}×`);
    for (const t of f.targets) {
      const what = t.ratio ? `${t.ratio} ${t.min !== undefined ? '≥ ' + t.min + '×' : '≤ ' + t.max + '×'}` : `${t.system} ${t.min !== undefined ? '≥ ' + t.min : '≤ ' + t.max} ${f.unit}`;
      lines.push(`  target ${what}: ${t.met === null ? 'not measured' : t.met ? 'met' : `MISSED (${fmt(t.value)})`}`);
    }
  }
  for (const s of report.skipped) lines.push('', `${s.name}: ${s.reason}`);
  if (report.errors.length) lines.push('', `${report.errors.length} job(s) failed: see "errors" in the JSON`);
  console.log(lines.join('\n'));
}

let code = 1;
try {
  code = await main();
} catch (e) {
  log(`error: ${e.stack || e}`);
} finally {
  await cleanup();
}
process.exit(code);

// The benchmark's workloads, written once against the API nnplay shares with TensorFlow.js
// Layers (sequential / layers.dense / train.* / tensor / fit / predict), so both systems run
// literally the same script: same data, model, hyperparameters and timing protocol.
//
// What this is not: a harness. It knows nothing of workers, browsers or Node; the caller
// (bench/page/worker.js in Chromium, bench/node-worker.mjs in Node) loads the library
// (`lib`: the nnplay module or the global `tf`), the data, and calls runJob() once in a
// fresh realm. Timing uses performance.now(), available in both.
//
// Protocol (issue 3): warm up one epoch, time the next. Where one unit of work is too short
// to time with a coarse worker clock (workload 2 epoch = 50 steps, predict, GEMM), the timed
// call is repeated with doubling size until it lasts at least `minSeconds`; the last, longest
// call is the figure, and every earlier call counts as more warm-up. Same rule for every system.

import { circleData } from './data.mjs';
import { isNnplay } from './systems.mjs';

const now = () => performance.now();

/** Keras/TF.js-Layers model builder shared by both systems. */
function sequential(sys, layers, seed) {
  const { lib } = sys;
  const config = { layers: layers.map((l) => lib.layers.dense(l)) };
  // Only nnplay takes a seed (TF.js initialises from its own global RNG).
  if (isNnplay(sys.name)) config.seed = seed;
  return lib.sequential(config);
}

function mlp(sys) {
  return sequential(sys, [
    { inputShape: [784], units: 128, activation: 'relu' },
    { units: 10, activation: 'softmax' },
  ], 7);
}

function dispose(...things) {
  for (const t of things) if (t && typeof t.dispose === 'function') t.dispose();
}

function heapBytes(sys) {
  return isNnplay(sys.name) && typeof sys.lib.memory === 'function' ? sys.lib.memory().wasmHeapBytes : null;
}

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

/** Workload 1: MLP 784-128-10, Adam 1e-3, batch 64, sparse CE: samples/s, accuracy after 3 epochs. */
async function mlpTrain(sys, data) {
  const { lib } = sys;
  const xs = lib.tensor(data.xTrain, [data.nTrain, data.dim]);
  const ys = lib.tensor(Float32Array.from(data.yTrain), [data.nTrain, 1]);
  const xt = lib.tensor(data.xTest, [data.nTest, data.dim]);
  const model = mlp(sys);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  const heap = [heapBytes(sys)];
  await model.fit(xs, ys, fitArgs); // warm-up epoch
  heap.push(heapBytes(sys));
  const t0 = now();
  await model.fit(xs, ys, fitArgs); // timed epoch
  const seconds = (now() - t0) / 1000;
  heap.push(heapBytes(sys));
  await model.fit(xs, ys, fitArgs); // third epoch, for the accuracy figure
  heap.push(heapBytes(sys));
  const accuracy = await argmaxAccuracy(sys, model, xt, data.yTest, data.nTest);
  dispose(model, xs, ys, xt);
  return { samplesPerSec: data.nTrain / seconds, testAccuracy: accuracy, heapBytes: heap };
}

/** Workload 2: TensorFlow Playground net 2-8-8-1 tanh/sigmoid, SGD 0.03, batch 10, 500 points. */
async function playground(sys, _data, opts) {
  const { lib } = sys;
  const d = circleData(500, 1);
  const xs = lib.tensor(d.x, [d.n, 2]);
  const ys = lib.tensor(d.y, [d.n, 1]);
  const model = sequential(sys, [
    { inputShape: [2], units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ], 3);
  // Playground's loss is the squared error; one call trains all epochs (no per-step crossing).
  model.compile({ optimizer: lib.train.sgd(0.03), loss: 'meanSquaredError' });
  const stepsPerEpoch = Math.ceil(d.n / 10);
  await model.fit(xs, ys, { epochs: 1, batchSize: 10, shuffle: true, verbose: 0 }); // warm-up
  let epochs = 1;
  let seconds = 0;
  for (;;) {
    const t0 = now();
    await model.fit(xs, ys, { epochs, batchSize: 10, shuffle: true, verbose: 0 });
    seconds = (now() - t0) / 1000;
    if (seconds >= opts.minSeconds || epochs >= 1 << 16) break;
    epochs *= 2;
  }
  dispose(model, xs, ys);
  return { stepsPerSec: (epochs * stepsPerEpoch) / seconds, timedSteps: epochs * stepsPerEpoch };
}

/**
 * Workload 6: per-call overhead, measured the way TF.js users train the TensorFlow Playground
 * net: the W2 model, trained by repeated fit() calls of 20 epochs each on the same 500 points
 * (batch 10). Every call pays whatever the library does per fit() (copying and checking the
 * data, setting up, crossing into the engine) on top of 1,000 steps of math; W2's one long
 * fit() is the same math without the per-call part. Then predict() on 32 rows of that net, per
 * call, beside the same rows' share of one 4,096-row predict (its math, batched): a small call
 * should cost little more than that.
 */
async function playgroundCalls(sys, _data, opts) {
  const { lib } = sys;
  const d = circleData(500, 1);
  const xs = lib.tensor(d.x, [d.n, 2]);
  const ys = lib.tensor(d.y, [d.n, 1]);
  const model = sequential(sys, [
    { inputShape: [2], units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ], 3);
  model.compile({ optimizer: lib.train.sgd(0.03), loss: 'meanSquaredError' });
  const fitArgs = { epochs: 20, batchSize: 10, shuffle: true, verbose: 0 };
  const stepsPerCall = 20 * Math.ceil(d.n / 10);
  await model.fit(xs, ys, fitArgs); // warm-up call
  let calls = 1;
  let seconds = 0;
  for (;;) {
    const t0 = now();
    for (let c = 0; c < calls; c++) await model.fit(xs, ys, fitArgs);
    seconds = (now() - t0) / 1000;
    if (seconds >= opts.minSeconds || calls >= 1 << 12) break;
    calls *= 2;
  }
  const stepsPerSec = (calls * stepsPerCall) / seconds;

  // predict: 32 rows per call, against 4,096 rows in one call.
  const rows32 = lib.tensor(d.x.subarray(0, 64), [32, 2]);
  const big = new Float32Array(4096 * 2);
  for (let i = 0; i < big.length; i++) big[i] = d.x[i % d.x.length];
  const rows4096 = lib.tensor(big, [4096, 2]);
  const perCall = async (x) => {
    const pass = async (times) => {
      for (let r = 0; r < times; r++) {
        const out = model.predict(x, { batchSize: x.shape[0] });
        await out.data();
        dispose(out);
      }
    };
    await pass(2); // warm-up
    let times = 1;
    let s = 0;
    for (;;) {
      const t0 = now();
      await pass(times);
      s = (now() - t0) / 1000;
      if (s >= opts.minSeconds / 2 || times >= 1 << 18) break;
      times *= 2;
    }
    return (s / times) * 1e6; // microseconds per call
  };
  const predict32Us = await perCall(rows32);
  const predict4096Us = await perCall(rows4096);
  dispose(model, xs, ys, rows32, rows4096);
  return {
    stepsPerSec,
    fitCallsTimed: calls,
    msPerFitCall: (seconds * 1000) / calls,
    predict32Us,
    // The 32 rows' share of the batched call: the math, with per-call cost spread thin.
    predict32MathUs: (predict4096Us * 32) / 4096,
  };
}

/**
 * Workload 3: predict the 2,000 test digits with the MLP, in calls of 32 samples (63 calls,
 * the latency-bound case: per-call overhead dominates) and in one call of 2,000.
 * The 32-row input tensors are made before timing, and the same way for both systems (TF.js's
 * predict({batchSize: 32}) would slice inside the timed region; nnplay's predict has no
 * batchSize option). Every output is read back to JS, as a user would need it.
 */
async function inference(sys, data, opts) {
  const { lib } = sys;
  const xt = lib.tensor(data.xTest, [data.nTest, data.dim]);
  const batches = [];
  for (let start = 0; start < data.nTest; start += 32) {
    const rows = Math.min(32, data.nTest - start);
    batches.push(lib.tensor(data.xTest.subarray(start * data.dim, (start + rows) * data.dim), [rows, data.dim]));
  }
  const model = mlp(sys);
  const result = {};
  // TF.js predict() splits into batches of 32 unless told otherwise: ask for one batch.
  const cases = { batch32: batches, batch2000: [xt] };
  for (const [name, inputs] of Object.entries(cases)) {
    const pass = async (times) => {
      for (let r = 0; r < times; r++) {
        for (const x of inputs) {
          const out = model.predict(x, { batchSize: x.shape[0] });
          await out.data();
          dispose(out);
        }
      }
    };
    await pass(1); // warm-up
    let times = 1;
    let seconds = 0;
    for (;;) {
      const t0 = now();
      await pass(times);
      seconds = (now() - t0) / 1000;
      if (seconds >= opts.minSeconds || times >= 1 << 12) break;
      times *= 2;
    }
    result[`${name}SamplesPerSec`] = (times * data.nTest) / seconds;
  }
  dispose(model, xt, ...batches);
  return result;
}

/**
 * Workload 4 (wasm side): a GEMM [m,k]·[k,n] timed through the engine's session (no library):
 * a dense layer with `units` n, no bias, linear activation, predicting its output on a dataset
 * of m rows already in wasm memory. That is one engine gemm(m, n, k) plus the layer's
 * bookkeeping and the output copy, so this is a slight under-estimate of the kernel alone.
 * `sys.module` is the instantiated nnplay.mjs of the build under test (SIMD or scalar).
 */
async function gemm(sys, _data, opts) {
  const mod = sys.module;
  const out = {};
  for (const [m, k, n] of opts.shapes) {
    const layer = denseOnRows(mod, m, k, n);
    try {
      const x = layer.x();
      for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 1000) / 1000 - 0.5;
      layer.seal();
      const run = (times) => {
        for (let r = 0; r < times; r++) layer.predict();
      };
      run(3);
      let times = 1;
      let seconds = 0;
      for (;;) {
        const t0 = now();
        run(times);
        seconds = (now() - t0) / 1000;
        if (seconds >= opts.minSeconds || times >= 1 << 16) break;
        times *= 2;
      }
      out[`${m}x${k}x${n}`] = (2 * m * n * k * times) / seconds / 1e9;
    } finally {
      layer.dispose();
    }
  }
  return { gflops: out, simd: typeof mod.simdEnabled === 'function' ? mod.simdEnabled() : null };
}

/**
 * The GEMM workload's dense layer over m rows in wasm memory, through whichever facade the build
 * under test binds: the one Session (current), or the Model + Dataset pair of builds before it
 * (a --baseline such as 3c69c05). Both predict the same layer on the same rows.
 */
function denseOnRows(mod, m, k, n) {
  const spec = JSON.stringify({ inputShape: [k], seed: 1, layers: [{ type: 'dense', units: n, activation: 'linear', useBias: false }] });
  const ok = (err, what) => {
    if (err) throw new Error(`gemm bench: ${what}: ${err}`);
  };
  if (typeof mod.Session === 'function') {
    const session = new mod.Session();
    ok(session.build(spec), 'build');
    ok(session.reserveDataset(m, String(k), ''), 'reserveDataset');
    const id = session.lastDatasetId();
    return {
      x: () => mod.HEAPF32.subarray(session.datasetXPtr(id, 0) >>> 2, (session.datasetXPtr(id, 0) >>> 2) + m * k),
      seal: () => ok(session.sealDataset(id), 'sealDataset'),
      predict: () => ok(session.predictOutput(id), 'predict'),
      dispose: () => session.delete(),
    };
  }
  const model = new mod.Model();
  const ds = new mod.Dataset();
  ok(model.build(spec), 'build');
  ok(ds.allocate(m, k, n), 'allocate');
  return {
    x: () => mod.HEAPF32.subarray(ds.xPtr() >>> 2, (ds.xPtr() >>> 2) + m * k),
    seal: () => {},
    predict: () => ok(model.predict(ds), 'predict'),
    dispose: () => {
      ds.delete();
      model.delete();
    },
  };
}

/**
 * Workload 5 (runs once the library has conv layers): conv2d(8, 3×3, relu) → maxPooling2d(2)
 * → flatten → dense(10, softmax), Adam 1e-3, batch 64, sparse CE, on the same 8,000 digits
 * as [n, 28, 28, 1] (NHWC, both libraries' convention): samples/s of the second epoch and test
 * accuracy after it. Only the first opts.trainSamples digits (2,000) and two epochs: TF.js cpu
 * trains this net at ~90 (Node) to ~290 (Chromium) samples/s, so 8,000 digits would take
 * minutes per run.
 */
async function cnnTrain(sys, data, opts) {
  const { lib } = sys;
  const n = Math.min(opts.trainSamples || data.nTrain, data.nTrain);
  const xs = lib.tensor(data.xTrain.subarray(0, n * data.dim), [n, 28, 28, 1]);
  const ys = lib.tensor(Float32Array.from(data.yTrain.subarray(0, n)), [n, 1]);
  const xt = lib.tensor(data.xTest, [data.nTest, 28, 28, 1]);
  const config = { layers: [
    lib.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
    lib.layers.maxPooling2d({ poolSize: 2 }),
    lib.layers.flatten(),
    lib.layers.dense({ units: 10, activation: 'softmax' }),
  ] };
  if (isNnplay(sys.name)) config.seed = 11;
  const model = lib.sequential(config);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  await model.fit(xs, ys, fitArgs); // warm-up epoch
  const t0 = now();
  await model.fit(xs, ys, fitArgs); // timed epoch
  const seconds = (now() - t0) / 1000;
  const accuracy = await argmaxAccuracy(sys, model, xt, data.yTest, data.nTest);
  dispose(model, xs, ys, xt);
  return { samplesPerSec: n / seconds, testAccuracy: accuracy, trainSamples: n };
}

export const workloads = { mlpTrain, playground, inference, gemm, cnnTrain, playgroundCalls };

/** The workloads that train or predict on the MNIST digits: the harness loads them first. */
export const usesMnist = ['mlpTrain', 'inference', 'cnnTrain'];

/** Runs one job in the current (fresh) realm. sys: { name, lib?, module? }. */
export async function runJob(job, sys, data) {
  const fn = workloads[job.workload];
  if (!fn) throw new Error(`bench: unknown workload "${job.workload}" (known: ${Object.keys(workloads).join(', ')})`);
  return fn(sys, data, job.opts || {});
}

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

import { circleData, mulberry32 } from './data.mjs';
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

// ---------------------------------------------------------------- image nets (issue 7)

/**
 * The two image nets of issue 7, as Keras / TF.js Layers stacks (both libraries take them as
 * they are) and, for W8, as ConvNetJS layer definitions.
 *
 * W7, the Keras MNIST CNN the primers teach: Conv2D(32, 3×3, relu) → MaxPooling2D(2×2) →
 * Flatten → Dense(128, relu) → Dense(10, softmax), Adam 1e-3, sparse categorical
 * cross-entropy, batch 32 (Keras's fit() default; the primers do not set one).
 *
 * W8, the ConvNetJS MNIST demo net: conv 8 5×5 relu (pad 2) → pool 2 stride 2 → conv 16 5×5
 * relu (pad 2) → pool 3 stride 3 → softmax 10, batch 20. The demo trains with adadelta
 * (l2 decay 0.001) on 24×24 random crops; nnplay has no adadelta, so all three systems run
 * SGD with momentum 0.9, learning rate 0.01, no weight decay, on the full 28×28 images.
 * ConvNetJS's `sgd` with momentum (dx = m·dx − lr·g; w += dx, gradient summed over the batch
 * then divided by it) is the same arithmetic as TF.js's and nnplay's momentum (v = m·v + g;
 * w −= lr·v on the batch-mean gradient). 'same' padding of a 5×5 kernel at stride 1 is pad 2
 * on every side, and a 3×3 pool at stride 3 on 14×14 gives 4×4 in both conventions.
 */
export const imageNets = {
  kerasCnn: {
    seed: 13,
    batchSize: 32,
    optimizer: (lib) => lib.train.adam(1e-3),
    layers: (lib) => [
      lib.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      lib.layers.maxPooling2d({ poolSize: 2 }),
      lib.layers.flatten(),
      lib.layers.dense({ units: 128, activation: 'relu' }),
      lib.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  },
  convnetjsDemo: {
    seed: 17,
    batchSize: 20,
    optimizer: (lib) => lib.train.momentum(0.01, 0.9),
    layers: (lib) => [
      lib.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }),
      lib.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      lib.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }),
      lib.layers.maxPooling2d({ poolSize: 3, strides: 3 }),
      lib.layers.flatten(),
      lib.layers.dense({ units: 10, activation: 'softmax' }),
    ],
    convnetjs: [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
      { type: 'pool', sx: 3, stride: 3 },
      { type: 'softmax', num_classes: 10 },
    ],
    convnetjsTrainer: { method: 'sgd', learning_rate: 0.01, momentum: 0.9, batch_size: 20, l2_decay: 0 },
  },
};

/** The image net `name` compiled on a Layers-shaped library (nnplay or TF.js). */
function layersImageModel(sys, name) {
  const { lib } = sys;
  const net = imageNets[name];
  const config = { layers: net.layers(lib) };
  if (isNnplay(sys.name)) config.seed = net.seed;
  const model = lib.sequential(config);
  model.compile({ optimizer: net.optimizer(lib), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * ConvNetJS has its own API (one convnetjs.Vol per image, Trainer.train() per sample, the
 * update every batch_size samples), so it gets a small adapter with fit/accuracy in the shape
 * the image workloads need. Its Vols are made before anything is timed, as the other systems'
 * tensors are; an epoch visits the samples in a fresh seeded permutation (TF.js and nnplay
 * shuffle too).
 */
function convnetjsTrainer(sys, name, xs, labels, n, dim) {
  const cnn = sys.lib;
  const net = imageNets[name];
  const model = new cnn.Net();
  model.makeLayers(net.convnetjs);
  const trainer = new cnn.Trainer(model, net.convnetjsTrainer);
  const toVols = (x, count) => {
    const vols = new Array(count);
    for (let i = 0; i < count; i++) {
      const v = new cnn.Vol(28, 28, 1, 0.0);
      // Vol layout is (x + sx·y)·depth + d: row-major, the same as NHWC with one channel.
      for (let j = 0; j < dim; j++) v.w[j] = x[i * dim + j];
      vols[i] = v;
    }
    return vols;
  };
  const vols = toVols(xs, n);
  const random = mulberry32(net.seed);
  return {
    /** One epoch over the first `count` samples, in a fresh permutation. */
    epoch(count) {
      const order = Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of order) trainer.train(vols[i], labels[i]);
    },
    accuracy(xt, yt, nt) {
      const testVols = toVols(xt, nt);
      let correct = 0;
      for (let i = 0; i < nt; i++) {
        model.forward(testVols[i], false);
        if (model.getPrediction() === yt[i]) correct++;
      }
      return correct / nt;
    },
  };
}

/**
 * Workloads 7 (the Keras MNIST CNN) and 8 (the ConvNetJS demo net), the same protocol for
 * every system: the first opts.trainSamples digits as [n, 28, 28, 1]; a warm-up epoch on the
 * first opts.warmupBatches batches of them (JIT, allocations; a whole warm-up epoch would
 * double the peers' long runs); one timed epoch of all n; test accuracy on the 2,000 held-out digits (after those two epochs, the same
 * for every system: a check that all trained the same net, not a figure of merit); then, if
 * the timed epoch was shorter than opts.minSeconds, the timed call is doubled (2, 4, ...
 * epochs in one fit) until it lasts that long, and the last call is the figure (the rule of
 * W2). A small n because TF.js cpu trains these nets at 10–40 samples/s. ConvNetJS runs W8 only.
 */
async function imageNetTrain(sys, data, opts) {
  const name = opts.net;
  if (!imageNets[name]) throw new Error(`bench: unknown image net "${name}" (known: ${Object.keys(imageNets).join(', ')})`);
  const n = Math.min(opts.trainSamples || data.nTrain, data.nTrain);
  const labels = data.yTrain.subarray(0, n);
  const warm = Math.min(n, (opts.warmupBatches || 4) * imageNets[name].batchSize);
  let trainEpochs;
  let warmUp;
  let accuracy;
  let cleanup = () => {};
  if (sys.name === 'convnetjs') {
    if (!imageNets[name].convnetjs) throw new Error(`bench: ConvNetJS runs only the ConvNetJS demo net, not "${name}"`);
    const t = convnetjsTrainer(sys, name, data.xTrain, labels, n, data.dim);
    trainEpochs = async (epochs) => {
      for (let e = 0; e < epochs; e++) t.epoch(n);
    };
    warmUp = async () => t.epoch(warm);
    accuracy = async () => t.accuracy(data.xTest, data.yTest, data.nTest);
  } else {
    const { lib } = sys;
    const xs = lib.tensor(data.xTrain.subarray(0, n * data.dim), [n, 28, 28, 1]);
    const ys = lib.tensor(Float32Array.from(labels), [n, 1]);
    const xt = lib.tensor(data.xTest, [data.nTest, 28, 28, 1]);
    const xw = lib.tensor(data.xTrain.subarray(0, warm * data.dim), [warm, 28, 28, 1]);
    const yw = lib.tensor(Float32Array.from(labels.subarray(0, warm)), [warm, 1]);
    const model = layersImageModel(sys, name);
    const batchSize = imageNets[name].batchSize;
    trainEpochs = async (epochs) => {
      await model.fit(xs, ys, { epochs, batchSize, shuffle: true, verbose: 0 });
    };
    warmUp = () => model.fit(xw, yw, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
    accuracy = () => argmaxAccuracy(sys, model, xt, data.yTest, data.nTest);
    cleanup = () => dispose(model, xs, ys, xt, xw, yw);
  }
  await warmUp();
  const timed = async (epochs) => {
    const t0 = now();
    await trainEpochs(epochs);
    return (now() - t0) / 1000;
  };
  let epochs = 1;
  let seconds = await timed(epochs);
  const testAccuracy = await accuracy();
  while (seconds < (opts.minSeconds || 0) && epochs < 1 << 10) {
    epochs *= 2;
    seconds = await timed(epochs);
  }
  cleanup();
  return { samplesPerSec: (epochs * n) / seconds, testAccuracy, trainSamples: n, timedEpochs: epochs, seconds };
}

/**
 * One full epoch of the 60,000 Fashion-MNIST training images on the W8 net (nnplay only: the
 * peers would need an hour), from `nn.datasets.fashionMnist({ subset: false })`, loaded once
 * into the engine as a dataset handle. Warm-up: opts.warmupBatches batches of the MNIST digits
 * (same shapes, so the same code paths); then one timed fit() of one epoch, batch 20, shuffled:
 * its wall time. Also reported: the load time of the dataset (not timed in the epoch) and the
 * test accuracy after that one epoch, on the 10,000 test images.
 */
async function fashionEpoch(sys, data, opts) {
  const { lib } = sys;
  if (typeof lib.datasets?.fashionMnist !== 'function') throw new Error('bench: this nnplay build has no nn.datasets.fashionMnist');
  const tLoad = now();
  const fashion = await lib.datasets.fashionMnist({ subset: false });
  const loadSeconds = (now() - tLoad) / 1000;
  const { train, test } = fashion;
  const batchSize = imageNets.convnetjsDemo.batchSize;
  const warm = (opts.warmupBatches || 4) * batchSize;
  const xw = lib.tensor(data.xTrain.subarray(0, warm * data.dim), [warm, 28, 28, 1]);
  const yw = lib.tensor(Float32Array.from(data.yTrain.subarray(0, warm)), [warm, 1]);
  const model = layersImageModel(sys, 'convnetjsDemo');
  await model.fit(xw, yw, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
  const t0 = now();
  await model.fit(train.xs, train.ys, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
  const seconds = (now() - t0) / 1000;
  const testAccuracy = await argmaxAccuracy(sys, model, test.xs, test.labels, test.n);
  dispose(model, xw, yw);
  return { seconds, samplesPerSec: train.n / seconds, trainSamples: train.n, loadSeconds, testAccuracy, testSamples: test.n };
}

/**
 * Workload 9 (issue 8's W8; W7/W8 here are issue 7's image nets): the seeds' LSTM classifier on MNIST rows (each digit read as 28 steps of 28
 * pixels, the last step classified): lstm(units) → dense(10, softmax), Adam 1e-3, batch 64,
 * sparse CE, recurrentActivation 'sigmoid' set on both sides (TF.js defaults to hardSigmoid,
 * nnplay to Keras's sigmoid: the same string makes the same model). opts.units: 32 (the issue's
 * target) or 128; opts.trainSamples digits (TF.js trains this at a few hundred samples/s).
 * Samples/s of the timed epoch(s) after a warm-up epoch, then test accuracy on the 2,000
 * held-out digits (it shows both systems trained the same net, not how good it gets).
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
  const { epochs, seconds } = await timedEpochs(model, xs, ys, fitArgs, opts.minSeconds);
  const accuracy = await argmaxAccuracy(sys, model, xt, data.yTest, data.nTest);
  dispose(model, xs, ys, xt);
  return { samplesPerSec: (epochs * n) / seconds, testAccuracy: accuracy, trainSamples: n, timedEpochs: epochs, units: opts.units };
}

/**
 * W10's and W13's data: windows of `seqLength` characters of nn.datasets.text(), one every 8
 * characters, at most `max` of them: their ids [n · seqLength] and the character after each.
 */
function textWindows(text, seqLength, max) {
  const { ids } = text;
  const stride = 8;
  const n = Math.min(max, Math.floor((ids.length - seqLength - 1) / stride) + 1);
  const windows = new Int32Array(n * seqLength);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < seqLength; t++) windows[i * seqLength + t] = ids[i * stride + t];
    y[i] = ids[i * stride + seqLength];
  }
  return { n, windows, y };
}

/**
 * Workload 10 (issue 8's W9): a GRU(64) next-character model on the text task: windows of 40 characters of
 * the fortunes (nn.datasets.text's corpus, as ids in data.text.ids), one-hot [n, 40, vocab], stride
 * 8, → gru(64, recurrentActivation 'sigmoid', resetAfter false: TF.js's only GRU) →
 * dense(vocab, softmax), Adam 1e-3, batch 64. The windows are cut here, the same for both
 * systems. Samples/s of the timed epoch(s) after a warm-up epoch, over opts.trainSamples windows.
 */
async function gruText(sys, data, opts) {
  const { lib } = sys;
  const { vocabSize } = data.text;
  const seqLength = 40;
  const { n, windows, y } = textWindows(data.text, seqLength, opts.trainSamples);
  const x = new Float32Array(n * seqLength * vocabSize);
  for (let j = 0; j < n * seqLength; j++) x[j * vocabSize + windows[j]] = 1;
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
  const { epochs, seconds, history } = await timedEpochs(model, xs, ys, fitArgs, opts.minSeconds);
  const loss = history.loss[history.loss.length - 1];
  dispose(model, xs, ys);
  return { samplesPerSec: (epochs * n) / seconds, trainSamples: n, timedEpochs: epochs, loss: Number(loss) };
}

/**
 * Workload 13 (issue 10's 1-D pooling layers): a text CNN predicting the next character, the
 * Keras text-classification shape: embedding(85 → 16) → conv1d(32, 5, relu) → maxPooling1d(2) →
 * conv1d(32, 3, relu) → globalMaxPooling1d → dense(85, softmax), on the same windows of 40
 * characters as W10 (ids, not one-hot), Adam 1e-3, batch 64, fit() with shuffle: samples/s of the
 * timed epoch(s) after a warm-up epoch. TF.js wasm cannot train it (conv1d runs on conv2d, whose
 * gradient kernels its wasm backend lacks), so the peer is TF.js cpu.
 */
async function textCnn(sys, data, opts) {
  const { lib } = sys;
  const { vocabSize } = data.text;
  const seqLength = 40;
  const { n, windows, y } = textWindows(data.text, seqLength, opts.trainSamples);
  const xs = lib.tensor(Float32Array.from(windows), [n, seqLength]);
  const ys = lib.tensor(y, [n, 1]);
  const config = { layers: [
    lib.layers.embedding({ inputShape: [seqLength], inputDim: vocabSize, outputDim: 16 }),
    lib.layers.conv1d({ filters: 32, kernelSize: 5, activation: 'relu' }),
    lib.layers.maxPooling1d({ poolSize: 2 }),
    lib.layers.conv1d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    lib.layers.globalMaxPooling1d({}),
    lib.layers.dense({ units: vocabSize, activation: 'softmax' }),
  ] };
  if (isNnplay(sys.name)) config.seed = 23;
  const model = lib.sequential(config);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  await model.fit(xs, ys, fitArgs); // warm-up epoch
  const { epochs, seconds, history } = await timedEpochs(model, xs, ys, fitArgs, opts.minSeconds);
  const loss = history.loss[history.loss.length - 1];
  dispose(model, xs, ys);
  return { samplesPerSec: (epochs * n) / seconds, trainSamples: n, timedEpochs: epochs, loss: Number(loss) };
}

/**
 * Workload 11 (issue 9's W10): the variational autoencoder 784 → 256 → 2-D latent → 256 → 784 on
 * MNIST (functional API), binary cross-entropy reconstruction + KL, Adam 1e-3, batch 64, fit()
 * with shuffle: samples/s of the timed epoch(s) after a warm-up epoch, and the last epoch's loss.
 *
 * nnplay: nn.layers.klDivergence adds β·KL as a layer loss, nn.layers.gaussianSampling
 * reparameterises. TF.js 4.22 has neither layer, so its peer is the same graph with a custom
 * Sampling layer (tfjsSamplingLayer) that adds the KL with its own layer.addLoss(): fit()'s step
 * evaluates the layers' losses (Container.calculateLosses, inside optimizer.minimize) right after
 * the forward pass, so a closure over the tensors the layer saw in this very batch makes KL part
 * of the batch's loss and its gradient, as nnplay's layer loss is. (model.addLoss() would not do:
 * a LayersModel sums its layers' losses, never its own.) Same data, epochs, batch, optimizer and loss scale on both
 * (BCE mean over the 784 pixels and the batch + KL summed over the latent, mean over the batch).
 */
async function vaeTrain(sys, data, opts) {
  const { lib } = sys;
  const nnplay = isNnplay(sys.name);
  const n = Math.min(opts.trainSamples || data.nTrain, data.nTrain);
  const xs = lib.tensor(data.xTrain.subarray(0, n * data.dim), [n, data.dim]);
  const x = lib.input({ shape: [data.dim] });
  const h = lib.layers.dense({ units: 256, activation: 'relu' }).apply(x);
  const zMean = lib.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
  const zLogVar = lib.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
  let z;
  let sampling = null;
  if (nnplay) {
    const kl = lib.layers.klDivergence({ name: 'kl' }).apply([zMean, zLogVar]);
    z = lib.layers.gaussianSampling().apply([kl, zLogVar]);
  } else {
    sampling = tfjsSamplingLayer(lib, 19);
    z = sampling.apply([zMean, zLogVar]);
  }
  const decoded = lib.layers.dense({ units: data.dim, activation: 'sigmoid', name: 'decoded' })
    .apply(lib.layers.dense({ units: 256, activation: 'relu' }).apply(z));
  const model = lib.model(nnplay ? { inputs: x, outputs: decoded, seed: 19 } : { inputs: x, outputs: decoded });
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const fitArgs = { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 };
  await model.fit(xs, xs, fitArgs); // warm-up epoch
  const { epochs, seconds, history } = await timedEpochs(model, xs, xs, fitArgs, opts.minSeconds);
  const last = (k) => (history[k] ? Number(history[k][history[k].length - 1]) : null);
  dispose(model, xs);
  const result = { samplesPerSec: (epochs * n) / seconds, epochSeconds: seconds / epochs, trainSamples: n, timedEpochs: epochs };
  // nnplay logs the reconstruction and the KL apart; TF.js only their sum.
  return nnplay ? { ...result, reconstruction: last('decoded_loss'), kl: last('kl') } : { ...result, loss: last('loss') };
}

/**
 * TF.js's side of the VAE: a tf.layers.Layer applied to [zMean, zLogVar] that returns
 * zMean + exp(zLogVar / 2) · ε, ε ~ N(0, 1) from tf.randomNormal seeded per call (seed, seed+1,
 * …: reproducible, yet fresh noise every batch, as nnplay's seeded stream), and keeps that call's
 * inputs so klLoss() (registered with this layer's addLoss) can compute
 * mean over the batch of −0.5·Σ(1 + zLogVar − zMean² − exp(zLogVar)) on them.
 */
function tfjsSamplingLayer(tf, seed) {
  class Sampling extends tf.layers.Layer {
    constructor() {
      super({ name: 'sampling' });
      this.calls = 0;
      this.last = null;
      this.addLoss(() => this.klLoss());
    }
    computeOutputShape(inputShape) {
      return inputShape[0];
    }
    call(inputs) {
      const [mean, logVar] = inputs;
      this.last = { mean, logVar };
      const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed + this.calls++);
      return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
    }
    klLoss() {
      const { mean, logVar } = this.last;
      const perSample = tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), -1);
      return tf.mul(-0.5, tf.mean(perSample));
    }
    static get className() {
      return 'Sampling';
    }
  }
  return new Sampling();
}

/** One timed epoch; when it is shorter than minSeconds (nnplay's), 2, 4, … epochs in one fit()
 *  until the call lasts that long, as W2 and W7 do. The last, longest call is the figure. */
async function timedEpochs(model, xs, ys, fitArgs, minSeconds = 0) {
  let epochs = 1;
  for (;;) {
    const t0 = now();
    const h = await model.fit(xs, ys, { ...fitArgs, epochs });
    const seconds = (now() - t0) / 1000;
    if (seconds >= minSeconds || epochs >= 64) return { epochs, seconds, history: h.history };
    epochs *= 2;
  }
}

/**
 * Issue 10: the VAE of TF.js's example trained its way, the same code on every system: encoder
 * and decoder models applied inside optimizer.minimize, the reparameterisation and the example's
 * vaeLoss in ops, Adam over batches of 64 (784-256-2 as in vaeTrain). nnplay differentiates each
 * model's forward in the engine (model.apply on the gradient tape); TF.js records its layers' ops.
 */
async function vaeMinimize(sys, data, opts) {
  const { lib } = sys;
  const n = Math.min(opts.trainSamples || 1024, data.nTrain);
  const batch = 64, latent = 2, dim = data.dim;
  const xs = lib.tensor(data.xTrain.subarray(0, n * dim), [n, dim]);
  const x = lib.input({ shape: [dim] });
  const h = lib.layers.dense({ units: 256, activation: 'relu' }).apply(x);
  const encoder = lib.model({ inputs: x, outputs: [lib.layers.dense({ units: latent }).apply(h), lib.layers.dense({ units: latent }).apply(h)] });
  const decoder = lib.sequential({ layers: [lib.layers.dense({ units: 256, activation: 'relu', inputShape: [latent] }), lib.layers.dense({ units: dim, activation: 'sigmoid' })] });
  const optimizer = lib.train.adam(1e-3);
  const batches = Math.floor(n / batch);
  let at = 0;
  const step = () => {
    const b = xs.slice([(at++ % batches) * batch, 0], [batch, dim]);
    const cost = optimizer.minimize(() => {
      const [zMean, zLogVar] = encoder.apply(b);
      const z = zMean.add(zLogVar.mul(0.5).exp().mul(lib.randomNormal([batch, latent])));
      const out = decoder.apply(z);
      const reconstruction = lib.mean(lib.square(lib.sub(b, out))).mul(dim);
      const kl = zLogVar.add(1).sub(zMean.square()).sub(zLogVar.exp()).sum(-1).mul(-0.5);
      return reconstruction.add(kl).mean();
    }, true);
    const loss = cost.dataSync()[0];
    dispose(b, cost);
    return loss;
  };
  for (let i = 0; i < 3; i++) step(); // warm-up (the optimizer's slots, the weights' variables)
  let steps = 0;
  let loss = 0;
  const t0 = now();
  while (steps < batches || (now() - t0) / 1000 < (opts.minSeconds ?? 0)) {
    loss = step();
    steps++;
  }
  const seconds = (now() - t0) / 1000;
  dispose(encoder, decoder, xs);
  return { samplesPerSec: (steps * batch) / seconds, stepSeconds: seconds / steps, trainSamples: n, timedSteps: steps, loss };
}

export const workloads = { mlpTrain, playground, inference, gemm, cnnTrain, playgroundCalls, imageNetTrain, fashionEpoch, lstmRows, gruText, textCnn, vaeTrain, vaeMinimize };

/** The workloads that train or predict on the MNIST digits: the harness loads them first. */
export const usesMnist = ['mlpTrain', 'inference', 'cnnTrain', 'imageNetTrain', 'fashionEpoch', 'lstmRows', 'vaeTrain', 'vaeMinimize'];
/** The workloads that train on the text task's corpus (data.text: { ids, vocabSize }). */
export const usesText = ['gruText', 'textCnn'];

/** Runs one job in the current (fresh) realm. sys: { name, lib?, module? }. */
export async function runJob(job, sys, data) {
  const fn = workloads[job.workload];
  if (!fn) throw new Error(`bench: unknown workload "${job.workload}" (known: ${Object.keys(workloads).join(', ')})`);
  return fn(sys, data, job.opts || {});
}

// nn.exportCode(): the exported code run by its own framework reproduces nnplay's predictions.
//
// PyTorch: the generated module runs under Debian's python3-torch (scripts/bootstrap.sh installs
// it) and must match nnplay's predictions to 1e-5 on an MLP, a CNN (conv2d 'same' + batchNorm +
// pool + flatten + dropout + dense), an LSTM (torch.nn.LSTM), a GRU with reset_after (torch.nn.GRU),
// a TF.js-default GRU (hardSigmoid, reset_after false: the explicit loop), a functional model
// with every other layer type, returnState (torch.nn's and the loop's), bidirectional layers over
// goBackwards, bilinear upsampling (nnplay's TF.js rule, written out) and batchNormalization over
// rank 4. Without torch the test fails under CI=true and skips loudly
// elsewhere. Keras is not installable here: its script is byte-compiled (python3 -m py_compile)
// and its weights file read back with numpy the way the script reads it. TF.js: the generated
// module is imported in Node against the devDependency @tensorflow/tfjs and predicts the same.
// Regularizers and trainable: false: one epoch of the PyTorch and TF.js loops (SGD, no shuffle)
// ends on nnplay's weights (1e-5) and loss, the frozen layer unchanged; Keras's text sets them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nn from 'nnplay';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xorshift } from './helpers';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository, so that the generated TF.js module resolves '@tensorflow/tfjs'.
mkdirSync(join(root, 'build'), { recursive: true });
const dir = mkdtempSync(join(root, 'build', 'code-export-test-'));

/** A python3 that imports torch and numpy: $NNPLAY_PYTHON, python3 on PATH, Debian's. */
function findPython(): { python: string | null; tried: string[] } {
  const tried = [process.env.NNPLAY_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const p of tried) {
    const r = spawnSync(p, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return { python: p, tried };
  }
  return { python: null, tried };
}
const { python, tried } = findPython();
const inCI = process.env.CI === 'true';
if (!python && !inCI) {
  console.warn(`\n*** code-export.test: SKIPPING the PyTorch and Keras checks: no python3 with torch and numpy (tried ${tried.join(', ')}). Install: apt-get install python3-torch ***\n`);
}

function data(shape: number[], seed: number, scale = 1, ints = 0): nn.Tensor {
  const r = xorshift(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = ints ? Math.floor(r() * ints) : (r() * 2 - 1) * scale;
  return nn.tensor(v, shape);
}

interface Case {
  name: string;
  make: () => nn.LayersModel;
  xs: () => nn.Tensor[];
  /** Train briefly first so batchNorm's moving statistics are not the initial ones. */
  ys?: () => nn.Tensor;
}

const cases: Case[] = [
  {
    name: 'mlp',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.dense({ inputShape: [5], units: 16, activation: 'tanh' }),
        nn.layers.dense({ units: 8, activation: 'relu' }),
        nn.layers.dense({ units: 3, activation: 'softmax' }),
      ], seed: 1 });
      m.compile({ optimizer: nn.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    xs: () => [data([7, 5], 11)],
  },
  {
    name: 'cnn',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.conv2d({ inputShape: [9, 8, 2], filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }),
        nn.layers.batchNormalization({ momentum: 0.5 }),
        nn.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        nn.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'elu' }),
        nn.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        nn.layers.flatten(),
        nn.layers.dropout({ rate: 0.4 }),
        nn.layers.dense({ units: 2, activation: 'sigmoid' }),
      ], seed: 2 });
      m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      return m;
    },
    xs: () => [data([6, 9, 8, 2], 12)],
    ys: () => data([6, 2], 13, 1, 2),
  },
  {
    name: 'text_cnn',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.embedding({ inputShape: [12], inputDim: 10, outputDim: 4 }),
        nn.layers.conv1d({ filters: 5, kernelSize: 3, activation: 'relu' }),
        nn.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
        nn.layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
        nn.layers.conv1d({ filters: 4, kernelSize: 1 }),
        nn.layers.averagePooling1d({ poolSize: 1 }),
        nn.layers.globalMaxPooling1d(),
        nn.layers.dense({ units: 3, activation: 'softmax' }),
      ], seed: 6 });
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    xs: () => [data([4, 12], 15, 1, 10)],
  },
  {
    name: 'lstm_autoencoder',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.permute({ inputShape: [3, 6], dims: [2, 1] }),
        nn.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }),
        nn.layers.repeatVector({ n: 6 }),
        nn.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true }),
        nn.layers.dense({ units: 3 }),
      ], seed: 8 });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([4, 3, 6], 16)],
  },
  {
    name: 'lstm',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.lstm({ inputShape: [6, 3], units: 5, recurrentActivation: 'sigmoid', returnSequences: true }),
        nn.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }),
        nn.layers.dense({ units: 1 }),
      ], seed: 3 });
      m.compile({ optimizer: nn.train.rmsprop(0.01), loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([5, 6, 3], 14)],
  },
  {
    name: 'gru_reset_after',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.gru({ inputShape: [5, 2], units: 6, recurrentActivation: 'sigmoid', resetAfter: true }),
        nn.layers.dense({ units: 2, activation: 'softmax' }),
      ], seed: 4 });
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    xs: () => [data([4, 5, 2], 15)],
  },
  {
    // PyTorch: KerasRNN with its per-sequence masks in train() (the driver trains an epoch).
    name: 'recurrent_dropout',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.lstm({ inputShape: [5, 3], units: 4, recurrentActivation: 'sigmoid', returnSequences: true, dropout: 0.2, recurrentDropout: 0.3 }),
        nn.layers.gru({ units: 3, dropout: 0.1, recurrentDropout: 0.25 }),
        nn.layers.dense({ units: 1 }),
      ], seed: 6 });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([4, 5, 3], 17)],
  },
  {
    name: 'gru_tfjs_default',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.gru({ inputShape: [5, 2], units: 4, returnSequences: true, goBackwards: true }),
        nn.layers.simpleRNN({ units: 3 }),
        nn.layers.dense({ units: 1 }),
      ], seed: 5 });
      m.compile({ optimizer: nn.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([4, 5, 2], 16)],
  },
  {
    name: 'functional',
    make: () => {
      const seq = nn.input({ shape: [6], name: 'ids' });
      const img = nn.input({ shape: [4, 4, 3], name: 'image' });
      const e = nn.layers.embedding({ inputDim: 7, outputDim: 4 }).apply(seq);
      const c1 = nn.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'gelu' }).apply(e);
      const b = nn.layers.batchNormalization().apply(c1);
      const bi = nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 3, returnSequences: true }), mergeMode: 'concat' }).apply(b);
      const g1 = nn.layers.globalAveragePooling1d().apply(bi);
      const i1 = nn.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'swish' }).apply(img);
      const g2 = nn.layers.globalAveragePooling2d().apply(i1);
      const sum = nn.layers.add().apply([g1, g2]);
      const r = nn.layers.reshape({ targetShape: [2, 3] }).apply(sum);
      const act = nn.layers.activation({ activation: 'softmax' }).apply(r);
      const flat = nn.layers.flatten().apply(act);
      const cat = nn.layers.concatenate().apply([flat, g2]);
      const out1 = nn.layers.dense({ units: 2, activation: 'hardSigmoid', name: 'first' }).apply(cat);
      const out2 = nn.layers.dense({ units: 3, activation: 'selu', name: 'second' }).apply(g1);
      const m = nn.model({ inputs: [seq, img], outputs: [out1, out2] });
      m.compile({ optimizer: 'adam', loss: ['meanSquaredError', 'meanSquaredError'] });
      return m;
    },
    xs: () => [data([3, 6], 17, 1, 7), data([3, 4, 4, 3], 18)],
  },
  {
    // The element-wise merges and the global max pooling on image maps (PyTorch keeps them NCHW) and on vectors.
    name: 'merges',
    make: () => {
      const img = nn.input({ shape: [4, 4, 2], name: 'image' });
      const c1 = nn.layers.cropping2D({ cropping: [[1, 1], [0, 1]] }).apply(nn.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }).apply(nn.layers.zeroPadding2d({ padding: [[1, 2], [1, 1]] }).apply(img)));
      const c2 = nn.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(img);
      const mx = nn.layers.maximum().apply([c1, c2]);
      const mn = nn.layers.minimum().apply([c1, c2]);
      const g = nn.layers.globalMaxPooling2d().apply(nn.layers.average().apply([mx, mn]));
      const d1 = nn.layers.dense({ units: 3, activation: 'tanh' }).apply(nn.layers.gaussianDropout({ rate: 0.2 }).apply(nn.layers.gaussianNoise({ stddev: 0.1 }).apply(g)));
      const d2 = nn.layers.dense({ units: 3, activation: 'sigmoid' }).apply(g);
      const out = nn.layers.dense({ units: 2 }).apply(nn.layers.layerNormalization({ scale: false }).apply(nn.layers.layerNormalization().apply(nn.layers.multiply().apply([d1, d2, g]))));
      const m = nn.model({ inputs: img, outputs: out, seed: 5 });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([3, 4, 4, 2], 19)],
  },
  {
    // Issue 9's decoder layers: conv2dTranspose 'same' with kernel > stride (TF's crop, even and
    // odd), kernel < stride (output_padding cells that get only the bias), mixed, 'valid' both ways, upSampling2d.
    name: 'decoder',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.conv2dTranspose({ inputShape: [1, 2, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        nn.layers.conv2dTranspose({ filters: 2, kernelSize: [2, 1], strides: [3, 2], padding: 'same', biasInitializer: 'ones' }),
        nn.layers.upSampling2d({ size: [1, 2] }),
        nn.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: 2, activation: 'tanh' }),
        nn.layers.conv2dTranspose({ filters: 1, kernelSize: 1, strides: [2, 1], useBias: true, biasInitializer: 'ones' }),
        // 'same' with the kernel above the stride on one axis and below it on the other.
        nn.layers.conv2dTranspose({ filters: 2, kernelSize: [4, 1], strides: [1, 2], padding: 'same', activation: 'sigmoid' }),
        nn.layers.flatten(),
        nn.layers.dense({ units: 3 }),
      ], seed: 6 });
      m.compile({ optimizer: 'adam', loss: { name: 'huberLoss', delta: 0.5 } });
      return m;
    },
    xs: () => [data([3, 1, 2, 2], 19)],
    ys: () => data([3, 3], 20),
  },
  {
    // returnState: [output, h(, c)] per layer as model outputs and as inputs of further layers.
    // The lstm is torch.nn.LSTM, the TF.js-default gru (hardSigmoid) and the goBackwards
    // simpleRNN KerasRNN / torch.nn.RNN.
    name: 'return_state',
    make: () => {
      const x = nn.input({ shape: [5, 3], name: 'x' });
      const [seq, h, c] = nn.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, returnState: true }).apply(x) as unknown as nn.SymbolicTensor[];
      const [o2, h2] = nn.layers.gru({ units: 3, returnState: true }).apply(seq) as unknown as nn.SymbolicTensor[];
      const [o3, h3] = nn.layers.simpleRNN({ units: 2, goBackwards: true, returnSequences: true, returnState: true }).apply(seq) as unknown as nn.SymbolicTensor[];
      const head = nn.layers.dense({ units: 2, activation: 'tanh' }).apply(nn.layers.concatenate().apply([h, c, h2]));
      const m = nn.model({ inputs: x, outputs: [head, o2, nn.layers.flatten().apply(o3), h3], seed: 8 });
      m.compile({ optimizer: 'adam', loss: ['meanSquaredError', 'meanSquaredError', 'meanSquaredError', 'meanSquaredError'] });
      return m;
    },
    xs: () => [data([4, 5, 3], 22)],
  },
  {
    // returnState on torch.nn.GRU (resetAfter, sigmoid) and a KerasRNN lstm (hardSigmoid) with dropout (TF.js has no reset_after).
    name: 'return_state_reset_after',
    make: () => {
      const x = nn.input({ shape: [4, 2], name: 'x' });
      const [o, h] = nn.layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: true, returnState: true }).apply(x) as unknown as nn.SymbolicTensor[];
      const [o2, h2, c2] = nn.layers.lstm({ units: 2, returnState: true, dropout: 0.2 }).apply(x) as unknown as nn.SymbolicTensor[];
      const m = nn.model({ inputs: x, outputs: [o, h, nn.layers.add().apply([o2, h2, c2])], seed: 9 });
      m.compile({ optimizer: 'sgd', loss: ['meanSquaredError', 'meanSquaredError', 'meanSquaredError'] });
      return m;
    },
    xs: () => [data([3, 4, 2], 23)],
  },
  {
    // A bidirectional layer whose wrapped layer has goBackwards (the forward copy reads the
    // sequence reversed, the backward copy forwards), with and without returnSequences.
    name: 'bidirectional_go_backwards',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.bidirectional({ inputShape: [5, 3], layer: nn.layers.gru({ units: 3, returnSequences: true, goBackwards: true }), mergeMode: 'sum' }),
        nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2, goBackwards: true, recurrentActivation: 'sigmoid' }), mergeMode: 'concat' }),
        nn.layers.dense({ units: 2 }),
      ], seed: 12 });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([3, 5, 3], 27)],
  },
  {
    // Bilinear upsampling with nnplay's (TF.js 4.22's) i · in / out rule, up and across, on
    // sizes that do and do not divide, before a conv (NCHW in PyTorch) and after one.
    name: 'bilinear',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.upSampling2d({ inputShape: [3, 2, 2], size: [2, 3], interpolation: 'bilinear' }),
        nn.layers.conv2d({ filters: 2, kernelSize: 2, activation: 'relu' }),
        nn.layers.upSampling2d({ size: 3, interpolation: 'bilinear' }),
        nn.layers.flatten(),
        nn.layers.dense({ units: 3 }),
      ], seed: 10 });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([2, 3, 2, 2], 24)],
  },
  {
    // batchNormalization over a per-sample rank of 4 (PyTorch: BatchNorm1d over the other cells),
    // and the 'exponential' activation (TF.js: a layer class in the script).
    name: 'bn_rank4_exponential',
    make: () => {
      const m = nn.sequential({ layers: [
        nn.layers.reshape({ inputShape: [24], targetShape: [2, 2, 2, 3] }),
        nn.layers.batchNormalization({ momentum: 0.5 }),
        nn.layers.flatten(),
        nn.layers.dense({ units: 4, activation: 'tanh' }),
        nn.layers.activation({ activation: 'exponential' }),
        nn.layers.dense({ units: 2, activation: 'exponential' }),
      ], seed: 11 });
      m.compile({ optimizer: nn.train.sgd(0.001), loss: 'meanSquaredError' });
      return m;
    },
    xs: () => [data([5, 24], 25, 0.5)],
    ys: () => data([5, 2], 26),
  },
  {
    // Issue 9's VAE layers: at inference the output is the decoder of zMean (deterministic).
    name: 'vae',
    make: () => {
      const x = nn.input({ shape: [6], name: 'x' });
      const h = nn.layers.dense({ units: 5, activation: 'relu' }).apply(x);
      const zMean = nn.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
      const zLogVar = nn.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
      const kl = nn.layers.klDivergence({ beta: 0.5 }).apply([zMean, zLogVar]);
      const z = nn.layers.gaussianSampling({ seed: 4 }).apply([kl, zLogVar]);
      const out = nn.layers.dense({ units: 6, activation: 'sigmoid' }).apply(z);
      const m = nn.model({ inputs: x, outputs: out, seed: 7 });
      m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
      return m;
    },
    xs: () => [data([4, 6], 21)],
  },
];

interface Built {
  c: Case;
  model: nn.LayersModel;
  xs: nn.Tensor[];
  expected: Float32Array[];
}
const built: Built[] = [];

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  for (const c of cases) {
    const model = c.make();
    const xs = c.xs();
    if (c.ys) {
      const ys = c.ys();
      await model.fit(xs[0], ys, { epochs: 2, batchSize: 3 });
      ys.dispose();
    }
    const p = model.predict(xs.length === 1 ? xs[0] : xs);
    const list = Array.isArray(p) ? p : [p];
    built.push({ c, model, xs, expected: list.map((t) => t.values().slice()) });
    list.forEach((t) => t.dispose());
  }
});

afterAll(() => {
  for (const b of built) {
    b.model.dispose();
    b.xs.forEach((t) => t.dispose());
  }
  rmSync(dir, { recursive: true, force: true });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('exportCode: PyTorch', () => {
  it('runs under python3-torch and reproduces nnplay predictions to 1e-5', async () => {
    if (!python) {
      if (inCI) throw new Error(`code-export.test: python3 with torch is required in CI (tried ${tried.join(', ')}); scripts/bootstrap.sh installs python3-torch`);
      return;
    }
    const jobs: { name: string; sparse: boolean; code: string; weights: string; xs: { shape: number[]; values: number[] }[] }[] = [];
    for (const b of built) {
      const e = await nn.exportCode(b.model, 'pytorch', { fileBase: b.c.name, epochs: 3, batchSize: 8 });
      expect(e.language).toBe('python');
      expect(e.codeFileName).toBe(`${b.c.name}.py`);
      writeFileSync(join(dir, e.codeFileName), e.code);
      writeFileSync(join(dir, e.weightsFileName), e.weights);
      const sparse = b.model.compiledWith?.loss === 'sparseCategoricalCrossentropy';
      jobs.push({ name: b.c.name, sparse, code: e.codeFileName, weights: e.weightsFileName, xs: b.xs.map((t) => ({ shape: t.shape, values: [...t.values()] })) });
    }
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
    // One interpreter for every model (torch's import is the slow part); each model also trains
    // one epoch with its generated loop, to prove the loop runs.
    const driver = `
import importlib.util, json, os, sys
import numpy as np
here = sys.argv[1]
results = {}
for job in json.load(open(os.path.join(here, "jobs.json"))):
    spec = importlib.util.spec_from_file_location(job["name"], os.path.join(here, job["code"]))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load_nnplay_weights(mod.NnplayModel(), os.path.join(here, job["weights"]))
    xs = [np.array(x["values"], dtype=np.float32).reshape(x["shape"]) for x in job["xs"]]
    out = mod.predict(model, xs if len(xs) > 1 else xs[0])
    outs = out if isinstance(out, list) else [out]
    results[job["name"]] = [o.reshape(-1).tolist() for o in outs]
    ys = [np.zeros((o.shape[0], 1), dtype=np.float32) if job["sparse"] else np.zeros_like(o) for o in outs]
    mod.train(model, xs if len(xs) > 1 else xs[0], ys if len(ys) > 1 else ys[0], epochs=1)
print(json.dumps(results))
`;
    writeFileSync(join(dir, 'driver.py'), driver);
    const r = spawnSync(python, [join(dir, 'driver.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`the exported PyTorch code failed:\n${r.stderr}`);
    const results = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number[][]>;
    for (const b of built) {
      const got = results[b.c.name];
      expect(got.length, b.c.name).toBe(b.expected.length);
      got.forEach((g, k) => expect(maxDiff(g, b.expected[k]), `${b.c.name} output ${k}`).toBeLessThan(1e-5));
    }
  });
});

describe('exportCode: Keras', () => {
  it('writes a script that byte-compiles and a weights file numpy reads back exactly', async () => {
    for (const b of built) {
      const e = await nn.exportCode(b.model, 'keras', { fileBase: `${b.c.name}_keras` });
      expect(e.code).toContain('import keras');
      expect(e.code).toContain('model.compile(');
      writeFileSync(join(dir, e.codeFileName), e.code);
      writeFileSync(join(dir, e.weightsFileName), e.weights);
      // Every weight the script sets is in the file, and every weight in the file is set.
      const doc = JSON.parse(e.weights) as { weights: { name: string }[] };
      const used = [...e.code.matchAll(/W\["([^"]+)"\]/g)].map((m) => m[1]);
      expect(new Set(used)).toEqual(new Set(doc.weights.map((w) => w.name)));
      if (!python) {
        if (inCI) throw new Error('code-export.test: python3 with numpy is required in CI');
        continue;
      }
      execFileSync(python, ['-m', 'py_compile', join(dir, e.codeFileName)]);
      // The reader exactly as the script has it (the script itself imports keras).
      const reader = e.code.match(/def read_nnplay_weights\(path\):[\s\S]*?\n\n/)![0];
      const check = `import base64, json, sys\nimport numpy as np\n${reader}\nW = read_nnplay_weights(sys.argv[1])\nprint(json.dumps({k: {"shape": list(v.shape), "values": v.reshape(-1).tolist()} for k, v in W.items()}))\n`;
      const out = execFileSync(python, ['-c', check, join(dir, e.weightsFileName)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const read = JSON.parse(out) as Record<string, { shape: number[]; values: number[] }>;
      const ws = b.model.getWeights();
      const names = b.model.inspection.layers.flatMap((l) => l.variables);
      const trainableFirst = [...names.filter((v) => v.trainable), ...names.filter((v) => !v.trainable)];
      ws.forEach((w, i) => {
        const r = read[trainableFirst[i].name];
        expect(r.shape).toEqual(w.shape);
        expect(maxDiff(r.values, w.values())).toBe(0);
      });
      ws.forEach((w) => w.dispose());
    }
  });
});

describe("exportCode: Keras metrics", () => {
  it("writes TF.js's 'cosine' as Keras's cosine_similarity function, and the script byte-compiles", async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 2 })], seed: 1 });
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['cosine', 'mae'] });
    const e = await nn.exportCode(m, 'keras', { fileBase: 'cosine_metric' });
    expect(e.code).toContain('metrics=[keras.losses.cosine_similarity, "mae"]');
    if (python) {
      writeFileSync(join(dir, e.codeFileName), e.code);
      execFileSync(python, ['-m', 'py_compile', join(dir, e.codeFileName)]);
    } else if (inCI) throw new Error('code-export.test: python3 is required in CI');
    m.dispose();
  });
});

describe("exportCode: Keras's bilinear upsampling layer", () => {
  it("computes nnplay's upSampling2d (i · in / out) when keras.ops is numpy's", async () => {
    if (!python) {
      if (inCI) throw new Error('code-export.test: python3 with numpy is required in CI');
      return;
    }
    // Keras is not installable here: the class from the script runs against a stand-in whose
    // keras.ops.take is numpy's (the same signature) and whose Layer is a plain base class.
    for (const [shape, size] of [[[3, 4, 2], [2, 3]], [[5, 2, 1], [3, 1]], [[1, 3, 2], [4, 2]]] as [number[], [number, number]][]) {
      const m = nn.sequential({ layers: [nn.layers.upSampling2d({ inputShape: shape, size, interpolation: 'bilinear' })] });
      const x = data([2, ...shape], 30 + shape[0]);
      const y = m.predict(x) as nn.Tensor;
      const e = await nn.exportCode(m, 'keras');
      expect(e.code).toContain(`TfjsBilinearUpSampling2D(size=(${size.join(', ')}), name=`);
      const cls = e.code.match(/class TfjsBilinearUpSampling2D\(layers\.Layer\):[\s\S]*?\n\n\n/)![0];
      const check = `import json, sys, types
import numpy as np
class Layer:
    def __init__(self, **kwargs):
        pass
    def get_config(self):
        return {}
keras = types.SimpleNamespace(ops=types.SimpleNamespace(take=np.take))
layers = types.SimpleNamespace(Layer=Layer)
${cls}
job = json.loads(sys.stdin.read())
x = np.array(job["x"], dtype=np.float32).reshape(job["shape"])
out = TfjsBilinearUpSampling2D(size=tuple(job["size"])).call(x)
print(json.dumps({"shape": list(out.shape), "values": out.reshape(-1).tolist()}))
`;
      const out = JSON.parse(execFileSync(python, ['-c', check], { input: JSON.stringify({ x: [...x.values()], shape: x.shape, size }), encoding: 'utf8' })) as { shape: number[]; values: number[] };
      expect(out.shape).toEqual(y.shape);
      expect(maxDiff(out.values, y.values())).toBeLessThan(1e-6);
      [m, x, y].forEach((t) => t.dispose());
    }
  });
});

describe('exportCode: TF.js', () => {
  it('runs against @tensorflow/tfjs and reproduces nnplay predictions to 1e-5', async () => {
    // TF.js's GRU has no reset_after: those models' export is an Error (checked below).
    for (const b of built.filter((x) => !x.c.name.includes('reset_after'))) {
      const e = await nn.exportCode(b.model, 'tfjs', { fileBase: `${b.c.name}_tfjs` });
      expect(e.code).toContain("import * as tf from '@tensorflow/tfjs';");
      const file = join(dir, e.codeFileName);
      writeFileSync(file, e.code);
      const mod = (await import(pathToFileURL(file).href)) as {
        createModel: () => tf.LayersModel;
        loadNnplayWeights: (m: tf.LayersModel, doc: unknown) => tf.LayersModel;
      };
      const m = mod.loadNnplayWeights(mod.createModel(), JSON.parse(e.weights));
      const xs = b.xs.map((t) => tf.tensor(t.values(), t.shape));
      const p = m.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(p) ? p : [p];
      list.forEach((t, k) => expect(maxDiff(t.dataSync(), b.expected[k]), `${b.c.name} output ${k}`).toBeLessThan(1e-5));
      tf.dispose([...xs, ...list]);
      m.dispose();
    }
  });
});

// The losses that have no built-in torch form, written out: the generated loss_0(p, y) against
// nnplay's evaluate() on the same predictions (an identity model: p = x).
const writtenLosses: { loss: nn.LossArg; p: () => nn.Tensor; y: () => nn.Tensor }[] = [
  { loss: 'meanAbsolutePercentageError', p: () => data([5, 3], 40), y: () => data([5, 3], 41) },
  { loss: { name: 'huberLoss', delta: 0.3 }, p: () => data([5, 3], 42), y: () => data([5, 3], 43) },
  { loss: 'hinge', p: () => data([5, 3], 44, 2), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => (i % 3 ? 1 : -1)), [5, 3]) },
  { loss: 'squaredHinge', p: () => data([5, 3], 45, 2), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => (i % 2 ? 1 : -1)), [5, 3]) },
  { loss: 'logCosh', p: () => data([5, 3], 46, 3), y: () => data([5, 3], 47) },
  { loss: 'kullbackLeiblerDivergence', p: () => nn.tensor(Array.from({ length: 15 }, (_, i) => 0.05 + ((i * 7) % 10) / 11), [5, 3]), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => ((i * 3) % 5) / 5), [5, 3]) },
  { loss: 'cosineProximity', p: () => data([5, 3], 48), y: () => data([5, 3], 49) },
  { loss: 'poisson', p: () => nn.tensor(Array.from({ length: 15 }, (_, i) => 0.1 + i / 7), [5, 3]), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => i % 4), [5, 3]) },
  { loss: 'meanSquaredLogarithmicError', p: () => data([5, 3], 50, 2), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => (i * 0.37) % 3), [5, 3]) },
  { loss: 'categoricalHinge', p: () => data([5, 3], 51, 2), y: () => nn.tensor(Array.from({ length: 15 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [5, 3]) },
];

describe('exportCode: the losses of every target', () => {
  it('PyTorch computes each loss as nnplay does (1e-5), Keras and TF.js name them', async () => {
    const jobs: { name: string; code: string; p: number[]; y: number[]; shape: number[]; expected: number }[] = [];
    for (const [i, w] of writtenLosses.entries()) {
      const m = nn.sequential({ layers: [nn.layers.activation({ inputShape: [3], activation: 'linear' })] });
      m.compile({ optimizer: 'sgd', loss: w.loss });
      const p = w.p();
      const y = w.y();
      const ev = m.evaluate(p, y) as nn.Tensor;
      const expected = ev.values()[0];
      const name = typeof w.loss === 'string' ? w.loss : w.loss.name;
      const e = await nn.exportCode(m, 'pytorch', { fileBase: `loss_${i}` });
      writeFileSync(join(dir, e.codeFileName), e.code);
      jobs.push({ name, code: e.codeFileName, p: [...p.values()], y: [...y.values()], shape: p.shape, expected });
      const keras = await nn.exportCode(m, 'keras');
      const tfjs = await nn.exportCode(m, 'tfjs');
      if (name === 'huberLoss') {
        expect(keras.code).toContain('loss=keras.losses.Huber(delta=0.3)');
        expect(tfjs.code).toContain('loss: (y, p) => tf.losses.huberLoss(y, p, undefined, 0.3)');
      } else {
        expect(keras.code).toMatch(/loss="[a-z_]+"/);
      }
      if (name === 'logCosh') expect(tfjs.code).toContain("loss: 'logcosh'");
      // TF.js compiles each (its lossesMap has every name the exporter writes).
      if (name !== 'huberLoss') {
        const tfName = /loss: '([^']+)'/.exec(tfjs.code)![1];
        const t = tf.sequential({ layers: [tf.layers.activation({ inputShape: [3], activation: 'linear' })] });
        t.compile({ optimizer: 'sgd', loss: tfName });
        const got = (t.evaluate(tf.tensor(p.values(), p.shape), tf.tensor(y.values(), y.shape)) as tf.Scalar).dataSync()[0];
        expect(Math.abs(got - expected), `${name} in TF.js`).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
        t.dispose();
      }
      [m, p, y, ev].forEach((x) => x.dispose());
    }
    if (!python) {
      if (inCI) throw new Error('code-export.test: python3 with torch is required in CI');
      return;
    }
    writeFileSync(join(dir, 'loss_jobs.json'), JSON.stringify(jobs));
    const driver = `
import importlib.util, json, os, sys
import torch
here = sys.argv[1]
out = {}
for job in json.load(open(os.path.join(here, "loss_jobs.json"))):
    spec = importlib.util.spec_from_file_location(job["code"][:-3], os.path.join(here, job["code"]))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    p = torch.tensor(job["p"], dtype=torch.float32).reshape(job["shape"])
    y = torch.tensor(job["y"], dtype=torch.float32).reshape(job["shape"])
    out[job["name"]] = float(mod.loss_0(p, y))
print(json.dumps(out))
`;
    writeFileSync(join(dir, 'loss_driver.py'), driver);
    const r = spawnSync(python, [join(dir, 'loss_driver.py'), dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the exported PyTorch losses failed:\n${r.stderr}`);
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    for (const j of jobs) expect(Math.abs(got[j.name] - j.expected), j.name).toBeLessThan(1e-5 * Math.max(1, Math.abs(j.expected)));
  });
});

describe('exportCode: the VAE layers train in TF.js', () => {
  it("adds the KL layer's term with the layer's addLoss: beta * KL of the batch just run, and fit() trains", async () => {
    const b = built.find((x) => x.c.name === 'vae')!;
    const e = await nn.exportCode(b.model, 'tfjs', { fileBase: 'vae_fit_tfjs' });
    expect(e.code).toContain('this.addLoss(() => this.klLoss());');
    const file = join(dir, e.codeFileName);
    writeFileSync(file, e.code);
    const mod = (await import(pathToFileURL(file).href)) as { createModel: () => tf.LayersModel; loadNnplayWeights: (m: tf.LayersModel, doc: unknown) => tf.LayersModel };
    const m = mod.loadNnplayWeights(mod.createModel(), JSON.parse(e.weights));
    const x = tf.tensor(b.xs[0].values(), b.xs[0].shape).sigmoid();
    // The KL by hand, through the encoder (z_mean, z_log_var) of the loaded weights.
    const enc = tf.model({ inputs: m.inputs, outputs: [m.getLayer('z_mean').output as tf.SymbolicTensor, m.getLayer('z_log_var').output as tf.SymbolicTensor] });
    const [mu, lv] = enc.predict(x) as tf.Tensor[];
    const kl = tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, lv), tf.add(tf.square(mu), tf.exp(lv))), -1))).dataSync()[0];
    expect(kl).toBeGreaterThan(0);
    // A forward pass through the graph executor (fit()'s path), keeping z_mean and z_log_var,
    // then the model's layer losses: what fit() adds to each step's loss.
    const names = ['z_mean', 'z_log_var'].map((n) => (m.getLayer(n).output as tf.SymbolicTensor).name);
    const added = tf.tidy(() => {
      m.execute(x, [...names, m.outputs[0].name]);
      return m.calculateLosses().map((t) => t.dataSync()[0]);
    });
    expect(added).toHaveLength(1);
    expect(Math.abs(added[0] - 0.5 * kl)).toBeLessThan(1e-6);
    const h = await m.fit(x, x, { epochs: 2, batchSize: 2, verbose: 0 });
    expect((h.history.loss as number[]).every(Number.isFinite)).toBe(true);
    tf.dispose([x, mu, lv]);
    m.dispose();
  });
});

// Regularizers and trainable: false carried into every target's training loop: one epoch of the
// exported loop, plain SGD, no shuffle (so no randomness), ends on nnplay's weights and loss.
describe('exportCode: weight regularizers and frozen layers in the training loops', () => {
  const x = () => data([10, 4], 60);
  const y = () => data([10, 2], 61);
  function make(): nn.LayersModel {
    const frozenLayer = nn.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: nn.regularizers.l2({ l2: 0.05 }), name: 'frozen' });
    frozenLayer.trainable = false;
    const m = nn.sequential({ layers: [
      nn.layers.dense({ inputShape: [4], units: 6, activation: 'tanh', kernelRegularizer: nn.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), name: 'both' }),
      frozenLayer,
      nn.layers.dense({ units: 2, kernelRegularizer: nn.regularizers.l1({ l1: 0.03 }), name: 'l1only' }),
    ], seed: 21 });
    m.compile({ optimizer: nn.train.sgd(0.2), loss: 'meanSquaredError' });
    return m;
  }
  /** The weights file's values by name. */
  function weightsOf(file: string): Record<string, Float32Array> {
    const doc = JSON.parse(file) as { weights: { name: string; data: string }[] };
    return Object.fromEntries(doc.weights.map((w) => {
      const b = Buffer.from(w.data, 'base64');
      return [w.name, new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))];
    }));
  }
  let before: Record<string, Float32Array>;
  let after: Record<string, Float32Array>;
  let nnplayLoss: number;
  const exported: Partial<Record<'pytorch' | 'tfjs' | 'keras', nn.ExportedCode>> = {};
  beforeAll(async () => {
    const m = make();
    for (const t of ['pytorch', 'tfjs', 'keras'] as const) exported[t] = await nn.exportCode(m, t, { fileBase: `reg_${t}`, batchSize: 4 });
    before = weightsOf(exported.pytorch!.weights);
    const xs = x(), ys = y();
    const h = await m.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false });
    nnplayLoss = h.history.loss[0] as number;
    after = weightsOf((await nn.exportCode(m, 'pytorch')).weights);
    [xs, ys].forEach((t) => t.dispose());
    m.dispose();
    // The penalties move the weights: without them the loops would end elsewhere.
    expect(maxDiff(after['both/kernel'], before['both/kernel'])).toBeGreaterThan(1e-3);
    expect(maxDiff(after['frozen/kernel'], before['frozen/kernel'])).toBe(0);
    expect(maxDiff(after['frozen/bias'], before['frozen/bias'])).toBe(0);
  });
  function expectNnplayWeights(got: Record<string, ArrayLike<number>>, what: string) {
    expect(Object.keys(got).sort()).toEqual(Object.keys(after).sort());
    for (const name of Object.keys(after)) expect(maxDiff(got[name], after[name]), `${what} ${name}`).toBeLessThan(1e-5);
    // The frozen layer's weights are the loaded ones, bit for bit.
    for (const name of ['frozen/kernel', 'frozen/bias']) expect(maxDiff(got[name], before[name]), `${what} ${name}`).toBe(0);
  }

  it('PyTorch: the penalty is in every batch loss and the frozen layer is left out of the optimizer', () => {
    if (!python) {
      if (inCI) throw new Error(`code-export.test: python3 with torch is required in CI (tried ${tried.join(', ')})`);
      return;
    }
    const e = exported.pytorch!;
    expect(e.code).toContain('model.frozen.requires_grad_(False)');
    writeFileSync(join(dir, e.codeFileName), e.code);
    writeFileSync(join(dir, e.weightsFileName), e.weights);
    const xs = x(), ys = y();
    writeFileSync(join(dir, 'reg_data.json'), JSON.stringify({ x: [...xs.values()], y: [...ys.values()] }));
    [xs, ys].forEach((t) => t.dispose());
    const driver = `
import contextlib, importlib.util, io, json, os, sys
import numpy as np
here = sys.argv[1]
spec = importlib.util.spec_from_file_location("reg_pytorch", os.path.join(here, "reg_pytorch.py"))
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
model = mod.load_nnplay_weights(mod.NnplayModel(), os.path.join(here, "reg_pytorch.weights.json"))
d = json.load(open(os.path.join(here, "reg_data.json")))
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    mod.train(model, np.array(d["x"], dtype=np.float32).reshape(10, 4), np.array(d["y"], dtype=np.float32).reshape(10, 2), epochs=1, batch_size=4, shuffle=False)
out = {"log": printed.getvalue()}
for name in ["both", "frozen", "l1only"]:
    layer = getattr(model, name)
    out[name + "/kernel"] = layer.weight.detach().T.reshape(-1).tolist()
    out[name + "/bias"] = layer.bias.detach().reshape(-1).tolist()
print(json.dumps(out))
`;
    writeFileSync(join(dir, 'reg_driver.py'), driver);
    const r = spawnSync(python, [join(dir, 'reg_driver.py'), dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the exported PyTorch training loop failed:\n${r.stderr}`);
    const { log, ...got } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { log: string } & Record<string, number[]>;
    expectNnplayWeights(got, 'PyTorch');
    // The reported loss includes the penalty, as nnplay's fit() loss does.
    const loss = Number(/epoch 1\/1 loss ([\d.e+-]+)/.exec(log)![1]);
    expect(Math.abs(loss - nnplayLoss)).toBeLessThan(1e-5);
  });

  it('TF.js 4.22: kernelRegularizer l1l2 and trainable: false train as nnplay', async () => {
    const e = exported.tfjs!;
    expect(e.code).toContain('kernelRegularizer: tf.regularizers.l1l2({l1: ');
    expect(e.code).toContain('trainable: false');
    const file = join(dir, e.codeFileName);
    writeFileSync(file, e.code);
    const mod = (await import(pathToFileURL(file).href)) as {
      createModel: () => tf.LayersModel;
      loadNnplayWeights: (m: tf.LayersModel, doc: unknown) => tf.LayersModel;
      train: (m: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, o: { epochs: number; batchSize: number; shuffle: boolean }) => Promise<tf.History>;
    };
    const m = mod.loadNnplayWeights(mod.createModel(), JSON.parse(e.weights));
    const xs0 = x(), ys0 = y();
    const xs = tf.tensor(xs0.values(), xs0.shape), ys = tf.tensor(ys0.values(), ys0.shape);
    [xs0, ys0].forEach((t) => t.dispose());
    const h = await mod.train(m, xs, ys, { epochs: 1, batchSize: 4, shuffle: false });
    const got: Record<string, Float32Array> = {};
    for (const name of ['both', 'frozen', 'l1only']) {
      const [kernel, bias] = m.getLayer(name).getWeights();
      got[`${name}/kernel`] = kernel.dataSync() as Float32Array;
      got[`${name}/bias`] = bias.dataSync() as Float32Array;
    }
    expectNnplayWeights(got, 'TF.js');
    expect(Math.abs((h.history.loss[0] as number) - nnplayLoss)).toBeLessThan(1e-5);
    tf.dispose([xs, ys]);
    m.dispose();
  });

  it('Keras: the script byte-compiles and sets L1L2 and trainable=False on the layers', () => {
    const e = exported.keras!;
    const regs = Object.fromEntries([...e.code.matchAll(/kernel_regularizer=keras\.regularizers\.L1L2\(l1=([\d.e+-]+), l2=([\d.e+-]+)\)[^\n]*name="(\w+)"/g)].map((r) => [r[3], [Number(r[1]), Number(r[2])]]));
    expect(Object.keys(regs).sort()).toEqual(['both', 'l1only']);
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-8);
    expect(near(regs.both, [0.01, 0.02]), JSON.stringify(regs.both)).toBe(true);
    // The frozen layer's penalty is not nnplay's loss (it penalizes trainable weights only): a comment.
    expect(e.code).toContain('#   kernel_regularizer=keras.regularizers.L1L2(l1=0.0, l2=0.05)');
    expect(near(regs.l1only, [0.03, 0]), JSON.stringify(regs.l1only)).toBe(true);
    expect(e.code).toMatch(/layers\.Dense\([^\n]*name="frozen", trainable=False\)/);
    expect(e.code.match(/trainable=False/g)).toHaveLength(1);
    if (!python) return;
    const file = join(dir, e.codeFileName);
    writeFileSync(file, e.code);
    execFileSync(python, ['-m', 'py_compile', file]);
  });
});

describe('exportCode: what cannot be expressed', () => {
  it('names the layer and the option', async () => {
    const m = nn.sequential({ layers: [nn.layers.gru({ inputShape: [3, 2], units: 2, resetAfter: true, recurrentActivation: 'sigmoid' })] });
    await expect(nn.exportCode(m, 'tfjs')).rejects.toThrow(/layer "gru_\d+" \(gru\): resetAfter: true has no TF\.js form/);
    const e = nn.sequential({ layers: [nn.layers.simpleRNN({ inputShape: [3, 2], units: 2, activation: 'exponential' })] });
    await expect(nn.exportCode(e, 'tfjs')).rejects.toThrow(/layer "simple_?rnn_\d+" \(simpleRNN\): activation 'exponential' of a recurrent layer has no TF\.js form/i);
    const s = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 2 })] });
    s.compile({ optimizer: nn.train.sgd(nn.train.stepDecay({ initialLearningRate: 0.1, stepSize: 10 })), loss: 'meanSquaredError' });
    await expect(nn.exportCode(s, 'tfjs')).rejects.toThrow(/schedule 'stepDecay' has no TF\.js form/);
    // @ts-expect-error: an unknown target
    await expect(nn.exportCode(s, 'jax')).rejects.toThrow(/unknown target "jax"; allowed: 'keras', 'pytorch', 'tfjs'/);
    await expect(nn.exportCode(s, 'pytorch', { epochs: 0 })).rejects.toThrow(/options\.epochs must be an integer/);
    const r = nn.sequential({ layers: [nn.layers.lstm({ inputShape: [3, 2], units: 2, activation: 'leakyRelu' })] });
    await expect(nn.exportCode(r, 'tfjs')).rejects.toThrow(/layer "lstm_\d+" \(lstm\): activation 'leakyRelu' of a recurrent layer has no TF\.js form/);
    // torch.nn's recurrent parameters are not nnplay's weights one to one (gates, two biases).
    const g = nn.sequential({ layers: [nn.layers.lstm({ inputShape: [3, 2], units: 2, recurrentRegularizer: nn.regularizers.l2() })] });
    await expect(nn.exportCode(g, 'pytorch')).rejects.toThrow(/layer "lstm_\d+" \(lstm\): recurrentRegularizer has no PyTorch form/);
    expect((await nn.exportCode(g, 'tfjs')).code).toContain('recurrentRegularizer: tf.regularizers.l1l2({l1: 0, l2: 0.01})');
    [m, e, s, r, g].forEach((x) => x.dispose());
  });
});

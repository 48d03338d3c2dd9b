// Programs written the way TF.js's guides and tutorials write them, run unchanged on nnplay and
// on TF.js 4.22 (tests/js/guide-programs.test.ts passes either library as `tf`). Each returns
// what its tutorial looks at, so the test can check that both reach the same outcome.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfLike = any;

/** The getting-started guide: y = 2x − 1 learnt by one dense unit, the prediction printed. */
export async function gettingStarted(tf: TfLike): Promise<{ printed: string; prediction: number }> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [1] }));
  model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
  const xs = tf.tensor2d([-1, 0, 1, 2, 3, 4], [6, 1]);
  const ys = tf.tensor2d([-3, -1, 1, 3, 5, 7], [6, 1]);
  await model.fit(xs, ys, { epochs: 250 });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(' '));
  let prediction: number;
  try {
    const y = model.predict(tf.tensor2d([10], [1, 1]));
    y.print();
    prediction = y.dataSync()[0];
  } finally {
    console.log = log;
  }
  return { printed: lines.join('\n'), prediction };
}

/** Small MNIST-shaped images (28×28): class k lights its own 4×4 block under seeded noise. */
function blockImages(tf: TfLike, n: number, seed: number): { xs: TfLike; labels: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pixels = new Float32Array(n * 784);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    labels.push(k);
    const r0 = 2 + Math.floor(k / 5) * 12, c0 = 2 + (k % 5) * 5;
    for (let p = 0; p < 784; p++) pixels[i * 784 + p] = 0.3 * rand();
    for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) pixels[i * 784 + r * 28 + c] = 0.7 + 0.3 * rand();
  }
  return { xs: tf.tensor4d(pixels, [n, 28, 28, 1]), labels };
}

/** The MNIST CNN tutorial: varianceScaling kernels, one-hot labels, tidy + argMax evaluation. */
export async function mnistCnnTutorial(tf: TfLike): Promise<{ accuracy: number; losses: number[]; leaked: number }> {
  const train = blockImages(tf, 40, 3);
  const test = blockImages(tf, 30, 4);
  const trainYs = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10);
  const testYs = tf.oneHot(tf.tensor1d(test.labels, 'int32'), 10);
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters: 8, strides: 1, activation: 'relu', kernelInitializer: 'varianceScaling' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.conv2d({ kernelSize: 5, filters: 16, strides: 1, activation: 'relu', kernelInitializer: 'varianceScaling' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, kernelInitializer: 'varianceScaling', activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(train.xs, trainYs, { batchSize: 8, epochs: 6, shuffle: true });
  const before = tf.memory().numTensors;
  const [preds, labels] = tf.tidy(() => {
    const testxs = test.xs.reshape([30, 28, 28, 1]);
    return [model.predict(testxs).argMax(-1), testYs.argMax(-1)];
  });
  const leaked = tf.memory().numTensors - before - 2; // the two kept by tidy
  const p = preds.dataSync();
  const l = labels.dataSync();
  let right = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === l[i]) right++;
  return { accuracy: right / p.length, losses: h.history.loss as number[], leaked };
}

/** A functional autoencoder whose encoder is cut out as its own model by the layer's name. */
export async function functionalAutoencoder(tf: TfLike): Promise<{ codeShape: number[]; losses: number[]; encoderMatches: boolean }> {
  const { xs } = blockImages(tf, 40, 5);
  const flat = xs.reshape([40, 784]);
  const input = tf.input({ shape: [784] });
  const code = tf.layers.dense({ units: 16, activation: 'relu', name: 'code' }).apply(input);
  const output = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(code);
  const m = tf.model({ inputs: input, outputs: output });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const h = await m.fit(flat, flat, { epochs: 8, batchSize: 8 });
  const encoder = tf.model({ inputs: m.inputs, outputs: m.getLayer('code').output });
  const codes = encoder.predict(flat);
  // The encoder is the trained layer: its output is relu(x·W + b) with the autoencoder's weights.
  const [w, b] = m.getLayer('code').getWeights();
  const direct = tf.relu(tf.add(tf.matMul(flat, w), b)).dataSync();
  const got = codes.dataSync();
  let encoderMatches = true;
  for (let i = 0; i < got.length; i++) if (Math.abs(got[i] - direct[i]) > 1e-4 * (1 + Math.abs(direct[i]))) encoderMatches = false;
  return { codeShape: codes.shape, losses: h.history.loss as number[], encoderMatches };
}

/** Dropout and batch normalization in an MLP, with tf.oneHot labels. */
export async function dropoutBatchNorm(tf: TfLike): Promise<{ accuracy: number; losses: number[] }> {
  const train = blockImages(tf, 200, 6);
  const test = blockImages(tf, 50, 7);
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(train.xs, tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10), { epochs: 12, batchSize: 32 });
  const predicted = model.predict(test.xs).argMax(-1).dataSync();
  let right = 0;
  for (let i = 0; i < test.labels.length; i++) if (predicted[i] === test.labels[i]) right++;
  return { accuracy: right / test.labels.length, losses: h.history.loss as number[] };
}

/** Early stopping on a validation split, as the training guide shows it. */
export async function earlyStoppingGuide(tf: TfLike): Promise<{ epochs: number }> {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
  const xs = tf.tensor2d([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8], [10, 1]);
  const ys = tf.tensor2d([-3, -1, 1, 3, 5, 7, 9, 11, 13, 15], [10, 1]);
  // No epoch improves val_loss by a million: the first sets the best, two more without, then stop.
  const h = await model.fit(xs, ys, { epochs: 50, validationSplit: 0.2, callbacks: tf.callbacks.earlyStopping({ monitor: 'val_loss', minDelta: 1e6, patience: 2 }) });
  return { epochs: h.epoch.length };
}

/** Save and load through tf.io handlers: withSaveHandler to memory, fromMemory back. */
export async function saveLoadHandlers(tf: TfLike): Promise<{ same: boolean; weightBytes: number }> {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4], activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
  let artifacts: TfLike = null;
  await model.save(tf.io.withSaveHandler(async (a: TfLike) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4]]);
  const a = model.predict(x).dataSync();
  const b = loaded.predict(x).dataSync();
  let same = a.length === b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) same = false;
  return { same, weightBytes: artifacts.weightData.byteLength };
}

/**
 * A VAE trained with optimizer.minimize, the way TF.js's VAE example (tfjs-examples
 * fashion-mnist-vae) trains it: an encoder model (dense → zMean, zLogVar), the
 * reparameterisation in ops, a decoder model, the example's vaeLoss (reconstruction + KL from
 * ops) and `optimizer.minimize(() => loss, true)` over batches it makes itself. (The example's
 * z is a custom layer inside the encoder and its reconstruction term tf.losses.meanSquaredError;
 * here both are written in the ops they consist of.)
 */
export async function vaeMinimize(tf: TfLike): Promise<{ losses: number[]; leaked: number; generatedShape: number[] }> {
  const originalDim = 784, intermediateDim = 64, latentDim = 2, batchSize = 16;
  const { xs } = blockImages(tf, 64, 8);
  const images = xs.reshape([64, originalDim]);

  const inputs = tf.input({ shape: [originalDim], name: 'encoder_input' });
  const x = tf.layers.dense({ units: intermediateDim, activation: 'relu' }).apply(inputs);
  const zMean = tf.layers.dense({ units: latentDim, name: 'z_mean' }).apply(x);
  const zLogVar = tf.layers.dense({ units: latentDim, name: 'z_log_var' }).apply(x);
  const encoder = tf.model({ inputs, outputs: [zMean, zLogVar], name: 'encoder' });

  const decoder = tf.sequential({ name: 'decoder' });
  decoder.add(tf.layers.dense({ units: intermediateDim, activation: 'relu', inputShape: [latentDim] }));
  decoder.add(tf.layers.dense({ units: originalDim, activation: 'sigmoid' }));

  function vaeLoss(inputs: TfLike, outputs: TfLike[]): TfLike {
    return tf.tidy(() => {
      const originalDim = inputs.shape[1];
      const [decoderOutput, zMean, zLogVar] = outputs;
      const reconstructionLoss = tf.mean(tf.square(tf.sub(inputs, decoderOutput))).mul(originalDim);
      let klLoss = zLogVar.add(1).sub(zMean.square()).sub(zLogVar.exp());
      klLoss = klLoss.sum(-1).mul(-0.5);
      return reconstructionLoss.add(klLoss).mean();
    });
  }

  const optimizer = tf.train.adam();
  const losses: number[] = [];
  let afterFirstStep = 0;
  for (let epoch = 0; epoch < 10; epoch++) {
    for (let j = 0; j < 64 / batchSize; j++) {
      const batch = images.slice([j * batchSize, 0], [batchSize, originalDim]);
      const cost = optimizer.minimize(() => {
        const [zMean, zLogVar] = encoder.apply(batch);
        const epsilon = tf.randomNormal([batchSize, latentDim], 0, 1);
        const z = zMean.add(zLogVar.mul(0.5).exp().mul(epsilon));
        const decoderOutput = decoder.apply(z);
        return vaeLoss(batch, [decoderOutput, zMean, zLogVar]);
      }, true);
      losses.push(cost.dataSync()[0]);
      tf.dispose([batch, cost]);
      // The first step makes the optimizer's slots (and, in nnplay, the weights' variables).
      if (losses.length === 1) afterFirstStep = tf.memory().numTensors;
    }
  }
  const leaked = tf.memory().numTensors - afterFirstStep;
  // The example's generate(): the decoder alone, from the centre of the latent space.
  const targetZ = tf.zeros([latentDim]).expandDims();
  const generated = decoder.predict(targetZ);
  const generatedShape = generated.shape;
  tf.dispose([targetZ, generated]);
  return { losses, leaked, generatedShape };
}

/**
 * The training utilities as the TF.js guides use them: a tf.data pipeline (generator → map →
 * shuffle → batch) into fitDataset, class weights for an unbalanced fit, a trainOnBatch loop,
 * and the model's summary printed (captured). The classes: inside (1) or outside (0) a circle,
 * with the inside class rare.
 */
export async function trainingUtilities(tf: TfLike): Promise<{ datasetLosses: number[]; weightedRecall: number; plainRecall: number; batchLosses: number[]; summary: string[]; backend: boolean }> {
  const backend = await tf.setBackend('cpu');
  let s = 7;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const points = Array.from({ length: 200 }, () => [rand(), rand()]);
  const label = (p: number[]) => (p[0] * p[0] + p[1] * p[1] < 0.08 ? 1 : 0);
  const build = () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu', name: 'hidden' }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'inside' }));
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    return model;
  };
  const model = build();
  const summary: string[] = [];
  model.summary(undefined, undefined, (line: string) => summary.push(line));

  function* samples() {
    for (const p of points) yield p;
  }
  const ds = tf.data.generator(samples).map((p: number[]) => ({ xs: p, ys: [label(p)] })).shuffle(200, 5).batch(20);
  const h = await model.fitDataset(ds, { epochs: 15 });

  // Class weights: the rare inside class counts 8 times; recall on it rises.
  const xs = tf.tensor2d(points);
  const ys = tf.tensor2d(points.map((p) => [label(p)]));
  const recallOf = async (classWeight?: Record<number, number>) => {
    const m = build();
    await m.fit(xs, ys, { epochs: 10, batchSize: 32, classWeight });
    const predicted = (m.predict(xs) as TfLike).dataSync();
    let hit = 0, positives = 0;
    points.forEach((p, i) => {
      if (label(p) !== 1) return;
      positives++;
      if (predicted[i] > 0.5) hit++;
    });
    return hit / positives;
  };
  const plainRecall = await recallOf();
  const weightedRecall = await recallOf({ 0: 1, 1: 10 });

  const batchLosses: number[] = [];
  const loop = build();
  for (let step = 0; step < 20; step++) {
    const [loss] = (await loop.trainOnBatch(xs, ys)) as number[];
    batchLosses.push(loss);
  }
  return { datasetLosses: h.history.loss as number[], weightedRecall, plainRecall, batchLosses, summary, backend };
}

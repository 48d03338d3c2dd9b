// The Keras MNIST quickstart the way TF.js programs write it: no ready(), the model built and
// compiled synchronously, then `await fit`, then predict. Run unchanged on nnplay and on TF.js
// (tests/js/lazy-engine.test.ts passes in either library as `tf`). The data are small
// MNIST-shaped images (28×28, 10 classes) a few epochs can learn: each class lights its own
// 4×4 block, under noise from a seeded generator.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfLike = any;

export function quickstartData(tf: TfLike, n: number, seed: number): { xs: unknown; ys: unknown; labels: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pixels = new Float32Array(n * 28 * 28);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    labels.push(k);
    const r0 = 2 + Math.floor(k / 5) * 12, c0 = 2 + (k % 5) * 5;
    for (let p = 0; p < 28 * 28; p++) pixels[i * 784 + p] = 0.3 * rand();
    for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) pixels[i * 784 + r * 28 + c] = 0.7 + 0.3 * rand();
  }
  return { xs: tf.tensor3d(pixels, [n, 28, 28]), ys: tf.tensor1d(labels), labels };
}

export async function kerasMnistQuickstart(tf: TfLike): Promise<{ accuracy: number; history: number[]; predictedShape: number[] }> {
  const train = quickstartData(tf, 200, 1);
  const test = quickstartData(tf, 50, 2);

  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

  const h = await model.fit(train.xs, train.ys, { epochs: 5, batchSize: 32 });
  const probs = model.predict(test.xs);
  const predicted: number[] = [];
  const values: Float32Array = probs.dataSync();
  for (let i = 0; i < test.labels.length; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (values[i * 10 + j] > values[i * 10 + best]) best = j;
    predicted.push(best);
  }
  const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / test.labels.length;
  return { accuracy, history: h.history.loss as number[], predictedShape: probs.shape };
}

// The lessons: one table, the single source of truth for the Lessons menu, the `lesson=<id>`
// hash key, the <nn-playground lesson="…"> attribute, each lesson's preset, its words and its
// listings (Keras and nnplay, generated from the lesson's current settings so they always match
// what trains).
//
// Two kinds of rows: lessons that run here (kind line / neuron / tabular / softmax / vae / overfit / evaluate, drawn
// by LessonApp with a view per kind, lesson-views.ts and vae-view.ts), and lessons whose preset is a link into
// another mode of the page (kind link: the Images mode's MNIST presets, the Sequences mode's
// LSTM). A row with `available: false` is listed but not opened; its `note` says why.
//
// Pure data and string functions (no DOM), so Node tests read it.

export type LessonKind = 'line' | 'neuron' | 'tabular' | 'softmax' | 'vae' | 'overfit' | 'evaluate' | 'link';
export type LessonActivation = 'sigmoid' | 'tanh' | 'relu' | 'linear';
export type LessonLoss = 'mse' | 'crossentropy';
export type LessonOptimizer = 'sgd' | 'adam';
/** Lesson 8's model: the variational autoencoder, or the plain autoencoder (no sampling, β 0). */
export type LessonVariant = 'vae' | 'autoencoder';

/** What a runnable lesson's link may set (all keys optional in a link; defaults per lesson). */
export interface LessonSettings {
  dataset: string;
  noise: number; // percent 0..50
  classes: number; // softmax on blobs / spirals: 2..8
  hidden: number[]; // hidden layer sizes ([] = one neuron / a linear model)
  activation: LessonActivation;
  loss: LessonLoss;
  optimizer: LessonOptimizer;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Lesson 8 only (absent elsewhere): the KL weight, live, and the model variant. */
  beta?: number;
  variant?: LessonVariant;
  /** Lesson 9 only: the L2 weight on every hidden kernel (0 none), the dropout rate after every
   *  hidden layer (0 none), early stopping on val_loss restoring the best weights, and how many
   *  training points (of 300) the model sees. */
  l2?: number;
  dropout?: number;
  earlyStopping?: boolean;
  trainPoints?: number;
}

export type SettingKey = keyof LessonSettings;
/** The link keys of a lesson, in the order links write them. */
export const SETTING_KEYS = [
  'dataset',
  'noise',
  'classes',
  'hidden',
  'activation',
  'loss',
  'optimizer',
  'learningRate',
  'batchSize',
  'seed',
  'beta',
  'variant',
  'l2',
  'dropout',
  'earlyStopping',
  'trainPoints',
] as const satisfies readonly SettingKey[];
const everyKeyListed: Exclude<SettingKey, (typeof SETTING_KEYS)[number]> extends never ? true : never = true;
void everyKeyListed;

export interface Listing {
  keras: string;
  nnplay: string;
}

export interface Lesson {
  id: string;
  number: number;
  title: string;
  kind: LessonKind;
  /** false: listed in the menu, not opened yet; `note` says why and when. */
  available: boolean;
  note?: string;
  /** Two or three sentences: what to look at, what to change. */
  text: string;
  /** kind link: the other mode's preset, as hash text. */
  link?: string;
  /** Runnable lessons: the preset, and the settings shown as controls (others keep the preset). */
  defaults?: LessonSettings;
  controls?: readonly SettingKey[];
  /** Allowed values where a setting is a choice. */
  datasets?: readonly string[];
  /** The listing this lesson corresponds to, for its settings (link lessons ignore them). */
  listing: (s: LessonSettings) => Listing;
  /** Ids of the key figures the lesson shows (automation hooks, README). */
  figures: readonly string[];
  /** The loss fit() validates on is a validation set (lessons 9 and 10: `val-loss`), not the test set (`test-loss`). */
  validation?: boolean;
  /** Epochs drawn per second at most (default 25): tiny data sets may go faster. */
  epochsPerSecond?: number;
}

const num = (v: number) => String(v);
const kerasAct = (a: LessonActivation) => `'${a}'`;
const kerasLayers = (hidden: number[], act: LessonActivation, inputs: number, out: string) =>
  [...hidden.map((u, i) => `    keras.layers.Dense(${u}, activation=${kerasAct(act)}${i === 0 ? `, input_shape=(${inputs},)` : ''}),`), `    keras.layers.Dense(${out}${hidden.length === 0 ? `, input_shape=(${inputs},)` : ''}),`].join('\n');
const nnLayers = (hidden: number[], act: LessonActivation, inputs: number, out: string) =>
  [...hidden.map((u, i) => `    nn.layers.dense({ ${i === 0 ? `inputShape: [${inputs}], ` : ''}units: ${u}, activation: '${act}' }),`), `    nn.layers.dense({ ${hidden.length === 0 ? `inputShape: [${inputs}], ` : ''}${out} }),`].join('\n');
const kerasOpt = (s: LessonSettings) => (s.optimizer === 'sgd' ? `keras.optimizers.SGD(learning_rate=${num(s.learningRate)})` : `keras.optimizers.Adam(learning_rate=${num(s.learningRate)})`);
const nnOpt = (s: LessonSettings) => `nn.train.${s.optimizer}(${num(s.learningRate)})`;

/** Lesson 9's toggles: the value each switches on (a link may give another). */
export const OVERFIT_ON = { l2: 0.01, dropout: 0.2, trainPoints: 150 } as const;
/** Lesson 9: training points without "more data", the validation points, and early stopping's patience. */
export const OVERFIT_SMALL = 30;
export const OVERFIT_VALIDATION = 300;
export const OVERFIT_PATIENCE = 50;
/** Lesson 10: points in each of the train, validation and test splits. */
export const EVAL_SPLITS = { train: 600, validation: 200, test: 200 } as const;

export const LESSONS: readonly Lesson[] = [
  {
    id: 'linear-regression',
    number: 1,
    title: 'Linear regression',
    kind: 'line',
    available: true,
    text:
      'The points are y = 2x + 1 plus noise, and the model is one dense unit: ŷ = w·x + b. Watch w and b walk towards 2 and 1 while the red path descends the MSE bowl on the right; each dot on the path is one epoch of SGD. Raise the learning rate until the path overshoots and zig-zags, or add noise and see the best line stay put while the bowl gets a higher floor.',
    defaults: { dataset: 'line', noise: 15, classes: 3, hidden: [], activation: 'linear', loss: 'mse', optimizer: 'sgd', learningRate: 0.1, batchSize: 32, seed: 1 },
    controls: ['noise', 'learningRate', 'batchSize', 'seed'],
    figures: ['lesson-view', 'loss-surface', 'weight-w', 'weight-b', 'epoch', 'train-loss', 'test-loss'],
    listing: (s) => ({
      keras: `import numpy as np
from tensorflow import keras

x = np.random.uniform(-1, 1, size=(200, 1))
y = 2 * x + 1 + np.random.normal(0, ${num(s.noise / 50)}, size=(200, 1))

model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
model.compile(optimizer=${kerasOpt(s)}, loss='mse')
model.fit(x, y, epochs=100, batch_size=${s.batchSize}, validation_split=0.2)
w, b = model.layers[0].get_weights()
print(w[0][0], b[0])  # close to 2 and 1`,
      nnplay: `import * as nn from 'nnplay';
await nn.ready();
const d = nn.datasets.points({ dataset: 'line', numPoints: 200, noise: ${s.noise}, seed: ${s.seed} });

const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [1], units: 1 })], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: 'meanSquaredError' });
await model.fit(d.train.xs, d.train.ys, { epochs: 100, batchSize: ${s.batchSize}, validationData: [d.test.xs, d.test.ys] });
const [w, b] = model.getWeights().map((t) => t.dataSync()[0]);
console.log(w, b); // close to 2 and 1`,
    }),
  },
  {
    id: 'neurons',
    number: 2,
    title: 'Neurons and activations',
    kind: 'neuron',
    available: true,
    text:
      'A neuron computes activation(w·x + b); the left plot shows sigmoid, tanh and ReLU with their derivatives (dashed), the right one the network\u2019s function over x against the data, a sine. Set hidden to none to train a single neuron and see it can only bend once; with 8 neurons the sum of shifted curves follows the wave. Switch to sigmoid and notice the flat derivative at the ends: learning slows there.',
    defaults: { dataset: 'wave', noise: 10, classes: 3, hidden: [8], activation: 'tanh', loss: 'mse', optimizer: 'adam', learningRate: 0.03, batchSize: 16, seed: 1 },
    controls: ['hidden', 'activation', 'learningRate', 'noise', 'seed'],
    figures: ['lesson-view', 'activation-curves', 'epoch', 'train-loss', 'test-loss'],
    listing: (s) => {
      const out = s.hidden.length === 0 ? `1, activation=${kerasAct(s.activation)}` : '1';
      const nnOut = s.hidden.length === 0 ? `units: 1, activation: '${s.activation}'` : 'units: 1';
      return {
        keras: `import numpy as np
from tensorflow import keras

x = np.random.uniform(-3, 3, size=(300, 1))
y = np.sin(x) + np.random.normal(0, ${num(s.noise / 50)}, size=(300, 1))

model = keras.Sequential([
${kerasLayers(s.hidden, s.activation, 1, out)}
])
model.compile(optimizer=${kerasOpt(s)}, loss='mse')
model.fit(x, y, epochs=200, batch_size=${s.batchSize})`,
        nnplay: `import * as nn from 'nnplay';
await nn.ready();
const d = nn.datasets.points({ dataset: 'wave', numPoints: 300, noise: ${s.noise}, seed: ${s.seed} });

const model = nn.sequential({ layers: [
${nnLayers(s.hidden, s.activation, 1, nnOut)}
], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: 'meanSquaredError' });
await model.fit(d.train.xs, d.train.ys, { epochs: 200, batchSize: ${s.batchSize} });
// The activation and its derivative, from the library's ops and their gradient rules:
const xs = nn.linspace(-4, 4, 81);
const ys = nn.${s.activation === 'linear' ? 'tanh' : s.activation}(xs), dys = nn.grad((x) => nn.${s.activation === 'linear' ? 'tanh' : s.activation}(x))(xs);`,
      };
    },
  },
  {
    id: 'mlp-regression',
    number: 3,
    title: 'An MLP for tabular regression',
    kind: 'tabular',
    available: true,
    text:
      'Three inputs x1, x2, x3 and a target y = 1.5·x1 − 2·x2² + x1·x3 + 0.5 + noise; the network is Dense(10, relu) → Dense(1) trained with Adam on MSE. Each dot on the scatter is a test row, predicted against true: the closer to the diagonal, the higher R² and the lower RMSE. Set hidden to none (a linear model) and see R² stop near 0.6: the curved part and the interaction need the hidden layer.',
    defaults: { dataset: 'tabular', noise: 10, classes: 3, hidden: [10], activation: 'relu', loss: 'mse', optimizer: 'adam', learningRate: 0.01, batchSize: 32, seed: 1 },
    controls: ['hidden', 'activation', 'learningRate', 'noise', 'seed'],
    figures: ['lesson-view', 'r2', 'rmse', 'epoch', 'train-loss', 'test-loss'],
    listing: (s) => ({
      keras: `import numpy as np
from tensorflow import keras
from sklearn.metrics import r2_score, mean_squared_error

x = np.random.uniform(-1, 1, size=(1000, 3))
y = 1.5 * x[:, 0] - 2 * x[:, 1] ** 2 + x[:, 0] * x[:, 2] + 0.5 + np.random.normal(0, ${num(s.noise / 100)}, 1000)
x_train, y_train, x_test, y_test = x[:800], y[:800], x[800:], y[800:]

model = keras.Sequential([
${kerasLayers(s.hidden, s.activation, 3, '1')}
])
model.compile(optimizer=${kerasOpt(s)}, loss='mse')
model.fit(x_train, y_train, epochs=100, batch_size=${s.batchSize}, validation_data=(x_test, y_test))
pred = model.predict(x_test)
print(r2_score(y_test, pred), mean_squared_error(y_test, pred) ** 0.5)`,
      nnplay: `import * as nn from 'nnplay';
await nn.ready();
const d = nn.datasets.tabular({ numTrain: 800, numTest: 200, noise: ${num(s.noise / 100)}, seed: ${s.seed} });

const model = nn.sequential({ layers: [
${nnLayers(s.hidden, s.activation, 3, 'units: 1')}
], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: 'meanSquaredError' });
await model.fit(d.train.xs, d.train.ys, { epochs: 100, batchSize: ${s.batchSize}, validationData: [d.test.xs, d.test.ys] });
const { r2, rmse } = nn.regressionReport(d.test.ys, model.predict(d.test.xs));`,
    }),
  },
  {
    id: 'softmax',
    number: 4,
    title: 'Classification and cross-entropy',
    kind: 'softmax',
    available: true,
    text:
      'Each colour is a class; the network ends in Dense(classes, softmax), so every point of the plane gets a probability per class and the background blends the colours by those probabilities. Switch the loss from cross-entropy to MSE on the same one-hot targets and compare the loss curves and how sharp the regions get: cross-entropy punishes a confident wrong answer much harder, so it learns faster. Then try the spirals (a harder boundary: give it time), moons, more classes or more noise.',
    defaults: { dataset: 'blobs', noise: 20, classes: 4, hidden: [16, 16], activation: 'tanh', loss: 'crossentropy', optimizer: 'adam', learningRate: 0.03, batchSize: 16, seed: 1 },
    controls: ['dataset', 'classes', 'loss', 'hidden', 'learningRate', 'noise', 'seed'],
    datasets: ['blobs', 'spirals', 'moons'],
    figures: ['lesson-view', 'accuracy', 'epoch', 'train-loss', 'test-loss'],
    listing: (s) => {
      const k = s.dataset === 'moons' ? 2 : s.classes;
      const kerasLoss = s.loss === 'mse' ? "'mse'" : "'categorical_crossentropy'";
      const nnLoss = s.loss === 'mse' ? "'meanSquaredError'" : "'categoricalCrossentropy'";
      return {
        keras: `from tensorflow import keras
# x: (n, 2) points, labels: (n,) class ids 0..${k - 1}
y = keras.utils.to_categorical(labels, ${k})

model = keras.Sequential([
${kerasLayers(s.hidden, s.activation, 2, `${k}, activation='softmax'`)}
])
model.compile(optimizer=${kerasOpt(s)}, loss=${kerasLoss}, metrics=['accuracy'])
model.fit(x, y, epochs=200, batch_size=${s.batchSize}, validation_split=0.2)`,
        nnplay: `import * as nn from 'nnplay';
await nn.ready();
const d = nn.datasets.points({ dataset: '${s.dataset}', numPoints: 600, noise: ${s.noise}, classes: ${k}, seed: ${s.seed} });
const onehot = (ys) => nn.oneHot(ys.reshape([-1]).cast('int32'), ${k}).cast('float32');

const model = nn.sequential({ layers: [
${nnLayers(s.hidden, s.activation, 2, `units: ${k}, activation: 'softmax'`)}
], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: ${nnLoss}, metrics: ['accuracy'] });
await model.fit(d.train.xs, onehot(d.train.ys), { epochs: 200, batchSize: ${s.batchSize}, validationData: [d.test.xs, onehot(d.test.ys)] });`,
      };
    },
  },
  {
    id: 'mnist-mlp',
    number: 5,
    title: 'The MNIST MLP',
    kind: 'link',
    available: true,
    link: 'mode=images&dataset=mnist&preset=mlp',
    text:
      'Each 28×28 digit is flattened to 784 numbers and fed through Dense(128, relu) to a 10-way softmax. Train an epoch and read the confusion matrix: which digits does it confuse? Draw a digit to test it, then add a layer or change the width and compare the test accuracy.',
    figures: ['epoch', 'train-loss', 'test-loss'],
    listing: () => ({
      keras: `from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test))`,
      nnplay: `import * as nn from 'nnplay';
const mnist = await nn.datasets.mnist();

const model = nn.sequential({ layers: [
    nn.layers.flatten({ inputShape: [28, 28, 1] }),
    nn.layers.dense({ units: 128, activation: 'relu' }),
    nn.layers.dense({ units: 10, activation: 'softmax' }),
] });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(mnist.train.xs, mnist.train.ys, { epochs: 5, validationData: [mnist.test.xs, mnist.test.ys] });`,
    }),
  },
  {
    id: 'mnist-cnn',
    number: 6,
    title: 'The MNIST CNN',
    kind: 'link',
    available: true,
    link: 'mode=images&dataset=mnist&preset=cnn',
    text:
      'A convolution slides 3×3 filters over the image, so the same feature is found anywhere; pooling halves the resolution. Compare its test accuracy with the MLP\u2019s after one epoch, and look inside the network at what the first filters respond to.',
    figures: ['epoch', 'train-loss', 'test-loss'],
    listing: () => ({
      keras: `from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train[..., None] / 255.0, x_test[..., None] / 255.0

model = keras.Sequential([
    keras.layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28, 1)),
    keras.layers.MaxPooling2D(2),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=3, validation_data=(x_test, y_test))`,
      nnplay: `import * as nn from 'nnplay';
const mnist = await nn.datasets.mnist();

const model = nn.sequential({ layers: [
    nn.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
    nn.layers.maxPooling2d({ poolSize: 2 }),
    nn.layers.flatten(),
    nn.layers.dense({ units: 128, activation: 'relu' }),
    nn.layers.dense({ units: 10, activation: 'softmax' }),
] });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(mnist.train.xs, mnist.train.ys, { epochs: 3, validationData: [mnist.test.xs, mnist.test.ys] });`,
    }),
  },
  {
    id: 'lstm-mnist-rows',
    number: 7,
    title: 'An LSTM classifier (MNIST rows)',
    kind: 'link',
    available: true,
    link: 'mode=sequences&task=mnistRows&cell=lstm',
    text:
      'The LSTM reads a digit one row of 28 pixels at a time and classifies it from its final state. Watch accuracy climb more slowly than the CNN\u2019s, and compare the LSTM with a GRU or a simple RNN cell.',
    figures: ['epoch', 'train-loss', 'test-loss'],
    listing: () => ({
      keras: `from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0   # (n, 28, 28): 28 steps of 28 features

model = keras.Sequential([
    keras.layers.LSTM(32, input_shape=(28, 28)),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=3, batch_size=64, validation_data=(x_test, y_test))`,
      nnplay: `import * as nn from 'nnplay';
const rows = await nn.datasets.mnistRows();   // x [n, 28, 28], y [n] classes

const model = nn.sequential({ layers: [
    nn.layers.lstm({ inputShape: [28, 28], units: 32 }),
    nn.layers.dense({ units: 10, activation: 'softmax' }),
] });
model.compile({ optimizer: nn.train.adam(0.005), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(rows.train.xs, rows.train.ys, { epochs: 3, batchSize: 64, validationData: [rows.test.xs, rows.test.ys] });`,
    }),
  },
  {
    id: 'vae',
    number: 8,
    title: 'Autoencoder and VAE',
    kind: 'vae',
    available: true,
    text:
      'An encoder squeezes each 784-pixel digit to two numbers and a decoder rebuilds it from them. The scatter shows where 1,000 test images land in that 2-D code, coloured by class; the grid decodes a 15×15 sweep of the same plane, and a click on the plane decodes that point. The VAE samples its code and pays β·KL for straying from a unit Gaussian, so its map stays round and every point decodes to something digit-like; switch to the autoencoder (no sampling, β 0) and watch the classes spread into far-flung streaks with empty gaps that decode to blur. Move β while it trains: higher β packs the map tighter and the reconstructions blurrier.',
    defaults: { dataset: 'mnist', noise: 0, classes: 10, hidden: [256], activation: 'relu', loss: 'crossentropy', optimizer: 'adam', learningRate: 0.002, batchSize: 64, seed: 1, beta: 1, variant: 'vae' },
    controls: ['dataset', 'variant', 'beta', 'learningRate', 'batchSize', 'seed'],
    datasets: ['mnist', 'fashion'],
    figures: ['latent-scatter', 'latent-grid', 'latent-decoded', 'reconstructions', 'vae-curves', 'recon-loss', 'kl-loss', 'epoch', 'train-loss', 'test-loss'],
    listing: (s) => {
      const vae = s.variant !== 'autoencoder';
      const beta = vae ? num(s.beta ?? 1) : '0';
      const kerasData = s.dataset === 'fashion' ? 'fashion_mnist' : 'mnist';
      const nnData = s.dataset === 'fashion' ? 'fashionMnist({ subset: true })' : 'mnist()';
      return {
        keras: `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

(x_train, _), (x_test, y_test) = keras.datasets.${kerasData}.load_data()
x_train = x_train[:2000].reshape(-1, 784) / 255.0
x_test, y_test = x_test[:1000].reshape(-1, 784) / 255.0, y_test[:1000]

class KlDivergence(layers.Layer):       # adds beta * KL(q(z|x) || N(0, 1)) to the loss
    def __init__(self, beta, **kw):
        super().__init__(**kw)
        self.beta = tf.Variable(beta, trainable=False)
    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * tf.reduce_mean(tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=1))
        self.add_loss(self.beta * kl)
        return z_mean
${vae ? `
class Sampling(layers.Layer):           # z = mean + exp(log_var / 2) * eps
    def call(self, inputs):
        z_mean, z_log_var = inputs
        return z_mean + tf.exp(0.5 * z_log_var) * tf.random.normal(tf.shape(z_mean))
` : ''}
inputs = keras.Input(shape=(784,))
h = layers.Dense(256, activation='relu')(inputs)
z_mean = layers.Dense(2, name='z_mean')(h)
z_log_var = layers.Dense(2, name='z_log_var')(h)
beta = ${beta}
kl = KlDivergence(beta / 784, name='kl')   # the loss is a mean over 784 pixels, the ELBO their sum
${vae ? "z = Sampling(name='z')([kl([z_mean, z_log_var]), z_log_var])" : "z = kl([z_mean, z_log_var])              # autoencoder: the mean itself, KL measured at beta 0"}
decoder_hidden = layers.Dense(256, activation='relu', name='decoder_hidden')
decoded_layer = layers.Dense(784, activation='sigmoid', name='decoded')
model = keras.Model(inputs, decoded_layer(decoder_hidden(z)))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=${num(s.learningRate)}), loss='binary_crossentropy')
model.fit(x_train, x_train, epochs=20, batch_size=${s.batchSize}, validation_data=(x_test, x_test))
${vae ? `kl.beta.assign(2 / 784)                 # beta 2, live: the next epoch pays twice the KL
` : ''}
encoder = keras.Model(inputs, z_mean)                    # the latent scatter
z_in = keras.Input(shape=(2,))
decoder = keras.Model(z_in, decoded_layer(decoder_hidden(z_in)))   # the decoded grid`,
        nnplay: `import * as nn from 'nnplay';
await nn.ready();
const data = await nn.datasets.${nnData};
const train = data.train.xs.slice([0, 0, 0, 0], [2000, 28, 28, 1]).reshape([2000, 784]);
const test = data.test.xs.slice([0, 0, 0, 0], [1000, 28, 28, 1]).reshape([1000, 784]);

const x = nn.input({ shape: [784], name: 'image' });
const h = nn.layers.dense({ units: 256, activation: 'relu', name: 'encoder_hidden' }).apply(x);
const zMean = nn.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
const zLogVar = nn.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
const beta = ${beta};
// binaryCrossentropy is a mean over the 784 pixels, the VAE's bound their sum: β / 784 weighs them alike
const kl = nn.layers.klDivergence({ beta: beta / 784, name: 'kl' });
${vae ? "const z = nn.layers.gaussianSampling({ name: 'z' }).apply([kl.apply([zMean, zLogVar]), zLogVar]);" : 'const z = kl.apply([zMean, zLogVar]);   // autoencoder: the mean itself, KL measured at β 0'}
const decoderHidden = nn.layers.dense({ units: 256, activation: 'relu', name: 'decoder_hidden' });
const decodedLayer = nn.layers.dense({ units: 784, activation: 'sigmoid', name: 'decoded' });
const model = nn.model({ inputs: x, outputs: decodedLayer.apply(decoderHidden.apply(z)), seed: ${s.seed} });
model.compile({ optimizer: nn.train.adam(${num(s.learningRate)}), loss: 'binaryCrossentropy' });
const history = await model.fit(train, train, { epochs: 20, batchSize: ${s.batchSize}, validationData: [test, test] });
// history.history: loss = decoded_loss (reconstruction) + β · kl
${vae ? "model.setLayerParameter('kl', 'beta', 2 / 784);   // β 2, live: the next epoch pays twice the KL\n" : ''}
const encoder = nn.model({ inputs: x, outputs: zMean });   // shares the weights: the latent scatter
const zIn = nn.input({ shape: [2] });
const decoder = nn.model({ inputs: zIn, outputs: decodedLayer.apply(decoderHidden.apply(zIn)) });   // the decoded grid`,
      };
    },
  },
  {
    id: 'overfitting',
    number: 9,
    title: 'Overfitting and how to fight it',
    kind: 'overfit',
    available: true,
    validation: true,
    epochsPerSecond: 60,
    text:
      'Thirty noisy points of a sine and a network of three 64-unit layers: far more weights than points. Watch the training loss keep falling while the validation loss (300 points the model never trains on) turns and climbs: the red curve bends to pass through the noise, and the gap between the two losses grows. Then switch on one remedy at a time and train afresh: L2 shrinks the weights, dropout drops a fifth of the units each step, early stopping halts when the validation loss has not improved for 50 epochs and puts back the best epoch\u2019s weights, and more data gives it 150 points to fit.',
    defaults: { dataset: 'wave', noise: 20, classes: 3, hidden: [64, 64, 64], activation: 'relu', loss: 'mse', optimizer: 'adam', learningRate: 0.01, batchSize: 32, seed: 1, l2: 0, dropout: 0, earlyStopping: false, trainPoints: OVERFIT_SMALL },
    controls: ['l2', 'dropout', 'earlyStopping', 'trainPoints', 'hidden', 'noise', 'seed'],
    figures: ['lesson-view', 'overfit-curves', 'train-val-gap', 'best-epoch', 'best-val-loss', 'stopped-epoch', 'epoch', 'train-loss', 'val-loss'],
    listing: (s) => {
      const l2 = s.l2 ?? 0;
      const drop = s.dropout ?? 0;
      const n = s.trainPoints ?? OVERFIT_SMALL;
      const kReg = l2 > 0 ? `, kernel_regularizer=keras.regularizers.l2(${num(l2)})` : '';
      const nReg = l2 > 0 ? `, kernelRegularizer: nn.regularizers.l2({ l2: ${num(l2)} })` : '';
      const kerasHidden = s.hidden
        .flatMap((u, i) => [`    keras.layers.Dense(${u}, activation=${kerasAct(s.activation)}${i === 0 ? ', input_shape=(1,)' : ''}${kReg}),`, ...(drop > 0 ? [`    keras.layers.Dropout(${num(drop)}),`] : [])])
        .join('\n');
      const nnHidden = s.hidden
        .flatMap((u, i) => [`    nn.layers.dense({ ${i === 0 ? 'inputShape: [1], ' : ''}units: ${u}, activation: '${s.activation}'${nReg} }),`, ...(drop > 0 ? [`    nn.layers.dropout({ rate: ${num(drop)} }),`] : [])])
        .join('\n');
      const es = s.earlyStopping;
      return {
        keras: `import numpy as np
from tensorflow import keras

rng = np.random.default_rng(${s.seed})
def wave(count):
    x = rng.uniform(-3, 3, size=(count, 1))
    return x, np.sin(x) + rng.normal(0, ${num(s.noise / 50)}, size=(count, 1))
x_train, y_train = wave(${n})            # few points ...
x_val, y_val = wave(${OVERFIT_VALIDATION})              # ... and a validation set it never trains on

model = keras.Sequential([
${kerasHidden || `    keras.layers.Dense(1, input_shape=(1,)),`}
${s.hidden.length ? '    keras.layers.Dense(1),\n' : ''}])
model.compile(optimizer=${kerasOpt(s)}, loss='mse')
${es ? `stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=${OVERFIT_PATIENCE}, restore_best_weights=True)
` : ''}history = model.fit(x_train, y_train, epochs=300, batch_size=${s.batchSize}, validation_data=(x_val, y_val)${es ? ', callbacks=[stop]' : ''})
gap = np.array(history.history['val_loss']) - np.array(history.history['loss'])   # grows as it overfits`,
        nnplay: `import * as nn from 'nnplay';
await nn.ready();
// 600 points of sin(x) + noise: the first ${n} of the training half, all ${OVERFIT_VALIDATION} of the other half to validate on
const d = nn.datasets.points({ dataset: 'wave', numPoints: 600, noise: ${s.noise}, trainRatio: 50, seed: ${s.seed} });
const xTrain = d.train.xs.slice([0, 0], [${n}, 1]), yTrain = d.train.ys.slice([0, 0], [${n}, 1]);

const model = nn.sequential({ layers: [
${nnHidden}
    nn.layers.dense({ ${s.hidden.length ? '' : 'inputShape: [1], '}units: 1 }),
], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: 'meanSquaredError' });
${es ? `const stop = nn.callbacks.earlyStopping({ monitor: 'val_loss', patience: ${OVERFIT_PATIENCE}, restoreBestWeights: true });
` : ''}const history = await model.fit(xTrain, yTrain, { epochs: 300, batchSize: ${s.batchSize}, validationData: [d.test.xs, d.test.ys]${es ? ', callbacks: [stop]' : ''} });
const gap = history.history.val_loss.map((v, i) => v - history.history.loss[i]);   // grows as it overfits${es ? '\n// stop.bestEpoch: the epoch whose weights the model now has' : ''}`,
      };
    },
  },
  {
    id: 'evaluation',
    number: 10,
    title: 'Evaluating a classifier',
    kind: 'evaluate',
    available: true,
    validation: true,
    text:
      'Five overlapping clusters, split three ways: 600 points to train on, 200 to validate on while you choose the settings, and 200 held out as the test set. Accuracy is one number; the confusion matrix shows which classes are mistaken for which, precision asks how often a predicted class is right and recall how many of a class are found. Tune hidden layers, noise or the learning rate against the validation figures only. When you are done, press Evaluate on the test set, once: that is the number to report. Changing settings after looking at it would turn the test set into a second validation set, and its number would no longer say how the model does on new data.',
    defaults: { dataset: 'blobs', noise: 30, classes: 5, hidden: [16], activation: 'tanh', loss: 'crossentropy', optimizer: 'adam', learningRate: 0.03, batchSize: 32, seed: 1 },
    controls: ['classes', 'hidden', 'activation', 'learningRate', 'noise', 'seed'],
    figures: ['lesson-view', 'accuracy', 'confusion-matrix', 'precision-<c>', 'recall-<c>', 'test-evaluate', 'test-accuracy', 'test-confusion-matrix', 'test-precision-<c>', 'test-recall-<c>', 'test-looks', 'epoch', 'train-loss', 'val-loss'],
    listing: (s) => ({
      keras: `from tensorflow import keras
from sklearn.metrics import classification_report, confusion_matrix
# x: (1000, 2) points, labels: (1000,) class ids 0..${s.classes - 1}
x_train, y_train = x[:600], labels[:600]
x_val, y_val = x[600:800], labels[600:800]      # for choosing settings
x_test, y_test = x[800:], labels[800:]          # touched once, at the end

model = keras.Sequential([
${kerasLayers(s.hidden, s.activation, 2, `${s.classes}, activation='softmax'`)}
])
model.compile(optimizer=${kerasOpt(s)}, loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=50, batch_size=${s.batchSize}, validation_data=(x_val, y_val))
print(classification_report(y_val, model.predict(x_val).argmax(1)))    # as often as you like

# Once, when every choice is made:
y_pred = model.predict(x_test).argmax(1)
print(confusion_matrix(y_test, y_pred))
print(classification_report(y_test, y_pred))`,
      nnplay: `import * as nn from 'nnplay';
await nn.ready();
const d = nn.datasets.points({ dataset: 'blobs', numPoints: 1000, noise: ${s.noise}, classes: ${s.classes}, trainRatio: 60, seed: ${s.seed} });
const rest = (from, n) => [d.test.xs.slice([from, 0], [n, 2]), d.test.ys.slice([from, 0], [n, 1])];
const [xVal, yVal] = rest(0, 200);      // for choosing settings
const [xTest, yTest] = rest(200, 200);  // touched once, at the end
const onehot = (ys) => nn.oneHot(ys.reshape([-1]).cast('int32'), ${s.classes}).cast('float32');

const model = nn.sequential({ layers: [
${nnLayers(s.hidden, s.activation, 2, `units: ${s.classes}, activation: 'softmax'`)}
], seed: ${s.seed} });
model.compile({ optimizer: ${nnOpt(s)}, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(d.train.xs, onehot(d.train.ys), { epochs: 50, batchSize: ${s.batchSize}, validationData: [xVal, onehot(yVal)] });
const val = nn.classificationReport(yVal, model.predict(xVal));   // as often as you like

// Once, when every choice is made:
const test = nn.classificationReport(yTest, model.predict(xTest));
console.log(test.accuracy, test.confusion, test.perClass.map((c) => [c.precision, c.recall]));`,
    }),
  },
];

/** The lesson with this id, or undefined. */
export function lessonById(id: string | null | undefined): Lesson | undefined {
  return id ? LESSONS.find((l) => l.id === id) : undefined;
}

/** The listing of a lesson for its settings (its preset's by default; link lessons have none and ignore them). */
export function lessonListing(lesson: Lesson, settings?: LessonSettings): Listing {
  return lesson.listing(settings ?? lesson.defaults ?? LESSONS[0].defaults!);
}

/** Ids of every lesson, in menu order (what `lesson=` accepts). */
export const LESSON_IDS: readonly string[] = LESSONS.map((l) => l.id);

/** Whether the lesson runs in the Lessons view (rather than linking to another mode). */
export function runsHere(lesson: Lesson): boolean {
  return lesson.kind !== 'link' && lesson.defaults !== undefined;
}

// Bad input gets an Error that says what was wrong and what is allowed; disposed objects
// refuse to be used; a diverging run rejects with the engine's message.
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll, XOR_X, XOR_Y, xorModel } from './helpers';

let model: nn.Sequential;
let xs: nn.Tensor;
let ys: nn.Tensor;

beforeAll(async () => {
  await nn.ready();
  model = xorModel();
  xs = nn.tensor2d(XOR_X);
  ys = nn.tensor2d(XOR_Y);
});

afterAll(() => {
  disposeAll(model, xs, ys);
  const m = nn.memory();
  expect(m.numTensors).toBe(0);
  expect(m.numModels).toBe(0);
  expect(m.liveWasmObjects).toBe(0);
});

describe('tensors', () => {
  test.each([
    [() => nn.tensor([1, 2, 3], [2, 2]), /shape \[2,2\] needs 4 values but 3 were given/],
    [() => nn.tensor([[1, 2], [3]]), /values\[1\] has length 1 but the first array at that depth has 2: nested arrays must be rectangular/],
    [() => nn.tensor([1, 'a' as unknown as number]), /value 1 \(flattened\) is the string "a"; values must be numbers/],
    [() => nn.tensor([1, 2], [2, -1]), /shape\[1\] is -1; each dimension must be a non-negative integer/],
    [() => nn.tensor([1, 2], [1.5] as number[]), /shape\[0\] is 1.5/],
    [() => nn.tensor('abc' as unknown as number[]), /values must be a Float32Array, a number array, nested number arrays or a number/],
    [() => nn.tensor2d([1, 2, 3]), /tensor2d\(\): values must be nested as rows of columns \(rank 2\), got rank 1/],
  ])('%#: %s', (make, message) => {
    const before = nn.memory().numTensors;
    expect(make).toThrow(message);
    expect(nn.memory().numTensors).toBe(before);
  });

  test('a disposed tensor throws when read', () => {
    const t = nn.tensor([1, 2]);
    t.dispose();
    expect(() => t.dataSync()).toThrow(/this tensor \(shape \[2\]\) was disposed and can no longer be used/);
    expect(() => t.arraySync()).toThrow(/was disposed/);
    return expect(t.data()).rejects.toThrow(/was disposed/);
  });
});

describe('layers, optimizers, regularizers', () => {
  test.each([
    [() => nn.layers.dense({ units: 0 }), /units must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.dense({ units: -3 }), /units must be an integer in \[1, 2\^28\], got -3/],
    [() => nn.layers.dense({ units: 2.5 }), /units must be an integer in \[1, 2\^28\], got 2.5/],
    [() => nn.layers.dense({ units: 2, activation: 'swoosh' as nn.Activation }), /unknown activation "swoosh"; allowed: 'linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax', 'hardSigmoid', 'softplus', 'softsign', 'selu', 'relu6', 'swish', 'gelu', 'mish', 'exponential'/],
    [() => nn.layers.dense({ units: 2, kernelInitializer: 'lecunNormal' as nn.KernelInitializer }), /unknown kernelInitializer "lecunNormal"; allowed: 'glorotUniform', 'heNormal', 'zeros', 'ones'/],
    [() => nn.layers.dense({ units: 2, inputShape: [2, 0] }), /inputShape\[1\] must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.dense({ units: 2, inputShape: [0] }), /inputShape\[0\] must be an integer in \[1, 2\^28\], got 0/],
    [() => nn.layers.dense({ units: 2, unitz: 3 } as unknown as nn.DenseLayerArgs), /unknown option "unitz"; allowed: units, activation/],
    [() => nn.layers.dense({ units: 2, kernelRegularizer: 'l3' as 'l1' }), /unknown kernelRegularizer "l3"/],
    [() => nn.train.sgd(0), /train.sgd\(\): learningRate must be a finite number > 0, got 0/],
    [() => nn.train.sgd(-0.1), /learningRate must be a finite number > 0, got -0.1/],
    [() => nn.train.adam(NaN), /train.adam\(\): learningRate must be a finite number > 0, got NaN/],
    [() => nn.train.rmsprop(Infinity), /learningRate must be a finite number > 0, got Infinity/],
    [() => nn.train.momentum(0.1, 1.5), /momentum must be a number in \[0, 1\), got 1.5/],
    [() => nn.train.adam(0.01, 1), /beta1 must be a number in \[0, 1\), got 1/],
    [() => nn.train.adagrad('0.1' as unknown as number), /learningRate must be a finite number > 0, got the string \"0.1\"/],
    [() => nn.regularizers.l2({ l2: -1 }), /regularizers.l2\(\): l2 must be a finite number >= 0, got -1/],
    [() => nn.regularizers.l1({ l2: 1 } as unknown as { l1: number }), /unknown option "l2"; allowed: l1/],
  ])('%#: %s', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('building and compiling', () => {
  test('sequential and add()', () => {
    expect(() => nn.sequential({ layers: [nn.layers.dense({ units: 2 })] })).toThrow(
      /the first layer needs an inputShape, e.g. nn.layers.dense\(\{inputShape: \[2\], units: 8\}\)/,
    );
    expect(() => nn.sequential({ seed: -1 })).toThrow(/seed must be an integer in \[0, 2\^53 - 1\], got -1/);
    expect(() => nn.sequential({ layer: [] } as unknown as nn.SequentialArgs)).toThrow(/unknown option "layer"; allowed: layers, seed, name/);
    expect(() =>
      nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3 }), nn.layers.dense({ inputShape: [4], units: 1 })] }),
    ).toThrow(/layer 1 declares inputShape \[4\] but the layer before it has 3 units/);
    expect(() => model.add({ units: 3 } as unknown as nn.Dense)).toThrow(/expected a layer made by nn.layers.dense/);
    expect(() => model.add(nn.layers.dense({ units: 3 }))).toThrow(/already built .*add every layer before that/);
    const empty = nn.sequential();
    expect(() => empty.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(/the model has no layers/);
    empty.dispose();
    expect(nn.memory().numModels).toBe(1);
  });

  test('compile()', () => {
    expect(() => model.compile({ optimizer: 'adamw', loss: 'mse' })).toThrow(
      /unknown optimizer "adamw"; allowed: 'sgd', 'adam', 'rmsprop', 'adagrad', 'momentum', 'adadelta', 'adamax' or an nn.train.\* object/,
    );
    expect(() => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalHinge' })).toThrow(
      /unknown loss "sparseCategoricalHinge"; allowed: 'meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'/,
    );
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['auc'] })).toThrow(
      /unknown metric "auc"; allowed: 'accuracy', 'binaryAccuracy', 'categoricalAccuracy', 'mse', 'mae', 'mape', 'precision', 'recall', 'cosine' \(or their aliases, e.g. 'acc'\)/,
    );
    expect(() => model.compile({ optimizer: { learningRate: 1 } as unknown as nn.Optimizer, loss: 'mse' })).toThrow(
      /optimizer must be a name .* or an nn.train.\*\(\) object/,
    );
    // An engine-side check (loss vs. output layer) arrives as an Error with the engine's words.
    expect(() => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' })).toThrow(/^nnplay: compile\(\): .+/);
    // A failed compile leaves the last good one in place.
    model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  });
});

describe('fit / predict / evaluate / setWeights', () => {
  test('fit before compile', async () => {
    const fresh = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
    await expect(fresh.fit(xs, ys)).rejects.toThrow(/the model must be compiled first: call model.compile\(\{optimizer, loss, metrics\}\)/);
    fresh.dispose();
  });

  test.each([
    ['xs with the wrong inner dimension', () => [nn.tensor2d([[1, 2, 3]]), nn.tensor2d([[1]])], {}, /xs must have shape \[samples, 2\] \(this model's inputShape is \[2\]\), got \[1,3\]/],
    ['a rank-1 xs', () => [nn.tensor([1, 2]), nn.tensor2d([[1]])], {}, /xs must have shape \[samples, 2\].*got \[2\]/],
    ['ys with another sample count', () => [nn.tensor2d([[1, 2], [3, 4]]), nn.tensor2d([[1]])], {}, /ys must have shape \[2, 1\] or \[2\], got \[1,1\] \(xs has 2 samples, ys has 1\)/],
    ['ys with the wrong width', () => [nn.tensor2d([[1, 2]]), nn.tensor2d([[1, 0]])], {}, /ys must have shape \[1, 1\] or \[1\], got \[1,2\] \(the last layer has 1 units\)/],
    ['NaN in xs', () => [nn.tensor2d([[1, 2], [3, NaN]]), nn.tensor2d([[1], [0]])], {}, /xs contains NaN at index 3 \(sample 1, feature 1\); data must be finite numbers/],
    ['Infinity in ys', () => [nn.tensor2d([[1, 2], [3, 4]]), nn.tensor2d([[1], [Infinity]])], {}, /ys contains Infinity at index 1 \(sample 1\); targets must be finite numbers/],
    ['no samples', () => [nn.tensor(new Float32Array(0), [0, 2]), nn.tensor(new Float32Array(0), [0, 1])], {}, /xs has no samples; at least one is needed/],
    ['batchSize 0', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { batchSize: 0 }, /batchSize must be an integer in \[1, 2\^28\], got 0/],
    ['epochs 0', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { epochs: 0 }, /epochs must be an integer in \[1, 1000000\], got 0/],
    ['a misspelt option', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { batch_size: 4 }, /unknown option "batch_size"; allowed: epochs, batchSize, shuffle/],
    ['validationSplit 1.5', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { validationSplit: 1.5 }, /validationSplit must be a number between 0 and 1 \(exclusive\), got 1.5/],
    ['both validation options', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { validationSplit: 0.5, validationData: [] }, /give validationData or validationSplit, not both/],
    ['a bad validation set', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { validationData: [nn.tensor2d([[1]]), nn.tensor2d([[1]])] }, /validationData\[0\] must have shape \[samples, 2\]/],
    ['an unknown callback', () => [nn.tensor2d(XOR_X), nn.tensor2d(XOR_Y)], { callbacks: { onEpochStart: () => {} } }, /unknown callback "onEpochStart"; allowed: onTrainBegin, onTrainEnd, onEpochBegin, onEpochEnd, onBatchEnd/],
  ] as const)('fit rejects %s', async (_name, make, options, message) => {
    const [x, y] = make();
    const live = nn.memory().liveWasmObjects;
    await expect(model.fit(x, y, options as nn.FitArgs)).rejects.toThrow(message);
    expect(nn.memory().liveWasmObjects).toBe(live);
    disposeAll(x, y);
    const vd = (options as { validationData?: nn.Tensor[] }).validationData;
    if (vd) disposeAll(vd);
  });

  test('sparse labels must be class indices', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })], seed: 1 });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const y = nn.tensor2d([[0], [1], [3], [2]]);
    await expect(m.fit(xs, y)).rejects.toThrow(/ys\[2\] is 3; sparseCategoricalCrossentropy needs class indices 0..2/);
    disposeAll(y, m);
  });

  test('predict with the wrong inner dimension, NaN, or a non-tensor', () => {
    const bad = nn.tensor2d([[1, 2, 3]]);
    expect(() => model.predict(bad)).toThrow(/predict\(\): xs must have shape \[samples, 2\] .*got \[1,3\]/);
    const nan = nn.tensor2d([[1, NaN]]);
    expect(() => model.predict(nan)).toThrow(/predict\(\): xs contains NaN at index 1/);
    expect(() => model.predict([[1, 2]] as unknown as nn.Tensor)).toThrow(/xs must be a Tensor \(nn.tensor\(...\) or nn.tensor2d\(...\)\), got \[\[1,2\]\]/);
    disposeAll(bad, nan);
  });

  test('evaluate checks its inputs the same way', () => {
    const y = nn.tensor2d([[1], [0]]);
    expect(() => model.evaluate(xs, y)).toThrow(/evaluate\(\): ys must have shape \[4, 1\] or \[4\], got \[2,1\]/);
    expect(() => model.evaluate(xs, ys, { batchSize: -1 })).toThrow(/batchSize must be an integer in \[1, 2\^28\], got -1/);
    y.dispose();
  });

  test('setWeights checks count, shapes and values', () => {
    const ws = model.getWeights();
    expect(() => model.setWeights(ws.slice(0, 3))).toThrow(
      /expected an array of 4 tensors \(dense_1\/kernel \[2,8\], .*\), got 3/,
    );
    const wrong = nn.tensor(new Float32Array(16), [8, 2]);
    expect(() => model.setWeights([wrong, ws[1], ws[2], ws[3]])).toThrow(/weight 0 \(\S+\) must have shape \[2,8\], got \[8,2\]/);
    const nan = nn.tensor(new Float32Array(8).fill(NaN), [8]);
    expect(() => model.setWeights([ws[0], nan, ws[2], ws[3]])).toThrow(/weight 1 \(\S+\) contains NaN at index 0; weights must be finite numbers/);
    disposeAll(ws, wrong, nan);
  });
});

describe('divergence and disposal', () => {
  test('a diverging run rejects with the engine message, and the model stays usable', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 1 });
    m.compile({ optimizer: nn.train.sgd(1e6), loss: 'meanSquaredError' });
    const x = nn.tensor2d([[10, -20], [30, 40], [-50, 60], [70, 80]]);
    const y = nn.tensor2d([[100], [-200], [300], [400]]);
    const live = nn.memory().liveWasmObjects;
    await expect(m.fit(x, y, { epochs: 20, batchSize: 2 })).rejects.toThrow(/diverged.*NaN\/Infinity.*smaller learning rate/s);
    expect(nn.memory().liveWasmObjects).toBe(live); // the training data was freed
    // Still usable: recompile with a sane rate and reset the weights.
    m.compile({ optimizer: nn.train.sgd(1e-5), loss: 'meanSquaredError' });
    const fresh = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), nn.layers.dense({ units: 1 })], seed: 1 });
    const ws = fresh.getWeights();
    m.setWeights(ws);
    const h = await m.fit(x, y, { epochs: 2 });
    expect(Number.isFinite(h.history.loss[1])).toBe(true);
    disposeAll(ws, fresh, x, y, m);
  });

  test('a disposed model throws on every use', async () => {
    const m = xorModel(9);
    m.dispose();
    m.dispose(); // idempotent
    expect(m.isDisposed).toBe(true);
    const msg = /this model was disposed and can no longer be used/;
    expect(() => m.predict(xs)).toThrow(msg);
    expect(() => m.getWeights()).toThrow(msg);
    expect(() => m.setWeights([])).toThrow(msg);
    expect(() => m.evaluate(xs, ys)).toThrow(msg);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(msg);
    expect(() => m.summary()).toThrow(msg);
    expect(() => m.add(nn.layers.dense({ units: 1 }))).toThrow(msg);
    await expect(m.fit(xs, ys)).rejects.toThrow(msg);
  });

  test('disposed tensors are refused by the model', async () => {
    const t = nn.tensor2d(XOR_X);
    t.dispose();
    expect(() => model.predict(t)).toThrow(/predict\(\): xs was disposed and can no longer be used/);
    await expect(model.fit(xs, t)).rejects.toThrow(/fit\(\): ys was disposed/);
  });

  test('disposing a model from a callback stops fit with a clear error and frees the data', async () => {
    const m = xorModel(10);
    const live = nn.memory().liveWasmObjects;
    await expect(
      m.fit(xs, ys, { epochs: 10, callbacks: { onEpochEnd: (e) => (e === 2 ? m.dispose() : undefined) } }),
    ).rejects.toThrow(/this model was disposed/);
    expect(nn.memory().liveWasmObjects).toBe(live - 1);
  });

  test('a second fit while one runs is refused', async () => {
    const m = xorModel(12);
    const first = m.fit(xs, ys, { epochs: 20 });
    await expect(m.fit(xs, ys)).rejects.toThrow(/already training; wait for the running fit\(\) to finish/);
    await first;
    m.dispose();
  });
});

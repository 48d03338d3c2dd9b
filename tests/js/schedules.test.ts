// Learning-rate schedules from the library: nn.train.*Decay() stands where a learning rate goes,
// the engine applies the scheduled rate at every step (checked against a hand computation), bad
// keys are the engine's errors at compile(), and saved files keep the schedule.
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';

beforeAll(async () => {
  await nn.ready();
});

// y = w·x, one sample x = 1, y = 0, MSE: the gradient is 2w, so SGD with rate r_t does
// w ← w − r_t·2w. From w = 1 with r = 0.1·0.5^t: 0.8 after step 0, then 0.8 − 0.05·1.6 = 0.72
// (a constant 0.1 would give 0.64).
function oneWeightModel(): nn.Sequential {
  const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [1], units: 1, useBias: false })], seed: 1 });
  model.setWeights([nn.tensor2d([[1]])]);
  return model;
}

test('exponentialDecay: each step uses the scheduled rate', async () => {
  const model = oneWeightModel();
  const schedule = nn.train.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  model.compile({ optimizer: nn.train.sgd(schedule), loss: 'meanSquaredError' });
  const xs = nn.tensor2d([[1]]);
  const ys = nn.tensor2d([[0]]);
  await model.fit(xs, ys, { epochs: 2, batchSize: 1, shuffle: false });
  expect(model.getWeights()[0].dataSync()[0]).toBeCloseTo(0.72, 6);

  // The same run with a constant rate, for contrast.
  const constant = oneWeightModel();
  constant.compile({ optimizer: nn.train.sgd(0.1), loss: 'meanSquaredError' });
  await constant.fit(xs, ys, { epochs: 2, batchSize: 1, shuffle: false });
  expect(constant.getWeights()[0].dataSync()[0]).toBeCloseTo(0.64, 6);

  // Saved and loaded, the compiled optimizer keeps its schedule.
  const loaded = nn.models.fromJSON(model.toJSON());
  expect(loaded.compiledWith?.optimizer.learningRate).toEqual({
    schedule: 'exponentialDecay',
    initialLearningRate: 0.1,
    decaySteps: 1,
    decayRate: 0.5,
  });
  for (const m of [model, constant, loaded]) m.dispose();
  xs.dispose();
  ys.dispose();
});

test('stepDecay and cosineDecay build; bad schedules say what is wrong', () => {
  const model = oneWeightModel();
  expect(() =>
    model.compile({ optimizer: nn.train.adam(nn.train.stepDecay({ initialLearningRate: 0.01, stepSize: 10 })), loss: 'mse' }),
  ).not.toThrow();
  expect(() =>
    model.compile({ optimizer: nn.train.sgd(nn.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 })), loss: 'mse' }),
  ).not.toThrow();
  expect(() => nn.train.exponentialDecay({ initialLearningRate: -1, decaySteps: 1, decayRate: 0.5 })).toThrow(
    /initialLearningRate must be a finite number > 0, got -1/,
  );
  // A key the engine's schedule table does not have.
  expect(() =>
    model.compile({
      optimizer: nn.train.sgd(nn.train.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, beta: 2 } as never)),
      loss: 'mse',
    }),
  ).toThrow(/beta/);
  model.dispose();
});

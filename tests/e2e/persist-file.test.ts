// The playground's save file (web/app/persist.ts), without a browser: what it writes, and
// that reading checks everything and says what is wrong.
import { describe, expect, it } from 'vitest';
import { toModelJSON } from '../../web/lib/model-json';
import { makePlaygroundFile, readPlaygroundFile } from '../../web/app/persist';
import { defaultState } from '../../web/app/state';
import type { PlaygroundState } from '../../web/app/state';

/** A checkpoint as the worker would post it for `state`, with weights 0, 1, 2, … */
function checkpointFor(state: PlaygroundState, epoch = 12.5) {
  const layers = [...state.networkShape, 1].map((units, i, all) => ({
    type: 'dense' as const,
    units,
    activation: i === all.length - 1 ? ('sigmoid' as const) : state.activation,
    useBias: true,
    kernelInitializer: 'glorotUniform' as const,
    biasInitializer: 'zeros' as const,
    kernelRegularizer: { l1: 0, l2: 0 },
  }));
  let next = 0;
  // A dense chain's weights in the engine's (format 1) names: dense_<i>/kernel [in, units], dense_<i>/bias.
  const shapes = layers.flatMap((l, i) => {
    const fanIn = i === 0 ? state.features.length : layers[i - 1].units;
    return [
      { name: `dense_${i + 1}/kernel`, shape: [fanIn, l.units] },
      { name: `dense_${i + 1}/bias`, shape: [l.units] },
    ];
  });
  const weights = shapes.map((w) => ({
    name: w.name,
    shape: w.shape,
    values: Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => next++ / 7),
  }));
  const model = toModelJSON({
    seed: state.seed,
    inputSize: state.features.length,
    layers,
    compile: { optimizer: { name: 'sgd', learningRate: state.learningRate }, loss: 'binaryCrossentropy', metrics: ['accuracy'] },
    weights,
  });
  return { generation: 3, epoch, steps: 1250, model };
}

const losses = { epoch: [0, 5, 12.5, 13], train: [0.7, 0.4, 0.2, 0.19], test: [0.7, 0.5, null, 0.3] };

describe('playground save file', () => {
  const state: PlaygroundState = { ...defaultState(42), networkShape: [3, 2], features: ['x1', 'x2', 'x1x2'] };

  it('round-trips the setup, epoch, weights and the losses up to the checkpoint', () => {
    const file = JSON.parse(JSON.stringify(makePlaygroundFile(state, checkpointFor(state), losses)));
    expect(file.format).toBe('nnplay-playground');
    expect(file.version).toBe(1);
    expect(file.model.format).toBe('nnplay-layers-model');
    // The chart point after the checkpoint is not saved: it has no weights to match.
    expect(file.losses).toEqual({ epoch: [0, 5, 12.5], train: [0.7, 0.4, 0.2], test: [0.7, 0.5, null] });
    const plan = readPlaygroundFile(file);
    expect(plan.state).toEqual(state);
    expect(plan.epoch).toBe(12.5);
    expect(plan.steps).toBe(1250);
    expect(plan.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dense_1/kernel', [3, 3]],
      ['dense_1/bias', [3]],
      ['dense_2/kernel', [3, 2]],
      ['dense_2/bias', [2]],
      ['dense_3/kernel', [2, 1]],
      ['dense_3/bias', [1]],
    ]);
    expect(plan.weights[2].values[1]).toBe(Math.fround(13 / 7));
  });

  const good = () => JSON.parse(JSON.stringify(makePlaygroundFile(state, checkpointFor(state), losses)));
  const cases: [string, (f: any) => unknown, RegExp][] = [
    ['not an object', () => 'text', /not an nnplay playground file \(expected a JSON object\)/],
    ['a library model file', (f) => f.model, /library model file .* Import model reads files made with Export model/],
    ['another format', (f) => ({ ...f, format: 'tfjs' }), /expected format 'nnplay-playground', got "tfjs"/],
    ['a newer version', (f) => ({ ...f, version: 2 }), /file version 2 is not supported; this page reads version 1/],
    ['a bad setup', (f) => ({ ...f, hash: f.hash.replace('activation=tanh', 'activation=swish') }), /setup is invalid: Ignored activation=swish/],
    ['no seed', (f) => ({ ...f, hash: f.hash.replace(/&seed=\d+/, '') }), /has no seed/],
    ['a bad epoch', (f) => ({ ...f, epoch: -1 }), /epoch must be a number >= 0/],
    ['bad losses', (f) => ({ ...f, losses: { epoch: [1], train: [], test: [] } }), /losses must be/],
    ['corrupt weights', (f) => ((f.model.weights[0].data = 'A'), f), /model is invalid: model: weights\[0\] \(dense_1\/kernel\): data is not valid base64/],
    ['a missing weight', (f) => (f.model.weights.pop(), f), /missing dense_3\/bias/],
    ['a model for another network', (f) => ({ ...f, hash: f.hash.replace('activation=tanh', 'activation=relu') }), /does not match its setup/],
  ];
  for (const [name, edit, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => readPlaygroundFile(edit(good()))).toThrow(message);
    });
  }
});

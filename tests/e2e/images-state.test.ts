// The Images mode's URL-hash state, without a browser: presets, the compact stack syntax, round
// trips and forgiving parsing (a bad value is reported and falls back, never breaks the page).
import { describe, expect, it } from 'vitest';
import { PRESETS, parseImagesHash, parseLayers, serializeImagesHash, serializeLayers } from '../../web/app/images/images-state';

describe('Images hash state', () => {
  it('opens the Keras CNN from mode=images&dataset=mnist&preset=cnn', () => {
    const { state, problems, given } = parseImagesHash('mode=images&dataset=mnist&preset=cnn');
    expect(problems).toEqual([]);
    expect(given).toBe(true);
    expect(state.dataset).toBe('mnist');
    expect(state.layers).toEqual(PRESETS.cnn.layers);
    expect(state.layers.map((l) => l.type)).toEqual(['conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
    expect(state).toMatchObject({ optimizer: 'adam', learningRate: 0.001, batchSize: 32 });
    // A link of a preset stays short.
    expect(serializeImagesHash(state)).toBe('mode=images&dataset=mnist&preset=cnn&optimizer=adam&learningRate=0.001&batchSize=32&epochs=5&seed=1');
  });

  it('the MLP preset is Flatten → Dense(128, relu) → Dense(10, softmax)', () => {
    expect(serializeLayers(PRESETS.mlp.layers)).toBe('flatten,dense:128:relu,dense:10:softmax');
  });

  it('round-trips an edited stack, compile settings and hide options', () => {
    const text =
      'mode=images&dataset=fashion-quick&layers=conv2d:8:5:2:same:tanh,averagePooling2d:3:1:same,batchNormalization,dropout:0.3,flatten,dense:10:softmax' +
      '&optimizer=sgd&learningRate=0.05&batchSize=64&epochs=3&seed=9&draw_hide=true&mode_hide=true';
    const { state, hidden, problems } = parseImagesHash(text);
    expect(problems).toEqual([]);
    expect(state.layers[0]).toEqual({ type: 'conv2d', filters: 8, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' });
    expect(state.layers[1]).toEqual({ type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' });
    expect(state.layers[3]).toEqual({ type: 'dropout', rate: 0.3 });
    expect([...hidden].sort()).toEqual(['draw', 'mode']);
    expect(serializeImagesHash(state, hidden)).toBe(text);
  });

  it('keeps a stack that parses even when it cannot fit (the engine judges fit)', () => {
    const { state, problems } = parseImagesHash('mode=images&layers=flatten,conv2d:8:3:1:valid:relu,dense:10:softmax');
    expect(problems).toEqual([]);
    expect(state.layers.map((l) => l.type)).toEqual(['flatten', 'conv2d', 'dense']);
  });

  it('reports bad values by key and layer, and falls back', () => {
    const { state, problems } = parseImagesHash('mode=images&dataset=cifar&preset=resnet&layers=dense:0:relu&batchSize=0&epochs=x&foo=1&draw_hide=maybe');
    expect(state.dataset).toBe('mnist');
    expect(state.layers).toEqual(PRESETS.mlp.layers);
    expect(problems).toEqual([
      'Ignored preset=resnet: expected one of mlp, cnn.',
      'Ignored dataset=cifar: expected one of mnist, fashion-quick, fashion.',
      'Ignored layers=dense:0:relu: layer 1 (dense): units is 0; expected a whole number from 1 to 2048.',
      'Ignored batchSize=0: expected a whole number from 1 to 1024.',
      'Ignored epochs=x: expected a whole number from 1 to 100.',
      'Ignored foo=1: unknown option.',
      'Ignored draw_hide=maybe: expected true or false.',
    ]);
    expect(parseLayers('pool:2')).toEqual({ error: 'layer 1 is "pool"; layer types are conv2d, maxPooling2d, averagePooling2d, dropout, batchNormalization, flatten, dense' });
    expect(parseLayers('conv2d:8:3:1:full')).toEqual({ error: 'layer 1 (conv2d): padding is "full"; expected valid or same' });
  });

  it('says whether the link gave a setup (else the kept one is restored)', () => {
    expect(parseImagesHash('mode=images').given).toBe(false);
    expect(parseImagesHash('mode=images&draw_hide=true').given).toBe(false);
    expect(parseImagesHash('mode=images&dataset=fashion').given).toBe(true);
  });
});

// The page's URL-hash state, without a browser: defaults, round trips, and forgiving parsing.
import { describe, expect, it } from 'vitest';
import { checkRate } from '../../web/app/number-check';
import { parseImagesHash } from '../../web/app/images/images-state';
import { STATE_KEYS, defaultState, parseHash, serializeHash, toSetup } from '../../web/app/state';
import type { PlaygroundState } from '../../web/app/state';

describe('URL hash state', () => {
  it('defaults to TensorFlow Playground settings', () => {
    const { state, problems, hasSeed, hidden } = parseHash('', 77);
    expect(problems).toEqual([]);
    expect(hasSeed).toBe(false);
    expect(hidden.size).toBe(0);
    expect(state).toMatchObject({
      dataset: 'circle',
      problem: 'classification',
      noise: 0,
      ratio: 50,
      batchSize: 10,
      features: ['x1', 'x2'],
      networkShape: [4, 2],
      activation: 'tanh',
      learningRate: 0.03,
      regularization: 'none',
      seed: 77,
      showTestData: false,
      discretize: false,
    });
  });

  it('round-trips every field and the hide options', () => {
    const state: PlaygroundState = {
      ...defaultState(),
      dataset: 'reg-gauss',
      problem: 'regression',
      noise: 35,
      ratio: 70,
      batchSize: 3,
      features: ['x1', 'x1Squared', 'sinX2'],
      networkShape: [16, 1, 8],
      activation: 'relu',
      learningRate: 0.003,
      regularization: 'L1',
      regularizationRate: 0.01,
      seed: 424242,
      showTestData: true,
      discretize: true,
      speed: 600,
    };
    const hash = serializeHash(state, ['dataset', 'noise']);
    expect(hash).toContain('networkShape=16,1,8');
    expect(hash).toContain('dataset_hide=true');
    const parsed = parseHash(hash, 1);
    expect(parsed.problems).toEqual([]);
    expect(parsed.hasSeed).toBe(true);
    expect(parsed.state).toEqual(state);
    expect([...parsed.hidden].sort()).toEqual(['dataset', 'noise']);
    expect(serializeHash(parsed.state, parsed.hidden)).toBe(hash);
  });

  it('allows zero hidden layers', () => {
    const parsed = parseHash('#networkShape=', 1);
    expect(parsed.problems).toEqual([]);
    expect(parsed.state.networkShape).toEqual([]);
    expect(parseHash(serializeHash(parsed.state), 1).state.networkShape).toEqual([]);
  });

  it('keeps features in canonical order whatever the link says', () => {
    expect(parseHash('#features=sinX1,x2,x1', 1).state.features).toEqual(['x1', 'x2', 'sinX1']);
  });

  it('reports bad values, says what is allowed, and keeps defaults', () => {
    const parsed = parseHash(
      '#noise=90&learningRate=-1&networkShape=4,17&activation=swish&features=x3&dataset=spiral&problem=regression&foo=1&batchSize=2.5',
      5,
    );
    expect(parsed.state.noise).toBe(0);
    expect(parsed.state.learningRate).toBe(0.03);
    expect(parsed.state.networkShape).toEqual([4, 2]);
    expect(parsed.state.activation).toBe('tanh');
    expect(parsed.state.features).toEqual(['x1', 'x2']);
    expect(parsed.state.batchSize).toBe(10);
    // The problem type wins; the dataset falls back to that problem's first dataset.
    expect(parsed.state.problem).toBe('regression');
    expect(parsed.state.dataset).toBe('reg-plane');
    const text = parsed.problems.join('\n');
    expect(text).toMatch(/noise=90: expected a whole number from 0 to 50/);
    expect(text).toMatch(/learningRate=-1: negative; use a value from 0.000001 to 10, e.g. 0.03/);
    expect(text).toMatch(/networkShape=4,17: .*from 1 to 16/);
    expect(text).toMatch(/activation=swish: expected one of tanh/);
    expect(text).toMatch(/features=x3/);
    expect(text).toMatch(/dataset=spiral: a regression problem uses reg-plane, reg-gauss/);
    expect(text).toMatch(/^Ignored unknown option foo\.$/m);
    expect(text).toMatch(/batchSize=2.5/);
    expect(parsed.problems).toHaveLength(8);
  });

  it('rejects more than 8 hidden layers and unknown hide options', () => {
    const parsed = parseHash('#networkShape=1,1,1,1,1,1,1,1,1&bogus_hide=true', 1);
    expect(parsed.state.networkShape).toEqual([4, 2]);
    expect(parsed.hidden.size).toBe(0);
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[1]).toBe('Ignored unknown option bogus_hide.');
  });

  it('maps the UI state to the worker setup', () => {
    const setup = toSetup({ ...defaultState(9), ratio: 30 }, 100);
    expect(setup).toMatchObject({ dataset: 'circle', trainRatio: 30, seed: 9, hiddenLayers: [4, 2], gridSize: 100 });
  });
});

describe('values the engine cannot hold are rejected with a value that works', () => {
  it.each([
    ['learningRate=1e308', /learningRate=1e308: beyond float32.*largest 3\.4e38.*e\.g\. 0\.03/],
    ['learningRate=1e-50', /learningRate=1e-50: it rounds to 0 in float32.*from 0\.000001 to 10, e\.g\. 0\.03/],
    ['learningRate=1e-9', /learningRate=1e-9: too small/],
    ['learningRate=50', /learningRate=50: too large: training diverges/],
    ['learningRate=0', /learningRate=0: zero would not train/],
    ['learningRate=Infinity', /beyond float32/],
    ['learningRate=abc', /learningRate=abc: not a number/],
    ['regularizationRate=1e308', /regularizationRate=1e308: beyond float32.*use 0 \(off\) or a value from 0\.000001 to 10, e\.g\. 0\.001/],
    ['regularizationRate=1e-50', /regularizationRate=1e-50: it rounds to 0 in float32/],
    ['speed=1e308', /speed=1e308: beyond float32/],
  ])('%s', (hash, message) => {
    const parsed = parseHash(hash, 1);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatch(message);
    const d = defaultState(1);
    expect(parsed.state).toEqual(d); // the default is kept
  });

  it('keeps every rate the page offers and float32 holds', () => {
    for (const hash of ['learningRate=0.00001', 'learningRate=10', 'learningRate=0.000001', 'regularizationRate=0', 'regularizationRate=10', 'speed=0', 'speed=600']) {
      expect(parseHash(hash, 1).problems, hash).toEqual([]);
    }
    expect(parseHash('learningRate=0.3&regularizationRate=0.003', 1).state).toMatchObject({ learningRate: 0.3, regularizationRate: 0.003 });
  });

  it('checkRate: float32 edges', () => {
    const lim = { min: 1e-40, max: 1e39, zero: false, suggest: 1 };
    expect(checkRate('3.4e38', lim)).toEqual({ value: 3.4e38 });
    expect(checkRate('3.5e38', lim)).toMatchObject({ error: expect.stringMatching(/beyond float32/) });
    expect(checkRate('1e-39', lim)).toMatchObject({ error: expect.stringMatching(/rounds to 0/) }); // subnormal
    expect(checkRate('1.2e-38', lim)).toEqual({ value: 1.2e-38 });
  });

  it('the Images mode checks its learning rate the same way', () => {
    for (const v of ['1e308', '1e-50']) {
      const parsed = parseImagesHash(`mode=images&learningRate=${v}`);
      expect(parsed.state.learningRate).toBe(0.001);
      expect(parsed.problems[0]).toMatch(/float32.*e\.g\. 0\.001/);
    }
  });
});

describe('TensorFlow Playground links', () => {
  // A link as playground.tensorflow.org writes it (every key, in its order).
  const tf = (over: Record<string, string> = {}) => {
    const keys: Record<string, string> = {
      activation: 'tanh', batchSize: '10', dataset: 'circle', regDataset: 'reg-plane', learningRate: '0.03', regularizationRate: '0',
      noise: '0', networkShape: '4,2', seed: '0.45796', showTestData: 'false', discretize: 'false', percTrainData: '50',
      x: 'true', y: 'true', xTimesY: 'false', xSquared: 'false', ySquared: 'false', cosX: 'false', sinX: 'false', cosY: 'false',
      sinY: 'false', collectStats: 'false', problem: 'classification', initZero: 'false', hideText: 'false', ...over,
    };
    return '#' + Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('&');
  };

  it('the default link opens the same setup, with no message', () => {
    const parsed = parseHash(tf(), 1);
    expect(parsed.problems).toEqual([]);
    expect(parsed.hasSeed).toBe(true);
    expect(parsed.state).toMatchObject({ dataset: 'circle', problem: 'classification', features: ['x1', 'x2'], networkShape: [4, 2], ratio: 50, activation: 'tanh' });
    // The string seed maps to one whole number, the same every time.
    expect(parsed.state.seed).toBe(parseHash(tf(), 2).state.seed);
    expect(parsed.state.seed).not.toBe(parseHash(tf({ seed: '0.12345' }), 1).state.seed);
    expect(Number.isInteger(parsed.state.seed)).toBe(true);
  });

  it('maps features, train share, regression dataset and hide options', () => {
    const parsed = parseHash(
      tf({ x: 'false', xTimesY: 'true', xSquared: 'true', ySquared: 'true', sinX: 'true', sinY: 'true', percTrainData: '70', problem: 'regression', regDataset: 'reg-gauss', activation: 'relu', networkShape: '6,3,2', learningRate: '0.1', noise: '25', batchSize: '5' }) +
        '&percTrainData_hide=true&dataset_hide=true&x_hide=true',
      1,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.state).toMatchObject({
      problem: 'regression',
      dataset: 'reg-gauss',
      features: ['x2', 'x1Squared', 'x2Squared', 'x1x2', 'sinX1', 'sinX2'],
      ratio: 70,
      activation: 'relu',
      networkShape: [6, 3, 2],
      learningRate: 0.1,
      noise: 25,
      batchSize: 5,
    });
    expect([...parsed.hidden].sort()).toEqual(['dataset', 'features', 'ratio']);
  });

  it('names what this page lacks and unknown keys in one short line each', () => {
    const parsed = parseHash(tf({ cosX: 'true', initZero: 'true', regDataset: 'reg-maximum', problem: 'regression' }) + '&foo=1&bar=2&baz_hide=true', 1);
    expect(parsed.problems).toEqual(['Not available here, ignored: regDataset=reg-maximum, cosX=true, initZero=true.', 'Ignored unknown options foo, bar, baz_hide.']);
    expect(parsed.state.dataset).toBe('reg-plane');
  });

  it('a link with every feature off keeps x1, x2 and says so', () => {
    const parsed = parseHash(tf({ x: 'false', y: 'false' }), 1);
    expect(parsed.state.features).toEqual(['x1', 'x2']);
    expect(parsed.problems).toEqual(['The link turns every input feature off; kept x1, x2.']);
  });

  it('keys named like Object.prototype members are unknown options, not features', () => {
    expect(parseHash('constructor=1&toString=x', 1).problems).toEqual(['Ignored unknown options constructor, toString.']);
  });
});

describe('the state tables', () => {
  it('serializeHash writes exactly the keys of STATE_KEYS, in order', () => {
    const keys = [...new URLSearchParams(serializeHash(defaultState(3)).slice(1)).keys()];
    expect(keys).toEqual([...STATE_KEYS]);
  });
});

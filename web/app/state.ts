// The page's UI state: one typed object, mirrored to the URL hash so that a link reproduces
// a setup, and `<control>_hide=true` options that hide controls when the page is embedded.
//
// Pure functions only (no DOM), so they are testable in Node. Parsing is forgiving: a bad
// value falls back to its default and is reported, it never breaks the page.
import {
  ALL_ACTIVATIONS,
  ALL_DATASETS,
  ALL_FEATURES,
  CLASSIFICATION_DATASETS,
  REGRESSION_DATASETS,
} from '../worker/protocol';
import { checkRate } from './number-check';
import type { RateLimits } from './number-check';
import { TF_DEFAULT_FEATURES, TF_FEATURES, TF_RENAMED, TF_UNSUPPORTED, lookup, seedFromString, tfValueIsOn } from './tf-playground';
import type {
  ActivationName,
  DatasetName,
  FeatureName,
  ProblemType,
  RegularizationName,
  TrainingSetup,
} from '../worker/protocol';

export interface PlaygroundState {
  dataset: DatasetName;
  problem: ProblemType;
  noise: number;
  ratio: number;
  batchSize: number;
  features: FeatureName[]; // in ALL_FEATURES order
  networkShape: number[]; // neurons per hidden layer
  activation: ActivationName;
  learningRate: number;
  regularization: RegularizationName;
  regularizationRate: number;
  seed: number;
  showTestData: boolean;
  discretize: boolean;
  speed: number; // epochs per second while playing; 0 = as fast as possible
}

/** Controls that can be hidden with `<name>_hide=true`. */
export const HIDEABLE = [
  'dataset',
  'problem',
  'noise',
  'ratio',
  'batchSize',
  'regenerate',
  'features',
  'networkShape',
  'activation',
  'learningRate',
  'regularization',
  'regularizationRate',
  'showTestData',
  'discretize',
  'speed',
  'playButton',
  'stepButton',
  'resetButton',
  'exportButton',
  'importButton',
  'chart',
  'mode', // the page shell's mode switch
] as const;
export type Hideable = (typeof HIDEABLE)[number];

export const LIMITS = {
  noise: { min: 0, max: 50, step: 5 },
  ratio: { min: 10, max: 90, step: 10 },
  batchSize: { min: 1, max: 30, step: 1 },
  layers: { min: 0, max: 8 },
  neurons: { min: 1, max: 16 },
} as const;

// TensorFlow Playground's choices; the hash may carry any other positive value.
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const SPEEDS: { label: string; epochsPerSecond: number }[] = [
  { label: 'Slow', epochsPerSecond: 10 },
  { label: 'Normal', epochsPerSecond: 60 },
  { label: 'Fast', epochsPerSecond: 600 },
  { label: 'Max', epochsPerSecond: 0 },
];

/** TensorFlow Playground's defaults (the seed is filled in at load when the hash has none). */
export function defaultState(seed = 1): PlaygroundState {
  return {
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
    regularizationRate: 0,
    seed,
    showTestData: false,
    discretize: false,
    speed: 60,
  };
}

export function datasetsFor(problem: ProblemType): readonly DatasetName[] {
  return problem === 'classification' ? CLASSIFICATION_DATASETS : REGRESSION_DATASETS;
}

export function sortFeatures(features: Iterable<FeatureName>): FeatureName[] {
  const set = new Set(features);
  return ALL_FEATURES.filter((f) => set.has(f));
}

/**
 * The state's hash keys, in the order links write them: the one table of what a setup is.
 * serializeHash writes these, parseHash reads them, and `<nn-playground>` takes one attribute
 * per key (kebab-case: network-shape, learning-rate, …) from this list.
 */
export const STATE_KEYS = [
  'dataset',
  'problem',
  'noise',
  'ratio',
  'batchSize',
  'features',
  'networkShape',
  'activation',
  'learningRate',
  'regularization',
  'regularizationRate',
  'seed',
  'showTestData',
  'discretize',
  'speed',
] as const satisfies readonly (keyof PlaygroundState)[];
// Every field of PlaygroundState is in the table (a field missing here fails to compile).
const everyFieldListed: Exclude<keyof PlaygroundState, (typeof STATE_KEYS)[number]> extends never ? true : never = true;
void everyFieldListed;

/** Keys of the page around the app (mode switch, autoplay): accepted, applied by the page. */
export const PAGE_KEYS = ['mode', 'autoplay', 'lesson'] as const;

/** Rates the engine can use: float32-representable, and within what trains (number-check.ts). */
export const RATE_LIMITS = {
  learningRate: { min: 1e-6, max: 10, zero: false, suggest: 0.03 },
  regularizationRate: { min: 1e-6, max: 10, zero: true, suggest: 0.001 },
  // Epochs per second (0 = as fast as possible); above this the cap changes nothing.
  speed: { min: 0.1, max: 100000, zero: true, suggest: 60 },
} satisfies Record<string, RateLimits>;

export interface ParsedHash {
  state: PlaygroundState;
  hidden: Set<Hideable>;
  /** One line per ignored value: what was wrong and what is allowed. */
  problems: string[];
  /** Whether the hash named a seed (if not, the caller picks one). */
  hasSeed: boolean;
}

export function parseHash(hash: string, fallbackSeed = 1): ParsedHash {
  const state = defaultState(fallbackSeed);
  const hidden = new Set<Hideable>();
  const problems: string[] = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  let hasSeed = false;
  // Unknown keys and TF Playground options this page lacks: one short line each, at the end.
  const unknown: string[] = [];
  const unsupported: string[] = [];
  // TF Playground's boolean feature keys (x=true&xSquared=false…), applied after the loop.
  const tfFeatures = new Map<FeatureName, boolean>();
  let regDatasetValue: DatasetName | undefined;

  const bad = (key: string, value: string, allowed: string) =>
    problems.push(`Ignored ${key}=${value}: ${allowed}.`);
  const int = (key: string, value: string, min: number, max: number): number | undefined => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    bad(key, value, `expected a whole number from ${min} to ${max}`);
    return undefined;
  };
  const bool = (key: string, value: string): boolean | undefined => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    bad(key, value, 'expected true or false');
    return undefined;
  };
  const rate = (key: keyof typeof RATE_LIMITS, value: string): number | undefined => {
    const checked = checkRate(value, RATE_LIMITS[key]);
    if ('value' in checked) return checked.value;
    bad(key, value, checked.error);
    return undefined;
  };

  let datasetValue: DatasetName | undefined;
  for (const [rawKey, value] of params) {
    if (rawKey.endsWith('_hide')) {
      const name = rawKey.slice(0, -'_hide'.length);
      const control = (lookup(TF_FEATURES, name) ? 'features' : name === 'regDataset' ? 'dataset' : (lookup(TF_RENAMED, name) ?? name)) as Hideable;
      if (!(HIDEABLE as readonly string[]).includes(control)) unknown.push(rawKey);
      else if (bool(rawKey, value)) hidden.add(control);
      continue;
    }
    const key = lookup(TF_RENAMED, rawKey) ?? rawKey;
    const tfFeature = lookup(TF_FEATURES, key);
    if (tfFeature) {
      tfFeatures.set(tfFeature, tfValueIsOn(value));
      continue;
    }
    if ((TF_UNSUPPORTED as readonly string[]).includes(key)) {
      if (tfValueIsOn(value)) unsupported.push(`${key}=${value}`);
      continue;
    }
    if ((PAGE_KEYS as readonly string[]).includes(key)) continue;
    switch (key) {
      case 'dataset':
        if ((ALL_DATASETS as readonly string[]).includes(value)) datasetValue = value as DatasetName;
        else bad(key, value, `expected one of ${ALL_DATASETS.join(', ')}`);
        break;
      case 'regDataset':
        if ((REGRESSION_DATASETS as readonly string[]).includes(value)) regDatasetValue = value as DatasetName;
        else unsupported.push(`${key}=${value}`);
        break;
      case 'problem':
        if (value === 'classification' || value === 'regression') state.problem = value;
        else bad(key, value, 'expected classification or regression');
        break;
      case 'noise': {
        const n = int(key, value, LIMITS.noise.min, LIMITS.noise.max);
        if (n !== undefined) state.noise = n;
        break;
      }
      case 'ratio': {
        const n = int(rawKey, value, LIMITS.ratio.min, LIMITS.ratio.max);
        if (n !== undefined) state.ratio = n;
        break;
      }
      case 'batchSize': {
        const n = int(key, value, LIMITS.batchSize.min, LIMITS.batchSize.max);
        if (n !== undefined) state.batchSize = n;
        break;
      }
      case 'features': {
        const names = value.split(',').filter((s) => s !== '');
        const unknownFeatures = names.filter((f) => !(ALL_FEATURES as readonly string[]).includes(f));
        if (unknownFeatures.length || names.length === 0) {
          bad(key, value, `expected a comma-separated, non-empty list of ${ALL_FEATURES.join(', ')}`);
        } else {
          state.features = sortFeatures(names as FeatureName[]);
        }
        break;
      }
      case 'networkShape': {
        if (rawKey === 'numHiddenLayers') break; // TF Playground's count; its networkShape says it all
        const parts = value === '' ? [] : value.split(',');
        const shape = parts.map(Number);
        const ok =
          shape.length <= LIMITS.layers.max &&
          shape.every((n) => Number.isInteger(n) && n >= LIMITS.neurons.min && n <= LIMITS.neurons.max);
        if (ok) state.networkShape = shape;
        else
          bad(
            key,
            value,
            `expected up to ${LIMITS.layers.max} comma-separated layer sizes from ${LIMITS.neurons.min} to ${LIMITS.neurons.max}`,
          );
        break;
      }
      case 'activation':
        if ((ALL_ACTIVATIONS as readonly string[]).includes(value)) state.activation = value as ActivationName;
        else bad(key, value, `expected one of ${ALL_ACTIVATIONS.join(', ')}`);
        break;
      case 'learningRate': {
        const n = rate(key, value);
        if (n !== undefined) state.learningRate = n;
        break;
      }
      case 'regularization':
        if (value === 'none' || value === 'L1' || value === 'L2') state.regularization = value;
        else bad(key, value, 'expected none, L1 or L2');
        break;
      case 'regularizationRate': {
        const n = rate(key, value);
        if (n !== undefined) state.regularizationRate = n;
        break;
      }
      case 'seed': {
        // TF Playground's seeds are strings ("0.45796"): each maps to a whole number of its own.
        const tfSeed = /^\d*\.\d+$/.test(value);
        const n = tfSeed ? seedFromString(value) : int(key, value, 0, 2 ** 31 - 1);
        if (n !== undefined) {
          state.seed = n;
          hasSeed = true;
        }
        break;
      }
      case 'showTestData': {
        const b = bool(key, value);
        if (b !== undefined) state.showTestData = b;
        break;
      }
      case 'discretize': {
        const b = bool(key, value);
        if (b !== undefined) state.discretize = b;
        break;
      }
      case 'speed': {
        const n = rate(key, value);
        if (n !== undefined) state.speed = n;
        break;
      }
      default:
        unknown.push(rawKey);
    }
  }
  // A TF Playground link: its feature keys (defaults x, y) unless the link also says features=.
  if (tfFeatures.size && !params.has('features')) {
    const on = new Set(TF_DEFAULT_FEATURES);
    for (const [feature, isOn] of tfFeatures) {
      if (isOn) on.add(feature);
      else on.delete(feature);
    }
    if (on.size) state.features = sortFeatures(on);
    else problems.push(`The link turns every input feature off; kept ${state.features.join(', ')}.`);
  }
  // The dataset must match the problem type; the problem decides. TF Playground links carry
  // both a classification dataset and regDataset; the problem picks one of them.
  const allowed = datasetsFor(state.problem);
  const chosen = state.problem === 'regression' && regDatasetValue ? regDatasetValue : datasetValue;
  if (chosen && allowed.includes(chosen)) state.dataset = chosen;
  else {
    if (chosen && !(state.problem === 'regression' && params.has('regDataset'))) bad('dataset', chosen, `a ${state.problem} problem uses ${allowed.join(', ')}`);
    state.dataset = allowed[0];
  }
  if (unsupported.length) problems.push(`Not available here, ignored: ${unsupported.join(', ')}.`);
  if (unknown.length) problems.push(`Ignored unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}.`);
  return { state, hidden, problems, hasSeed };
}

/** One field of the state as its hash value. */
function formatField(state: PlaygroundState, key: (typeof STATE_KEYS)[number]): string {
  const v = state[key];
  return Array.isArray(v) ? v.join(',') : String(v);
}

export function serializeHash(state: PlaygroundState, hidden: Iterable<Hideable> = []): string {
  const params = new URLSearchParams();
  for (const key of STATE_KEYS) params.set(key, formatField(state, key));
  for (const control of hidden) params.set(`${control}_hide`, 'true');
  // Commas are safe in a fragment; keeping them literal keeps links readable.
  return '#' + params.toString().replace(/%2C/g, ',');
}

/** What the worker needs from the UI state. */
export function toSetup(state: PlaygroundState, gridSize: number): TrainingSetup {
  return {
    dataset: state.dataset,
    problem: state.problem,
    noise: state.noise,
    trainRatio: state.ratio,
    seed: state.seed,
    features: [...state.features],
    hiddenLayers: [...state.networkShape],
    activation: state.activation,
    learningRate: state.learningRate,
    regularization: state.regularization,
    regularizationRate: state.regularizationRate,
    batchSize: state.batchSize,
    gridSize,
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 1e6);
}

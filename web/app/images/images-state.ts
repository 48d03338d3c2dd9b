// The Images mode's UI state: one typed object, mirrored to the URL hash (so a link reproduces
// a setup) with `<control>_hide=true` options for embedding. Pure functions only (no DOM).
//
// Hash keys: mode=images, dataset (mnist | fashion-quick | fashion), preset (mlp | cnn: a
// stack and its compile settings), layers (the stack, overrides the preset's), optimizer,
// learningRate, batchSize, epochs, seed, and <control>_hide. The stack is written compactly,
// one layer per comma: conv2d:<filters>:<kernel>:<strides>:<padding>:<activation>,
// maxPooling2d:<pool>:<strides>:<padding> (averagePooling2d alike), dropout:<rate>,
// batchNormalization, flatten, dense:<units>:<activation>.
//
// Parsing is forgiving: a bad value falls back to its default and is reported. A stack that
// parses but does not fit the images is kept as it is; the engine says which layer fails.
import { IMAGE_DATASETS, IMAGE_LAYER_TYPES } from '../../worker/images-protocol';
import type { ImageDatasetName, ImageLayer, ImageLayerType } from '../../worker/images-protocol';
import { checkRate } from '../number-check';

/** Learning rates the engine can use here (float32, and within what trains: number-check.ts). */
export const IMAGES_LEARNING_RATE = { min: 1e-6, max: 10, zero: false, suggest: 0.001 };

export interface ImagesState {
  dataset: ImageDatasetName;
  layers: ImageLayer[];
  optimizer: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
}

/**
 * The Images state's hash keys besides `mode`: the one table of what its setup is (what
 * parseImagesHash reads and serializeImagesHash writes, checked by tests/e2e/images-state.test.ts;
 * `<nn-playground mode="images">` takes one attribute per key from it).
 */
export const IMAGES_STATE_KEYS = ['dataset', 'preset', 'layers', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'seed'] as const;

export const HIDEABLE_IMAGES = [
  'dataset', 'preset', 'layers', 'optimizer', 'learningRate', 'batchSize', 'epochs',
  'trainButton', 'resetButton', 'stepButton', 'charts', 'evaluation', 'draw', 'inside',
  'mode', // the page shell's mode switch
] as const;
export type ImagesHideable = (typeof HIDEABLE_IMAGES)[number];

export const DATASET_LABELS: Record<ImageDatasetName, string> = {
  mnist: 'MNIST digits',
  'fashion-quick': 'Fashion-MNIST (quick subset)',
  fashion: 'Fashion-MNIST (full, 60,000)',
};

/** Editor limits (sanity bounds for the inputs; whether a stack fits is the engine's call). */
export const LAYER_LIMITS = {
  filters: { min: 1, max: 256 },
  kernelSize: { min: 1, max: 28 },
  poolSize: { min: 1, max: 28 },
  strides: { min: 1, max: 28 },
  units: { min: 1, max: 2048 },
  rate: { min: 0, max: 0.95 },
  layers: { max: 24 },
  batchSize: { min: 1, max: 1024 },
  epochs: { min: 1, max: 100 },
} as const;

export type PresetName = 'mlp' | 'cnn';
export const PRESETS: Record<PresetName, { label: string; layers: ImageLayer[]; optimizer: string; learningRate: number; batchSize: number; epochs: number }> = {
  mlp: {
    label: 'MLP (Keras example)',
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 32,
    epochs: 5,
  },
  cnn: {
    label: 'CNN (Keras example)',
    layers: [
      { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 32,
    epochs: 5,
  },
};

/** A new layer of `type` with the editor's defaults. */
export function defaultLayer(type: ImageLayerType): ImageLayer {
  switch (type) {
    case 'conv2d':
      return { type, filters: 16, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' };
    case 'maxPooling2d':
    case 'averagePooling2d':
      return { type, poolSize: 2, strides: 2, padding: 'valid' };
    case 'dropout':
      return { type, rate: 0.25 };
    case 'dense':
      return { type, units: 64, activation: 'relu' };
    default:
      return { type };
  }
}

export function defaultImagesState(): ImagesState {
  const p = PRESETS.mlp;
  return { dataset: 'mnist', layers: structuredClone(p.layers), optimizer: p.optimizer, learningRate: p.learningRate, batchSize: p.batchSize, epochs: p.epochs, seed: 1 };
}

/** The preset whose stack and compile settings the state has, if any. */
export function presetOf(state: ImagesState): PresetName | null {
  for (const name of Object.keys(PRESETS) as PresetName[]) {
    if (serializeLayers(PRESETS[name].layers) === serializeLayers(state.layers)) return name;
  }
  return null;
}

// The fields of each type, in their order in the hash.
const FIELDS: Record<ImageLayerType, (keyof ImageLayer)[]> = {
  conv2d: ['filters', 'kernelSize', 'strides', 'padding', 'activation'],
  maxPooling2d: ['poolSize', 'strides', 'padding'],
  averagePooling2d: ['poolSize', 'strides', 'padding'],
  dropout: ['rate'],
  batchNormalization: [],
  flatten: [],
  dense: ['units', 'activation'],
};

export function serializeLayers(layers: readonly ImageLayer[]): string {
  return layers.map((l) => [l.type, ...FIELDS[l.type].map((f) => String(l[f] ?? ''))].join(':')).join(',');
}

/** The stack in `text`, or an error saying which layer and what is allowed. */
export function parseLayers(text: string): { layers: ImageLayer[] } | { error: string } {
  const parts = text === '' ? [] : text.split(',');
  if (parts.length > LAYER_LIMITS.layers.max) return { error: `at most ${LAYER_LIMITS.layers.max} layers` };
  const layers: ImageLayer[] = [];
  for (const [i, part] of parts.entries()) {
    const [type, ...values] = part.split(':');
    if (!(IMAGE_LAYER_TYPES as readonly string[]).includes(type)) {
      return { error: `layer ${i + 1} is "${type}"; layer types are ${IMAGE_LAYER_TYPES.join(', ')}` };
    }
    const layer = defaultLayer(type as ImageLayerType);
    const fields = FIELDS[layer.type];
    for (const [j, field] of fields.entries()) {
      const v = values[j];
      if (v === undefined || v === '') continue; // the default
      const problem = setField(layer, field, v);
      if (problem) return { error: `layer ${i + 1} (${type}): ${problem}` };
    }
    layers.push(layer);
  }
  return { layers };
}

/** Sets one field from text; returns a problem or null. */
export function setField(layer: ImageLayer, field: keyof ImageLayer, v: string): string | null {
  const mutable = layer as unknown as Record<string, unknown>;
  switch (field) {
    case 'padding':
      if (v !== 'valid' && v !== 'same') return `padding is "${v}"; expected valid or same`;
      layer.padding = v;
      return null;
    case 'activation':
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(v)) return `activation "${v}" is not a name`;
      layer.activation = v;
      return null;
    case 'rate': {
      const n = Number(v);
      const { min, max } = LAYER_LIMITS.rate;
      if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) return `rate is ${v}; expected a number from ${min} to ${max}`;
      layer.rate = n;
      return null;
    }
    case 'type':
      return 'the type is not a field';
    default: {
      const n = Number(v);
      const { min, max } = LAYER_LIMITS[field];
      if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) return `${field} is ${v}; expected a whole number from ${min} to ${max}`;
      mutable[field] = n;
      return null;
    }
  }
}

export interface ParsedImagesHash {
  state: ImagesState;
  hidden: Set<ImagesHideable>;
  problems: string[];
  /** Whether the text gave a setup (a dataset, preset or stack), not just the mode. */
  given: boolean;
}

export function parseImagesHash(text: string): ParsedImagesHash {
  const params = new URLSearchParams(text.replace(/^#/, ''));
  const state = defaultImagesState();
  const hidden = new Set<ImagesHideable>();
  const problems: string[] = [];
  let given = false;
  const bad = (key: string, value: string, allowed: string) => problems.push(`Ignored ${key}=${value}: ${allowed}.`);
  const int = (key: string, value: string, min: number, max: number): number | undefined => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    bad(key, value, `expected a whole number from ${min} to ${max}`);
    return undefined;
  };
  // The preset first, so layers and compile keys given with it override its values.
  const preset = params.get('preset');
  if (preset !== null) {
    given = true;
    if (preset in PRESETS) {
      const p = PRESETS[preset as PresetName];
      Object.assign(state, { layers: structuredClone(p.layers), optimizer: p.optimizer, learningRate: p.learningRate, batchSize: p.batchSize, epochs: p.epochs });
    } else {
      bad('preset', preset, `expected one of ${Object.keys(PRESETS).join(', ')}`);
    }
  }
  for (const [key, value] of params) {
    if (key.endsWith('_hide')) {
      const control = key.slice(0, -'_hide'.length);
      if (!(HIDEABLE_IMAGES as readonly string[]).includes(control)) bad(key, value, `hideable controls are ${HIDEABLE_IMAGES.join(', ')}`);
      else if (value === 'true') hidden.add(control as ImagesHideable);
      else if (value !== 'false') bad(key, value, 'expected true or false');
      continue;
    }
    switch (key) {
      case 'mode':
      case 'preset':
        break;
      case 'dataset':
        given = true;
        if ((IMAGE_DATASETS as readonly string[]).includes(value)) state.dataset = value as ImageDatasetName;
        else bad(key, value, `expected one of ${IMAGE_DATASETS.join(', ')}`);
        break;
      case 'layers': {
        given = true;
        const parsed = parseLayers(value);
        if ('error' in parsed) bad(key, value, parsed.error);
        else state.layers = parsed.layers;
        break;
      }
      case 'optimizer':
        if (/^[A-Za-z]+$/.test(value)) state.optimizer = value;
        else bad(key, value, 'expected an optimizer name');
        break;
      case 'learningRate': {
        const checked = checkRate(value, IMAGES_LEARNING_RATE);
        if ('value' in checked) state.learningRate = checked.value;
        else bad(key, value, checked.error);
        break;
      }
      case 'batchSize': {
        const n = int(key, value, LAYER_LIMITS.batchSize.min, LAYER_LIMITS.batchSize.max);
        if (n !== undefined) state.batchSize = n;
        break;
      }
      case 'epochs': {
        const n = int(key, value, LAYER_LIMITS.epochs.min, LAYER_LIMITS.epochs.max);
        if (n !== undefined) state.epochs = n;
        break;
      }
      case 'seed': {
        const n = int(key, value, 0, 2 ** 31 - 1);
        if (n !== undefined) state.seed = n;
        break;
      }
      default:
        bad(key, value, 'unknown option');
    }
  }
  return { state, hidden, problems, given };
}

export function serializeImagesHash(state: ImagesState, hidden: Iterable<ImagesHideable> = []): string {
  const params = new URLSearchParams();
  params.set('mode', 'images');
  params.set('dataset', state.dataset);
  const preset = presetOf(state);
  if (preset) params.set('preset', preset);
  else params.set('layers', serializeLayers(state.layers));
  params.set('optimizer', state.optimizer);
  params.set('learningRate', String(state.learningRate));
  params.set('batchSize', String(state.batchSize));
  params.set('epochs', String(state.epochs));
  params.set('seed', String(state.seed));
  for (const control of hidden) params.set(`${control}_hide`, 'true');
  // Commas and colons are safe in a fragment; keeping them literal keeps links readable.
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

// The TensorFlow.js layers-model format (model.json: modelTopology + weightsManifest, and binary
// weight shards), both ways, as pure data conversion (no wasm, no IO; the handlers are in
// io-handlers.ts, their storage code in io-storage.ts, which this chunk carries as `storage`):
//  - toKerasTopology(): nnplay's inspected graph -> the Keras config TF.js 4.22 writes
//    (class_name/config/keras_version/backend; Sequential, or a functional 'Model' with
//    inbound_nodes), every key spelled as TF.js spells it.
//  - fromKerasTopology(): a topology written by TF.js or converted from Keras 2.x by
//    tensorflowjs_converter ({model_config, training_config} or bare) -> nnplay's own v2 graph
//    (the engine's layer configs), so the one loader in io.ts checks and builds it. A layer
//    class or an option nnplay does not have is an Error naming the layer and the option.
//  - weights: named as the engine names them (kerasWeights in engine-tables.ts, which is
//    TF.js's `<layer>/<weight>` and its trainable-then-non-trainable order); shards are
//    equal-size with only the last one shorter, because TF.js's loader silently reads zeros
//    for any other split.
//  - trainingConfig: compile settings <-> TF.js's trainingConfig (loss, metrics, optimizer),
//    here rather than in io.ts so that an app that never saves or loads does not carry them.
import { describe, quote } from './describe';
import { engineTables, type Inspection } from './engine-tables';
import { TFJS_VERSION, camelCase, snakeCase } from './tfjs-basics';
import type { LayersModel } from './model';
import { Optimizer } from './optimizers';

// The small parts the IO handlers use without loading this module (tfjs-basics.ts).
export { TFJS_VERSION, GENERATED_BY, DEFAULT_SHARD_BYTES, camelCase, concatBuffers, shardWeights, snakeCase } from './tfjs-basics';
// The IO handlers' save() and load() (io-handlers.ts forwards to them once this chunk is loaded).
export * as storage from './io-storage';

// ---------------------------------------------------------------- trainingConfig (compile settings)

const tfjsLosses = new Set([
  'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'squaredHinge', 'hinge',
  'categoricalHinge', 'logcosh', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy',
  'kullbackLeiblerDivergence', 'poisson', 'cosineProximity',
]);
const tfjsMetrics = new Set([
  'accuracy', 'acc', 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'precision', 'recall', 'mse', 'mae', 'mape', 'cosine',
  'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'cosineProximity', 'binaryCrossentropy', 'categoricalCrossentropy',
]);
const tfjsOptimizers: Record<string, [string, string[]]> = {
  sgd: ['SGD', ['learningRate']],
  momentum: ['Momentum', ['learningRate', 'momentum', 'useNesterov']],
  adam: ['Adam', ['learningRate', 'beta1', 'beta2', 'epsilon']],
  rmsprop: ['RMSProp', ['learningRate', 'decay', 'momentum', 'epsilon']],
  adagrad: ['Adagrad', ['learningRate', 'initialAccumulatorValue']],
};

/** TF.js's trainingConfig for a model's compile settings (model.compiledWith), when TF.js has its loss, metrics and optimizer. */
export function trainingConfigOf(c: LayersModel['compiledWith']): Record<string, unknown> | undefined {
  if (!c) return undefined;
  const opt = tfjsOptimizers[c.optimizer.name];
  if (!opt || typeof c.optimizer.learningRate !== 'number') return undefined;
  if (!c.losses.every((l) => tfjsLosses.has(l)) || !c.metrics.every((m) => tfjsMetrics.has(m))) return undefined;
  const config = Object.fromEntries(opt[1].filter((k) => (c.optimizer as unknown as Record<string, unknown>)[k] !== undefined).map((k) => [k, (c.optimizer as unknown as Record<string, unknown>)[k]]));
  const single = c.losses.every((l) => l === c.loss);
  return {
    loss: single ? snakeCase(c.loss) : c.losses.map(snakeCase),
    metrics: [...c.metrics],
    optimizer_config: { class_name: opt[0], config },
    ...(c.lossWeights ? { loss_weights: [...c.lossWeights] } : {}),
  };
}

/** A trainingConfig (TF.js or Keras) as nnplay compile settings, or undefined when nnplay lacks a part. */
export function compileFromTrainingConfig(tc: unknown): { optimizer: Optimizer; loss: string | string[]; metrics: string[]; lossWeights?: number[] } | undefined {
  if (!tc || typeof tc !== 'object') return undefined;
  const t = tc as Record<string, unknown>;
  const oc = t.optimizer_config as { class_name?: string; config?: Record<string, unknown> } | undefined;
  const entry = Object.entries(tfjsOptimizers).find(([, [cls]]) => cls.toLowerCase() === String(oc?.class_name ?? '').toLowerCase());
  if (!entry) return undefined;
  const raw = Object.fromEntries(Object.entries(oc?.config ?? {}).map(([k, v]) => [camelCase(k).replace(/^beta_?(\d)$/, 'beta$1'), v]));
  const cfg: Record<string, unknown> = { name: entry[0] };
  for (const k of entry[1][1]) if (typeof raw[k] === 'number' || typeof raw[k] === 'boolean') cfg[k] = raw[k];
  if (typeof cfg.learningRate !== 'number' && typeof raw.lr === 'number') cfg.learningRate = raw.lr;
  const lossOf = (l: unknown) => (typeof l === 'string' ? camelCase(l) : undefined);
  const loss = Array.isArray(t.loss) ? t.loss.map(lossOf) : lossOf(t.loss);
  if (loss === undefined || (Array.isArray(loss) && loss.some((l) => l === undefined))) return undefined;
  const metrics = Array.isArray(t.metrics) ? t.metrics.filter((m): m is string => typeof m === 'string').map(camelCase) : [];
  try {
    return {
      optimizer: new Optimizer(cfg as never),
      loss: loss as string | string[],
      metrics,
      ...(Array.isArray(t.loss_weights) ? { lossWeights: t.loss_weights as number[] } : {}),
    };
  } catch {
    return undefined;
  }
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: unknown;
  group?: string;
}
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}
/** TF.js ModelArtifacts (the fields a layers model uses). */
export interface ModelArtifacts {
  modelTopology?: Record<string, unknown> | ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: Record<string, unknown>;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  userDefinedMetadata?: Record<string, unknown>;
}
/** TF.js model.json. */
export interface ModelJSONFile {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: WeightsManifestEntry[];
  trainingConfig?: Record<string, unknown>;
  userDefinedMetadata?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}


// ---------------------------------------------------------------- initializers, regularizers, activations

// The engine's variance-scaling rows as (scale, mode, distribution), the way Keras and TF.js
// both read them back (VarianceScaling is the one class both know for the whole family).
const varianceRows: Record<string, [number, string, string]> = {
  glorotUniform: [1, 'fan_avg', 'uniform'],
  glorotNormal: [1, 'fan_avg', 'normal'],
  heNormal: [2, 'fan_in', 'normal'],
  heUniform: [2, 'fan_in', 'uniform'],
  leCunNormal: [1, 'fan_in', 'normal'],
  leCunUniform: [1, 'fan_in', 'uniform'],
  varianceScaling: [1, 'fan_in', 'normal'],
};
const fixedRows: Record<string, [string, Json]> = {
  zeros: ['Zeros', {}],
  ones: ['Ones', {}],
  orthogonal: ['Orthogonal', { gain: 1, seed: null }],
  identity: ['Identity', { gain: 1 }],
  randomNormal: ['RandomNormal', { mean: 0, stddev: 0.05, seed: null }],
  truncatedNormal: ['TruncatedNormal', { mean: 0, stddev: 0.05, seed: null }],
  randomUniform: ['RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }],
};

function initializerToKeras(name: unknown): Json {
  const v = varianceRows[String(name)];
  if (v) return { class_name: 'VarianceScaling', config: { scale: v[0], mode: v[1], distribution: v[2], seed: null } };
  const f = fixedRows[String(name)];
  if (!f) throw new Error(`initializer ${quote(name)} has no Keras equivalent`);
  return { class_name: f[0], config: { ...f[1] } };
}

/** A Keras / TF.js initializer config -> the engine row with exactly those parameters. */
function initializerFromKeras(raw: unknown, what: string): string {
  if (typeof raw === 'string') {
    const row = engineTables().initializers.find((r) => r.name === raw || r.aliases.includes(raw) || r.name === camelCase(raw));
    if (row) return row.name;
    throw new Error(`${what} ${quote(raw)} is not supported; supported: ${engineTables().initializers.map((r) => r.name).join(', ')}`);
  }
  if (raw === null || typeof raw !== 'object') throw new Error(`${what} must be {class_name, config}, got ${describe(raw)}`);
  const o = raw as Json;
  const cls = String(o.class_name ?? o.className ?? '');
  const c = (o.config ?? {}) as Json;
  const key = cls.toLowerCase().replace(/_/g, '');
  const byFamily: Record<string, string> = {
    glorotuniform: 'glorotUniform', glorotnormal: 'glorotNormal', henormal: 'heNormal', heuniform: 'heUniform',
    lecunnormal: 'leCunNormal', lecununiform: 'leCunUniform',
  };
  if (byFamily[key]) return byFamily[key];
  if (key === 'variancescaling') {
    const scale = c.scale ?? 1;
    const mode = snakeCase(String(c.mode ?? 'fan_in'));
    let dist = snakeCase(String(c.distribution ?? 'normal'));
    // TF.js and Keras 2 draw 'normal' as a truncated normal: the same distribution.
    if (dist === 'truncated_normal') dist = 'normal';
    const hit = Object.entries(varianceRows).find(([, [s, m, d]]) => s === scale && m === mode && d === dist);
    if (hit) return hit[0] === 'varianceScaling' ? 'leCunNormal' : hit[0];
    throw new Error(
      `${what} VarianceScaling {scale: ${describe(scale)}, mode: '${mode}', distribution: '${dist}'} is not supported; supported: ` +
        Object.values(varianceRows).slice(0, 6).map(([s, m, d]) => `{${s}, ${m}, ${d}}`).join(', '),
    );
  }
  const fixed = Object.entries(fixedRows).find(([, [k]]) => k.toLowerCase() === key || (key === 'zero' && k === 'Zeros') || (key === 'one' && k === 'Ones'));
  if (fixed) {
    for (const [k, def] of Object.entries(fixed[1][1])) {
      if (k === 'seed') continue;
      if (c[k] !== undefined && c[k] !== null && c[k] !== def) {
        throw new Error(`${what} ${fixed[1][0]} with ${k} ${describe(c[k])} is not supported; nnplay's ${fixed[0]} uses ${k} ${def}`);
      }
    }
    return fixed[0];
  }
  throw new Error(`${what} ${quote(cls)} is not supported; supported: VarianceScaling (glorot/he/lecun), ${Object.values(fixedRows).map(([k]) => k).join(', ')}`);
}

/** A float32 the engine stored (0.009999999776…) as the decimal it was given (0.01). */
function decimal(v: unknown): unknown {
  if (typeof v !== 'number' || Number.isInteger(v)) return v;
  const short = Number(v.toPrecision(7));
  return Math.fround(short) === Math.fround(v) ? short : v;
}

function regularizerToKeras(r: unknown): Json | null {
  if (!r || typeof r !== 'object') return null;
  const { l1 = 0, l2 = 0 } = r as { l1?: number; l2?: number };
  if (l1 === 0 && l2 === 0) return null;
  return { class_name: 'L1L2', config: { l1: decimal(l1), l2: decimal(l2) } };
}

function regularizerFromKeras(raw: unknown, what: string): { l1: number; l2: number } | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'object') throw new Error(`${what} must be {class_name: 'L1L2', config: {l1, l2}} or null, got ${describe(raw)}`);
  const o = raw as Json;
  const cls = String(o.class_name ?? o.className ?? '').toLowerCase().replace(/_/g, '');
  const c = (o.config ?? {}) as Json;
  if (!['l1l2', 'l1', 'l2'].includes(cls)) throw new Error(`${what} ${quote(o.class_name)} is not supported; supported: L1L2, L1, L2`);
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { l1: cls === 'l2' ? 0 : num(c.l1), l2: cls === 'l1' ? 0 : num(c.l2) };
}

// Activations TF.js 4.22 has (its registry's class names), as Keras spells them.
const tfjsActivations = new Set(['linear', 'relu', 'elu', 'sigmoid', 'tanh', 'softmax', 'hardSigmoid', 'softplus', 'softsign', 'selu', 'relu6', 'swish', 'gelu', 'mish']);

function activationToKeras(name: unknown, alpha: unknown, what: string): string {
  const a = String(name);
  if (!tfjsActivations.has(a)) {
    throw new Error(`${what} ${quote(a)} has no TF.js layers equivalent${a === 'leakyRelu' ? "; use a separate nn.layers.activation({activation: 'leakyRelu'}) (saved as a LeakyReLU layer)" : ''}`);
  }
  if (a === 'elu' && alpha !== null && alpha !== undefined && alpha !== 1) {
    throw new Error(`${what} 'elu' with alpha ${describe(alpha)} has no TF.js equivalent inside a layer; use nn.layers.activation({activation: 'elu', alpha}) (saved as an ELU layer)`);
  }
  return snakeCase(a);
}

function activationFromKeras(raw: unknown, what: string): string {
  if (raw === null || raw === undefined) return 'linear';
  if (typeof raw !== 'string') throw new Error(`${what} must be an activation name, got ${describe(raw)}`);
  const name = raw === 'gelu_new' ? raw : camelCase(raw);
  const row = engineTables().activations.find((r) => r.name === name || r.aliases.includes(raw));
  if (!row) throw new Error(`${what} ${quote(raw)} is not supported; supported: ${engineTables().activations.map((r) => snakeCase(r.name)).join(', ')}`);
  return row.name;
}

// ---------------------------------------------------------------- saving: engine config -> Keras config

const classOf: Record<string, string> = {
  dense: 'Dense', conv2d: 'Conv2D', maxPooling2d: 'MaxPooling2D', flatten: 'Flatten', activation: 'Activation',
  dropout: 'Dropout', batchNormalization: 'BatchNormalization', reshape: 'Reshape', concatenate: 'Concatenate',
  add: 'Add', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum', averagePooling2d: 'AveragePooling2D', globalAveragePooling2d: 'GlobalAveragePooling2D', globalMaxPooling2d: 'GlobalMaxPooling2D', layerNormalization: 'LayerNormalization', gaussianNoise: 'GaussianNoise', gaussianDropout: 'GaussianDropout', zeroPadding2d: 'ZeroPadding2D', cropping2D: 'Cropping2D', permute: 'Permute',
  simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU', bidirectional: 'Bidirectional', embedding: 'Embedding',
  conv1d: 'Conv1D', globalAveragePooling1d: 'GlobalAveragePooling1D', globalMaxPooling1d: 'GlobalMaxPooling1D', maxPooling1d: 'MaxPooling1D', averagePooling1d: 'AveragePooling1D', repeatVector: 'RepeatVector', upSampling2d: 'UpSampling2D',
  conv2dTranspose: 'Conv2DTranspose', gaussianSampling: 'GaussianSampling', klDivergence: 'KlDivergence', input: 'InputLayer',
};

/**
 * nnplay's own layers, saved under their own class names (nnplay reads them back). TF.js 4.22 has
 * no such classes: tf.loadLayersModel() of such a file needs a class of that name registered with
 * tf.serialization.registerClass() (docs/API.md shows one), else it fails "Unknown layer".
 */
export const nnplayOnlyClasses: readonly string[] = ['GaussianSampling', 'KlDivergence'];

const noConstraints = (...names: string[]) => Object.fromEntries(names.map((n) => [`${n}_constraint`, null]));

function recurrentToKeras(type: string, c: Json, what: string): Json {
  const out: Json = {
    units: c.units,
    activation: activationToKeras(c.activation, null, `${what}: activation`),
    use_bias: c.useBias,
    kernel_initializer: initializerToKeras(c.kernelInitializer),
    recurrent_initializer: initializerToKeras(c.recurrentInitializer),
    bias_initializer: initializerToKeras(c.biasInitializer),
    kernel_regularizer: regularizerToKeras(c.kernelRegularizer),
    recurrent_regularizer: regularizerToKeras(c.recurrentRegularizer),
    bias_regularizer: regularizerToKeras(c.biasRegularizer),
    activity_regularizer: null,
    ...noConstraints('kernel', 'recurrent', 'bias'),
    dropout: decimal(c.dropout ?? 0),
    recurrent_dropout: decimal(c.recurrentDropout ?? 0),
    return_sequences: c.returnSequences,
    return_state: c.returnState === true,
    go_backwards: c.goBackwards,
    stateful: false,
    unroll: false,
  };
  if (type !== 'simpleRNN') {
    out.recurrent_activation = activationToKeras(c.recurrentActivation, null, `${what}: recurrentActivation`);
    out.implementation = 1;
  }
  if (type === 'lstm') out.unit_forget_bias = c.unitForgetBias;
  // resetAfter true is written as Keras 2 writes it (reset_after true, bias [2, 3·units]), the
  // form tensorflowjs_converter gives Keras 2's default GRU: nnplay and Keras read it; TF.js 4.22
  // itself refuses it on load ("GRUCell does not support reset_after parameter set to true").
  if (type === 'gru') out.reset_after = c.resetAfter === true;
  return out;
}

/** One layer's Keras class and config (without name/trainable/input shape). */
function layerToKeras(type: string, c: Json, what: string, bidiInnerName: string | undefined): { className: string; config: Json } {
  const kernelLayer = (): Json => ({
    activation: activationToKeras(c.activation, c.alpha, `${what}: activation`),
    use_bias: c.useBias,
    kernel_initializer: initializerToKeras(c.kernelInitializer),
    bias_initializer: initializerToKeras(c.biasInitializer),
    kernel_regularizer: regularizerToKeras(c.kernelRegularizer),
    bias_regularizer: null,
    activity_regularizer: null,
    ...noConstraints('kernel', 'bias'),
  });
  const pool = (): Json => ({ pool_size: c.poolSize, padding: c.padding, strides: c.strides ?? c.poolSize, data_format: 'channels_last' });
  switch (type) {
    case 'dense':
      return { className: 'Dense', config: { units: c.units, ...kernelLayer() } };
    case 'conv2d':
      return {
        className: 'Conv2D',
        config: { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides ?? [1, 1], padding: c.padding, data_format: 'channels_last', dilation_rate: [1, 1], ...kernelLayer() },
      };
    case 'conv1d':
      return {
        className: 'Conv1D',
        config: { filters: c.filters, kernel_size: [c.kernelSize], strides: [c.strides ?? 1], padding: c.padding, data_format: 'channels_last', dilation_rate: [1], ...kernelLayer() },
      };
    case 'maxPooling2d':
      return { className: 'MaxPooling2D', config: pool() };
    case 'averagePooling2d':
      return { className: 'AveragePooling2D', config: pool() };
    case 'repeatVector':
      return { className: 'RepeatVector', config: { n: c.n } };
    case 'maxPooling1d':
    case 'averagePooling1d':
      // TF.js writes the 1-D sizes as one-element lists.
      return { className: classOf[type], config: { pool_size: [c.poolSize], padding: c.padding, strides: [c.strides ?? c.poolSize] } };
    case 'flatten':
      return { className: 'Flatten', config: {} };
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return { className: classOf[type], config: { data_format: 'channels_last' } };
    case 'globalAveragePooling1d':
    case 'globalMaxPooling1d':
      return { className: classOf[type], config: {} };
    case 'activation': {
      const alpha = c.alpha;
      if (c.activation === 'leakyRelu') return { className: 'LeakyReLU', config: { alpha: decimal(alpha ?? 0.3) } };
      if (c.activation === 'elu' && alpha !== null && alpha !== undefined && alpha !== 1) return { className: 'ELU', config: { alpha: decimal(alpha) } };
      return { className: 'Activation', config: { activation: activationToKeras(c.activation, alpha, `${what}: activation`) } };
    }
    case 'dropout':
      return { className: 'Dropout', config: { rate: decimal(c.rate), noise_shape: c.noiseShape ?? null, seed: c.seed ?? null } };
    case 'permute':
      return { className: 'Permute', config: { dims: c.dims } };
    case 'zeroPadding2d': {
      const m = (c.padding as number[] | undefined) ?? [1, 1, 1, 1];
      return { className: 'ZeroPadding2D', config: { padding: [[m[0], m[1]], [m[2], m[3]]], data_format: 'channels_last' } };
    }
    case 'cropping2D': {
      const m = c.cropping as number[];
      return { className: 'Cropping2D', config: { cropping: [[m[0], m[1]], [m[2], m[3]]], data_format: 'channels_last' } };
    }
    case 'gaussianNoise':
      return { className: 'GaussianNoise', config: { stddev: decimal(c.stddev) } };
    case 'gaussianDropout':
      return { className: 'GaussianDropout', config: { rate: decimal(c.rate) } };
    case 'batchNormalization':
      return {
        className: 'BatchNormalization',
        config: {
          axis: c.axis, momentum: decimal(c.momentum), epsilon: decimal(c.epsilon), center: c.center, scale: c.scale,
          beta_initializer: initializerToKeras(c.betaInitializer), gamma_initializer: initializerToKeras(c.gammaInitializer),
          moving_mean_initializer: initializerToKeras(c.movingMeanInitializer), moving_variance_initializer: initializerToKeras(c.movingVarianceInitializer),
          beta_regularizer: null, gamma_regularizer: null, ...noConstraints('beta', 'gamma'),
        },
      };
    case 'layerNormalization':
      return {
        className: 'LayerNormalization',
        config: {
          axis: c.axis, epsilon: decimal(c.epsilon), center: c.center, scale: c.scale,
          beta_initializer: initializerToKeras(c.betaInitializer), gamma_initializer: initializerToKeras(c.gammaInitializer),
          beta_regularizer: null, gamma_regularizer: null,
        },
      };
    case 'reshape':
      return { className: 'Reshape', config: { target_shape: c.targetShape } };
    case 'concatenate':
      return { className: 'Concatenate', config: { axis: c.axis } };
    case 'add':
    case 'multiply':
    case 'average':
    case 'maximum':
    case 'minimum':
      return { className: classOf[type], config: {} };
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      return { className: classOf[type], config: recurrentToKeras(type, c, what) };
    case 'bidirectional': {
      const inner = String(c.layer);
      return {
        className: 'Bidirectional',
        config: {
          merge_mode: c.mergeMode,
          layer: { class_name: classOf[inner], config: { name: bidiInnerName ?? inner, trainable: c.trainable !== false, ...recurrentToKeras(inner, c, what) } },
        },
      };
    }
    case 'embedding':
      return {
        className: 'Embedding',
        config: {
          input_dim: c.inputDim, output_dim: c.outputDim, embeddings_initializer: initializerToKeras(c.embeddingsInitializer),
          embeddings_regularizer: regularizerToKeras(c.embeddingsRegularizer), activity_regularizer: null, embeddings_constraint: null,
          mask_zero: false, input_length: c.inputLength ?? null,
        },
      };
    case 'upSampling2d':
      return { className: 'UpSampling2D', config: { size: c.size ?? [2, 2], data_format: 'channels_last', interpolation: c.interpolation ?? 'nearest' } };
    case 'conv2dTranspose': {
      // TF.js's Conv2DTranspose config has no dilation_rate / output_padding (Keras's defaults).
      return {
        className: 'Conv2DTranspose',
        config: { filters: c.filters, kernel_size: c.kernelSize, strides: c.strides ?? [1, 1], padding: c.padding, data_format: 'channels_last', ...kernelLayer() },
      };
    }
    case 'gaussianSampling':
      return { className: 'GaussianSampling', config: { sample_at_inference: c.sampleAtInference ?? false, seed: c.seed ?? null } };
    case 'klDivergence':
      return { className: 'KlDivergence', config: { beta: decimal(c.beta ?? 1) } };
    default:
      throw new Error(`${what}: layer type ${quote(type)} has no TF.js layers-model equivalent yet`);
  }
}

/**
 * The Keras topology of an inspected nnplay model, as TF.js 4.22's model.toJSON() writes it.
 * `sequential` writes class 'Sequential' (the input's shape on the first layer as
 * batch_input_shape); otherwise a functional 'Model' with InputLayers and inbound_nodes.
 */
export function toKerasTopology(inspection: Inspection, name: string, sequential: boolean, where: string): Json {
  const layers: Json[] = [];
  const inputNames = new Set(inspection.inputs.map((i) => i.name));
  for (const l of inspection.layers) {
    const what = `layer "${l.name}" (${l.type})`;
    let converted: { className: string; config: Json };
    if (l.type === 'input') {
      if (sequential) continue;
      converted = { className: 'InputLayer', config: { batch_input_shape: [null, ...(l.config.shape as number[])], dtype: 'float32', sparse: false } };
    } else {
      // Bidirectional's variables are <layer>/forward_<inner>/<weight>: the wrapped layer is
      // named <inner> so that TF.js names its weights the same.
      const inner = l.type === 'bidirectional' ? /\/forward_([^/]+)\//.exec(l.variables[0]?.name ?? '')?.[1] : undefined;
      try {
        converted = layerToKeras(l.type, l.config, what, inner);
      } catch (err) {
        fail(where, err instanceof Error ? err.message : String(err));
      }
    }
    const config: Json = { ...converted.config, name: l.name, trainable: l.config.trainable !== false };
    if (l.type === 'input') delete config.trainable;
    if (sequential && layers.length === 0) {
      const input = inspection.inputs[0];
      config.batch_input_shape = [null, ...input.shape];
      config.dtype = 'float32';
    }
    if (sequential) {
      layers.push({ class_name: converted.className, config });
    } else {
      const inbound = l.type === 'input' ? [] : l.nodes.map((n) => n.inbound.map(([from, call, tensor]) => [from, call, tensor, {}]));
      layers.push({ name: l.name, class_name: converted.className, config, inbound_nodes: inbound });
    }
  }
  if (!sequential) {
    for (const n of inputNames) if (!inspection.layers.some((l) => l.name === n)) fail(where, `input "${n}" is not a layer of the model`);
  }
  const config: Json = sequential
    ? { name, layers }
    : {
        name,
        layers,
        input_layers: inspection.inputs.map((i) => [i.name, i.call, 0]),
        output_layers: inspection.outputs.map((o) => [o.name, o.call, o.tensor ?? 0]),
      };
  return { class_name: sequential ? 'Sequential' : 'Model', config, keras_version: `tfjs-layers ${TFJS_VERSION}`, backend: 'tensor_flow.js' };
}

// ---------------------------------------------------------------- weights: shards and specs

/** The bytes one weight takes. */
export function specBytes(spec: WeightSpec): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const per = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : spec.dtype === 'bool' ? 1 : NaN;
  return size * per;
}

/**
 * The weights of a manifest as float32 arrays by name. Checks every spec: float32 only (int32,
 * bool, quantized and string weights are refused by name), shapes, and that the data holds
 * exactly the bytes the specs need (a truncated shard is an error, never zeros).
 */
export function decodeWeights(specs: unknown, data: ArrayBuffer, where: string): Map<string, { shape: number[]; values: Float32Array; group?: string }> {
  if (!Array.isArray(specs)) fail(where, `weightSpecs must be an array of {name, shape, dtype}, got ${describe(specs)}`);
  const out = new Map<string, { shape: number[]; values: Float32Array; group?: string }>();
  let offset = 0;
  const needed = (specs as WeightSpec[]).reduce((s, w) => s + (w && Array.isArray(w.shape) && (w.dtype === 'float32' || w.dtype === 'int32') ? specBytes(w) : 0), 0);
  for (const [i, w] of (specs as unknown[]).entries()) {
    const o = w as Json;
    if (!o || typeof o !== 'object' || typeof o.name !== 'string') fail(where, `weightSpecs[${i}] must be {name, shape, dtype}, got ${describe(w)}`);
    const what = `weight "${o.name}"`;
    if (!Array.isArray(o.shape) || o.shape.some((d) => !Number.isInteger(d) || (d as number) < 0)) fail(where, `${what}: shape must be an array of integers >= 0, got ${describe(o.shape)}`);
    if (o.group === 'optimizer' && (o.dtype === 'float32' || o.dtype === 'int32')) {
      // TF.js includeOptimizer state: skipped (nnplay starts the optimizer fresh), but its bytes are counted.
      offset += specBytes(o as unknown as WeightSpec);
      if (offset > data.byteLength) fail(where, `the weight data holds ${data.byteLength} bytes but the manifest needs more: ${what} is missing (a shard is truncated or missing)`);
      continue;
    }
    if (o.quantization !== undefined && o.quantization !== null) fail(where, `${what} is quantized (${describe(o.quantization)}); nnplay reads float32 weights only (convert without --quantize_*)`);
    if (o.dtype !== 'float32') fail(where, `${what} has dtype ${JSON.stringify(o.dtype) ?? 'undefined'}; nnplay reads float32 weights only`);
    const bytes = specBytes(o as unknown as WeightSpec);
    if (offset + bytes > data.byteLength) {
      fail(where, `the weight data holds ${data.byteLength} bytes but the manifest needs ${needed}: ${what} (bytes ${offset}..${offset + bytes}) is missing (a shard is truncated or missing)`);
    }
    if (out.has(o.name as string)) fail(where, `the manifest has two weights named "${o.name}"`);
    const entry: { shape: number[]; values: Float32Array; group?: string } = { shape: [...(o.shape as number[])], values: new Float32Array(data.slice(offset, offset + bytes)) };
    if (typeof o.group === 'string') entry.group = o.group;
    out.set(o.name as string, entry);
    offset += bytes;
  }
  if (offset !== data.byteLength) fail(where, `the weight data holds ${data.byteLength} bytes but the manifest describes ${offset}; the shards do not match model.json`);
  return out;
}

// ---------------------------------------------------------------- loading: Keras config -> engine config

export interface GraphEntry {
  name: string;
  type: string;
  config: Json;
  inbound?: [string, number, number][][];
}
export interface LoadedTopology {
  name?: string;
  modelClass: 'Sequential' | 'LayersModel';
  layers: GraphEntry[];
  inputs: string[];
  outputs: [string, number, number][];
}

// Keys every Keras layer config may carry that say nothing nnplay needs.
const commonKeys = new Set(['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_size', 'input_shape', 'input_dim', 'batch_shape']);

/** Reads one Keras layer config; `take` marks keys used, `must` checks a key nnplay has no option for. */
class KerasConfig {
  readonly used = new Set<string>();
  constructor(
    readonly c: Json,
    readonly what: string,
  ) {}
  has(k: string): boolean {
    return this.c[k] !== undefined && this.c[k] !== null;
  }
  take(k: string): unknown {
    this.used.add(k);
    return this.c[k];
  }
  /** A key nnplay has no option for: only these values (or absent / null when nullOk) load. */
  must(k: string, allowed: unknown[], nullOk = true): void {
    this.used.add(k);
    const v = this.c[k];
    if (v === undefined || (nullOk && v === null)) return;
    if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(v))) {
      const text = JSON.stringify(v).slice(0, 120);
      if (allowed.length === 0) throw new Error(`${this.what}: ${k} ${text} is not supported; nnplay has no ${k} (it must be null)`);
      throw new Error(`${this.what}: ${k} ${text} is not supported; nnplay supports ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`);
    }
  }
  done(): void {
    const extra = Object.keys(this.c).filter((k) => !this.used.has(k) && !commonKeys.has(k));
    if (extra.length) throw new Error(`${this.what}: option${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} ${extra.length > 1 ? 'are' : 'is'} not supported by nnplay`);
  }
}

function pairOf(v: unknown, what: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]] as [number, number];
  throw new Error(`${what} must be a number or [a, b], got ${describe(v)}`);
}
function singleOf(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 1) return v[0] as number;
  throw new Error(`${what} must be a number or [n], got ${describe(v)}`);
}

function setIf(out: Json, k: string, v: unknown): void {
  if (v !== undefined && v !== null) out[k] = v;
}

function kernelPart(k: KerasConfig, out: Json): void {
  out.activation = activationFromKeras(k.take('activation'), `${k.what}: activation`);
  setIf(out, 'useBias', k.take('use_bias'));
  if (k.has('kernel_initializer')) out.kernelInitializer = initializerFromKeras(k.take('kernel_initializer'), `${k.what}: kernel_initializer`);
  if (k.has('bias_initializer')) out.biasInitializer = initializerFromKeras(k.take('bias_initializer'), `${k.what}: bias_initializer`);
  const reg = regularizerFromKeras(k.take('kernel_regularizer'), `${k.what}: kernel_regularizer`);
  if (reg) out.kernelRegularizer = reg;
  for (const n of ['bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']) k.must(n, []);
  k.must('data_format', ['channels_last']);
}

function recurrentFromKeras(cls: string, k: KerasConfig): Json {
  const out: Json = { units: k.take('units') };
  out.activation = activationFromKeras(k.take('activation') ?? 'tanh', `${k.what}: activation`);
  if (cls !== 'SimpleRNN') out.recurrentActivation = activationFromKeras(k.take('recurrent_activation') ?? 'hard_sigmoid', `${k.what}: recurrent_activation`);
  setIf(out, 'useBias', k.take('use_bias'));
  setIf(out, 'returnSequences', k.take('return_sequences'));
  setIf(out, 'goBackwards', k.take('go_backwards'));
  for (const [key, opt] of [['kernel_initializer', 'kernelInitializer'], ['recurrent_initializer', 'recurrentInitializer'], ['bias_initializer', 'biasInitializer']]) {
    if (k.has(key)) out[opt] = initializerFromKeras(k.take(key), `${k.what}: ${key}`);
  }
  for (const [key, opt] of [['kernel_regularizer', 'kernelRegularizer'], ['recurrent_regularizer', 'recurrentRegularizer'], ['bias_regularizer', 'biasRegularizer']]) {
    const r = regularizerFromKeras(k.take(key), `${k.what}: ${key}`);
    if (r) out[opt] = r;
  }
  if (cls === 'LSTM') setIf(out, 'unitForgetBias', k.take('unit_forget_bias'));
  if (cls === 'GRU') setIf(out, 'resetAfter', k.take('reset_after'));
  if (k.take('return_state') === true) out.returnState = true;
  k.must('stateful', [false]);
  k.must('unroll', [false]);
  // TF.js draws one input mask and one recurrent mask per sequence, shared by the gates
  // (its "implementation 2", whatever `implementation` says), as nnplay does.
  for (const [key, opt] of [['dropout', 'dropout'], ['recurrent_dropout', 'recurrentDropout']]) {
    const rate = k.take(key);
    if (rate === undefined || rate === null || rate === 0) continue;
    if (typeof rate !== 'number' || !(rate > 0 && rate < 1)) throw new Error(`${k.what}: ${key} ${JSON.stringify(rate)} is not supported; it must be a number in [0, 1)`);
    out[opt] = rate;
  }
  k.must('implementation', [0, 1, 2]);
  k.must('time_major', [false]);
  for (const n of ['activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint']) k.must(n, []);
  return out;
}

// Keras's class names of the global poolings (GlobalMaxPool2D is Keras's alias of GlobalMaxPooling2D).
const globalPoolingTypes: Record<string, string> = {
  GlobalAveragePooling2D: 'globalAveragePooling2d', GlobalAveragePooling1D: 'globalAveragePooling1d',
  GlobalMaxPooling2D: 'globalMaxPooling2d', GlobalMaxPooling1D: 'globalMaxPooling1d',
  GlobalMaxPool2D: 'globalMaxPooling2d', GlobalMaxPool1D: 'globalMaxPooling1d',
};

/** One Keras layer (class_name, config) -> the engine's layer type and config. */
function layerFromKeras(cls: string, raw: Json, what: string): { type: string; config: Json } {
  const k = new KerasConfig(raw, what);
  const out: Json = {};
  let type: string;
  switch (cls) {
    case 'Dense':
      type = 'dense';
      out.units = k.take('units');
      kernelPart(k, out);
      break;
    case 'Conv2D':
    case 'Conv1D': {
      type = cls === 'Conv2D' ? 'conv2d' : 'conv1d';
      out.filters = k.take('filters');
      const ks = k.take('kernel_size');
      const st = k.take('strides') ?? 1;
      out.kernelSize = type === 'conv2d' ? pairOf(ks, `${what}: kernel_size`) : singleOf(ks, `${what}: kernel_size`);
      out.strides = type === 'conv2d' ? pairOf(st, `${what}: strides`) : singleOf(st, `${what}: strides`);
      setIf(out, 'padding', k.take('padding'));
      k.must('dilation_rate', type === 'conv2d' ? [1, [1, 1]] : [1, [1]]);
      k.must('groups', [1]);
      kernelPart(k, out);
      break;
    }
    case 'Conv2DTranspose': {
      type = 'conv2dTranspose';
      out.filters = k.take('filters');
      out.kernelSize = pairOf(k.take('kernel_size'), `${what}: kernel_size`);
      out.strides = pairOf(k.take('strides') ?? 1, `${what}: strides`);
      setIf(out, 'padding', k.take('padding'));
      k.must('dilation_rate', [1, [1, 1]]);
      k.must('output_padding', []);
      kernelPart(k, out);
      break;
    }
    case 'UpSampling2D': {
      type = 'upSampling2d';
      out.size = pairOf(k.take('size') ?? 2, `${what}: size`);
      k.must('interpolation', ['nearest', 'bilinear']);
      if (k.c.interpolation === 'bilinear') out.interpolation = 'bilinear';
      k.must('data_format', ['channels_last']);
      break;
    }
    case 'GaussianSampling':
      type = 'gaussianSampling';
      setIf(out, 'sampleAtInference', k.take('sample_at_inference'));
      setIf(out, 'seed', k.take('seed'));
      break;
    case 'KlDivergence':
      type = 'klDivergence';
      setIf(out, 'beta', k.take('beta'));
      break;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      type = cls === 'MaxPooling2D' ? 'maxPooling2d' : 'averagePooling2d';
      out.poolSize = pairOf(k.take('pool_size') ?? 2, `${what}: pool_size`);
      if (k.has('strides')) out.strides = pairOf(k.take('strides'), `${what}: strides`);
      setIf(out, 'padding', k.take('padding'));
      k.must('data_format', ['channels_last']);
      break;
    case 'RepeatVector':
      type = 'repeatVector';
      out.n = k.take('n');
      break;
    case 'MaxPooling1D':
    case 'MaxPool1D':
    case 'AveragePooling1D':
    case 'AvgPool1D':
      type = cls.startsWith('Max') ? 'maxPooling1d' : 'averagePooling1d';
      out.poolSize = singleOf(k.take('pool_size') ?? 2, `${what}: pool_size`);
      if (k.has('strides') && k.c.strides !== null) out.strides = singleOf(k.take('strides'), `${what}: strides`);
      else k.take('strides');
      setIf(out, 'padding', k.take('padding'));
      k.must('data_format', ['channels_last']);
      break;
    case 'Flatten':
      type = 'flatten';
      k.must('data_format', ['channels_last']);
      break;
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPool2D':
    case 'GlobalMaxPool1D':
      type = globalPoolingTypes[cls];
      k.must('data_format', ['channels_last']);
      k.must('keepdims', [false]);
      break;
    case 'Activation':
      type = 'activation';
      out.activation = activationFromKeras(k.take('activation'), `${what}: activation`);
      break;
    case 'ReLU':
      type = 'activation';
      k.must('negative_slope', [0]);
      k.must('threshold', [0]);
      k.used.add('max_value');
      if (k.c.max_value === 6) out.activation = 'relu6';
      else if (k.c.max_value === null || k.c.max_value === undefined) out.activation = 'relu';
      else throw new Error(`${what}: max_value ${describe(k.c.max_value)} is not supported; nnplay supports null (relu) or 6 (relu6)`);
      break;
    case 'LeakyReLU':
      type = 'activation';
      out.activation = 'leakyRelu';
      out.alpha = k.take('alpha') ?? k.take('negative_slope') ?? 0.3;
      k.used.add('negative_slope');
      break;
    case 'ELU':
      type = 'activation';
      out.activation = 'elu';
      out.alpha = k.take('alpha') ?? 1;
      break;
    case 'Softmax':
      type = 'activation';
      out.activation = 'softmax';
      k.must('axis', [-1]);
      break;
    case 'Permute':
      type = 'permute';
      out.dims = k.take('dims');
      break;
    case 'ZeroPadding2D':
    case 'Cropping2D': {
      const key = cls === 'ZeroPadding2D' ? 'padding' : 'cropping';
      type = cls === 'ZeroPadding2D' ? 'zeroPadding2d' : 'cropping2D';
      const v = k.take(key) ?? (cls === 'ZeroPadding2D' ? 1 : 0);
      const flat = typeof v === 'number' ? [v, v, v, v] : Array.isArray(v) && v.every((x) => typeof x === 'number') ? [v[0], v[0], v[1], v[1]] : (v as number[][]).flat();
      if (flat.length !== 4 || !flat.every((x) => Number.isInteger(x) && x >= 0)) throw new Error(`${what}: ${key} ${JSON.stringify(v)} is not n, [rows, columns] or [[top, bottom], [left, right]]`);
      out[key] = flat;
      k.must('data_format', ['channels_last']);
      break;
    }
    case 'GaussianNoise':
      type = 'gaussianNoise';
      out.stddev = k.take('stddev');
      k.take('seed'); // Keras 3 writes a seed; nnplay's noise comes from the model's stream
      break;
    case 'GaussianDropout':
      type = 'gaussianDropout';
      out.rate = k.take('rate');
      k.take('seed');
      break;
    case 'Dropout':
      type = 'dropout';
      out.rate = k.take('rate');
      setIf(out, 'noiseShape', k.take('noise_shape'));
      setIf(out, 'seed', k.take('seed'));
      break;
    case 'BatchNormalization':
    case 'LayerNormalization': {
      type = cls === 'BatchNormalization' ? 'batchNormalization' : 'layerNormalization';
      const axis = k.take('axis');
      const ax = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
      // -1, or the last axis counted from the batch (Keras 2 writes 3 for NHWC images): the
      // caller checks a positive axis against the input's rank once the engine has the shapes.
      if (ax !== undefined && ax !== -1) {
        if (!Number.isInteger(ax) || (ax as number) < 1) throw new Error(`${what}: axis ${JSON.stringify(axis)} is not supported; nnplay normalizes the last axis only (-1)`);
        out.__lastAxis = ax;
      }
      for (const n of type === 'batchNormalization' ? ['momentum', 'epsilon', 'center', 'scale'] : ['epsilon', 'center', 'scale']) setIf(out, n, k.take(n));
      for (const n of ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer']) {
        if (k.has(n)) out[camelCase(n)] = initializerFromKeras(k.take(n), `${what}: ${n}`);
      }
      for (const n of ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint']) k.must(n, []);
      k.must('synchronized', [false]);
      k.must('rms_scaling', [false]); // Keras 3's LayerNormalization option
      break;
    }
    case 'Reshape':
      type = 'reshape';
      out.targetShape = k.take('target_shape');
      break;
    case 'Concatenate':
      type = 'concatenate';
      setIf(out, 'axis', k.take('axis'));
      break;
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      type = cls.toLowerCase(); // add, multiply, average, maximum, minimum
      break;
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      type = cls === 'SimpleRNN' ? 'simpleRNN' : cls.toLowerCase();
      Object.assign(out, recurrentFromKeras(cls, k));
      break;
    case 'Bidirectional': {
      type = 'bidirectional';
      setIf(out, 'mergeMode', k.take('merge_mode'));
      const inner = k.take('layer') as Json | undefined;
      const innerCls = String(inner?.class_name ?? '');
      if (!['SimpleRNN', 'LSTM', 'GRU'].includes(innerCls)) throw new Error(`${what}: the wrapped layer ${quote(innerCls)} is not supported; nnplay wraps SimpleRNN, LSTM or GRU`);
      const ik = new KerasConfig((inner!.config ?? {}) as Json, `${what} (wrapped ${innerCls})`);
      Object.assign(out, recurrentFromKeras(innerCls, ik), { layer: innerCls === 'SimpleRNN' ? 'simpleRNN' : innerCls.toLowerCase() });
      if (out.returnState) throw new Error(`${what}: return_state true on the wrapped ${innerCls} is not supported (a bidirectional layer returns one tensor in nnplay)`);
      ik.done();
      k.must('backward_layer', []);
      break;
    }
    case 'Embedding': {
      type = 'embedding';
      out.inputDim = k.take('input_dim');
      out.outputDim = k.take('output_dim');
      const len = k.take('input_length');
      const ln = Array.isArray(len) ? len[0] : len;
      if (ln !== null && ln !== undefined) out.inputLength = ln;
      if (k.has('embeddings_initializer')) out.embeddingsInitializer = initializerFromKeras(k.take('embeddings_initializer'), `${what}: embeddings_initializer`);
      const r = regularizerFromKeras(k.take('embeddings_regularizer'), `${what}: embeddings_regularizer`);
      if (r) out.embeddingsRegularizer = r;
      k.must('mask_zero', [false]);
      k.must('activity_regularizer', []);
      k.must('embeddings_constraint', []);
      k.must('sparse', [false]);
      break;
    }
    default: {
      const have = Object.values(classOf).filter((c) => c !== 'InputLayer');
      throw new Error(`${what}: layer class ${quote(cls)} is not supported by nnplay; supported: ${[...have, 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'InputLayer'].join(', ')}`);
    }
  }
  k.done();
  if (raw.trainable === false) out.trainable = false;
  return { type, config: out };
}

/** A per-sample shape from batch_input_shape / batch_shape / input_shape: fixed sizes only. */
function sampleShape(c: Json, what: string): number[] | undefined {
  let shape: unknown;
  if (Array.isArray(c.batch_input_shape)) shape = (c.batch_input_shape as unknown[]).slice(1);
  else if (Array.isArray(c.batch_shape)) shape = (c.batch_shape as unknown[]).slice(1);
  else if (Array.isArray(c.input_shape)) shape = c.input_shape;
  else if (typeof c.input_dim === 'number' && c.input_length === undefined) shape = [c.input_dim];
  if (shape === undefined) return undefined;
  const dims = shape as unknown[];
  if (dims.some((d) => !Number.isInteger(d) || (d as number) < 1)) {
    throw new Error(`${what}: input shape ${describe(shape)} has a dimension that is not a fixed size; nnplay needs a fixed shape per sample (e.g. [28, 28, 1], or [steps] for an embedding)`);
  }
  return dims as number[];
}

/** Embedding in a Sequential: Keras writes batch_input_shape [null, steps] (or input_length). */
function firstShape(cls: string, c: Json, what: string): number[] | undefined {
  const s = sampleShape(c, what);
  if (s) return s;
  if (cls === 'Embedding' && c.input_length !== undefined && c.input_length !== null) return [Array.isArray(c.input_length) ? c.input_length[0] : c.input_length] as number[];
  return undefined;
}

/**
 * A TF.js / Keras modelTopology -> nnplay's v2 graph (layers with the engine's configs, inbound
 * calls, inputs, outputs). Throws `nnplay: <where>: layer "x" (Class): ...` for anything nnplay
 * does not have.
 */
export function fromKerasTopology(topologyIn: unknown, where: string): LoadedTopology {
  let topology = topologyIn as Json;
  if (!topology || typeof topology !== 'object') fail(where, `modelTopology must be an object, got ${describe(topologyIn)}`);
  if ('model_config' in topology) topology = topology.model_config as Json; // Keras h5 converted: {model_config, training_config}
  if (!topology || typeof topology !== 'object') fail(where, `modelTopology.model_config must be an object`);
  const cls = topology.class_name;
  const version = String(topology.keras_version ?? '');
  if (/^3\./.test(version)) fail(where, `keras_version ${version} (Keras 3) files are not supported yet; nnplay reads TF.js and Keras 2.x layers models`);
  const config = (topology.config ?? {}) as Json;
  const wrap = (err: unknown): never => fail(where, (err instanceof Error ? err.message : String(err)).replace(/^nnplay: [^:]*: /, ''));
  if (cls === 'Sequential') {
    const list = (Array.isArray(config) ? config : config.layers) as Json[] | undefined;
    if (!Array.isArray(list) || list.length === 0) fail(where, 'a Sequential topology needs config.layers, a non-empty list');
    const layers: GraphEntry[] = [];
    let inputShape: number[] | undefined;
    let prev = 'input';
    for (const [i, l] of list.entries()) {
      const lc = (l.config ?? {}) as Json;
      const lname = typeof lc.name === 'string' ? lc.name : `layer_${i + 1}`;
      const what = `layer "${lname}" (${String(l.class_name)})`;
      try {
        if (l.class_name === 'InputLayer') {
          if (i !== 0) throw new Error(`${what}: an InputLayer must be the first layer of a Sequential`);
          inputShape = sampleShape(lc, what);
          continue;
        }
        if (inputShape === undefined) {
          inputShape = firstShape(String(l.class_name), lc, what);
          if (inputShape === undefined) throw new Error(`${what}: the first layer needs batch_input_shape (the model was saved before it was built?)`);
        }
        const { type, config: c } = layerFromKeras(String(l.class_name), lc, what);
        if (lname === 'input') throw new Error(`${what}: the name "input" is nnplay's input layer; rename the layer`);
        layers.push({ name: lname, type, config: c, inbound: [[[prev, 0, 0]]] });
        prev = lname;
      } catch (err) {
        wrap(err);
      }
    }
    if (layers.length === 0) fail(where, 'the Sequential has no layers besides its input');
    return {
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
      modelClass: 'Sequential',
      layers: [{ name: 'input', type: 'input', config: { shape: inputShape! } }, ...layers],
      inputs: ['input'],
      outputs: [[prev, 0, 0]],
    };
  }
  if (cls !== 'Model' && cls !== 'Functional') fail(where, `modelTopology.class_name must be 'Sequential', 'Model' or 'Functional', got ${describe(cls)}`);
  const list = config.layers as Json[] | undefined;
  if (!Array.isArray(list) || list.length === 0) fail(where, 'a functional topology needs config.layers, a non-empty list');
  const layers: GraphEntry[] = [];
  for (const l of list) {
    const lname = String(l.name ?? (l.config as Json | undefined)?.name);
    const lcls = String(l.class_name);
    const what = `layer "${lname}" (${lcls})`;
    try {
      const lc = (l.config ?? {}) as Json;
      if (lcls === 'InputLayer') {
        const shape = sampleShape(lc, what);
        if (!shape) throw new Error(`${what}: needs batch_input_shape`);
        layers.push({ name: lname, type: 'input', config: { shape } });
        continue;
      }
      const { type, config: c } = layerFromKeras(lcls, lc, what);
      const nodes = l.inbound_nodes;
      if (!Array.isArray(nodes)) throw new Error(`${what}: inbound_nodes must be a list of calls`);
      const inbound = nodes.map((node: unknown) => {
        if (!Array.isArray(node)) throw new Error(`${what}: inbound_nodes in the Keras 3 form (${describe(node)}) are not supported; nnplay reads [[layer, node, tensor, kwargs], ...]`);
        return node.map((ref: unknown) => {
          if (!Array.isArray(ref) || typeof ref[0] !== 'string') throw new Error(`${what}: an inbound reference must be [layer, node, tensor, kwargs], got ${describe(ref)}`);
          const tensor = ref[2] ?? 0;
          if (!Number.isInteger(tensor) || (tensor as number) < 0) throw new Error(`${what}: the tensor index of ${describe(ref)} must be an integer >= 0`);
          if (ref[3] && typeof ref[3] === 'object' && Object.keys(ref[3] as object).length > 0) {
            throw new Error(`${what}: call arguments ${describe(ref[3])} are not supported`);
          }
          // Tensor k > 0 exists only on a layer with several outputs (returnState); the engine says which.
          return [ref[0], (ref[1] as number) ?? 0, tensor as number] as [string, number, number];
        });
      });
      layers.push({ name: lname, type, config: c, inbound });
    } catch (err) {
      wrap(err);
    }
  }
  const refs = (v: unknown, what: string): [string, number, number][] => {
    const arr = Array.isArray(v) && typeof v[0] === 'string' ? [v] : (v as unknown[]);
    if (!Array.isArray(arr)) fail(where, `config.${what} must be a list of [layer, node, tensor]`);
    return arr.map((r) => {
      const ref = r as unknown[];
      const tensor = ref[2] ?? 0;
      if (!Number.isInteger(tensor) || (tensor as number) < 0) fail(where, `config.${what}: the tensor index of ${describe(ref)} must be an integer >= 0`);
      return [String(ref[0]), Number(ref[1] ?? 0), tensor as number];
    });
  };
  const inputs = refs(config.input_layers, 'input_layers').map(([n]) => n);
  return {
    ...(typeof config.name === 'string' ? { name: config.name } : {}),
    modelClass: 'LayersModel',
    layers,
    inputs,
    outputs: refs(config.output_layers, 'output_layers'),
  };
}

/**
 * Finds the manifest weight for each weight the engine expects, by name: exact, or as TF.js
 * matches Keras files (TF 2.2+ writes `<layer>/<cell>/<weight>`: the cell segment is dropped).
 */
export function matchWeights(
  expected: { name: string; shape: number[] }[],
  given: Map<string, { shape: number[]; values: Float32Array; group?: string }>,
  where: string,
): { name: string; shape: number[]; data: Float32Array }[] {
  const byName = new Map<string, string>();
  for (const [n, w] of given) {
    if (w.group === 'optimizer') continue;
    const clean = n.replace(/:0$/, '');
    byName.set(clean, n);
    const parts = clean.split('/');
    if (parts.length >= 3) {
      const short = [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
      if (!byName.has(short)) byName.set(short, n);
    }
  }
  const used = new Set<string>();
  const out = expected.map((e) => {
    const key = byName.get(e.name);
    if (key === undefined) {
      fail(where, `the weights have no "${e.name}" (shape [${e.shape.join(',')}]); the manifest has: ${[...given.keys()].slice(0, 20).join(', ')}`);
    }
    const w = given.get(key)!;
    if (w.shape.length !== e.shape.length || w.shape.some((d, i) => d !== e.shape[i])) {
      fail(where, `weight "${key}" has shape [${w.shape.join(',')}], the layer needs [${e.shape.join(',')}]`);
    }
    used.add(key);
    return { name: e.name, shape: e.shape, data: w.values };
  });
  // The optimizer's state (TF.js includeOptimizer) is not loaded: training starts it fresh.
  const extra = [...given.keys()].filter((n) => !used.has(n) && given.get(n)!.group !== 'optimizer');
  if (extra.length) fail(where, `the weights ${extra.slice(0, 10).map((n) => `"${n}"`).join(', ')} belong to no layer of the model`);
  return out;
}

// nnplay: the public library API (the npm package entry), TensorFlow.js Layers / Keras shaped.
//
//   import * as nn from 'nnplay';
//   await nn.ready();
//   const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
//                                          nn.layers.dense({ units: 1, activation: 'sigmoid' })], seed: 42 });
//   model.compile({ optimizer: nn.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
//   const history = await model.fit(xs, ys, { epochs: 50 });
//
// The math runs in the C++ engine compiled to WebAssembly; see docs/API.md for the reference.
import { input } from './layers';
import { l1, l1l2, l2 } from './regularizers';
import { listModels, modelFromJSON, removeModel } from './io';
import { downloadsHandler, fileHandler, fromMemory, httpHandler, indexedDBHandler, localStorageHandler, withSaveHandler } from './io-handlers';
import { fashionMnist, mnist } from './datasets';
import { adding, counting, mnistRows, parity, sine, sumOfSines, text } from './sequence-datasets';
import { points, tabular } from './lesson-data';

export { ready } from './engine-url';
/** TF.js's backend calls, answered for nnplay's one engine (backend.ts). */
export { setBackend, getBackend, backend, setThreadsCount, getThreadsCount } from './backend';
/** A minimal tf.data (data.ts, data-csv.ts): datasets of {xs, ys} batches for model.fitDataset(). */
export * as data from './data-namespace';
export type { CSVConfig, ColumnConfig, CSVRow, CSVValue } from './data-csv';
export { Dataset, LazyIterator } from './data';
export type { FitDatasetArgs } from './fit-dataset';
export type { YieldEvery } from './yield-every';
export type { ClassWeight, ClassWeightArg } from './class-weight';
export { memory, isReady } from './memory';
export type { MemoryInfo } from './memory';
export { Tensor, tensor, tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d, scalar, print } from './tensor';
export { TensorBuffer, buffer } from './tensor-buffer';
export type { Shape, NestedArray, TensorLike, TensorInput, DataType, DataTypeMap, DataArray } from './tensor';
// Tensor ops (TF.js's core ops), as plain functions; each is also a chained Tensor method.
export { tidy, dispose, keep } from './ops/lifetime';
export { cast, neg, abs, sqrt, square, exp, log, log1p, sigmoid, tanh, relu, add, sub, mul, div, floorDiv, pow, minimum, maximum, squaredDifference } from './ops/elementwise';
export { equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, logicalNot, where, clipByValue } from './ops/elementwise';
export { sum, mean, min, max, prod, argMax, argMin, moments, norm, logSumExp, softmax, topk } from './ops/reduce';
// More TF.js ops (ops/math.ts), as plain functions only, so an app that does not call them does not load them.
export { sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, floor, ceil, round, sign, reciprocal, rsqrt, expm1 } from './ops/math';
export { softplus, logSigmoid, elu, selu, leakyRelu, step, erf, isNaN, isFinite, isInf, mod, atan2, divNoNan, logicalXor, cumsum, cumprod, reverse, all, any, logSoftmax } from './ops/math';
export { gatherND, scatterND, tensorScatterUpdate, unsortedSegmentSum, bincount, denseBincount, searchSorted, lowerBound, upperBound, meshgrid, whereAsync, booleanMaskAsync, setdiff1dAsync } from './ops/indexing';
export { addN, outerProduct, diag, euclideanNorm, prelu, dropout, unique } from './ops/math';
export { clone, reshape, expandDims, squeeze, slice, gather, concat, stack, unstack, split, tile, pad, mirrorPad, depthToSpace, ensureShape, transpose, broadcastTo } from './ops/shape';
export { matMul, dot } from './ops/matmul';
export { zeros, ones, zerosLike, onesLike, fill, range, linspace, eye, oneHot } from './ops/create';
export { rand, randomUniform, randomUniformInt, randomNormal, randomStandardNormal, truncatedNormal, multinomial } from './ops/random';
export { Variable, variable } from './ops/variable';
export type { ModelWeight } from './ops/model-weights';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './ops/grads';
export { customGrad } from './ops/custom-grad';
export type { SaveFunc, CustomGradResult } from './ops/custom-grad';
/** TF.js's tf.util helpers that tutorials use (a namespace module: unused ones are dropped by a bundler). */
export * as util from './tfjs-util';
/** TF.js's tf.browser: images to tensors and back. */
export * as browser from './browser-pixels';
/** TF.js's tf.image: resizes, flips and colour conversions (a namespace module, dropped when unused). */
export * as image from './ops/image';
/** TF.js's tf.math: confusionMatrix (a namespace module, dropped when unused). */
export * as math from './ops/confusion-matrix';
export { nextFrame, time } from './timing';
export type { TimingInfo } from './timing';
export type { PixelData } from './browser-pixels';
export { disposeVariables } from './ops/variable';
export { concat1d, concat2d, concat3d, concat4d, slice1d, slice2d, slice3d, slice4d, pad1d, pad2d, pad3d, pad4d, reverse1d, reverse2d, reverse3d, reverse4d, relu6 } from './ops/aliases';
export { LayersModel, Sequential, sequential, model, lossNames, metricNames } from './model';
/** Loss and metric functions on tensors (TF.js: tf.losses, tf.metrics). */
export { losses, metrics, Reduction } from './losses';
export type { ModelArgs, LossArg } from './model';
export { input };
export { SymbolicTensor } from './symbolic';
export { engineTables } from './engine-tables';
export type { EngineTables, Inspection } from './engine-tables';
export type { CompileArgs, FitArgs, Callbacks, History, SequentialArgs, LossName, MetricName } from './model';
export type { Logs } from './training-session';
/** The one training session under every path (fit(), the fit worker, the playground worker). */
export { TrainingSession, SessionError, trainingSession, stepMagnitudes } from './training-session';
export type { SessionErrorKind, NodeInfo, StateInfo, NodePayload, WeightsView, WeightEntry, DatasetSource, ImageSource, EpochOptions, EpochResult } from './training-session';
export {
  Layer,
  Dense,
  Conv2D,
  MaxPooling2D,
  Flatten,
  Dropout,
  BatchNormalization,
  ActivationLayer,
  Reshape,
  Concatenate,
  Add,
  Multiply,
  Average,
  Maximum,
  Minimum,
  AveragePooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  GaussianNoise,
  GaussianDropout,
  ZeroPadding2D,
  Cropping2D,
  Permute,
  LayerNormalization,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  Embedding,
  Conv1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
  AveragePooling1D,
  RepeatVector,
  UpSampling2D,
  Conv2DTranspose,
  GaussianSampling,
  KlDivergence,
  InputLayer,
  activations,
  kernelInitializers,
  biasInitializers,
  paddings,
  mergeModes,
  layerTypes,
} from './layers';
export type {
  DenseLayerArgs,
  Conv2DLayerArgs,
  MaxPooling2DLayerArgs,
  FlattenLayerArgs,
  DropoutLayerArgs,
  BatchNormalizationLayerArgs,
  ActivationLayerArgs,
  ReshapeLayerArgs,
  ConcatenateLayerArgs,
  AveragePooling2DLayerArgs,
  Pooling1DLayerArgs,
  ImageMarginArg,
  LayerNormalizationLayerArgs,
  SimpleRNNLayerArgs,
  LSTMLayerArgs,
  GRULayerArgs,
  BidirectionalLayerArgs,
  MergeMode,
  EmbeddingLayerArgs,
  Conv1DLayerArgs,
  UpSampling2DLayerArgs,
  Conv2DTransposeLayerArgs,
  GaussianSamplingLayerArgs,
  KlDivergenceLayerArgs,
  InputLayerArgs,
  Activation,
  KernelInitializer,
  BiasInitializer,
  Padding,
  LayerType,
  LayerSpec,
} from './layers';
export { Optimizer, LearningRateSchedule, optimizerNames } from './optimizers';
/** Initializer factories (TF.js: tf.initializers), e.g. nn.initializers.varianceScaling({scale: 2}). */
export { initializers, Initializer } from './initializers';
export type { OptimizerConfig, OptimizerName, ScheduleConfig } from './optimizers';
export { Regularizer } from './regularizers';
export { setFitWorker } from './fit-worker-client';
export type { FitWorkerOption } from './fit-worker-client';
export type { FitWorkerLike, MessagePortLike } from './fit-worker-protocol';
/** Serves the fit protocol on a port: for apps that create the fit worker themselves. */
export { serveFitWorker } from './fit-worker-host';

/** Layer factories (TF.js: tf.layers): a module namespace (layer-factories.ts says why). */
export * as layers from './layer-factories.js';

/** Data sets, bundled and offline (docs/API.md, Data sets): images (MNIST, Fashion-MNIST) and
 *  sequences (seeded tasks, MNIST rows, character-level text), and the lessons' 2-D / 1-D point
 *  sets (the engine's playground generator) and a 3-input regression table. */
export const datasets = { mnist, fashionMnist, sine, sumOfSines, adding, parity, counting, mnistRows, text, points, tabular };
export type { PointDataset, PointSplit, PointOptions, TabularDataset, TabularOptions, RegressionReport, ClassificationReport, ClassReport, LossSurface, LossSurfaceOptions } from './lesson-data';
/** The lessons' read-outs: R² / RMSE / MAE of a regression, a classifier's confusion matrix with
 *  per-class precision / recall / F1, and the MSE landscape of a line over (w, b). */
export { regressionReport, classificationReport, linearLossSurface } from './lesson-data';
export type { ImageDataset, ImageSplit, DatasetOptions, FashionMnistOptions, DatasetName } from './datasets';
export type { SequenceDataset, SequenceSplit, SequenceTaskOptions, SineOptions, BitsOptions, TextOptions, TextDataset, SampleOptions, NextCharModel } from './sequence-datasets';
export { sampleIndex } from './sequence-datasets';

export { callbacks, Callback, EarlyStopping } from './callbacks';
export type { EarlyStoppingArgs } from './callbacks';
/** Optimizer factories (TF.js: tf.train): a module namespace (train.ts). */
export * as train from './train.js';

/** Kernel regularizer factories (TF.js: tf.regularizers). */
export const regularizers = { l1, l2, l1l2 };

/** Models from saved JSON (TF.js: tf.models). fromJSON is synchronous; needs nn.ready(). */
export const models = { fromJSON: (json: unknown) => modelFromJSON(json) };

/** Saved-model housekeeping for 'localstorage://' (TF.js: tf.io.listModels / removeModel). */
export const io = { listModels, removeModel, withSaveHandler, fromMemory, browserLocalStorage: localStorageHandler, indexedDB: indexedDBHandler, browserDownloads: downloadsHandler, http: httpHandler, fileSystem: fileHandler };
export type { IOHandler, SaveOptions } from './io-handlers';
export type { ModelArtifacts, WeightSpec, ModelJSONFile } from './tfjs-format';
export { loadLayersModel } from './io';
/** The model as Keras / PyTorch / TF.js source plus its weights file (docs/API.md, Exporting code). */
export { exportCode, codeTargets, WEIGHTS_FORMAT } from './code-export-lazy';
export type { CodeTarget, ExportCodeOptions, ExportedCode } from './code-export';
export type { SaveResult } from './io';
/** A drawing made to look like an MNIST sample (bounding box, 20 px, centre of mass); no engine needed. */
export { preprocessDigit, DIGIT_SIZE, DIGIT_BOX } from './image-preprocess';
export type { DigitOptions } from './image-preprocess';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model-json';
/** Checks a model file completely without building it (needs no engine): see docs/API.md. */
export { parseModelJSON } from './model-json';
export type { ParsedModel, NamedWeights } from './model-json';
export type { ModelJSON, ModelJSONv1, GraphJSON, LayerJSON, DenseLayerJSON, Conv2DLayerJSON, MaxPooling2DLayerJSON, FlattenLayerJSON, WeightJSON, CompileJSON } from './model-json';

export const version = '0.1.0';

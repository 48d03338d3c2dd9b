// nn.layers: the layer factories (TF.js: tf.layers), with TF.js's other names for some.
//
// Why a module of its own, re-exported by index.ts as a namespace (`export * as layers`) and
// emitted as dist/lib/layer-factories.js: an app's bundler drops the factories (and their layer
// classes) that the app never names when `nn.layers` is a module namespace it can see through,
// which an object literal of all the factories is not. See web/lib/vite.config.ts.
export {
  dense,
  conv2d,
  maxPooling2d,
  flatten,
  dropout,
  batchNormalization,
  activation,
  reshape,
  concatenate,
  add,
  averagePooling2d,
  globalAveragePooling2d,
  simpleRNN,
  lstm,
  gru,
  bidirectional,
  embedding,
  conv1d,
  globalAveragePooling1d,
  upSampling2d,
  conv2dTranspose,
  gaussianSampling,
  klDivergence,
  inputLayer,
  input,
  maxPooling2d as maxPool2d,
  averagePooling2d as avgPool2d,
  averagePooling2d as avgPooling2d,
} from './layers';

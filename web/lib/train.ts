// nn.train: the optimizer and learning-rate schedule factories (TF.js: tf.train). A module of
// its own, re-exported by index.ts as a namespace, for the reason layer-factories.ts gives: an
// app's bundler keeps only the optimizers the app names.
export { sgd, momentum, adam, rmsprop, adagrad, adadelta, adamax, exponentialDecay, cosineDecay, stepDecay } from './optimizers';

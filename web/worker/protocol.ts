// The typed message protocol between the playground page and its training worker.
//
// What it is: the only vocabulary the two threads share. The page sends a whole setup
// (`configure`) and small live actions; the worker answers with the generated points once per
// setup and with snapshots at display rate. Big arrays (points, heatmaps, neuron outputs,
// weights) travel as transferred ArrayBuffers, so posting them costs no copy on the page side.
//
// What it is not: a model API. The page never does model math; everything numeric that it
// draws arrives here already computed by the engine.

import type { ModelJSONv1 as ModelJSON, NamedWeights } from '../lib/model-json';
import type { NodePayload } from '../lib/training-session';

export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'reg-plane' | 'reg-gauss';
export type FeatureName = 'x1' | 'x2' | 'x1Squared' | 'x2Squared' | 'x1x2' | 'sinX1' | 'sinX2';
export type ActivationName = 'tanh' | 'relu' | 'sigmoid' | 'linear' | 'leakyRelu' | 'elu';
export type RegularizationName = 'none' | 'L1' | 'L2';
export type ProblemType = 'classification' | 'regression';

export const CLASSIFICATION_DATASETS: readonly DatasetName[] = ['circle', 'xor', 'gauss', 'spiral'];
export const REGRESSION_DATASETS: readonly DatasetName[] = ['reg-plane', 'reg-gauss'];
export const ALL_DATASETS: readonly DatasetName[] = [...CLASSIFICATION_DATASETS, ...REGRESSION_DATASETS];
export const ALL_FEATURES: readonly FeatureName[] = ['x1', 'x2', 'x1Squared', 'x2Squared', 'x1x2', 'sinX1', 'sinX2'];
export const ALL_ACTIVATIONS: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid', 'linear', 'leakyRelu', 'elu'];

/** Everything the worker needs to generate data and build a fresh model. */
export interface TrainingSetup {
  dataset: DatasetName;
  problem: ProblemType;
  noise: number; // 0..50
  trainRatio: number; // 10..90 (percent of points used for training)
  seed: number; // data generation and weight initialisation
  features: FeatureName[]; // at least one
  hiddenLayers: number[]; // 0..8 layers of 1..16 neurons
  activation: ActivationName;
  learningRate: number;
  regularization: RegularizationName;
  regularizationRate: number;
  batchSize: number;
  gridSize: number; // heatmap resolution per side (>= 100)
}

/** Page -> worker. */
export type ToWorker =
  // `generation` numbers each new model; replies carry it so the page can drop stale ones.
  | { type: 'configure'; setup: TrainingSetup; generation: number } // new data + new model, paused
  | { type: 'reset'; generation: number } // new model from the current setup (same data), paused
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' } // one epoch, then a snapshot
  | { type: 'setLearningRate'; learningRate: number } // live, keeps optimizer state
  | { type: 'setRegularization'; regularization: RegularizationName; rate: number } // live
  | { type: 'setBatchSize'; batchSize: number } // live
  | { type: 'setSpeed'; epochsPerSecond: number } // 0 = as fast as the worker can
  | { type: 'thumbnails'; numPoints: number } // one small point cloud per dataset
  | { type: 'checkpoint' } // post a checkpoint of the current model now
  // Liveness (client.ts): answered with 'pong' at once, even while the engine loads, so a
  // worker that crashed, hangs or was terminated is noticed by the missing reply.
  | { type: 'ping'; id: number }
  // Restore a saved model into the current one (same setup): weights in Keras order, checked
  // against the engine model's names and shapes; epoch/steps continue the saved run's count.
  | { type: 'setWeights'; generation: number; weights: NamedWeights[]; epoch: number; steps: number }
  // Edit one weight (a link's kernel entry or a neuron's bias) of dense layer `layer`, as the
  // snapshot's kernels/biases index it; the worker pauses, then posts a snapshot and a checkpoint.
  | { type: 'setWeight'; generation: number; layer: number; part: 'kernel' | 'bias'; index: number; value: number };

/**
 * The current model in the library's file format (web/lib/model-json.ts), so a model
 * trained on the page loads in the library. Posted about once a second while training, and
 * at once on pause, step, restore and on request.
 */
export interface Checkpoint {
  generation: number;
  epoch: number;
  steps: number;
  model: ModelJSON;
}

/** Points of one dataset for drawing: coordinates [n, 2] and labels/targets [n]. */
export interface PointCloud {
  dataset: DatasetName;
  points: Float32Array;
  labels: Float32Array;
}

/** Worker -> page. */
export type FromWorker =
  | { type: 'ready'; simd: boolean }
  | {
      // One small point cloud per dataset, and every input feature (ALL_FEATURES order)
      // evaluated on the thumbnail grid [thumbSize²], for the network's input nodes.
      type: 'thumbnails';
      clouds: PointCloud[];
      thumbSize: number;
      featureMaps: Float32Array[];
    }
  | {
      // After `configure`: the generated points, train first, then test.
      type: 'data';
      generation: number;
      points: Float32Array;
      labels: Float32Array;
      numTrain: number;
      numTest: number;
    }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  | { type: 'pong'; id: number }
  | { type: 'error'; message: string; diverged: boolean };

export interface Snapshot {
  generation: number;
  epoch: number; // completed epochs, fractional while mid-epoch
  steps: number; // mini-batches trained since the model was built
  trainLoss: number;
  testLoss: number;
  playing: boolean;
  gridSize: number;
  /** Model output on the grid [gridSize²], row-major from (x1=-6, x2=+6) top-left. */
  output: Float32Array;
  thumbSize: number;
  /** Per layer (hidden layers, then the output layer), per neuron: output on the thumb grid. */
  neurons: Float32Array[][];
  /** Per dense layer: kernel [inputs, units] row-major, and bias [units]. */
  kernels: Float32Array[];
  biases: Float32Array[];
}

/**
 * What the worker actually posts for a snapshot: metrics plus node payloads
 * {name, type, shape, values}, every buffer transferred. New views (feature maps, latent
 * spaces, hidden states) add payloads, not protocol. PlaygroundClient turns it into the
 * `Snapshot` above for pages written against that shape (toSnapshot).
 */
export interface NodeSnapshot {
  generation: number;
  epoch: number;
  steps: number;
  trainLoss: number;
  testLoss: number;
  playing: boolean;
  gridSize: number;
  thumbSize: number;
  /** The output node on the heatmap grid: shape [gridSize², outputs]. */
  output: NodePayload;
  /** Every node (layer) on the thumbnail grid: shape [thumbSize², units]. */
  nodes: NodePayload[];
  /** Every weight, Keras order: type 'weight', e.g. dense_1/kernel [inputs, units]. */
  weights: NodePayload[];
}

/** Worker -> client: FromWorker, except that snapshots arrive as node payloads. */
export type FromWorkerRaw = Exclude<FromWorker, { type: 'snapshot' }> | { type: 'nodes'; snapshot: NodeSnapshot };

/** Column `col` of a [rows, width] payload. */
function column(values: Float32Array, width: number, col: number): Float32Array {
  const rows = values.length / width;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = values[r * width + col];
  return out;
}

/** The per-neuron / per-layer Snapshot a page draws, from the node payloads. */
export function toSnapshot(s: NodeSnapshot): Snapshot {
  const neurons = s.nodes.map((node) => {
    const units = node.shape.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: units }, (_, u) => column(node.values, units, u));
  });
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (const w of s.weights) (w.name.endsWith('/bias') ? biases : kernels).push(w.values);
  const { generation, epoch, steps, trainLoss, testLoss, playing, gridSize, thumbSize } = s;
  return { generation, epoch, steps, trainLoss, testLoss, playing, gridSize, thumbSize, output: s.output.values, neurons, kernels, biases };
}

/** Half-width of the square the points and the grid live in: coordinates in [-6, 6]. */
export const DOMAIN = 6;

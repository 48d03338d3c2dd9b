// What a playground setup means, as data: the network and compile spec it describes, the
// points and grids it generates (by the engine's Playground), and the checks a restored model
// must pass. Pure functions over a TrainingSetup; the driver (playground-worker.ts) decides when
// they run. Not a model API: the math is the engine's.
import type { NnplayModule, WasmPlayground } from '../lib/engine-module';
import type { CompileJSON, DenseLayerJSON, NamedWeights } from '../lib/model-json';
import type { WeightEntry } from '../lib/training-session';
import type { PointCloud, TrainingSetup } from './protocol';
import { ALL_DATASETS, ALL_FEATURES } from './protocol';

/** Resolution of neuron and feature thumbnails per side (sampled from the heatmap grid). */
export const THUMB_SIZE = 50;
// TensorFlow Playground's sample counts.
const NUM_POINTS_CLASSIFY = 500;
const NUM_POINTS_REGRESS = 1200;

/** The generated data of one setup, kept in JS so each new model's session can load it. */
export interface SetupData {
  features: number;
  numTrain: number;
  numTest: number;
  train: { x: Float32Array; y: Float32Array };
  test: { x: Float32Array; y: Float32Array };
  grid: Float32Array; // [gridSize², features]
  thumbs: Float32Array; // [THUMB_SIZE², features]: the grid rows at thumbnail cell centres
  points: Float32Array; // [numTrain + numTest, 2], for drawing
  labels: Float32Array; // [numTrain + numTest]
}

function copyFloats(engine: NnplayModule, ptr: number, count: number): Float32Array {
  const start = ptr >>> 2;
  return engine.HEAPF32.slice(start, start + count);
}

function configure(pg: WasmPlayground, config: object): void {
  const error = pg.configure(JSON.stringify(config));
  if (error) throw new Error(error);
}

/** Rows of a [gridSize², width] block at THUMB_SIZE² cell centres (a thumbnail's samples). */
function thumbRows(values: Float32Array, gridSize: number, width: number): Float32Array {
  const out = new Float32Array(THUMB_SIZE * THUMB_SIZE * width);
  for (let i = 0; i < THUMB_SIZE; i++) {
    const gi = Math.floor(((i + 0.5) * gridSize) / THUMB_SIZE);
    for (let j = 0; j < THUMB_SIZE; j++) {
      const gj = Math.floor(((j + 0.5) * gridSize) / THUMB_SIZE);
      const from = (gi * gridSize + gj) * width;
      out.set(values.subarray(from, from + width), (i * THUMB_SIZE + j) * width);
    }
  }
  return out;
}

/** Generates a setup's points, split, features and grids (an error leaves `pg` as it was). */
export function generateData(engine: NnplayModule, pg: WasmPlayground, setup: TrainingSetup): SetupData {
  const numPoints = setup.problem === 'classification' ? NUM_POINTS_CLASSIFY : NUM_POINTS_REGRESS;
  configure(pg, { dataset: setup.dataset, numPoints, noise: setup.noise, trainRatio: setup.trainRatio, seed: setup.seed, features: setup.features, gridSize: setup.gridSize });
  const f = setup.features.length;
  const numTrain = pg.numTrain();
  const numTest = pg.numTest();
  const grid = copyFloats(engine, pg.gridXPtr(), setup.gridSize * setup.gridSize * f);
  return {
    features: f,
    numTrain,
    numTest,
    train: { x: copyFloats(engine, pg.trainXPtr(), numTrain * f), y: copyFloats(engine, pg.trainYPtr(), numTrain) },
    test: { x: copyFloats(engine, pg.testXPtr(), numTest * f), y: copyFloats(engine, pg.testYPtr(), numTest) },
    grid,
    thumbs: thumbRows(grid, setup.gridSize, f),
    points: copyFloats(engine, pg.pointsPtr(), (numTrain + numTest) * 2),
    labels: copyFloats(engine, pg.labelsPtr(), numTrain + numTest),
  };
}

/** One small point cloud per dataset, and every input feature on the thumbnail grid. */
export function thumbnails(engine: NnplayModule, numPoints: number): { clouds: PointCloud[]; featureMaps: Float32Array[] } {
  const pg = new engine.Playground();
  try {
    const clouds: PointCloud[] = [];
    for (const dataset of ALL_DATASETS) {
      configure(pg, { dataset, numPoints: Math.max(20, numPoints), noise: 0, trainRatio: 50, seed: 7, features: ['x1', 'x2'], gridSize: 100 });
      const n = pg.numTrain() + pg.numTest();
      clouds.push({ dataset, points: copyFloats(engine, pg.pointsPtr(), n * 2), labels: copyFloats(engine, pg.labelsPtr(), n) });
    }
    // Every feature on the grid, at thumbnail resolution: the engine defines the features.
    configure(pg, { dataset: 'circle', numPoints: 20, seed: 1, features: ALL_FEATURES, gridSize: THUMB_SIZE });
    const f = ALL_FEATURES.length;
    const x = copyFloats(engine, pg.gridXPtr(), THUMB_SIZE * THUMB_SIZE * f);
    const featureMaps = ALL_FEATURES.map((_, c) => Float32Array.from({ length: THUMB_SIZE * THUMB_SIZE }, (_, r) => x[r * f + c]));
    return { clouds, featureMaps };
  } finally {
    pg.delete();
  }
}

export function regularizer(s: TrainingSetup): { l1: number; l2: number } {
  return {
    l1: s.regularization === 'L1' ? s.regularizationRate : 0,
    l2: s.regularization === 'L2' ? s.regularizationRate : 0,
  };
}

/** The network a setup describes, as full layer specs (also what checkpoints record). */
export function layerSpecs(s: TrainingSetup): DenseLayerJSON[] {
  const kernelRegularizer = regularizer(s);
  const layer = (units: number, activation: DenseLayerJSON['activation']): DenseLayerJSON => ({
    type: 'dense',
    units,
    activation,
    useBias: true,
    kernelInitializer: 'glorotUniform',
    biasInitializer: 'zeros',
    kernelRegularizer: { ...kernelRegularizer },
  });
  return [...s.hiddenLayers.map((units) => layer(units, s.activation)), layer(1, s.problem === 'classification' ? 'sigmoid' : 'linear')];
}

export function compileSpec(s: TrainingSetup): CompileJSON {
  const classify = s.problem === 'classification';
  return {
    optimizer: { name: 'sgd', learningRate: s.learningRate },
    loss: classify ? 'binaryCrossentropy' : 'meanSquaredError',
    metrics: classify ? ['accuracy'] : ['mse'],
  };
}

export function modelSpecJson(s: TrainingSetup): string {
  return JSON.stringify({ inputShape: [s.features.length], seed: s.seed, layers: layerSpecs(s) });
}

/**
 * Checks a saved model's weights against this network's table before anything is written
 * (names, shapes, types; sizes and finiteness are the session's own checks), in the words the
 * page shows.
 */
export function checkRestore(table: readonly WeightEntry[], weights: NamedWeights[], epoch: number, steps: number): void {
  const list = table.map((w) => `${w.name} [${w.shape.join(',')}]`).join(', ');
  if (!Array.isArray(weights) || weights.length !== table.length) {
    throw new Error(`Could not restore the weights: this network has ${table.length} weight tensors (${list}), the saved model has ${weights?.length ?? 0}.`);
  }
  weights.forEach((w, i) => {
    const c = table[i];
    if (w.name !== c.name || w.shape.length !== c.shape.length || w.shape.some((d, j) => d !== c.shape[j])) {
      throw new Error(`Could not restore the weights: tensor ${i} is ${w.name} [${w.shape.join(',')}], this network expects ${c.name} [${c.shape.join(',')}].`);
    }
    if (!(w.values instanceof Float32Array)) throw new Error(`Could not restore the weights: ${c.name} needs ${c.size} float32 values.`);
  });
  if (!Number.isFinite(epoch) || epoch < 0 || !Number.isInteger(steps) || steps < 0) {
    throw new Error(`Could not restore the weights: epoch ${epoch} / steps ${steps} must be numbers >= 0.`);
  }
}

// A model's weights as variables (TF.js LayerVariable: model.trainableWeights, layer.weights),
// so optimizer.minimize() and variableGrads() train them next to nn.variable()s.
//
// Why a mirror and not a copy: the weights live in the engine (fit trains them there, several
// models may share them). A ModelWeight is a Variable whose values are read from the engine
// whenever any session's weights moved since it last looked (training-session.ts counts every
// change), and whose assign() writes into the engine, so the next apply/predict/fit sees it.
// One ModelWeight per layer weight, shared by every model holding the layer (an encoder cut out
// of an autoencoder trains the same variables), read and written through the latest live model
// holding it, as layer.getWeights() is. The mirrors count in memory().numTensors as TF.js's model
// weights do, from the first time they are asked for until the last model holding them is
// disposed.
import type { DataArray, TensorInput } from '../tensor';
import { Tensor } from '../tensor';
import { type TrainingSession, weightsChanges } from '../training-session';
import { Variable, uniqueVariableName } from './variable';
import { fail } from './util';

/** Where a weight lives now: a session holding it, its index in that session's table, and how
 *  to write it (through the model, whose checks and fit-worker copy follow). */
export interface WeightHome {
  session: TrainingSession;
  index: number;
  write(values: Float32Array): void;
}

export class ModelWeight extends Variable {
  /** The engine's name, '<layer>/<weight>' (TF.js LayerVariable.originalName). */
  readonly originalName: string;
  readonly #home: () => WeightHome;
  #session: TrainingSession | null = null;
  #changes = -1;
  #quiet = false;

  /** @internal model.ts makes them (model.trainableWeights, model.apply). */
  constructor(originalName: string, shape: number[], trainable: boolean, home: () => WeightHome) {
    const initial = new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, 'float32', true);
    try {
      super(initial, trainable, uniqueVariableName(originalName));
    } finally {
      initial.dispose();
    }
    this.originalName = originalName;
    this.#home = home;
  }

  get [Symbol.toStringTag](): string {
    return 'LayerVariable';
  }

  /** The values as the engine has them now. */
  override raw(): DataArray {
    if (!this.#quiet && !this.isDisposed) this.#refresh();
    return super.raw();
  }

  #refresh(): void {
    const home = this.#home();
    const changes = weightsChanges();
    if (home.session === this.#session && changes === this.#changes) return;
    const values = home.session.weightValues(home.index);
    this.#session = home.session;
    this.#changes = changes;
    this.#quietly(() => this.replaceValues(values));
  }

  #quietly(fn: () => void): void {
    this.#quiet = true;
    try {
      fn();
    } finally {
      this.#quiet = false;
    }
  }

  /** Replaces the weight in the engine (shape and dtype as before; finite values only). */
  override assign(newValue: TensorInput): void {
    if (this.isDisposed) fail('assign', `weight ${this.originalName}: its models were disposed`);
    const home = this.#home();
    this.#quietly(() => super.assign(newValue));
    try {
      home.write(super.raw() as Float32Array);
    } finally {
      this.#changes = -1; // read back from the engine next time (also when the write was refused)
    }
  }

  /** TF.js LayerVariable.read(): the variable itself (for varList). */
  read(): Variable {
    return this;
  }

  /** TF.js LayerVariable.write(): assign and return the weight. */
  write(newValue: TensorInput): this {
    this.assign(newValue);
    return this;
  }
}

// Per layer, its weights' mirrors by engine name.
const mirrors = new WeakMap<object, Map<string, ModelWeight>>();

/** @internal model.ts: the ModelWeight of one of a layer's weights (made on first use). */
export function weightOf(layer: object, originalName: string, shape: number[], trainable: boolean, home: () => WeightHome): ModelWeight {
  let byName = mirrors.get(layer);
  if (!byName) mirrors.set(layer, (byName = new Map()));
  let w = byName.get(originalName);
  if (!w || w.isDisposed || w.shape.join() !== shape.join()) {
    w?.dispose();
    w = new ModelWeight(originalName, shape, trainable, home);
    byName.set(originalName, w);
  }
  w.trainable = trainable;
  return w;
}

/** @internal model.ts: a layer's mirrors are disposed with the last live model holding it. */
export function releaseWeights(layer: object): void {
  for (const w of mirrors.get(layer)?.values() ?? []) w.dispose();
  mirrors.delete(layer);
}

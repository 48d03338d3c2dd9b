// Callbacks as TF.js's `tf.callbacks` makes them: objects fit() calls at the start and end of
// training and of every epoch. A plain object of functions ({onEpochEnd}) is a callback too;
// a Callback subclass also gets the model (setModel) so it can stop training.
//
// earlyStopping's restoreBestWeights (Keras's; TF.js 4.22 refuses it): the callback copies the
// model's weights (getWeights) at the end of every epoch that improves the monitor and puts them
// back (setWeights) when training ends. When fit() trains in the fit worker the main-thread model
// receives each epoch's weights before onEpochEnd runs, so the copy is of that epoch there too;
// the restored weights reach the worker's replica with the next fit() (setWeights marks them).
import { describe } from './describe';
import type { Tensor } from './tensor';
import type { Logs } from './training-session';

/** What a callback may reach of the model it trains: TF.js's `model.stopTraining`, and its
 *  weights (for earlyStopping's restoreBestWeights). */
export interface StoppableModel {
  stopTraining: boolean;
  getWeights?(): Tensor[];
  setWeights?(weights: Tensor[]): void;
}

/** The base of library-made callbacks: fit() hands it the model before training starts. */
export abstract class Callback {
  protected model: StoppableModel | null = null;
  setModel(model: StoppableModel): void {
    this.model = model;
  }
}

export interface EarlyStoppingArgs {
  /** The log to watch (default 'val_loss'; 'loss', 'acc', 'val_acc', … as fit() logs them). */
  monitor?: string;
  /** A change smaller than this is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before training stops (default 0). */
  patience?: number;
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto' (default): 'max' for a monitor containing "acc", else 'min'. */
  mode?: 'auto' | 'min' | 'max';
  /** Training stops unless the monitor beats this within `patience` epochs. */
  baseline?: number;
  /**
   * Keras's option (TF.js 4.22 refuses it): when training ends, the model's weights are those of
   * the epoch with the best monitored value (Keras 3's rule: whether or not training stopped
   * early; nothing is restored when no epoch beat the baseline). Default false.
   */
  restoreBestWeights?: boolean;
}

const EARLY_STOPPING_KEYS = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights'];

function fail(message: string): never {
  throw new Error(`nnplay: callbacks.earlyStopping(): ${message}`);
}

/** Stops fit() when the monitored log has stopped improving, with TF.js's rules. */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  #wait = 0;
  #best = Infinity;
  #stoppedEpoch = 0;
  #bestEpoch = -1;
  #bestWeights: Tensor[] | null = null;
  #restoredEpoch = -1;
  #warned = false;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    if (args === null || typeof args !== 'object') fail(`takes an options object like {monitor: 'val_loss', patience: 3}, got ${describe(args)}`);
    for (const k of Object.keys(args)) if (!EARLY_STOPPING_KEYS.includes(k)) fail(`unknown option "${k}"; allowed: ${EARLY_STOPPING_KEYS.join(', ')}`);
    const { monitor = 'val_loss', minDelta = 0, patience = 0, verbose = 0, mode = 'auto', baseline, restoreBestWeights = false } = args;
    if (typeof monitor !== 'string' || monitor === '') fail(`monitor must be a log name such as 'val_loss', got ${describe(monitor)}`);
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) fail(`minDelta must be a finite number, got ${describe(minDelta)}`);
    if (!Number.isInteger(patience) || patience < 0) fail(`patience must be a whole number of epochs from 0, got ${describe(patience)}`);
    if (verbose !== 0 && verbose !== 1) fail(`verbose must be 0 or 1, got ${describe(verbose)}`);
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') fail(`mode must be 'auto', 'min' or 'max', got ${describe(mode)}`);
    if (baseline !== undefined && (typeof baseline !== 'number' || !Number.isFinite(baseline))) fail(`baseline must be a finite number, got ${describe(baseline)}`);
    if (typeof restoreBestWeights !== 'boolean') fail(`restoreBestWeights must be true or false, got ${describe(restoreBestWeights)}`);
    this.restoreBestWeights = restoreBestWeights;
    this.monitor = monitor;
    this.patience = patience;
    this.verbose = verbose;
    this.baseline = baseline;
    this.mode = mode === 'auto' ? (monitor.includes('acc') ? 'max' : 'min') : mode;
    // As TF.js: the delta counts against the improvement in the monitor's direction.
    this.minDelta = Math.abs(minDelta) * (this.mode === 'max' ? 1 : -1);
  }

  #improved(current: number): boolean {
    return this.mode === 'max' ? current - this.minDelta > this.#best : current - this.minDelta < this.#best;
  }

  /** The epoch (0-based, as fit() counts) whose monitored value was the best of the last fit(); -1 if none improved. */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  /** The best monitored value of the last fit() (the baseline or ±Infinity if none beat it). */
  get best(): number {
    return this.#best;
  }

  /** The epoch after which the last fit() was stopped; 0 if it ran to its end (TF.js's stoppedEpoch). */
  get stoppedEpoch(): number {
    return this.#stoppedEpoch;
  }

  /** The epoch whose weights the last fit() ended with by restoreBestWeights; -1 if none were restored. */
  get restoredEpoch(): number {
    return this.#restoredEpoch;
  }

  onTrainBegin(): void {
    this.#wait = 0;
    this.#stoppedEpoch = 0;
    this.#bestEpoch = -1;
    this.#restoredEpoch = -1;
    this.#dropBest();
    this.#best = this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
    if (this.restoreBestWeights && (typeof this.model?.getWeights !== 'function' || typeof this.model?.setWeights !== 'function')) {
      fail('restoreBestWeights needs a model with getWeights() and setWeights(); pass the callback to a model\'s fit()');
    }
  }

  #dropBest(): void {
    for (const t of this.#bestWeights ?? []) t.dispose();
    this.#bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (typeof current !== 'number') {
      if (!this.#warned) console.warn(`nnplay: earlyStopping watches "${this.monitor}", which fit() does not log; the logs are ${Object.keys(logs).join(', ')}`);
      this.#warned = true;
      return;
    }
    if (this.#improved(current)) {
      this.#best = current;
      this.#bestEpoch = epoch;
      this.#wait = 0;
      if (this.restoreBestWeights && this.model?.getWeights) {
        this.#dropBest();
        this.#bestWeights = this.model.getWeights();
      }
      return;
    }
    this.#wait++;
    if (this.#wait >= this.patience && this.model) {
      this.#stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.#stoppedEpoch > 0 && this.verbose === 1) console.log(`Epoch ${this.#stoppedEpoch}: early stopping.`);
    if (this.#bestWeights && this.model?.setWeights) {
      if (this.verbose === 1) console.log(`Restoring model weights from the end of the best epoch: ${this.#bestEpoch + 1}.`);
      try {
        this.model.setWeights(this.#bestWeights);
        this.#restoredEpoch = this.#bestEpoch;
      } finally {
        this.#dropBest();
      }
    }
  }
}

/** tf.callbacks: the callbacks the library makes. */
export const callbacks = {
  earlyStopping: (args?: EarlyStoppingArgs) => new EarlyStopping(args),
};

// What the Images and Sequences modes share on the page (ImagesApp, SequencesApp extend it),
// beyond what every mode shares (ModeApp, mode-app.ts: the root and its parts, the id prefix,
// the state source, the worker, the message): a storage key under which the setup is also kept
// in localStorage;
// the training controls (train / pause / step / reset, the epoch counter and progress bar, the
// time per epoch); the polite status line (aria-live); a lost or crashed worker restarted with
// the model it last kept; and the kept-model store (model-store.ts): the worker's checkpoint
// after each epoch and on pause is this setup's model, restored on reload, on switching back to
// the setup and after a lost worker, and forgotten by Reset.
//
// A mode keeps only what differs: its controls and views, its data, and the model it builds
// (the build message, the build key), through the abstract members below. It finds its
// elements within its root and removes every listener and its worker in dispose().
import type { ModeClient } from '../worker/mode-client';
import type { ModeEvaluation, TrainingControlMessage, TrainingReportMessage } from '../worker/mode-protocol';
import { emit } from './app-events';
import { LossChart } from './loss-chart';
import { ModeApp, fillSelect, sentence } from './mode-app';
import type { ModeAppOptions, ParsedModeHash } from './mode-app';
import { ModelStore } from './model-store';
import type { StoredModel } from './model-store';
import { checkRate } from './number-check';
import type { RateLimits } from './number-check';

export { fillSelect, sentence } from './mode-app';
export type { ParsedModeHash } from './mode-app';

/** The id prefix's default is '' when free, else 'nnplay-<mode>-2-', …. */
export interface TrainingModeOptions extends ModeAppOptions {
  /** localStorage key under which the setup is kept. Default: none. */
  storageKey?: string | null;
}

/** The parts every training mode's markup has (the base finds and drives them). */
export const TRAINING_PART_NAMES = [
  'train-button', 'reset-button', 'epoch', 'epoch-progress', 'epoch-time', 'optimizer', 'learning-rate', 'batch-size',
  'epochs', 'message', 'message-text', 'message-close', 'data-status', 'data-progress', 'train-loss', 'test-loss',
  'train-accuracy', 'test-accuracy', 'loss-chart', 'accuracy-chart', 'engine-info', 'announcer',
] as const;
export type TrainingPartName = (typeof TRAINING_PART_NAMES)[number];

/** The settings every mode's state has (the base reads them). */
export interface TrainingSettings {
  optimizer: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
}

/** What a mode tells the base about itself. */
export interface TrainingModeConfig<State, Hideable, Part extends string, To extends { type: string }, From extends { type: string }> {
  mode: 'images' | 'sequences';
  /** The class name in error messages, e.g. 'ImagesApp'. */
  appName: string;
  /** Every part of the mode's markup (the training parts among them). */
  partNames: readonly Part[];
  createMarkup(doc: Document, idPrefix: string): DocumentFragment;
  parse(text: string): ParsedModeHash<State, Hideable>;
  /** With `hidden`, the link's text; without, what localStorage keeps. */
  serialize(state: State, hidden?: Set<Hideable>): string;
  startClient(onMessage: (m: From) => void, onLost: (reason: string) => void): ModeClient<To, From>;
  chartWidth: number;
  learningRate: RateLimits;
  /** What Train restarts a lost worker with, before "and <the model>", e.g. 'your settings'. */
  restartsWith: string;
}

/** When the status line speaks: after an epoch (at most every ANNOUNCE_MS), on pause, at the end. */
export type AnnounceWhen = 'training' | 'paused' | 'done';

type ReadyMessage = { type: 'ready'; simd: boolean; threads?: number; optimizers: { name: string; learningRate: number }[] };

// The polite status line speaks after an epoch at most this often (epochs of a small task come
// many a second), and at once on pause and when training ends.
const ANNOUNCE_MS = 5000;

export abstract class TrainingModeApp<
  State extends TrainingSettings,
  Hideable extends string,
  Part extends string,
  To extends { type: string },
  From extends { type: string },
> extends ModeApp<State, Hideable, Part | TrainingPartName, To, From> {
  protected readonly lossChart: LossChart;
  protected readonly accuracyChart: LossChart;
  protected readonly models: ModelStore;

  // Engine facts (from the worker's 'ready').
  protected optimizers: { name: string; learningRate: number }[] = [];

  protected builtKey = ''; // what the current model was built from
  protected _training = false;
  protected progressEpoch = 0;
  protected epochTarget = 0;
  protected completedEpochs = 0;
  // The current model's latest checkpoint, and whether this generation trained or was restored
  // (a stored model found after the user pressed Train is not applied over their training).
  protected checkpoint: StoredModel | null = null;
  protected generationTouched = false;
  protected _restoredEpoch: number | null = null;

  readonly #config: TrainingModeConfig<State, Hideable, Part, To, From>;
  readonly #storageKey: string | null;
  #trainWhenBuilt = false; // Train pressed while the worker was lost: train once rebuilt
  #lastAnnounce = -Infinity;

  protected constructor(root: HTMLElement, options: TrainingModeOptions, config: TrainingModeConfig<State, Hideable, Part, To, From>) {
    const storageKey = options.storageKey ?? null;
    super(root, options, {
      mode: config.mode,
      appName: config.appName,
      partNames: [...new Set([...config.partNames, ...TRAINING_PART_NAMES])],
      idStem: `nnplay-${config.mode}-`,
      createMarkup: config.createMarkup,
      parse: (text) => config.parse(text),
      serialize: (state, hidden) => config.serialize(state, hidden),
      initial: (parsed) => keptSetup(parsed, storageKey, config.parse),
      startClient: config.startClient,
    });
    this.#config = config;
    this.#storageKey = storageKey;
    this.models = new ModelStore(storageKey, config.mode);
    const chart = (container: HTMLElement, options: ConstructorParameters<typeof LossChart>[3]) => new LossChart(container, config.chartWidth, 160, options);
    this.lossChart = chart(this.ui['loss-chart'], { spanGaps: true });
    this.accuracyChart = chart(this.ui['accuracy-chart'], { yLabel: 'accuracy', yRange: [0, 1], format: (v) => `${(v * 100).toFixed(2)}%` });
  }

  // ---------------------------------------------------------------- what a mode provides

  /** The controls show the state (a bad value typed is put back). */
  protected abstract syncControls(): void;
  /** What the current model is built from: a kept model belongs to this key. */
  protected abstract buildKey(): string;
  /** A new model (new generation); unless `fresh` (Reset), the one kept for this setup is restored into it. */
  protected abstract build(fresh?: boolean): void;
  /** Whether training can start now (data loaded, the model fits); says why not where the user can fix it. */
  protected abstract checkTrainable(): boolean;
  /** Whether the Train button can start training (no message). */
  protected abstract trainable(): boolean;
  /** A new worker has no data: ask for it again (then the model is built and Train follows). */
  protected abstract reloadData(): void;
  /** The status line's words for `when`, from the latest evaluation. */
  protected abstract announcement(when: AnnounceWhen): string;
  /** The mode's own worker messages (and 'evaluation': see acceptEvaluation). */
  protected abstract handleMessage(m: From): void;
  /** The worker could not load the data. */
  protected abstract dataFailed(message: string): void;
  /** A look at one sample failed (the model is fine). */
  protected abstract lookFailed(message: string): void;
  /** The engine is ready: the mode's engine facts (optimizers are filled in already). */
  protected engineReady(_m: From): void {}
  /** Training progress arrived (the base has updated the position and the loss curve). */
  protected abstract progressed(m: Extract<TrainingReportMessage, { type: 'progress' }>): void;
  /** The kept model's curves into the charts. */
  protected restoreCurves(kept: StoredModel): void {
    this.lossChart.restore(kept.losses);
    this.accuracyChart.restore(kept.accuracy);
  }
  // ---------------------------------------------------------------- public (automation hooks)

  get training(): boolean {
    return this._training;
  }

  /** The epoch of the current model's latest checkpoint (null before one). */
  get checkpointEpoch(): number | null {
    return this.checkpoint?.epoch ?? null;
  }

  /** The epoch the current model was restored at (from storage or after a lost worker), else null. */
  get restoredEpoch(): number | null {
    return this._restoredEpoch;
  }

  /** The loss chart's points (epoch, train, test), for tests and automation. */
  get lossHistory(): StoredModel['losses'] {
    return this.lossChart.history();
  }

  /** Resolves when the models kept so far are written to storage (for tests and automation). */
  whenStored(): Promise<void> {
    return this.models.flushed();
  }

  train(): void {
    if (!this._disposed) this.setTraining(true);
  }

  pause(): void {
    if (!this._disposed) this.setTraining(false);
  }

  /** Trains to the end of the epoch under way (or the next one), then pauses: the Step button. */
  step(): void {
    if (this._disposed) return;
    this.epochTarget = Math.floor(this.progressEpoch + 1e-9) + 1;
    this.sendControl({ type: 'setEpochs', epochs: this.epochTarget });
    this.setTraining(true);
  }

  /** A fresh model of this setup, as the Reset button does: its kept model is forgotten. */
  reset(): void {
    if (this._disposed) return;
    this.clearMessage();
    void this.models.delete(this.buildKey());
    this.build(true);
  }

  override dispose(): void {
    if (this._disposed) return;
    super.dispose();
    this.lossChart.dispose();
    this.accuracyChart.dispose();
  }

  // ---------------------------------------------------------------- storage

  /** The setup is also kept under the storage key (without its hide options), for the next visit. */
  protected override sourceWritten(): void {
    if (this.#storageKey === null) return;
    try {
      localStorage.setItem(this.#storageKey, this.#config.serialize(this._state));
    } catch {
      // Storage full or unavailable: the link still holds the setup.
    }
  }

  // ---------------------------------------------------------------- controls

  protected fillOptimizers(): void {
    const names = this.optimizers.length ? this.optimizers.map((o) => o.name) : [this._state.optimizer];
    if (!names.includes(this._state.optimizer)) names.push(this._state.optimizer);
    fillSelect(this.el('optimizer'), names);
    this.el<HTMLSelectElement>('optimizer').value = this._state.optimizer;
  }

  /** The settings every mode has into their controls (a mode's syncControls calls it). */
  protected syncTrainingControls(): void {
    const s = this._state;
    this.fillOptimizers();
    this.el<HTMLInputElement>('learning-rate').value = String(s.learningRate);
    this.el<HTMLInputElement>('batch-size').value = String(s.batchSize);
    this.el<HTMLInputElement>('epochs').value = String(s.epochs);
  }

  /** The optimizer chosen in its select, with the engine's default learning rate for it. */
  protected takeChosenOptimizer(): void {
    const name = this.el<HTMLSelectElement>('optimizer').value;
    this._state.optimizer = name;
    const row = this.optimizers.find((o) => o.name === name);
    if (row && Number.isFinite(row.learningRate)) this._state.learningRate = row.learningRate;
    this.syncControls();
  }

  /** The controls every mode has: learning rate (live), Train / Pause, Reset, the message's close. */
  protected listenTrainingControls(settingsChanged: () => void = () => {}): void {
    this.on('learning-rate', 'change', () => {
      const input = this.el<HTMLInputElement>('learning-rate');
      const checked = checkRate(input.value, this.#config.learningRate);
      if ('error' in checked) {
        this.showMessage(`Learning rate ${input.value}: ${checked.error}; kept ${this._state.learningRate}.`);
        this.syncControls();
        return;
      }
      this._state.learningRate = checked.value;
      this.sendControl({ type: 'setLearningRate', learningRate: checked.value });
      this.writeSource();
      settingsChanged();
    });
    this.on('train-button', 'click', () => this.setTraining(!this._training));
    this.on('reset-button', 'click', () => this.reset());
    this.on('message-close', 'click', () => this.clearMessage());
  }

  protected sendControl(m: TrainingControlMessage): void {
    this.client.send(m as unknown as To);
  }

  // ---------------------------------------------------------------- data

  /** The data status while `label` loads: an indeterminate bar until bytes arrive. */
  protected showLoading(label: string): void {
    this.ui['data-status'].textContent = `Loading ${label}…`;
    const bar = this.el<HTMLProgressElement>('data-progress');
    bar.hidden = false;
    bar.removeAttribute('value');
  }

  /** Bytes of the data loaded so far (total 0: unknown, the bar stays indeterminate). */
  protected showLoadProgress(loaded: number, total: number): void {
    const bar = this.el<HTMLProgressElement>('data-progress');
    if (total > 0) {
      bar.max = total;
      bar.value = loaded;
    }
  }

  // ---------------------------------------------------------------- the model and its keeping

  /** A new generation's position and kept-model bookkeeping start again (a mode's build calls it first). */
  protected beginGeneration(): void {
    this._generation++;
    this.builtKey = this.buildKey();
    this.checkpoint = null;
    this.generationTouched = false;
    this._restoredEpoch = null;
    this.completedEpochs = 0;
    this.progressEpoch = 0;
    this.epochTarget = this._state.epochs;
    this.lossChart.clear();
    this.accuracyChart.clear();
    for (const id of ['train-loss', 'test-loss', 'train-accuracy', 'test-accuracy'] as const) this.ui[id].textContent = '–';
    this.ui['epoch-time'].textContent = '';
  }

  /** The model kept for this setup into the generation just built, unless training began first. */
  protected async restoreKept(generation: number, key: string): Promise<void> {
    const kept = await this.models.get(key);
    if (!kept || this._disposed || generation !== this._generation || this.generationTouched) return;
    this.generationTouched = true;
    this.checkpoint = kept;
    this._restoredEpoch = kept.epoch;
    this.completedEpochs = kept.epoch;
    this.progressEpoch = kept.epoch;
    if (kept.epoch >= this.epochTarget) this.epochTarget = kept.epoch;
    this.restoreCurves(kept);
    this.sendControl({ type: 'restore', generation, weights: kept.weights.slice(), epoch: kept.epoch, stepInEpoch: kept.stepInEpoch });
    this.ui.announcer.textContent = `Restored the model trained for ${kept.epoch} epoch${kept.epoch === 1 ? '' : 's'}.`;
  }

  /** A worker checkpoint becomes this setup's kept model (with the curves so far). */
  #keep(c: Extract<TrainingReportMessage, { type: 'checkpoint' }>['checkpoint']): void {
    const model: StoredModel = {
      key: this.builtKey,
      epoch: c.epoch,
      stepInEpoch: c.stepInEpoch,
      weights: c.weights,
      losses: this.lossChart.history(),
      accuracy: this.accuracyChart.history(),
      savedAt: new Date().toISOString(),
    };
    this.checkpoint = model;
    void this.models.save(model);
  }

  /**
   * An evaluation of the current generation (false for a stale one): its epoch is done. A
   * restored model's evaluation trained no epoch, so its train figures are the last ones the
   * kept curves have.
   */
  protected acceptEvaluation(e: ModeEvaluation): boolean {
    if (e.generation !== this._generation) return false;
    if (e.restored && this.checkpoint) {
      const last = (h: StoredModel['losses']) => h.train.filter((v): v is number => v !== null).at(-1) ?? NaN;
      e.trainLoss = last(this.checkpoint.losses);
      e.trainAccuracy = last(this.checkpoint.accuracy);
    }
    this.completedEpochs = e.epoch;
    return true;
  }

  /** The 'epoch' event of a trained epoch, and 'trained' when it was the run's last. */
  protected emitEpoch(e: ModeEvaluation): void {
    emit(this.root, 'epoch', { epoch: e.epoch, trainLoss: e.trainLoss, testLoss: e.testLoss });
    if (e.epoch >= this.epochTarget) emit(this.root, 'trained', { epoch: e.epoch, trainLoss: e.trainLoss, testLoss: e.testLoss });
  }

  // ---------------------------------------------------------------- training

  protected setTraining(next: boolean): void {
    if (next && this.client.isLost) {
      this.clearMessage();
      this.#restartWorker();
      return;
    }
    if (next && !this.checkTrainable()) return;
    // An edit is waiting for its rebuild: build now, then train the new model.
    if (next && this.buildKey() !== this.builtKey) this.build();
    if (next && this.completedEpochs >= this.epochTarget) {
      // Done: Train runs the number of epochs again, continuing from these weights.
      this.epochTarget = this.completedEpochs + this._state.epochs;
      this.sendControl({ type: 'setEpochs', epochs: this.epochTarget });
    }
    if (next) {
      this.clearMessage();
      this.generationTouched = true;
    }
    const paused = this._training && !next;
    this._training = next;
    if (paused) this.announce('paused');
    this.sendControl({ type: next ? 'train' : 'pause' });
    this.updateTrainButton();
  }

  /** The polite status line: after an epoch at most every ANNOUNCE_MS, at once on pause or at the end. */
  protected announce(when: AnnounceWhen): void {
    const t = performance.now();
    if (when === 'training' && t - this.#lastAnnounce < ANNOUNCE_MS) return;
    this.#lastAnnounce = t;
    this.ui.announcer.textContent = this.announcement(when);
  }

  protected updateTrainButton(): void {
    const b = this.ui['train-button'] as HTMLButtonElement;
    b.setAttribute('aria-label', this._training ? 'Pause' : 'Train');
    b.title = this._training ? 'Pause' : 'Train';
    b.classList.toggle('playing', this._training);
    b.disabled = !this._training && !this.trainable();
    this.trainButtonUpdated(b.disabled);
  }

  /** The Train button was just enabled or disabled (a mode's Step button follows it). */
  protected trainButtonUpdated(_disabled: boolean): void {}

  // ---------------------------------------------------------------- the worker

  /** A new worker: the data loads again, then the model is built; Train follows. */
  #restartWorker(): void {
    this.restartClient();
    this.builtKey = '';
    this.#trainWhenBuilt = true;
    this.reloadData();
  }

  /** The mode's 'built' arrived: Train pressed while the worker was lost goes on now. */
  protected modelBuilt(): void {
    if (this.#trainWhenBuilt) {
      this.#trainWhenBuilt = false;
      this.setTraining(true);
    }
  }

  protected onWorkerLost(reason: string): void {
    this._training = false;
    this.updateTrainButton();
    const cp = this.checkpoint;
    const from = cp ? `the model as it was at epoch ${cp.epoch}${cp.stepInEpoch ? ` (step ${cp.stepInEpoch} of the next)` : ''}` : 'fresh weights (no epoch had been kept yet)';
    this.showMessage(`The training worker stopped (${reason}); press Train to restart it with ${this.#config.restartsWith} and ${from}.`);
    emit(this.root, 'workerlost', { reason });
  }

  protected onWorkerMessage(m: From): void {
    const common = m as unknown as TrainingReportMessage | ReadyMessage | { type: '' };
    switch (common.type) {
      case 'ready':
        this.optimizers = common.optimizers;
        this.fillOptimizers();
        this.engineReady(m);
        this.showEngine(common.simd, common.threads);
        emit(this.root, 'ready', { mode: this.#config.mode, simd: common.simd });
        break;
      case 'progress':
        if (common.generation !== this._generation) return;
        this.progressEpoch = common.epoch;
        this._training = common.training;
        this.updateTrainButton();
        if (Number.isFinite(common.trainLoss)) this.lossChart.add(common.epoch, common.trainLoss, NaN);
        this.progressed(common);
        break;
      case 'checkpoint':
        if (common.checkpoint.generation === this._generation) this.#keep(common.checkpoint);
        break;
      case 'error':
        if (common.where === 'data') {
          this.dataFailed(common.message);
        } else if (common.where === 'look') {
          this.lookFailed(common.message);
        } else {
          this._training = false;
          this.updateTrainButton();
          if (/diverge|NaN|infinite/i.test(common.message)) emit(this.root, 'diverged', { message: common.message });
          this.showMessage(sentence(common.message));
        }
        break;
      default:
        this.handleMessage(m);
    }
  }
}

/** No setup in the link: the one kept (under the storage key) from the last visit. */
function keptSetup<State, Hideable>(
  parsed: ParsedModeHash<State, Hideable>,
  storageKey: string | null,
  parse: (text: string) => ParsedModeHash<State, Hideable>,
): ParsedModeHash<State, Hideable> {
  if (parsed.given || storageKey === null) return parsed;
  try {
    const kept = localStorage.getItem(storageKey);
    if (kept) {
      const restored = parse(kept);
      for (const h of parsed.hidden) restored.hidden.add(h);
      return { ...restored, problems: [...parsed.problems, ...restored.problems] };
    }
  } catch {
    // Storage unavailable: start from the default.
  }
  return parsed;
}

// What the Images and Sequences modes share on the page (ImagesApp, SequencesApp extend it):
// an object rooted at an element with its own worker, state source (URL hash, attribute or
// memory), storage key and id prefix; the setup mirrored to the source and to localStorage;
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
import { ID_PREFIX } from './markup';
import { ModelStore } from './model-store';
import type { StoredModel } from './model-store';
import { checkRate } from './number-check';
import type { RateLimits } from './number-check';
import { memoryStateSource } from './state-source';
import type { StateSource } from './state-source';
import { applyTheme } from './theme';
import type { Theme } from './theme';

export interface TrainingModeOptions {
  /** Where the setup is read from and mirrored to (default: memory). */
  state?: StateSource;
  /** localStorage key under which the setup is kept. Default: none. */
  storageKey?: string | null;
  /** Prepended to every id the app creates (default '' when free, else 'nnplay-<mode>-2-', …). */
  idPrefix?: string;
  /** Colour theme: 'auto' (default) follows the system's prefers-color-scheme. */
  theme?: Theme;
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

export interface ParsedModeHash<State, Hideable> {
  state: State;
  hidden: Set<Hideable>;
  problems: string[];
  /** Whether the text gave a setup, not just the mode. */
  given: boolean;
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

type ReadyMessage = { type: 'ready'; simd: boolean; optimizers: { name: string; learningRate: number }[] };

// The polite status line speaks after an epoch at most this often (epochs of a small task come
// many a second), and at once on pause and when training ends.
const ANNOUNCE_MS = 5000;

export abstract class TrainingModeApp<
  State extends TrainingSettings,
  Hideable extends string,
  Part extends string,
  To extends { type: string },
  From extends { type: string },
> {
  readonly root: HTMLElement;
  readonly idPrefix: string;

  protected readonly doc: Document;
  protected readonly ui: Record<Part | TrainingPartName, HTMLElement>;
  protected readonly listeners = new AbortController();
  protected client: ModeClient<To, From>;
  protected readonly lossChart: LossChart;
  protected readonly accuracyChart: LossChart;
  protected readonly models: ModelStore;

  protected _state: State;
  protected hidden: Set<Hideable>;
  protected _disposed = false;
  // Engine facts (from the worker's 'ready').
  protected optimizers: { name: string; learningRate: number }[] = [];

  protected _generation = 0;
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
  readonly #source: StateSource;
  readonly #storageKey: string | null;
  readonly #initialProblems: string[];
  #unsubscribeSource: () => void = () => {};
  #lastWritten = '';
  #trainWhenBuilt = false; // Train pressed while the worker was lost: train once rebuilt
  #lastAnnounce = -Infinity;

  protected constructor(root: HTMLElement, options: TrainingModeOptions, config: TrainingModeConfig<State, Hideable, Part, To, From>) {
    if (!(root instanceof HTMLElement)) throw new Error(`nnplay ${config.appName}: root must be an HTMLElement, got ${root === null ? 'null' : typeof root}.`);
    this.#config = config;
    this.root = root;
    this.doc = root.ownerDocument;
    this.#source = options.state ?? memoryStateSource();
    this.#storageKey = options.storageKey ?? null;
    this.models = new ModelStore(this.#storageKey, config.mode);
    this.idPrefix = this.#choosePrefix(options.idPrefix);
    root.replaceChildren(config.createMarkup(this.doc, this.idPrefix));
    root.classList.add('nnplay-playground', `nnplay-${config.mode}`);
    if (options.theme !== undefined) applyTheme(root, options.theme);
    this.ui = Object.fromEntries(
      [...new Set([...config.partNames, ...TRAINING_PART_NAMES])].map((name) => {
        const e = root.querySelector<HTMLElement>(`#${CSS.escape(this.idPrefix + name)}`);
        if (!e) throw new Error(`nnplay ${config.appName}: missing part ${name}`);
        return [name, e];
      }),
    ) as Record<Part | TrainingPartName, HTMLElement>;
    const parsed = this.#initialState();
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    this.#initialProblems = parsed.problems;
    const chart = (container: HTMLElement, options: ConstructorParameters<typeof LossChart>[3]) => new LossChart(container, config.chartWidth, 160, options);
    this.lossChart = chart(this.ui['loss-chart'], { spanGaps: true });
    this.accuracyChart = chart(this.ui['accuracy-chart'], { yLabel: 'accuracy', yRange: [0, 1], format: (v) => `${(v * 100).toFixed(2)}%` });
    this.client = this.#startClient();
  }

  // ---------------------------------------------------------------- what a mode provides

  /** The setup just replaced (at start, or from the source): show it and load its data. */
  protected abstract applyState(): void;
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
  /** Stops the mode's timers and disposes its views (dispose() does the rest). */
  protected abstract disposeViews(): void;

  // ---------------------------------------------------------------- public (automation hooks)

  get generation(): number {
    return this._generation;
  }

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

  get disposed(): boolean {
    return this._disposed;
  }

  /** The setup as hash text (with its hide options), as links carry it. */
  get stateText(): string {
    return this.#config.serialize(this._state, this.hidden);
  }

  /** Sets the colour theme ('light', 'dark' or 'auto': the system's choice). */
  set theme(theme: Theme) {
    if (!this._disposed) applyTheme(this.root, theme);
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

  /** For tests and automation: terminates the worker as a crash would (noticed by the heartbeat). */
  terminateWorker(): void {
    this.client.terminateWorker();
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.listeners.abort();
    this.#unsubscribeSource();
    this.disposeViews();
    this.client.dispose();
    this.lossChart.dispose();
    this.accuracyChart.dispose();
    this.root.replaceChildren();
    this.root.classList.remove('nnplay-playground', `nnplay-${this.#config.mode}`);
  }

  // ---------------------------------------------------------------- state, source, storage

  /** The end of a mode's constructor: follow the source, show the setup and load its data. */
  protected start(): void {
    this.#unsubscribeSource = this.#source.subscribe(() => this.#onSourceChanged());
    if (this.#initialProblems.length) this.showMessage(this.#initialProblems.join(' '));
    this.applyState();
  }

  #initialState(): ParsedModeHash<State, Hideable> {
    const { parse } = this.#config;
    const parsed = parse(this.#source.read());
    if (parsed.given || this.#storageKey === null) return parsed;
    // No setup in the link: the one kept from the last visit.
    try {
      const kept = localStorage.getItem(this.#storageKey);
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

  /** The setup into the source (and localStorage); a change is announced as 'statechange'. */
  protected writeSource(): void {
    const { serialize, mode } = this.#config;
    const text = serialize(this._state, this.hidden);
    if (text !== this.#lastWritten) emit(this.root, 'statechange', { state: { mode, ...(structuredClone(this._state) as unknown as Record<string, unknown>) } });
    this.#lastWritten = text;
    this.#source.write(text);
    if (this.#storageKey === null) return;
    try {
      localStorage.setItem(this.#storageKey, serialize(this._state));
    } catch {
      // Storage full or unavailable: the link still holds the setup.
    }
  }

  #onSourceChanged(): void {
    const text = this.#source.read();
    if (text === this.#lastWritten) return;
    const parsed = this.#config.parse(text);
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    if (parsed.problems.length) this.showMessage(parsed.problems.join(' '));
    this.applyState();
  }

  // ---------------------------------------------------------------- controls

  protected el<T extends HTMLElement>(name: Part | TrainingPartName): T {
    return this.ui[name] as T;
  }

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

  /** A control's listener, removed in dispose(). */
  protected on<K extends keyof HTMLElementEventMap>(name: Part | TrainingPartName, type: K, handler: (e: HTMLElementEventMap[K]) => void): void {
    this.ui[name].addEventListener(type, handler, { signal: this.listeners.signal });
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

  #startClient(): ModeClient<To, From> {
    return this.#config.startClient(
      (m) => this.#onWorkerMessage(m),
      (reason) => this.#onWorkerLost(reason),
    );
  }

  /** A new worker: the data loads again, then the model is built; Train follows. */
  #restartWorker(): void {
    this.client.dispose();
    this.client = this.#startClient();
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

  #onWorkerLost(reason: string): void {
    if (this._disposed) return;
    this._training = false;
    this.updateTrainButton();
    const cp = this.checkpoint;
    const from = cp ? `the model as it was at epoch ${cp.epoch}${cp.stepInEpoch ? ` (step ${cp.stepInEpoch} of the next)` : ''}` : 'fresh weights (no epoch had been kept yet)';
    this.showMessage(`The training worker stopped (${reason}); press Train to restart it with ${this.#config.restartsWith} and ${from}.`);
    emit(this.root, 'workerlost', { reason });
  }

  #onWorkerMessage(m: From): void {
    if (this._disposed) return;
    const common = m as unknown as TrainingReportMessage | ReadyMessage | { type: '' };
    switch (common.type) {
      case 'ready':
        this.optimizers = common.optimizers;
        this.fillOptimizers();
        this.engineReady(m);
        this.ui['engine-info'].textContent = `Engine: C++ compiled to WebAssembly${common.simd ? ' SIMD' : ''}, training in a Web Worker.`;
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

  // ---------------------------------------------------------------- messages

  protected showMessage(text: string): void {
    this.ui['message-text'].textContent = text;
    this.ui.message.hidden = false;
  }

  protected clearMessage(): void {
    this.ui.message.hidden = true;
    this.ui['message-text'].textContent = '';
  }

  #choosePrefix(asked: string | undefined): string {
    const { appName, partNames, mode } = this.#config;
    const taken = (prefix: string) => partNames.find((name) => this.doc.getElementById(prefix + name));
    if (asked !== undefined) {
      if (typeof asked !== 'string' || !ID_PREFIX.test(asked)) {
        throw new Error(`nnplay ${appName}: idPrefix must be '' or a letter followed by letters, digits, '-' or '_', got ${JSON.stringify(asked)}.`);
      }
      const clash = taken(asked);
      if (clash) throw new Error(`nnplay ${appName}: idPrefix ${JSON.stringify(asked)} gives id "${asked}${clash}", which the page already has; pass another idPrefix.`);
      return asked;
    }
    for (let n = 1; ; n++) {
      const prefix = n === 1 ? '' : `nnplay-${mode}-${n}-`;
      if (!taken(prefix)) return prefix;
    }
  }
}

// ---------------------------------------------------------------- helpers (DOM only)

/** The options of a select; the chosen value stays when the new list has it. */
export function fillSelect(select: HTMLSelectElement, values: string[], labels?: string[]): void {
  const doc = select.ownerDocument;
  const kept = select.value;
  select.replaceChildren(
    ...values.map((v, i) => {
      const o = doc.createElement('option');
      o.value = v;
      o.textContent = labels?.[i] ?? v;
      return o;
    }),
  );
  if (values.includes(kept)) select.value = kept;
}

/** A message as a sentence: capitalised, with a full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return '';
  return (t[0].toUpperCase() + t.slice(1)).replace(/([^.!?])$/, '$1.');
}

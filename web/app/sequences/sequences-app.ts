// The Sequences mode as an object rooted at an element: a sequence task (sine / sum-of-sines
// forecasting, the adding problem, parity, counting, MNIST rows, character-level text), a
// recurrent model (SimpleRNN / LSTM / GRU, units, 1-3 layers, bidirectional), training in a
// worker with loss and accuracy curves, and the network unrolled over one test sample: the
// input, every recurrent layer's state per step as heatmap strips (h; c and the gates of an
// LSTM; z, r, h̃ of a GRU), the prediction per step (for forecasting, the predicted curve over
// the true one), and for text generated characters coloured by a chosen hidden unit.
// It computes no model math: every figure arrives from its worker (the engine's payloads).
//
// Like ImagesApp: its own worker, state source (URL hash or memory), storage key and id prefix;
// it finds its elements within its root and removes every listener and its worker in dispose().
// It keeps what the user trained as ImagesApp does (model-store.ts): the worker's checkpoint
// after each epoch and on pause is this setup's model, restored on reload, on switching back
// to the setup and after a lost worker; Reset forgets it.
import { SequencesClient } from '../../worker/sequences-client';
import { SEQUENCE_CELLS, SEQUENCE_TASKS } from '../../worker/sequences-protocol';
import type { FromSequencesWorker, SequenceCell, SequenceEvaluation, SequenceTaskName, SequencesWorkerCheckpoint, TaskInfo, Unrolled } from '../../worker/sequences-protocol';
import { emit } from '../app-events';
import { cssColor } from '../colors';
import { LossChart, formatLossValue } from '../loss-chart';
import { ID_PREFIX } from '../markup';
import { checkRate } from '../number-check';
import { ModelStore } from '../model-store';
import type { StoredModel } from '../model-store';
import { memoryStateSource } from '../state-source';
import type { StateSource } from '../state-source';
import { applyTheme } from '../theme';
import type { Theme } from '../theme';
import { SEQUENCES_PART_NAMES, createSequencesMarkup } from './sequences-markup';
import type { SequencesPartName } from './sequences-markup';
import { CELL_LABELS, LIMITS, SEQUENCES_LEARNING_RATE, TASK_LABELS, parseSequencesHash, presetState, serializeSequencesHash } from './sequences-state';
import type { SequencesHideable, SequencesState } from './sequences-state';
import { StateHeatmap, paintGrid, plotLines } from './sequence-views';
import { CompareView } from './compare-view';
import type { CompareCellSummary } from './compare-view';
import { drawDependence } from './dependence-view';
import '../style.css';
import './sequences.css';

export interface SequencesOptions {
  state?: StateSource;
  /** localStorage key under which the setup is kept. Default: none. */
  storageKey?: string | null;
  idPrefix?: string;
  theme?: Theme;
}

type Ui = { [K in SequencesPartName]: HTMLElement };
// The unrolled view is refreshed this often while training.
const UNROLL_MS = 200;
const GENERATE_LENGTH = 200;
// The polite status line speaks after an epoch at most this often (epochs of a small task come
// many a second), and at once on pause and when training ends.
const ANNOUNCE_MS = 5000;
const TRUE_COLOR = '#888';
const PRED_COLOR = '#f59322';
const INPUT_COLOR = '#0877bd';

export class SequencesApp {
  readonly root: HTMLElement;
  readonly idPrefix: string;
  private readonly doc: Document;
  private readonly source: StateSource;
  private readonly storageKey: string | null;
  private readonly ui: Ui;
  private readonly listeners = new AbortController();
  private readonly unsubscribeSource: () => void;
  private client: SequencesClient;
  private readonly lossChart: LossChart;
  private readonly accuracyChart: LossChart;
  private readonly heatmap: StateHeatmap;
  private readonly models: ModelStore;
  private readonly compare: CompareView;
  private readonly compareModels: ModelStore;

  private _state: SequencesState;
  private hidden: Set<SequencesHideable>;
  private lastWritten = '';
  private _disposed = false;
  private optimizers: { name: string; learningRate: number }[] = [];

  private info: TaskInfo | null = null;
  private _generation = 0;
  private builtKey = '';
  private built = false;
  private _training = false;
  private trainWhenBuilt = false;
  private progressEpoch = 0;
  private epochTarget = 0;
  private completedEpochs = 0;
  private _evaluations: SequenceEvaluation[] = [];
  // The current model's latest checkpoint, and whether this generation trained or was restored
  // (a stored model found after the user pressed Train is not applied over their training).
  private checkpoint: StoredModel | null = null;
  private generationTouched = false;
  private _restoredEpoch: number | null = null;
  private lastAnnounce = -Infinity;

  private unrollRequest = 0;
  private unrollInFlight = false;
  private unrollWanted = false;
  private _unrolled: Unrolled | null = null;
  private _unrollUpdates = 0;
  private unrollTimer: ReturnType<typeof setInterval>;
  private generateRequest = 0;
  private _generated: { text: string; hidden: { layer: string; units: number; values: Float32Array }[] } | null = null;

  constructor(root: HTMLElement, options: SequencesOptions = {}) {
    if (!(root instanceof HTMLElement)) throw new Error(`nnplay SequencesApp: root must be an HTMLElement, got ${root === null ? 'null' : typeof root}.`);
    this.root = root;
    this.doc = root.ownerDocument;
    this.source = options.state ?? memoryStateSource();
    this.storageKey = options.storageKey ?? null;
    this.models = new ModelStore(this.storageKey, 'sequences');
    this.idPrefix = choosePrefix(this.doc, options.idPrefix);
    root.replaceChildren(createSequencesMarkup(this.doc, this.idPrefix));
    root.classList.add('nnplay-playground', 'nnplay-sequences');
    if (options.theme !== undefined) applyTheme(root, options.theme);
    this.ui = Object.fromEntries(
      SEQUENCES_PART_NAMES.map((name) => {
        const e = root.querySelector<HTMLElement>(`#${CSS.escape(this.idPrefix + name)}`);
        if (!e) throw new Error(`nnplay SequencesApp: missing part ${name}`);
        return [name, e];
      }),
    ) as Ui;
    const parsed = this.initialState();
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    this.lossChart = new LossChart(this.ui['loss-chart'], 340, 160, { spanGaps: true });
    this.accuracyChart = new LossChart(this.ui['accuracy-chart'], 340, 160, { yLabel: 'accuracy', yRange: [0, 1], format: (v) => `${(v * 100).toFixed(2)}%` });
    this.heatmap = new StateHeatmap(this.ui['hidden-state'] as HTMLCanvasElement, this.ui['hidden-tooltip'], this.ui['hidden-readout']);
    this.client = this.startClient();
    // The compared models are kept beside the single one, in their own list (3 at a time).
    this.compareModels = new ModelStore(this.storageKey === null ? null : `${this.storageKey}:compare`, 'sequences');
    this.compare = new CompareView(this.ui.compare, this.idPrefix, this.compareModels);
    fillSelect(this.el('task'), [...SEQUENCE_TASKS], SEQUENCE_TASKS.map((t) => TASK_LABELS[t]));
    fillSelect(this.el('cell'), [...SEQUENCE_CELLS], SEQUENCE_CELLS.map((c) => CELL_LABELS[c]));
    this.fillOptimizers();
    this.listen();
    this.unsubscribeSource = this.source.subscribe(() => this.onSourceChanged());
    if (parsed.problems.length) this.showMessage(parsed.problems.join(' '));
    this.applyHidden();
    this.syncControls();
    this.writeSource();
    this.loadTask();
    this.unrollTimer = setInterval(() => {
      if (this._training) this.unroll();
    }, UNROLL_MS);
  }

  // ---------------------------------------------------------------- public (automation hooks)

  get state(): SequencesState {
    return structuredClone(this._state);
  }
  get generation(): number {
    return this._generation;
  }
  get training(): boolean {
    return this._training;
  }
  /** Evaluations of the current model, one per epoch. */
  get evaluations(): SequenceEvaluation[] {
    return structuredClone(this._evaluations);
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
    return Promise.all([this.models.flushed(), this.compareModels.flushed()]).then(() => undefined);
  }
  /** Unrolled views drawn for the current model. */
  get unrollUpdates(): number {
    return this._unrollUpdates;
  }
  /** The strips drawn: labels and sizes. */
  get strips(): { label: string; steps: number; units: number }[] {
    return this.heatmap.strips.map((s) => ({ label: s.label, steps: s.steps, units: s.units }));
  }
  /** Compare cells: each cell's training, evaluations and last input-step dependence strip. */
  get compareCells(): CompareCellSummary[] {
    return this.compare.cells;
  }
  /** The input-step dependence of the last unrolled view (per step), or null before one. */
  get dependence(): number[] | null {
    return this._unrolled ? Array.from(this._unrolled.dependence.magnitudes) : null;
  }
  get generatedText(): string {
    return this._generated?.text ?? '';
  }
  get task(): TaskInfo | null {
    return this.info ? structuredClone(this.info) : null;
  }
  get disposed(): boolean {
    return this._disposed;
  }
  get stateText(): string {
    return serializeSequencesHash(this._state, this.hidden);
  }
  set theme(theme: Theme) {
    if (!this._disposed) applyTheme(this.root, theme);
  }

  /** Comparing cells: starts / pauses all three. */
  train(): void {
    if (this._disposed) return;
    if (this._state.compare) this.compare.setTraining(true);
    else this.setTraining(true);
  }
  pause(): void {
    if (this._disposed) return;
    if (this._state.compare) this.compare.setTraining(false);
    else this.setTraining(false);
  }
  /** Trains to the end of the epoch under way (or the next one), then pauses, as in the Images mode. */
  step(): void {
    if (this._disposed) return;
    this.epochTarget = Math.floor(this.progressEpoch + 1e-9) + 1;
    this.client.send({ type: 'setEpochs', epochs: this.epochTarget });
    this.setTraining(true);
  }
  /** A fresh model of this setup; the one kept for it is forgotten. */
  reset(): void {
    if (this._disposed) return;
    this.clearMessage();
    void this.models.delete(this.buildKey());
    this.build(true);
  }
  /** Samples text from the text model (as the Generate button does). */
  generate(): void {
    if (this._disposed || !this.built || this.info?.task !== 'text') return;
    const temperature = Number(this.el<HTMLInputElement>('temperature').value);
    this.client.send({ type: 'generate', requestId: ++this.generateRequest, temperature, length: GENERATE_LENGTH, seed: this.generateRequest });
    this.ui['generated-text'].textContent = 'Generating…';
  }
  /** For tests and automation: terminates the worker as a crash would. */
  terminateWorker(): void {
    this.client.terminateWorker();
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.listeners.abort();
    this.unsubscribeSource();
    clearInterval(this.unrollTimer);
    this.client.dispose();
    this.compare.dispose();
    this.lossChart.dispose();
    this.accuracyChart.dispose();
    this.heatmap.dispose();
    this.root.replaceChildren();
    this.root.classList.remove('nnplay-playground', 'nnplay-sequences');
  }

  // ---------------------------------------------------------------- state, source, storage

  private initialState(): ReturnType<typeof parseSequencesHash> {
    const parsed = parseSequencesHash(this.source.read());
    if (parsed.given || this.storageKey === null) return parsed;
    try {
      const kept = localStorage.getItem(this.storageKey);
      if (kept) {
        const restored = parseSequencesHash(kept);
        for (const h of parsed.hidden) restored.hidden.add(h);
        return { ...restored, problems: [...parsed.problems, ...restored.problems] };
      }
    } catch {
      // Storage unavailable: start from the default.
    }
    return parsed;
  }

  private writeSource(): void {
    const text = serializeSequencesHash(this._state, this.hidden);
    if (text !== this.lastWritten) emit(this.root, 'statechange', { state: { mode: 'sequences', ...this.state } });
    this.lastWritten = text;
    this.source.write(text);
    if (this.storageKey === null) return;
    try {
      localStorage.setItem(this.storageKey, serializeSequencesHash(this._state));
    } catch {
      // Storage full or unavailable: the link still holds the setup.
    }
  }

  private onSourceChanged(): void {
    const text = this.source.read();
    if (text === this.lastWritten) return;
    const parsed = parseSequencesHash(text);
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    if (parsed.problems.length) this.showMessage(parsed.problems.join(' '));
    this.applyHidden();
    this.syncControls();
    this.writeSource();
    this.loadTask();
  }

  private applyHidden(): void {
    for (const e of this.root.querySelectorAll<HTMLElement>('[data-control]')) {
      const control = e.dataset.control as SequencesHideable;
      // Comparing, the three cells' panel takes the place of the single model's.
      const compared = this._state.compare && ['charts', 'unrolled', 'trainButton', 'resetButton', 'generate'].includes(control);
      e.hidden = this.hidden.has(control) || compared || (control === 'generate' && this._state.task !== 'text');
    }
    this.ui.compare.hidden = !this._state.compare;
    if (this._state.compare) {
      this.setTraining(false);
      this.compare.configure(this._state);
    } else if (this.compare.active) {
      this.compare.stop();
    }
  }

  // ---------------------------------------------------------------- controls

  private el<T extends HTMLElement>(name: SequencesPartName): T {
    return this.ui[name] as T;
  }

  private fillOptimizers(): void {
    const names = this.optimizers.length ? this.optimizers.map((o) => o.name) : [this._state.optimizer];
    if (!names.includes(this._state.optimizer)) names.push(this._state.optimizer);
    fillSelect(this.el('optimizer'), names);
    this.el<HTMLSelectElement>('optimizer').value = this._state.optimizer;
  }

  private syncControls(): void {
    const s = this._state;
    this.el<HTMLSelectElement>('task').value = s.task;
    this.el<HTMLSelectElement>('cell').value = s.cell;
    this.el<HTMLInputElement>('units').value = String(s.units);
    this.el<HTMLSelectElement>('layers').value = String(s.layers);
    this.el<HTMLInputElement>('bidirectional').checked = s.bidirectional;
    this.fillOptimizers();
    this.el<HTMLInputElement>('learning-rate').value = String(s.learningRate);
    this.el<HTMLInputElement>('batch-size').value = String(s.batchSize);
    this.el<HTMLInputElement>('epochs').value = String(s.epochs);
    this.el<HTMLInputElement>('compare-toggle').checked = s.compare;
  }

  private intInput(name: SequencesPartName, limits: { min: number; max: number }, kept: number, what: string): number {
    const input = this.el<HTMLInputElement>(name);
    const n = Number(input.value);
    if (input.value.trim() !== '' && Number.isInteger(n) && n >= limits.min && n <= limits.max) return n;
    this.showMessage(`${what} ${input.value}: expected a whole number from ${limits.min} to ${limits.max}; kept ${kept}.`);
    input.value = String(kept);
    return kept;
  }

  private listen(): void {
    const signal = this.listeners.signal;
    const on = <K extends keyof HTMLElementEventMap>(name: SequencesPartName, type: K, handler: (e: HTMLElementEventMap[K]) => void) =>
      this.ui[name].addEventListener(type, handler, { signal });
    const s = () => this._state;
    const modelChanged = () => {
      this.writeSource();
      if (this._state.compare) this.compare.configure(this._state);
      this.build();
    };
    on('task', 'change', () => {
      // A new task brings its preset (the model and settings that learn it).
      this._state = presetState(this.el<HTMLSelectElement>('task').value as SequenceTaskName, s().seed, s().compare);
      this.syncControls();
      this.applyHidden();
      this.writeSource();
      this.loadTask();
    });
    on('cell', 'change', () => {
      s().cell = this.el<HTMLSelectElement>('cell').value as SequenceCell;
      modelChanged();
    });
    on('units', 'change', () => {
      s().units = this.intInput('units', LIMITS.units, s().units, 'Units');
      modelChanged();
    });
    on('layers', 'change', () => {
      s().layers = Number(this.el<HTMLSelectElement>('layers').value);
      modelChanged();
    });
    on('bidirectional', 'change', () => {
      s().bidirectional = this.el<HTMLInputElement>('bidirectional').checked;
      modelChanged();
    });
    on('optimizer', 'change', () => {
      const name = this.el<HTMLSelectElement>('optimizer').value;
      s().optimizer = name;
      const row = this.optimizers.find((o) => o.name === name);
      if (row && Number.isFinite(row.learningRate)) s().learningRate = row.learningRate;
      this.syncControls();
      modelChanged();
    });
    on('learning-rate', 'change', () => {
      const input = this.el<HTMLInputElement>('learning-rate');
      const checked = checkRate(input.value, SEQUENCES_LEARNING_RATE);
      if ('error' in checked) {
        this.showMessage(`Learning rate ${input.value}: ${checked.error}; kept ${s().learningRate}.`);
        this.syncControls();
        return;
      }
      s().learningRate = checked.value;
      this.client.send({ type: 'setLearningRate', learningRate: checked.value });
      this.writeSource();
      if (s().compare) this.compare.configure(s());
    });
    on('batch-size', 'change', () => {
      s().batchSize = this.intInput('batch-size', LIMITS.batchSize, s().batchSize, 'The batch size');
      this.client.send({ type: 'setBatchSize', batchSize: s().batchSize });
      this.writeSource();
      if (s().compare) this.compare.configure(s());
    });
    on('epochs', 'change', () => {
      s().epochs = this.intInput('epochs', LIMITS.epochs, s().epochs, 'Epochs');
      this.epochTarget = this.completedEpochs + s().epochs;
      this.client.send({ type: 'setEpochs', epochs: this.epochTarget });
      this.writeSource();
      if (s().compare) this.compare.configure(s());
    });
    on('compare-toggle', 'change', () => {
      s().compare = this.el<HTMLInputElement>('compare-toggle').checked;
      this.writeSource();
      this.applyHidden();
    });
    on('train-button', 'click', () => this.setTraining(!this._training));
    on('reset-button', 'click', () => this.reset());
    on('message-close', 'click', () => this.clearMessage());
    on('sample', 'change', () => {
      const max = Math.max(0, (this.info?.numTest ?? 1) - 1);
      const n = Number(this.el<HTMLInputElement>('sample').value);
      if (!Number.isInteger(n) || n < 0 || n > max) {
        this.showMessage(`Test sample ${this.el<HTMLInputElement>('sample').value}: expected a whole number from 0 to ${max}.`);
        this.el<HTMLInputElement>('sample').value = String(Math.min(max, Math.max(0, Math.round(n) || 0)));
      }
      this.unroll();
      this.compare.setSample(Number(this.el<HTMLInputElement>('sample').value) || 0);
    });
    on('temperature', 'input', () => (this.ui['temperature-value'].textContent = this.el<HTMLInputElement>('temperature').value));
    on('generate-button', 'click', () => this.generate());
    on('text-layer', 'change', () => this.drawGenerated());
    on('text-unit', 'change', () => this.drawGenerated());
  }

  // ---------------------------------------------------------------- data and model

  private loadTask(): void {
    if (this.info?.task === this._state.task) {
      if (this.buildKey() !== this.builtKey) this.build();
      return;
    }
    this.setTraining(false);
    this.info = null;
    this.built = false;
    // The worker drops the model when the new task arrives: what it still says of it is stale
    // (a 'built' answered after this would ask to unroll a model that is gone).
    this._generation++;
    this.ui['data-status'].textContent = `Loading ${TASK_LABELS[this._state.task]}…`;
    const bar = this.el<HTMLProgressElement>('data-progress');
    bar.hidden = false;
    bar.removeAttribute('value');
    this.client.send({ type: 'load', task: this._state.task });
    this.updateTrainButton();
  }

  private buildKey(): string {
    const s = this._state;
    return JSON.stringify([this.info?.task, s.cell, s.units, s.layers, s.bidirectional, s.optimizer, s.seed]);
  }

  /**
   * A new model (new generation): charts, figures and progress start again; unless `fresh`
   * (Reset), the model kept for this very setup, if any, is restored into it.
   */
  private build(fresh = false): void {
    if (!this.info) return;
    this.setTraining(false);
    this._generation++;
    this.builtKey = this.buildKey();
    this.built = false;
    this.checkpoint = null;
    this.generationTouched = false;
    this._restoredEpoch = null;
    this.completedEpochs = 0;
    this.progressEpoch = 0;
    this.epochTarget = this._state.epochs;
    this._evaluations = [];
    this._unrolled = null;
    this._unrollUpdates = 0;
    this.lossChart.clear();
    this.accuracyChart.clear();
    const s = this._state;
    this.client.send({
      type: 'build',
      generation: this._generation,
      model: { cell: s.cell, units: s.units, layers: s.layers, bidirectional: s.bidirectional, optimizer: s.optimizer, learningRate: s.learningRate, seed: s.seed },
      batchSize: s.batchSize,
      epochs: s.epochs,
    });
    for (const id of ['train-loss', 'test-loss', 'train-accuracy', 'test-accuracy'] as const) this.ui[id].textContent = '–';
    this.ui['epoch-time'].textContent = '';
    this.ui.epoch.textContent = '0';
    this.el<HTMLProgressElement>('epoch-progress').value = 0;
    if (!fresh) void this.restoreKept(this._generation, this.builtKey);
  }

  /** The model kept for this setup into the generation just built, unless training began first. */
  private async restoreKept(generation: number, key: string): Promise<void> {
    const kept = await this.models.get(key);
    if (!kept || this._disposed || generation !== this._generation || this.generationTouched) return;
    this.generationTouched = true;
    this.checkpoint = kept;
    this._restoredEpoch = kept.epoch;
    this.completedEpochs = kept.epoch;
    this.progressEpoch = kept.epoch;
    if (kept.epoch >= this.epochTarget) this.epochTarget = kept.epoch;
    this.lossChart.restore(kept.losses);
    this.lossChart.draw();
    if (this.info?.kind !== 'regression') {
      this.accuracyChart.restore(kept.accuracy);
      this.accuracyChart.draw();
    }
    this.client.send({ type: 'restore', generation, weights: kept.weights.slice(), epoch: kept.epoch, stepInEpoch: kept.stepInEpoch });
    this.ui.announcer.textContent = `Restored the model trained for ${kept.epoch} epoch${kept.epoch === 1 ? '' : 's'}.`;
  }

  /** A worker checkpoint becomes this setup's kept model (with the curves so far). */
  private keep(c: SequencesWorkerCheckpoint): void {
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

  private startClient(): SequencesClient {
    return new SequencesClient(
      (m) => this.onWorkerMessage(m),
      (reason) => this.onWorkerLost(reason),
    );
  }

  private onWorkerLost(reason: string): void {
    if (this._disposed) return;
    this._training = false;
    this.updateTrainButton();
    const cp = this.checkpoint;
    const from = cp ? `the model as it was at epoch ${cp.epoch}${cp.stepInEpoch ? ` (step ${cp.stepInEpoch} of the next)` : ''}` : 'fresh weights (no epoch had been kept yet)';
    this.showMessage(`The training worker stopped (${reason}); press Train to restart it with your settings and ${from}.`);
    emit(this.root, 'workerlost', { reason });
  }

  private setTraining(next: boolean): void {
    if (next && this.client.isLost) {
      this.clearMessage();
      this.client.dispose();
      this.client = this.startClient();
      this.info = null;
      this.builtKey = '';
      this.trainWhenBuilt = true;
      this.loadTask();
      return;
    }
    if (next && !this.info) return;
    if (next && this.buildKey() !== this.builtKey) this.build();
    if (next && this.completedEpochs >= this.epochTarget) {
      // Done: Train runs the number of epochs again, continuing from these weights.
      this.epochTarget = this.completedEpochs + this._state.epochs;
      this.client.send({ type: 'setEpochs', epochs: this.epochTarget });
    }
    if (next) {
      this.clearMessage();
      this.generationTouched = true;
    }
    const paused = this._training && !next;
    this._training = next;
    if (paused) this.announce('paused');
    this.client.send({ type: next ? 'train' : 'pause' });
    this.updateTrainButton();
  }

  /** The polite status line: after an epoch at most every ANNOUNCE_MS, at once on pause or at the end. */
  private announce(when: 'training' | 'paused' | 'done'): void {
    const t = performance.now();
    if (when === 'training' && t - this.lastAnnounce < ANNOUNCE_MS) return;
    this.lastAnnounce = t;
    const e = this._evaluations.at(-1);
    const accuracy = e && this.info?.kind !== 'regression' ? `, test accuracy ${percent(e.testAccuracy)}` : '';
    const word = { training: 'Training', paused: 'Paused', done: 'Trained' }[when];
    this.ui.announcer.textContent = e ? `${word}: epoch ${e.epoch} done, test loss ${formatLossValue(e.testLoss)}${accuracy}.` : 'Paused before the first epoch ended.';
  }

  private updateTrainButton(): void {
    const b = this.ui['train-button'] as HTMLButtonElement;
    b.setAttribute('aria-label', this._training ? 'Pause' : 'Train');
    b.title = this._training ? 'Pause' : 'Train';
    b.classList.toggle('playing', this._training);
    b.disabled = !this._training && !this.info;
  }

  // ---------------------------------------------------------------- worker messages

  private onWorkerMessage(m: FromSequencesWorker): void {
    if (this._disposed) return;
    switch (m.type) {
      case 'ready':
        this.optimizers = m.optimizers;
        this.fillOptimizers();
        this.ui['engine-info'].textContent = `Engine: C++ compiled to WebAssembly${m.simd ? ' SIMD' : ''}, training in a Web Worker.`;
        emit(this.root, 'ready', { mode: 'sequences', simd: m.simd });
        break;
      case 'loadProgress': {
        if (m.task !== this._state.task) return;
        const bar = this.el<HTMLProgressElement>('data-progress');
        if (m.total > 0) {
          bar.max = m.total;
          bar.value = m.loaded;
        }
        break;
      }
      case 'task': {
        if (m.info.task !== this._state.task) return;
        this.info = m.info;
        this.el<HTMLProgressElement>('data-progress').hidden = true;
        const i = m.info;
        this.ui['data-status'].textContent =
          `${TASK_LABELS[i.task]}: ${i.numTrain.toLocaleString('en-US')} training and ${i.numTest.toLocaleString('en-US')} test sequences of ${i.steps} steps × ${i.features} features; ${i.source}.`;
        const sample = this.el<HTMLInputElement>('sample');
        sample.max = String(Math.max(0, i.numTest - 1));
        if (Number(sample.value) >= i.numTest) sample.value = '0';
        this.ui['accuracy-figures'].hidden = i.kind === 'regression';
        this.ui['accuracy-chart'].hidden = i.kind === 'regression';
        this.build();
        this.updateTrainButton();
        break;
      }
      case 'built': {
        if (m.generation !== this._generation) return;
        this.built = true;
        const recurrent = m.layers.filter((l) => l.type !== 'dense');
        this.ui['model-summary'].textContent = `${m.layers.map((l) => `${l.name} [${l.shape.join(', ')}]`).join(' → ')} · ${m.params.toLocaleString('en-US')} params`;
        this.ui['sample-note'].textContent = m.perStep
          ? 'The model predicts after every step.'
          : this._state.bidirectional
            ? 'Bidirectional: the model reads the whole sequence both ways, so it predicts only after the last step.'
            : 'The model predicts after the last step.';
        fillSelect(this.el('text-layer'), recurrent.map((l) => l.name));
        this.unroll();
        if (this.trainWhenBuilt) {
          this.trainWhenBuilt = false;
          this.setTraining(true);
        }
        break;
      }
      case 'progress':
        if (m.generation !== this._generation) return;
        this.progressEpoch = m.epoch;
        this._training = m.training;
        this.updateTrainButton();
        this.ui.epoch.textContent = String(Math.floor(m.epoch + 1e-9));
        this.el<HTMLProgressElement>('epoch-progress').value = m.epoch - Math.floor(m.epoch + 1e-9);
        if (Number.isFinite(m.trainLoss)) {
          this.lossChart.add(m.epoch, m.trainLoss, NaN);
          if (!this._evaluations.length) this.ui['train-loss'].textContent = formatLossValue(m.trainLoss);
        }
        this.lossChart.draw();
        break;
      case 'evaluation': {
        const e = m.evaluation;
        if (e.generation !== this._generation) return;
        if (e.restored && this.checkpoint) {
          // No epoch was trained: the train figures are the last ones the kept curves have.
          const last = (h: StoredModel['losses']) => h.train.filter((v): v is number => v !== null).at(-1) ?? NaN;
          e.trainLoss = last(this.checkpoint.losses);
          e.trainAccuracy = last(this.checkpoint.accuracy);
        }
        this._evaluations.push(e);
        this.completedEpochs = e.epoch;
        // A restored model's curves came with it; its evaluation only fills the figures.
        if (!e.restored) {
          this.lossChart.add(e.epoch, e.trainLoss, e.testLoss);
          this.lossChart.draw();
        }
        this.ui['train-loss'].textContent = formatLossValue(e.trainLoss);
        this.ui['test-loss'].textContent = formatLossValue(e.testLoss);
        this.ui['epoch-time'].textContent = e.restored ? `restored at epoch ${e.epoch}` : `${(e.seconds * 1000).toFixed(0)} ms / epoch`;
        if (this.info?.kind !== 'regression') {
          if (!e.restored) {
            this.accuracyChart.add(e.epoch, e.trainAccuracy, e.testAccuracy);
            this.accuracyChart.draw();
          }
          this.ui['train-accuracy'].textContent = percent(e.trainAccuracy);
          this.ui['test-accuracy'].textContent = percent(e.testAccuracy);
        }
        this.ui.epoch.textContent = String(e.epoch);
        if (!e.restored) {
          this.announce(e.epoch >= this.epochTarget ? 'done' : 'training');
          emit(this.root, 'epoch', { epoch: e.epoch, trainLoss: e.trainLoss, testLoss: e.testLoss });
          if (e.epoch >= this.epochTarget) emit(this.root, 'trained', { epoch: e.epoch, trainLoss: e.trainLoss, testLoss: e.testLoss });
        }
        this.unroll();
        break;
      }
      case 'checkpoint':
        if (m.checkpoint.generation === this._generation) this.keep(m.checkpoint);
        break;
      case 'unrolled':
        this.unrollInFlight = false;
        if (m.generation === this._generation) {
          this._unrolled = m;
          this.drawUnrolled();
          this._unrollUpdates++;
        }
        if (this.unrollWanted) this.unroll();
        break;
      case 'generated':
        if (m.requestId !== this.generateRequest || m.generation !== this._generation) return;
        this._generated = { text: m.text, hidden: m.hidden };
        this.drawGenerated();
        break;
      case 'error':
        if (m.where === 'data') {
          this.el<HTMLProgressElement>('data-progress').hidden = true;
          this.ui['data-status'].textContent = `Could not load ${TASK_LABELS[this._state.task]}.`;
          this.showMessage(`Could not load ${TASK_LABELS[this._state.task]}: ${sentence(m.message)} Choose another task or reload to try again.`);
        } else if (m.where === 'look') {
          this.unrollInFlight = false;
          this.showMessage(sentence(m.message));
        } else {
          this._training = false;
          this.updateTrainButton();
          if (/diverge|NaN|infinite/i.test(m.message)) emit(this.root, 'diverged', { message: m.message });
          this.showMessage(sentence(m.message));
        }
        break;
    }
  }

  // ---------------------------------------------------------------- the unrolled view

  private unroll(): void {
    if (!this.built) return;
    if (this.unrollInFlight) {
      this.unrollWanted = true;
      return;
    }
    this.unrollWanted = false;
    this.unrollInFlight = true;
    const index = Number(this.el<HTMLInputElement>('sample').value) || 0;
    this.client.send({ type: 'unroll', requestId: ++this.unrollRequest, index });
  }

  private drawUnrolled(): void {
    const u = this._unrolled;
    const info = this.info;
    if (!u || !info) return;
    const { steps, features } = info;
    const inputPlot = this.el<HTMLCanvasElement>('input-plot');
    const inputText = this.ui['input-text'];
    inputText.hidden = u.inputText === null;
    inputPlot.hidden = u.inputText !== null;
    inputPlot.classList.toggle('mnist', info.task === 'mnistRows');
    if (u.inputText !== null) {
      inputText.textContent = visible(u.inputText);
    } else if (info.task === 'mnistRows') {
      paintGrid(inputPlot, u.input, steps, features);
    } else {
      inputPlot.width = 640;
      inputPlot.height = 90;
      const colors = [INPUT_COLOR, PRED_COLOR];
      plotLines(
        inputPlot,
        Array.from({ length: features }, (_, f) => ({
          label: features === 1 ? 'x' : info.task === 'adding' ? ['value', 'marker'][f] : `x${f}`,
          points: Array.from({ length: steps }, (_, t) => ({ x: t, y: u.input[t * features + f] })),
          color: colors[f % colors.length],
        })),
        steps,
      );
    }
    const dependence = this.el<HTMLCanvasElement>('dependence-plot');
    dependence.width = 640;
    drawDependence(dependence, u.dependence.magnitudes, INPUT_COLOR, `How far back: |d ${u.dependence.output} / d input| per step`);
    this.heatmap.update(u.strips);
    this.drawPrediction(u, info);
  }

  private drawPrediction(u: Unrolled, info: TaskInfo): void {
    const plot = this.el<HTMLCanvasElement>('prediction-plot');
    const text = this.ui['prediction-text'];
    const { steps } = info;
    const k = info.outputs;
    text.textContent = '';
    plot.hidden = !(u.perStep && info.kind !== 'classes') && !(info.kind === 'regression' && (info.task === 'sine' || info.task === 'sumOfSines'));
    if (info.kind === 'classes') {
      const argmax = (at: number) => {
        let best = 0;
        for (let c = 1; c < k; c++) if (u.prediction[at * k + c] > u.prediction[at * k + best]) best = c;
        return best;
      };
      const name = (c: number) => (info.vocab ? visible(info.vocab[c] ?? '?') : String(c));
      if (u.perStep) {
        const predicted = Array.from({ length: steps }, (_, t) => name(argmax(t)));
        const truth = Array.from(u.target, (c) => name(c));
        const sep = info.vocab ? '' : ' ';
        // Text: step t predicts the character at t + 1; counting: the count so far.
        const what = info.vocab ? ['predicted next:', 'true next:     '] : ['predicted so far:', 'true so far:     '];
        text.textContent = `${what[0]} ${predicted.join(sep)}\n${what[1]} ${truth.join(sep)}`;
      } else {
        const c = argmax(0);
        text.textContent = `predicted ${name(c)} (p = ${u.prediction[c].toFixed(3)}), true ${name(u.target[0])}`;
      }
      return;
    }
    if (u.perStep) {
      // Step t's prediction is of the value at step t + 1 (forecasting) or of the answer so far.
      const shift = info.kind === 'regression' ? 1 : 0;
      const series = [
        { label: info.kind === 'regression' ? 'true next value' : 'true answer so far', points: Array.from(u.target, (y, t) => ({ x: t + shift, y })), color: TRUE_COLOR },
        { label: info.kind === 'regression' ? 'predicted next value' : 'predicted probability', points: Array.from(u.prediction, (y, t) => ({ x: t + shift, y })), color: PRED_COLOR, dashed: true },
      ];
      if (info.kind === 'regression') series.unshift({ label: 'input', points: Array.from({ length: steps }, (_, t) => ({ x: t, y: u.input[t * info.features] })), color: INPUT_COLOR });
      plotLines(plot, series, steps + shift);
      const last = u.prediction[u.prediction.length - 1];
      text.textContent = `after the last step: predicted ${last.toFixed(3)}, true ${u.target[u.target.length - 1].toFixed(3)}`;
      return;
    }
    if (!plot.hidden) {
      // A forecast after the last step only (bidirectional): the window, the true next value and the predicted one.
      plotLines(plot, [
        { label: 'input', points: Array.from({ length: steps }, (_, t) => ({ x: t, y: u.input[t * info.features] })), color: INPUT_COLOR },
        { label: 'true next value', points: [{ x: steps, y: u.target[0] }], color: TRUE_COLOR },
        { label: 'predicted', points: [{ x: steps, y: u.prediction[0] }], color: PRED_COLOR },
      ], steps);
    }
    text.textContent = `predicted ${u.prediction[0].toFixed(3)}, true ${u.target[0].toFixed(3)}`;
  }

  // ---------------------------------------------------------------- generated text

  private drawGenerated(): void {
    const g = this._generated;
    const out = this.ui['generated-text'];
    if (!g) return;
    const layerName = this.el<HTMLSelectElement>('text-layer').value;
    const layer = g.hidden.find((h) => h.layer.startsWith(`${layerName}:`)) ?? g.hidden[0];
    const unitInput = this.el<HTMLInputElement>('text-unit');
    const units = layer?.units ?? 0;
    unitInput.max = String(Math.max(0, units - 1));
    let unit = Number(unitInput.value);
    if (!Number.isInteger(unit) || unit < 0 || unit >= units) {
      unit = 0;
      unitInput.value = '0';
      this.showMessage(`Unit: expected a whole number from 0 to ${units - 1}; showing unit 0.`);
    }
    out.replaceChildren(
      ...[...g.text].map((ch, i) => {
        const span = this.doc.createElement('span');
        span.textContent = ch;
        const v = layer ? layer.values[i * units + unit] : 0;
        span.style.background = cssColor(v);
        span.title = `${layer?.layer ?? ''} unit ${unit}: ${v.toFixed(3)}`;
        return span;
      }),
    );
  }

  private showMessage(text: string): void {
    this.ui['message-text'].textContent = text;
    this.ui.message.hidden = false;
  }

  private clearMessage(): void {
    this.ui.message.hidden = true;
    this.ui['message-text'].textContent = '';
  }
}

// ---------------------------------------------------------------- helpers (DOM only)

function choosePrefix(doc: Document, asked: string | undefined): string {
  const taken = (prefix: string) => SEQUENCES_PART_NAMES.find((name) => doc.getElementById(prefix + name));
  if (asked !== undefined) {
    if (typeof asked !== 'string' || !ID_PREFIX.test(asked)) {
      throw new Error(`nnplay SequencesApp: idPrefix must be '' or a letter followed by letters, digits, '-' or '_', got ${JSON.stringify(asked)}.`);
    }
    const clash = taken(asked);
    if (clash) throw new Error(`nnplay SequencesApp: idPrefix ${JSON.stringify(asked)} gives id "${asked}${clash}", which the page already has; pass another idPrefix.`);
    return asked;
  }
  for (let n = 1; ; n++) {
    const prefix = n === 1 ? '' : `nnplay-sequences-${n}-`;
    if (!taken(prefix)) return prefix;
  }
}

function fillSelect(select: HTMLSelectElement, values: string[], labels?: string[]): void {
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

/** Newlines shown as ⏎ in one-line views. */
function visible(s: string): string {
  return s.replace(/\n/g, '⏎');
}

function percent(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–';
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return '';
  return (t[0].toUpperCase() + t.slice(1)).replace(/([^.!?])$/, '$1.');
}

// The playground as an object rooted at an element: it creates its markup inside the root,
// owns the UI state (mirrored to its state source: the URL hash, an attribute, or memory),
// turns control changes into worker messages, and draws the snapshots its worker posts, once
// per animation frame. It computes no model math.
//
// Several apps can live on one page: each has its own worker, state source, storage slot and
// id prefix, finds its elements within its root, and removes every listener it added (to the
// window, the document or its elements) and its worker in dispose(). What it shares with the
// other modes (the root and its parts, the id prefix, the state source, the worker handle, the
// message) is ModeApp (mode-app.ts); what is its own here: the controls and views, the model
// kept in localStorage as an export file (persist.ts), and a lost worker restarted by the next
// Play with the latest checkpoint.
import { PlaygroundClient } from '../worker/client';
import { ALL_ACTIVATIONS, ALL_FEATURES, DOMAIN } from '../worker/protocol';
import type { Checkpoint, DatasetName, FromWorker, PointCloud, ProblemType, RegularizationName, Snapshot, ToWorker } from '../worker/protocol';
import { emit } from './app-events';
import { CodeExportDialog } from './code-export-dialog';
import { ValuePainter } from './colors';
import { LossChart, formatLossValue } from './loss-chart';
import { PART_NAMES, createMarkup } from './markup';
import type { PartName } from './markup';
import { NetworkView } from './network-view';
import type { NodeRef } from './network-view';
import { MAX_FILE_BYTES, ModelSlots, makePlaygroundFile, readPlaygroundFile, setupId } from './persist';
import type { LossHistory, RestorePlan } from './persist';
import {
  HIDEABLE,
  LEARNING_RATES,
  LIMITS,
  REGULARIZATION_RATES,
  SPEEDS,
  datasetsFor,
  parseHash,
  randomSeed,
  serializeHash,
  sortFeatures,
  toSetup,
} from './state';
import type { Hideable, PlaygroundState } from './state';
import { ModeApp, fillSelect, sentence } from './mode-app';
import type { ModeAppOptions } from './mode-app';
import './style.css';

const GRID_SIZE = 100;
// Screen readers hear the figures on pause, step and reset, and at most this often while playing.
const ANNOUNCE_MS = 5000;
/** Messages that start a new worker when the last one was lost (the rest wait for the next). */
const RESTARTING_MESSAGES: ReadonlySet<ToWorker['type']> = new Set(['play', 'step', 'reset', 'configure', 'setWeights', 'setWeight', 'checkpoint']);

/**
 * `state`: where the setup is read from at start and mirrored to (with its `_hide` options):
 * hashStateSource() for a page of its own, attributeStateSource(el) or memoryStateSource() for
 * an embed; default memoryStateSource() (the default setup, kept nowhere). `idPrefix`: default
 * '' when none of its ids is taken in the root's document, else the first free of 'nnplay-2-',
 * 'nnplay-3-', …; an explicit prefix whose ids are taken is an Error.
 */
export interface PlaygroundOptions extends ModeAppOptions {
  /**
   * localStorage key under which the trained model is kept, so a reload brings it back.
   * Give each playground on a page its own. Default: none (nothing is kept).
   */
  storageKey?: string | null;
  /** Where a dropped file is imported (default: the root; the page shell passes document). */
  dropTarget?: HTMLElement | Document;
}

/** Main-thread cost of drawing frames (for automation). */
export interface DrawStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

export class PlaygroundApp extends ModeApp<PlaygroundState, Hideable, PartName, ToWorker, FromWorker> {
  private readonly slots: ModelSlots | null;
  private readonly chart: LossChart;
  private readonly network: NetworkView;
  private readonly painter = new ValuePainter();

  private _playing = false;
  private latest: Snapshot | null = null;
  private data: Extract<FromWorker, { type: 'data' }> | null = null;
  private clouds: PointCloud[] = [];
  private featureMaps: Float32Array[] = []; // every feature on the thumbnail grid, ALL_FEATURES order
  private featureMapSize = 0;
  private inspected: NodeRef | null = null;
  private frameRequest: number | null = null;
  private drawnSnapshot: Snapshot | null = null;
  private _framesDrawn = 0; // heatmap frames drawn from new snapshots
  private readonly _drawStats: DrawStats = { count: 0, totalMs: 0, maxMs: 0 };
  private checkpoint: Checkpoint | null = null; // the latest model of this generation, as JSON
  private exportPending = false;
  private codeDialog: CodeExportDialog | null = null;
  // Export code waits for the checkpoint it asked for.
  private checkpointWaiters: { resolve: (c: Checkpoint) => void; reject: (e: Error) => void }[] = [];
  private storageWarned = false;
  // Whether Space on the page body is this app's shortcut: true until the user last pressed or
  // focused something outside this app (another playground, or the embedding page's content).
  private ownsShortcut = true;
  private lastAnnounce = -Infinity;
  private announcePending = false;
  private readonly resizeObserver: ResizeObserver;
  // Events: the epoch last announced, the steps at the last 'trained', whether 'ready' went out.
  private emittedEpoch = 0;
  private trainedSteps = 0;
  private readyEmitted = false;

  constructor(root: HTMLElement, options: PlaygroundOptions = {}) {
    super(root, options, {
      mode: 'playground',
      appName: 'PlaygroundApp',
      partNames: PART_NAMES,
      idStem: 'nnplay-',
      createMarkup,
      // A link without a seed gets a random one at start; an edit without one keeps the current seed.
      parse: (text, current) => ({ ...parseHash(text, current?.seed ?? randomSeed()), given: text !== '' }),
      serialize: (state, hidden) => serializeHash(state, hidden).slice(1),
      startClient: (onMessage, onLost) => new PlaygroundClient(onMessage, { onLost }),
    });
    this.slots = options.storageKey ? new ModelSlots(options.storageKey) : null;

    this.chart = new LossChart(this.ui.chart, 330, 150);
    this.network = new NetworkView(this.ui.network, {
      toggleFeature: (feature) => {
        const has = this._state.features.includes(feature);
        if (has && this._state.features.length === 1) {
          this.showMessage('The network needs at least one input feature.');
          return;
        }
        this._state.features = sortFeatures(has ? this._state.features.filter((f) => f !== feature) : [...this._state.features, feature]);
        this.rebuild();
      },
      addLayer: () => {
        const shape = this._state.networkShape;
        if (shape.length >= LIMITS.layers.max) return;
        this._state.networkShape = [...shape, shape[shape.length - 1] ?? 2];
        this.rebuild();
      },
      removeLayer: () => {
        if (this._state.networkShape.length <= LIMITS.layers.min) return;
        this._state.networkShape = this._state.networkShape.slice(0, -1);
        this.rebuild();
      },
      addNeuron: (layer) => {
        if (this._state.networkShape[layer] >= LIMITS.neurons.max) return;
        this._state.networkShape = this._state.networkShape.map((n, i) => (i === layer ? n + 1 : n));
        this.rebuild();
      },
      removeNeuron: (layer) => {
        if (this._state.networkShape[layer] <= LIMITS.neurons.min) return;
        this._state.networkShape = this._state.networkShape.map((n, i) => (i === layer ? n - 1 : n));
        this.rebuild();
      },
      inspect: (node) => {
        this.inspected = node;
        this.scheduleDraw();
      },
      setWeight: (layer, part, index, value) => {
        this.setPlaying(false);
        this.announcePending = true;
        this.send({ type: 'setWeight', generation: this._generation, layer, part, index, value });
      },
    });
    // The loss chart follows its column's width (narrow screens, embeds).
    this.resizeObserver = new ResizeObserver(() => {
      const column = this.root.querySelector<HTMLElement>('.output-column');
      if (column && column.clientWidth > 0) this.chart.setWidth(Math.min(330, column.clientWidth));
    });
    const outputColumn = this.root.querySelector<HTMLElement>('.output-column');
    if (outputColumn) this.resizeObserver.observe(outputColumn);

    this.fillControls();
    this.listen(options.dropTarget ?? root);
    this.send({ type: 'thumbnails', numPoints: 200 });
    // The model kept from the last visit comes with its setup: built from that, then its weights.
    const kept = this.keptModel();
    if (kept) this._state = kept.state;
    this.start();
    if (kept) this.restoreWeights(kept);
  }

  // ---------------------------------------------------------------- public

  get playing(): boolean {
    return this._playing;
  }

  /** Heatmap frames drawn from new snapshots. */
  get framesDrawn(): number {
    return this._framesDrawn;
  }

  get drawStats(): DrawStats {
    return { ...this._drawStats };
  }

  /** The epoch of the latest checkpoint of the current model, null before the first. */
  get checkpointEpoch(): number | null {
    return this.checkpoint?.epoch ?? null;
  }

  get lossHistory(): LossHistory {
    return this.chart.history();
  }

  play(): void {
    if (!this._disposed) this.setPlaying(true);
  }

  pause(): void {
    if (!this._disposed) this.setPlaying(false);
  }

  /** Trains one epoch (pausing first), as the Step button does. */
  step(): void {
    if (this._disposed) return;
    this.setPlaying(false);
    this.announcePending = true;
    this.clearMessage();
    this.send({ type: 'step' });
  }

  /** Fresh weights for the same setup and data (forgets the kept model), as Reset does. */
  reset(): void {
    if (this._disposed) return;
    this.setPlaying(false);
    this.clearMessage();
    this._generation++;
    this.emittedEpoch = 0;
    this.trainedSteps = 0;
    this.chart.clear();
    this.checkpoint = null;
    this.forgetKeptModel();
    this.send({ type: 'reset', generation: this._generation });
  }

  /** Replaces the setup (hash text or a partial state); validated like a link. */
  setStateText(text: string): void {
    if (!this._disposed) this.replaceState(text);
  }

  /** The localStorage key this setup's model is kept under (null without a storage key). */
  get storageSlot(): string | null {
    return this.slots?.slotKey(this._state) ?? null;
  }

  /** Whether the worker was lost and waits for the next Play to restart. */
  get workerLost(): boolean {
    return this.client.isLost;
  }

  /**
   * Keeps the trained model (as on pagehide), stops the worker, removes every listener the
   * app added and the elements it created. The app cannot be used afterwards.
   */
  override dispose(): void {
    if (this._disposed) return;
    this.keepModel();
    super.dispose();
  }

  protected disposeViews(): void {
    this._playing = false;
    this.resizeObserver.disconnect();
    if (this.frameRequest !== null) cancelAnimationFrame(this.frameRequest);
    this.frameRequest = null;
    this.network.dispose();
    this.chart.dispose();
    this.codeDialog?.dispose();
    for (const w of this.checkpointWaiters.splice(0)) w.reject(new Error('the playground was closed'));
    this.root.classList.remove('dropping');
  }

  // ---------------------------------------------------------------- controls

  private fillControls(): void {
    const ui = this.ui;
    fillSelect(ui['learning-rate'] as HTMLSelectElement, LEARNING_RATES);
    fillSelect(ui.activation as HTMLSelectElement, [...ALL_ACTIVATIONS], ['Tanh', 'ReLU', 'Sigmoid', 'Linear', 'Leaky ReLU', 'ELU']);
    fillSelect(ui['regularization-rate'] as HTMLSelectElement, REGULARIZATION_RATES);
    fillSelect(
      ui.speed as HTMLSelectElement,
      SPEEDS.map((s) => s.epochsPerSecond),
      SPEEDS.map((s) => s.label),
    );
    setRange(ui.ratio as HTMLInputElement, LIMITS.ratio);
    setRange(ui.noise as HTMLInputElement, LIMITS.noise);
    setRange(ui['batch-size'] as HTMLInputElement, LIMITS.batchSize);
  }

  private select(name: PartName): HTMLSelectElement {
    return this.ui[name] as HTMLSelectElement;
  }

  private input(name: PartName): HTMLInputElement {
    return this.ui[name] as HTMLInputElement;
  }

  /** Adds every listener, each removed by dispose() through one AbortSignal. */
  private listen(dropTarget: HTMLElement | Document): void {
    const signal = this.listeners.signal;
    const on = this.on.bind(this);
    const state = () => this._state;

    on('learning-rate', 'change', () => {
      state().learningRate = Number(this.select('learning-rate').value);
      this.send({ type: 'setLearningRate', learningRate: state().learningRate });
      this.writeSource();
    });
    on('activation', 'change', () => {
      state().activation = this.select('activation').value as PlaygroundState['activation'];
      this.rebuild();
    });
    const regularizationChanged = () => {
      state().regularization = this.select('regularization').value as RegularizationName;
      state().regularizationRate = Number(this.select('regularization-rate').value);
      this.select('regularization-rate').disabled = state().regularization === 'none';
      this.send({ type: 'setRegularization', regularization: state().regularization, rate: state().regularizationRate });
      this.writeSource();
    };
    on('regularization', 'change', regularizationChanged);
    on('regularization-rate', 'change', regularizationChanged);
    on('problem', 'change', () => {
      state().problem = this.select('problem').value as ProblemType;
      const allowed = datasetsFor(state().problem);
      if (!allowed.includes(state().dataset)) state().dataset = allowed[0] as DatasetName;
      this.rebuild();
    });
    on('speed', 'change', () => {
      state().speed = Number(this.select('speed').value);
      this.send({ type: 'setSpeed', epochsPerSecond: state().speed });
      this.writeSource();
    });
    // Sliders: show the value while dragging, apply on release (regenerating data on every
    // input event would restart training dozens of times per drag).
    on('ratio', 'input', () => {
      this.ui['ratio-value'].textContent = this.input('ratio').value;
      this.input('ratio').setAttribute('aria-valuetext', `${this.input('ratio').value}% training data`);
    });
    on('ratio', 'change', () => {
      state().ratio = Number(this.input('ratio').value);
      this.rebuild();
    });
    on('noise', 'input', () => (this.ui['noise-value'].textContent = this.input('noise').value));
    on('noise', 'change', () => {
      state().noise = Number(this.input('noise').value);
      this.rebuild();
    });
    on('batch-size', 'input', () => {
      this.ui['batch-size-value'].textContent = this.input('batch-size').value;
      state().batchSize = Number(this.input('batch-size').value);
      this.send({ type: 'setBatchSize', batchSize: state().batchSize });
      this.writeSource();
    });
    on('regenerate', 'click', () => {
      state().seed = randomSeed();
      this.rebuild();
    });
    on('show-test', 'change', () => {
      state().showTestData = this.input('show-test').checked;
      this.drawData();
      this.writeSource();
    });
    on('discretize', 'change', () => {
      state().discretize = this.input('discretize').checked;
      this.scheduleDraw();
      this.writeSource();
    });

    on('play-button', 'click', () => this.setPlaying(!this._playing));
    on('step-button', 'click', () => this.step());
    on('reset-button', 'click', () => this.reset());
    on('message-close', 'click', () => this.clearMessage());
    on('export-button', 'click', () => {
      // Ask for a checkpoint of this very moment; the download starts when it arrives.
      this.exportPending = true;
      this.send({ type: 'checkpoint' });
    });
    on('code-button', 'click', () => this.openCodeExport());
    on('import-button', 'click', () => this.input('import-file').click());
    on('import-file', 'change', () => {
      const input = this.input('import-file');
      const file = input.files?.[0];
      input.value = ''; // choosing the same file again still fires change
      if (file) void this.importFile(file);
    });

    // Space plays/pauses unless a control has focus (where Space has its own meaning).
    const doc = this.doc;
    const noteTarget = (target: EventTarget | null) => {
      if (!(target instanceof Node)) return;
      if (this.root.contains(target)) this.ownsShortcut = true;
      else if (target !== doc.body && target !== doc.documentElement) this.ownsShortcut = false;
    };
    doc.addEventListener('pointerdown', (e) => noteTarget(e.target), { signal, capture: true });
    doc.addEventListener('focusin', (e) => noteTarget(e.target), { signal });
    doc.addEventListener(
      'keydown',
      (e) => {
        if (e.key === ' ' && this.ownsShortcut && (e.target === doc.body || e.target === doc.documentElement)) {
          e.preventDefault();
          this.setPlaying(!this._playing);
        }
      },
      { signal },
    );

    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const drop = dropTarget as HTMLElement; // Document has the same drag events
    drop.addEventListener(
      'dragover',
      (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        this.root.classList.add('dropping');
      },
      { signal },
    );
    drop.addEventListener(
      'dragleave',
      (e) => {
        if (e.relatedTarget === null || !(e.relatedTarget instanceof Node) || !contains(dropTarget, e.relatedTarget)) {
          this.root.classList.remove('dropping');
        }
      },
      { signal },
    );
    drop.addEventListener(
      'drop',
      (e) => {
        this.root.classList.remove('dropping');
        const file = e.dataTransfer?.files?.[0];
        if (!file) return;
        e.preventDefault();
        void this.importFile(file);
      },
      { signal },
    );
    (doc.defaultView ?? window).addEventListener('pagehide', () => this.keepModel(), { signal });
  }

  /** Makes every control show the state, and the state source hold it. */
  private syncControls(): void {
    const s = this._state;
    selectNumber(this.select('learning-rate'), s.learningRate);
    this.select('activation').value = s.activation;
    this.select('regularization').value = s.regularization;
    selectNumber(this.select('regularization-rate'), s.regularizationRate);
    this.select('regularization-rate').disabled = s.regularization === 'none';
    this.select('problem').value = s.problem;
    // Classification shows the predicted probability of class 1 (drawn as 2p - 1); regression
    // shows the target value itself.
    const classification = s.problem === 'classification';
    this.ui['legend-low'].textContent = classification ? 'class 0' : '-1';
    this.ui['legend-high'].textContent = classification ? 'class 1' : '1';
    selectNumber(this.select('speed'), s.speed);
    this.input('ratio').value = String(s.ratio);
    this.input('ratio').setAttribute('aria-valuetext', `${s.ratio}% training data`);
    this.ui['ratio-value'].textContent = String(s.ratio);
    this.input('noise').value = String(s.noise);
    this.ui['noise-value'].textContent = String(s.noise);
    this.input('batch-size').value = String(s.batchSize);
    this.ui['batch-size-value'].textContent = String(s.batchSize);
    this.input('show-test').checked = s.showTestData;
    this.input('discretize').checked = s.discretize;
    this.renderDatasetPicker();
    this.applyHidden();
    this.writeSource();
  }

  /** A setup from the source (at start or edited there): new data and a new model. */
  protected applyState(): void {
    this.rebuild();
  }

  // ---------------------------------------------------------------- the worker

  /** Every message to the worker; a lost worker is restarted first, with the last state. */
  private send(message: ToWorker, transfer: Transferable[] = []): void {
    if (this._disposed) return;
    if (this.client.isLost) {
      // Live settings and pauses wait: the restart sends the whole current setup anyway.
      if (!RESTARTING_MESSAGES.has(message.type)) return;
      this.restartWorker();
    }
    this.client.send(message, transfer);
  }

  protected onWorkerLost(reason: string): void {
    this.showPlaying(false);
    this.exportPending = false;
    const cp = this.checkpoint;
    const from = cp && cp.steps > 0 ? `epoch ${Math.floor(cp.epoch + 1e-9)}` : 'the start';
    this.showMessage(`The training worker stopped (${reason}); press Play to restart it from ${from}.`);
    emit(this.root, 'workerlost', { reason });
  }

  /** A new worker with this setup, data and (from the latest checkpoint) weights and epoch. */
  private restartWorker(): void {
    this.restartClient();
    this.client.send({ type: 'thumbnails', numPoints: 200 });
    this.client.send({ type: 'configure', setup: toSetup(this._state, GRID_SIZE), generation: this._generation });
    this.client.send({ type: 'setSpeed', epochsPerSecond: this._state.speed });
    const cp = this.checkpoint;
    if (!cp || cp.steps === 0) return;
    const plan = readPlaygroundFile(makePlaygroundFile(this._state, cp, this.chart.history()));
    this.chart.restore(plan.losses);
    this.trainedSteps = plan.steps;
    this.client.send(
      { type: 'setWeights', generation: this._generation, weights: plan.weights, epoch: plan.epoch, steps: plan.steps },
      plan.weights.map((w) => w.values.buffer),
    );
  }

  private applyHidden(): void {
    for (const e of this.root.querySelectorAll<HTMLElement>('[data-control]')) {
      const control = e.dataset.control as Hideable;
      e.hidden = (HIDEABLE as readonly string[]).includes(control) && this.hidden.has(control);
    }
    // An embed that hides every data control should not show an empty "Data" column.
    const dataColumn = this.root.querySelector<HTMLElement>('.data-column');
    if (dataColumn) {
      const controls = [...dataColumn.querySelectorAll<HTMLElement>('[data-control]')];
      dataColumn.hidden = controls.length > 0 && controls.every((c) => c.hidden);
    }
  }

  private renderDatasetPicker(): void {
    const picker = this.ui.datasets;
    const names = datasetsFor(this._state.problem);
    const existing = [...picker.querySelectorAll<HTMLButtonElement>('button')];
    if (existing.map((b) => b.dataset.dataset).join() !== names.join()) {
      picker.replaceChildren(
        ...names.map((name) => {
          const b = this.doc.createElement('button');
          b.type = 'button';
          b.className = 'dataset';
          b.dataset.dataset = name;
          b.setAttribute('aria-label', `Dataset ${name}`);
          b.title = name;
          const canvas = this.doc.createElement('canvas');
          canvas.width = 120;
          canvas.height = 120;
          b.append(canvas);
          b.addEventListener(
            'click',
            () => {
              if (this._state.dataset === name) return;
              this._state.dataset = name;
              this.rebuild();
            },
            { signal: this.listeners.signal },
          );
          return b;
        }),
      );
      this.drawThumbnails();
    }
    for (const b of picker.querySelectorAll<HTMLButtonElement>('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.dataset === this._state.dataset));
    }
  }

  private drawThumbnails(): void {
    for (const b of this.ui.datasets.querySelectorAll<HTMLButtonElement>('button')) {
      const cloud = this.clouds.find((c) => c.dataset === b.dataset.dataset);
      const canvas = b.querySelector('canvas');
      if (cloud && canvas) drawPoints(canvas, cloud.points, cloud.labels, 0, cloud.labels.length, 2.2, null, this.labelMap());
    }
  }

  /** Plays or pauses the worker and shows it. */
  private setPlaying(next: boolean): void {
    if (this._playing && !next) this.announcePending = true;
    this.showPlaying(next);
    if (next) this.clearMessage();
    this.send({ type: next ? 'play' : 'pause' });
  }

  /** Shows the play state only (e.g. when the worker stopped by itself). */
  private showPlaying(next: boolean): void {
    this._playing = next;
    const play = this.ui['play-button'];
    play.setAttribute('aria-label', next ? 'Pause' : 'Play');
    play.title = next ? 'Pause (Space)' : 'Play (Space)';
    play.classList.toggle('playing', next);
  }

  /** New data and a new model from the whole state (what every structural change needs). */
  private rebuild(): void {
    this.setPlaying(false);
    this._generation++;
    this.emittedEpoch = 0;
    this.trainedSteps = 0;
    this.latest = null;
    this.checkpoint = null;
    this.exportPending = false;
    this.chart.clear();
    this.syncControls();
    this.network.setShape(this._state.features, this._state.networkShape);
    this.applyHidden();
    this.send({ type: 'configure', setup: toSetup(this._state, GRID_SIZE), generation: this._generation });
    this.send({ type: 'setSpeed', epochsPerSecond: this._state.speed });
  }

  // ---------------------------------------------------------------- messages

  protected onWorkerMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        if (!this.readyEmitted) emit(this.root, 'ready', { mode: 'playground', simd: message.simd });
        this.readyEmitted = true;
        this.showEngine(message.simd);
        break;
      case 'thumbnails':
        this.clouds = message.clouds;
        this.featureMaps = message.featureMaps;
        this.featureMapSize = message.thumbSize;
        this.network.setFeatureMaps(this.featureMaps, this.featureMapSize);
        this.drawThumbnails();
        break;
      case 'data':
        if (message.generation !== this._generation) return;
        this.data = message;
        this.drawData();
        break;
      case 'snapshot':
        if (message.snapshot.generation !== this._generation) return;
        this.latest = message.snapshot;
        this.chart.add(this.latest.epoch, this.latest.trainLoss, this.latest.testLoss);
        this.scheduleDraw();
        this.emitProgress(this.latest);
        break;
      case 'checkpoint':
        if (message.checkpoint.generation !== this._generation) return;
        this.checkpoint = message.checkpoint;
        this.keepModel();
        if (this.exportPending) {
          this.exportPending = false;
          this.downloadModel();
        }
        for (const w of this.checkpointWaiters.splice(0)) w.resolve(message.checkpoint);
        break;
      case 'error':
        if (this._playing) this.announcePending = true;
        this.showPlaying(false); // the worker has stopped
        this.exportPending = false;
        for (const w of this.checkpointWaiters.splice(0)) w.reject(new Error(message.message));
        if (message.diverged) {
          emit(this.root, 'diverged', { message: message.message });
          const hint = /smaller learning rate/i.test(message.message) ? '' : ' Try a smaller learning rate.';
          this.showMessage(`${sentence(message.message)}${hint} Press Play or Reset to start again from fresh weights.`);
        } else {
          this.showMessage(message.message);
        }
        break;
    }
  }

  /** 'epoch' when a whole epoch more is done; 'trained' when training stopped with progress. */
  private emitProgress(s: Snapshot): void {
    const epoch = Math.floor(s.epoch + 1e-9);
    const losses = { epoch, trainLoss: s.trainLoss, testLoss: s.testLoss };
    if (epoch > this.emittedEpoch) {
      this.emittedEpoch = epoch;
      emit(this.root, 'epoch', losses);
    }
    if (!s.playing && s.steps > this.trainedSteps) {
      this.trainedSteps = s.steps;
      emit(this.root, 'trained', losses);
    }
  }

  // ---------------------------------------------------------------- keeping, exporting, importing

  // The app keeps the current model in localStorage (under its storage key) whenever the
  // worker posts a checkpoint (about once a second while training, and on pause and step) and
  // on pagehide, so a reload brings back the weights, the epoch and the loss chart. Only a
  // trained model is kept: a fresh one is reproduced by the setup alone, and keeping it would
  // overwrite earlier work.

  private keepModel(): void {
    if (this._disposed || this.slots === null || !this.checkpoint || this.checkpoint.steps === 0) return;
    try {
      this.slots.save(this._state, JSON.stringify(makePlaygroundFile(this._state, this.checkpoint, this.chart.history())));
    } catch (e) {
      if (!this.storageWarned) {
        this.storageWarned = true;
        this.showMessage(`The trained model cannot be kept in this browser's storage (${e instanceof Error ? e.message : String(e)}); use Export model to keep it.`);
      }
    }
  }

  private forgetKeptModel(): void {
    if (this.slots === null) return;
    try {
      this.slots.forget(this._state);
    } catch {
      // Storage unavailable: nothing was kept either.
    }
  }

  /**
   * The kept model of this start: the one of this setup (its own slot), or with no setup
   * given at all, the one trained last. A given setup keeps its display options.
   */
  private keptModel(): RestorePlan | null {
    if (this.slots === null) return null;
    const given = this.givenAtStart;
    let text: string | null = null;
    try {
      text = this.slots.load(given ? this._state : null);
    } catch {
      return null;
    }
    if (!text) return null;
    try {
      const plan = readPlaygroundFile(JSON.parse(text));
      if (!given) return plan;
      if (setupId(plan.state) !== setupId(this._state)) return null;
      const { showTestData, discretize, speed } = this._state;
      return { ...plan, state: { ...plan.state, showTestData, discretize, speed } };
    } catch {
      try {
        this.slots.forget(this._state); // unreadable (e.g. written by another version): start clean
      } catch {
        // Storage unavailable.
      }
      return null;
    }
  }

  /** Applies a saved setup and model: new data and model from the setup, then the weights. */
  private applyPlan(plan: RestorePlan): void {
    this._state = plan.state;
    this.rebuild();
    this.restoreWeights(plan);
  }

  /** The saved weights, epoch and loss curve into the model just built from the plan's setup. */
  private restoreWeights(plan: RestorePlan): void {
    this.trainedSteps = plan.steps;
    this.emittedEpoch = Math.floor(plan.epoch + 1e-9);
    this.send(
      { type: 'setWeights', generation: this._generation, weights: plan.weights, epoch: plan.epoch, steps: plan.steps },
      plan.weights.map((w) => w.values.buffer),
    );
    this.chart.restore(plan.losses);
  }

  /** Export code: the dialog shows this very moment's model as Keras / PyTorch / TF.js code. */
  private openCodeExport(): void {
    this.codeDialog ??= new CodeExportDialog(this.doc, {
      model: () =>
        new Promise<Checkpoint>((resolve, reject) => {
          this.checkpointWaiters.push({ resolve, reject });
          this.send({ type: 'checkpoint' });
        }).then((c) => c.model),
      comment: () => [
        `nnplay 2-D playground, dataset "${this._state.dataset}": each sample is one point's features`,
        `[${this._state.features.join(', ')}] (x1, x2 in [-6, 6]), in this order.`,
      ],
      fileBase: () => `nnplay-${this._state.dataset}`,
    });
    void this.codeDialog.open();
  }

  private downloadModel(): void {
    if (!this.checkpoint) return;
    const file = makePlaygroundFile(this._state, this.checkpoint, this.chart.history());
    const blob = new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
    const href = URL.createObjectURL(blob);
    const a = this.doc.createElement('a');
    a.href = href;
    a.download = `nnplay-${this._state.dataset}-epoch${Math.floor(this.checkpoint.epoch + 1e-9)}.json`;
    this.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  }

  private async importFile(file: File): Promise<void> {
    let plan: RestorePlan;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(`the file is ${file.size} bytes; a playground file is far smaller (limit ${MAX_FILE_BYTES}).`);
      const text = await file.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('the file is not JSON; Import model reads the .json files that Export model writes.');
      }
      plan = readPlaygroundFile(json);
    } catch (e) {
      if (!this._disposed) this.showMessage(`Could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this._disposed) return; // disposed while the file was read
    this.clearMessage();
    this.applyPlan(plan);
  }

  // ---------------------------------------------------------------- drawing

  /** Classification outputs are probabilities: show them on the [-1, 1] scale as 2p - 1. */
  private outputMap(): (v: number) => number {
    return this._state.problem === 'classification' ? (p) => 2 * p - 1 : (v) => v;
  }

  private labelMap(): (v: number) => number {
    return this._state.problem === 'classification' ? (l) => 2 * l - 1 : (v) => v;
  }

  private drawData(): void {
    const data = this.data;
    if (!data) return;
    const points = this.ui.points as HTMLCanvasElement;
    drawPoints(points, data.points, data.labels, 0, data.numTrain, 6.5, '#fff', this.labelMap());
    if (this._state.showTestData) {
      drawPoints(points, data.points, data.labels, data.numTrain, data.numTrain + data.numTest, 6.5, '#000', this.labelMap(), false);
    }
  }

  private scheduleDraw(): void {
    if (this.frameRequest !== null || this._disposed) return;
    this.frameRequest = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frameRequest = null;
    const t0 = performance.now();
    this.drawFrame();
    const ms = performance.now() - t0;
    this._drawStats.count++;
    this._drawStats.totalMs += ms;
    this._drawStats.maxMs = Math.max(this._drawStats.maxMs, ms);
  }

  private drawFrame(): void {
    this.chart.draw();
    const s = this.latest;
    if (!s) return;
    if (s !== this.drawnSnapshot) this._framesDrawn++;
    this.drawnSnapshot = s;
    const state = this._state;
    const heatmap = this.ui.heatmap as HTMLCanvasElement;
    const label = this.ui['inspect-label'];
    this.ui.epoch.textContent = String(Math.floor(s.epoch + 1e-9));
    this.ui['train-loss'].textContent = formatLossValue(s.trainLoss);
    this.ui['test-loss'].textContent = formatLossValue(s.testLoss);
    this.network.update(s, state.discretize, this.outputMap());

    // The main plot shows the model output, or the hovered node's output, large.
    const outputLayer = s.neurons.length - 1;
    const inspected = this.inspected;
    if (inspected?.kind === 'neuron' && s.neurons[inspected.layer]?.[inspected.unit]) {
      const values = s.neurons[inspected.layer][inspected.unit];
      this.painter.paint(heatmap, values, s.thumbSize, state.discretize, inspected.layer === outputLayer ? this.outputMap() : undefined);
      label.textContent =
        inspected.layer === outputLayer ? 'Showing the output neuron' : `Showing neuron ${inspected.unit + 1} of layer ${inspected.layer + 1}`;
    } else if (inspected?.kind === 'feature' && this.featureMaps[ALL_FEATURES.indexOf(inspected.feature)]) {
      const values = this.featureMaps[ALL_FEATURES.indexOf(inspected.feature)];
      let max = 0;
      for (const v of values) max = Math.max(max, Math.abs(v));
      this.painter.paint(heatmap, values, this.featureMapSize, false, (v) => (max > 0 ? v / max : 0));
      label.textContent = `Showing feature ${inspected.feature}`;
    } else {
      this.painter.paint(heatmap, s.output, s.gridSize, state.discretize, this.outputMap());
      label.textContent = '';
    }
    this.describe(s);
  }

  /**
   * The text alternatives of the heatmap and the loss chart, and the polite status line: on
   * pause, step and reset at once, and at most every ANNOUNCE_MS while training (the figures
   * themselves change 40 times a second, far too often to be read out).
   */
  private describe(s: Snapshot): void {
    const now = performance.now();
    const due = (this.announcePending && !this._playing) || now - this.lastAnnounce >= ANNOUNCE_MS;
    if (!due) return;
    const first = this.lastAnnounce === -Infinity;
    this.lastAnnounce = now;
    const announce = this.announcePending || (this._playing && !first);
    this.announcePending = false;
    const epoch = Math.floor(s.epoch + 1e-9);
    const losses = `test loss ${formatLossValue(s.testLoss)}, training loss ${formatLossValue(s.trainLoss)}`;
    const what =
      this._state.problem === 'classification'
        ? 'the predicted class (orange class 0, blue class 1, pale where unsure)'
        : 'the predicted value (orange negative, blue positive)';
    const shown = this.ui['inspect-label'].textContent ? ` ${this.ui['inspect-label'].textContent}.` : '';
    this.ui.heatmap.setAttribute(
      'aria-label',
      `Heatmap of ${what} over x1 and x2 from -6 to 6, dataset ${this._state.dataset}, after epoch ${epoch}: ${losses}.${shown}`,
    );
    const h = this.chart.history();
    this.ui['chart-summary'].textContent = h.epoch.length
      ? `Loss chart: training and test loss over ${h.epoch.length} points up to epoch ${epoch}; latest ${losses}.`
      : 'Loss chart: no epochs yet.';
    if (announce) this.ui.announcer.textContent = `${this._playing ? 'Training' : 'Paused'}: epoch ${epoch}, ${losses}.`;
  }
}

// ---------------------------------------------------------------- helpers (pure, or DOM only)

function contains(target: HTMLElement | Document, node: Node): boolean {
  return target === node || target.contains(node);
}

/** Selects `value`, adding it as an option first when a link carried an unlisted value. */
function selectNumber(select: HTMLSelectElement, value: number): void {
  const v = String(value);
  if (![...select.options].some((o) => o.value === v)) {
    const o = select.ownerDocument.createElement('option');
    o.value = v;
    o.textContent = v;
    select.append(o);
  }
  select.value = v;
}

function setRange(input: HTMLInputElement, limits: { min: number; max: number; step?: number }): void {
  input.min = String(limits.min);
  input.max = String(limits.max);
  input.step = String(limits.step ?? 1);
}

/** Points on a canvas over [-DOMAIN, DOMAIN]²; stroke white for train, black for test. */
function drawPoints(
  canvas: HTMLCanvasElement,
  points: Float32Array,
  labels: Float32Array,
  from: number,
  to: number,
  radius: number,
  stroke: string | null,
  labelMap: (v: number) => number,
  clear = true,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  if (clear) ctx.clearRect(0, 0, width, height);
  for (let i = from; i < to; i++) {
    const x = ((points[2 * i] + DOMAIN) / (2 * DOMAIN)) * width;
    const y = ((DOMAIN - points[2 * i + 1]) / (2 * DOMAIN)) * height;
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = pointColor(labelMap(labels[i]));
    ctx.fill();
    if (stroke) {
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  }
}

function pointColor(v: number): string {
  // Points use the saturated ends of the scale so they stand out from the heatmap.
  const t = Math.max(-1, Math.min(1, v));
  const a = t < 0 ? [245, 147, 34] : [8, 119, 189];
  const m = Math.abs(t) * 0.6 + 0.4;
  const r = Math.round(232 + (a[0] - 232) * m);
  const g = Math.round(234 + (a[1] - 234) * m);
  const b = Math.round(235 + (a[2] - 235) * m);
  return `rgb(${r},${g},${b})`;
}

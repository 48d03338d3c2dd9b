// The Images mode as an object rooted at an element: MNIST / Fashion-MNIST, a layer-stack
// editor whose shapes and parameter counts come from the engine, training in a worker with
// loss and accuracy curves, a confusion matrix that opens the images it counts, a grid of test
// images, a drawing pad whose probabilities update as you draw, and a host for the
// inside-the-network view. It computes no model math: every figure arrives from its worker.
//
// What it shares with SequencesApp (its own worker, state source, storage key and id prefix, the
// training controls, the status line, the kept models, a lost worker's restart) is
// TrainingModeApp (../training-mode-app.ts); this file is the Images mode's own part. Views
// redraw at most once per animation frame.
import { preprocessDigit } from 'nnplay';
import { ImagesClient } from '../../worker/images-client';
import { IMAGE_DATASETS, IMAGE_LAYER_TYPES } from '../../worker/images-protocol';
import type { FromImagesWorker, ImageEvaluation, ImageLayer, ImageLayerType, ImageSource, InsideSnapshot, InspectedImageLayer, ToImagesWorker } from '../../worker/images-protocol';
import type { TrainingReportMessage } from '../../worker/mode-protocol';
import { formatLossValue } from '../loss-chart';
import { type AnnounceWhen, TrainingModeApp, type TrainingModeOptions, fillSelect, sentence } from '../training-mode-app';
import { IMAGES_PART_NAMES, createImagesMarkup } from './images-markup';
import type { ImagesPartName } from './images-markup';
import { InsideView } from './inside-view';
import {
  DATASET_LABELS,
  IMAGES_LEARNING_RATE,
  LAYER_LIMITS,
  PRESETS,
  defaultLayer,
  parseImagesHash,
  presetOf,
  serializeImagesHash,
  setField,
} from './images-state';
import type { ImagesHideable, ImagesState, PresetName } from './images-state';
import '../style.css';
import './images.css';

/** The setup (the stack above all) is kept under `storageKey`. */
export type ImagesOptions = TrainingModeOptions;

const LAYER_LABELS: Record<ImageLayerType, string> = {
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  dropout: 'Dropout',
  batchNormalization: 'BatchNormalization',
  flatten: 'Flatten',
  dense: 'Dense',
};
// Test images shown in the grid at once.
const GRID_MAX = 64;
// The inside view and the chosen image's probabilities are refreshed this often while training.
const LOOK_MS = 150;
// A stack edit rebuilds the model after this pause (typing "128" is one edit, not three).
const BUILD_DELAY_MS = 250;

type GridFilter = { kind: 'all' } | { kind: 'wrong' } | { kind: 'cell'; truth: number; predicted: number };

export class ImagesApp extends TrainingModeApp<ImagesState, ImagesHideable, ImagesPartName, ToImagesWorker, FromImagesWorker> {
  private readonly inside: InsideView;

  // Engine facts (from the worker's 'ready').
  private activations: string[] = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'];

  // Inspection of the current stack.
  private inspectRequest = 0;
  private inspection: Extract<FromImagesWorker, { type: 'inspection' }> | null = null;

  // Data and model.
  private loadedDataset: string | null = null;
  private classNames: string[] = [];
  private testImages: Uint8Array | null = null;
  private testLabels: Uint8Array | null = null;
  private numTest = 0;
  private buildTimer: ReturnType<typeof setTimeout> | null = null;
  private evaluation: ImageEvaluation | null = null;
  private _evaluations = 0;
  private filter: GridFilter = { kind: 'all' };
  private gridIndices: number[] = [];

  // The chosen image (inside view, probabilities) and the drawing.
  private chosen: ImageSource | null = null;
  // Look requests: at most one in flight per purpose (the chosen image, the drawing's
  // prediction); a wish made meanwhile is sent when the reply arrives, with the latest input.
  private lookRequest = 0;
  private readonly looks = new Map<number, { chosen: boolean; drawing: boolean }>();
  private inFlight = { chosen: false, drawing: false };
  private wanted = { chosen: false, drawing: false };
  private drawing = false;
  private drawingDirty = false;
  private drawnImage: Float32Array | null = null;
  private lastPoint: { x: number; y: number } | null = null;

  private frameRequest: number | null = null;
  private readonly _drawStats = { count: 0, totalMs: 0, maxMs: 0, parts: {} as Record<string, number> };
  private dirty = { progress: false, evaluation: false, grid: false };
  private lookTimer: ReturnType<typeof setInterval> | null = null;

  constructor(root: HTMLElement, options: ImagesOptions = {}) {
    super(root, options, {
      mode: 'images',
      appName: 'ImagesApp',
      partNames: IMAGES_PART_NAMES,
      createMarkup: createImagesMarkup,
      parse: parseImagesHash,
      serialize: serializeImagesHash,
      startClient: (onMessage, onLost) => new ImagesClient(onMessage, onLost),
      chartWidth: 330,
      learningRate: IMAGES_LEARNING_RATE,
      restartsWith: 'your stack, settings',
    });
    this.inside = new InsideView(this.ui['inside-view'], { headingLevel: 3 });
    this.fillControls();
    this.listen();
    this.start();
    this.lookTimer = setInterval(() => {
      if (this._training && this.chosen) this.look();
    }, LOOK_MS);
  }

  // ---------------------------------------------------------------- public (automation hooks)

  /** Evaluations received for the current model. */
  get evaluations(): number {
    return this._evaluations;
  }

  /** The loaded dataset's test size and class names (0 and [] before it is loaded). */
  get testSize(): number {
    return this.loadedDataset ? this.numTest : 0;
  }

  /** Snapshots passed to the inside view so far. */
  get insideUpdates(): number {
    return this._insideUpdates;
  }

  /** Main-thread cost of the frames drawn: count, total and longest, and the longest per part. */
  get drawStats(): { count: number; totalMs: number; maxMs: number; parts: Record<string, number> } {
    return structuredClone(this._drawStats);
  }

  get classes(): string[] {
    return [...this.classNames];
  }

  protected disposeViews(): void {
    if (this.frameRequest !== null) cancelAnimationFrame(this.frameRequest);
    if (this.buildTimer) clearTimeout(this.buildTimer);
    if (this.lookTimer) clearInterval(this.lookTimer);
    this.inside.dispose();
  }

  // ---------------------------------------------------------------- state

  protected applyState(): void {
    this.applyHidden();
    this.syncControls();
    this.renderStack();
    this.writeSource();
    this.requestInspection();
    this.loadDataset();
  }

  private applyHidden(): void {
    for (const e of this.root.querySelectorAll<HTMLElement>('[data-control]')) {
      e.hidden = this.hidden.has(e.dataset.control as ImagesHideable);
    }
  }

  // ---------------------------------------------------------------- controls

  private fillControls(): void {
    fillSelect(this.el('dataset'), [...IMAGE_DATASETS], IMAGE_DATASETS.map((d) => DATASET_LABELS[d]));
    fillSelect(this.el('preset'), ['', ...Object.keys(PRESETS)], ['Custom', ...Object.values(PRESETS).map((p) => p.label)]);
    fillSelect(this.el('add-type'), [...IMAGE_LAYER_TYPES], IMAGE_LAYER_TYPES.map((t) => LAYER_LABELS[t]));
    this.fillOptimizers();
    this.fillGridFilter();
  }

  protected syncControls(): void {
    const s = this._state;
    this.el<HTMLSelectElement>('dataset').value = s.dataset;
    this.el<HTMLSelectElement>('preset').value = presetOf(s) ?? '';
    this.syncTrainingControls();
  }

  private listen(): void {
    const on = this.on.bind(this);
    const s = () => this._state;

    on('dataset', 'change', () => {
      s().dataset = this.el<HTMLSelectElement>('dataset').value as ImagesState['dataset'];
      this.writeSource();
      this.loadDataset();
    });
    on('preset', 'change', () => {
      const name = this.el<HTMLSelectElement>('preset').value as PresetName | '';
      if (!name) return;
      const p = PRESETS[name];
      Object.assign(s(), { layers: structuredClone(p.layers), optimizer: p.optimizer, learningRate: p.learningRate, batchSize: p.batchSize, epochs: p.epochs });
      this.stackChanged();
      this.syncControls();
    });
    on('optimizer', 'change', () => {
      this.takeChosenOptimizer();
      this.writeSource();
      this.scheduleBuild(0);
    });
    this.listenTrainingControls();
    on('batch-size', 'change', () => {
      const v = this.intInput('batch-size', LAYER_LIMITS.batchSize, s().batchSize, 'The batch size');
      s().batchSize = v;
      this.client.send({ type: 'setBatchSize', batchSize: v });
      this.writeSource();
    });
    on('epochs', 'change', () => {
      const v = this.intInput('epochs', LAYER_LIMITS.epochs, s().epochs, 'Epochs');
      s().epochs = v;
      this.epochTarget = v;
      this.client.send({ type: 'setEpochs', epochs: v });
      this.writeSource();
    });
    on('step-button', 'click', () => this.step());
    on('add-layer', 'click', () => {
      const type = this.el<HTMLSelectElement>('add-type').value as ImageLayerType;
      const layers = s().layers;
      if (layers.length >= LAYER_LIMITS.layers.max) {
        this.showMessage(`A stack has at most ${LAYER_LIMITS.layers.max} layers.`);
        return;
      }
      // Before the output layer, where a new hidden layer belongs.
      const last = layers[layers.length - 1];
      const at = last?.type === 'dense' && last.activation === 'softmax' ? layers.length - 1 : layers.length;
      layers.splice(at, 0, defaultLayer(type));
      this.stackChanged(at);
    });
    on('grid-filter', 'change', () => {
      const v = this.el<HTMLSelectElement>('grid-filter').value;
      if (v === 'all' || v === 'wrong') this.filter = { kind: v };
      this.fillGridFilter();
      this.markDirty('grid');
    });
    on('confusion-matrix', 'click', (e) => {
      const b = (e.target as Element | null)?.closest?.('button');
      if (!b || b.dataset.truth === undefined) return;
      this.filter = { kind: 'cell', truth: Number(b.dataset.truth), predicted: Number(b.dataset.predicted) };
      this.fillGridFilter();
      this.markDirty('grid');
    });
    on('draw-clear', 'click', () => this.clearDrawing());
    this.listenDrawing();
  }

  private intInput(name: ImagesPartName, limits: { min: number; max: number }, kept: number, what: string): number {
    const v = Number(this.el<HTMLInputElement>(name).value);
    if (Number.isInteger(v) && v >= limits.min && v <= limits.max) return v;
    this.showMessage(`${what} must be a whole number from ${limits.min} to ${limits.max}; kept ${kept}.`);
    this.el<HTMLInputElement>(name).value = String(kept);
    return kept;
  }

  // ---------------------------------------------------------------- the layer stack

  /** After any stack edit: keep it, show it, ask the engine about it, rebuild when it fits. */
  private stackChanged(focusLayer?: number): void {
    this.writeSource();
    this.el<HTMLSelectElement>('preset').value = presetOf(this._state) ?? '';
    this.renderStack(focusLayer);
    this.requestInspection();
  }

  private renderStack(focusLayer?: number, focusPart = ''): void {
    const list = this.ui.layers;
    const doc = this.doc;
    const layers = this._state.layers;
    const signal = this.listeners.signal;
    list.replaceChildren(
      ...layers.map((layer, i) => {
        const li = doc.createElement('li');
        li.className = 'layer';
        li.tabIndex = 0;
        li.dataset.index = String(i);
        li.setAttribute('aria-label', `Layer ${i + 1}: ${LAYER_LABELS[layer.type]}`);
        const head = doc.createElement('div');
        head.className = 'layer-head';
        const title = doc.createElement('strong');
        title.textContent = `${i + 1}. ${LAYER_LABELS[layer.type]}`;
        const shape = doc.createElement('span');
        shape.className = 'layer-shape';
        const params = doc.createElement('span');
        params.className = 'layer-params';
        head.append(title, shape, params);
        const fields = doc.createElement('div');
        fields.className = 'layer-fields';
        for (const field of fieldsOf(layer)) fields.append(this.fieldInput(layer, i, field));
        const tools = doc.createElement('div');
        tools.className = 'layer-tools';
        const tool = (label: string, text: string, part: string, disabled: boolean, act: () => void) => {
          const b = doc.createElement('button');
          b.type = 'button';
          b.className = 'tool';
          b.textContent = text;
          b.dataset.part = part;
          b.setAttribute('aria-label', label);
          b.title = label;
          b.disabled = disabled;
          b.addEventListener('click', act, { signal });
          return b;
        };
        tools.append(
          tool(`Move layer ${i + 1} up`, '↑', 'up', i === 0, () => this.moveLayer(i, -1, 'up')),
          tool(`Move layer ${i + 1} down`, '↓', 'down', i === layers.length - 1, () => this.moveLayer(i, 1, 'down')),
          tool(`Remove layer ${i + 1}`, '×', 'remove', false, () => this.removeLayer(i)),
        );
        const error = doc.createElement('p');
        error.className = 'layer-error';
        error.hidden = true;
        li.append(head, fields, tools, error);
        li.addEventListener(
          'keydown',
          (e) => {
            if (e.target !== li) return;
            if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
              e.preventDefault();
              this.moveLayer(i, e.key === 'ArrowUp' ? -1 : 1, '');
            } else if (e.key === 'Delete' || e.key === 'Backspace') {
              e.preventDefault();
              this.removeLayer(i);
            }
          },
          { signal },
        );
        return li;
      }),
    );
    this.showInspection();
    if (focusLayer !== undefined) {
      const li = list.children[Math.min(focusLayer, layers.length - 1)] as HTMLElement | undefined;
      const target = focusPart ? li?.querySelector<HTMLElement>(`[data-part="${focusPart}"]:not(:disabled)`) : null;
      (target ?? li)?.focus();
    }
  }

  private fieldInput(layer: ImageLayer, index: number, field: keyof ImageLayer): HTMLElement {
    const doc = this.doc;
    const label = doc.createElement('label');
    label.className = 'layer-field';
    const caption = doc.createElement('span');
    caption.className = 'caption';
    caption.textContent = FIELD_LABELS[field] ?? field;
    label.append(caption);
    const value = String(layer[field] ?? '');
    let control: HTMLInputElement | HTMLSelectElement;
    if (field === 'padding' || field === 'activation') {
      const select = doc.createElement('select');
      const choices = field === 'padding' ? ['valid', 'same'] : [...this.activations];
      if (!choices.includes(value)) choices.push(value);
      fillSelect(select, choices);
      select.value = value;
      control = select;
    } else {
      const input = doc.createElement('input');
      input.type = 'number';
      const limits = LAYER_LIMITS[field as 'filters'];
      input.min = String(limits.min);
      input.max = String(limits.max);
      input.step = field === 'rate' ? '0.05' : '1';
      input.inputMode = field === 'rate' ? 'decimal' : 'numeric';
      input.value = value;
      control = input;
    }
    control.dataset.part = field;
    control.setAttribute('aria-label', `Layer ${index + 1} ${FIELD_LABELS[field] ?? field}`);
    const apply = () => {
      const problem = setField(layer, field, control.value);
      if (problem) {
        this.showMessage(`Layer ${index + 1} (${layer.type}): ${problem}; kept ${String(layer[field])}.`);
        if (this.doc.activeElement !== control) control.value = String(layer[field] ?? '');
        return;
      }
      this.clearMessage();
      this.writeSource();
      this.el<HTMLSelectElement>('preset').value = presetOf(this._state) ?? '';
      this.requestInspection();
    };
    // Numbers apply as you type (shapes follow at once); a bad value waits for the next key.
    control.addEventListener(control instanceof HTMLInputElement ? 'input' : 'change', () => {
      if (control instanceof HTMLInputElement && setField(structuredClone(layer), field, control.value)) return;
      apply();
    }, { signal: this.listeners.signal });
    control.addEventListener('change', apply, { signal: this.listeners.signal });
    label.append(control);
    return label;
  }

  private moveLayer(i: number, by: -1 | 1, part: string): void {
    const layers = this._state.layers;
    const j = i + by;
    if (j < 0 || j >= layers.length) return;
    [layers[i], layers[j]] = [layers[j], layers[i]];
    this.writeSource();
    this.el<HTMLSelectElement>('preset').value = presetOf(this._state) ?? '';
    this.renderStack(j, part);
    this.requestInspection();
  }

  private removeLayer(i: number): void {
    this._state.layers.splice(i, 1);
    this.stackChanged(Math.max(0, i - 1));
  }

  private requestInspection(): void {
    this.inspectRequest++;
    this.client.send({ type: 'inspect', requestId: this.inspectRequest, layers: structuredClone(this._state.layers) });
  }

  /** Shapes, parameter counts and the failing layer's message, on the rendered stack. */
  private showInspection(): void {
    const r = this.inspection;
    const items = [...this.ui.layers.children] as HTMLElement[];
    items.forEach((li, i) => {
      const shape = li.querySelector('.layer-shape');
      const params = li.querySelector('.layer-params');
      const error = li.querySelector<HTMLElement>('.layer-error');
      const info: InspectedImageLayer | undefined = r?.layers[i];
      if (shape) shape.textContent = info ? `→ [${info.outputShape.join(', ')}]` : '';
      if (params) params.textContent = info ? `${info.params.toLocaleString('en-US')} params` : '';
      const bad = r?.error?.layer === i;
      li.classList.toggle('bad', bad);
      if (error) {
        error.hidden = !bad;
        error.textContent = bad ? sentence(r?.error?.message ?? '') : '';
      }
    });
    const stackError = this.ui['stack-error'];
    if (r?.error) {
      const where = r.error.layer === null ? '' : `Layer ${r.error.layer + 1} (${LAYER_LABELS[this._state.layers[r.error.layer]?.type] ?? '?'}) does not fit: `;
      stackError.textContent = `${where}${sentence(r.error.message)} The stack is kept; change it to train.`;
      stackError.hidden = false;
    } else {
      stackError.hidden = true;
      stackError.textContent = '';
    }
    this.ui['total-params'].textContent = r && !r.error ? `${r.totalParams.toLocaleString('en-US')} parameters` : '';
    this.updateTrainButton();
  }

  private stackFits(): boolean {
    return this.inspection !== null && this.inspection.requestId === this.inspectRequest && this.inspection.error === null;
  }

  // ---------------------------------------------------------------- data and model

  private loadDataset(): void {
    if (this.loadedDataset === this._state.dataset) {
      this.scheduleBuild(0);
      return;
    }
    this.setTraining(false);
    this.loadedDataset = null;
    this.testImages = null;
    this.evaluation = null;
    this.markDirty('evaluation');
    this.markDirty('grid');
    this.showLoading(DATASET_LABELS[this._state.dataset]);
    this.client.send({ type: 'load', dataset: this._state.dataset });
    this.updateTrainButton();
  }

  protected buildKey(): string {
    const s = this._state;
    return JSON.stringify([this.loadedDataset, s.layers, s.optimizer, s.seed]);
  }

  /** Rebuilds the model once the stack fits and the data is there, if it changed. */
  private scheduleBuild(delay = BUILD_DELAY_MS): void {
    if (this.buildTimer) clearTimeout(this.buildTimer);
    this.buildTimer = setTimeout(() => {
      this.buildTimer = null;
      if (this.loadedDataset && this.stackFits() && this.buildKey() !== this.builtKey) this.build();
    }, delay);
  }

  /**
   * A new model (new generation): charts, evaluation and progress start again; unless `fresh`
   * (Reset), the model kept for this very setup, if any, is restored into it.
   */
  protected build(fresh = false): void {
    if (!this.loadedDataset || !this.stackFits()) return;
    // This very build is what a waiting edit asked for.
    if (this.buildTimer) clearTimeout(this.buildTimer);
    this.buildTimer = null;
    this.setTraining(false);
    this.beginGeneration();
    this.evaluation = null;
    this._evaluations = 0;
    const s = this._state;
    this.client.send({
      type: 'build',
      generation: this._generation,
      layers: structuredClone(s.layers),
      compile: { optimizer: s.optimizer, learningRate: s.learningRate },
      batchSize: s.batchSize,
      epochs: s.epochs,
      seed: s.seed,
    });
    this.markDirty('progress');
    this.markDirty('evaluation');
    this.markDirty('grid');
    if (this.chosen) this.look();
    if (!fresh) void this.restoreKept(this._generation, this.builtKey);
  }

  protected reloadData(): void {
    this.loadedDataset = null;
    this.requestInspection();
    this.loadDataset();
  }

  protected checkTrainable(): boolean {
    if (!this.stackFits()) {
      this.showMessage('The stack does not fit the images yet: see the layer marked in the model.');
      return false;
    }
    return this.loadedDataset !== null;
  }

  protected trainable(): boolean {
    return this.loadedDataset !== null && this.stackFits();
  }

  protected announcement(when: AnnounceWhen): string {
    const e = this.evaluation;
    const now = when !== 'training';
    return e
      ? `${now ? 'Paused' : 'Training'}: epoch ${e.epoch} done, test accuracy ${percent(e.testAccuracy)}, test loss ${formatLossValue(e.testLoss)}.`
      : now ? 'Paused before the first epoch ended.' : '';
  }

  protected trainButtonUpdated(disabled: boolean): void {
    (this.ui['step-button'] as HTMLButtonElement).disabled = disabled;
  }

  // ---------------------------------------------------------------- worker messages

  protected engineReady(m: FromImagesWorker): void {
    if (m.type !== 'ready') return;
    this.activations = m.activations;
    this.renderStack();
  }

  protected progressed(m: Extract<TrainingReportMessage, { type: 'progress' }>): void {
    this.progressLoss = m.trainLoss;
    this.markDirty('progress');
  }

  protected dataFailed(message: string): void {
    this.el<HTMLProgressElement>('data-progress').hidden = true;
    this.ui['data-status'].textContent = `Could not load ${DATASET_LABELS[this._state.dataset]}.`;
    this.showMessage(`Could not load ${DATASET_LABELS[this._state.dataset]}: ${sentence(message)} Your stack and settings are kept; choose another dataset or reload to try again.`);
  }

  protected lookFailed(): void {
    this.looks.clear();
    this.inFlight = { chosen: false, drawing: false };
  }

  protected handleMessage(m: FromImagesWorker): void {
    switch (m.type) {
      case 'inspection':
        if (m.requestId !== this.inspectRequest) return; // a newer edit is on its way
        this.inspection = m;
        this.showInspection();
        if (!m.error) this.scheduleBuild();
        break;
      case 'loadProgress': {
        if (m.dataset !== this._state.dataset) return;
        this.showLoadProgress(m.loaded, m.total);
        const mb = (n: number) => (n / 1e6).toFixed(1);
        this.ui['data-status'].textContent = `Loading ${DATASET_LABELS[m.dataset]}: ${mb(m.loaded)}${m.total > 0 ? ` of ${mb(m.total)}` : ''} MB`;
        break;
      }
      case 'dataset':
        if (m.dataset !== this._state.dataset) return;
        this.loadedDataset = m.dataset;
        this.classNames = m.classNames;
        this.testImages = m.testImages;
        this.testLabels = m.testLabels;
        this.numTest = m.numTest;
        this.builtKey = '';
        this.filter = { kind: 'all' };
        this.gridIndices = [];
        this.fillGridFilter();
        this.el<HTMLProgressElement>('data-progress').hidden = true;
        this.ui['data-status'].textContent = `${DATASET_LABELS[m.dataset]}: ${m.numTrain.toLocaleString('en-US')} training and ${m.numTest.toLocaleString('en-US')} test images.`;
        if (this.chosen?.kind === 'test') this.chosen = null;
        this.markDirty('grid');
        this.scheduleBuild(0);
        this.updateTrainButton();
        break;
      case 'built':
        if (m.generation !== this._generation) return;
        this.look();
        this.predictDrawing();
        this.modelBuilt();
        break;
      case 'evaluation': {
        const e = m.evaluation;
        if (!this.acceptEvaluation(e)) return;
        this.evaluation = e;
        this._evaluations++;
        // A restored model's curves came with it; its evaluation only fills the views.
        if (!e.restored) {
          this.lossChart.add(e.epoch, e.trainLoss, e.testLoss);
          this.accuracyChart.add(e.epoch, e.trainAccuracy, e.testAccuracy);
          this.emitEpoch(e);
        }
        this.markDirty('evaluation');
        this.markDirty('grid');
        this.look();
        this.predictDrawing();
        break;
      }
      case 'inside': {
        const purpose = this.looks.get(m.requestId);
        this.looks.delete(m.requestId);
        if (!purpose) break;
        if (purpose.chosen) this.inFlight.chosen = false;
        if (purpose.drawing) this.inFlight.drawing = false;
        if (m.generation === this._generation) {
          // Drawn in the next frame; a newer reply before it replaces this one.
          if (purpose.drawing) this.pendingDrawing = { probabilities: m.probabilities, predicted: m.predicted };
          if (purpose.chosen && this.chosen) this.pendingChosen = { probabilities: m.probabilities, predicted: m.predicted, snapshot: m.snapshot };
          this.scheduleFrame();
        }
        this.sendWanted();
        break;
      }
    }
  }

  private progressLoss = NaN;
  private pendingDrawing: { probabilities: Float32Array; predicted: number } | null = null;
  private pendingChosen: { probabilities: Float32Array; predicted: number; snapshot: InsideSnapshot } | null = null;
  private _insideUpdates = 0;

  // ---------------------------------------------------------------- the chosen image

  private choose(source: ImageSource): void {
    this.chosen = source;
    this.look();
  }

  /** Asks for the chosen image's snapshot (the drawing's prediction too when it is the drawing). */
  private look(): void {
    if (this.chosen) this.request({ chosen: true, drawing: this.chosen.kind === 'drawing' });
  }

  /** Asks for the drawing's probabilities. */
  private predictDrawing(): void {
    if (!this.drawnImage) return;
    if (this.chosen?.kind === 'drawing') this.look();
    else this.request({ chosen: false, drawing: true });
  }

  private request(purpose: { chosen: boolean; drawing: boolean }): void {
    if (!this.builtKey) return;
    if ((purpose.chosen && this.inFlight.chosen) || (purpose.drawing && this.inFlight.drawing)) {
      if (purpose.chosen) this.wanted.chosen = true;
      if (purpose.drawing) this.wanted.drawing = true;
      return;
    }
    const source: ImageSource | null = purpose.chosen
      ? this.chosen?.kind === 'drawing'
        ? { kind: 'drawing', image: this.chosen.image.slice() }
        : this.chosen
      : this.drawnImage
        ? { kind: 'drawing', image: this.drawnImage.slice() }
        : null;
    if (!source) return;
    this.lookRequest++;
    this.looks.set(this.lookRequest, purpose);
    if (purpose.chosen) this.inFlight.chosen = true;
    if (purpose.drawing) this.inFlight.drawing = true;
    this.client.send({ type: 'look', requestId: this.lookRequest, source });
  }

  private sendWanted(): void {
    const { chosen, drawing } = this.wanted;
    this.wanted = { chosen: false, drawing: false };
    if (chosen) this.look();
    if (drawing) this.predictDrawing();
  }

  private showChosen(probabilities: Float32Array, predicted: number): void {
    const c = this.chosen;
    if (!c) return;
    this.ui.chosen.hidden = false;
    const name = (k: number) => this.classNames[k] ?? String(k);
    if (c.kind === 'test') {
      const truth = this.testLabels?.[c.index] ?? -1;
      this.ui['chosen-title'].textContent = `Test image ${c.index + 1}: true ${name(truth)}, predicted ${name(predicted)}${truth === predicted ? '' : ' ✗'}`;
    } else {
      this.ui['chosen-title'].textContent = `Your drawing: predicted ${name(predicted)}`;
    }
    drawBars(this.ui['chosen-probabilities'], this.classNames, probabilities, predicted);
  }

  private showDrawingPrediction(probabilities: Float32Array, predicted: number): void {
    this.ui['draw-prediction'].textContent = this.classNames[predicted] ?? String(predicted);
    drawBars(this.ui['draw-probabilities'], this.classNames, probabilities, predicted);
  }

  // ---------------------------------------------------------------- drawing

  private listenDrawing(): void {
    const canvas = this.el<HTMLCanvasElement>('draw');
    const signal = this.listeners.signal;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const point = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      return { x: ((e.clientX - r.left) / r.width) * canvas.width, y: ((e.clientY - r.top) / r.height) * canvas.height };
    };
    const stroke = (to: { x: number; y: number }) => {
      const from = this.lastPoint ?? to;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = canvas.width / 14;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x + (from === to ? 0.01 : 0), to.y);
      ctx.stroke();
      this.lastPoint = to;
      this.drawingDirty = true;
      this.scheduleFrame();
    };
    canvas.addEventListener(
      'pointerdown',
      (e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        canvas.setPointerCapture(e.pointerId);
        this.drawing = true;
        this.lastPoint = null;
        stroke(point(e));
      },
      { signal },
    );
    canvas.addEventListener(
      'pointermove',
      (e) => {
        if (!this.drawing) return;
        const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
        for (const c of events.length ? events : [e]) stroke(point(c));
      },
      { signal },
    );
    const end = () => {
      this.drawing = false;
      this.lastPoint = null;
    };
    canvas.addEventListener('pointerup', end, { signal });
    canvas.addEventListener('pointercancel', end, { signal });
  }

  private clearDrawing(): void {
    const canvas = this.el<HTMLCanvasElement>('draw');
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    this.drawnImage = null;
    this.pendingDrawing = null;
    this.ui['draw-prediction'].textContent = '–';
    this.ui['draw-probabilities'].replaceChildren();
    if (this.chosen?.kind === 'drawing') {
      this.chosen = null;
      this.ui.chosen.hidden = true;
    }
  }

  /** The drawing as an MNIST sample (the library's preprocessDigit), sent for a prediction. */
  private sampleDrawing(): void {
    this.drawingDirty = false;
    const canvas = this.el<HTMLCanvasElement>('draw');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i + 3] / 255;
    this.drawnImage = preprocessDigit(ink, width, height);
    // The drawing becomes the chosen image: the inside view follows the pen.
    this.chosen = { kind: 'drawing', image: this.drawnImage };
    this.look();
  }

  // ---------------------------------------------------------------- drawing the views

  private markDirty(part: keyof ImagesApp['dirty']): void {
    this.dirty[part] = true;
    this.scheduleFrame();
  }

  private scheduleFrame(): void {
    if (this.frameRequest !== null || this._disposed) return;
    this.frameRequest = requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    this.frameRequest = null;
    const t0 = performance.now();
    const timed = (part: string, fn: () => void) => {
      const t = performance.now();
      fn();
      const ms = performance.now() - t;
      this._drawStats.parts[part] = Math.max(this._drawStats.parts[part] ?? 0, ms);
    };
    if (this.drawingDirty) timed('drawing', () => this.sampleDrawing());
    timed('charts', () => {
      this.lossChart.draw();
      this.accuracyChart.draw();
    });
    if (this.dirty.progress) timed('progress', () => this.drawProgress());
    if (this.dirty.evaluation) timed('evaluation', () => this.drawEvaluation());
    if (this.dirty.grid) timed('grid', () => this.drawGrid());
    const drawingReply = this.pendingDrawing;
    this.pendingDrawing = null;
    if (drawingReply) timed('drawing', () => this.showDrawingPrediction(drawingReply.probabilities, drawingReply.predicted));
    const chosenReply = this.pendingChosen;
    this.pendingChosen = null;
    if (chosenReply && this.chosen) {
      timed('inside', () => {
        this.showChosen(chosenReply.probabilities, chosenReply.predicted);
        this.inside.update(chosenReply.snapshot);
      });
      this._insideUpdates++;
    }
    this.dirty = { progress: false, evaluation: false, grid: false };
    const ms = performance.now() - t0;
    this._drawStats.count++;
    this._drawStats.totalMs += ms;
    this._drawStats.maxMs = Math.max(this._drawStats.maxMs, ms);
  }

  private drawProgress(): void {
    const bar = this.el<HTMLProgressElement>('epoch-progress');
    const epoch = this.progressEpoch;
    this.ui.epoch.textContent = String(Math.floor(epoch + 1e-9));
    bar.value = epoch - Math.floor(epoch + 1e-9);
    if (Number.isFinite(this.progressLoss) && !this.evaluation) this.ui['train-loss'].textContent = formatLossValue(this.progressLoss);
  }

  private drawEvaluation(): void {
    const e = this.evaluation;
    const k = this.classNames.length;
    const table = this.ui['confusion-matrix'] as HTMLTableElement;
    const caption = table.caption;
    table.hidden = !e || k === 0;
    if (!e || k === 0) {
      table.replaceChildren(...(caption ? [caption] : []));
      delete table.dataset.classes;
      this.ui['class-accuracy'].replaceChildren();
      return;
    }
    this.ui['train-loss'].textContent = formatLossValue(e.trainLoss);
    this.ui['test-loss'].textContent = formatLossValue(e.testLoss);
    this.ui['train-accuracy'].textContent = percent(e.trainAccuracy);
    this.ui['test-accuracy'].textContent = percent(e.testAccuracy);
    this.ui['epoch-time'].textContent = e.restored ? `restored at epoch ${e.epoch}` : `${e.seconds.toFixed(1)} s / epoch`;

    // The table is built once per class list; later epochs only change its counts and colours.
    if (table.dataset.classes !== this.classNames.join('\n')) this.buildConfusionTable(table, caption);
    const buttons = table.querySelectorAll<HTMLButtonElement>('tbody button');
    for (let t = 0; t < k; t++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += e.confusion[t * k + p];
      for (let p = 0; p < k; p++) {
        const count = e.confusion[t * k + p];
        const b = buttons[t * k + p];
        if (!b) continue;
        b.textContent = String(count);
        b.setAttribute('aria-label', `${count} images of ${this.classNames[t]} predicted ${this.classNames[p]}`);
        const td = b.parentElement as HTMLElement;
        td.className = t === p ? 'right' : count > 0 ? 'wrong' : '';
        td.style.setProperty('--share', String(total > 0 ? count / total : 0));
      }
    }
    drawBars(this.ui['class-accuracy'], this.classNames.map((n) => `${n} accuracy`), e.classAccuracy, -1);
    this.describeEvaluation(e);
  }

  /** Text alternatives of the charts and the evaluation (what they show, in figures). */
  private describeEvaluation(e: ImageEvaluation): void {
    const k = this.classNames.length;
    let worst = 0;
    for (let c = 1; c < k; c++) if (e.classAccuracy[c] < e.classAccuracy[worst]) worst = c;
    let confusedCount = 0;
    let confused = '';
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const n = e.confusion[t * k + p];
        if (t !== p && n > confusedCount) {
          confusedCount = n;
          confused = `${this.classNames[t]} predicted ${this.classNames[p]} (${n} images)`;
        }
      }
    }
    this.ui['charts-summary'].textContent =
      `Loss and accuracy charts over ${e.epoch} epoch${e.epoch === 1 ? '' : 's'}: latest train loss ${formatLossValue(e.trainLoss)}, ` +
      `test loss ${formatLossValue(e.testLoss)}, train accuracy ${percent(e.trainAccuracy)}, test accuracy ${percent(e.testAccuracy)}.`;
    this.ui['evaluation-summary'].textContent =
      `After epoch ${e.epoch}: test accuracy ${percent(e.testAccuracy)}; least accurate class ${this.classNames[worst] ?? worst} ` +
      `(${percent(e.classAccuracy[worst])})${confused ? `; most frequent mistake ${confused}` : ''}.`;
    if (this._training) this.announce('training');
  }

  /** The confusion matrix's rows and cells (one delegated listener opens a cell's images). */
  private buildConfusionTable(table: HTMLTableElement, caption: HTMLTableCaptionElement | null): void {
    const doc = this.doc;
    const k = this.classNames.length;
    table.dataset.classes = this.classNames.join('\n');
    const thead = doc.createElement('thead');
    const headRow = doc.createElement('tr');
    const corner = doc.createElement('th');
    corner.textContent = 'true \\ predicted';
    headRow.append(corner, ...this.classNames.map((n) => th(doc, n, 'col')));
    thead.append(headRow);
    const tbody = doc.createElement('tbody');
    for (let t = 0; t < k; t++) {
      const row = doc.createElement('tr');
      row.append(th(doc, this.classNames[t], 'row'));
      for (let p = 0; p < k; p++) {
        const td = doc.createElement('td');
        const b = doc.createElement('button');
        b.type = 'button';
        b.dataset.truth = String(t);
        b.dataset.predicted = String(p);
        td.append(b);
        row.append(td);
      }
      tbody.append(row);
    }
    table.replaceChildren(...(caption ? [caption] : []), thead, tbody);
  }

  private fillGridFilter(): void {
    const select = this.el<HTMLSelectElement>('grid-filter');
    const values = ['all', 'wrong'];
    const labels = ['All', 'Misclassified'];
    const f = this.filter;
    if (f.kind === 'cell') {
      values.push('cell');
      labels.push(`True ${this.classNames[f.truth] ?? f.truth}, predicted ${this.classNames[f.predicted] ?? f.predicted}`);
    }
    fillSelect(select, values, labels);
    select.value = f.kind;
  }

  private drawGrid(): void {
    const grid = this.ui['test-grid'];
    const images = this.testImages;
    const labels = this.testLabels;
    if (!images || !labels) {
      grid.replaceChildren();
      this.gridIndices = [];
      this.ui['grid-note'].textContent = '';
      return;
    }
    const predicted = this.evaluation?.predicted ?? null;
    const f = this.filter;
    const picked: number[] = [];
    let matching = 0;
    for (let i = 0; i < this.numTest; i++) {
      const p = predicted ? predicted[i] : -1;
      const ok = f.kind === 'all' || (predicted !== null && (f.kind === 'wrong' ? p !== labels[i] : labels[i] === f.truth && p === f.predicted));
      if (!ok) continue;
      matching++;
      if (picked.length < GRID_MAX) picked.push(i);
    }
    this.ui['grid-note'].textContent = predicted || f.kind === 'all' ? `${matching.toLocaleString('en-US')} images${matching > picked.length ? `, the first ${picked.length} shown` : ''}` : 'after the first epoch';
    const name = (k: number) => this.classNames[k] ?? String(k);
    // The same images as last time (every epoch, unless the filter changed): only their labels
    // change, so the canvases stay (making a hundred canvas contexts is what costs).
    const same = picked.length === this.gridIndices.length && picked.every((v, j) => v === this.gridIndices[j]);
    if (!same) {
      const doc = this.doc;
      const signal = this.listeners.signal;
      this.gridIndices = picked;
      grid.replaceChildren(
        ...picked.map((i) => {
          const b = doc.createElement('button');
          b.type = 'button';
          b.className = 'thumb';
          const canvas = doc.createElement('canvas');
          canvas.width = 28;
          canvas.height = 28;
          paintDigit(canvas, images, i);
          b.append(canvas, doc.createElement('span'));
          b.addEventListener('click', () => this.choose({ kind: 'test', index: i }), { signal });
          return b;
        }),
      );
    }
    const buttons = grid.children;
    picked.forEach((i, j) => {
      const b = buttons[j] as HTMLElement;
      const p = predicted ? predicted[i] : -1;
      const wrong = p >= 0 && p !== labels[i];
      b.classList.toggle('wrong', wrong);
      b.setAttribute('aria-label', `Test image ${i + 1}: true ${name(labels[i])}${p >= 0 ? `, predicted ${name(p)}${wrong ? ' (wrong)' : ''}` : ''}`);
      const cap = b.lastElementChild;
      if (cap) cap.textContent = p >= 0 ? name(p) : name(labels[i]);
    });
  }

}

// ---------------------------------------------------------------- helpers (DOM only)

const FIELD_LABELS: Partial<Record<keyof ImageLayer, string>> = {
  filters: 'Filters',
  kernelSize: 'Kernel',
  poolSize: 'Pool',
  strides: 'Strides',
  padding: 'Padding',
  units: 'Units',
  activation: 'Activation',
  rate: 'Rate',
};

function fieldsOf(layer: ImageLayer): (keyof ImageLayer)[] {
  switch (layer.type) {
    case 'conv2d':
      return ['filters', 'kernelSize', 'strides', 'padding', 'activation'];
    case 'maxPooling2d':
    case 'averagePooling2d':
      return ['poolSize', 'strides', 'padding'];
    case 'dropout':
      return ['rate'];
    case 'dense':
      return ['units', 'activation'];
    default:
      return [];
  }
}

function th(doc: Document, text: string, scope: 'row' | 'col'): HTMLTableCellElement {
  const e = doc.createElement('th');
  e.scope = scope;
  e.textContent = text;
  return e;
}

/** One bar per class (value 0..1), the `highlight` one marked. */
function drawBars(container: HTMLElement, names: string[], values: Float32Array, highlight: number): void {
  const doc = container.ownerDocument;
  container.replaceChildren(
    ...names.map((n, k) => {
      const row = doc.createElement('div');
      row.className = k === highlight ? 'bar top' : 'bar';
      const label = doc.createElement('span');
      label.textContent = n;
      const track = doc.createElement('span');
      track.className = 'track';
      const fill = doc.createElement('span');
      fill.className = 'fill';
      const v = values[k];
      fill.style.width = `${Number.isFinite(v) ? Math.max(0, Math.min(1, v)) * 100 : 0}%`;
      track.append(fill);
      const figure = doc.createElement('span');
      figure.className = 'value';
      figure.textContent = percent(v);
      row.append(label, track, figure);
      return row;
    }),
  );
}

/** Test image `i` of [n, 28, 28] uint8 pixels, ink dark on white as on paper. */
function paintDigit(canvas: HTMLCanvasElement, images: Uint8Array, i: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(28, 28);
  for (let p = 0; p < 784; p++) {
    const v = 255 - images[i * 784 + p];
    img.data[4 * p] = v;
    img.data[4 * p + 1] = v;
    img.data[4 * p + 2] = v;
    img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function percent(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '–';
}

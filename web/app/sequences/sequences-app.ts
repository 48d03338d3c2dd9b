// The Sequences mode as an object rooted at an element: a sequence task (sine / sum-of-sines
// forecasting, the adding problem, parity, counting, MNIST rows, character-level text), a
// recurrent model (SimpleRNN / LSTM / GRU, units, 1-3 layers, bidirectional), training in a
// worker with loss and accuracy curves, and the network unrolled over one test sample: the
// input, every recurrent layer's state per step as heatmap strips (h; c and the gates of an
// LSTM; z, r, h̃ of a GRU), the prediction per step (for forecasting, the predicted curve over
// the true one), and for text generated characters coloured by a chosen hidden unit.
// It computes no model math: every figure arrives from its worker (the engine's payloads).
//
// What it shares with ImagesApp (its own worker, state source, storage key and id prefix, the
// training controls, the status line, the kept models, a lost worker's restart) is
// TrainingModeApp (../training-mode-app.ts); this file is the Sequences mode's own part.
import { SequencesClient } from '../../worker/sequences-client';
import { SEQUENCE_CELLS, SEQUENCE_TASKS } from '../../worker/sequences-protocol';
import type { FromSequencesWorker, SequenceCell, SequenceEvaluation, SequenceTaskName, TaskInfo, ToSequencesWorker, Unrolled } from '../../worker/sequences-protocol';
import type { TrainingReportMessage } from '../../worker/mode-protocol';
import { cssColor } from '../colors';
import { formatLossValue } from '../loss-chart';
import { ModelStore, type StoredModel } from '../model-store';
import { type AnnounceWhen, TrainingModeApp, type TrainingModeOptions, fillSelect, sentence } from '../training-mode-app';
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

export type SequencesOptions = TrainingModeOptions;

// The unrolled view is refreshed this often while training.
const UNROLL_MS = 200;
const GENERATE_LENGTH = 200;
const TRUE_COLOR = '#888';
const PRED_COLOR = '#f59322';
const INPUT_COLOR = '#0877bd';

export class SequencesApp extends TrainingModeApp<SequencesState, SequencesHideable, SequencesPartName, ToSequencesWorker, FromSequencesWorker> {
  private readonly heatmap: StateHeatmap;
  private readonly compare: CompareView;
  private readonly compareModels: ModelStore;

  private info: TaskInfo | null = null;
  private built = false;
  private _evaluations: SequenceEvaluation[] = [];

  private unrollRequest = 0;
  private unrollInFlight = false;
  private unrollWanted = false;
  private _unrolled: Unrolled | null = null;
  private _unrollUpdates = 0;
  private unrollTimer: ReturnType<typeof setInterval>;
  private generateRequest = 0;
  private _generated: { text: string; hidden: { layer: string; units: number; values: Float32Array }[] } | null = null;

  constructor(root: HTMLElement, options: SequencesOptions = {}) {
    super(root, options, {
      mode: 'sequences',
      appName: 'SequencesApp',
      partNames: SEQUENCES_PART_NAMES,
      createMarkup: createSequencesMarkup,
      parse: parseSequencesHash,
      serialize: serializeSequencesHash,
      startClient: (onMessage, onLost) => new SequencesClient(onMessage, onLost),
      chartWidth: 340,
      learningRate: SEQUENCES_LEARNING_RATE,
      restartsWith: 'your settings',
    });
    this.heatmap = new StateHeatmap(this.ui['hidden-state'] as HTMLCanvasElement, this.ui['hidden-tooltip'], this.ui['hidden-readout']);
    // The compared models are kept beside the single one, in their own list (3 at a time).
    const storageKey = options.storageKey ?? null;
    this.compareModels = new ModelStore(storageKey === null ? null : `${storageKey}:compare`, 'sequences');
    this.compare = new CompareView(this.ui.compare, this.idPrefix, this.compareModels);
    fillSelect(this.el('task'), [...SEQUENCE_TASKS], SEQUENCE_TASKS.map((t) => TASK_LABELS[t]));
    fillSelect(this.el('cell'), [...SEQUENCE_CELLS], SEQUENCE_CELLS.map((c) => CELL_LABELS[c]));
    this.fillOptimizers();
    this.listen();
    this.start();
    this.unrollTimer = setInterval(() => {
      if (this._training) this.unroll();
    }, UNROLL_MS);
  }

  // ---------------------------------------------------------------- public (automation hooks)

  /** Evaluations of the current model, one per epoch. */
  get evaluations(): SequenceEvaluation[] {
    return structuredClone(this._evaluations);
  }
  /** Resolves when the models kept so far, the compared ones too, are written to storage (for tests and automation). */
  override whenStored(): Promise<void> {
    return Promise.all([super.whenStored(), this.compareModels.flushed()]).then(() => undefined);
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
  /** Samples text from the text model (as the Generate button does). */
  generate(): void {
    if (this._disposed || !this.built || this.info?.task !== 'text') return;
    const temperature = Number(this.el<HTMLInputElement>('temperature').value);
    this.client.send({ type: 'generate', requestId: ++this.generateRequest, temperature, length: GENERATE_LENGTH, seed: this.generateRequest });
    this.ui['generated-text'].textContent = 'Generating…';
  }
  protected disposeViews(): void {
    clearInterval(this.unrollTimer);
    this.compare.dispose();
    this.heatmap.dispose();
  }

  // ---------------------------------------------------------------- state

  protected applyState(): void {
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

  protected syncControls(): void {
    const s = this._state;
    this.el<HTMLSelectElement>('task').value = s.task;
    this.el<HTMLSelectElement>('cell').value = s.cell;
    this.el<HTMLInputElement>('units').value = String(s.units);
    this.el<HTMLSelectElement>('layers').value = String(s.layers);
    this.el<HTMLInputElement>('bidirectional').checked = s.bidirectional;
    this.syncTrainingControls();
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
    const on = this.on.bind(this);
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
      this.takeChosenOptimizer();
      modelChanged();
    });
    this.listenTrainingControls(() => {
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
    this.showLoading(TASK_LABELS[this._state.task]);
    this.client.send({ type: 'load', task: this._state.task });
    this.updateTrainButton();
  }

  protected buildKey(): string {
    const s = this._state;
    return JSON.stringify([this.info?.task, s.cell, s.units, s.layers, s.bidirectional, s.optimizer, s.seed]);
  }

  /**
   * A new model (new generation): charts, figures and progress start again; unless `fresh`
   * (Reset), the model kept for this very setup, if any, is restored into it.
   */
  protected build(fresh = false): void {
    if (!this.info) return;
    this.setTraining(false);
    this.beginGeneration();
    this.built = false;
    this._evaluations = [];
    this._unrolled = null;
    this._unrollUpdates = 0;
    const s = this._state;
    this.client.send({
      type: 'build',
      generation: this._generation,
      model: { cell: s.cell, units: s.units, layers: s.layers, bidirectional: s.bidirectional, optimizer: s.optimizer, learningRate: s.learningRate, seed: s.seed },
      batchSize: s.batchSize,
      epochs: s.epochs,
    });
    this.ui.epoch.textContent = '0';
    this.el<HTMLProgressElement>('epoch-progress').value = 0;
    if (!fresh) void this.restoreKept(this._generation, this.builtKey);
  }

  protected restoreCurves(kept: StoredModel): void {
    this.lossChart.restore(kept.losses);
    this.lossChart.draw();
    if (this.info?.kind !== 'regression') {
      this.accuracyChart.restore(kept.accuracy);
      this.accuracyChart.draw();
    }
  }

  protected checkTrainable(): boolean {
    return this.info !== null;
  }

  protected trainable(): boolean {
    return this.info !== null;
  }

  protected reloadData(): void {
    this.info = null;
    this.loadTask();
  }

  protected announcement(when: AnnounceWhen): string {
    const e = this._evaluations.at(-1);
    const accuracy = e && this.info?.kind !== 'regression' ? `, test accuracy ${percent(e.testAccuracy)}` : '';
    const word = { training: 'Training', paused: 'Paused', done: 'Trained' }[when];
    return e ? `${word}: epoch ${e.epoch} done, test loss ${formatLossValue(e.testLoss)}${accuracy}.` : 'Paused before the first epoch ended.';
  }

  // ---------------------------------------------------------------- worker messages

  protected progressed(m: Extract<TrainingReportMessage, { type: 'progress' }>): void {
    this.ui.epoch.textContent = String(Math.floor(m.epoch + 1e-9));
    this.el<HTMLProgressElement>('epoch-progress').value = m.epoch - Math.floor(m.epoch + 1e-9);
    if (Number.isFinite(m.trainLoss) && !this._evaluations.length) this.ui['train-loss'].textContent = formatLossValue(m.trainLoss);
    this.lossChart.draw();
  }

  protected dataFailed(message: string): void {
    this.el<HTMLProgressElement>('data-progress').hidden = true;
    this.ui['data-status'].textContent = `Could not load ${TASK_LABELS[this._state.task]}.`;
    this.showMessage(`Could not load ${TASK_LABELS[this._state.task]}: ${sentence(message)} Choose another task or reload to try again.`);
  }

  protected lookFailed(message: string): void {
    this.unrollInFlight = false;
    this.showMessage(sentence(message));
  }

  protected handleMessage(m: FromSequencesWorker): void {
    switch (m.type) {
      case 'loadProgress': {
        if (m.task !== this._state.task) return;
        this.showLoadProgress(m.loaded, m.total);
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
        this.modelBuilt();
        break;
      }
      case 'evaluation': {
        const e = m.evaluation;
        if (!this.acceptEvaluation(e)) return;
        this._evaluations.push(e);
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
          this.emitEpoch(e);
        }
        this.unroll();
        break;
      }
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
}

// ---------------------------------------------------------------- helpers (DOM only)

/** Newlines shown as ⏎ in one-line views. */
function visible(s: string): string {
  return s.replace(/\n/g, '⏎');
}

function percent(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–';
}

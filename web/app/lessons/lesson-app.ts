// LessonApp: one runnable lesson (lessons 1-4 and 8-10 of lesson-table.ts) rooted at an element — its
// words, its controls, the view of its kind (lesson-views.ts), the loss chart, the listing it
// corresponds to (Keras and nnplay, collapsible, with Copy), and a Train / Pause / Step / Reset
// driver. Its settings are mirrored to the state source (the URL hash on the page, attributes
// in <nn-playground lesson="…">) as `lesson=<id>` plus what differs from the preset.
//
// Where the work runs: the model is the library's (nn.sequential, or nn.model for the VAE, +
// fit). On a page's main thread fit trains in the library's fit worker, and the weights come back
// after every epoch, so the views' predict / evaluate calls read the current model. The page does no model math.
import { ModelStore } from '../model-store';
import type { StoredModel } from '../model-store';
import * as nn from 'nnplay';
import { emit } from '../app-events';
import { LossChart, formatLossValue } from '../loss-chart';
import type { StateSource } from '../state-source';
import { ACTIVATIONS, LESSON_LIMITS, LOSSES, VARIANTS, formatSetting, parseLessonHash, serializeLessonHash } from './lesson-state';
import { EVAL_SPLITS, OVERFIT_ON, OVERFIT_PATIENCE, OVERFIT_SMALL, OVERFIT_VALIDATION } from './lesson-table';
import type { Lesson, LessonSettings, SettingKey } from './lesson-table';
import { makeView } from './lesson-views';
import type { LessonData, LessonView, TrainingEnd } from './lesson-views';
import { CodePanel } from './code-panel';
import { nextTask } from './view-kit';
import { makeVaeData, makeVaeModel, setVaeBeta } from './vae-view';

/** Epochs shown per second at most, so a lesson's motion can be followed by eye (a lesson may set its own). */
const EPOCHS_PER_SECOND = 25;
const POINTS: Record<string, number> = { line: 200, wave: 300, spirals: 600, blobs: 600, moons: 600 };

export interface LessonAppOptions {
  state: StateSource;
  /** Prefix of element ids (several apps on one page); default none. */
  idPrefix?: string;
  /** Storage key under which trained lesson models are kept (per setup); default: none kept. */
  storageKey?: string | null;
}

/** A trained lesson model is kept at most this often while it trains (and when it stops). */
const KEEP_MS = 2000;

const LABELS: Record<SettingKey, string> = {
  dataset: 'Data',
  noise: 'Noise %',
  classes: 'Classes',
  hidden: 'Hidden layers',
  activation: 'Activation',
  loss: 'Loss',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  batchSize: 'Batch size',
  seed: 'Seed',
  beta: 'β (KL weight)',
  variant: 'Model',
  l2: `L2 on the weights`,
  dropout: `Dropout`,
  earlyStopping: `Early stopping (patience ${OVERFIT_PATIENCE}, restore best weights)`,
  trainPoints: `More data`,
};
/** Lesson 9's toggles: a checkbox each, between 0 (off) and the value it switches on. */
const TOGGLES = new Set<SettingKey>(['l2', 'dropout', 'earlyStopping', 'trainPoints']);
const CHOICE_LABELS: Record<string, string> = { crossentropy: 'cross-entropy', mse: 'MSE', mnist: 'MNIST', fashion: 'Fashion-MNIST', vae: 'VAE', autoencoder: 'autoencoder' };

export class LessonApp {
  private lessonRow: Lesson;
  private settings: LessonSettings;
  private readonly doc: Document;
  private readonly section: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly problemsLine: HTMLElement;
  private readonly epochOut: HTMLOutputElement;
  private readonly trainOut: HTMLOutputElement;
  private readonly testOut: HTMLOutputElement;
  private readonly playButton: HTMLButtonElement;
  private readonly code: CodePanel;
  private readonly chart: LossChart;
  private readonly resizeObserver: ResizeObserver;
  private readonly viewSlot: HTMLElement;
  private view: LessonView | null = null;
  private model: nn.LayersModel | null = null;
  private data: LessonData | null = null;
  private generation = 0;
  private running: Promise<void> | null = null;
  private wantPlay = false;
  /** Train was pressed while a paused fit was still returning. */
  private resumeAfterStop = false;
  private unsubscribe: () => void;
  private disposed = false;
  private readonly models: ModelStore;
  private builtKey = '';
  private lastKept = -Infinity;
  private _restoredEpoch: number | null = null;
  /** How the last fit() ended (lesson 9's early stopping; automation hook). */
  lastEnd: TrainingEnd | null = null;
  /** Completed epochs of the current model. */
  epoch = 0;
  /** Training loss after each epoch (automation hook). */
  readonly losses: number[] = [];
  /** Every epoch's logs as fit() gave them (automation hook: the VAE's `decoded_loss` and `kl`). */
  readonly logs: Record<string, number>[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly options: LessonAppOptions,
  ) {
    const parsed = parseLessonHash(options.state.read());
    if (!parsed) throw new Error(`LessonApp: the state names no runnable lesson (${options.state.read()})`);
    this.lessonRow = parsed.lesson;
    this.settings = parsed.settings;
    this.models = new ModelStore(options.storageKey ?? null, 'lessons');
    this.doc = root.ownerDocument;
    const doc = this.doc;
    const id = (s: string) => `${options.idPrefix ?? ''}${s}`;
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string) => {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      return e;
    };
    this.section = make('section', 'lesson-app');
    this.section.setAttribute('aria-label', 'Lesson');
    const heading = make('h2', 'lesson-title');
    const text = make('p', 'lesson-text');
    this.controls = make('div', 'lesson-controls');
    this.problemsLine = make('p', 'lesson-problems');
    this.problemsLine.setAttribute('role', 'status');
    const buttons = make('div', 'lesson-buttons');
    this.playButton = make('button');
    this.playButton.type = 'button';
    this.playButton.textContent = 'Train';
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    const step = make('button');
    step.type = 'button';
    step.textContent = 'Step';
    step.addEventListener('click', () => this.step());
    const reset = make('button');
    reset.type = 'button';
    reset.textContent = 'Reset';
    reset.addEventListener('click', () => this.reset());
    buttons.append(this.playButton, step, reset);
    const figures = make('p', 'lesson-figures');
    const fig = (name: string, label: string) => {
      const out = make('output');
      out.id = id(name);
      out.textContent = '–';
      const span = make('span', 'lesson-figure');
      span.append(`${label} `, out);
      figures.append(span, ' ');
      return out;
    };
    this.epochOut = fig('epoch', 'epoch');
    this.trainOut = fig('train-loss', 'train loss');
    // Lessons 9 and 10 validate on a validation set; the test set is something else there.
    this.testOut = this.lessonRow.validation ? fig('val-loss', 'validation loss') : fig('test-loss', 'test loss');
    this.viewSlot = make('div', 'lesson-view-slot');
    const chartBox = make('div', 'lesson-chart');
    this.code = new CodePanel(doc);
    this.section.append(heading, text, buttons, this.controls, figures, this.viewSlot, chartBox, this.code.element, this.problemsLine);
    root.append(this.section);
    this.chart = new LossChart(chartBox, 420, 140, { testLabel: this.lessonRow.validation ? 'validation' : 'test' });
    // The chart follows its column on narrow screens (a phone is narrower than 420 px).
    this.resizeObserver = new ResizeObserver(() => {
      if (this.section.clientWidth > 0) this.chart.setWidth(Math.min(420, this.section.clientWidth - 32));
    });
    this.resizeObserver.observe(this.section);
    this.unsubscribe = options.state.subscribe(() => this.fromState());
    this.render(heading, text);
    this.showProblems(parsed.problems);
    void this.rebuild();
  }

  // ---------------------------------------------------------------- public API (as PlaygroundApp's)

  get lesson(): Lesson {
    return this.lessonRow;
  }

  get playing(): boolean {
    return this.wantPlay;
  }

  /** The Images and Sequences modes' names for the same (the shell treats all modes alike). */
  get training(): boolean {
    return this.wantPlay;
  }

  train(): void {
    this.play();
  }

  get state(): Record<string, unknown> {
    return { lesson: this.lessonRow.id, ...this.settings };
  }

  get stateText(): string {
    return serializeLessonHash(this.lessonRow, this.settings);
  }

  play(): void {
    if (this.wantPlay || !this.model) {
      this.wantPlay = true;
      return;
    }
    this.wantPlay = true;
    this.updateButtons();
    // A paused fit may still be finishing its epoch: start again once it has returned.
    if (this.running) this.resumeAfterStop = true;
    else this.running = this.trainLoop();
  }

  pause(): void {
    this.wantPlay = false;
    this.resumeAfterStop = false;
    if (this.model) this.model.stopTraining = true;
    this.updateButtons();
  }

  step(): void {
    if (this.wantPlay || this.running || !this.model) return;
    this.running = this.trainLoop(1);
  }

  /** A fresh model: the one kept for these settings is forgotten. */
  reset(): void {
    void this.models.delete(this.modelKey());
    void this.rebuild(true);
  }

  /** The epoch the current model was restored at (from storage), else null. */
  get restoredEpoch(): number | null {
    return this._restoredEpoch;
  }

  /** Resolves when training has stopped and the models kept so far are written to storage (for tests and automation). */
  async whenStored(): Promise<void> {
    // A paused fit keeps its model when it returns: wait for that too.
    await this.running?.catch(() => undefined);
    return this.models.flushed();
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.pause();
    this.unsubscribe();
    const model = this.model;
    const data = this.data;
    void (this.running ?? Promise.resolve()).finally(() => {
      model?.dispose();
      if (data) disposeData(data);
    });
    this.view?.dispose();
    this.resizeObserver.disconnect();
    this.chart.dispose();
    this.section.remove();
  }

  // ---------------------------------------------------------------- internals

  private render(heading: HTMLElement, text: HTMLElement): void {
    heading.textContent = `Lesson ${this.lessonRow.number}: ${this.lessonRow.title}`;
    text.textContent = this.lessonRow.text;
    this.renderControls();
    this.code.show(this.lessonRow.listing(this.settings));
  }

  private renderControls(): void {
    const doc = this.doc;
    this.controls.replaceChildren();
    for (const key of this.lessonRow.controls ?? []) {
      const label = doc.createElement('label');
      label.className = 'lesson-control';
      if (TOGGLES.has(key)) {
        this.controls.append(this.toggle(key, label));
        continue;
      }
      label.append(`${LABELS[key]} `);
      let input: HTMLInputElement | HTMLSelectElement;
      const choices = key === 'dataset' ? this.lessonRow.datasets : key === 'activation' ? ACTIVATIONS : key === 'loss' ? LOSSES : key === 'variant' ? VARIANTS : undefined;
      if (choices) {
        const select = doc.createElement('select');
        for (const c of choices) select.append(new Option(CHOICE_LABELS[c] ?? c, c));
        input = select;
      } else if (key === 'beta') {
        // A slider that acts live (from the next epoch), not a rebuild; the autoencoder has none.
        const slider = doc.createElement('input');
        Object.assign(slider, { type: 'range', min: '0', max: '4', step: '0.05' });
        slider.disabled = this.settings.variant === 'autoencoder';
        const shown = doc.createElement('output');
        shown.id = `${this.options.idPrefix ?? ''}beta-value`;
        shown.textContent = formatSetting(this.settings, key);
        slider.name = key;
        slider.value = formatSetting(this.settings, key);
        slider.addEventListener('input', () => {
          shown.textContent = slider.value;
          this.changeSetting(key, slider.value);
        });
        label.append(slider, ' ', shown);
        this.controls.append(label);
        continue;
      } else {
        const field = doc.createElement('input');
        field.type = key === 'hidden' ? 'text' : 'number';
        if (key === 'hidden') field.placeholder = 'none';
        if (key === 'noise') Object.assign(field, { min: String(LESSON_LIMITS.noise.min), max: String(LESSON_LIMITS.noise.max), step: '5' });
        if (key === 'classes') Object.assign(field, { min: '2', max: '8' });
        if (key === 'learningRate') field.step = 'any';
        input = field;
      }
      input.name = key;
      input.value = formatSetting(this.settings, key);
      input.addEventListener('change', () => this.changeSetting(key, input.value));
      label.append(input);
      this.controls.append(label);
    }
  }

  /** Lesson 9's remedies: a checkbox between off and the value it switches on (a link's own value is kept while on). */
  private toggle(key: SettingKey, label: HTMLLabelElement): HTMLLabelElement {
    const box = this.doc.createElement('input');
    box.type = 'checkbox';
    box.name = key;
    const s = this.settings;
    const on: Record<string, string> = {
      l2: String(s.l2 ? s.l2 : OVERFIT_ON.l2),
      dropout: String(s.dropout ? s.dropout : OVERFIT_ON.dropout),
      earlyStopping: 'true',
      trainPoints: String((s.trainPoints ?? OVERFIT_SMALL) > OVERFIT_SMALL ? s.trainPoints : OVERFIT_ON.trainPoints),
    };
    const off: Record<string, string> = { l2: '0', dropout: '0', earlyStopping: 'false', trainPoints: String(OVERFIT_SMALL) };
    box.checked = formatSetting(s, key) !== off[key];
    const detail: Record<string, string> = { l2: ` (${on.l2})`, dropout: ` (rate ${on.dropout})`, earlyStopping: '', trainPoints: ` (${on.trainPoints} training points, not ${OVERFIT_SMALL})` };
    box.addEventListener('change', () => this.changeSetting(key, box.checked ? on[key] : off[key]));
    label.append(box, ` ${LABELS[key]}${detail[key]}`);
    return label;
  }

  /** A control changed: the state source gets the new link, which rebuilds through fromState. */
  private changeSetting(key: SettingKey, value: string): void {
    const params = new URLSearchParams(this.stateText);
    params.set(key, value);
    const parsed = parseLessonHash(params.toString());
    if (!parsed) return;
    this.showProblems(parsed.problems);
    this.options.state.write(serializeLessonHash(parsed.lesson, parsed.settings));
    this.fromState();
  }

  /** The state source changed (a pasted link, an attribute, a control). */
  private fromState(): void {
    if (this.disposed) return;
    const parsed = parseLessonHash(this.options.state.read());
    if (!parsed || parsed.lesson.id !== this.lessonRow.id) return; // the shell switches lessons
    this.showProblems(parsed.problems);
    if (serializeLessonHash(parsed.lesson, parsed.settings) === this.stateText) return;
    if (this.onlyBetaChanged(parsed.settings)) {
      // β is live: the KL layer's weight changes from the next training step (inside fit()'s
      // worker, from the next epoch); model, optimizer state and curves carry on.
      this.settings = parsed.settings;
      if (this.model) setVaeBeta(this.model, parsed.settings.beta ?? 1);
      const slider = this.controls.querySelector<HTMLInputElement>('input[name=beta]');
      if (slider && slider.value !== String(parsed.settings.beta)) slider.value = String(parsed.settings.beta);
      this.code.show(this.lessonRow.listing(this.settings));
      return;
    }
    this.settings = parsed.settings;
    this.renderControls();
    this.code.show(this.lessonRow.listing(this.settings));
    void this.rebuild();
  }

  private onlyBetaChanged(next: LessonSettings): boolean {
    if (this.lessonRow.kind !== 'vae' || !this.model || next.variant === 'autoencoder') return false;
    return serializeLessonHash(this.lessonRow, { ...next, beta: this.settings.beta }) === this.stateText;
  }

  private showProblems(problems: string[]): void {
    this.problemsLine.textContent = problems.join(' ');
    this.problemsLine.hidden = problems.length === 0;
  }

  /** New data and a new model from the settings (the one kept for them unless `fresh`); keeps playing if it was. */
  private async rebuild(fresh = false): Promise<void> {
    const generation = ++this.generation;
    const app = this;
    this._restoredEpoch = null;
    const resume = this.wantPlay;
    if (this.model) this.model.stopTraining = true;
    await this.running?.catch(() => undefined);
    if (generation !== this.generation) return;
    this.running = null;
    this.resumeAfterStop = false;
    this.model?.dispose();
    this.model = null;
    if (this.data) disposeData(this.data);
    this.data = null;
    this.epoch = 0;
    this.losses.length = 0;
    this.logs.length = 0;
    this.chart.clear();
    this.epochOut.textContent = '0';
    this.trainOut.textContent = this.testOut.textContent = '–';
    await nn.ready();
    if (generation !== this.generation) return;
    // Opening a lesson is several pieces of main-thread work (the VAE's: its images, the model,
    // the first drawing); each runs in a task of its own, so none blocks the page for long.
    const stale = () => generation !== this.generation;
    let data: LessonData;
    let model: nn.LayersModel;
    try {
      data = this.lessonRow.kind === 'vae' ? await makeVaeData(this.settings) : makeData(this.lessonRow, this.settings);
      await nextTask();
      if (stale()) {
        disposeData(data);
        return;
      }
      model = this.lessonRow.kind === 'vae' ? await makeVaeModel(this.settings) : makeModel(this.lessonRow, this.settings, data);
    } catch (err) {
      if (!stale()) this.showProblems([`Could not build this lesson: ${err instanceof Error ? err.message : String(err)}`]);
      return;
    }
    await nextTask();
    if (stale()) {
      disposeData(data);
      model.dispose();
      return;
    }
    this.data = data;
    this.model = model;
    this.view?.dispose();
    this.view = makeView(this.lessonRow.kind as Exclude<Lesson['kind'], 'link'>, this.doc, {
      stopTraining: async () => {
        this.pause();
        await this.running?.catch(() => undefined);
      },
      get epoch() {
        return app.epoch;
      },
      idPrefix: this.options.idPrefix ?? '',
    });
    this.viewSlot.replaceChildren(this.view.element);
    this.view.setData(data, this.settings);
    this.builtKey = this.modelKey();
    if (!fresh) {
      const kept = await this.models.get(this.builtKey);
      if (stale()) return;
      if (kept) this.restore(kept);
    }
    await nextTask();
    if (stale()) return;
    await this.view.update(model);
    if (stale()) return;
    emit(this.root, 'ready', { mode: 'lessons', lesson: this.lessonRow.id });
    // Train pressed while the model was being built counts too.
    const go = resume || this.wantPlay;
    this.wantPlay = false;
    this.updateButtons();
    if (go) this.play();
  }

  /** What a kept model is kept under: the lesson and its settings but β, which changes live. */
  private modelKey(): string {
    return JSON.stringify([this.lessonRow.id, { ...this.settings, beta: null }]);
  }

  /** A kept model's weights, epoch and curve into the model just built from the same settings. */
  private restore(kept: StoredModel): void {
    const model = this.model;
    if (!model) return;
    const shapes = model.getWeights();
    const total = shapes.reduce((n, t) => n + t.size, 0);
    if (total !== kept.weights.length) {
      nn.dispose(shapes);
      return; // another version's record: train afresh
    }
    let at = 0;
    const weights = shapes.map((t) => {
      const w = nn.tensor(kept.weights.subarray(at, at + t.size), t.shape);
      at += t.size;
      return w;
    });
    nn.dispose(shapes);
    model.setWeights(weights);
    nn.dispose(weights);
    this.epoch = kept.epoch;
    this._restoredEpoch = kept.epoch;
    this.chart.restore(kept.losses);
    this.chart.draw();
    const last = (xs: (number | null)[]) => xs.filter((v): v is number => v !== null).at(-1) ?? NaN;
    this.epochOut.textContent = String(kept.epoch);
    this.trainOut.textContent = formatLossValue(last(kept.losses.train));
    this.testOut.textContent = formatLossValue(last(kept.losses.test));
  }

  /** The current model as this setting's kept model (weights, epoch, the loss curve). */
  private keep(model: nn.LayersModel): void {
    const parts = model.getWeights();
    const weights = new Float32Array(parts.reduce((n, t) => n + t.size, 0));
    let at = 0;
    for (const t of parts) {
      weights.set(t.dataSync() as Float32Array, at);
      at += t.size;
    }
    nn.dispose(parts);
    this.lastKept = performance.now();
    void this.models.save({ key: this.builtKey, epoch: this.epoch, stepInEpoch: 0, weights, losses: this.chart.history(), accuracy: { epoch: [], train: [], test: [] }, savedAt: new Date().toISOString() });
  }

  private async trainLoop(epochs = Infinity): Promise<void> {
    const model = this.model;
    const data = this.data;
    const generation = this.generation;
    if (!model || !data) return;
    const start = this.epoch;
    // fit() takes at most 1,000,000 epochs in all (initialEpoch counts towards them).
    const end = Number.isFinite(epochs) ? start + epochs : 1_000_000;
    let last = performance.now();
    const perSecond = this.lessonRow.epochsPerSecond ?? EPOCHS_PER_SECOND;
    // Lesson 9: early stopping on the validation loss, putting back the best epoch's weights.
    const stopper = this.settings.earlyStopping ? nn.callbacks.earlyStopping({ monitor: 'val_loss', patience: OVERFIT_PATIENCE, restoreBestWeights: true }) : null;
    try {
      await model.fit(data.train.xs, data.fitTrainYs, {
        epochs: end,
        initialEpoch: start,
        batchSize: this.settings.batchSize,
        validationData: [data.test.xs, data.fitTestYs],
        callbacks: [{
          onEpochEnd: async (epoch: number, logs?: nn.Logs) => {
            if (generation !== this.generation || this.disposed) {
              model.stopTraining = true;
              return;
            }
            this.epoch = epoch + 1;
            const loss = Number(logs?.loss);
            this.losses.push(loss);
            this.epochOut.textContent = String(this.epoch);
            this.trainOut.textContent = formatLossValue(loss);
            this.testOut.textContent = formatLossValue(Number(logs?.val_loss));
            this.chart.add(this.epoch, loss, Number(logs?.val_loss));
            this.chart.draw();
            this.logs.push(Object.fromEntries(Object.entries(logs ?? {}).map(([k, v]) => [k, Number(v)])));
            await this.view?.update(model, logs, this.epoch);
            if (performance.now() - this.lastKept >= KEEP_MS) this.keep(model);
            emit(this.root, 'epoch', { epoch: this.epoch, trainLoss: loss, testLoss: Number(logs?.val_loss) });
            if (!this.wantPlay && epochs === Infinity) model.stopTraining = true;
            const wait = 1000 / perSecond - (performance.now() - last);
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            last = performance.now();
          },
        }, ...(stopper ? [stopper] : [])],
      });
      if (stopper && generation === this.generation && !this.disposed) {
        // fit() has put the best epoch's weights back: draw the model as it now is.
        const end: TrainingEnd = { stoppedAt: stopper.stoppedEpoch > 0 ? stopper.stoppedEpoch + 1 : null, restoredFrom: stopper.restoredEpoch >= 0 ? stopper.restoredEpoch + 1 : null };
        this.lastEnd = end;
        // Stopped early, or paused with a better epoch behind: the weights went back (Keras 3's rule).
        if (end.stoppedAt !== null || (end.restoredFrom !== null && end.restoredFrom !== this.epoch)) {
          await this.view?.update(model);
          this.view?.trainingEnded?.(end);
        }
      }
    } catch (err) {
      if (generation === this.generation) {
        const diverged = err instanceof nn.SessionError && err.kind === 'diverged';
        this.showProblems([diverged ? `Training diverged: ${err.message} Try a smaller learning rate.` : `Training failed: ${err instanceof Error ? err.message : String(err)}`]);
        if (diverged) emit(this.root, 'diverged', { message: err.message });
      }
    } finally {
      if (generation === this.generation) {
        if (!this.disposed && this.epoch > 0) this.keep(model);
        this.running = null;
        if (this.resumeAfterStop && this.wantPlay) {
          this.resumeAfterStop = false;
          this.running = this.trainLoop();
        } else {
          this.wantPlay = false;
          this.updateButtons();
        }
      }
    }
  }

  private updateButtons(): void {
    this.playButton.textContent = this.wantPlay ? 'Pause' : 'Train';
    this.playButton.setAttribute('aria-pressed', String(this.wantPlay));
  }
}

function disposeData(d: LessonData): void {
  for (const t of new Set([d.train.xs, d.train.ys, d.test.xs, d.test.ys, d.fitTrainYs, d.fitTestYs, ...(d.heldOut ? [d.heldOut.xs, d.heldOut.ys] : [])])) t.dispose();
}

/** The lesson's data, made by the library (the engine's generator for point sets). */
function makeData(lesson: Lesson, s: LessonSettings): LessonData {
  if (lesson.kind === 'overfit') return makeOverfitData(s);
  if (lesson.kind === 'evaluate') return makeEvaluateData(s);
  if (lesson.kind === 'tabular') {
    const d = nn.datasets.tabular({ numTrain: 800, numTest: 200, noise: s.noise / 100, seed: s.seed });
    return { train: d.train, test: d.test, fitTrainYs: d.train.ys, fitTestYs: d.test.ys, classes: 0 };
  }
  const classes = s.dataset === 'moons' ? 2 : s.classes;
  const d = nn.datasets.points({ dataset: s.dataset, numPoints: POINTS[s.dataset] ?? 500, noise: s.noise, classes, seed: s.seed, trainRatio: 80 });
  if (lesson.kind !== 'softmax') return { train: d.train, test: d.test, fitTrainYs: d.train.ys, fitTestYs: d.test.ys, classes: 0, points: d.points, labels: d.labels };
  const onehot = (ys: nn.Tensor) => nn.tidy(() => nn.cast(nn.oneHot(nn.cast(nn.reshape(ys, [-1]), 'int32'), d.classes), 'float32'));
  return { train: d.train, test: d.test, fitTrainYs: onehot(d.train.ys), fitTestYs: onehot(d.test.ys), classes: d.classes, points: d.points, labels: d.labels };
}

/**
 * Lesson 9: 600 points of the wave, cut in halves; the model trains on the first `trainPoints` of
 * one half and validates on all of the other, so every toggle is judged on the same 300 points.
 */
function makeOverfitData(s: LessonSettings): LessonData {
  const d = nn.datasets.points({ dataset: 'wave', numPoints: 2 * OVERFIT_VALIDATION, noise: s.noise, trainRatio: 50, seed: s.seed });
  const n = Math.min(s.trainPoints ?? OVERFIT_SMALL, d.train.n);
  const train = { xs: d.train.xs.slice([0, 0], [n, 1]), ys: d.train.ys.slice([0, 0], [n, 1]), n };
  nn.dispose([d.train.xs, d.train.ys]);
  return { train, test: d.test, fitTrainYs: train.ys, fitTestYs: d.test.ys, classes: 0 };
}

/** Lesson 10: blobs cut three ways (train, validation, test), the first two drawn on the plane. */
function makeEvaluateData(s: LessonSettings): LessonData {
  const { train: nTrain, validation: nVal, test: nTest } = EVAL_SPLITS;
  const total = nTrain + nVal + nTest;
  const d = nn.datasets.points({ dataset: 'blobs', numPoints: total, noise: s.noise, classes: s.classes, trainRatio: Math.round((100 * nTrain) / total), seed: s.seed });
  const part = (from: number, n: number) => ({ xs: d.test.xs.slice([from, 0], [n, 2]), ys: d.test.ys.slice([from, 0], [n, 1]), n });
  const test = part(0, nVal);
  const heldOut = part(nVal, nTest);
  nn.dispose([d.test.xs, d.test.ys]);
  const onehot = (ys: nn.Tensor) => nn.tidy(() => nn.cast(nn.oneHot(nn.cast(nn.reshape(ys, [-1]), 'int32'), d.classes), 'float32'));
  const shown = nTrain + nVal;
  return { train: d.train, test, heldOut, fitTrainYs: onehot(d.train.ys), fitTestYs: onehot(test.ys), classes: d.classes, points: d.points.slice(0, 2 * shown), labels: d.labels.slice(0, shown) };
}

/** The lesson's model, as its listing builds it. */
function makeModel(lesson: Lesson, s: LessonSettings, data: LessonData): nn.LayersModel {
  const inputs = data.train.xs.shape[1];
  const hidden = lesson.kind === 'line' ? [] : s.hidden;
  const classifier = lesson.kind === 'softmax' || lesson.kind === 'evaluate';
  // Lesson 9's remedies: L2 on every hidden kernel, dropout after every hidden layer.
  const l2 = s.l2 ? { kernelRegularizer: nn.regularizers.l2({ l2: s.l2 }) } : {};
  const layers: nn.Layer[] = hidden.flatMap((units, i) => [
    nn.layers.dense({ ...(i === 0 ? { inputShape: [inputs] } : {}), units, activation: s.activation, ...l2 }),
    ...(s.dropout ? [nn.layers.dropout({ rate: s.dropout })] : []),
  ]);
  const first = hidden.length === 0 ? { inputShape: [inputs] } : {};
  if (classifier) layers.push(nn.layers.dense({ ...first, units: data.classes, activation: 'softmax' }));
  // One neuron (no hidden layer) in lesson 2 is the activation itself; otherwise a linear output.
  else layers.push(nn.layers.dense({ ...first, units: 1, activation: lesson.kind === 'neuron' && hidden.length === 0 ? s.activation : 'linear' }));
  const model = nn.sequential({ layers, seed: s.seed });
  const optimizer = s.optimizer === 'sgd' ? nn.train.sgd(s.learningRate) : nn.train.adam(s.learningRate);
  const loss = classifier && s.loss === 'crossentropy' ? 'categoricalCrossentropy' : 'meanSquaredError';
  model.compile({ optimizer, loss, metrics: classifier ? ['accuracy'] : [] });
  return model;
}

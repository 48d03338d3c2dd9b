// "Compare cells": SimpleRNN, LSTM and GRU trained on the same task side by side, each in its
// own Sequences worker (the same worker object the mode uses, three times), with one chart
// overlaying their test loss per epoch (a legend per cell), each one's final figures, and for
// one test sample each model's input-step dependence strip (how strongly each input step moves
// its last output): the lesson of the comparison, since gated cells keep a gradient path to
// early steps that a SimpleRNN loses (on the adding task the marked values can be anywhere).
//
// Every model has the Sequences mode's settings except its cell. The view is driven by the
// mode (SequencesApp): configure() with the setup, setSample() with the chosen test sample;
// Start/Pause and Reset act on all three. It computes no model math: figures and gradients
// arrive from the workers.
//
// The three trained models are kept as the single one is (model-store.ts, in their own list
// beside it): each worker's checkpoint after an epoch and on pause is its cell's model for this
// setup, with its figures; a reload or a switch back to the setup restores the three at their
// epochs, curves and table included (the optimizer's moments start again); Reset forgets them.
import { SequencesClient } from '../../worker/sequences-client';
import { SEQUENCE_CELLS } from '../../worker/sequences-protocol';
import type { Dependence, FromSequencesWorker, SequenceCell, SequenceEvaluation, SequencesWorkerCheckpoint } from '../../worker/sequences-protocol';
import { formatLossValue } from '../loss-chart';
import type { ModelStore, StoredModel } from '../model-store';
import type { LossHistory } from '../persist';
import { drawDependence } from './dependence-view';
import { plotLines } from './sequence-views';
import type { SequencesState } from './sequences-state';
import { CELL_LABELS } from './sequences-state';

export const CELL_COLORS: Record<SequenceCell, string> = { simpleRNN: '#e15759', lstm: '#0877bd', gru: '#59a14f' };
// The strips are refreshed this often while training.
const UNROLL_MS = 300;

interface Lane {
  cell: SequenceCell;
  client: SequencesClient;
  generation: number;
  loaded: string | null; // the task the worker holds
  built: boolean;
  training: boolean;
  epoch: number;
  completed: number;
  target: number;
  evaluations: SequenceEvaluation[];
  dependence: Dependence | null;
  unrollInFlight: boolean;
  unrollRequest: number;
  params: number;
  error: string | null;
  /** The setup this lane's model was built from (its kept model's key). */
  key: string;
  /** Training began or a model was restored in this generation: a late restore must not land. */
  touched: boolean;
}

export interface CompareCellSummary {
  cell: SequenceCell;
  training: boolean;
  epoch: number;
  evaluations: SequenceEvaluation[];
  /** The last dependence strip drawn, per input step. */
  dependence: number[] | null;
  error: string | null;
  /** The epoch this lane's model was restored at (from storage), else null. */
  restoredEpoch: number | null;
}

export class CompareView {
  readonly #doc: Document;
  readonly #root: HTMLElement;
  readonly #prefix: string;
  readonly #lanes: Lane[] = [];
  readonly #listeners = new AbortController();
  #state: SequencesState | null = null;
  #sample = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #disposed = false;
  #strips = 0;
  readonly #models: ModelStore | null;
  readonly #restoredAt = new Map<SequenceCell, number>();

  /**
   * `root`: the compare panel (its content is made here); `prefix`: the mode's id prefix;
   * `models`: where the three trained models are kept (null: not kept).
   */
  constructor(root: HTMLElement, prefix: string, models: ModelStore | null = null) {
    this.#models = models;
    this.#doc = root.ownerDocument;
    this.#root = root;
    this.#prefix = prefix;
    root.replaceChildren(this.#markup());
    const signal = this.#listeners.signal;
    this.#part('compare-button').addEventListener('click', () => this.setTraining(!this.training), { signal });
    this.#part('compare-reset').addEventListener('click', () => this.reset(), { signal });
  }

  get training(): boolean {
    return this.#lanes.some((l) => l.training);
  }
  get active(): boolean {
    return this.#lanes.length > 0;
  }
  /** Strips drawn so far (for tests: a redraw while training counts too). */
  get stripUpdates(): number {
    return this.#strips;
  }
  get cells(): CompareCellSummary[] {
    return this.#lanes.map((l) => ({
      cell: l.cell,
      training: l.training,
      epoch: l.epoch,
      evaluations: structuredClone(l.evaluations),
      dependence: l.dependence ? Array.from(l.dependence.magnitudes) : null,
      error: l.error,
      restoredEpoch: this.#restoredAt.get(l.cell) ?? null,
    }));
  }

  /** Starts the three workers on first use; rebuilds every model whose setup changed. */
  configure(state: SequencesState): void {
    if (this.#disposed) return;
    const before = this.#state;
    this.#state = structuredClone(state);
    if (!this.#lanes.length) {
      for (const cell of SEQUENCE_CELLS) this.#lanes.push(this.#lane(cell));
      this.#timer = setInterval(() => {
        for (const l of this.#lanes) if (l.training) this.#unroll(l);
      }, UNROLL_MS);
    }
    const key = (s: SequencesState | null) => (s ? JSON.stringify([s.task, s.units, s.layers, s.bidirectional, s.optimizer, s.learningRate, s.batchSize, s.seed]) : '');
    for (const l of this.#lanes) {
      if (l.loaded !== state.task) {
        l.built = false;
        l.client.send({ type: 'load', task: state.task });
      } else if (key(before) !== key(state)) {
        this.#build(l);
      } else if (before && before.epochs !== state.epochs) {
        l.target = l.completed + state.epochs;
        l.client.send({ type: 'setEpochs', epochs: l.target });
      }
    }
    this.#status(`Loading ${state.task} in three workers…`);
    this.#updateButton();
  }

  setSample(index: number): void {
    this.#sample = index;
    for (const l of this.#lanes) this.#unroll(l);
  }

  setTraining(on: boolean): void {
    if (this.#disposed || !this.#state) return;
    for (const l of this.#lanes) {
      if (!l.built) continue;
      if (on && l.completed >= l.target) {
        // Done: Start runs the number of epochs again, continuing from these weights.
        l.target = l.completed + this.#state.epochs;
        l.client.send({ type: 'setEpochs', epochs: l.target });
      }
      l.training = on;
      if (on) l.touched = true;
      l.client.send({ type: on ? 'train' : 'pause' });
    }
    this.#updateButton();
  }

  /** Fresh weights and epoch 0 for all three (their kept models forgotten). */
  reset(): void {
    for (const l of this.#lanes) {
      if (!l.loaded) continue;
      this.#build(l, true);
      void this.#models?.delete(l.key);
    }
    this.#draw();
  }

  /** Ends the three workers (the mode left compare); configure() starts them again. */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const l of this.#lanes) l.client.dispose();
    this.#lanes.length = 0;
    this.#state = null;
    this.#updateButton();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.stop();
    this.#disposed = true;
    this.#listeners.abort();
    this.#root.replaceChildren();
  }

  // ---------------------------------------------------------------- workers

  #lane(cell: SequenceCell): Lane {
    const lane: Lane = {
      cell,
      client: null as unknown as SequencesClient,
      generation: 0,
      loaded: null,
      built: false,
      training: false,
      epoch: 0,
      completed: 0,
      target: 0,
      evaluations: [],
      dependence: null,
      unrollInFlight: false,
      unrollRequest: 0,
      params: 0,
      error: null,
      key: '',
      touched: false,
    };
    lane.client = new SequencesClient(
      (m) => this.#onMessage(lane, m),
      (reason) => {
        lane.training = false;
        lane.error = `its worker stopped (${reason}); Reset starts it again`;
        this.#draw();
        this.#updateButton();
      },
    );
    return lane;
  }

  /** A new model for the lane; unless `fresh` (Reset), the one kept for this setup is restored into it. */
  #build(l: Lane, fresh = false): void {
    const s = this.#state;
    if (!s) return;
    if (l.client.isLost) {
      l.client.dispose();
      const fresh = this.#lane(l.cell);
      this.#lanes[this.#lanes.indexOf(l)] = fresh;
      fresh.client.send({ type: 'load', task: s.task });
      return;
    }
    l.generation++;
    l.built = false;
    l.training = false;
    l.epoch = 0;
    l.completed = 0;
    l.target = s.epochs;
    l.evaluations = [];
    l.dependence = null;
    l.error = null;
    l.touched = false;
    // The single model's key, marked as the comparison's: what the model was built from.
    l.key = JSON.stringify(['compare', s.task, l.cell, s.units, s.layers, s.bidirectional, s.optimizer, s.seed]);
    this.#restoredAt.delete(l.cell);
    l.client.send({
      type: 'build',
      generation: l.generation,
      model: { cell: l.cell, units: s.units, layers: s.layers, bidirectional: s.bidirectional, optimizer: s.optimizer, learningRate: s.learningRate, seed: s.seed },
      batchSize: s.batchSize,
      epochs: s.epochs,
    });
    if (!fresh) void this.#restoreKept(l, l.generation);
  }

  /** The model kept for the lane's setup into the generation just built, unless training began first. */
  async #restoreKept(l: Lane, generation: number): Promise<void> {
    const kept = await this.#models?.get(l.key);
    if (!kept || this.#disposed || !this.#lanes.includes(l) || generation !== l.generation || l.touched) return;
    l.touched = true;
    // The figures come back from the kept curves (the table's time per epoch counts only
    // epochs trained since).
    l.evaluations = kept.losses.epoch.map((epoch, i) => ({
      generation,
      epoch,
      seconds: 0,
      trainLoss: kept.losses.train[i] ?? NaN,
      testLoss: kept.losses.test[i] ?? NaN,
      trainAccuracy: kept.accuracy.train[i] ?? NaN,
      testAccuracy: kept.accuracy.test[i] ?? NaN,
      restored: true,
    }));
    l.epoch = l.completed = kept.epoch;
    if (kept.epoch >= l.target) l.target = kept.epoch;
    this.#restoredAt.set(l.cell, kept.epoch);
    l.client.send({ type: 'restore', generation, weights: kept.weights.slice(), epoch: kept.epoch, stepInEpoch: kept.stepInEpoch });
    this.#draw();
  }

  /** A worker checkpoint becomes the lane's kept model, with its figures so far. */
  #keep(l: Lane, c: SequencesWorkerCheckpoint): void {
    if (!this.#models) return;
    const history = (pick: (e: SequenceEvaluation) => [number, number]): LossHistory => {
      const h: LossHistory = { epoch: [], train: [], test: [] };
      for (const e of l.evaluations) {
        const [train, test] = pick(e);
        h.epoch.push(e.epoch);
        h.train.push(Number.isFinite(train) ? train : null);
        h.test.push(Number.isFinite(test) ? test : null);
      }
      return h;
    };
    const model: StoredModel = {
      key: l.key,
      epoch: c.epoch,
      stepInEpoch: c.stepInEpoch,
      weights: c.weights,
      losses: history((e) => [e.trainLoss, e.testLoss]),
      accuracy: history((e) => [e.trainAccuracy, e.testAccuracy]),
      savedAt: new Date().toISOString(),
    };
    void this.#models.save(model);
  }

  #unroll(l: Lane): void {
    if (!l.built || l.unrollInFlight) return;
    l.unrollInFlight = true;
    l.client.send({ type: 'unroll', requestId: ++l.unrollRequest, index: this.#sample });
  }

  #onMessage(l: Lane, m: FromSequencesWorker): void {
    if (this.#disposed || !this.#lanes.includes(l)) return;
    switch (m.type) {
      case 'task':
        if (m.info.task !== this.#state?.task) return;
        l.loaded = m.info.task;
        this.#build(l);
        break;
      case 'built':
        if (m.generation !== l.generation) return;
        l.built = true;
        l.params = m.params;
        this.#unroll(l);
        this.#draw();
        this.#updateButton();
        break;
      case 'progress':
        if (m.generation !== l.generation) return;
        l.epoch = m.epoch;
        l.training = m.training;
        this.#updateButton();
        break;
      case 'evaluation': {
        const e = m.evaluation;
        if (e.generation !== l.generation) return;
        // A restored model's figures came with it (#restoreKept); its evaluation repeats the last.
        if (!e.restored) l.evaluations.push(e);
        l.completed = e.epoch;
        this.#unroll(l);
        this.#draw();
        break;
      }
      case 'unrolled':
        l.unrollInFlight = false;
        if (m.generation !== l.generation) return;
        l.dependence = m.dependence;
        this.#drawStrip(l);
        // The sample changed while this one was under way: draw the one asked for.
        if (m.index !== this.#sample) this.#unroll(l);
        break;
      case 'checkpoint':
        if (m.checkpoint.generation === l.generation) this.#keep(l, m.checkpoint);
        break;
      case 'error':
        if (m.where === 'look') l.unrollInFlight = false;
        else l.training = false;
        l.error = m.message;
        this.#draw();
        this.#updateButton();
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- drawing

  #part<T extends HTMLElement>(name: string): T {
    const e = this.#root.querySelector<T>(`#${CSS.escape(this.#prefix + name)}`);
    if (!e) throw new Error(`nnplay CompareView: missing part ${name}`);
    return e;
  }

  #markup(): DocumentFragment {
    const p = this.#prefix;
    const t = this.#doc.createElement('template');
    const strips = SEQUENCE_CELLS.map(
      (c) => `<div class="compare-cell"><canvas id="${p}compare-strip-${c}" class="seq-plot compare-strip" width="300" height="48" role="img" aria-label="${CELL_LABELS[c]}: input-step dependence"></canvas></div>`,
    ).join('');
    t.innerHTML = `
<h2>Compare cells <span class="caption">SimpleRNN, LSTM and GRU with the same settings, each in its own worker</span></h2>
<div class="sample-row">
  <button type="button" id="${p}compare-button" class="text-button">Start all</button>
  <button type="button" id="${p}compare-reset" class="text-button">Reset all</button>
  <span id="${p}compare-status" class="hint" aria-live="polite"></span>
</div>
<h3>Test loss per epoch</h3>
<canvas id="${p}compare-chart" class="seq-plot" width="640" height="160" role="img" aria-label="Test loss per epoch of each cell type"></canvas>
<table id="${p}compare-figures" class="compare-figures"><thead><tr><th>Cell</th><th>Params</th><th>Epochs</th><th>Test loss</th><th>Test accuracy</th><th>ms / epoch</th></tr></thead><tbody></tbody></table>
<h3>How far back the last output depends on the input <span class="caption">per input step, |d output / d input| summed over features, for the chosen test sample (the predicted class's probability, the probability or the value after the last step)</span></h3>
<div class="compare-strips">${strips}</div>`;
    return t.content;
  }

  #status(text: string): void {
    this.#part('compare-status').textContent = text;
  }

  #updateButton(): void {
    const b = this.#part<HTMLButtonElement>('compare-button');
    b.textContent = this.training ? 'Pause all' : 'Start all';
    b.disabled = !this.training && !this.#lanes.some((l) => l.built);
  }

  #draw(): void {
    const chart = this.#part<HTMLCanvasElement>('compare-chart');
    const maxEpoch = Math.max(1, ...this.#lanes.map((l) => l.evaluations.length));
    plotLines(
      chart,
      this.#lanes.map((l) => ({
        label: CELL_LABELS[l.cell],
        points: l.evaluations.filter((e) => Number.isFinite(e.testLoss)).map((e) => ({ x: e.epoch, y: e.testLoss })),
        color: CELL_COLORS[l.cell],
      })),
      maxEpoch,
    );
    const body = this.#part('compare-figures').querySelector('tbody');
    if (body) {
      body.replaceChildren(
        ...this.#lanes.map((l) => {
          const row = this.#doc.createElement('tr');
          const last = l.evaluations[l.evaluations.length - 1];
          const trained = l.evaluations.filter((e) => !e.restored);
          const ms = trained.length ? (trained.reduce((s, e) => s + e.seconds, 0) / trained.length) * 1000 : NaN;
          const cells = [
            CELL_LABELS[l.cell],
            l.params ? l.params.toLocaleString('en-US') : '–',
            String(l.completed),
            last ? formatLossValue(last.testLoss) : '–',
            last && Number.isFinite(last.testAccuracy) ? `${(last.testAccuracy * 100).toFixed(1)}%` : '–',
            Number.isFinite(ms) ? ms.toFixed(0) : '–',
          ];
          for (const text of cells) {
            const td = this.#doc.createElement('td');
            td.textContent = text;
            row.append(td);
          }
          row.dataset.cell = l.cell;
          if (l.error) row.title = l.error;
          return row;
        }),
      );
    }
    const errors = this.#lanes.filter((l) => l.error).map((l) => `${CELL_LABELS[l.cell]}: ${l.error}`);
    const built = this.#lanes.filter((l) => l.built).length;
    this.#status(errors.length ? errors.join(' ') : built < this.#lanes.length ? `Building ${this.#lanes.length - built} of ${this.#lanes.length} models…` : '');
  }

  #drawStrip(l: Lane): void {
    if (!l.dependence) return;
    const canvas = this.#part<HTMLCanvasElement>(`compare-strip-${l.cell}`);
    // Drawn at the size it is shown (the strips share the row), so its caption stays sharp.
    canvas.width = Math.max(160, Math.round(canvas.clientWidth) || 300);
    drawDependence(canvas, l.dependence.magnitudes, CELL_COLORS[l.cell], CELL_LABELS[l.cell]);
    canvas.title = `${CELL_LABELS[l.cell]}: |d ${l.dependence.output} / d input| per step`;
    this.#strips++;
  }
}

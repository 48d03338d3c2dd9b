// One view object per kind of runnable lesson: what it draws and which figures it shows. A view
// gets the lesson's data once (setData) and the model after every epoch (update); it draws on
// canvases and writes figures into <output> elements with stable ids (automation hooks), each
// after the app's id prefix.
//
// What it is not: model math. Predictions come from model.predict (the engine), the loss
// landscape from nn.linearLossSurface, R² / RMSE from nn.regressionReport, activation curves and
// their derivatives from the library's ops and their gradient rules (nn.grad). The views only
// map numbers to pixels and colours.
import * as nn from 'nnplay';
import type { LessonActivation, LessonKind, LessonSettings } from './lesson-table';
import { EvaluateView } from './evaluate-view';
import { OverfitView } from './overfit-view';
import { VaeView } from './vae-view';
import { Axes, CLASS_COLOURS, SIZE, canvas, el, figure, flat, grid1d, predictOver } from './view-kit';

/** The data a lesson trains on, as the library made it. */
export interface LessonData {
  train: { xs: nn.Tensor; ys: nn.Tensor; n: number };
  test: { xs: nn.Tensor; ys: nn.Tensor; n: number };
  /** Targets as the model trains on them (one-hot for softmax), train and test. */
  fitTrainYs: nn.Tensor;
  fitTestYs: nn.Tensor;
  classes: number;
  /** 2-D coordinates [n, 2] and labels, train first (point sets only). */
  points?: Float32Array;
  labels?: Float32Array;
  /** Image sets: the class names, in label order. */
  classNames?: string[];
  /** Lesson 10: the held-out test set (fit() validates on `test`, which is the validation set there). */
  heldOut?: { xs: nn.Tensor; ys: nn.Tensor; n: number };
}

/** How a fit() ended, for views that show it (lesson 9's early stopping). */
export interface TrainingEnd {
  /** The epoch (1-based) after which earlyStopping stopped training, or null (paused, or no early stopping). */
  stoppedAt: number | null;
  /** The epoch (1-based) whose weights the model holds now by restoreBestWeights, or null. */
  restoredFrom: number | null;
}

/** What a view may ask of the lesson app (lesson 10's test button pauses training first). */
export interface ViewHost {
  /** Pauses training and resolves when fit() has returned. */
  stopTraining(): Promise<void>;
  /** Completed epochs of the current model. */
  readonly epoch: number;
  /** Prefix of the view's element ids (several apps on one page), as the app's own. */
  readonly idPrefix: string;
}

export interface LessonView {
  readonly element: HTMLElement;
  setData(data: LessonData, settings: LessonSettings): void;
  /** After every epoch with that epoch's logs and number (1-based; none for the untrained or restored model). */
  update(model: nn.LayersModel, logs?: nn.Logs, epoch?: number): void | Promise<void>;
  /** After a fit() returned (the model already updated with update()). */
  trainingEnded?(end: TrainingEnd): void;
  dispose(): void;
}

// ---- lesson 1: the line, and the loss landscape with the descent path ----------------------

class LineView implements LessonView {
  readonly element: HTMLElement;
  private readonly fit: HTMLCanvasElement;
  private readonly surface: HTMLCanvasElement;
  private readonly w: HTMLOutputElement;
  private readonly b: HTMLOutputElement;
  private data: LessonData | null = null;
  private surfaceImage: ImageData | null = null;
  private path: [number, number][] = [];
  private readonly wRange: [number, number] = [-1, 5];
  private readonly bRange: [number, number] = [-2, 4];

  constructor(doc: Document, p = '') {
    this.fit = canvas(doc, `${p}lesson-view`, 'The points and the fitted line');
    this.surface = canvas(doc, `${p}loss-surface`, 'Mean squared error over w (across) and b (up), with the descent path');
    const w = figure(doc, `${p}weight-w`, 'w =');
    const b = figure(doc, `${p}weight-b`, 'b =');
    this.w = w.out;
    this.b = b.out;
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view line-view' },
      el(doc, 'figure', {}, this.fit, el(doc, 'figcaption', {}, 'Data and the line ŷ = w·x + b')),
      el(doc, 'figure', {}, this.surface, el(doc, 'figcaption', {}, 'MSE over (w, b): darker is lower; + is the best fit (2, 1)')),
      el(doc, 'p', { className: 'lesson-figures' }, w.wrap, ' ', b.wrap),
    );
  }

  setData(data: LessonData): void {
    this.data = data;
    this.path = [];
    const s = nn.linearLossSurface(data.train.xs, data.train.ys, { w: this.wRange, b: this.bRange, steps: 80 });
    // Log scale: the bowl's floor and walls both stay visible.
    const lo = Math.log(s.min);
    const hi = Math.log(s.max);
    const img = new ImageData(s.steps, s.steps);
    for (let i = 0; i < s.values.length; i++) {
      const t = (Math.log(s.values[i]) - lo) / (hi - lo || 1);
      const v = Math.round(40 + 215 * t);
      img.data.set([v * 0.55, v * 0.75, v, 255], 4 * i);
    }
    this.surfaceImage = img;
  }

  update(model: nn.LayersModel): void {
    const data = this.data;
    if (!data) return;
    const weights = model.getWeights();
    const w = weights[0].dataSync()[0];
    const b = weights[1].dataSync()[0];
    for (const t of weights) t.dispose();
    this.path.push([w, b]);
    this.w.textContent = w.toFixed(3);
    this.b.textContent = b.toFixed(3);
    this.drawFit(model, data);
    this.drawSurface();
  }

  private drawFit(model: nn.LayersModel, data: LessonData): void {
    const ctx = this.fit.getContext('2d');
    if (!ctx) return;
    const axes = new Axes(-1.1, 1.1, -2.5, 4.5);
    axes.frame(ctx);
    axes.dots(ctx, flat(data.train.xs), flat(data.train.ys), () => 'rgba(33,102,172,0.75)');
    axes.dots(ctx, flat(data.test.xs), flat(data.test.ys), () => 'rgba(230,97,1,0.75)');
    // The line the model is now, as the model computes it at the two ends.
    const ends = Float32Array.of(-1.1, 1.1);
    axes.curve(ctx, ends, predictOver(model, ends), '#d62728', 3);
  }

  private drawSurface(): void {
    const ctx = this.surface.getContext('2d');
    if (!ctx || !this.surfaceImage) return;
    const scratch = new OffscreenCanvas(this.surfaceImage.width, this.surfaceImage.height);
    scratch.getContext('2d')?.putImageData(this.surfaceImage, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, SIZE, SIZE);
    const axes = new Axes(this.wRange[0], this.wRange[1], this.bRange[0], this.bRange[1]);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(axes.px(2) - 6, axes.py(1));
    ctx.lineTo(axes.px(2) + 6, axes.py(1));
    ctx.moveTo(axes.px(2), axes.py(1) - 6);
    ctx.lineTo(axes.px(2), axes.py(1) + 6);
    ctx.stroke();
    axes.curve(ctx, this.path.map((p) => p[0]), this.path.map((p) => p[1]), '#d62728', 2);
    axes.dots(ctx, this.path.map((p) => p[0]), this.path.map((p) => p[1]), () => '#d62728', 2.5);
  }

  dispose(): void {
    this.element.remove();
  }
}

// ---- lesson 2: activations and the network's function over x --------------------------------

const CURVES: { name: Exclude<LessonActivation, 'linear'>; colour: string; fn: (x: nn.Tensor) => nn.Tensor }[] = [
  { name: 'sigmoid', colour: '#1b9e77', fn: (x) => nn.sigmoid(x) },
  { name: 'tanh', colour: '#7570b3', fn: (x) => nn.tanh(x) },
  { name: 'relu', colour: '#d95f02', fn: (x) => nn.relu(x) },
];

class NeuronView implements LessonView {
  readonly element: HTMLElement;
  private readonly fn: HTMLCanvasElement;
  private readonly curves: HTMLCanvasElement;
  private data: LessonData | null = null;
  private readonly xs = grid1d(-3.3, 3.3, 200);

  constructor(doc: Document, p = '') {
    this.fn = canvas(doc, `${p}lesson-view`, 'The data and the function the network computes over x');
    this.curves = canvas(doc, `${p}activation-curves`, 'sigmoid, tanh and ReLU with their derivatives');
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view neuron-view' },
      el(doc, 'figure', {}, this.fn, el(doc, 'figcaption', {}, 'The network\u2019s function over x (red) and the data')),
      el(doc, 'figure', {}, this.curves, el(doc, 'figcaption', {}, 'Activations (solid) and derivatives (dashed); the chosen one is thick')),
    );
  }

  setData(data: LessonData, settings: LessonSettings): void {
    this.data = data;
    this.drawCurves(settings.activation);
  }

  private drawCurves(chosen: LessonActivation): void {
    const ctx = this.curves.getContext('2d');
    if (!ctx) return;
    const axes = new Axes(-4, 4, -1.2, 2.2);
    axes.frame(ctx);
    const xs = nn.linspace(-4, 4, 161);
    const xv = xs.dataSync();
    for (const c of CURVES) {
      const y = c.fn(xs);
      const dy = nn.grad(c.fn)(xs);
      const width = c.name === chosen ? 3.5 : 1.5;
      axes.curve(ctx, xv, y.dataSync(), c.colour, width);
      axes.curve(ctx, xv, dy.dataSync(), c.colour, width, [5, 4]);
      y.dispose();
      dy.dispose();
    }
    xs.dispose();
    ctx.font = '13px sans-serif';
    CURVES.forEach((c, i) => {
      ctx.fillStyle = c.colour;
      ctx.fillText(c.name, 8, 18 + 16 * i);
    });
  }

  update(model: nn.LayersModel): void {
    const data = this.data;
    const ctx = this.fn.getContext('2d');
    if (!data || !ctx) return;
    const axes = new Axes(-3.3, 3.3, -1.8, 1.8);
    axes.frame(ctx);
    axes.dots(ctx, flat(data.train.xs), flat(data.train.ys), () => 'rgba(33,102,172,0.7)');
    axes.curve(ctx, this.xs, predictOver(model, this.xs), '#d62728', 3);
  }

  dispose(): void {
    this.element.remove();
  }
}

// ---- lesson 3: predicted against true, R², RMSE ---------------------------------------------

class ScatterView implements LessonView {
  readonly element: HTMLElement;
  private readonly scatter: HTMLCanvasElement;
  private readonly r2: HTMLOutputElement;
  private readonly rmse: HTMLOutputElement;
  private data: LessonData | null = null;
  private range: [number, number] = [-3, 3];

  constructor(doc: Document, p = '') {
    this.scatter = canvas(doc, `${p}lesson-view`, 'Predicted against true target for the test rows');
    const r2 = figure(doc, `${p}r2`, 'R² =');
    const rmse = figure(doc, `${p}rmse`, 'RMSE =');
    this.r2 = r2.out;
    this.rmse = rmse.out;
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view scatter-view' },
      el(doc, 'figure', {}, this.scatter, el(doc, 'figcaption', {}, 'Test rows: predicted (up) against true (across); the diagonal is perfect')),
      el(doc, 'p', { className: 'lesson-figures' }, r2.wrap, ' ', rmse.wrap, ' (test set)'),
    );
  }

  setData(data: LessonData): void {
    this.data = data;
    const y = flat(data.test.ys);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pad = 0.1 * (hi - lo || 1);
    this.range = [lo - pad, hi + pad];
  }

  update(model: nn.LayersModel): void {
    const data = this.data;
    const ctx = this.scatter.getContext('2d');
    if (!data || !ctx) return;
    const pred = model.predict(data.test.xs) as nn.Tensor;
    const report = nn.regressionReport(data.test.ys, pred);
    this.r2.textContent = report.r2.toFixed(3);
    this.rmse.textContent = report.rmse.toFixed(3);
    const [lo, hi] = this.range;
    const axes = new Axes(lo, hi, lo, hi);
    axes.frame(ctx);
    axes.curve(ctx, [lo, hi], [lo, hi], '#999', 1.5, [4, 4]);
    axes.dots(ctx, flat(data.test.ys), pred.dataSync(), () => 'rgba(33,102,172,0.7)');
    pred.dispose();
  }

  dispose(): void {
    this.element.remove();
  }
}

// ---- lesson 4: class regions of a softmax classifier ---------------------------------------

export class RegionsView implements LessonView {
  readonly element: HTMLElement;
  private readonly regions: HTMLCanvasElement;
  private readonly accuracy: HTMLOutputElement;
  private data: LessonData | null = null;
  private gridInput: nn.Tensor | null = null;
  private static readonly GRID = 64;
  private static readonly DOMAIN = 6;

  /** `accuracyOf`: what the accuracy figure is of (lesson 10 validates on a validation set). */
  constructor(doc: Document, accuracyOf = 'test', p = '') {
    this.regions = canvas(doc, `${p}lesson-view`, 'Class regions: each point of the plane coloured by its predicted class probabilities');
    const acc = figure(doc, `${p}accuracy`, `${accuracyOf} accuracy`);
    this.accuracy = acc.out;
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view regions-view' },
      el(doc, 'figure', {}, this.regions, el(doc, 'figcaption', {}, 'Background: softmax probabilities blended by class colour; dots: the data')),
      el(doc, 'p', { className: 'lesson-figures' }, acc.wrap),
    );
  }

  setData(data: LessonData): void {
    this.data = data;
    const g = RegionsView.GRID;
    const d = RegionsView.DOMAIN;
    const xy = new Float32Array(g * g * 2);
    for (let r = 0; r < g; r++) {
      for (let c = 0; c < g; c++) {
        xy[2 * (r * g + c)] = -d + ((2 * d) * (c + 0.5)) / g;
        xy[2 * (r * g + c) + 1] = d - ((2 * d) * (r + 0.5)) / g;
      }
    }
    this.gridInput?.dispose();
    this.gridInput = nn.tensor2d(xy, [g * g, 2]);
  }

  update(model: nn.LayersModel): void {
    const data = this.data;
    const ctx = this.regions.getContext('2d');
    if (!data || !ctx || !this.gridInput || !data.points || !data.labels) return;
    const g = RegionsView.GRID;
    const k = data.classes;
    const probsT = model.predict(this.gridInput) as nn.Tensor;
    const probs = probsT.dataSync();
    probsT.dispose();
    const img = new ImageData(g, g);
    for (let i = 0; i < g * g; i++) {
      const rgb = [0, 0, 0];
      for (let c = 0; c < k; c++) for (let j = 0; j < 3; j++) rgb[j] += probs[i * k + c] * CLASS_COLOURS[c][j];
      // Blend towards white so the points stay visible on top.
      img.data.set([...rgb.map((v) => 255 - 0.55 * (255 - v)), 255], 4 * i);
    }
    const scratch = new OffscreenCanvas(g, g);
    scratch.getContext('2d')?.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, SIZE, SIZE);
    const d = RegionsView.DOMAIN;
    const axes = new Axes(-d, d, -d, d);
    const n = data.labels.length;
    const xs = Float32Array.from({ length: n }, (_, i) => data.points![2 * i]);
    const ys = Float32Array.from({ length: n }, (_, i) => data.points![2 * i + 1]);
    const colour = (i: number) => `rgb(${CLASS_COLOURS[data.labels![i]].join(',')})`;
    axes.dots(ctx, xs, ys, colour, 2.5);
    // Test accuracy from the engine's own metric.
    const evaluated = model.evaluate(data.test.xs, data.fitTestYs) as nn.Tensor[];
    this.accuracy.textContent = `${(evaluated[1].dataSync()[0] * 100).toFixed(1)} %`;
    for (const t of evaluated) t.dispose();
  }

  dispose(): void {
    this.gridInput?.dispose();
    this.element.remove();
  }
}

/** The view of a lesson kind. */
export function makeView(kind: Exclude<LessonKind, 'link'>, doc: Document, host: ViewHost): LessonView {
  switch (kind) {
    case 'line':
      return new LineView(doc, host.idPrefix);
    case 'neuron':
      return new NeuronView(doc, host.idPrefix);
    case 'tabular':
      return new ScatterView(doc, host.idPrefix);
    case 'softmax':
      return new RegionsView(doc, 'test', host.idPrefix);
    case 'vae':
      return new VaeView(doc, host.idPrefix);
    case 'overfit':
      return new OverfitView(doc, host.idPrefix);
    case 'evaluate':
      return new EvaluateView(doc, host);
  }
}

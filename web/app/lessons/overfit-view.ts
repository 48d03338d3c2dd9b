// Lesson 9's view: the fitted function over x against the few training points and the many
// validation points, and the two loss curves with the gap between them, the best validation
// epoch marked (and, with early stopping, where it stopped and whose weights it kept).
//
// What it is not: model math. The function is model.predict over a grid of x; the losses are the
// ones fit() logged (`loss`, `val_loss`); the view keeps them per epoch to draw and to name the
// best epoch and the gap.
import type * as nn from 'nnplay';
import type { LessonData, LessonView, TrainingEnd } from './lesson-views';
import { Axes, SIZE, canvas, el, figure, flat, grid1d, predictOver } from './view-kit';

const CURVES_W = 420;
const CURVES_H = 170;
const TRAIN_COLOUR = '#0877bd';
const VAL_COLOUR = '#c85200';

export class OverfitView implements LessonView {
  readonly element: HTMLElement;
  private readonly fn: HTMLCanvasElement;
  private readonly curves: HTMLCanvasElement;
  private readonly gapOut: HTMLOutputElement;
  private readonly bestOut: HTMLOutputElement;
  private readonly bestLossOut: HTMLOutputElement;
  private readonly stoppedOut: HTMLOutputElement;
  private data: LessonData | null = null;
  private readonly xs = grid1d(-3.3, 3.3, 240);
  /** Per epoch since this view was made: the epoch number (1-based) and the two losses. */
  private readonly epochs: number[] = [];
  private readonly train: number[] = [];
  private readonly val: number[] = [];
  private stoppedAt: number | null = null;
  private restoredFrom: number | null = null;

  constructor(doc: Document, p = '') {
    this.fn = canvas(doc, `${p}lesson-view`, 'The function the network computes over x, with the training points and the validation points');
    this.curves = el(doc, 'canvas', { id: `${p}overfit-curves`, width: CURVES_W, height: CURVES_H, className: 'lesson-canvas' });
    this.curves.setAttribute('role', 'img');
    this.curves.setAttribute('aria-label', 'Training and validation loss per epoch (log scale), the best validation epoch marked');
    const gap = figure(doc, `${p}train-val-gap`, 'gap (validation − training loss)');
    const best = figure(doc, `${p}best-epoch`, 'best validation epoch');
    const bestLoss = figure(doc, `${p}best-val-loss`, 'its validation loss');
    const stopped = figure(doc, `${p}stopped-epoch`, 'early stopping');
    this.gapOut = gap.out;
    this.bestOut = best.out;
    this.bestLossOut = bestLoss.out;
    this.stoppedOut = stopped.out;
    this.stoppedOut.textContent = 'off';
    const key = (colour: string, text: string) => {
      const dot = el(doc, 'span', { className: 'vae-class-dot' }, '●');
      dot.style.color = colour;
      dot.setAttribute('aria-hidden', 'true');
      return el(doc, 'span', { className: 'vae-class' }, dot, ` ${text}`);
    };
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view overfit-view' },
      el(doc, 'figure', {}, this.fn, el(doc, 'figcaption', {}, 'The network\u2019s function (red) through the training points (large) and the validation points (small)'), el(doc, 'p', { className: 'vae-legend' }, key(TRAIN_COLOUR, 'training'), ' ', key(VAL_COLOUR, 'validation'))),
      el(doc, 'figure', {}, this.curves, el(doc, 'figcaption', {}, 'Loss per epoch, log scale: training (blue), validation (orange); the ring is the best validation epoch')),
      el(doc, 'p', { className: 'lesson-figures' }, gap.wrap, ' ', best.wrap, ' ', bestLoss.wrap, ' ', stopped.wrap),
    );
  }

  setData(data: LessonData, settings: { earlyStopping?: boolean }): void {
    this.data = data;
    this.epochs.length = this.train.length = this.val.length = 0;
    this.stoppedAt = this.restoredFrom = null;
    this.stoppedOut.textContent = settings.earlyStopping ? 'on, not triggered yet' : 'off';
  }

  /** The best validation epoch seen by this view (index into the kept curves), or -1. */
  private bestIndex(): number {
    let best = -1;
    this.val.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v < this.val[best])) best = i;
    });
    return best;
  }

  update(model: nn.LayersModel, logs?: nn.Logs, epoch?: number): void {
    const data = this.data;
    if (!data) return;
    if (logs) {
      const train = Number(logs.loss);
      const val = Number(logs.val_loss);
      this.epochs.push(epoch ?? this.epochs.length + 1);
      this.train.push(train);
      this.val.push(val);
      this.gapOut.textContent = (val - train).toFixed(4);
      const best = this.bestIndex();
      if (best >= 0) {
        this.bestOut.textContent = String(this.epochs[best]);
        this.bestLossOut.textContent = this.val[best].toFixed(4);
      }
    }
    this.drawFunction(model, data);
    this.drawCurves();
  }

  trainingEnded(end: TrainingEnd): void {
    this.stoppedAt = end.stoppedAt;
    this.restoredFrom = end.restoredFrom;
    const restored = end.restoredFrom === null ? '' : `weights of epoch ${end.restoredFrom} restored`;
    // A pause ends fit() too: the best epoch's weights come back then as well (Keras 3's rule).
    this.stoppedOut.textContent = end.stoppedAt === null ? `paused; ${restored}` : `stopped after epoch ${end.stoppedAt}${restored ? `; ${restored}` : ''}`;
    this.drawCurves();
  }

  private drawFunction(model: nn.LayersModel, data: LessonData): void {
    const ctx = this.fn.getContext('2d');
    if (!ctx) return;
    const axes = new Axes(-3.3, 3.3, -2.2, 2.2);
    axes.frame(ctx);
    axes.dots(ctx, flat(data.test.xs), flat(data.test.ys), () => 'rgba(200,82,0,0.45)', 1.8);
    axes.dots(ctx, flat(data.train.xs), flat(data.train.ys), () => TRAIN_COLOUR, 4);
    axes.curve(ctx, this.xs, predictOver(model, this.xs), '#d62728', 2.5);
  }

  private drawCurves(): void {
    const ctx = this.curves.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, CURVES_W, CURVES_H);
    const values = [...this.train, ...this.val].filter((v) => Number.isFinite(v) && v > 0);
    if (values.length === 0) return;
    const lo = Math.log10(Math.min(...values));
    const hi = Math.log10(Math.max(...values));
    const span = hi - lo || 1;
    const n = this.epochs.length;
    const pad = 18;
    const x = (i: number) => pad + ((CURVES_W - 2 * pad) * i) / Math.max(1, n - 1);
    const y = (v: number) => pad + (CURVES_H - 2 * pad) * (1 - (Math.log10(v) - lo) / span);
    const line = (vs: number[], colour: string) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      vs.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
      ctx.stroke();
    };
    line(this.train, TRAIN_COLOUR);
    line(this.val, VAL_COLOUR);
    const best = this.bestIndex();
    if (best >= 0) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x(best), y(this.val[best]), 5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (this.stoppedAt !== null) {
      ctx.strokeStyle = '#888';
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x(n - 1), pad / 2);
      ctx.lineTo(x(n - 1), CURVES_H - pad / 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#333';
    ctx.font = '12px sans-serif';
    ctx.fillText(`${(10 ** hi).toPrecision(3)}`, 2, 12);
    ctx.fillText(`${(10 ** lo).toPrecision(3)}`, 2, CURVES_H - 4);
    ctx.lineWidth = 1;
  }

  dispose(): void {
    this.element.remove();
  }
}

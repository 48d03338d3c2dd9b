// The live train/test loss chart (uPlot: canvas, fast enough to redraw every frame, with axes
// and a legend that shows the values under the cursor).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// Beyond this many points, every other point is dropped: the chart stays cheap to redraw
// on long runs while keeping the curve's shape.
const MAX_POINTS = 2000;
const MIN_INTERVAL_MS = 100;

export interface ChartOptions {
  /** The y axis label (default 'loss'). */
  yLabel?: string;
  /** A fixed y range (default: 0 to the largest value). */
  yRange?: [number, number];
  /** How the legend writes a value (default formatLossValue). */
  format?: (v: number) => string;
  /** Draw lines across missing points (series sampled at different epochs). */
  spanGaps?: boolean;
  /** The second series' name (default 'test'; lessons 9 and 10 validate on a validation set). */
  testLabel?: string;
}

export class LossChart {
  private readonly chart: uPlot;
  private xs: number[] = [];
  private train: (number | null)[] = [];
  private test: (number | null)[] = [];
  private dirty = false;
  private lastDraw = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(container: HTMLElement, width: number, height: number, options: ChartOptions = {}) {
    // Axis text and grid follow the page's theme (light or dark): uPlot draws them on canvas.
    const ink = () => getComputedStyle(container).color || '#333';
    const grid = () => getComputedStyle(container).getPropertyValue('--grid-line').trim() || 'rgba(0,0,0,0.07)';
    const format = options.format ?? formatLossValue;
    const fmt = (_u: uPlot, v: number | null) => (v == null ? '–' : format(v));
    const fixed = options.yRange;
    const spanGaps = options.spanGaps ?? false;
    this.chart = new uPlot(
      {
        width,
        height,
        legend: { live: true },
        // When the cursor leaves the chart, the legend goes back to the latest figures (also
        // while paused, when no new point would redraw it).
        hooks: { setCursor: [(u) => this.showLatest(u)] },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: { range: (_u, min, max) => fixed ?? [0, Math.max(max, min + 1e-3) * 1.05] } },
        axes: [
          { label: 'epoch', size: 36, labelSize: 14, font: '11px sans-serif', labelFont: '11px sans-serif', stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid } },
          { label: options.yLabel ?? 'loss', size: 44, labelSize: 14, font: '11px sans-serif', labelFont: '11px sans-serif', stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid } },
        ],
        series: [
          { label: 'epoch', value: (_u, v) => (v == null ? '–' : v.toFixed(1)) },
          { label: 'train', stroke: '#0877bd', width: 1.5, value: fmt, spanGaps },
          { label: options.testLabel ?? 'test', stroke: () => getComputedStyle(container).getPropertyValue('--chart-test').trim() || '#333', width: 1.5, value: fmt, spanGaps, points: { show: spanGaps } },
        ],
      },
      [[], [], []],
      container,
    );
  }

  /** Resizes the plot (the page keeps it within its column on narrow screens). */
  setWidth(width: number): void {
    const w = Math.max(160, Math.round(width));
    if (w !== this.chart.width) this.chart.setSize({ width: w, height: this.chart.height });
  }

  /** Stops a pending redraw and removes the chart (its canvas, legend and uPlot's listeners). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = false;
    this.chart.destroy();
  }

  clear(): void {
    this.xs = [];
    this.train = [];
    this.test = [];
    this.dirty = true;
  }

  /** A copy of the points (for saving with the model). */
  history(): { epoch: number[]; train: (number | null)[]; test: (number | null)[] } {
    return { epoch: [...this.xs], train: [...this.train], test: [...this.test] };
  }

  /** Replaces the points with saved ones (after a reload or an import). */
  restore(h: { epoch: number[]; train: (number | null)[]; test: (number | null)[] }): void {
    this.xs = [...h.epoch];
    this.train = [...h.train];
    this.test = [...h.test];
    this.dirty = true;
  }

  add(epoch: number, trainLoss: number, testLoss: number): void {
    const last = this.xs.length ? this.xs[this.xs.length - 1] : -1;
    if (epoch < last) return; // a stale point from before a reset
    if (epoch === last) {
      this.train[this.train.length - 1] = finite(trainLoss);
      this.test[this.test.length - 1] = finite(testLoss);
    } else {
      this.xs.push(epoch);
      this.train.push(finite(trainLoss));
      this.test.push(finite(testLoss));
    }
    if (this.xs.length > MAX_POINTS) {
      const n = this.xs.length;
      const keep = (_: unknown, i: number) => i % 2 === 0 || i === n - 1;
      this.xs = this.xs.filter(keep);
      this.train = this.train.filter(keep);
      this.test = this.test.filter(keep);
    }
    this.dirty = true;
  }

  /**
   * Redraws if anything changed, at most every MIN_INTERVAL_MS (call once per animation
   * frame): a loss curve needs no 30 frames/s, and every canvas redrawn per frame costs the
   * main thread a compositor upload.
   */
  draw(): void {
    if (!this.dirty) return;
    const wait = this.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.draw();
      }, wait);
      return;
    }
    this.lastDraw = performance.now();
    this.dirty = false;
    this.chart.setData([this.xs, this.train, this.test]);
    this.showLatest(this.chart);
  }

  /** Without a cursor over the chart, the legend shows the latest figures. */
  private showLatest(u: uPlot): void {
    const left = u.cursor.left;
    const n = u.data[0]?.length ?? 0;
    if (n && (left == null || left < 0) && u.legend.idx !== n - 1) u.setLegend({ idx: n - 1 });
  }
}

/** A loss for display: 3 decimals, or 3 significant digits when huge (a diverging run). */
export function formatLossValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 ? v.toPrecision(3) : v.toFixed(3);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

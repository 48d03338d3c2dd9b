// The Sequences mode's drawings: the per-step states as heatmap strips on one canvas (units ×
// steps, one strip per state of every recurrent layer) that answer hover and the keyboard with
// the step, unit and value, and small line plots (the input, the forecast over the truth). The
// values reach here computed by the engine; this is drawing only.
import { rgb } from '../colors';
import type { StateStrip } from '../../worker/sequences-protocol';

const WIDTH = 640;
const LABEL_H = 16;
const GAP = 6;

interface Placed {
  strip: StateStrip;
  top: number; // of its cells (below the label)
  rowH: number;
  /** Gates are in [0, 1]: drawn from 0 up; h, c̃ and c around 0. */
  scale: number;
}

/** All strips on one canvas, hoverable and keyboard-navigable (arrows; Home/End). */
export class StateHeatmap {
  private placed: Placed[] = [];
  private stepW = 8;
  private steps = 0;
  private cursor: { strip: number; step: number; unit: number } | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    private readonly readout: HTMLElement,
  ) {
    const signal = this.abort.signal;
    canvas.tabIndex = 0;
    canvas.addEventListener('mousemove', (e) => this.hover(e), { signal });
    canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true), { signal });
    canvas.addEventListener('keydown', (e) => this.key(e), { signal });
    canvas.addEventListener('focus', () => {
      this.cursor ??= this.placed.length ? { strip: 0, step: 0, unit: 0 } : null;
      this.showCursor();
    }, { signal });
    canvas.addEventListener('blur', () => {
      this.tooltip.hidden = true;
      this.draw();
    }, { signal });
  }

  get strips(): readonly StateStrip[] {
    return this.placed.map((p) => p.strip);
  }

  dispose(): void {
    this.abort.abort();
  }

  update(strips: StateStrip[]): void {
    const steps = strips[0]?.steps ?? 0;
    this.steps = steps;
    this.stepW = steps > 0 ? Math.max(3, Math.floor(WIDTH / steps)) : 8;
    let y = 0;
    this.placed = strips.map((strip) => {
      const rowH = Math.max(2, Math.min(10, Math.floor(160 / Math.max(1, strip.units))));
      let max = 0;
      for (const v of strip.values) max = Math.max(max, Math.abs(v));
      const gate = / gate\)$/.test(strip.label);
      const p = { strip, top: y + LABEL_H, rowH, scale: gate ? 1 : Math.max(1, max) };
      y += LABEL_H + strip.units * rowH + GAP;
      return p;
    });
    this.canvas.width = Math.max(1, this.stepW * steps);
    this.canvas.height = Math.max(1, y);
    if (this.cursor && (this.cursor.strip >= this.placed.length || this.cursor.step >= steps)) this.cursor = null;
    if (this.cursor) this.cursor.unit = Math.min(this.cursor.unit, this.placed[this.cursor.strip].strip.units - 1);
    this.draw();
    if (this.cursor && this.canvas.ownerDocument.activeElement === this.canvas) this.showCursor();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    const image = ctx.createImageData(width, height);
    const px = image.data;
    for (const p of this.placed) {
      const { strip, top, rowH, scale } = p;
      for (let t = 0; t < strip.steps; t++) {
        for (let u = 0; u < strip.units; u++) {
          const [r, g, b] = rgb(strip.values[t * strip.units + u] / scale);
          for (let y = top + u * rowH; y < top + (u + 1) * rowH; y++) {
            for (let x = t * this.stepW; x < (t + 1) * this.stepW; x++) {
              const o = (y * width + x) * 4;
              px[o] = r;
              px[o + 1] = g;
              px[o + 2] = b;
              px[o + 3] = 255;
            }
          }
        }
      }
    }
    ctx.putImageData(image, 0, 0);
    ctx.fillStyle = getComputedStyle(this.canvas).color || '#333';
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'bottom';
    for (const p of this.placed) ctx.fillText(`${p.strip.label}  [${p.strip.units} units × ${p.strip.steps} steps]`, 2, p.top - 2);
    if (this.cursor && this.canvas.ownerDocument.activeElement === this.canvas) {
      const p = this.placed[this.cursor.strip];
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(this.cursor.step * this.stepW + 1, p.top + this.cursor.unit * p.rowH, this.stepW - 2, Math.max(2, p.rowH));
    }
  }

  /** The cell under canvas pixel (x, y), if any. */
  cellAt(x: number, y: number): { strip: number; step: number; unit: number } | null {
    const step = Math.floor(x / this.stepW);
    if (step < 0 || step >= this.steps) return null;
    for (const [i, p] of this.placed.entries()) {
      const unit = Math.floor((y - p.top) / p.rowH);
      if (unit >= 0 && unit < p.strip.units) return { strip: i, step, unit };
    }
    return null;
  }

  private describe(c: { strip: number; step: number; unit: number }): string {
    const s = this.placed[c.strip].strip;
    const v = s.values[c.step * s.units + c.unit];
    return `${s.label}: step ${c.step}, unit ${c.unit}, value ${v.toFixed(3)}`;
  }

  private hover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) * this.canvas.width) / Math.max(1, rect.width);
    const y = ((e.clientY - rect.top) * this.canvas.height) / Math.max(1, rect.height);
    const c = this.cellAt(x, y);
    if (!c) {
      this.tooltip.hidden = true;
      return;
    }
    this.place(this.describe(c), e.clientX - rect.left + 12, e.clientY - rect.top + 12);
  }

  private place(text: string, left: number, top: number): void {
    this.tooltip.textContent = text;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${top}px`;
    this.tooltip.hidden = false;
  }

  private key(e: KeyboardEvent): void {
    if (!this.placed.length) return;
    const c = (this.cursor ??= { strip: 0, step: 0, unit: 0 });
    const units = (i: number) => this.placed[i].strip.units;
    switch (e.key) {
      case 'ArrowLeft':
        c.step = Math.max(0, c.step - 1);
        break;
      case 'ArrowRight':
        c.step = Math.min(this.steps - 1, c.step + 1);
        break;
      case 'ArrowUp':
        if (c.unit > 0) c.unit--;
        else if (c.strip > 0) {
          c.strip--;
          c.unit = units(c.strip) - 1;
        }
        break;
      case 'ArrowDown':
        if (c.unit < units(c.strip) - 1) c.unit++;
        else if (c.strip < this.placed.length - 1) {
          c.strip++;
          c.unit = 0;
        }
        break;
      case 'Home':
        c.step = 0;
        break;
      case 'End':
        c.step = this.steps - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.showCursor();
  }

  private showCursor(): void {
    const c = this.cursor;
    if (!c || !this.placed[c.strip]) return;
    this.draw();
    const p = this.placed[c.strip];
    const rect = this.canvas.getBoundingClientRect();
    const sx = rect.width / Math.max(1, this.canvas.width);
    const sy = rect.height / Math.max(1, this.canvas.height);
    const text = this.describe(c);
    this.place(text, (c.step + 1) * this.stepW * sx + 4, (p.top + (c.unit + 1) * p.rowH) * sy + 4);
    this.readout.textContent = text;
  }
}

export interface Series {
  label: string;
  /** y per x; null: no point. */
  points: { x: number; y: number }[];
  color: string;
  dashed?: boolean;
}

/** A small line plot with a legend line above it (the axes' ranges fit the data). */
export function plotLines(canvas: HTMLCanvasElement, series: Series[], xMax: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const all = series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  if (!all.length) return;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = 18;
  const X = (x: number) => 4 + (x / Math.max(1, xMax)) * (width - 8);
  const Y = (y: number) => pad + (1 - (y - lo) / (hi - lo)) * (height - pad - 4);
  const ink = getComputedStyle(canvas).color || '#333';
  ctx.strokeStyle = 'rgba(128,128,128,0.4)';
  ctx.lineWidth = 1;
  if (lo < 0 && hi > 0) {
    ctx.beginPath();
    ctx.moveTo(0, Y(0));
    ctx.lineTo(width, Y(0));
    ctx.stroke();
  }
  let legendX = 4;
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(s.dashed ? [4, 3] : []);
    ctx.beginPath();
    s.points.forEach((p, i) => (i === 0 ? ctx.moveTo(X(p.x), Y(p.y)) : ctx.lineTo(X(p.x), Y(p.y))));
    ctx.stroke();
    if (s.points.length === 1) {
      ctx.fillStyle = s.color;
      ctx.fillRect(X(s.points[0].x) - 2, Y(s.points[0].y) - 2, 5, 5);
    }
    ctx.setLineDash([]);
    ctx.fillStyle = s.color;
    ctx.fillRect(legendX, 5, 10, 3);
    ctx.fillStyle = ink;
    ctx.fillText(s.label, legendX + 13, 1);
    legendX += 18 + ctx.measureText(s.label).width + 10;
  }
  ctx.fillStyle = ink;
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${hi.toFixed(2)} … ${lo.toFixed(2)}`, width - 90, height - 1);
}

/** A [rows, cols] grid of values 0..1 as grey pixels (MNIST rows: the image itself). */
export function paintGrid(canvas: HTMLCanvasElement, values: Float32Array, rows: number, cols: number): void {
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const g = 255 - Math.round(Math.max(0, Math.min(1, values[i])) * 255);
    image.data.set([g, g, g, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

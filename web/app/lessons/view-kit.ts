// What every lesson view draws with: canvases and <output> figures with stable ids (automation
// hooks), the class colours, data-to-pixel axes, and the model's output over a 1-D grid (one
// model.predict). No model math.
import * as nn from 'nnplay';

export const SIZE = 320;
export const CLASS_COLOURS: [number, number, number][] = [
  [230, 97, 1],
  [33, 102, 172],
  [27, 158, 119],
  [152, 78, 163],
  [228, 26, 28],
  [166, 118, 29],
  [102, 102, 102],
  [231, 41, 138],
];

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(doc.createElement(tag), props);
  e.append(...children);
  return e;
}

export function canvas(doc: Document, id: string, label: string): HTMLCanvasElement {
  const c = el(doc, 'canvas', { id, width: SIZE, height: SIZE });
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  c.className = 'lesson-canvas';
  return c;
}

/** A figure: label and an <output id> the view writes. */
export function figure(doc: Document, id: string, label: string): { wrap: HTMLElement; out: HTMLOutputElement } {
  const out = el(doc, 'output', { id });
  out.textContent = '–';
  return { wrap: el(doc, 'span', { className: 'lesson-figure' }, `${label} `, out), out };
}

/** Maps data coordinates to canvas pixels. */
export class Axes {
  constructor(
    readonly x0: number,
    readonly x1: number,
    readonly y0: number,
    readonly y1: number,
    readonly w = SIZE,
    readonly h = SIZE,
  ) {}
  px(x: number): number {
    return ((x - this.x0) / (this.x1 - this.x0)) * this.w;
  }
  py(y: number): number {
    return this.h - ((y - this.y0) / (this.y1 - this.y0)) * this.h;
  }
  frame(ctx: CanvasRenderingContext2D): void {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, this.w, this.h);
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (this.x0 < 0 && this.x1 > 0) {
      ctx.moveTo(this.px(0), 0);
      ctx.lineTo(this.px(0), this.h);
    }
    if (this.y0 < 0 && this.y1 > 0) {
      ctx.moveTo(0, this.py(0));
      ctx.lineTo(this.w, this.py(0));
    }
    ctx.stroke();
  }
  curve(ctx: CanvasRenderingContext2D, xs: ArrayLike<number>, ys: ArrayLike<number>, colour: string, width = 2, dash: number[] = []): void {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (let i = 0; i < xs.length; i++) {
      const [x, y] = [this.px(xs[i]), this.py(ys[i])];
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  dots(ctx: CanvasRenderingContext2D, xs: ArrayLike<number>, ys: ArrayLike<number>, colour: (i: number) => string, r = 2.5): void {
    for (let i = 0; i < xs.length; i++) {
      ctx.fillStyle = colour(i);
      ctx.beginPath();
      ctx.arc(this.px(xs[i]), this.py(ys[i]), r, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** Values of a [n] or [n, 1] tensor as an array. */
export const flat = (t: nn.Tensor) => t.dataSync();

/** The model's output over `xs` (a 1-D grid), as values. */
export function predictOver(model: nn.LayersModel, xs: Float32Array): Float32Array {
  const input = nn.tensor2d(xs, [xs.length, 1]);
  const out = model.predict(input) as nn.Tensor;
  const values = out.dataSync();
  input.dispose();
  out.dispose();
  return values;
}

export function grid1d(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

let yieldChannel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/**
 * Resolves in a new task (a message to ourselves, without setTimeout's clamp), so the browser may
 * paint and handle input between the pieces of a long piece of work; awaiting a resolved promise
 * would not (microtasks run in the same task).
 */
export function nextTask(): Promise<void> {
  if (!yieldChannel) {
    yieldChannel = new MessageChannel();
    yieldChannel.port1.onmessage = () => waiting.shift()?.();
  }
  const channel = yieldChannel;
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

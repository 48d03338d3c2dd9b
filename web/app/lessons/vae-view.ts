// Lesson 8: the autoencoder and the variational autoencoder on MNIST / Fashion-MNIST, with a 2-D
// latent space so it can be drawn. This file builds the lesson's data and model (as its listing
// in lesson-table.ts does, with the library's layers) and draws the VaeView: the latent means of
// 1,000 test images coloured by class, a 15×15 grid decoded over the same plane, the point of the
// plane under a click decoded, reconstructions of test images the reader chooses (one per
// class, the first of each to start with; a click or the keyboard moves on), and the
// reconstruction and KL curves from fit()'s logs.
//
// What it is not: model math. Codes come from an encoder sub-model (nn.model over the lesson
// model's own layers, so it shares the weights fit() brings back from the fit worker after each
// epoch), images from a decoder sub-model (the decoder layers applied once more to a 2-D input),
// reconstructions from model.predict, the curves from the logged `decoded_loss` and `kl`. The view
// maps numbers to pixels; all its work is a few predict calls and canvas drawing per epoch.
import * as nn from 'nnplay';
import type { LessonSettings } from './lesson-table';
import type { LessonData, LessonView } from './lesson-views';
import { nextTask } from './view-kit';

/** Training subset and test images shown: small enough for an epoch in well under a second. */
export const VAE_TRAIN = 2000;
export const VAE_TEST = 1000;
const GRID = 15;
const PIXELS = 28;
const PLANE = 320;
/** Layer names the view and the live β rely on (the listing uses the same). */
export const KL_LAYER = 'kl';
const RECON_LOG = 'decoded_loss';

const PALETTE: [number, number, number][] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];
const rgb = (c: number) => `rgb(${PALETTE[c % PALETTE.length].join(',')})`;

/**
 * The KL layer's weight for the lesson's β. binaryCrossentropy is a mean over the 784 pixels,
 * while the VAE's evidence bound sums them, so β = 1 of the textbook VAE is a layer β of 1/784
 * (a layer β of 1 against a per-pixel mean crushes the code to the prior: every image gets the
 * same blur). The listing writes the same division.
 */
export function klWeight(beta: number): number {
  return beta / (PIXELS * PIXELS);
}

/** β live: the KL layer's weight from the next training step (inside fit()'s worker: the next epoch). */
export function setVaeBeta(model: nn.LayersModel, beta: number): void {
  model.setLayerParameter(KL_LAYER, 'beta', klWeight(beta));
}

/** The lesson's images, flattened to 784 (the model's input and its target), as the listing slices them. */
export async function makeVaeData(s: LessonSettings): Promise<LessonData> {
  const set = s.dataset === 'fashion' ? await nn.datasets.fashionMnist({ subset: true }) : await nn.datasets.mnist();
  // The loader converts the whole set in the task that finishes it: the slices wait for the next.
  await nextTask();
  const take = (split: typeof set.train, n: number) => {
    const count = Math.min(n, split.n);
    // The first `count` images are a prefix of the row-major values: one copy, flattened to 784
    // (a general slice() of the 4-D tensor took ~300 ms here on a loaded machine).
    const size = PIXELS * PIXELS;
    const xs = nn.tensor2d(split.xs.values().slice(0, count * size), [count, size]);
    const ys = nn.tensor1d(split.ys.values().slice(0, count));
    return { xs, ys, n: count };
  };
  const train = take(set.train, VAE_TRAIN);
  const test = take(set.test, VAE_TEST);
  return { train, test, fitTrainYs: train.xs, fitTestYs: test.xs, classes: set.classNames.length, classNames: [...set.classNames] };
}

/** The model of the listing: encoder → zMean, zLogVar → KL term → sampling (VAE only) → decoder;
 *  built and compiled in two tasks (the page stays responsive while the lesson opens). */
export async function makeVaeModel(s: LessonSettings): Promise<nn.LayersModel> {
  const vae = s.variant !== 'autoencoder';
  const x = nn.input({ shape: [PIXELS * PIXELS], name: 'image' });
  const h = nn.layers.dense({ units: 256, activation: 'relu', name: 'encoder_hidden' }).apply(x);
  const zMean = nn.layers.dense({ units: 2, name: 'z_mean' }).apply(h);
  const zLogVar = nn.layers.dense({ units: 2, name: 'z_log_var' }).apply(h);
  // The autoencoder keeps the KL layer at β 0: it pays nothing, but its logged KL says how far
  // its codes are from the unit Gaussian the VAE is held to.
  const kl = nn.layers.klDivergence({ beta: vae ? klWeight(s.beta ?? 1) : 0, name: KL_LAYER });
  const passed = kl.apply([zMean, zLogVar]);
  const z = vae ? nn.layers.gaussianSampling({ name: 'z' }).apply([passed, zLogVar]) : passed;
  const decoderHidden = nn.layers.dense({ units: 256, activation: 'relu', name: 'decoder_hidden' });
  const decoded = nn.layers.dense({ units: PIXELS * PIXELS, activation: 'sigmoid', name: 'decoded' });
  const model = nn.model({ inputs: x, outputs: decoded.apply(decoderHidden.apply(z)), seed: s.seed });
  await nextTask();
  model.compile({ optimizer: nn.train.adam(s.learningRate), loss: 'binaryCrossentropy' });
  return model;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(doc.createElement(tag), props);
  e.append(...children);
  return e;
}

function canvas(doc: Document, id: string, width: number, height: number, label: string): HTMLCanvasElement {
  const c = el(doc, 'canvas', { id, width, height, className: 'lesson-canvas' });
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  return c;
}

function output(doc: Document, id: string, label: string): { wrap: HTMLElement; out: HTMLOutputElement } {
  const out = el(doc, 'output', { id });
  out.textContent = '–';
  return { wrap: el(doc, 'span', { className: 'lesson-figure' }, `${label} `, out), out };
}

/** Grey images (values 0..1, 784 each) into an ImageData at (col, row) cells of 28×28. */
function putImage(img: ImageData, values: ArrayLike<number>, offset: number, cellX: number, cellY: number): void {
  for (let r = 0; r < PIXELS; r++) {
    for (let c = 0; c < PIXELS; c++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, values[offset + r * PIXELS + c])));
      const at = 4 * ((cellY * PIXELS + r) * img.width + cellX * PIXELS + c);
      img.data[at] = img.data[at + 1] = img.data[at + 2] = v;
      img.data[at + 3] = 255;
    }
  }
}

export class VaeView implements LessonView {
  readonly element: HTMLElement;
  private readonly scatter: HTMLCanvasElement;
  private readonly grid: HTMLCanvasElement;
  private readonly decoded: HTMLCanvasElement;
  private readonly recons: HTMLCanvasElement;
  private readonly curves: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private readonly reconOut: HTMLOutputElement;
  private readonly klOut: HTMLOutputElement;
  private readonly pointOut: HTMLOutputElement;
  private readonly rangeOut: HTMLOutputElement;
  private data: LessonData | null = null;
  private labels: Float32Array = new Float32Array(0);
  private chosen: nn.Tensor | null = null;
  private chosenValues: Float32Array = new Float32Array(0);
  /** Test images by class, and which of them each column of the reconstructions shows. */
  private byClass: number[][] = [];
  private choice: number[] = [];
  /** The column the keyboard acts on. */
  private column = 0;
  private testValues: Float32Array = new Float32Array(0);
  private readonly chosenOut: HTMLOutputElement;
  private disposed = false;
  private model: nn.LayersModel | null = null;
  private encoder: nn.LayersModel | null = null;
  private decoder: nn.LayersModel | null = null;
  private codes: Float32Array = new Float32Array(0);
  /** Half-width of the latent plane drawn (both axes), from the codes of the last epoch. */
  private range = 3;
  private clicked: [number, number] | null = null;
  private readonly reconCurve: number[] = [];
  private readonly klCurve: number[] = [];

  constructor(doc: Document, p = '') {
    this.scatter = canvas(doc, `${p}latent-scatter`, PLANE, PLANE, 'Latent means of 1,000 test images, coloured by class; click to decode a point');
    this.grid = canvas(doc, `${p}latent-grid`, GRID * PIXELS, GRID * PIXELS, 'Images decoded from a 15 by 15 grid over the latent plane; click to decode a point');
    this.decoded = canvas(doc, `${p}latent-decoded`, 4 * PIXELS, 4 * PIXELS, 'The image decoded from the clicked point');
    this.recons = canvas(doc, `${p}reconstructions`, 10 * PIXELS * 2, 2 * PIXELS * 2, 'One test image per class (top) and its reconstruction (bottom). Click a column for the next image of its class, Shift+click for the previous; with the keyboard, Left and Right choose a column, Up and Down its image');
    this.curves = canvas(doc, `${p}vae-curves`, 420, 140, 'Reconstruction loss and KL per epoch');
    this.legend = el(doc, 'p', { className: 'vae-legend' });
    const recon = output(doc, `${p}recon-loss`, 'reconstruction');
    const kl = output(doc, `${p}kl-loss`, 'KL');
    const point = output(doc, `${p}latent-point`, 'clicked z =');
    const range = output(doc, `${p}latent-range`, 'plane ±');
    const chosen = output(doc, `${p}recon-chosen`, 'test images shown #');
    this.chosenOut = chosen.out;
    this.recons.tabIndex = 0;
    this.recons.style.cursor = 'pointer';
    this.recons.addEventListener('click', (e) => {
      const box = this.recons.getBoundingClientRect();
      this.column = Math.min(this.choice.length - 1, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * 10)));
      this.step(e.shiftKey ? -1 : 1);
    });
    for (const type of ['focus', 'blur']) this.recons.addEventListener(type, () => this.model && this.drawReconstructions(this.model));
    this.recons.addEventListener('keydown', (e) => {
      const moves: Record<string, () => void> = {
        ArrowLeft: () => this.moveColumn(-1),
        ArrowRight: () => this.moveColumn(1),
        ArrowUp: () => this.step(-1),
        ArrowDown: () => this.step(1),
        Enter: () => this.step(1),
        ' ': () => this.step(1),
      };
      const move = moves[e.key];
      if (!move) return;
      e.preventDefault();
      move();
    });
    this.reconOut = recon.out;
    this.klOut = kl.out;
    this.pointOut = point.out;
    this.rangeOut = range.out;
    for (const c of [this.scatter, this.grid]) {
      c.style.cursor = 'crosshair';
      c.addEventListener('click', (e) => this.clickPlane(c, e));
    }
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view vae-view' },
      el(doc, 'figure', {}, this.scatter, el(doc, 'figcaption', {}, 'Latent means (z₁ across, z₂ up) of test images by class'), this.legend),
      el(doc, 'figure', {}, this.grid, el(doc, 'figcaption', {}, 'The decoder over the same plane, 15 × 15')),
      el(doc, 'figure', {}, this.decoded, el(doc, 'figcaption', {}, 'Decoded at the clicked point')),
      el(doc, 'figure', {}, this.recons, el(doc, 'figcaption', {}, 'Test images (top) and their reconstructions (bottom): click a column, or use the arrow keys, for another image of that class'), el(doc, 'p', { className: 'lesson-figures' }, chosen.wrap)),
      el(doc, 'figure', {}, this.curves, el(doc, 'figcaption', {}, 'Per epoch: reconstruction (binary cross-entropy per pixel, left) and KL (right)')),
      el(doc, 'p', { className: 'lesson-figures' }, recon.wrap, ' ', kl.wrap, ' ', point.wrap, ' ', range.wrap),
    );
  }

  setData(data: LessonData): void {
    this.data = data;
    this.labels = Float32Array.from(data.test.ys.dataSync());
    // One test image per class, the first of each to start with, so the same images are rebuilt
    // every epoch until the reader picks others.
    this.byClass = Array.from({ length: data.classes }, () => [] as number[]);
    this.labels.forEach((c, i) => this.byClass[c]?.push(i));
    this.choice = this.byClass.map((list) => list[0] ?? -1).filter((i) => i >= 0);
    this.column = 0;
    this.testValues = data.test.xs.dataSync() as Float32Array;
    this.setChosen();
    this.legend.replaceChildren(
      ...(data.classNames ?? []).flatMap((name, c) => {
        // The dot carries the class colour; the name stays in the text colour (contrast).
        const dot = el(this.element.ownerDocument, 'span', { className: 'vae-class-dot' }, '●');
        dot.style.color = rgb(c);
        dot.setAttribute('aria-hidden', 'true');
        const s = el(this.element.ownerDocument, 'span', { className: 'vae-class' }, '');
        s.append(dot, ` ${name}`);
        return [s, ' '];
      }),
    );
    this.reconCurve.length = 0;
    this.klCurve.length = 0;
    this.clicked = null;
  }

  /** The chosen test images as the tensor the reconstructions predict from. */
  private setChosen(): void {
    const size = PIXELS * PIXELS;
    this.chosenValues = new Float32Array(this.choice.length * size);
    this.choice.forEach((i, k) => this.chosenValues.set(this.testValues.subarray(i * size, (i + 1) * size), k * size));
    this.chosen?.dispose();
    this.chosen = nn.tensor2d(this.chosenValues, [this.choice.length, size]);
    this.chosenOut.textContent = this.choice.join(', ');
  }

  private moveColumn(by: number): void {
    const n = this.choice.length;
    if (n === 0) return;
    this.column = (this.column + by + n) % n;
    if (this.model) this.drawReconstructions(this.model);
  }

  /** The next (or previous) test image of the class in the current column. */
  private step(by: number): void {
    const c = this.column;
    const list = this.byClass.find((l) => l.includes(this.choice[c]));
    if (!list || list.length === 0) return;
    const at = list.indexOf(this.choice[c]);
    this.choice[c] = list[(at + by + list.length) % list.length];
    this.setChosen();
    if (this.model) this.drawReconstructions(this.model);
  }

  /** Rows predicted per task: the first drawing of 1,000 codes and 225 images stays in short tasks. */
  private static readonly CHUNK = 250;

  private async predictChunked(sub: nn.LayersModel, xs: nn.Tensor, width: number): Promise<Float32Array | null> {
    const n = xs.shape[0];
    const out = new Float32Array(n * width);
    for (let from = 0; from < n; from += VaeView.CHUNK) {
      const count = Math.min(VaeView.CHUNK, n - from);
      const part = xs.slice([from, 0], [count, xs.shape[1]]);
      const y = sub.predict(part) as nn.Tensor;
      out.set(y.dataSync(), from * width);
      nn.dispose([part, y]);
      if (from + count < n) await nextTask();
      if (this.disposed || (sub !== this.encoder && sub !== this.decoder)) return null;
    }
    return out;
  }

  async update(model: nn.LayersModel, logs?: nn.Logs): Promise<void> {
    if (!this.data || !this.chosen) return;
    if (model !== this.model) {
      this.attach(model);
      await nextTask();
      if (this.disposed || model !== this.model) return;
    }
    if (logs) {
      const recon = Number(logs[RECON_LOG]);
      const kl = Number(logs[KL_LAYER]);
      this.reconCurve.push(recon);
      this.klCurve.push(kl);
      this.reconOut.textContent = recon.toFixed(4);
      this.klOut.textContent = kl.toFixed(3);
    }
    const codes = await this.predictChunked(this.encoder!, this.data.test.xs, 2);
    if (!codes || model !== this.model) return;
    this.codes = codes;
    this.range = planeRange(this.codes);
    this.rangeOut.textContent = this.range.toFixed(1);
    this.drawScatter();
    await nextTask();
    if (this.disposed || model !== this.model) return;
    await this.drawGrid();
    if (this.disposed || model !== this.model) return;
    this.drawReconstructions(model);
    this.drawClicked();
    this.drawCurves();
  }

  /** A new model (a rebuild): encoder and decoder sub-models over its layers. */
  private attach(model: nn.LayersModel): void {
    this.encoder?.dispose();
    this.decoder?.dispose();
    this.model = model;
    this.encoder = nn.model({ inputs: model.inputs, outputs: model.getLayer('z_mean').output as nn.SymbolicTensor });
    const zIn = nn.input({ shape: [2], name: 'z_in' });
    const hidden = model.getLayer('decoder_hidden').apply(zIn) as nn.SymbolicTensor;
    this.decoder = nn.model({ inputs: zIn, outputs: model.getLayer('decoded').apply(hidden) as nn.SymbolicTensor });
  }

  private toPixel(z: number, size: number, flip: boolean): number {
    const t = (z + this.range) / (2 * this.range);
    return (flip ? 1 - t : t) * size;
  }

  private drawScatter(): void {
    const ctx = this.scatter.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, PLANE, PLANE);
    ctx.strokeStyle = '#ddd';
    ctx.beginPath();
    ctx.moveTo(PLANE / 2, 0);
    ctx.lineTo(PLANE / 2, PLANE);
    ctx.moveTo(0, PLANE / 2);
    ctx.lineTo(PLANE, PLANE / 2);
    ctx.stroke();
    const n = this.codes.length / 2;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = rgb(this.labels[i]);
      ctx.fillRect(this.toPixel(this.codes[2 * i], PLANE, false) - 1.5, this.toPixel(this.codes[2 * i + 1], PLANE, true) - 1.5, 3, 3);
    }
    if (this.clicked) {
      const [x, y] = [this.toPixel(this.clicked[0], PLANE, false), this.toPixel(this.clicked[1], PLANE, true)];
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x - 7, y);
      ctx.lineTo(x + 7, y);
      ctx.moveTo(x, y - 7);
      ctx.lineTo(x, y + 7);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }

  /** The grid's cell centres, row 0 at the top (z₂ largest), as the scatter's axes. */
  private gridPoints(): Float32Array {
    const z = new Float32Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        z[2 * (r * GRID + c)] = -this.range + (2 * this.range * (c + 0.5)) / GRID;
        z[2 * (r * GRID + c) + 1] = this.range - (2 * this.range * (r + 0.5)) / GRID;
      }
    }
    return z;
  }

  private decode(points: Float32Array): Float32Array {
    const zT = nn.tensor2d(points, [points.length / 2, 2]);
    const out = this.decoder!.predict(zT) as nn.Tensor;
    const values = Float32Array.from(out.dataSync());
    zT.dispose();
    out.dispose();
    return values;
  }

  private async drawGrid(): Promise<void> {
    const ctx = this.grid.getContext('2d');
    if (!ctx) return;
    const points = this.gridPoints();
    const zT = nn.tensor2d(points, [points.length / 2, 2]);
    const images = await this.predictChunked(this.decoder!, zT, PIXELS * PIXELS);
    zT.dispose();
    if (!images) return;
    const img = new ImageData(GRID * PIXELS, GRID * PIXELS);
    for (let k = 0; k < GRID * GRID; k++) putImage(img, images, k * PIXELS * PIXELS, k % GRID, Math.floor(k / GRID));
    ctx.putImageData(img, 0, 0);
  }

  private drawReconstructions(model: nn.LayersModel): void {
    const ctx = this.recons.getContext('2d');
    if (!ctx || !this.chosen) return;
    const out = model.predict(this.chosen) as nn.Tensor;
    const rebuilt = out.dataSync();
    const count = this.chosen.shape[0];
    const img = new ImageData(10 * PIXELS, 2 * PIXELS);
    for (let k = 0; k < count; k++) {
      putImage(img, this.chosenValues, k * PIXELS * PIXELS, k, 0);
      putImage(img, rebuilt, k * PIXELS * PIXELS, k, 1);
    }
    out.dispose();
    drawScaled(ctx, img, this.recons.width, this.recons.height);
    // The column the keyboard acts on, framed while the canvas has focus.
    if (this.recons.ownerDocument.activeElement === this.recons) {
      const cell = this.recons.width / 10;
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = 3;
      ctx.strokeRect(this.column * cell + 1.5, 1.5, cell - 3, this.recons.height - 3);
      ctx.lineWidth = 1;
    }
  }

  private clickPlane(target: HTMLCanvasElement, e: MouseEvent): void {
    if (!this.decoder) return;
    const box = target.getBoundingClientRect();
    const tx = (e.clientX - box.left) / box.width;
    const ty = (e.clientY - box.top) / box.height;
    this.clicked = [-this.range + 2 * this.range * tx, this.range - 2 * this.range * ty];
    this.drawClicked();
    this.drawScatter();
  }

  private drawClicked(): void {
    const ctx = this.decoded.getContext('2d');
    if (!ctx || !this.clicked || !this.decoder) return;
    const image = this.decode(Float32Array.from(this.clicked));
    const img = new ImageData(PIXELS, PIXELS);
    putImage(img, image, 0, 0, 0);
    drawScaled(ctx, img, this.decoded.width, this.decoded.height);
    this.pointOut.textContent = `(${this.clicked[0].toFixed(2)}, ${this.clicked[1].toFixed(2)})`;
  }

  private drawCurves(): void {
    const ctx = this.curves.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.curves;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const half = width / 2;
    plotCurve(ctx, this.reconCurve, 0, half - 6, height, '#1f77b4', 'reconstruction');
    plotCurve(ctx, this.klCurve, half + 6, half - 6, height, '#d62728', 'KL');
  }

  dispose(): void {
    this.disposed = true;
    this.encoder?.dispose();
    this.decoder?.dispose();
    this.chosen?.dispose();
    this.encoder = this.decoder = this.chosen = null;
    this.element.remove();
  }
}

/** Half-width of the plane: the 98th percentile of |z| over both axes, at least 2.5, rounded up to 0.5. */
function planeRange(codes: Float32Array): number {
  const finite = Array.from(codes, Math.abs).filter(Number.isFinite).sort((a, b) => a - b);
  const q = finite.length ? finite[Math.floor(0.98 * (finite.length - 1))] : 0;
  return Math.ceil(Math.max(2.5, q * 1.1) * 2) / 2;
}

function drawScaled(ctx: CanvasRenderingContext2D, img: ImageData, width: number, height: number): void {
  const scratch = new OffscreenCanvas(img.width, img.height);
  scratch.getContext('2d')?.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, width, height);
}

/** One curve in a panel [x0, x0 + w] with its own scale (min..max of the values), labelled. */
function plotCurve(ctx: CanvasRenderingContext2D, values: number[], x0: number, w: number, h: number, colour: string, label: string): void {
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(x0 + 0.5, 0.5, w - 1, h - 1);
  const finite = values.filter(Number.isFinite);
  ctx.fillStyle = '#333';
  ctx.font = '12px sans-serif';
  ctx.fillText(label, x0 + 6, 14);
  if (finite.length === 0) return;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const pad = 20;
  ctx.fillText(`${hi.toPrecision(3)} … ${lo.toPrecision(3)}`, x0 + 6, h - 6);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x = x0 + 4 + ((w - 8) * i) / Math.max(1, values.length - 1);
    const y = pad + (h - 2 * pad) * (1 - (v - lo) / span);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  ctx.lineWidth = 1;
}

// "Inside the network": for one chosen image, what every layer of an image model makes of it,
// redrawn live while the model trains. The input image; the feature maps of every layer whose
// output is maps ([h, w, c]: conv2d, pooling, batchNormalization on maps), one small canvas
// per channel; the first conv layer's filters; dense / flatten activations as a heat strip;
// the output probabilities as labelled bars (and text) with the top class marked.
//
// What it is not: no model math. Every value comes in the snapshot (node payloads of
// TrainingSession.predict and the kernel from weights()); the only arithmetic here is for
// drawing: a per-layer value range for the colour scale, and the mean over input channels
// of a filter with several (said on the page).
//
// Why it is built this way: update() runs up to ~10 times a second during training. The DOM
// is built once per model layout (node names, types, shapes; class names; kernel shape) and
// only repainted after that: each canvas keeps its ImageData and a 32-bit view of it, one
// pass per layer finds the range and one writes the pixels through a 256-colour lookup table.
// Maps past a per-layer cap are neither built nor painted until "+N more" asks for them.
import { rgb } from '../colors';
import './inside-view.css';

export interface InsideSnapshot {
  /** The chosen image, 28*28 values in 0..1 (row-major). */
  image: Float32Array;
  classNames: string[];
  /** Every layer in model order, as TrainingSession.predict(id, nodes) returns NodePayload:
   *  shape [1, ...per-sample shape]. */
  nodes: { name: string; type: string; shape: number[]; values: Float32Array }[];
  /** The first conv2d layer's kernel, Keras layout [kh, kw, inC, outC]; null: none. */
  firstConvKernel: { shape: number[]; values: Float32Array } | null;
}

export interface InsideViewOptions {
  /** Feature maps drawn per layer before "+N more" (default 16). */
  mapsShown?: number;
  /** Filters drawn before "+N more" (default 64). */
  filtersShown?: number;
  /** Level of the section headings (default 3: the host page has the h2). */
  headingLevel?: 2 | 3 | 4 | 5 | 6;
}

// Vectors longer than this wrap into rows of this many cells (flatten's 5408 -> 43 rows).
const STRIP_COLUMNS = 128;
// Target on-screen size of one map / filter / the input, in CSS px (integer zoom, pixelated).
const MAP_PX = 56;
const FILTER_PX = 40;
const INPUT_PX = 112;

// ---------------------------------------------------------------- colour tables

/** 256 packed RGBA colours (little-endian, as a Uint32Array over ImageData writes them). */
function packedTable(colour: (t: number) => [number, number, number]): Uint32Array {
  const table = new Uint32Array(256);
  const bytes = new Uint8ClampedArray(table.buffer);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = colour(i / 255);
    bytes.set([r, g, b, 255], i * 4);
  }
  return table;
}

// The playground's scale (colors.ts): diverging orange (-) / grey (0) / blue (+) for values of
// both signs, and its positive half (grey 0 to blue max) for non-negative ones (after relu).
const DIVERGING = packedTable((t) => rgb(t * 2 - 1));
const SEQUENTIAL = packedTable((t) => rgb(t));
// The input image: dark ink (1) on white paper (0).
const INK = packedTable((t) => {
  const v = Math.round(255 * (1 - t));
  return [v, v, v];
});

/** How one layer's values map to table entries: entry = v * a + b, clamped to 0..255. */
interface Scale {
  table: Uint32Array;
  a: number;
  b: number;
  /** Entry for NaN. */
  nan: number;
  lo: number;
  hi: number;
  diverging: boolean;
}

/** The scale for values[offset + i * stride], i < count: sequential from 0 when none is
 *  negative, else diverging and symmetric around 0. */
function scaleOf(values: Float32Array, offset: number, stride: number, count: number): Scale {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0, j = offset; i < count; i++, j += stride) {
    const v = values[j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) lo = hi = 0; // no values, or all NaN
  if (lo >= 0) {
    const a = hi > 0 && Number.isFinite(hi) ? 255 / hi : 0;
    return { table: SEQUENTIAL, a, b: 0, nan: 0, lo: 0, hi, diverging: false };
  }
  const m = Math.max(-lo, hi);
  const a = Number.isFinite(m) ? 127.5 / m : 0;
  return { table: DIVERGING, a, b: 127.5, nan: 128, lo: -m, hi: m, diverging: true };
}

const FIXED_0_1: Scale = { table: INK, a: 255, b: 0, nan: 0, lo: 0, hi: 1, diverging: false };

function format(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text = abs >= 1000 || abs < 0.001 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  return text.replace('-', '−');
}

// ---------------------------------------------------------------- painting

/** A canvas with its own ImageData, repainted in place. */
class Tile {
  readonly canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D | null;
  readonly #image: ImageData | null;
  readonly #pixels: Uint32Array;
  readonly #width: number;
  readonly #height: number;

  constructor(width: number, height: number, displayPx: number, label: string) {
    this.#width = width;
    this.#height = height;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const zoom = Math.max(1, Math.floor(displayPx / Math.max(width, height)));
    canvas.style.width = `${width * zoom}px`;
    canvas.style.height = `${height * zoom}px`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    this.canvas = canvas;
    this.#ctx = canvas.getContext('2d');
    this.#image = this.#ctx ? this.#ctx.createImageData(width, height) : null;
    this.#pixels = this.#image ? new Uint32Array(this.#image.data.buffer) : new Uint32Array(0);
  }

  /** Pixel i (row-major) is values[offset + i * stride]; `count` may be short of the canvas
   *  (a wrapped strip's last row): the rest is left transparent. */
  paint(values: Float32Array, offset: number, stride: number, count: number, s: Scale): void {
    if (!this.#ctx || !this.#image) return;
    const px = this.#pixels;
    const { table, a, b, nan } = s;
    const n = Math.min(count, this.#width * this.#height);
    for (let i = 0, j = offset; i < n; i++, j += stride) {
      const v = values[j];
      let k = v * a + b;
      k = k !== k ? nan : k <= 0 ? 0 : k >= 255 ? 255 : k | 0;
      px[i] = table[k];
    }
    this.#ctx.putImageData(this.#image, 0, 0);
  }
}

/** The value range of a layer, as text next to a swatch of its colour scale. */
class Legend {
  readonly element: HTMLElement;
  readonly #text: HTMLElement;
  #shown = '';

  constructor() {
    this.element = document.createElement('span');
    this.element.className = 'nn-inside-legend';
    const swatch = document.createElement('span');
    swatch.className = 'nn-inside-swatch';
    swatch.setAttribute('aria-hidden', 'true');
    this.#text = document.createElement('span');
    this.element.append(swatch, this.#text);
  }

  show(s: Scale): void {
    const text = s.diverging ? `${format(s.lo)} … 0 … ${format(s.hi)}` : `0 … ${format(s.hi)}`;
    if (text === this.#shown) return;
    this.#shown = text;
    this.#text.textContent = `range ${text}`;
    this.element.dataset.scale = s.diverging ? 'diverging' : 'sequential';
  }
}

// ---------------------------------------------------------------- sections

let nextViewId = 1;

interface Section {
  paint(s: InsideSnapshot): void;
}

/** A section element with its heading (and aria-labelledby linking them). */
function sectionWith(parent: HTMLElement, id: string, level: number, title: string, kind: string, node?: string): HTMLElement {
  const section = document.createElement('section');
  section.className = `nn-inside-section nn-inside-${kind}`;
  if (node !== undefined) section.dataset.node = node; // for hosts and tests: which layer
  const heading = document.createElement(`h${level}`);
  heading.id = id;
  heading.textContent = title;
  section.setAttribute('aria-labelledby', id);
  section.append(heading);
  parent.append(section);
  return section;
}

function shapeText(shape: readonly number[]): string {
  return shape.join(' × ');
}

/** What a TileGrid shows: `count` tiles of width×height values, `cap` of them until opened. */
interface GridSpec {
  count: number;
  cap: number;
  width: number;
  height: number;
  /** On-screen size of a tile's longer side, in CSS px (rounded down to a whole zoom). */
  displayPx: number;
  /** The aria-label of tile i. */
  label: (i: number) => string;
  /** What the tiles are, for the button's label: "feature maps of conv2d_1". */
  what: string;
  /** Opened by the user before (the grid of the same layer in the previous model). */
  expanded: boolean;
  /** After the button: the host repaints (the newly shown tiles need values). */
  onToggle: (expanded: boolean) => void;
}

/** A capped grid of same-sized tiles (feature maps, filters) with a "+N more" toggle. */
class TileGrid {
  readonly element: HTMLElement;
  readonly #spec: GridSpec;
  readonly #tiles: Tile[] = [];
  readonly #button: HTMLButtonElement | null = null;
  #expanded: boolean;

  constructor(parent: HTMLElement, spec: GridSpec) {
    this.#spec = spec;
    this.element = document.createElement('div');
    this.element.className = 'nn-inside-tiles';
    parent.append(this.element);
    this.#expanded = spec.expanded || spec.count <= spec.cap;
    this.#grow();
    if (spec.count > spec.cap) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'nn-inside-more';
      button.addEventListener('click', () => {
        this.#expanded = !this.#expanded;
        this.#grow();
        this.#sync();
        spec.onToggle(this.#expanded);
      });
      this.#button = button;
      this.element.after(button);
      this.#sync();
    }
  }

  get shown(): number {
    const { count, cap } = this.#spec;
    return this.#expanded ? count : Math.min(count, cap);
  }

  #grow(): void {
    const { width, height, displayPx, label } = this.#spec;
    while (this.#tiles.length < this.shown) {
      const tile = new Tile(width, height, displayPx, label(this.#tiles.length));
      this.#tiles.push(tile);
      this.element.append(tile.canvas);
    }
  }

  #sync(): void {
    this.#tiles.forEach((t, i) => (t.canvas.hidden = i >= this.shown));
    const button = this.#button;
    if (!button) return;
    const { count, cap, what } = this.#spec;
    const more = count - cap;
    button.textContent = this.#expanded ? 'Show fewer' : `+${more} more`;
    button.setAttribute('aria-expanded', String(this.#expanded));
    button.setAttribute('aria-label', this.#expanded ? `Show only the first ${cap} ${what}` : `Show ${more} more ${what} (all ${count})`);
  }

  /** Paints tile t from values[offsetOf(t) + i * stride] for its width*height pixels. */
  paint(values: Float32Array, offsetOf: (t: number) => number, stride: number, s: Scale): void {
    const n = this.shown;
    const size = this.#spec.width * this.#spec.height;
    for (let t = 0; t < n; t++) this.#tiles[t].paint(values, offsetOf(t), stride, size, s);
  }
}

class InputSection implements Section {
  readonly #tile: Tile;
  constructor(parent: HTMLElement, id: string, level: number, side: number) {
    const section = sectionWith(parent, id, level, `Input image · ${side} × ${side}`, 'input');
    this.#tile = new Tile(side, side, INPUT_PX, `The chosen input image, ${side} by ${side} pixels, dark for 1 and white for 0`);
    section.append(this.#tile.canvas);
  }
  paint(s: InsideSnapshot): void {
    this.#tile.paint(s.image, 0, 1, s.image.length, FIXED_0_1);
  }
}

class MapsSection implements Section {
  readonly #grid: TileGrid;
  readonly #legend = new Legend();
  readonly #size: number;
  constructor(
    parent: HTMLElement,
    id: string,
    level: number,
    private readonly index: number,
    name: string,
    type: string,
    readonly shape: readonly number[],
    cap: number,
    expanded: Map<string, boolean>,
    repaint: () => void,
  ) {
    const [h, w, c] = shape;
    this.#size = h * w * c;
    const section = sectionWith(parent, id, level, `${name} · ${type} · ${shapeText(shape)}`, 'maps', name);
    const caption = document.createElement('p');
    caption.className = 'nn-inside-caption';
    caption.append(`${c} feature map${c === 1 ? '' : 's'} of ${h} × ${w}; `, this.#legend.element);
    section.append(caption);
    const key = `maps:${name}`;
    this.#grid = new TileGrid(section, {
      count: c,
      cap,
      width: w,
      height: h,
      displayPx: MAP_PX,
      label: (i) => `${name}, feature map ${i + 1} of ${c} (${h} by ${w})`,
      what: `feature maps of ${name}`,
      expanded: expanded.get(key) ?? false,
      onToggle: (open) => {
        expanded.set(key, open);
        repaint();
      },
    });
  }
  paint(s: InsideSnapshot): void {
    const values = s.nodes[this.index].values;
    const c = this.shape[2];
    const scale = scaleOf(values, 0, 1, this.#size);
    this.#legend.show(scale);
    // Channels last: channel t of pixel i is values[i * c + t].
    this.#grid.paint(values, (t) => t, c, scale);
  }
}

class FiltersSection implements Section {
  readonly #grid: TileGrid;
  readonly #legend = new Legend();
  readonly #mean: Float32Array | null;
  constructor(parent: HTMLElement, id: string, level: number, layerName: string, readonly shape: readonly number[], cap: number, expanded: Map<string, boolean>, repaint: () => void) {
    const [kh, kw, inC, outC] = shape;
    const section = sectionWith(parent, id, level, `Filters of ${layerName} · ${shapeText(shape)}`, 'filters', layerName);
    const caption = document.createElement('p');
    caption.className = 'nn-inside-caption';
    const how = inC === 1 ? '' : `, each the mean of its ${inC} input channels`;
    caption.append(`${outC} filter${outC === 1 ? '' : 's'} of ${kh} × ${kw}${how}; `, this.#legend.element);
    section.append(caption);
    this.#mean = inC === 1 ? null : new Float32Array(kh * kw * outC);
    this.#grid = new TileGrid(section, {
      count: outC,
      cap,
      width: kw,
      height: kh,
      displayPx: FILTER_PX,
      label: (i) => `${layerName}, filter ${i + 1} of ${outC} (${kh} by ${kw}${inC === 1 ? '' : `, mean of ${inC} input channels`})`,
      what: `filters of ${layerName}`,
      expanded: expanded.get('filters') ?? false,
      onToggle: (open) => {
        expanded.set('filters', open);
        repaint();
      },
    });
  }
  paint(s: InsideSnapshot): void {
    const kernel = s.firstConvKernel;
    if (!kernel) return;
    const [kh, kw, inC, outC] = this.shape;
    let values = kernel.values;
    // Keras layout: weight (y, x, c, o) at ((y * kw + x) * inC + c) * outC + o.
    if (this.#mean) {
      const mean = this.#mean;
      for (let p = 0; p < kh * kw; p++) {
        for (let o = 0; o < outC; o++) {
          let sum = 0;
          for (let c = 0; c < inC; c++) sum += values[(p * inC + c) * outC + o];
          mean[p * outC + o] = sum / inC;
        }
      }
      values = mean;
    }
    const scale = scaleOf(values, 0, 1, kh * kw * outC);
    this.#legend.show(scale);
    this.#grid.paint(values, (o) => o, outC, scale);
  }
}

class StripSection implements Section {
  readonly #tile: Tile;
  readonly #legend = new Legend();
  constructor(parent: HTMLElement, id: string, level: number, private readonly index: number, name: string, type: string, private readonly length: number) {
    const section = sectionWith(parent, id, level, `${name} · ${type} · ${length}`, 'strip', name);
    const columns = Math.min(length, STRIP_COLUMNS);
    const rows = Math.ceil(length / columns);
    const caption = document.createElement('p');
    caption.className = 'nn-inside-caption';
    const layout = rows === 1 ? 'one cell per value' : `${rows} rows of ${columns}, left to right, top to bottom`;
    caption.append(`${length} activations, ${layout}; `, this.#legend.element);
    section.append(caption);
    // Cells of about 3 px (at least 3 px tall when one row) so a 128-wide strip fits a phone.
    this.#tile = new Tile(columns, rows, 0, `${name} activations: ${length} values as a heat strip of ${rows === 1 ? 'one row' : `${rows} rows of ${columns}`}`);
    this.#tile.canvas.classList.add('nn-inside-strip-canvas');
    this.#tile.canvas.style.width = '';
    this.#tile.canvas.style.height = '';
    this.#tile.canvas.style.aspectRatio = `${columns} / ${Math.max(rows, columns / 16)}`;
    section.append(this.#tile.canvas);
  }
  paint(s: InsideSnapshot): void {
    const values = s.nodes[this.index].values;
    const scale = scaleOf(values, 0, 1, this.length);
    this.#legend.show(scale);
    this.#tile.paint(values, 0, 1, this.length, scale);
  }
}

class ProbabilitiesSection implements Section {
  readonly #rows: { li: HTMLLIElement; fill: HTMLElement; value: HTMLElement }[] = [];
  readonly #summary: HTMLElement;
  readonly #caption: HTMLElement;
  #top = -1;
  constructor(parent: HTMLElement, id: string, level: number, private readonly index: number, name: string, type: string, classNames: readonly string[]) {
    const section = sectionWith(parent, id, level, `Output probabilities · ${name} · ${type} · ${classNames.length}`, 'probabilities', name);
    this.#summary = document.createElement('p');
    this.#summary.className = 'nn-inside-summary';
    this.#caption = document.createElement('p');
    this.#caption.className = 'nn-inside-caption';
    this.#caption.hidden = true;
    const list = document.createElement('ol');
    list.className = 'nn-inside-probs';
    list.setAttribute('aria-label', `Probability of each of the ${classNames.length} classes`);
    for (const className of classNames) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.className = 'nn-inside-class';
      label.textContent = className;
      const bar = document.createElement('span');
      bar.className = 'nn-inside-bar';
      bar.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('span');
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'nn-inside-value';
      li.append(label, bar, value);
      list.append(li);
      this.#rows.push({ li, fill, value });
    }
    section.append(this.#summary, this.#caption, list);
  }
  paint(s: InsideSnapshot): void {
    const values = s.nodes[this.index].values;
    const n = this.#rows.length;
    let top = 0;
    let sum = 0;
    let lo = Infinity;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v > values[top] || Number.isNaN(values[top])) top = i;
      sum += v;
      lo = Math.min(lo, v);
      peak = Math.max(peak, Math.abs(v));
    }
    // Drawn as they are; if they are not probabilities (no softmax), say so and scale the bars.
    const probabilities = lo >= 0 && Math.abs(sum - 1) < 1e-3;
    this.#caption.hidden = probabilities;
    if (!probabilities) this.#caption.textContent = 'These outputs are not probabilities (they do not sum to 1); bars are scaled to the largest.';
    const full = probabilities ? 1 : peak || 1;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const row = this.#rows[i];
      row.fill.style.transform = `scaleX(${Math.max(0, Math.min(1, Math.abs(v) / full))})`;
      row.value.textContent = probabilities ? `${(v * 100).toFixed(1)} %` : format(v);
    }
    if (top !== this.#top) {
      if (this.#top >= 0) {
        this.#rows[this.#top].li.classList.remove('nn-inside-top');
        this.#rows[this.#top].li.removeAttribute('aria-current');
      }
      this.#rows[top].li.classList.add('nn-inside-top');
      this.#rows[top].li.setAttribute('aria-current', 'true');
      this.#top = top;
    }
    const name = this.#rows[top].li.firstChild?.textContent ?? '';
    this.#summary.textContent = `Top class: ${name} (${this.#rows[top].value.textContent})`;
  }
}

// ---------------------------------------------------------------- the view

/** The layout a snapshot needs: when it changes, the view is rebuilt; otherwise repainted. */
function layoutKey(s: InsideSnapshot): string {
  return JSON.stringify([s.image.length, s.classNames, s.nodes.map((n) => [n.name, n.type, n.shape, n.values.length]), s.firstConvKernel?.shape ?? null, s.firstConvKernel?.values.length ?? 0]);
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const isCount = (d: unknown) => Number.isInteger(d) && (d as number) > 0;

export class InsideView {
  readonly #root: HTMLElement;
  readonly #options: Required<InsideViewOptions>;
  readonly #id = `nn-inside-${nextViewId++}`;
  #sections: Section[] = [];
  #key = '';
  #last: InsideSnapshot | null = null;
  // Which grids the user opened ("+N more"), by layer name: kept across model rebuilds.
  readonly #expanded = new Map<string, boolean>();
  #disposed = false;

  constructor(container: HTMLElement, options: InsideViewOptions = {}) {
    this.#options = { mapsShown: options.mapsShown ?? 16, filtersShown: options.filtersShown ?? 64, headingLevel: options.headingLevel ?? 3 };
    this.#root = document.createElement('div');
    this.#root.className = 'nn-inside';
    container.append(this.#root);
  }

  /** Draws a snapshot: a repaint when its layout is the last one's, else a rebuild. */
  update(s: InsideSnapshot): void {
    if (this.#disposed) return;
    const key = layoutKey(s);
    if (key !== this.#key) {
      this.#build(s);
      this.#key = key;
    }
    this.#last = s;
    for (const section of this.#sections) section.paint(s);
  }

  /** Removes everything the view added. */
  dispose(): void {
    this.#disposed = true;
    this.#root.remove();
    this.#sections = [];
    this.#last = null;
  }

  #build(s: InsideSnapshot): void {
    this.#root.replaceChildren();
    this.#sections = [];
    const level = this.#options.headingLevel;
    let n = 0;
    const nextId = () => `${this.#id}-${n++}`;
    const repaint = () => this.#repaint();
    const side = Math.round(Math.sqrt(s.image.length));
    if (side > 0 && side * side === s.image.length) this.#sections.push(new InputSection(this.#root, nextId(), level, side));
    else this.#note(`Input image not drawn: ${s.image.length} values are not a square image.`);

    const last = s.nodes.length - 1;
    let filtersPlaced = false;
    s.nodes.forEach((node, i) => {
      const shape = node.shape.slice(1); // per sample
      const where = `${node.name} (${node.type}, ${shapeText(shape)})`;
      if (node.type === 'input') return; // the image above
      if (!node.shape.every(isCount) || node.values.length < sizeOf(shape)) {
        this.#note(`${where}: not drawn (its values do not fill its shape).`);
        return;
      }
      if (shape.length === 3) {
        // The filters go just before the maps they make.
        if (!filtersPlaced && node.type === 'conv2d') {
          filtersPlaced = true;
          this.#filters(s, node.name, nextId());
        }
        this.#sections.push(new MapsSection(this.#root, nextId(), level, i, node.name, node.type, shape, this.#options.mapsShown, this.#expanded, repaint));
      } else if (shape.length === 1) {
        if (i === last && shape[0] === s.classNames.length) this.#sections.push(new ProbabilitiesSection(this.#root, nextId(), level, i, node.name, node.type, s.classNames));
        else this.#sections.push(new StripSection(this.#root, nextId(), level, i, node.name, node.type, shape[0]));
      } else {
        this.#note(`${where}: not drawn (only feature maps [h, w, c] and vectors are).`);
      }
    });
    if (!filtersPlaced && s.firstConvKernel) this.#filters(s, 'the first conv layer', nextId());
  }

  #filters(s: InsideSnapshot, layerName: string, id: string): void {
    const kernel = s.firstConvKernel;
    if (!kernel) return;
    if (kernel.shape.length !== 4 || !kernel.shape.every(isCount) || kernel.values.length < sizeOf(kernel.shape)) {
      this.#note(`Filters of ${layerName}: not drawn (kernel shape ${shapeText(kernel.shape)} is not [kh, kw, inC, outC] with its values).`);
      return;
    }
    this.#sections.push(new FiltersSection(this.#root, id, this.#options.headingLevel, layerName, kernel.shape, this.#options.filtersShown, this.#expanded, () => this.#repaint()));
  }

  /** After "+N more" / "Show fewer": the newly shown tiles need the last values. */
  #repaint(): void {
    if (this.#last) for (const section of this.#sections) section.paint(this.#last);
  }

  #note(text: string): void {
    const p = document.createElement('p');
    p.className = 'nn-inside-note';
    p.textContent = text;
    this.#root.append(p);
  }
}

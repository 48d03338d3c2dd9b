// The network editor and view: input features (toggle buttons), hidden layers (add/remove
// layers and neurons), the output neuron; each node shows its output over the input square
// as a thumbnail, and links between nodes are coloured and thickened by weight.
//
// Why a canvas, drawn in slices: a big network (8 layers of 16) has ~2,000 links and ~130
// thumbnails. As SVG paths and canvases restyled 30 times a second, and even as one canvas
// drawn in one go, rasterising it took the main thread 50-300 ms per frame (the page must
// never block > 50 ms). So a redraw is a job of small steps (a few dozen links, a few
// thumbnails), each forced to rasterise and run within a ~6 ms slice, drawing into a back
// buffer that is shown when complete. Small networks finish in one slice; big ones refresh
// less often, while the heatmap keeps its frame rate. The DOM keeps only static, accessible
// elements (buttons, focusable nodes) laid over the canvas for clicks, hover, focus, touch.
//
// It draws and reports intents (callbacks); it does no model math: thumbnails and weights
// come from worker snapshots.
import { ALL_FEATURES } from '../worker/protocol';
import type { FeatureName, Snapshot } from '../worker/protocol';
import { ValuePainter, cssColor } from './colors';
import { LIMITS } from './state';

export type NodeRef = { kind: 'feature'; feature: FeatureName } | { kind: 'neuron'; layer: number; unit: number };

export interface NetworkCallbacks {
  toggleFeature(feature: FeatureName): void;
  addLayer(): void;
  removeLayer(): void;
  addNeuron(layer: number): void;
  removeNeuron(layer: number): void;
  /** A node is hovered or focused (null when left): the page shows it large. */
  inspect(node: NodeRef | null): void;
  /** A weight typed into the weight editor: dense layer `layer`, its kernel or bias entry `index`. */
  setWeight(layer: number, part: 'kernel' | 'bias', index: number, value: number): void;
}

const FEATURE_LABELS: Record<FeatureName, string> = {
  x1: 'X₁',
  x2: 'X₂',
  x1Squared: 'X₁²',
  x2Squared: 'X₂²',
  x1x2: 'X₁X₂',
  sinX1: 'sin(X₁)',
  sinX2: 'sin(X₂)',
};

/** Feature names as people say them (accessible names and the weight editor). */
export const FEATURE_NAMES: Record<FeatureName, string> = {
  x1: 'x1',
  x2: 'x2',
  x1Squared: 'x1 squared',
  x2Squared: 'x2 squared',
  x1x2: 'x1 times x2',
  sinX1: 'sine of x1',
  sinX2: 'sine of x2',
};

// A redraw job runs in slices of about this long, and starts at most this often.
const SLICE_MS = 6;
const MIN_INTERVAL_MS = 50; // thumbnails and links at up to 20/s; the heatmap runs faster
// Links stroked, or thumbnails painted, between two checks of the slice's clock.
const LINKS_PER_STEP = 48;
const THUMBS_PER_STEP = 12;

interface Point {
  x: number;
  y: number;
}

interface Link {
  layer: number; // dense layer index whose kernel holds this weight
  from: number; // row in the kernel (input index)
  to: number; // column in the kernel (unit index)
  path: Path2D;
  x0: number; // horizontal span, for a cheap hit-test prefilter
  x1: number;
}

export class NetworkView {
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly scratch = document.createElement('canvas');
  private readonly tooltip: HTMLElement;
  private features: FeatureName[] = [];
  private shape: number[] = [];
  private nodeSize = 34;
  private width = 0;
  private height = 0;
  private featurePositions = new Map<FeatureName, Point>();
  private neuronPositions: Point[][] = []; // [layer][unit], output layer last
  private links: Link[] = [];
  private featureMaps: HTMLCanvasElement[] = []; // painted once, ALL_FEATURES order

  private snapshot: Snapshot | null = null;
  private discretize = false;
  private outputMap: (v: number) => number = (v) => v;
  private hoveredLink: Link | null = null;
  // The weight editor: the neuron whose incoming weights and bias it shows, or null.
  private editor: HTMLElement | null = null;
  private edited: { layer: number; unit: number } | null = null;

  // Redraw job: steps draw into `back`; when done, back and front swap and front is shown.
  private back = document.createElement('canvas');
  private front = document.createElement('canvas');
  private job: Iterator<void> | null = null;
  private dirty = false;
  private lastDraw = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly continueJob = new MessageChannel();
  private readonly painter = new ValuePainter();
  // Every listener this view adds outside its own elements goes away with dispose().
  private readonly listeners = new AbortController();

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: NetworkCallbacks,
  ) {
    root.classList.add('network');
    this.header = el('div', 'network-header');
    this.body = el('div', 'network-body');
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'network-canvas';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.tooltip = el('div', 'tooltip');
    this.tooltip.setAttribute('role', 'status');
    this.tooltip.hidden = true;
    this.body.append(this.canvas, this.tooltip);
    root.append(this.header, this.body);
    const signal = this.listeners.signal;
    this.body.addEventListener('pointermove', (e) => this.hoverLinks(e), { signal });
    this.body.addEventListener('pointerdown', (e) => this.hoverLinks(e), { signal });
    // A touch lifts the pointer right after the tap: keep a tapped link's weight shown until
    // the next tap (on another link, a node or anywhere else on the page).
    this.body.addEventListener('pointerleave', (e) => {
      if (e.pointerType !== 'touch') this.leaveLinks();
    }, { signal });
    root.ownerDocument.addEventListener(
      'pointerdown',
      (e) => {
        if (!this.body.contains(e.target as Node)) this.leaveLinks();
        if (this.editor && !this.editor.contains(e.target as Node)) this.closeEditor(false);
      },
      { signal },
    );
    // A click (or tap) on a link opens the editor of the neuron it feeds, at that link's weight.
    this.body.addEventListener(
      'click',
      (e) => {
        if ((e.target as HTMLElement).closest('.node, .weight-editor')) return;
        const link = this.linkAt(e);
        if (link) this.openEditor(link.layer, link.to, link.from, (e as PointerEvent).pointerType !== 'touch');
      },
      { signal },
    );
    this.continueJob.port1.onmessage = () => this.runJob();
  }

  /** Stops drawing and removes the view's listeners and elements. */
  dispose(): void {
    this.listeners.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.job = null;
    this.dirty = false;
    this.continueJob.port1.onmessage = null;
    this.continueJob.port1.close();
    this.continueJob.port2.close();
    this.root.replaceChildren();
    this.root.classList.remove('network');
  }

  /** Rebuilds the layout for a new set of features or a new network shape. */
  setShape(features: FeatureName[], shape: number[]): void {
    // The controls are rebuilt: a keyboard user keeps focus on the same control (by its name).
    const active = document.activeElement;
    const focusedName = active instanceof HTMLElement && this.root.contains(active) ? active.getAttribute('aria-label') : null;
    this.features = [...features];
    this.shape = [...shape];
    this.snapshot = null;
    this.hoveredLink = null;
    this.editor = null;
    this.edited = null;
    this.header.replaceChildren();
    this.body.replaceChildren(this.canvas, this.tooltip);
    this.tooltip.hidden = true;
    this.featurePositions.clear();
    this.neuronPositions = [];
    this.links = [];

    const rows = Math.max(ALL_FEATURES.length, ...shape, 1);
    const dense = rows > 8;
    // On touch screens every node is a 44 px target, whatever the network's size.
    const coarse = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
    const node = coarse ? 44 : dense ? 24 : 34;
    const rowH = coarse ? 50 : dense ? 30 : 46;
    const left = 86; // room for feature labels
    const spacing = coarse ? 104 : 90;
    const width = Math.max(420, left + spacing * (shape.length + 1) + 30);
    const height = rows * rowH + 10;
    const colX = (c: number) => left + (c * (width - left - 30)) / (shape.length + 1);
    // Each column is centred vertically.
    const rowY = (r: number, count: number) => 5 + rowH / 2 + r * rowH + ((rows - count) * rowH) / 2;
    this.nodeSize = node;
    this.width = width;
    this.height = height;
    this.body.style.width = `${width}px`;
    this.body.style.height = `${height}px`;
    this.header.style.width = `${width}px`;
    this.body.style.setProperty('--node', `${node}px`);
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    this.job = null; // a job in flight drew the old layout
    for (const c of [this.canvas, this.back, this.front]) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
    }
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;

    // Layer count controls, then per-layer neuron controls above each hidden column.
    const layerControls = el('div', 'layer-count');
    layerControls.dataset.control = 'networkShape';
    layerControls.append(
      button('+', 'Add hidden layer', () => this.callbacks.addLayer(), shape.length >= LIMITS.layers.max),
      button('−', 'Remove hidden layer', () => this.callbacks.removeLayer(), shape.length <= LIMITS.layers.min),
      text('span', `${shape.length} hidden layer${shape.length === 1 ? '' : 's'}`, 'layer-count-label'),
    );
    this.header.append(layerControls);
    const columnHeads = el('div', 'column-heads');
    columnHeads.append(positioned(text('span', 'Features', 'column-title'), colX(0)));
    shape.forEach((units, l) => {
      const head = el('div', 'layer-head');
      head.dataset.control = 'networkShape';
      head.append(
        button('+', `Add neuron to layer ${l + 1}`, () => this.callbacks.addNeuron(l), units >= LIMITS.neurons.max),
        button('−', `Remove neuron from layer ${l + 1}`, () => this.callbacks.removeNeuron(l), units <= LIMITS.neurons.min),
        text('span', `${units} neuron${units === 1 ? '' : 's'}`, 'neuron-count'),
      );
      columnHeads.append(positioned(head, colX(l + 1)));
    });
    columnHeads.append(positioned(text('span', 'Output', 'column-title'), colX(shape.length + 1)));
    this.header.append(columnHeads);

    // Input features: all seven, the active ones lit and linked.
    const columns: Point[][] = [];
    const featureColumn: Point[] = [];
    const featuresCell = el('div', 'features');
    featuresCell.dataset.control = 'features';
    ALL_FEATURES.forEach((feature, r) => {
      const active = this.features.includes(feature);
      const p = { x: colX(0), y: rowY(r, ALL_FEATURES.length) };
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `node feature${active ? ' active' : ''}`;
      b.setAttribute('aria-pressed', String(active));
      b.setAttribute('aria-label', `Feature ${FEATURE_NAMES[feature]}`);
      b.title = `${FEATURE_LABELS[feature]}: ${active ? 'remove from' : 'feed into'} the network`;
      place(b, p);
      b.addEventListener('click', () => this.callbacks.toggleFeature(feature));
      this.inspectOn(b, { kind: 'feature', feature });
      const label = text('span', FEATURE_LABELS[feature], 'feature-label');
      label.style.left = `${p.x - node / 2 - 6}px`;
      label.style.top = `${p.y}px`;
      featuresCell.append(b);
      this.body.append(label);
      this.featurePositions.set(feature, p);
      if (active) featureColumn.push(p);
    });
    this.body.append(featuresCell);
    columns.push(featureColumn);

    // Hidden layers and the output neuron.
    [...shape, 1].forEach((units, l) => {
      const column: Point[] = [];
      const isOutput = l === shape.length;
      for (let u = 0; u < units; u++) {
        const p = { x: colX(l + 1), y: rowY(u, units) };
        const n = el('div', `node neuron${isOutput ? ' output' : ''}`);
        n.tabIndex = 0;
        // A button: focus shows its output large, Enter opens its weights for editing.
        n.setAttribute('role', 'button');
        n.setAttribute('aria-haspopup', 'dialog');
        n.setAttribute('aria-label', neuronName(l, u, isOutput));
        n.dataset.layer = String(l);
        n.dataset.unit = String(u);
        place(n, p);
        this.inspectOn(n, { kind: 'neuron', layer: l, unit: u });
        n.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          e.stopPropagation();
          this.openEditor(l, u, 0, true);
        });
        n.addEventListener('click', () => this.openEditor(l, u, null, false));
        this.body.append(n);
        column.push(p);
      }
      this.neuronPositions.push(column);
      columns.push(column);
    });

    // Links: one per kernel entry, input-major like the kernel [inputs, units].
    for (let l = 0; l + 1 < columns.length; l++) {
      columns[l].forEach((a, i) =>
        columns[l + 1].forEach((b, j) => {
          const x0 = a.x + node / 2;
          const x1 = b.x - node / 2;
          const mid = (x0 + x1) / 2;
          const path = new Path2D();
          path.moveTo(x0, a.y);
          path.bezierCurveTo(mid, a.y, mid, b.y, x1, b.y);
          this.links.push({ layer: l, from: i, to: j, path, x0, x1 });
        }),
      );
    }
    if (focusedName) this.refocus(focusedName);
    this.redraw();
  }

  /** Focuses the rebuilt control named `name`, or its enabled twin (− after + reached a limit). */
  private refocus(name: string): void {
    const twin = name.startsWith('Add') ? name.replace(/^Add (.*?) to /, 'Remove $1 from ').replace(/^Add /, 'Remove ') : name.replace(/^Remove (.*?) from /, 'Add $1 to ').replace(/^Remove /, 'Add ');
    for (const candidate of [name, twin]) {
      const e = [...this.root.querySelectorAll<HTMLElement>('[aria-label]')].find((x) => x.getAttribute('aria-label') === candidate);
      if (e && !(e instanceof HTMLButtonElement && e.disabled)) {
        e.focus({ preventScroll: true });
        return;
      }
    }
  }

  /** Input feature thumbnails, one per feature in ALL_FEATURES order (kept across rebuilds). */
  setFeatureMaps(maps: Float32Array[], size: number): void {
    this.featureMaps = maps.map((values) => {
      const c = document.createElement('canvas');
      // Features span different ranges (x1 in [-6, 6], sin in [-1, 1]); scale each to [-1, 1].
      let max = 0;
      for (const v of values) max = Math.max(max, Math.abs(v));
      this.painter.paint(c, values, size, false, (v) => (max > 0 ? v / max : 0));
      return c;
    });
    this.redraw();
  }

  /** Neuron thumbnails and link weights from a snapshot; drawn by the next redraw job. */
  update(snapshot: Snapshot, discretize: boolean, outputMap: (v: number) => number): void {
    this.snapshot = snapshot;
    this.discretize = discretize;
    this.outputMap = outputMap;
    this.refreshEditor();
    this.redraw();
  }

  // ---------------------------------------------------------------- the weight editor

  /** The inputs of neuron `unit` of layer `layer`: feature names, or the previous layer's neurons. */
  private inputNames(layer: number): string[] {
    if (layer === 0) return this.features.map((f) => FEATURE_NAMES[f]);
    return Array.from({ length: this.shape[layer - 1] ?? 0 }, (_, i) => `neuron ${i + 1} of layer ${layer}`);
  }

  /**
   * Opens the editor of one neuron's incoming weights and bias (a small non-modal dialog next
   * to it): focus goes to the weight from input `focusInput` (or the first) when `focus`.
   */
  private openEditor(layer: number, unit: number, focusInput: number | null, focus: boolean): void {
    this.closeEditor(false);
    const doc = this.root.ownerDocument;
    const isOutput = layer === this.shape.length;
    const name = neuronName(layer, unit, isOutput);
    const units = this.shape[layer] ?? 1;
    const panel = el('div', 'weight-editor');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', `Weights into ${name.charAt(0).toLowerCase()}${name.slice(1)}`);
    const title = text('p', `Weights into ${name.charAt(0).toLowerCase()}${name.slice(1)}`, 'weight-editor-title');
    panel.append(title);
    const field = (label: string, part: 'kernel' | 'bias', index: number) => {
      const row = doc.createElement('label');
      row.className = 'weight-row';
      const caption = text('span', label, 'weight-label');
      const input = doc.createElement('input');
      input.type = 'number';
      input.step = '0.1';
      input.inputMode = 'decimal';
      input.dataset.part = part;
      input.dataset.index = String(index);
      // The field the user is on holds still from the moment it gets focus: a snapshot that
      // rewrote it would also drop a selection made to type over it (select all, then type,
      // is how a value is replaced). A committed change hands it back to the worker, so the
      // next snapshot shows what the worker holds even while the input keeps focus.
      input.addEventListener('focus', () => (input.dataset.typing = 'true'));
      input.addEventListener('input', () => (input.dataset.typing = 'true'));
      input.addEventListener('change', () => {
        const v = Number(input.value);
        if (input.value.trim() === '' || !Number.isFinite(v) || Math.abs(v) > 1e6) {
          input.setCustomValidity('A number between -1000000 and 1000000');
          input.reportValidity();
          return;
        }
        input.setCustomValidity('');
        delete input.dataset.typing;
        this.callbacks.setWeight(layer, part, index, v);
      });
      row.append(caption, input);
      panel.append(row);
      return input;
    };
    const inputs = this.inputNames(layer).map((from, i) => field(`Weight from ${from}`, 'kernel', i * units + unit));
    const bias = field('Bias', 'bias', unit);
    const close = doc.createElement('button');
    close.type = 'button';
    close.className = 'text-button';
    close.textContent = 'Close';
    close.addEventListener('click', () => this.closeEditor(true));
    panel.append(close);
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeEditor(true);
      }
      e.stopPropagation(); // Space in an input is typing, not Play
    });
    const p = this.neuronPositions[layer]?.[unit];
    if (p) {
      // Beside the neuron, on the side with room.
      const right = p.x + this.nodeSize / 2 + 8;
      panel.style.top = `${Math.max(0, p.y - 20)}px`;
      if (right + 230 > this.width) panel.style.right = `${this.width - (p.x - this.nodeSize / 2 - 8)}px`;
      else panel.style.left = `${right}px`;
    }
    this.body.append(panel);
    this.editor = panel;
    this.edited = { layer, unit };
    this.refreshEditor(true);
    if (focus) (inputs[focusInput ?? 0] ?? bias).focus();
  }

  /** Shows the latest weights in the editor's inputs (never the focused one before its change is committed). */
  private refreshEditor(all = false): void {
    const panel = this.editor;
    const s = this.snapshot;
    if (!panel || !s || !this.edited) return;
    const active = this.root.ownerDocument.activeElement;
    for (const input of panel.querySelectorAll<HTMLInputElement>('input')) {
      if (!all && input === active && input.dataset.typing) continue;
      const values = input.dataset.part === 'bias' ? s.biases[this.edited.layer] : s.kernels[this.edited.layer];
      const v = values?.[Number(input.dataset.index)];
      input.value = v === undefined || !Number.isFinite(v) ? '' : v.toFixed(3);
    }
  }

  private closeEditor(refocus: boolean): void {
    if (!this.editor) return;
    const edited = this.edited;
    this.editor.remove();
    this.editor = null;
    this.edited = null;
    if (refocus && edited) this.body.querySelector<HTMLElement>(`.neuron[data-layer="${edited.layer}"][data-unit="${edited.unit}"]`)?.focus();
  }

  private weight(link: Link, snapshot = this.snapshot): number {
    const kernel = snapshot?.kernels[link.layer];
    const units = this.shape[link.layer] ?? 1;
    return kernel ? kernel[link.from * units + link.to] : NaN;
  }

  /** Asks for a redraw: starts a job now, or when the running one ends, or after the interval. */
  private redraw(): void {
    this.dirty = true;
    if (this.job || this.timer) return;
    const wait = this.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startJob();
      }, wait);
    } else {
      this.startJob();
    }
  }

  private startJob(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.job = this.drawSteps();
    this.runJob();
  }

  private runJob(): void {
    const t0 = performance.now();
    while (this.job) {
      if (this.job.next().done) {
        this.job = null;
        this.lastDraw = performance.now();
        if (this.dirty) this.redraw();
        return;
      }
      if (performance.now() - t0 > SLICE_MS) {
        this.continueJob.port2.postMessage(null); // yield to input and rendering, then go on
        return;
      }
    }
  }

  /** One redraw of links and thumbnails into the back buffer, in small steps. */
  private *drawSteps(): Generator<void> {
    const ctx = this.back.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    // Canvas drawing is recorded and rasterised later; reading one pixel rasterises now, so
    // each step's real cost falls inside its slice instead of into one long frame.
    const rasterise = () => ctx.getImageData(0, 0, 1, 1);
    const dpr = this.back.width / Math.max(1, this.width);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const s = this.snapshot;
    const discretize = this.discretize;
    const outputMap = this.outputMap;

    let n = 0;
    for (const link of this.links) {
      const w = this.weight(link, s);
      ctx.lineWidth = linkWidth(w);
      ctx.strokeStyle = Number.isFinite(w) ? cssColor(w) : '#ccc';
      ctx.stroke(link.path);
      if (++n % LINKS_PER_STEP === 0) {
        rasterise();
        yield;
      }
    }

    const half = this.nodeSize / 2;
    ctx.imageSmoothingEnabled = true;
    ALL_FEATURES.forEach((feature, i) => {
      const p = this.featurePositions.get(feature);
      const map = this.featureMaps[i];
      if (!p || !map) return;
      ctx.globalAlpha = this.features.includes(feature) ? 1 : 0.3;
      ctx.drawImage(map, p.x - half, p.y - half, this.nodeSize, this.nodeSize);
    });
    ctx.globalAlpha = 1;
    rasterise();
    yield;

    if (s) {
      const outputLayer = s.neurons.length - 1;
      n = 0;
      for (let l = 0; l < s.neurons.length; l++) {
        for (let u = 0; u < s.neurons[l].length; u++) {
          const p = this.neuronPositions[l]?.[u];
          if (!p) continue;
          this.painter.paint(this.scratch, s.neurons[l][u], s.thumbSize, discretize, l === outputLayer ? outputMap : undefined);
          ctx.drawImage(this.scratch, p.x - half, p.y - half, this.nodeSize, this.nodeSize);
          if (++n % THUMBS_PER_STEP === 0) {
            rasterise();
            yield;
          }
        }
      }
    }
    [this.front, this.back] = [this.back, this.front];
    this.present();
  }

  /** Shows the last complete frame, with the hovered link highlighted. */
  private present(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.front, 0, 0);
    if (this.hoveredLink) {
      const dpr = this.canvas.width / Math.max(1, this.width);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(0,0,0,0.7)';
      ctx.stroke(this.hoveredLink.path);
    }
  }

  /** The link under the pointer (the topmost), if any. */
  private linkAt(event: MouseEvent): Link | null {
    const rect = this.body.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return null;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let found: Link | null = null;
    // Last drawn is on top: search backwards, only links spanning this x.
    for (let i = this.links.length - 1; i >= 0 && !found; i--) {
      const link = this.links[i];
      if (x < link.x0 || x > link.x1) continue;
      ctx.lineWidth = Math.max(8, linkWidth(this.weight(link)));
      if (ctx.isPointInStroke(link.path, x, y)) found = link;
    }
    ctx.restore();
    return found;
  }

  private hoverLinks(event: PointerEvent): void {
    if ((event.target as HTMLElement).closest('.node, .weight-editor')) return this.leaveLinks();
    const found = this.linkAt(event);
    if (!found) return this.leaveLinks();
    const rect = this.body.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const w = this.weight(found);
    this.tooltip.textContent = `Weight ${Number.isFinite(w) ? w.toFixed(3) : String(w)}`;
    this.tooltip.style.left = `${x + 12}px`;
    this.tooltip.style.top = `${y + 12}px`;
    this.tooltip.hidden = false;
    if (found !== this.hoveredLink) {
      this.hoveredLink = found;
      this.present();
    }
  }

  private leaveLinks(): void {
    if (this.hoveredLink) {
      this.hoveredLink = null;
      this.tooltip.hidden = true;
      this.present();
    }
  }

  private inspectOn(element: HTMLElement, ref: NodeRef): void {
    const enter = () => {
      this.callbacks.inspect(ref);
      if (ref.kind === 'neuron') {
        const bias = this.snapshot?.biases[ref.layer]?.[ref.unit];
        if (bias !== undefined) {
          const rect = this.body.getBoundingClientRect();
          const box = element.getBoundingClientRect();
          this.tooltip.textContent = `Bias ${bias.toFixed(3)}`;
          this.tooltip.style.left = `${box.right - rect.left + 4}px`;
          this.tooltip.style.top = `${box.top - rect.top}px`;
          this.tooltip.hidden = false;
        }
      }
    };
    const leave = () => {
      this.callbacks.inspect(null);
      this.tooltip.hidden = true;
    };
    element.addEventListener('pointerenter', enter);
    element.addEventListener('pointerleave', leave);
    element.addEventListener('focus', enter);
    element.addEventListener('blur', leave);
  }
}

/** TensorFlow Playground's width scale: |w| in [0, 5] -> [1, 10] px, clamped. */
function linkWidth(w: number): number {
  return Number.isFinite(w) ? 1 + (Math.min(Math.abs(w), 5) / 5) * 9 : 1;
}

function neuronName(layer: number, unit: number, isOutput: boolean): string {
  return isOutput ? 'Output neuron' : `Neuron ${unit + 1} of layer ${layer + 1}`;
}

function el(tag: string, className: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function text(tag: string, content: string, className: string): HTMLElement {
  const e = el(tag, className);
  e.textContent = content;
  return e;
}

function button(label: string, name: string, onClick: () => void, disabled: boolean): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'round';
  b.textContent = label;
  b.setAttribute('aria-label', name);
  b.title = name;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

function place(e: HTMLElement, p: Point): void {
  e.style.left = `${p.x}px`;
  e.style.top = `${p.y}px`;
}

function positioned(e: HTMLElement, x: number): HTMLElement {
  e.style.left = `${x}px`;
  e.classList.add('at-column');
  return e;
}

// Lesson 10's view: the class regions (as lesson 4), the validation set's confusion matrix and
// per-class precision and recall after every epoch, and the held-out test set behind one button:
// pressed once, it pauses training and shows the test figures of the model as it is; pressed
// again (a later model, or the same one after more training) the page counts the looks and says
// what a second look costs.
//
// What it is not: model math. Every figure is nn.classificationReport over model.predict.
import * as nn from 'nnplay';
import { RegionsView } from './lesson-views';
import type { LessonData, LessonView, ViewHost } from './lesson-views';
import { CLASS_COLOURS, el } from './view-kit';

/** Test-set evaluations in this page visit, over every model (what the warning counts). */
let testLooks = 0;

const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(100 * v).toFixed(1)} %`);

/** WCAG 2's relative luminance of an sRGB colour (0..255 channels). */
function relativeLuminance(r: number, g: number, b: number): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Black or white text, whichever has the higher WCAG contrast with the background: one of the two
 * is always at least 4.58:1, so every cell passes AA. (Thresholding the gamma-encoded luminance
 * at 0.5 picked white on some mid-red cells at 3.9:1, which axe flagged when training ended there.)
 */
function readableTextOn(r: number, g: number, b: number): string {
  const l = relativeLuminance(r, g, b);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/** A confusion matrix and a per-class precision / recall table, with ids `<prefix>confusion-matrix`, `<prefix>precision-<c>`, `<prefix>recall-<c>`. */
class ReportTables {
  readonly element: HTMLElement;
  private readonly confusion: HTMLTableElement;
  private readonly perClass: HTMLTableElement;
  private readonly accuracy: HTMLOutputElement | null;

  constructor(
    private readonly doc: Document,
    private readonly prefix: string,
    private readonly what: string,
    withAccuracy: boolean,
  ) {
    this.confusion = el(doc, 'table', { id: `${prefix}confusion-matrix`, className: 'lesson-confusion' });
    this.perClass = el(doc, 'table', { id: `${prefix}per-class`, className: 'lesson-per-class' });
    const figures = el(doc, 'p', { className: 'lesson-figures' });
    this.accuracy = null;
    if (withAccuracy) {
      this.accuracy = el(doc, 'output', { id: `${prefix}accuracy` });
      this.accuracy.textContent = '–';
      figures.append(el(doc, 'span', { className: 'lesson-figure' }, `${what} accuracy `, this.accuracy));
    }
    this.element = el(doc, 'div', { className: 'lesson-report' }, figures, this.confusion, this.perClass);
  }

  show(report: nn.ClassificationReport): void {
    const doc = this.doc;
    const k = report.classes;
    if (this.accuracy) this.accuracy.textContent = pct(report.accuracy);
    const swatch = (c: number) => {
      const dot = el(doc, 'span', { className: 'vae-class-dot' }, '●');
      dot.style.color = `rgb(${CLASS_COLOURS[c % CLASS_COLOURS.length].join(',')})`;
      dot.setAttribute('aria-hidden', 'true');
      return dot;
    };
    const th = (text: string | Node, scope: 'col' | 'row', ...more: (string | Node)[]) => {
      const cell = el(doc, 'th', {}, text, ...more);
      cell.scope = scope;
      return cell;
    };
    // Confusion: rows true class, columns predicted, shaded by the share of the row.
    const head = el(doc, 'tr', {}, th('true ↓ predicted →', 'col'), ...Array.from({ length: k }, (_, c) => th(swatch(c), 'col', ` ${c}`)));
    const rows = Array.from({ length: k }, (_, t) => {
      const support = report.perClass[t].support;
      const cells = Array.from({ length: k }, (_, p) => {
        const count = report.confusion[t * k + p];
        const td = el(doc, 'td', { id: `${this.prefix}confusion-${t}-${p}` }, String(count));
        const share = support > 0 ? count / support : 0;
        // Diagonal blue, off-diagonal red, by the share of the row, blended on white (opaque, so
        // the contrast holds in both themes); the text black or white, whichever reads better.
        const [r, g, b] = (t === p ? [33, 102, 172] : [200, 40, 40]).map((c) => Math.round(255 - 0.85 * share * (255 - c)));
        td.style.background = `rgb(${r},${g},${b})`;
        td.style.color = readableTextOn(r, g, b);
        return td;
      });
      return el(doc, 'tr', {}, th(swatch(t), 'row', ` ${t}`), ...cells);
    });
    this.confusion.replaceChildren(el(doc, 'caption', {}, `Confusion matrix of the ${this.what} set (${report.n} points): rows are the true class, columns the predicted one`), el(doc, 'thead', {}, head), el(doc, 'tbody', {}, ...rows));
    const classHead = el(doc, 'tr', {}, th('class', 'col'), th('precision', 'col'), th('recall', 'col'), th('points', 'col'));
    const classRows = report.perClass.map((r, c) => {
      const out = (name: string, v: number) => {
        const o = el(doc, 'output', { id: `${this.prefix}${name}-${c}` });
        o.textContent = pct(v);
        return el(doc, 'td', {}, o);
      };
      return el(doc, 'tr', {}, th(swatch(c), 'row', ` ${c}`), out('precision', r.precision), out('recall', r.recall), el(doc, 'td', {}, String(r.support)));
    });
    this.perClass.replaceChildren(el(doc, 'caption', {}, `Per class, ${this.what} set: precision = right among those predicted as the class; recall = found among those of the class`), el(doc, 'thead', {}, classHead), el(doc, 'tbody', {}, ...classRows));
  }
}

export class EvaluateView implements LessonView {
  readonly element: HTMLElement;
  private readonly regions: RegionsView;
  private readonly validation: ReportTables;
  private readonly test: ReportTables;
  private readonly testButton: HTMLButtonElement;
  private readonly testNote: HTMLElement;
  private readonly looksOut: HTMLOutputElement;
  private readonly testEpochOut: HTMLOutputElement;
  private data: LessonData | null = null;
  private model: nn.LayersModel | null = null;
  /** The epoch at which this model's test set was evaluated, or null. */
  private testedAt: number | null = null;

  constructor(
    doc: Document,
    private readonly host: ViewHost,
  ) {
    const p = host.idPrefix;
    this.regions = new RegionsView(doc, 'validation', p);
    this.validation = new ReportTables(doc, p, 'validation', false);
    this.test = new ReportTables(doc, `${p}test-`, 'test', true);
    this.test.element.hidden = true;
    this.testButton = el(doc, 'button', { id: `${p}test-evaluate`, type: 'button', className: 'lesson-test-button' }, 'Evaluate on the test set (once)');
    this.testButton.addEventListener('click', () => void this.evaluateTest());
    this.looksOut = el(doc, 'output', { id: `${p}test-looks` });
    this.looksOut.textContent = String(testLooks);
    this.testEpochOut = el(doc, 'output', { id: `${p}test-epoch` });
    this.testEpochOut.textContent = '–';
    this.testNote = el(doc, 'p', { className: 'lesson-test-note' });
    this.testNote.setAttribute('role', 'status');
    this.testNote.textContent = 'The test set has not been looked at. Choose every setting by the validation figures first; the button pauses training and evaluates the model as it is.';
    this.element = el(
      doc,
      'div',
      { className: 'lesson-view evaluate-view' },
      this.regions.element,
      el(doc, 'section', { className: 'lesson-eval-part', ariaLabel: 'Validation set' }, el(doc, 'h3', {}, 'Validation set: for choosing'), this.validation.element),
      el(
        doc,
        'section',
        { className: 'lesson-eval-part', ariaLabel: 'Test set' },
        el(doc, 'h3', {}, 'Test set: touched once'),
        this.testButton,
        this.testNote,
        el(doc, 'p', { className: 'lesson-figures' }, el(doc, 'span', { className: 'lesson-figure' }, 'evaluated at epoch ', this.testEpochOut), ' ', el(doc, 'span', { className: 'lesson-figure' }, 'test-set looks this visit ', this.looksOut)),
        this.test.element,
      ),
    );
  }

  setData(data: LessonData, settings: Parameters<LessonView['setData']>[1]): void {
    this.data = data;
    this.regions.setData(data);
    void settings;
  }

  update(model: nn.LayersModel, logs?: nn.Logs): void {
    const data = this.data;
    if (!data) return;
    this.model = model;
    this.regions.update(model);
    const pred = model.predict(data.test.xs) as nn.Tensor;
    this.validation.show(nn.classificationReport(data.test.ys, pred, { classes: data.classes }));
    pred.dispose();
    if (logs && this.testedAt !== null && this.host.epoch > this.testedAt) {
      this.testNote.textContent = `Trained on after the test evaluation: the test figures below are of the model at epoch ${this.testedAt}, not of this one.`;
    }
  }

  private async evaluateTest(): Promise<void> {
    const data = this.data;
    if (!data?.heldOut || !this.model) return;
    this.testButton.disabled = true;
    await this.host.stopTraining();
    const model = this.model;
    const pred = model.predict(data.heldOut.xs) as nn.Tensor;
    const report = nn.classificationReport(data.heldOut.ys, pred, { classes: data.classes });
    pred.dispose();
    testLooks++;
    this.testedAt = this.host.epoch;
    this.looksOut.textContent = String(testLooks);
    this.testEpochOut.textContent = String(this.testedAt);
    this.test.element.hidden = false;
    this.test.show(report);
    this.testButton.textContent = 'Test set used';
    this.testNote.textContent =
      testLooks > 1
        ? `The test set has now been looked at ${testLooks} times this visit. Whatever was changed after the first look was chosen with the test set in view, so this number is no longer an unbiased estimate: only fresh data would give one.`
        : 'This is the number to report. Changing settings now and looking again would tune them to the test set, which then becomes a second validation set.';
  }

  dispose(): void {
    this.regions.dispose();
    this.element.remove();
  }
}

// The listing a lesson corresponds to, as Keras and as nnplay code: a collapsible panel
// (<details>), a tab per language, monospace, and a Copy button that copies the shown one.
import type { Listing } from './lesson-table';

type Language = keyof Listing;
const LANGUAGES: { lang: Language; label: string }[] = [
  { lang: 'keras', label: 'Keras (Python)' },
  { lang: 'nnplay', label: 'nnplay (JavaScript)' },
];

export class CodePanel {
  readonly element: HTMLDetailsElement;
  private readonly code: HTMLElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly tabs = new Map<Language, HTMLButtonElement>();
  private listing: Listing = { keras: '', nnplay: '' };
  private lang: Language = 'keras';

  constructor(doc: Document) {
    this.element = doc.createElement('details');
    this.element.className = 'lesson-code';
    const summary = doc.createElement('summary');
    summary.textContent = 'The code: Keras and nnplay';
    const bar = doc.createElement('div');
    bar.className = 'lesson-code-bar';
    // The tabs alone in the tablist (its children must all be tabs); Copy beside it.
    const tabs = doc.createElement('div');
    tabs.className = 'lesson-code-tabs';
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', 'Language');
    bar.append(tabs);
    for (const { lang, label } of LANGUAGES) {
      const tab = doc.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.dataset.lang = lang;
      tab.textContent = label;
      tab.addEventListener('click', () => this.select(lang));
      this.tabs.set(lang, tab);
      tabs.append(tab);
    }
    this.copyButton = doc.createElement('button');
    this.copyButton.type = 'button';
    this.copyButton.className = 'lesson-copy';
    this.copyButton.textContent = 'Copy';
    this.copyButton.addEventListener('click', () => void this.copy());
    bar.append(this.copyButton);
    const pre = doc.createElement('pre');
    this.code = doc.createElement('code');
    pre.append(this.code);
    this.element.append(summary, bar, pre);
  }

  show(listing: Listing): void {
    this.listing = listing;
    this.select(this.lang);
  }

  /** The text shown now (what Copy copies). */
  get text(): string {
    return this.listing[this.lang];
  }

  private select(lang: Language): void {
    this.lang = lang;
    this.code.textContent = this.listing[lang];
    this.code.dataset.lang = lang;
    for (const [l, tab] of this.tabs) tab.setAttribute('aria-selected', String(l === lang));
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
      this.copyButton.textContent = 'Copied';
    } catch {
      // No clipboard permission (e.g. an insecure origin): select the text for Ctrl+C instead.
      const range = this.code.ownerDocument.createRange();
      range.selectNodeContents(this.code);
      const sel = this.code.ownerDocument.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      this.copyButton.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => (this.copyButton.textContent = 'Copy'), 1500);
  }
}
